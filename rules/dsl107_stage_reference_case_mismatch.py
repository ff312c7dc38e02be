from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Edit, Finding, Fix, Rule, Severity


class StageReferenceCaseMismatch(Rule):
    """`FROM Builder` where the stage is `AS builder`: FROM matches stage names case-sensitively.

    ## Why
    BuildKit stores stage names lowercased. `COPY --from` and `--target` compare
    lowercased too, but `FROM <name>` looks the name up exactly as written, so
    `FROM Builder` misses the stage `builder` (even one written `AS Builder`)
    and BuildKit tries to pull an image called `Builder`, which fails because
    image names must be lowercase. Write the name in lowercase.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS Builder
    RUN go build -o /out/app .

    FROM Builder AS test
    RUN go test ./...
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS builder
    RUN go build -o /out/app .

    FROM builder AS test
    RUN go test ./...
    ```
    """

    code = "DSL107"
    name = "stage-reference-case-mismatch"
    severity = Severity.ERROR
    fixable = True

    def check(self, ctx: Context) -> Iterator[Finding]:
        stages = ctx.dockerfile.stages
        for ref in ctx.graph.references:
            if ref.status != "case-mismatch" or ref.target is None:
                continue
            stage = stages[ref.target]
            alias = stage.alias or ref.text.lower()
            yield self.finding(
                ref.span,
                f"FROM {ref.text} does not match stage '{stage.label}' (line "
                f"{stage.from_instruction.line}), stored as '{alias}': FROM compares names "
                f"case-sensitively and would pull an image '{ref.text}'; write FROM {alias}",
                fix=Fix(f"write FROM {alias}", (Edit(ref.span, alias),)),
            )
