"""Every output format on findings of every severity: golden files, and the
schemas and rules each consumer (GitHub, GitLab, CI) holds them to.

Regenerate the goldens after an intended change with
``DSLINT_UPDATE_GOLDENS=1 python -m pytest tests/test_reporters.py``.
"""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from reporter_cases import GOLDEN, SAMPLE_PATH, TEST_RULES, sample_results

from dslint import __version__
from dslint.reporters import (
    FORMATS,
    FileResult,
    checkstyle,
    concise,
    github,
    gitlab,
    junit,
    sarif,
    text,
)
from dslint.reporters import json as json_report
from dslint.rule import Severity

from conftest import SHARED

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
UPDATE = bool(os.environ.get("DSLINT_UPDATE_GOLDENS"))


def render(fmt: str, results: list[FileResult] | None = None) -> str:
    results = sample_results() if results is None else results
    out = io.StringIO()
    if fmt == "text":
        text.render(results, out, color=False)
    elif fmt == "sarif":
        sarif.render(results, out, rules=TEST_RULES)
    else:
        module = {
            "json": json_report,
            "github": github,
            "gitlab": gitlab,
            "checkstyle": checkstyle,
            "junit": junit,
            "concise": concise,
        }[fmt]
        module.render(results, out)
    return out.getvalue().replace(f'"{__version__}"', '"VERSION"')


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_matches_its_golden_file(fmt: str) -> None:
    golden = GOLDEN / f"report.{fmt}"
    got = render(fmt)
    if UPDATE:
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.name}: run with DSLINT_UPDATE_GOLDENS=1"
    assert got == golden.read_text(encoding="utf-8")


def test_the_sample_has_a_finding_of_every_severity() -> None:
    severities = {f.severity for r in sample_results() for f in r.findings}
    assert severities == set(Severity)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "text"])
def test_machine_formats_are_plain(fmt: str) -> None:
    got = render(fmt)
    assert "\x1b[" not in got
    assert "[bold]serve[/bold]" in got


def test_json_contract_is_unchanged() -> None:
    items = json.loads(render("json"))
    assert sorted(items[0]) == sorted(
        [
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "code",
            "rule",
            "severity",
            "message",
            "fix",
        ]
    )
    assert items[0]["fix"] == {
        "title": "pin golang:1.22 by digest",
        "safe": False,
        "edits": [
            {
                "line": 2,
                "column": 17,
                "end_line": 2,
                "end_column": 17,
                "replacement": "@sha256:0000",
            }
        ],
    }
    assert [i["severity"] for i in items] == ["warning", "info", "error", "style"]


# --- SARIF ---------------------------------------------------------------------


def sarif_schema() -> dict[str, Any]:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not here ({SARIF_SCHEMA} is absent)")
    return dict(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def validate_sarif(doc: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = sarif_schema()
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_is_valid_against_the_official_schema() -> None:
    validate_sarif(json.loads(render("sarif")))


def test_sarif_of_the_real_registry_is_valid_and_describes_every_rule() -> None:
    from dslint.rules import RULES

    doc = sarif.document(sample_results())
    validate_sarif(doc)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    for descriptor, rule in zip(rules, RULES, strict=True):
        assert descriptor["name"] == rule.name
        for key in ("shortDescription", "fullDescription", "help"):
            assert descriptor[key]["text"].strip(), f"{rule.code}: empty {key}"
        assert len(descriptor["fullDescription"]["text"]) <= 1024
        assert descriptor["defaultConfiguration"]["level"] == sarif.LEVELS[rule.severity]


def test_sarif_results_point_at_their_rule_and_region() -> None:
    doc = json.loads(render("sarif"))
    run = doc["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    levels = []
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == SAMPLE_PATH
        levels.append(res["level"])
    assert levels == ["warning", "note", "error", "note"]


# --- GitHub --------------------------------------------------------------------


def test_github_escapes_data_and_properties() -> None:
    assert github.escape_data("100%\r\nx") == "100%25%0D%0Ax"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    lines = render("github").splitlines()
    assert len(lines) == 4
    pattern = re.compile(
        r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
        r"title=[^,:]+::[^\r\n]*$"
    )
    for line in lines:
        assert pattern.match(line), line
    assert lines[0].startswith("::warning ")
    assert lines[2].startswith("::error ")
    assert lines[3].startswith("::notice ")
    assert "100%25 of builds" in lines[0]
    assert "two lines:%0Asecond line" in lines[1]


# --- GitLab --------------------------------------------------------------------

CODE_QUALITY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{32,64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "positions": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {
                                "type": "object",
                                "required": ["line"],
                                "properties": {"line": {"type": "integer", "minimum": 1}},
                            }
                        },
                    },
                },
            },
        },
    },
}


def test_gitlab_report_is_valid_code_quality_with_unique_fingerprints() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    items = json.loads(render("gitlab"))
    jsonschema.validate(items, CODE_QUALITY_SCHEMA)
    fingerprints = [i["fingerprint"] for i in items]
    assert len(set(fingerprints)) == len(fingerprints) == 4
    assert not render("gitlab").startswith("\ufeff")


def test_gitlab_fingerprints_are_stable_and_survive_moved_lines() -> None:
    first = json.loads(render("gitlab"))
    assert first == json.loads(render("gitlab"))
    moved = sample_results()
    r = moved[0]
    r.lines = ["# a new comment line", *r.lines]
    r.findings = [
        f.__class__(
            f.code,
            f.rule,
            f.severity,
            f.message,
            f.span._replace(line=f.span.line + 1, end_line=f.span.end_line + 1),
            f.path,
            f.fix,
        )
        for f in r.findings
    ]
    again = json.loads(render("gitlab", moved))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in first]


