"""Report formats. ``text`` is for people; the others are for machines and
never go through rich. Every reporter is a pure function of the results:
``module.render(results, out)`` writes the report to ``out``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from dslint.rule import Finding, Severity


@dataclass(slots=True)
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # source lines, for snippets
    error: str | None = None  # the file could not be read or linted
    fail_level: Severity | None = Severity.WARNING  # from the file's settings


# format name -> module under dslint.reporters
MODULES = {
    "text": "text",
    "concise": "concise",
    "json": "json",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "checkstyle": "checkstyle",
    "junit": "junit",
}
FORMATS = tuple(MODULES)


def posix_path(path: str) -> str:
    """The path as machines want it: ``/`` separators, no leading ``./``."""
    text = path.replace(os.sep, "/") if os.sep != "/" else path
    while text.startswith("./"):
        text = text[2:]
    return text


def source_line(result: FileResult, line: int) -> str:
    return result.lines[line - 1] if 0 < line <= len(result.lines) else ""
