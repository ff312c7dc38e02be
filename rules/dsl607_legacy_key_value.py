from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Edit, Finding, Fix, Rule, Severity

_PLAIN = re.compile(r"[^\s\"'\\]+")
_SPACED = re.compile(r"[^\"'\\]+")


class LegacyKeyValue(Rule):
    """ENV or LABEL written as `key value` instead of `key=value`.

    ## Why
    The space-separated form sets exactly one variable and takes the rest of
    the line, spaces included, as its value, so `ENV PATH /opt/bin:$PATH FOO=1`
    does not do what it seems to. Docker deprecated it (BuildKit's
    LegacyKeyValueFormat check). The fix writes `key=value`, quoting the value
    when it holds spaces; it is offered only when that keeps the value
    identical.

    ## Bad
    ```dockerfile
    FROM node:22-slim
    ENV NODE_ENV production
    ```

    ## Good
    ```dockerfile
    FROM node:22-slim
    ENV NODE_ENV=production
    ```
    """

    code = "DSL607"
    name = "legacy-key-value"
    severity = Severity.WARNING
    fixable = True
    buildkit = ("LegacyKeyValueFormat",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword not in ("ENV", "LABEL"):
                continue
            for kv in ins.key_values:
                if not kv.legacy:
                    continue
                value = kv.value or ""
                fix = None
                if kv.span.line == kv.span.end_line:
                    if _PLAIN.fullmatch(value):
                        new = f"{kv.key}={value}"
                    elif _SPACED.fullmatch(value):
                        new = f'{kv.key}="{value}"'
                    else:
                        new = ""
                    if new:
                        fix = Fix(f"write {new}", (Edit(kv.span, new),))
                yield self.finding(
                    kv.key_span,
                    f"'{ins.keyword} {kv.key} <value>' is the deprecated space-separated "
                    f"form: write {ins.keyword} {kv.key}=<value>",
                    fix=fix,
                )
