from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Edit, Finding, Fix, Rule, Severity


class FromAsCasing(Rule):
    """The `AS` keyword of a FROM is not written in the same case as `FROM`.

    ## Why
    BuildKit reads `AS` in any case, so this changes nothing in the build; it
    is BuildKit's FromAsCasing check, kept so a team that runs
    `docker build --check` sees the same thing here. As in BuildKit it only
    applies when `FROM` itself is all upper or all lower case (a mixed-case
    keyword is ConsistentInstructionCasing's business, DSL603).
    dslint reports it as a style finding rather than BuildKit's warning: it
    cannot change the image.

    ## Bad
    ```dockerfile
    FROM golang:1.22 as build
    RUN go version
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go version
    ```
    """

    code = "DSL601"
    name = "from-as-casing-mismatch"
    severity = Severity.STYLE
    fixable = True
    buildkit = ("FromAsCasing",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            ins = stage.from_instruction
            args = ins.args
            if len(args) != 3 or args[1].text.lower() != "as":
                continue
            keyword = ins.keyword_token.text
            if keyword == keyword.lower():
                wanted = "as"
            elif keyword == keyword.upper():
                wanted = "AS"
            else:
                continue
            if args[1].text == wanted:
                continue
            yield self.finding(
                args[1].span,
                f"'{args[1].text}' does not match the casing of '{keyword}': "
                f"write '{keyword} ... {wanted} {args[2].text}'",
                fix=Fix(f"write '{wanted}'", (Edit(args[1].span, wanted),)),
            )
