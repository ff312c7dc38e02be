"""Report formats. ``text`` is for people; the others are for machines and
never go through rich."""

from __future__ import annotations

from dataclasses import dataclass, field

from dslint.rule import Finding


@dataclass(slots=True)
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # source lines, for snippets
    error: str | None = None  # the file could not be read or linted


FORMATS = ("text", "json")
