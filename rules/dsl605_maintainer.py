from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.rule import Edit, Finding, Fix, Rule, Severity


class Maintainer(Rule):
    """MAINTAINER is deprecated: put the author in a label.

    ## Why
    MAINTAINER only sets the image's `Author` field, which Docker deprecated
    long ago; tools read the OCI label `org.opencontainers.image.authors`
    instead. BuildKit's MaintainerDeprecated check and hadolint's DL4000 report
    it. The suggested fix writes that label (marked unsafe: the old `Author`
    field is no longer set).

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    MAINTAINER Jane Doe <jane@example.com>
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    ```
    """

    code = "DSL605"
    name = "maintainer"
    severity = Severity.WARNING
    fixable = True
    buildkit = ("MaintainerDeprecated",)
    hadolint = ("DL4000",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "MAINTAINER":
                continue
            fix = None
            if ins.rest is not None and ins.line == ins.end_line:
                value = ins.rest.text
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                    value = value[1:-1]
                if '"' not in value and "\\" not in value and "$" not in value:
                    span = Span(
                        ins.keyword_token.span.line,
                        ins.keyword_token.span.column,
                        ins.rest.span.end_line,
                        ins.rest.span.end_column,
                    )
                    fix = Fix(
                        "replace with LABEL org.opencontainers.image.authors",
                        (Edit(span, f'LABEL org.opencontainers.image.authors="{value}"'),),
                        safe=False,
                    )
            yield self.finding(
                ins.keyword_token.span,
                "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors=... "
                "to name the image's author",
                fix=fix,
            )
