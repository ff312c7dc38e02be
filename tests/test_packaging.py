"""``pip install .`` installs one import package, ``dslint``, and nothing generic."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest


def test_installed_files_are_one_dslint_package() -> None:
    """Run where dslint was installed with ``pip install .`` (as CI does)."""
    dist = metadata.distribution("dslint")
    direct_url = dist.read_text("direct_url.json") or "{}"
    installed = dist.read_text("RECORD") is not None
    if not installed or json.loads(direct_url).get("dir_info", {}).get("editable"):
        pytest.skip("dslint is installed in editable mode here; CI checks a real install")
    files = [str(f) for f in dist.files or []]
    top = {f.split("/")[0] for f in files if not f.startswith(("..", "dslint-"))}
    assert top == {"dslint"}
    assert "dslint/rules/__init__.py" in files
    assert "dslint/cli.py" in files
    assert not any(f.startswith(("lint/", "rules/", "tests/", "fixtures/")) for f in files)


def test_console_script_reports_the_version() -> None:
    import shutil

    import dslint

    exe = shutil.which("dslint", path=str(Path(sys.executable).parent))
    assert exe is not None, "the dslint console script is not installed next to python"
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    assert proc.stdout.strip() == f"dslint {dslint.__version__}"
