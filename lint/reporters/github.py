"""``--format github``: GitHub Actions workflow commands, one annotation per
finding (``::error file=,line=,col=,endLine=,endColumn=,title=::message``).

Escaping follows the Actions toolkit: in the message ``%``, CR and LF; in
property values also ``:`` and ``,``. Errors are ``error``, warnings
``warning``, info and style ``notice``.
"""

from __future__ import annotations

from typing import TextIO

from dslint.reporters import FileResult, posix_path
from dslint.rule import Severity

COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.STYLE: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(results: list[FileResult], out: TextIO) -> None:
    for r in results:
        for f in r.findings:
            s = f.span
            props = {
                "file": posix_path(f.path),
                "line": str(s.line),
                "col": str(s.column),
                "endLine": str(s.end_line),
                "endColumn": str(s.end_column),
                "title": f"dslint {f.code} {f.rule}",
            }
            joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
            message = f"{f.severity.label} {f.code}: {f.message}"
            if f.fix is not None:
                message += f"\nhelp: {f.fix.title}"
            out.write(f"::{COMMANDS[f.severity]} {joined}::{escape_data(message)}\n")
