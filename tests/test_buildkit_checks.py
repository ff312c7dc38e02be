"""The BuildKit build checks (DSL601-DSL614): documentation examples, metadata,
fixes and the --context option, as a user sees them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dslint.cli import main
from dslint.config import Settings
from dslint.engine import lint_text
from dslint.model import Span
from dslint.rule import Edit, Rule
from dslint.rules import RULES

from conftest import FIXTURES, ROOT
from expectations import settings_for

BUILDKIT_RULES = [r for r in RULES if r.code.startswith("DSL6") and r.buildkit]
_BLOCK = re.compile(r"```dockerfile\n(.*?)```", re.DOTALL)


def _example(rule: type[Rule], section: str) -> str:
    doc = rule.__doc__ or ""
    part = doc.split(f"## {section}", 1)[1]
    match = _BLOCK.search(part)
    assert match, f"{rule.code} has no {section} example"
    lines = match.group(1).splitlines()
    indent = min(len(x) - len(x.lstrip()) for x in lines if x.strip())
    return "\n".join(x[indent:] for x in lines) + "\n"


@pytest.mark.parametrize("rule", BUILDKIT_RULES, ids=lambda r: r.code)
def test_bad_example_fires_and_good_example_does_not(
    rule: type[Rule], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # DSL614's examples name their context relative to the repo
    for section, want in (("Bad", True), ("Good", False)):
        text = _example(rule, section)
        settings = settings_for(text, (rule.code,))
        codes = {f.code for f in lint_text(text, "Dockerfile", settings)}
        assert (rule.code in codes) is want, f"{rule.code} {section} example"


def test_each_buildkit_check_is_one_rule() -> None:
    names = [n for r in RULES for n in r.buildkit]
    assert len(names) == len(set(names))
    expected = {
        "FromAsCasing",
        "NoEmptyContinuation",
        "ConsistentInstructionCasing",
        "JSONArgsRecommended",
        "MaintainerDeprecated",
        "MultipleInstructionsDisallowed",
        "LegacyKeyValueFormat",
        "FromPlatformFlagConstDisallowed",
        "RedundantTargetPlatform",
        "SecretsUsedInArgOrEnv",
        "ExposeProtoCasing",
        "ExposeInvalidFormat",
        "InvalidDefinitionDescription",
        "CopyIgnoredFile",
    }
    assert expected <= set(names)


def test_definition_description_is_off_unless_selected() -> None:
    text = "# Compiles things\nFROM alpine:3.20 AS build\n"
    assert not [f for f in lint_text(text) if f.code == "DSL613"]
    picked = lint_text(text, settings=Settings(extend_select=("DSL613",)))
    assert [f.code for f in picked if f.code.startswith("DSL6")] == ["DSL613"]


def _apply(text: str, edits: tuple[Edit, ...]) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        s: Span = edit.span
        assert s.line == s.end_line
        row = lines[s.line - 1]
        lines[s.line - 1] = row[: s.column - 1] + edit.replacement + row[s.end_column - 1 :]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("DSL601", "FROM alpine:3.20 as build\n", "FROM alpine:3.20 AS build\n"),
        (
            "DSL603",
            "FROM alpine:3.20\nrun true\nRUN false\n",
            "FROM alpine:3.20\nRUN true\nRUN false\n",
        ),
        ("DSL607", "FROM alpine:3.20\nENV A b c\n", 'FROM alpine:3.20\nENV A="b c"\n'),
        ("DSL607", "FROM alpine:3.20\nENV P /x:$P\n", "FROM alpine:3.20\nENV P=/x:$P\n"),
        (
            "DSL609",
            "FROM --platform=$TARGETPLATFORM alpine:3.20\n",
            "FROM alpine:3.20\n",
        ),
        ("DSL611", "FROM alpine:3.20\nEXPOSE 53/UDP\n", "FROM alpine:3.20\nEXPOSE 53/udp\n"),
    ],
)
def test_fix_gives_the_corrected_file(code: str, before: str, after: str) -> None:
    findings = list(lint_text(before, settings=Settings(select=(code,))))
    assert len(findings) == 1 and findings[0].fix is not None
    fixed = _apply(before, findings[0].fix.edits)
    assert fixed == after
    assert not lint_text(fixed, settings=Settings(select=(code,)))


def test_legacy_value_with_quotes_gets_no_fix() -> None:
    text = 'FROM alpine:3.20\nENV GREETING "hello" world\n'
    (finding,) = lint_text(text, settings=Settings(select=("DSL607",)))
    assert finding.fix is None


def test_secret_env_outside_the_shipped_image_is_info() -> None:
    text = "FROM alpine:3.20 AS build\nENV DB_PASSWORD=x\nFROM alpine:3.20\nENV API_TOKEN=y\n"
    only = Settings(select=("DSL610",))
    found = {f.span.line: f.severity.label for f in lint_text(text, settings=only)}
    assert found == {2: "info", 4: "warning"}
    # Judged for the build stage as the target, its ENV ships.
    built = lint_text(text, settings=Settings(select=("DSL610",), target="build"))
    assert {f.span.line: f.severity.label for f in built}[2] == "warning"


def test_shell_inherited_from_a_parent_stage_silences_shell_form(tmp_path: Path) -> None:
    text = (
        'FROM alpine:3.20 AS base\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\n'
        "FROM base\nCMD echo hi\n"
        "FROM alpine:3.20\nCMD echo hi\n"
    )
    found = [f.span.line for f in lint_text(text) if f.code == "DSL604"]
    assert found == [6]


CONTEXT = FIXTURES / "DSL614" / "context"


def test_context_option_enables_the_dockerignore_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\nCOPY secrets.env /app/\n")
    assert main([str(dockerfile), "--select", "DSL614", "--no-color"]) == 0
    assert "DSL614" not in capsys.readouterr().out
    code = main([str(dockerfile), "--select", "DSL614", "--no-color", "--context", str(CONTEXT)])
    out = capsys.readouterr().out
    assert code == 1
    assert "secrets.env" in out and "*.env" in out


def test_context_must_be_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    assert main([str(dockerfile), "--context", str(tmp_path / "missing")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_exception_in_dockerignore_keeps_a_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "app.yml").write_text("a: 1\n")
    (tmp_path / "conf" / "local.yml").write_text("a: 2\n")
    (tmp_path / ".dockerignore").write_text("conf/*.yml\n!conf/app.yml\n")
    settings = Settings(select=("DSL614",), context=str(tmp_path))
    text = (
        "FROM alpine:3.20\nCOPY conf/app.yml /etc/\nCOPY conf/local.yml /etc/\n"
        "COPY conf /etc/conf\nCOPY conf/*.yml /etc/\n"
    )
    lines = [f.span.line for f in lint_text(text, str(tmp_path / "Dockerfile"), settings)]
    assert lines == [3]
