"""``--format checkstyle``: Checkstyle XML, one ``<file>`` per linted file and
one ``<error>`` per finding (``source`` is ``dslint.CODE``)."""

from __future__ import annotations

from typing import TextIO
from xml.sax.saxutils import quoteattr

from dslint.reporters import FileResult
from dslint.rule import Severity

LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "info",
    Severity.STYLE: "info",
}


def render(results: list[FileResult], out: TextIO) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n')
    for r in results:
        if not r.findings:
            out.write(f"  <file name={quoteattr(r.path)}/>\n")
            continue
        out.write(f"  <file name={quoteattr(r.path)}>\n")
        for f in r.findings:
            out.write(
                f'    <error line="{f.span.line}" column="{f.span.column}" '
                f'severity="{LEVELS[f.severity]}" message={quoteattr(f.message)} '
                f"source={quoteattr('dslint.' + f.code)}/>\n"
            )
        out.write("  </file>\n")
    out.write("</checkstyle>\n")
