"""The model against BuildKit's own parser, on every Dockerfile of the corpus.

The oracle is the ``dockerfile`` package (moby/buildkit's Go parser bound to
Python; wheels exist for x86_64 Linux only). The comparison covers instruction
keywords, start and end lines, flags, arguments (split as BuildKit splits
them), exec form, ONBUILD sub-instructions, heredoc names, descriptors and
bodies. Files the oracle rejects must be rejected by dslint too (DSL001).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dslint.parser import parse

from conftest import CORPUS, corpus_files
from oracle import differences

dockerfile = pytest.importorskip(
    "dockerfile", reason="the BuildKit parser binding (PyPI 'dockerfile') is not installed here"
)

# Known differences, each with its reason. Keys are paths below the corpus.
KNOWN_DIFFERENCES = {
    # The Go binding passes strings through C, which ends them at the first NUL:
    # it reports "... \t " where BuildKit itself (and dslint) keep "\u0000".
    "buildkit-parser/json/Dockerfile": "the binding truncates strings at NUL",
}

FILES = corpus_files("real", "tutorial", "buildkit-parser", "buildkit-parser-negative")


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


@pytest.mark.skipif(not FILES, reason="the shared corpus (../shared/corpus) is absent")
@pytest.mark.parametrize("path", FILES, ids=_id)
def test_model_matches_buildkit(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    df = parse(text, str(path))
    try:
        commands = dockerfile.parse_file(str(path))
    except dockerfile.GoParseError as exc:
        assert df.problems, f"BuildKit rejects this file ({exc}) but dslint finds no problem"
        return
    diffs = differences(df, commands)
    key = _id(path)
    if key in KNOWN_DIFFERENCES:
        assert diffs, f"{key} is listed as a known difference but now agrees: remove it"
        return
    assert not diffs, "\n".join(diffs)


@pytest.mark.skipif(not FILES, reason="the shared corpus (../shared/corpus) is absent")
def test_agreement_figure() -> None:
    """The figure for the closing note: every file agrees except the listed ones."""
    agree = 0
    for path in FILES:
        df = parse(path.read_bytes().decode("utf-8"), str(path))
        try:
            commands = dockerfile.parse_file(str(path))
        except dockerfile.GoParseError:
            agree += bool(df.problems)
            continue
        agree += not differences(df, commands)
    assert agree == len(FILES) - len(KNOWN_DIFFERENCES), f"{agree}/{len(FILES)} files agree"
