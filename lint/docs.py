"""Rule documentation, taken from each rule's class docstring.

``python -m dslint.docs`` writes ``docs/rules/DSLnnn.md`` for every rule and
``docs/rules/README.md`` with the index; ``python -m dslint.docs --check`` exits 1
when the committed files are stale (a test runs it). ``dslint rule CODE`` prints
the same page in the terminal and ``dslint rules`` lists the rules.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from dslint.rule import Rule

REQUIRED_SECTIONS = ("Why", "Bad", "Good")
_FENCE = re.compile(r"^```(\w*)\s*$")
_OPTIONS = re.compile(r"^\s*#\s*dslint-options:\s*(.+?)\s*$")


@dataclass(slots=True)
class RuleDoc:
    summary: str
    body: str  # the Markdown after the summary line
    sections: dict[str, str] = field(default_factory=dict)  # "Why" -> its Markdown
    # "Bad"/"Good" -> (language, code) of each fenced block in that section
    blocks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def text(self, section: str) -> str:
        """A section as plain text: paragraphs joined, code marks dropped."""
        raw = self.sections.get(section, "")
        paragraphs = [" ".join(p.split()) for p in raw.split("\n\n") if p.strip()]
        return "\n\n".join(p.replace("`", "") for p in paragraphs)


def parse(rule: type[Rule]) -> RuleDoc:
    doc = inspect.cleandoc(rule.__doc__ or "")
    summary, _, body = doc.partition("\n")
    result = RuleDoc(summary.strip(), body.strip())
    current: str | None = None
    lines: list[str] = []
    fence: tuple[str, list[str]] | None = None

    def close() -> None:
        if current is not None:
            result.sections[current] = "\n".join(lines).strip()

    for line in body.splitlines():
        if fence is None and line.startswith("## "):
            close()
            current, lines = line[3:].strip(), []
            result.blocks.setdefault(current, [])
            continue
        lines.append(line)
        m = _FENCE.match(line.strip())
        if m and fence is None:
            fence = (m.group(1), [])
        elif line.strip() == "```" and fence is not None:
            if current is not None:
                result.blocks[current].append((fence[0], "\n".join(fence[1]) + "\n"))
            fence = None
        elif fence is not None:
            fence[1].append(line)
    close()
    return result


def problems(rule: type[Rule]) -> list[str]:
    """What is wrong with a rule's docstring (empty when it is well formed)."""
    doc = parse(rule)
    out = []
    if not doc.summary:
        out.append("no summary line")
    elif not doc.summary.endswith("."):
        out.append("the summary line is not a sentence ending with '.'")
    order = [s for s in doc.sections if s in REQUIRED_SECTIONS]
    out.extend(f"no '## {s}' section" for s in REQUIRED_SECTIONS if s not in doc.sections)
    if order != [s for s in REQUIRED_SECTIONS if s in doc.sections]:
        out.append("sections are not in the order Why, Bad, Good")
    if doc.sections.get("Why", "x").strip() == "":
        out.append("the Why section is empty")
    out.extend(
        f"the {section} section has no ```dockerfile block"
        for section in ("Bad", "Good")
        if section in doc.sections
        and not any(lang == "dockerfile" for lang, _ in doc.blocks.get(section, []))
    )
    return out


def example_options(code: str) -> dict[str, str]:
    """``# dslint-options: target=NAME`` on the first line of an example."""
    first = code.splitlines()[0] if code else ""
    m = _OPTIONS.match(first)
    if not m:
        return {}
    return dict(item.partition("=")[::2] for item in m.group(1).split())


def severity_label(rule: type[Rule]) -> str:
    return rule.severity.label


def page(rule: type[Rule]) -> str:
    """The Markdown page of one rule."""
    doc = parse(rule)
    facts = [
        f"default severity: **{severity_label(rule)}**",
        "enabled by default" if rule.enabled_by_default else "off by default (select it)",
        "fixable" if rule.fixable else "not fixable",
    ]
    lines = [f"# {rule.code} {rule.name}", "", doc.summary, "", "- " + "\n- ".join(facts)]
    if rule.buildkit:
        lines.append("- BuildKit check: " + ", ".join(f"`{n}`" for n in rule.buildkit))
    if rule.hadolint:
        lines.append("- hadolint: " + ", ".join(f"`{c}`" for c in rule.hadolint))
    options = rule.options
    if options:
        lines.append(
            "- options (`[tool.dslint.options."
            + rule.code
            + "]`): "
            + ", ".join(f"`{name}` (default `{value!r}`)" for name, value in options.items())
        )
    lines += ["", doc.body, ""]
    return "\n".join(lines)


def index(rules: Iterable[type[Rule]]) -> str:
    lines = [
        "# dslint rules",
        "",
        "Generated from the rules' docstrings by `python -m dslint.docs`; do not edit.",
        "",
        "| code | name | default severity | fixable | summary |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        summary = parse(rule).summary.replace("|", "\\|")
        default = severity_label(rule) + ("" if rule.enabled_by_default else " (off)")
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | {rule.name} | {default} | "
            f"{'yes' if rule.fixable else ''} | {summary} |"
        )
    return "\n".join(lines) + "\n"


