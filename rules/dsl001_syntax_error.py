from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity


class SyntaxErrorRule(Rule):
    """BuildKit cannot parse this Dockerfile.

    ## Why
    `docker build` stops at the first syntax error, so nothing after it is built.
    dslint reports each problem BuildKit would reject (an unterminated heredoc,
    an unknown instruction, an instruction other than ARG before the first FROM,
    a FROM with the wrong number of arguments, a file with no FROM, an invalid
    `escape` directive) and still lints the rest of the file.

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    RUN <<EOF
    echo building
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    RUN <<EOF
    echo building
    EOF
    ```
    """

    code = "DSL001"
    name = "syntax-error"
    severity = Severity.ERROR
    hadolint = ("DL1000", "DL3043", "DL3061")

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        for problem in df.problems:
            yield self.finding(problem.span, problem.message)
        if df.instructions and not df.stages:
            yield self.finding(
                df.instructions[0].keyword_token.span,
                "the file has no FROM instruction: every build starts with FROM <image>",
            )
