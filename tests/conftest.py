from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DSLINT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
FIXTURES = ROOT / "fixtures"

sys.path.insert(0, str(Path(__file__).resolve().parent))


def corpus_dir(name: str) -> Path:
    """A folder of the shared corpus, or skip the test with the reason."""
    path = CORPUS / name
    if not path.is_dir():
        pytest.skip(f"the shared corpus is not here ({path} is absent)")
    return path


def corpus_files(*names: str) -> list[Path]:
    out: list[Path] = []
    for name in names:
        base = CORPUS / name
        if base.is_dir():
            out.extend(
                sorted(p for p in base.rglob("*") if p.is_file() and p.name not in ("result",))
            )
    return out
