from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Edit, Finding, Fix, Rule, Severity


class NumericStageReference(Rule):
    """`COPY --from=0`: a stage referred to by its position instead of its name.

    ## Why
    An index counts stages in file order, so adding, removing or moving a stage
    silently points `--from=1` at another stage: the build may still succeed
    and copy the wrong files. A name says which stage is meant and survives
    reordering.

    ## Bad
    ```dockerfile
    FROM golang:1.22
    RUN go build -o /out/app .

    FROM alpine:3.20
    COPY --from=0 /out/app /usr/local/bin/app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .

    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    ```
    """

    code = "DSL109"
    name = "numeric-stage-reference"
    severity = Severity.INFO
    fixable = True

    def check(self, ctx: Context) -> Iterator[Finding]:
        stages = ctx.dockerfile.stages
        for ref in ctx.graph.references:
            if not ref.numeric or ref.status != "stage" or ref.target is None:
                continue
            stage = stages[ref.target]
            line = stage.from_instruction.line
            if stage.name is not None:
                yield self.finding(
                    ref.span,
                    f"COPY --from={ref.text} points at stage '{stage.label}' (line {line}) "
                    f"by position; write --from={stage.name.text} so reordering stages "
                    "cannot break it",
                    fix=Fix(f"write --from={stage.name.text}", (Edit(ref.span, stage.name.text),)),
                )
            else:
                yield self.finding(
                    ref.span,
                    f"COPY --from={ref.text} points at stage {stage.index} (line {line}) by "
                    "position; name that stage (FROM ... AS <name>) and copy --from=<name>",
                )