def test_gitlab_identical_findings_get_distinct_fingerprints() -> None:
    results = sample_results()
    results[0].findings = [results[0].findings[0]] * 3
    fingerprints = [i["fingerprint"] for i in json.loads(render("gitlab", results))]
    assert len(set(fingerprints)) == 3


# --- XML -----------------------------------------------------------------------


def test_checkstyle_is_well_formed_and_complete() -> None:
    root = ET.fromstring(render("checkstyle"))
    assert root.tag == "checkstyle"
    files = root.findall("file")
    assert [f.get("name") for f in files] == [SAMPLE_PATH, "clean/Dockerfile"]
    errors = files[0].findall("error")
    assert [e.get("source") for e in errors] == [
        "dslint.TST002",
        "dslint.TST003",
        "dslint.TST001",
        "dslint.TST004",
    ]
    assert errors[2].get("message", "").endswith('<a & b>, "quoted"')


def test_junit_is_well_formed_with_one_failure_per_finding() -> None:
    root = ET.fromstring(render("junit"))
    assert root.get("failures") == "4"
    suites = root.findall("testsuite")
    assert len(suites) == 2
    assert len(suites[0].findall("testcase/failure")) == 4
    assert len(suites[1].findall("testcase")) == 1
    assert suites[1].find("testcase/failure") is None


def test_concise_is_one_line_per_finding() -> None:
    lines = render("concise").splitlines()
    assert lines[2] == (
        f"{SAMPLE_PATH}:8:13: error TST001 COPY --from=biuld names no stage; did you mean "
        "'build'? <a & b>, \"quoted\""
    )
    assert len(lines) == 4


# --- text ----------------------------------------------------------------------


def test_text_underlines_the_span_and_shows_context_and_fix() -> None:
    out = render("text")
    block = out.split("\n\n")[2]
    assert block.splitlines() == [
        f"{SAMPLE_PATH}:8:13: error TST001 broken-thing: COPY --from=biuld names no stage; "
        "did you mean 'build'? <a & b>, \"quoted\"",
        "  |",
        "7 | FROM gcr.io/distroless/static AS runtime",
        "8 | COPY --from=biuld /out/app /app",
        "  |             ^^^^^",
        '9 | CMD ["/app", "[bold]serve[/bold]"]',
        "  = help: replace 'biuld' with 'build'",
    ]
    assert "Found 4 problems (1 error, 1 warning, 1 info, 1 style) in 1 of 2 files." in out
    assert "Run `dslint rule TST001`" in out


def test_text_summary_table_counts_per_file_and_severity() -> None:
    out = render("text")
    table = [
        line.split()
        for line in out.splitlines()
        if line.startswith(("file ", SAMPLE_PATH + " ", "total "))
    ]
    assert table == [
        ["file", "error", "warning", "info", "style", "total"],
        [SAMPLE_PATH, "1", "1", "1", "1", "4"],
        ["total", "1", "1", "1", "1", "4"],
    ]


def test_text_quiet_prints_only_findings() -> None:
    out = io.StringIO()
    text.render(sample_results(), out, quiet=True)
    assert "Found" not in out.getvalue() and "dslint rule" not in out.getvalue()
    assert out.getvalue().count(f"{SAMPLE_PATH}:") == 4
    clean = io.StringIO()
    text.render([FileResult("Dockerfile", [], ["FROM scratch"])], clean, quiet=True)
    assert clean.getvalue() == ""


def test_text_statistics_counts_per_code() -> None:
    results = sample_results()
    results[0].findings.append(results[0].findings[2])
    out = io.StringIO()
    text.render(results, out, show_statistics=True)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["count", "code", "name", "severity", "fixable"]
    assert lines[1].split() == ["2", "TST001", "broken-thing", "error", "yes"]
    assert "COPY --from" not in out.getvalue()


def test_rich_text_keeps_exec_form_and_colours() -> None:
    pytest.importorskip("rich")
    out = io.StringIO()
    text.render(sample_results(), out, color=True)
    got = out.getvalue()
    assert "\x1b[" in got
    plain = re.sub(r"\x1b\[[0-9;]*m", "", got)
    assert 'CMD ["/app", "[bold]serve[/bold]"]' in plain
    assert 'exec form ["/app", "[bold]serve[/bold]"] is fine' in plain
    assert "Found 4 problems" in plain


def test_text_without_colour_is_identical_whatever_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert render("text") == (GOLDEN / "report.text").read_text(encoding="utf-8")


def test_long_spans_show_their_first_line() -> None:
    results = sample_results()
    f = results[0].findings[0]
    results[0].findings = [
        f.__class__(
            f.code,
            f.rule,
            f.severity,
            "whole file",
            f.span._replace(line=1, column=1, end_line=9, end_column=38),
            f.path,
        )
    ]
    out = render("text", results)
    assert "… and 8 more lines, through line 9" in out
    assert out.count("^") == len("# syntax=docker/dockerfile:1")


def test_reporters_do_not_import_rich() -> None:
    import subprocess
    import sys

    code = (
        "import io, sys\n"
        "from dslint.reporters import concise, json, sarif, github, gitlab, checkstyle, junit, text\n"
        "text.render([], io.StringIO())\n"
        "sarif.render([], io.StringIO())\n"
        "print('rich' in sys.modules, 'networkx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_golden_folder_has_no_stray_files() -> None:
    names = {p.name for p in Path(GOLDEN).iterdir()}
    assert names == {"sample.Dockerfile", *(f"report.{f}" for f in FORMATS)}
