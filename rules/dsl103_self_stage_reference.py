from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity


class SelfStageReference(Rule):
    """A stage copies or mounts from itself, by name or by its own index.

    ## Why
    A stage cannot read its own result while it is being built: BuildKit stops
    with "circular dependency detected on stage". Usually the name was meant
    for an earlier stage (the builder), or the instruction belongs in the
    next stage.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    COPY --from=build /out/app /usr/local/bin/app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .

    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    ```
    """

    code = "DSL103"
    name = "self-stage-reference"
    severity = Severity.ERROR
    hadolint = ("DL3023",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        stages = ctx.dockerfile.stages
        for ref in ctx.graph.references:
            if ref.status != "self":
                continue
            here = stages[ref.stage]
            what = "COPY --from" if ref.kind == "copy" else "RUN --mount from"
            how = f"its own index {ref.text}" if ref.numeric else "its own name"
            yield self.finding(
                ref.span,
                f"{what}={ref.text} in stage '{here.label}' refers to {how}: BuildKit "
                "fails with a circular dependency; copy from an earlier stage instead",
            )
