from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity


class ForwardStageReference(Rule):
    """A stage refers to a stage that is defined later in the file.

    ## Why
    Stages are built in file order and a reference only sees the stages above
    it. BuildKit stops `COPY --from=X` with "cannot copy from stage X, it needs
    to be defined before current stage", and a `RUN --mount from=X` with
    "stage needs to be defined before current command". `FROM X` is worse: it
    does not fail, it quietly pulls an image called X instead of building the
    stage. Move the referenced stage above the one that uses it.

    ## Bad
    ```dockerfile
    FROM alpine:3.20 AS runtime
    COPY --from=build /out/app /usr/local/bin/app

    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .

    FROM alpine:3.20 AS runtime
    COPY --from=build /out/app /usr/local/bin/app
    ```
    """

    code = "DSL102"
    name = "forward-stage-reference"
    severity = Severity.ERROR
    hadolint = ("DL3022",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        stages = ctx.dockerfile.stages
        for ref in ctx.graph.references:
            if ref.status != "forward" or ref.target is None:
                continue
            here = stages[ref.stage]
            later = stages[ref.target]
            named = f"stage {later.index} ('{later.label}', line {later.from_instruction.line})"
            if ref.kind == "from":
                message = (
                    f"FROM {ref.text} in stage '{here.label}' names {named}, which is defined "
                    f"later: BuildKit pulls an image '{ref.text}' instead; move that stage above"
                )
            else:
                what = "COPY --from" if ref.kind == "copy" else "RUN --mount from"
                verb = "indexes" if ref.numeric else "names"
                message = (
                    f"{what}={ref.text} in stage '{here.label}' {verb} {named}, which is "
                    "defined later: BuildKit fails; move that stage above this one"
                )
            yield self.finding(ref.span, message)
