"""Suppression comments, applied by the engine after the rules ran.

A Dockerfile comment is a whole line starting with ``#`` (a ``#`` later on a
line belongs to the arguments), so suppressions sit on the line(s) above:

- ``# dslint ignore=DSL110,DSL304`` on a comment line directly above an
  instruction (no blank line between) covers that instruction, all its lines;
- ``# dslint global ignore=DSL110`` anywhere covers the whole file;
- either may end with ``reason=...`` (or ``;reason=...``); codes may also be
  written as rule names (``ignore=unknown-target``).

For migration, dslint also honours ``# hadolint ignore=DL3022`` and
``# hadolint global ignore=...`` (mapped through each rule's ``hadolint``
codes), and BuildKit's ``# check=skip=Name1,Name2`` / ``skip=all`` directive
(mapped through each rule's ``buildkit`` names). Syntax errors (DSL001) are
never suppressed: BuildKit rejects the file whatever a comment says.

DSL900 reports dslint's own suppressions that matched nothing; hadolint and
BuildKit comments are also read by those tools, so they are never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from dslint.model import Dockerfile, Span
from dslint.rule import Finding, Rule

UNSUPPRESSIBLE = frozenset({"DSL001"})

_DSLINT = re.compile(
    r"^\s*#\s*dslint\s*:?\s+(?P<global>global\s+)?ignore\s*=\s*"
    r"(?P<codes>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)(?P<rest>.*)$",
    re.IGNORECASE,
)
_HADOLINT = re.compile(
    r"^\s*#\s*hadolint\s+(?P<global>global\s+)?ignore\s*=\s*"
    r"(?P<codes>[A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)(?P<rest>.*)$",
)
_REASON = re.compile(r"^[\s;]*reason\s*=\s*(?P<reason>.*?)\s*$", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z0-9_-]+")

Kind = Literal["dslint", "hadolint", "buildkit"]


@dataclass(eq=False)
class Entry:
    """One code as written in a suppression, with the dslint codes it covers."""

    text: str
    span: Span
    codes: frozenset[str]  # empty: an unknown code or a code dslint does not map
    used: bool = False


@dataclass(eq=False)
class Suppression:
    kind: Kind
    span: Span  # the comment (or directive) line
    entries: list[Entry]
    lines: tuple[int, int] | None  # first and last line covered; None: the whole file
    reason: str | None = None
    attached: bool = True  # False: an instruction suppression above no instruction

    @property
    def is_global(self) -> bool:
        return self.lines is None

    def covers(self, finding: Finding) -> bool:
        if not self.attached:
            return False
        if self.lines is None:
            return True
        first, last = self.lines
        return first <= finding.span.line <= last


@dataclass(eq=False)
class Suppressions:
    items: list[Suppression] = field(default_factory=list)

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings no suppression covers; marks the entries that matched."""
        kept: list[Finding] = []
        for finding in findings:
            suppressed = False
            if finding.code not in UNSUPPRESSIBLE:
                for item in self.items:
                    if not item.covers(finding):
                        continue
                    for entry in item.entries:
                        if finding.code in entry.codes:
                            entry.used = suppressed = True
            if not suppressed:
                kept.append(finding)
        return kept

    def own(self) -> Iterator[Suppression]:
        return (s for s in self.items if s.kind == "dslint")


def _mapping(
    rules: Iterable[type[Rule]],
) -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    names: dict[str, str] = {}
    hadolint: dict[str, set[str]] = {}
    buildkit: dict[str, set[str]] = {}
    for rule in rules:
        names[rule.name] = rule.code
        for code in rule.hadolint:
            hadolint.setdefault(code.upper(), set()).add(rule.code)
        for name in rule.buildkit:
            buildkit.setdefault(name, set()).add(rule.code)
    return names, hadolint, buildkit


def _entries(line_text: str, line: int, start: int, end: int) -> list[tuple[str, Span]]:
    """The comma-separated words of ``line_text[start:end]`` with their spans."""
    return [
        (m.group(), Span(line, m.start() + 1, line, m.end() + 1))
        for m in _CODE.finditer(line_text, start, end)
    ]


def _reason(rest: str) -> str | None:
    m = _REASON.match(rest)
    if m:
        return m.group("reason") or None
    text = rest.strip().lstrip("#;").strip()
    return text or None


def collect(df: Dockerfile, rules: Iterable[type[Rule]] | None = None) -> Suppressions:
    """Every suppression comment and directive of ``df``."""
    if rules is None:
        from dslint.rules import RULES

        rules = RULES
    names, hadolint, buildkit = _mapping(rules)
    known = set(names.values())

    # instruction whose comment block a line belongs to: walk down from each
    # comment over contiguous comment lines to the instruction that follows
    comment_lines = {c.span.line for c in df.comments}
    starts = {ins.span.line: ins for ins in df.instructions}

    def covered(line: int) -> tuple[int, int] | None:
        n = line
        while n in comment_lines:
            n += 1
        ins = starts.get(n)
        return None if ins is None else (ins.span.line, ins.span.end_line)

    result = Suppressions()
    for comment in df.comments:
        line = comment.span.line
        text = df.lines[line - 1] if 0 < line <= len(df.lines) else comment.text
        for kind, pattern in (("dslint", _DSLINT), ("hadolint", _HADOLINT)):
            m = pattern.match(text)
            if not m:
                continue
            entries = []
            for word, span in _entries(text, line, m.start("codes"), m.end("codes")):
                if kind == "dslint":
                    upper = word.upper()
                    code = names.get(word.lower(), upper)
                    codes = frozenset({code}) if code in known else frozenset()
                else:
                    codes = frozenset(hadolint.get(word.upper(), ()))
                entries.append(Entry(word, span, codes))
            lines = None if m.group("global") else covered(line)
            result.items.append(
                Suppression(
                    kind="dslint" if kind == "dslint" else "hadolint",
                    span=comment.span,
                    entries=entries,
                    lines=lines,
                    reason=_reason(m.group("rest")),
                    attached=bool(m.group("global")) or lines is not None,
                )
            )
            break
    directive = df.directive("check")
    if directive is not None:
        result.items.extend(_check_directive(df, directive.span, buildkit))
    return result


def _check_directive(
    df: Dockerfile, span: Span, buildkit: dict[str, set[str]]
) -> list[Suppression]:
    """BuildKit's ``# check=skip=A,B;error=true``: names are case-sensitive."""
    text = df.lines[span.line - 1] if 0 < span.line <= len(df.lines) else ""
    m = re.search(r"\bskip\s*=\s*([^;]*)", text)
    if not m:
        return []
    entries = []
    for word, word_span in _entries(text, span.line, m.start(1), m.end(1)):
        if word.lower() == "all":
            codes = frozenset(c for group in buildkit.values() for c in group)
        else:
            codes = frozenset(buildkit.get(word, ()))
        entries.append(Entry(word, word_span, codes))
    return [Suppression(kind="buildkit", span=span, entries=entries, lines=None)]
