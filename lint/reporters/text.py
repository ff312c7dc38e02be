"""``--format text``: findings with the source they point at, for people.

Plain text when piped, with ``NO_COLOR`` or ``--no-color``; colour through rich
only on a terminal. Source text is never read as rich markup.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from dslint.reporters import FileResult
from dslint.rule import Finding, Severity

STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
    Severity.STYLE: "magenta",
}


def _snippet(f: Finding, lines: list[str]) -> list[tuple[str, str, str]]:
    """(gutter, text, underline) rows for the finding's first line."""
    line_no = f.span.line
    if not 1 <= line_no <= len(lines):
        return []
    text = lines[line_no - 1].expandtabs(1)
    start = max(f.span.column - 1, 0)
    end = f.span.end_column - 1 if f.span.end_line == line_no else len(text)
    end = max(min(end, len(text)), start + 1)
    if len(text) > 200:  # keep long lines readable: show a window around the span
        lo = max(start - 40, 0)
        text = ("…" if lo else "") + text[lo : lo + 160] + "…"
        shift = lo - (1 if lo else 0)
        start, end = start - shift, min(end - shift, len(text))
    return [(str(line_no), text, " " * start + "^" * max(end - start, 1))]


def summary(results: list[FileResult]) -> str:
    counts = Counter(f.severity for r in results for f in r.findings)
    total = sum(counts.values())
    files = sum(1 for r in results if r.findings)
    errors = sum(1 for r in results if r.error)
    parts = [
        f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s != Severity.STYLE else ''}"
        for s in sorted(counts, reverse=True)
    ]
    checked = len(results)
    if total == 0:
        head = f"No problems found in {checked} file{'s' if checked != 1 else ''}."
    else:
        head = (
            f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
            f"in {files} of {checked} file{'s' if checked != 1 else ''}."
        )
    if errors:
        head += f" {errors} file{'s' if errors != 1 else ''} could not be linted."
    return head


def render(results: list[FileResult], out: TextIO, color: bool = False) -> None:
    if color:
        _render_rich(results, out)
        return
    for result in results:
        for f in result.findings:
            out.write(
                f"{f.path}:{f.span.line}:{f.span.column}: {f.severity.label} {f.code} {f.rule}: {f.message}\n"
            )
            for gutter, text, marks in _snippet(f, result.lines):
                pad = " " * len(gutter)
                out.write(f" {pad} |\n {gutter} | {text}\n {pad} | {marks}\n")
            if f.fix is not None:
                out.write(f"   = fix: {f.fix.title}\n")
            out.write("\n")
    out.write(summary(results) + "\n")
    if any(r.findings for r in results):
        out.write("Run `dslint rule CODE` to read a rule's documentation.\n")


def _render_rich(results: list[FileResult], out: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    for result in results:
        for f in result.findings:
            head = Text()
            head.append(f"{f.path}:{f.span.line}:{f.span.column}", style="bold")
            head.append(": ")
            head.append(f"{f.severity.label} {f.code}", style=STYLES[f.severity])
            head.append(f" {f.rule}", style="dim")
            head.append(": ")
            head.append(f.message)
            console.print(head)
            for gutter, text, marks in _snippet(f, result.lines):
                pad = " " * len(gutter)
                console.print(Text(f" {pad} |", style="blue"))
                row = Text(f" {gutter} | ", style="blue")
                row.append(text, style="")
                console.print(row)
                under = Text(f" {pad} | ", style="blue")
                under.append(marks, style=STYLES[f.severity])
                console.print(under)
            if f.fix is not None:
                console.print(Text(f"   = fix: {f.fix.title}", style="green"))
            console.print()
    console.print(Text(summary(results), style="bold"))
    if any(r.findings for r in results):
        console.print(Text("Run `dslint rule CODE` to read a rule's documentation.", style="dim"))
