"""Run mypy (strict) on the dslint package as it is installed: lint/ as
``dslint`` and rules/ as ``dslint.rules``. mypy cannot see setuptools'
package-dir mapping in a source checkout, so this lays the package out in a
temporary folder of symbolic links and checks that."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "dslint"
        pkg.mkdir()
        for entry in (ROOT / "lint").iterdir():
            if entry.name != "__pycache__":
                (pkg / entry.name).symlink_to(entry)
        (pkg / "rules").symlink_to(ROOT / "rules")
        env = dict(os.environ, MYPYPATH=tmp)
        cmd = [sys.executable, "-m", "mypy", "--strict", "-p", "dslint", *sys.argv[1:]]
        return subprocess.call(cmd, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
