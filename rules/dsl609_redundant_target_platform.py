from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.rule import Edit, Finding, Fix, Rule, Severity
from dslint.rules.dsl608_constant_platform import unquote

_TARGET = re.compile(r"\$TARGETPLATFORM|\$\{TARGETPLATFORM(:?-[^}$]*)?\}")


class RedundantTargetPlatform(Rule):
    """`FROM --platform=$TARGETPLATFORM` says what FROM does anyway.

    ## Why
    A stage is built for the target platform unless `--platform` says
    otherwise, so `--platform=$TARGETPLATFORM` is noise, and it hides the
    stages that really choose their platform (`$BUILDPLATFORM`). This is
    BuildKit's RedundantTargetPlatform check; the fix removes the flag.

    ## Bad
    ```dockerfile
    FROM --platform=$TARGETPLATFORM alpine:3.20
    RUN uname -m
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    RUN uname -m
    ```
    """

    code = "DSL609"
    name = "redundant-target-platform"
    severity = Severity.WARNING
    fixable = True
    buildkit = ("RedundantTargetPlatform",)
    hadolint = ("DL3065",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in df.stages:
            flag = stage.platform
            if flag is None or flag.value is None or flag.value_span is None:
                continue
            if not _TARGET.fullmatch(unquote(flag.value)):
                continue
            fix = None
            span = flag.span
            if span.line == span.end_line:
                text = df.lines[span.line - 1]
                end = span.end_column
                while end <= len(text) and text[end - 1] in " \t":
                    end += 1
                fix = Fix(
                    "remove --platform",
                    (Edit(Span(span.line, span.column, span.line, end), ""),),
                )
            yield self.finding(
                flag.value_span,
                f"--platform={flag.value} is redundant: stage '{stage.label}' is built for "
                "the target platform by default; remove the flag",
                fix=fix,
            )
