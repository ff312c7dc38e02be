"""Issue 7 (structural half): DSL401/402, DSL501/502, DSL631-635 and the mapping table."""

from __future__ import annotations

import re

import pytest

from dslint.config import Settings
from dslint.engine import lint_text
from dslint.rule import Finding, Rule
from dslint.rules import RULES

from conftest import ROOT, SHARED

OWN = ("DSL401", "DSL402", "DSL501", "DSL502", "DSL631", "DSL632", "DSL633", "DSL634", "DSL635")
OWN_RULES = [r for r in RULES if r.code in OWN]
MAPPING = ROOT / "docs" / "mapping.md"
_BLOCK = re.compile(r"## (Bad|Good)\s*\n\s*```dockerfile\n(.*?)```", re.S)


def lint(text: str, code: str, target: str | None = None) -> list[Finding]:
    return lint_text(text, "Dockerfile", Settings(select=(code,), target=target))


def test_all_own_rules_are_registered() -> None:
    assert sorted(r.code for r in OWN_RULES) == sorted(OWN)


@pytest.mark.parametrize("rule", OWN_RULES, ids=lambda r: r.code)
def test_docstring_bad_fires_and_good_does_not(rule: type[Rule]) -> None:
    doc = re.sub(r"(?m)^    ", "", rule.__doc__ or "")
    blocks = dict(_BLOCK.findall(doc))
    assert set(blocks) == {"Bad", "Good"}
    assert any(f.code == rule.code for f in lint(blocks["Bad"], rule.code))
    assert [f.message for f in lint(blocks["Good"], rule.code)] == []


@pytest.mark.parametrize("rule", OWN_RULES, ids=lambda r: r.code)
def test_every_origin_recorded_on_a_rule_is_in_the_mapping_table(rule: type[Rule]) -> None:
    rows = _rows()
    for origin in (*rule.hadolint, *rule.buildkit):
        assert rule.code in rows.get(origin, ""), f"{origin} should map to {rule.code}"


def _rows() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in MAPPING.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] and not set(cells[0]) <= set("-"):
            key = cells[0].split()[0]
            rows[key] = cells[1]
    return rows


def test_mapping_table_lists_every_hadolint_code_and_buildkit_check() -> None:
    research = SHARED / "research" / "rules.md"
    if not research.is_file():
        pytest.skip(f"the shared research is not here ({research} is absent)")
    text = research.read_text()
    hadolint_part = text.split("## 1. hadolint", 1)[1].split("## 2.", 1)[0]
    buildkit_part = text.split("## 2. Docker BuildKit build checks", 1)[1].split("## 3a.", 1)[0]
    hadolint = set(re.findall(r"^\| (DL\d{4}) \|", hadolint_part, re.M))
    buildkit = {
        m.split()[0]
        for m in re.findall(r"^\| ([A-Z][A-Za-z]+(?: \(experimental\))?) \|", buildkit_part, re.M)
    } - {"Rule"}
    assert len(hadolint) == 71 and len(buildkit) == 22
    rows = _rows()
    assert sorted(hadolint - set(rows)) == []
    assert sorted(buildkit - set(rows)) == []
    for key in hadolint | buildkit:
        assert rows[key], f"{key} has no dslint code and no reason"


# -- behaviour a user would notice --------------------------------------------


def test_relative_workdir_after_absolute_in_parent_stage_is_fine() -> None:
    text = "FROM alpine:3.20 AS base\nWORKDIR /srv\nFROM base\nWORKDIR app\n"
    assert lint(text, "DSL401") == []
    text = "FROM alpine:3.20 AS base\nRUN true\nFROM base\nWORKDIR app\n"
    [f] = lint(text, "DSL401")
    assert (f.span.line, f.span.column) == (4, 9)
    assert "alpine:3.20" in f.message


