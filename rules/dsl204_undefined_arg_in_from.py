from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity


class UndefinedArgInFrom(Rule):
    """A variable in a FROM line is not a global ARG.

    ## Why
    FROM expands only the ARGs declared before the first FROM (global ARGs)
    and the automatic platform ARGs (`BUILDPLATFORM`, `TARGETARCH`, ...). Any
    other variable, including an ARG or ENV of an earlier stage, is empty
    there, so `FROM $BASE_IMAGE` names no image and the build fails, or a
    `${VARIANT:-alpine}` default always wins because nothing can set it.
    Declare the ARG at the top of the file.

    ## Bad
    ```dockerfile
    FROM golang:${GO_VERSION}-alpine AS build
    ```

    ## Good
    ```dockerfile
    ARG GO_VERSION=1.22
    FROM golang:${GO_VERSION}-alpine AS build
    ```
    """

    code = "DSL204"
    name = "undefined-arg-in-from"
    severity = Severity.ERROR
    buildkit = ("UndefinedArgInFrom",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        scopes = ctx.scopes
        for res in scopes.resolved:
            use = res.use
            if use.instruction.keyword != "FROM" or res.status in ("defined", "predefined"):
                continue
            hint = f"; did you mean ${res.suggestion}?" if res.suggestion else ""
            elsewhere = ""
            if res.elsewhere:
                elsewhere = f" ({scopes.describe(res.elsewhere[0])} does not reach FROM)"
            severity = Severity.WARNING if use.has_default else None
            yield self.finding(
                use.span,
                f"{use.text} in FROM is not a global ARG{elsewhere}: FROM sees only ARGs "
                f"declared before the first FROM; add `ARG {use.name}` at the top{hint}",
                severity=severity,
            )
