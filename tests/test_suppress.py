"""Suppression comments: dslint's own, hadolint's and BuildKit's check=skip."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dslint import rules as registry
from dslint.config import Settings
from dslint.engine import Context, lint_text
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl900_unused_suppression import UnusedSuppression


class EveryRun(Rule):
    """Test rule: flags the keyword of every RUN."""

    code = "TST101"
    name = "every-run"
    severity = Severity.WARNING
    hadolint = ("DL3001",)
    buildkit = ("JSONArgsRecommended",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword == "RUN":
                yield self.finding(ins.keyword_token.span, "a RUN")


class EveryCopy(Rule):
    """Test rule: flags the keyword of every COPY."""

    code = "TST102"
    name = "every-copy"
    severity = Severity.WARNING
    buildkit = ("CopyIgnoredFile",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword == "COPY":
                yield self.finding(ins.keyword_token.span, "a COPY")


@pytest.fixture(autouse=True)
def test_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "RULES", (*registry.RULES, EveryRun, EveryCopy))


def lint(text: str, *codes: str) -> list[tuple[int, str]]:
    settings = Settings(select=codes or ("TST", "DSL900"))
    return [(f.span.line, f.code) for f in lint_text(text, "Dockerfile", settings)]


def test_dslint_ignore_covers_the_instruction_below_all_its_lines() -> None:
    text = (
        "FROM alpine\n"
        "# dslint ignore=TST101 reason=the build needs it\n"
        "RUN echo a \\\n"
        "  && echo b\n"
        "RUN echo c\n"
    )
    assert lint(text) == [(5, "TST101")]


def test_several_comment_lines_above_and_several_codes() -> None:
    text = (
        "FROM alpine\n"
        "# dslint ignore=TST102, every-run\n"
        "# why: both are intended here\n"
        "RUN echo a\n"
        "COPY a b\n"
    )
    # TST101 is used; TST102 matched nothing on the RUN (DSL900), and the COPY stays
    got = lint(text)
    assert (4, "TST101") not in got
    assert (5, "TST102") in got
    assert (2, "DSL900") in got


def test_a_blank_line_detaches_the_suppression() -> None:
    text = "FROM alpine\n# dslint ignore=TST101\n\nRUN echo a\n"
    assert lint(text) == [(2, "DSL900"), (4, "TST101")]


def test_global_ignore_covers_the_file() -> None:
    text = "FROM alpine\nRUN a\nCOPY a b\nRUN b\n# dslint global ignore=TST101\n"
    assert lint(text) == [(3, "TST102")]


def test_hadolint_comments_map_through_the_rules_hadolint_codes() -> None:
    text = (
        "# hadolint global ignore=DL9999\n"
        "FROM alpine\n"
        "# hadolint ignore=DL3001,SC2086\n"
        "RUN a\n"
        "RUN b\n"
        "# hadolint ignore=DL3001\n"
        "COPY a b\n"
    )
    # unmapped codes and hadolint comments that match nothing are never reported
    assert lint(text) == [(5, "TST101"), (7, "TST102")]


def test_hadolint_global_ignore() -> None:
    assert lint("# hadolint global ignore=DL3001\nFROM alpine\nRUN a\n") == []


@pytest.mark.parametrize(
    ("directive", "left"),
    [
        ("# check=skip=JSONArgsRecommended", [(4, "TST102")]),
        ("# check=skip=CopyIgnoredFile,JSONArgsRecommended;error=true", []),
        ("# check=skip=all", []),
        ("# check=error=true", [(3, "TST101"), (4, "TST102")]),
        ("# check=skip=jsonargsrecommended", [(3, "TST101"), (4, "TST102")]),  # case-sensitive
    ],
)
def test_buildkit_check_skip_directive(directive: str, left: list[tuple[int, str]]) -> None:
    text = f"{directive}\nFROM alpine\nRUN a\nCOPY a b\n"
    assert lint(text) == left


def test_check_skip_is_only_a_directive_at_the_top() -> None:
    text = "FROM alpine\n# check=skip=all\nRUN a\n"
    assert lint(text) == [(3, "TST101")]


def test_syntax_errors_are_never_suppressed() -> None:
    text = "# dslint global ignore=DSL001\nFROM alpine\nRUN <<EOF\necho\n"
    got = lint(text, "DSL001", "DSL900")
    assert (3, "DSL001") in got
    assert (1, "DSL900") in got


def test_unused_suppression_messages() -> None:
    text = "FROM alpine\n# dslint ignore=TST101,TST102,nope\nRUN a\n# dslint ignore=DSL002\nRUN b\n"
    findings = lint_text(text, "Dockerfile", Settings(select=("TST101", "DSL900")))
    messages = {(f.span.line, f.span.column): f.message for f in findings if f.code == "DSL900"}
    assert messages == {
        (2, 24): "the suppression of TST102 every-copy has no effect: that rule is not enabled",
        (2, 31): "'nope' is not a dslint rule code or name",
        (4, 17): "the suppression of DSL002 unknown-target has no effect: that rule is not enabled",
    }
    fix = next(f.fix for f in findings if f.span.line == 2 and f.fix)
    assert fix.title == "remove TST102, nope from the suppression"
    assert [(e.span, e.replacement) for e in fix.edits] == [((2, 17, 2, 35), "TST101")]


def test_unused_suppression_fix_removes_a_comment_left_empty() -> None:
    text = "FROM alpine\n# dslint ignore=TST102\nRUN a\n"
    (finding,) = [
        f
        for f in lint_text(text, "Dockerfile", Settings(select=("TST", "DSL900")))
        if f.code == "DSL900"
    ]
    assert finding.message == (
        "the suppression of TST102 every-copy is unused: the rule reports nothing on the "
        "instruction below it"
    )
    assert finding.fix is not None
    assert [(e.span, e.replacement) for e in finding.fix.edits] == [((2, 1, 3, 1), "")]


def test_dsl900_runs_after_the_suppressions_and_can_be_silenced() -> None:
    assert UnusedSuppression.after_suppressions
    text = "# dslint global ignore=DSL900\nFROM alpine\n# dslint ignore=TST102\nRUN a\n"
    assert lint(text) == [(4, "TST101")]
