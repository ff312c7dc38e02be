"""``pip install .`` installs one import package, ``dslint``, and nothing generic."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest


def test_installed_files_are_one_dslint_package() -> None:
    """Run where dslint was installed with ``pip install .`` (as CI does)."""
    site = sysconfig.get_paths()["purelib"]
    found = list(metadata.distributions(name="dslint", path=[site]))
    if not found:
        pytest.skip(f"dslint is not installed in {site}")
    dist = found[0]
    direct_url = dist.read_text("direct_url.json") or "{}"
    if json.loads(direct_url).get("dir_info", {}).get("editable"):
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
