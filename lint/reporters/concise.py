"""``--format concise``: ``path:line:col: severity CODE message``, one per line."""

from __future__ import annotations

from typing import TextIO

from dslint.reporters import FileResult


def render(results: list[FileResult], out: TextIO) -> None:
    for r in results:
        for f in r.findings:
            message = " ".join(f.message.split())
            out.write(
                f"{f.path}:{f.span.line}:{f.span.column}: {f.severity.label} {f.code} {message}\n"
            )
