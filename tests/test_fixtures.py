"""Every rule's fixtures: exactly the expected findings (code and line), no others."""

from __future__ import annotations

from pathlib import Path

import pytest

from dslint.engine import lint_text
from dslint.rules import RULES, by_code

from conftest import FIXTURES
from expectations import expected, read, settings_for

RULE_DIRS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("DSL"))
CASES = [f for d in RULE_DIRS for f in sorted(d.glob("*.Dockerfile"))]


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_findings_are_exactly_the_expected_ones(path: Path) -> None:
    code = path.parent.name
    text = read(path)
    settings = settings_for(text, (code, "DSL001") if code != "DSL001" else (code,))
    if path.parent.joinpath("context").is_dir():
        settings.context = str(path.parent / "context")
    findings = lint_text(path.read_bytes().decode("utf-8"), str(path), settings)
    got = sorted((f.span.line, f.code) for f in findings)
    want = expected(text)
    assert got == want, "\n".join(
        f"{f.span.line}:{f.span.column} {f.code} {f.message}" for f in findings
    )
    if path.stem.startswith("bad"):
        assert any(c == code for _, c in want), f"{path.name} expects no {code}: a bad fixture must"
    else:
        assert not any(c == code for _, c in want), (
            f"{path.name} is a good fixture but expects {code}"
        )


def test_every_rule_has_bad_and_good_fixtures() -> None:
    missing = []
    for rule in RULES:
        folder = FIXTURES / rule.code
        if not list(folder.glob("bad*.Dockerfile")) or not list(folder.glob("good*.Dockerfile")):
            missing.append(rule.code)
    assert not missing, f"rules without bad and good fixtures: {missing}"


def test_fixture_folders_name_known_rules() -> None:
    known = by_code()
    assert [d.name for d in RULE_DIRS if d.name not in known] == []
