from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity


class VariableInStageReference(Rule):
    """`COPY --from=$X` or `RUN --mount=...,from=${X}`: BuildKit does not expand variables there.

    ## Why
    BuildKit refuses the build: "variable expansion is not supported for
    --from, define a new stage with FROM using ARG from global scope as a
    workaround" (for mounts: "'from' doesn't support variable expansion,
    define alias stage instead"). FROM does expand global ARGs, so declare the
    ARG before the first FROM, add a stage `FROM ${X} AS x` and refer to `x`.

    ## Bad
    ```dockerfile
    ARG UV_VERSION=0.4.18
    FROM python:3.12-slim
    COPY --from=ghcr.io/astral-sh/uv:${UV_VERSION} /uv /bin/uv
    ```

    ## Good
    ```dockerfile
    ARG UV_VERSION=0.4.18
    FROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv

    FROM python:3.12-slim
    COPY --from=uv /uv /bin/uv
    ```
    """

    code = "DSL111"
    name = "variable-in-stage-reference"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ref in ctx.graph.references:
            if ref.status != "variable":
                continue
            what = "COPY --from" if ref.kind == "copy" else "RUN --mount from"
            yield self.finding(
                ref.span,
                f"{what}={ref.text} uses a variable, which BuildKit refuses to expand there; "
                "declare the ARG before the first FROM, add a stage FROM <image> AS <name> "
                "and refer to that name",
            )
