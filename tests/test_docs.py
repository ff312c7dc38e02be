"""Rule documentation: every docstring is well formed, its examples behave as
they say, docs/rules/ is current, and the `rule`/`rules` subcommands print it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from dslint import docs
from dslint.config import Settings
from dslint.engine import lint_text
from dslint.rule import Rule
from dslint.rules import RULES

from conftest import ROOT


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_summary_why_bad_good(rule: type[Rule]) -> None:
    assert docs.problems(rule) == []


def _examples(rule: type[Rule], section: str) -> list[str]:
    blocks = [
        code for lang, code in docs.parse(rule).blocks.get(section, []) if lang == "dockerfile"
    ]
    assert blocks, f"{rule.code}: no dockerfile example in ## {section}"
    return blocks


def _lint(rule: type[Rule], code: str) -> list[str]:
    opts = docs.example_options(code)
    settings = Settings(select=(rule.code,), target=opts.get("target"), context=opts.get("context"))
    return [f.code for f in lint_text(code, "Dockerfile", settings)]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_makes_the_rule_fire(rule: type[Rule]) -> None:
    for example in _examples(rule, "Bad"):
        assert rule.code in _lint(rule, example), f"{rule.code} does not fire on:\n{example}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_good_example_does_not_make_the_rule_fire(rule: type[Rule]) -> None:
    for example in _examples(rule, "Good"):
        assert rule.code not in _lint(rule, example), f"{rule.code} fires on:\n{example}"


def test_docstring_checks_catch_a_malformed_docstring() -> None:
    class Sloppy(Rule):
        """no full stop

        ## Good
        ```
        FROM scratch
        ```

        ## Why
        """

        code = "DSL998"
        name = "sloppy"

    got = docs.problems(Sloppy)
    assert "the summary line is not a sentence ending with '.'" in got
    assert "no '## Bad' section" in got
    assert "the Good section has no ```dockerfile block" in got
    assert "the Why section is empty" in got


def test_example_options_line() -> None:
    assert docs.example_options("# dslint-options: target=runtime\nFROM x\n") == {
        "target": "runtime"
    }
    assert docs.example_options("FROM x\n# dslint-options: target=y\n") == {}


def test_generated_docs_are_current() -> None:
    folder = ROOT / "docs" / "rules"  # the checkout's, wherever dslint is installed
    stale = docs.stale(folder, RULES)
    assert not stale, f"stale rule docs {stale}: run `python -m dslint.docs`"


def test_docs_command_writes_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "rules"
    cmd = [sys.executable, "-m", "dslint.docs", "--out", str(out)]
    check = subprocess.run([*cmd, "--check"], capture_output=True, text=True)
    assert check.returncode == 1 and "stale rule docs" in check.stdout
    subprocess.run(cmd, check=True, capture_output=True)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{r.code}.md" for r in RULES] + ["README.md"]
    )
    (out / "DSL000.md").write_text("a page of a rule that is gone\n")
    assert subprocess.run([*cmd, "--check"], capture_output=True).returncode == 1
    subprocess.run(cmd, check=True, capture_output=True)
    assert not (out / "DSL000.md").exists()
    assert subprocess.run([*cmd, "--check"], capture_output=True).returncode == 0


def test_rule_page_has_the_facts_and_the_docstring() -> None:
    rule = RULES[0]
    page = docs.page(rule)
    assert page.startswith(f"# {rule.code} {rule.name}\n")
    assert f"default severity: **{rule.severity.label}**" in page
    assert "## Why" in page and "```dockerfile" in page


def run(name: str, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    function = {"rule": docs.cmd_rule, "rules": docs.cmd_rules}[name]
    return function(argv, out, err), out.getvalue(), err.getvalue()


def test_rule_subcommand_prints_the_page_plain_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out, _ = run("rule", ["dsl002"])
    assert code == 0
    assert out == docs.page(RULES[1])
    code, by_name, _ = run("rule", ["unknown-target"])
    assert by_name == out


def test_rule_subcommand_renders_markdown_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, out, _ = run("rule", ["DSL002"])
    assert code == 0
    assert "\x1b[" in out
    assert "## Why" not in out  # headings are rendered, not printed as Markdown


def test_rule_subcommand_unknown_code() -> None:
    code, out, err = run("rule", ["DSL0002"])
    assert code == 2 and out == ""
    assert "no rule 'DSL0002'; did you mean" in err


def test_rules_subcommand_lists_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out, _ = run("rules", [])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["code", "name", "severity", "fixable"]
    assert [line.split()[0] for line in lines[1:]] == [r.code for r in RULES]
    for line, rule in zip(lines[1:], RULES, strict=True):
        assert line.split()[1:3] == [rule.name, rule.severity.label]
    import json

    code, js, _ = run("rules", ["--format", "json"])
    items = json.loads(js)
    assert [(i["code"], i["fixable"]) for i in items] == [(r.code, r.fixable) for r in RULES]