def pages(rules: Iterable[type[Rule]]) -> dict[str, str]:
    """File name -> content of every generated file."""
    rules = list(rules)
    out = {f"{rule.code}.md": page(rule) for rule in rules}
    out["README.md"] = index(rules)
    return out


def default_dir() -> Path:
    """``docs/rules`` of the source checkout: the one this module comes from in an
    editable install, else the current folder's (run it from the repository root)."""
    beside = Path(__file__).resolve().parent.parent / "docs" / "rules"
    return beside if beside.is_dir() else Path.cwd() / "docs" / "rules"


def stale(folder: Path, rules: Iterable[type[Rule]]) -> list[str]:
    """Generated files that are missing or differ, and stray rule pages."""
    wanted = pages(rules)
    out = [
        name
        for name, text in wanted.items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]
    if folder.is_dir():
        out += sorted(p.name for p in folder.glob("DSL*.md") if p.name not in wanted)
    return out


def write(folder: Path, rules: Iterable[type[Rule]]) -> list[str]:
    rules = list(rules)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = pages(rules)
    changed = stale(folder, rules)
    for p in folder.glob("DSL*.md"):
        if p.name not in wanted:
            p.unlink()
    for name, text in wanted.items():
        (folder / name).write_text(text, encoding="utf-8")
    return changed


def _rules() -> tuple[type[Rule], ...]:
    from dslint.rules import RULES

    return RULES


def _on_terminal(out: TextIO) -> bool:
    import os

    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(out, "isatty") and out.isatty()


def find(text: str) -> type[Rule] | None:
    """A rule by code (any case) or name."""
    key = text.strip()
    for rule in _rules():
        if rule.code == key.upper() or rule.name == key.lower():
            return rule
    return None


def cmd_rule(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """``dslint rule CODE|NAME``: a rule's documentation (rich Markdown on a
    terminal, the Markdown text otherwise)."""
    p = argparse.ArgumentParser(prog="dslint rule", description="Show a rule's documentation.")
    p.add_argument("rule", metavar="CODE", help="a rule code (DSL101) or name")
    p.add_argument("--no-color", action="store_true", help="print plain Markdown")
    args = p.parse_args(list(argv))
    rule = find(args.rule)
    if rule is None:
        import difflib

        names = [r.code for r in _rules()] + [r.name for r in _rules()]
        close = difflib.get_close_matches(args.rule, names, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; `dslint rules` lists them"
        err.write(f"dslint: no rule {args.rule!r}{hint}\n")
        return 2
    text = page(rule)
    if args.no_color or not _on_terminal(out):
        out.write(text)
        return 0
    from rich.console import Console
    from rich.markdown import Markdown

    Console(file=out, force_terminal=True, highlight=False, emoji=False).print(
        Markdown(text, code_theme="ansi_dark")
    )
    return 0


def cmd_rules(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """``dslint rules``: every rule with its code, name, default severity and
    whether it is fixable."""
    p = argparse.ArgumentParser(prog="dslint rules", description="List the rules.")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--no-color", action="store_true")
    args = p.parse_args(list(argv))
    rules = _rules()
    if args.format == "json":
        import json

        items = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.label,
                "enabled_by_default": r.enabled_by_default,
                "fixable": r.fixable,
                "summary": parse(r).summary,
                "buildkit": list(r.buildkit),
                "hadolint": list(r.hadolint),
            }
            for r in rules
        ]
        json.dump(items, out, indent=2)
        out.write("\n")
        return 0
    rows = [["code", "name", "severity", "fixable", "summary"]]
    for r in rules:
        severity = r.severity.label + ("" if r.enabled_by_default else " (off)")
        rows.append([r.code, r.name, severity, "yes" if r.fixable else "", parse(r).summary])
    if args.no_color or not _on_terminal(out):
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [c.ljust(w) for c, w in zip(row[:4], widths, strict=True)]
            out.write(("  ".join(cells) + "  " + row[4]).rstrip() + "\n")
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name in rows[0]:
        table.add_column(name, style="bold" if name == "code" else None)
    for row in rows[1:]:
        table.add_row(*(Text(c) for c in row))
    Console(file=out, force_terminal=True, markup=False, highlight=False, emoji=False).print(table)
    out.write("Run `dslint rule CODE` to read a rule's documentation.\n")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    p = argparse.ArgumentParser(
        prog="python -m dslint.docs", description="Generate docs/rules/ from the rule docstrings."
    )
    p.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    p.add_argument("--out", type=Path, default=None, help="folder (default: docs/rules)")
    args = p.parse_args(argv)
    folder = args.out or default_dir()
    rules = _rules()
    if args.check:
        bad = stale(folder, rules)
        if bad:
            out.write(f"{folder}: stale rule docs: {', '.join(bad)}; run `python -m dslint.docs`\n")
            return 1
        out.write(f"{folder}: rule docs are up to date\n")
        return 0
    changed = write(folder, rules)
    out.write(f"{folder}: wrote {len(rules) + 1} files ({len(changed)} changed)\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
