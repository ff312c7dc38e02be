"""``--format text``: findings with the source they point at, for people.

Each finding: ``path:line:col: severity CODE name: message``, the source lines
with the exact span underlined and one line of context either side, and the
fix title; then a table per file and severity, a summary line and how to read
a rule's docs. Plain text when piped, with ``NO_COLOR`` or ``--no-color``;
colour through rich only on a terminal. Source text is never read as rich
markup (``CMD ["app"]`` stays as written).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from dslint.reporters import FileResult
from dslint.rule import Finding, Severity

if TYPE_CHECKING:
    from rich.console import Console

STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
    Severity.STYLE: "magenta",
}
ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.STYLE)
CONTEXT = 1  # lines shown before and after the span
MAX_SPAN_LINES = 4  # a longer span shows its first lines and how many were left out
WIDE = 200  # longer lines are shown as a window around the span


@dataclass(frozen=True, slots=True)
class Row:
    gutter: str  # line number, or "" for an underline / elision row
    text: str
    marks: str | None = None  # the underline below ``text``


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    if len(text) <= WIDE:
        return text, start, end
    lo = max(start - 40, 0)
    shown = ("…" if lo else "") + text[lo : lo + 160] + ("…" if lo + 160 < len(text) else "")
    shift = lo - (1 if lo else 0)
    return shown, start - shift, min(end - shift, len(shown))


def snippet(f: Finding, lines: list[str]) -> list[Row]:
    """The rows showing ``f``'s span with context, every span line underlined."""
    first, last = f.span.line, min(f.span.end_line, len(lines))
    if not 1 <= first <= len(lines):
        return []
    last = max(last, first)
    rows: list[Row] = [
        Row(str(n), _window(lines[n - 1].expandtabs(1), 0, 0)[0])
        for n in range(max(first - CONTEXT, 1), first)
        if lines[n - 1].strip()
    ]
    shown = list(range(first, last + 1))
    hidden = 0
    if len(shown) > MAX_SPAN_LINES:  # a long span (a whole stage or file): its first line
        hidden, shown = len(shown) - 1, shown[:1]
    for n in shown:
        text = lines[n - 1].expandtabs(1)
        start = f.span.column - 1 if n == first else len(text) - len(text.lstrip())
        end = f.span.end_column - 1 if n == f.span.end_line else len(text)
        start = min(max(start, 0), len(text))
        end = max(min(end, len(text)), start + 1)
        text, start, end = _window(text, start, end)
        rows.append(Row(str(n), text, " " * start + "^" * max(end - start, 1)))
    if hidden:
        rows.append(Row("", f"… and {hidden} more lines, through line {last}"))
    elif last < len(lines) and lines[last].strip():
        after = last + 1
        rows.append(Row(str(after), _window(lines[after - 1].expandtabs(1), 0, 0)[0]))
    return rows


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 and word not in ('style', 'info') else ''}"


def summary(results: list[FileResult]) -> str:
    counts = Counter(f.severity for r in results for f in r.findings)
    total = sum(counts.values())
    files = sum(1 for r in results if r.findings)
    errors = sum(1 for r in results if r.error)
    checked = len(results)
    if total == 0:
        head = f"No problems found in {_plural(checked, 'file')}."
    else:
        parts = [_plural(counts[s], s.label) for s in ORDER if counts[s]]
        head = (
            f"Found {_plural(total, 'problem')} ({', '.join(parts)}) "
            f"in {files} of {_plural(checked, 'file')}."
        )
    if errors:
        head += f" {_plural(errors, 'file')} could not be linted."
    return head


def docs_hint(results: list[FileResult]) -> str | None:
    codes = sorted({f.code for r in results for f in r.findings})
    if not codes:
        return None
    return f"Run `dslint rule {codes[0]}` (or any other code) to read a rule's documentation."


def table(results: list[FileResult]) -> list[list[str]]:
    """Header, one row per file with findings, and a total row."""
    rows = [["file", *(s.label for s in ORDER), "total"]]
    totals: Counter[Severity] = Counter()
    for r in results:
        if not r.findings:
            continue
        counts = Counter(f.severity for f in r.findings)
        totals.update(counts)
        rows.append([r.path, *(str(counts[s]) for s in ORDER), str(len(r.findings))])
    rows.append(["total", *(str(totals[s]) for s in ORDER), str(sum(totals.values()))])
    return rows


