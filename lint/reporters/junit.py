"""``--format junit``: JUnit XML. One ``<testsuite>`` per linted file; each
finding is a failed ``<testcase>`` named ``CODE at line:col``; a clean file is
one passing test case."""

from __future__ import annotations

from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from dslint.reporters import FileResult


def render(results: list[FileResult], out: TextIO) -> None:
    total = sum(max(len(r.findings), 1) for r in results)
    failures = sum(len(r.findings) for r in results)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="dslint" tests="{total}" failures="{failures}" errors="0">\n')
    for r in results:
        n = len(r.findings)
        out.write(
            f'  <testsuite name={quoteattr(r.path)} tests="{max(n, 1)}" '
            f'failures="{n}" errors="0">\n'
        )
        if not r.findings:
            out.write(f'    <testcase name="dslint" classname={quoteattr(r.path)}/>\n')
        for f in r.findings:
            name = f"{f.code} {f.rule} at {f.span.line}:{f.span.column}"
            out.write(
                f"    <testcase name={quoteattr(name)} classname={quoteattr(r.path)} "
                f'file={quoteattr(r.path)} line="{f.span.line}">\n'
            )
            body = (
                f"{f.path}:{f.span.line}:{f.span.column}: {f.severity.label} {f.code} {f.message}"
            )
            if f.fix is not None:
                body += f"\nhelp: {f.fix.title}"
            out.write(
                f"      <failure type={quoteattr(f.severity.label)} "
                f"message={quoteattr(f.message)}>{escape(body)}</failure>\n"
            )
            out.write("    </testcase>\n")
        out.write("  </testsuite>\n")
    out.write("</testsuites>\n")
