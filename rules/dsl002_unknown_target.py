from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context, whole_file_span
from dslint.rule import Finding, Rule, Severity


class UnknownTarget(Rule):
    """The stage given with `--target` does not exist in this file.

    ## Why
    `docker build --target NAME` fails with "target stage could not be found"
    when no stage is named NAME (names compare case-insensitively). dslint
    reports it instead of silently judging the last stage.

    ## Bad
    ```dockerfile
    # dslint-options: target=runtime
    FROM golang:1.22 AS build
    FROM gcr.io/distroless/static AS final
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    FROM gcr.io/distroless/static AS runtime
    ```
    """

    code = "DSL002"
    name = "unknown-target"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        name = ctx.settings.target
        df = ctx.dockerfile
        if name is None or not df.stages or df.stage_by_alias(name) is not None:
            return
        names = [s.name.text for s in df.stages if s.name is not None]
        known = ", ".join(names) if names else "none: no stage has a name"
        yield self.finding(
            whole_file_span(df),
            f"target stage '{name}' could not be found (named stages: {known})",
        )
