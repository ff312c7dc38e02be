"""Behaviour of the stage-reference rules (DSL101-DSL111) a user would notice."""

from __future__ import annotations

import inspect
import re

import pytest

from dslint.config import Settings
from dslint.engine import lint_text
from dslint.rule import Finding, Rule, Severity
from dslint.rules import RULES

from conftest import corpus_dir
from expectations import options

STAGE_RULES = [r for r in RULES if "DSL101" <= r.code <= "DSL111"]
_BLOCK = re.compile(r"## (Bad|Good)\s*```dockerfile\n(.*?)```", re.S)


def lint(text: str, code: str, target: str | None = None) -> list[Finding]:
    return lint_text(text, "Dockerfile", Settings(select=(code,), target=target))


def test_the_eleven_rules_are_registered_in_code_order() -> None:
    assert [r.code for r in STAGE_RULES] == [f"DSL1{n:02d}" for n in range(1, 12)]


@pytest.mark.parametrize("rule", STAGE_RULES, ids=lambda r: r.code)
def test_documented_bad_example_fires_and_good_one_does_not(rule: type[Rule]) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    blocks = dict(_BLOCK.findall(doc))
    assert set(blocks) == {"Bad", "Good"}, f"{rule.code} docstring needs Bad and Good blocks"
    for kind, body in blocks.items():
        found = lint(body, rule.code, options(body).get("target"))
        if kind == "Bad":
            assert found, f"{rule.code}: the Bad example does not fire"
        else:
            assert not found, f"{rule.code}: the Good example fires: {found}"


def test_typo_is_an_error_naming_the_stage_and_points_at_the_value() -> None:
    text = "FROM golang:1.22 AS builder\nFROM alpine\nCOPY --chown=1:1 --from=biulder /a /b\n"
    (f,) = lint(text, "DSL101")
    assert f.severity is Severity.ERROR
    assert "did you mean 'builder'?" in f.message
    assert (f.span.line, f.span.column, f.span.end_column) == (3, 25, 32)


def test_a_name_close_only_to_a_later_stage_is_a_warning_without_suggestion() -> None:
    text = "FROM alpine AS a\nCOPY --from=runtme /a /b\nFROM alpine AS runtime\n"
    (f,) = lint(text, "DSL101")
    assert f.severity is Severity.WARNING
    assert "runtime" not in f.message
    assert "pulled as image 'runtme'" in f.message


def test_bare_image_names_in_from_are_not_typos() -> None:
    text = "FROM node:20 AS nodes\nFROM node\nFROM ubuntu\nFROM nodez\n"
    found = lint(text, "DSL101")
    assert [(f.span.line, f.severity) for f in found] == [(4, Severity.ERROR)]


def test_forward_reference_names_both_stages() -> None:
    text = "FROM alpine AS runtime\nCOPY --from=build /a /b\nFROM golang AS build\n"
    (f,) = lint(text, "DSL102")
    assert "'runtime'" in f.message and "'build'" in f.message and "line 3" in f.message


def test_case_mismatch_fix_writes_the_stored_name() -> None:
    text = "FROM golang AS Builder\nFROM Builder AS test\n"
    (f,) = lint(text, "DSL107")
    assert f.fix is not None
    (edit,) = f.fix.edits
    assert (edit.span.line, edit.span.column, edit.replacement) == (2, 6, "builder")


def test_numeric_reference_names_the_stage_and_offers_its_name() -> None:
    text = "FROM golang AS build\nFROM alpine\nCOPY --from=0 /a /b\n"
    (f,) = lint(text, "DSL109")
    assert f.severity is Severity.INFO and "'build'" in f.message
    assert f.fix is not None and f.fix.edits[0].replacement == "build"


def test_unreachable_stage_message_says_how_to_build_and_silence_it() -> None:
    text = "FROM golang AS build\nFROM build AS test\nFROM alpine\nCOPY --from=build /a /b\n"
    (f,) = lint(text, "DSL110")
    assert f.span.line == 2
    assert "--target test" in f.message
    assert "# dslint ignore=DSL110" in f.message


def test_unreachable_stage_follows_the_target_setting() -> None:
    text = "FROM golang AS build\nFROM build AS test\nFROM alpine AS release\n"
    by_default = {f.span.line for f in lint(text, "DSL110")}
    assert by_default == {2}  # test; build is reported with it
    assert {f.span.line for f in lint(text, "DSL110", target="TEST")} == {3}
    assert lint(text, "DSL110", target="missing") == []


def test_reserved_name_is_a_warning_and_invalid_name_an_error() -> None:
    text = "FROM alpine AS scratch\nFROM alpine AS 2nd\n"
    found = [(f.span.line, f.severity) for f in lint(text, "DSL106")]
    assert found == [(1, Severity.WARNING), (2, Severity.ERROR)]


def test_no_error_from_these_rules_on_real_dockerfiles() -> None:
    """Real projects' Dockerfiles build: none of them may get an error from these rules."""
    files = [p for p in sorted(corpus_dir("real").iterdir()) if p.is_file()]
    codes = tuple(r.code for r in STAGE_RULES)
    errors = [
        f"{p.name}:{f.span.line} {f.code} {f.message}"
        for p in files
        for f in lint_text(
            p.read_bytes().decode("utf-8", "replace"), p.name, Settings(select=codes)
        )
        if f.severity is Severity.ERROR
    ]
    assert errors == []