def statistics_data(results: list[FileResult]) -> list[dict[str, object]]:
    """One item per code, most frequent first: count, code, name, severity (the
    highest seen) and how many of the findings have a fix."""
    found: dict[str, list[Finding]] = {}
    for r in results:
        for f in r.findings:
            found.setdefault(f.code, []).append(f)
    return [
        {
            "count": len(items),
            "code": code,
            "name": items[0].rule,
            "severity": max(f.severity for f in items).label,
            "fixable": sum(1 for f in items if f.fix is not None),
        }
        for code, items in sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


def statistics(results: list[FileResult]) -> list[list[str]]:
    """Header and one row per code: count, code, name, severity, fixable."""
    rows = [["count", "code", "name", "severity", "fixable"]]
    for item in statistics_data(results):
        count, fixable = item["count"], item["fixable"]
        shown = "yes" if fixable == count else f"{fixable} of {count}" if fixable else ""
        rows.append(
            [str(count), str(item["code"]), str(item["name"]), str(item["severity"]), shown]
        )
    return rows


def _align(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _head(f: Finding) -> str:
    return (
        f"{f.path}:{f.span.line}:{f.span.column}: {f.severity.label} {f.code} {f.rule}: {f.message}"
    )


def _fix_line(f: Finding) -> str | None:
    if f.fix is None:
        return None
    return f"help: {f.fix.title}" + ("" if f.fix.safe else " (unsafe fix)")


def render(
    results: list[FileResult],
    out: TextIO,
    color: bool = False,
    *,
    quiet: bool = False,
    show_statistics: bool = False,
) -> None:
    """``quiet``: the findings only (no table, summary or hint). ``statistics``:
    one row per code instead of the findings."""
    if color:
        _render_rich(results, out, quiet=quiet, show_statistics=show_statistics)
        return
    if show_statistics:
        rows = statistics(results)
        if len(rows) > 1:
            out.writelines(line + "\n" for line in _align(rows, {0}))
        if not quiet:
            out.write(summary(results) + "\n")
        return
    for result in results:
        for f in result.findings:
            out.write(_head(f) + "\n")
            frame = snippet(f, result.lines)
            if frame:
                pad = " " * max(len(r.gutter) for r in frame)
                out.write(f"{pad} |\n")
                for row in frame:
                    out.write(f"{row.gutter.rjust(len(pad))} | {row.text}".rstrip() + "\n")
                    if row.marks is not None:
                        out.write(f"{pad} | {row.marks}\n")
            fix = _fix_line(f)
            if fix:
                out.write(f"{' ' * len(frame[0].gutter) if frame else ''} = {fix}\n")
            out.write("\n")
    if quiet:
        return
    if any(r.findings for r in results):
        out.writelines(
            line + "\n" for line in _align(table(results), set(range(1, len(ORDER) + 2)))
        )
        out.write("\n")
    out.write(summary(results) + "\n")
    hint = docs_hint(results)
    if hint:
        out.write(hint + "\n")


def console(out: TextIO, color: bool) -> Console:
    """A rich console that never reads markup, emoji codes or highlights."""
    from rich.console import Console

    return Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=True,
    )


def _render_rich(
    results: list[FileResult], out: TextIO, *, quiet: bool, show_statistics: bool
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console(out, True)
    if show_statistics:
        rows = statistics(results)
        if len(rows) > 1:
            stats = Table(box=box.SIMPLE_HEAD, show_edge=False)
            for i, name in enumerate(rows[0]):
                stats.add_column(name, justify="right" if i == 0 else "left")
            for cells in rows[1:]:
                stats.add_row(*(Text(c) for c in cells))
            con.print(stats)
        if not quiet:
            con.print(Text(summary(results), style="bold"))
        return
    for result in results:
        for f in result.findings:
            head = Text()
            head.append(f"{f.path}:{f.span.line}:{f.span.column}", style="bold")
            head.append(": ")
            head.append(f"{f.severity.label} {f.code}", style=STYLES[f.severity])
            head.append(f" {f.rule}", style="dim")
            head.append(": ")
            head.append(f.message)
            con.print(head)
            frame = snippet(f, result.lines)
            pad = " " * max((len(r.gutter) for r in frame), default=0)
            if frame:
                con.print(Text(f"{pad} |", style="blue"))
            for row in frame:
                line = Text()
                line.append(f"{row.gutter.rjust(len(pad))} | ", style="blue")
                context = row.marks is None and bool(row.gutter)
                line.append(row.text, style="dim" if context else "")
                con.print(line)
                if row.marks is not None:
                    under = Text()
                    under.append(f"{pad} | ", style="blue")
                    under.append(row.marks, style=STYLES[f.severity])
                    con.print(under)
            fix = _fix_line(f)
            if fix:
                con.print(Text(f"{pad} = {fix}", style="green"))
            con.print()
    if quiet:
        return
    if any(r.findings for r in results):
        rows = table(results)
        grid = Table(box=box.SIMPLE, show_edge=False, show_footer=True)
        for i, name in enumerate(rows[0]):
            style = STYLES[ORDER[i - 1]] if 1 <= i <= len(ORDER) else None
            grid.add_column(
                name,
                footer=Text(rows[-1][i], style="bold"),
                justify="left" if i == 0 else "right",
                header_style=style,
                overflow="fold",
            )
        for cells in rows[1:-1]:
            grid.add_row(*(Text(c, style="dim" if c == "0" else "") for c in cells))
        con.print(grid)
        con.print()
    con.print(Text(summary(results), style="bold"))
    hint = docs_hint(results)
    if hint:
        con.print(Text(hint, style="dim"))
