from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Edit, Finding, Fix, Rule, Severity


class StageNameNotLowercase(Rule):
    """A stage name with capital letters (`AS Builder`).

    ## Why
    BuildKit lowercases stage names, so `AS Builder` is the stage `builder`.
    `COPY --from` and `--target` accept any casing, but `FROM Builder` does not
    match it (see DSL107). Writing names in lowercase keeps every reference
    working (BuildKit's StageNameCasing check).

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS Builder
    RUN go build -o /out/app .
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS builder
    RUN go build -o /out/app .
    ```
    """

    code = "DSL108"
    name = "stage-name-not-lowercase"
    severity = Severity.STYLE
    fixable = True
    buildkit = ("StageNameCasing",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            name = stage.name
            if name is None or name.text == name.text.lower():
                continue
            lower = name.text.lower()
            yield self.finding(
                name.span,
                f"stage name '{name.text}' is not lowercase; BuildKit stores it as "
                f"'{lower}', so write AS {lower}",
                fix=Fix(f"write AS {lower}", (Edit(name.span, lower),)),
            )
