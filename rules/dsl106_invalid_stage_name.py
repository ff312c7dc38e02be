from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.parser import is_valid_stage_name
from dslint.rule import Finding, Rule, Severity

RESERVED = {
    "scratch": "a later FROM scratch or --from=scratch gets this stage, not the empty image",
    "context": "BuildKit reserves it",
}


class InvalidStageName(Rule):
    """A stage name that BuildKit rejects, or one that is reserved (`scratch`, `context`).

    ## Why
    BuildKit stops with "invalid name for build stage" unless the name, once
    lowercased, starts with a letter and holds only letters, digits, `-`, `_`
    and `.` (no variables either: `AS $NAME` is not expanded): an error.
    `scratch` and `context` are reserved (BuildKit's ReservedStageName check):
    the build still runs, but a stage named `scratch` takes the place of the
    empty image for every later `FROM scratch` and `--from=scratch`, which
    readers do not expect: reported as a warning.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS 1st-build
    RUN go build -o /out/app .

    FROM alpine:3.20 AS scratch
    COPY --from=1st-build /out/app /app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build-1
    RUN go build -o /out/app .

    FROM alpine:3.20 AS runtime
    COPY --from=build-1 /out/app /app
    ```
    """

    code = "DSL106"
    name = "invalid-stage-name"
    severity = Severity.ERROR
    buildkit = ("ReservedStageName",)
    hadolint = ("DL3063",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            name = stage.name
            if name is None:
                continue
            text = name.text
            if not is_valid_stage_name(text):
                yield self.finding(
                    name.span,
                    f"stage name '{text}' is invalid: BuildKit wants a letter first, then "
                    "only letters, digits, '-', '_' or '.'",
                )
            elif text.lower() in RESERVED:
                yield self.finding(
                    name.span,
                    f"stage name '{text}' is reserved (BuildKit's ReservedStageName): "
                    f"{RESERVED[text.lower()]}; choose another name",
                    severity=Severity.WARNING,
                )
