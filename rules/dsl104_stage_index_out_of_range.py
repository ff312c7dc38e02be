from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity


class StageIndexOutOfRange(Rule):
    """A numeric `COPY --from=N` indexes a stage that does not exist.

    ## Why
    `--from=N` counts stages from 0 in file order. An index at or past the
    number of stages (or a negative one) stops the build with "invalid stage
    index N". It typically happens when a stage was removed or the count was
    started at 1. Use the stage's name instead of its position.

    ## Bad
    ```dockerfile
    FROM golang:1.22
    RUN go build -o /out/app .

    FROM alpine:3.20
    COPY --from=2 /out/app /usr/local/bin/app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .

    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    ```
    """

    code = "DSL104"
    name = "stage-index-out-of-range"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        count = len(ctx.dockerfile.stages)
        for ref in ctx.graph.references:
            if ref.status != "out-of-range":
                continue
            yield self.finding(
                ref.span,
                f"COPY --from={ref.text} indexes no stage: this file has {count} "
                f"stage{'s' if count != 1 else ''}, numbered 0 to {count - 1}; "
                "refer to the stage by its name",
            )
