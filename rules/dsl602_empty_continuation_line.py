from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.rule import Finding, Rule, Severity


class EmptyContinuationLine(Rule):
    """An instruction continued with a backslash has an empty line in the middle.

    ## Why
    BuildKit skips an empty line inside a continued instruction and joins what
    follows, so the instruction goes on after what looks like its end. Docker
    has announced that this will become an error (BuildKit's
    NoEmptyContinuation check). A line that is really meant to end the
    instruction needs the backslash removed from the line before it.
    dslint reports each empty line, so the fix is at the line shown; BuildKit
    reports the instruction once, on its last line.

    ## Bad
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update \\

        && apt-get install -y curl
    ```

    ## Good
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update \\
        && apt-get install -y curl
    ```
    """

    code = "DSL602"
    name = "empty-continuation-line"
    severity = Severity.WARNING
    buildkit = ("NoEmptyContinuation",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        empty = sorted(set(df.empty_continuation_lines))
        if not empty:
            return
        for line in empty:
            owner = next(
                (i for i in df.instructions if i.span.line < line <= i.span.end_line),
                None,
            )
            what = f"this {owner.keyword}" if owner is not None else "the instruction"
            start = f" (it starts on line {owner.line})" if owner is not None else ""
            width = len(df.lines[line - 1]) if line - 1 < len(df.lines) else 0
            yield self.finding(
                Span(line, 1, line, width + 1),
                f"empty line inside {what}{start}: the instruction goes on after it; "
                "remove the empty line, or the backslash before it if the instruction "
                "should end there",
            )