def test_copy_from_relative_source_names_the_absolute_path() -> None:
    text = (
        "FROM golang:1.22 AS build\nWORKDIR /src\nWORKDIR cmd\nRUN go build -o app\n"
        "FROM scratch\nCOPY --from=build app /app\n"
    )
    [f] = lint(text, "DSL402")
    assert "/src/cmd/app" in f.message and "'build'" in f.message
    assert (f.span.line, f.span.column) == (6, 19)


def test_mount_source_is_pointed_at() -> None:
    text = (
        "FROM golang:1.22 AS build\nWORKDIR /src\nRUN go build -o app\n"
        "FROM alpine:3.20\nRUN --mount=type=bind,from=build,source=app,target=/a /a\n"
    )
    [f] = lint(text, "DSL402")
    line = text.splitlines()[4]
    assert line[f.span.column - 1 : f.span.end_column - 1] == "app"
    assert "/src/app" in f.message


def test_untagged_image_is_not_reported_for_a_stage_shadowing_an_image_name() -> None:
    text = "FROM golang:1.22 AS node\nFROM node\nCOPY --from=node /go /go\n"
    assert lint(text, "DSL501") == []
    text = "FROM golang:1.22 AS build\nFROM node\n"
    [f] = lint(text, "DSL501")
    assert f.span.line == 2 and "node:latest" in f.message


def test_untagged_image_points_at_the_mount_value() -> None:
    text = "FROM alpine:3.20\nRUN --mount=from=busybox/tools,target=/t ls /t\n"
    [f] = lint(text, "DSL501")
    line = text.splitlines()[1]
    assert line[f.span.column - 1 : f.span.end_column - 1] == "busybox/tools"


def test_env_reference_points_at_the_variable() -> None:
    text = "FROM alpine:3.20\nENV DIR=/opt X=1 BIN=${DIR}/bin\n"
    [f] = lint(text, "DSL634")
    line = text.splitlines()[1]
    assert line[f.span.column - 1 : f.span.end_column - 1] == "${DIR}"
    assert "BIN" in f.message and "DIR" in f.message


def test_copy_relative_destination_follows_workdir_by_stage_not_by_image() -> None:
    text = "FROM debian:12 AS a\nWORKDIR /srv\nFROM debian:12\nCOPY x y\nFROM a\nCOPY x y\n"
    assert [f.span.line for f in lint(text, "DSL635")] == [4]


def test_expose_port_out_of_range_is_an_error() -> None:
    [f] = lint("FROM nginx:1.27\nEXPOSE 8080 99999/tcp\n", "DSL631")
    assert f.severity.label == "error" and "99999" in f.message


def test_readme_lists_own_rules_and_links_the_mapping() -> None:
    readme = (ROOT / "README.md").read_text()
    for code in OWN:
        assert f"| {code} |" in readme
    assert "docs/mapping.md" in readme


def _apply(text: str, f: Finding) -> str:
    assert f.fix is not None
    lines = text.split("\n")
    for edit in f.fix.edits:
        sp = edit.span
        assert sp.line == sp.end_line
        line = lines[sp.line - 1]
        lines[sp.line - 1] = line[: sp.column - 1] + edit.replacement + line[sp.end_column - 1 :]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("code", "text", "fixed_line", "safe"),
    [
        ("DSL632", "FROM alpine:3.20\nadd app.py /srv/\n", "copy app.py /srv/", False),
        ("DSL633", "FROM alpine:3.20\nCOPY a b /srv\n", "COPY a b /srv/", True),
        ("DSL633", 'FROM alpine:3.20\nCOPY a b "/srv"\n', 'COPY a b "/srv/"', True),
        (
            "DSL402",
            "FROM alpine:3.20 AS b\nWORKDIR /w\nFROM b\nCOPY --from=b out /o\n",
            "COPY --from=b /w/out /o",
            False,
        ),
    ],
)
def test_fixes_produce_the_intended_line(code: str, text: str, fixed_line: str, safe: bool) -> None:
    [f] = lint(text, code)
    assert f.fix is not None and f.fix.safe is safe
    fixed = _apply(text, f)
    assert fixed.splitlines()[-1] == fixed_line
    assert lint(fixed, code) == []
