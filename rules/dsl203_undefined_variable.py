from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.scopes import COMMON_IMAGE_ENV, Resolution


class UndefinedVariable(Rule):
    """A variable is used where nothing sets it, or before the ARG/ENV that sets it.

    ## Why
    BuildKit expands variables in COPY, ADD, ENV, WORKDIR, LABEL, USER,
    EXPOSE, VOLUME, STOPSIGNAL and ARG defaults itself, and an unset
    variable becomes an empty string without an error: `WORKDIR /app/$VERSON`
    is `/app/`. A variable used before the ARG or ENV that sets it in the
    same stage is empty too. The base image may set variables that dslint
    cannot see offline, so a name is reported only when the base image's ENV
    is known (scratch, alpine, debian, golang, node, python, ...) or when it
    is a near miss of a name that is set (`did you mean`). In RUN text, where
    the shell may set anything, only those near misses and uses before the
    ARG/ENV are reported.

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    ENV APP_HOME=/srv/app
    WORKDIR $APP_HOM
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    ENV APP_HOME=/srv/app
    WORKDIR $APP_HOME
    ```
    """

    code = "DSL203"
    name = "undefined-variable"
    severity = Severity.WARNING
    buildkit = ("UndefinedVar",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for res in ctx.scopes.resolved:
            message = self._message(ctx, res)
            if message is not None:
                yield self.finding(res.use.span, message)

    def _message(self, ctx: Context, res: Resolution) -> str | None:
        use = res.use
        if use.instruction.keyword == "FROM" or use.context == "runtime":
            return None
        hint = f" (did you mean ${res.suggestion}?)" if res.suggestion else ""
        if res.status == "later":
            first = ctx.scopes.describe(res.elsewhere[0])
            return f"{use.text} is used before {first} sets it, so it is empty here{hint}"
        typo = (
            res.suggestion is not None
            and use.name not in COMMON_IMAGE_ENV
            and not use.has_default
            and (use.stage is None or ctx.scopes.image_may_set(use.stage, use.name) != "yes")
        )
        if use.context == "shell":
            if res.status in ("undefined", "image") and typo:
                return f"{use.text} is set nowhere in this file{hint}"
            return None
        if res.status == "undefined" or (res.status == "image" and typo):
            where = "" if use.stage is None else " nor by the base image"
            return f"{use.text} is set nowhere in this file{where}, so it expands to ''{hint}"
        return None
