from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Stage
from dslint.rule import Finding, Rule, Severity


class DuplicateStageName(Rule):
    """Two stages have the same name (names compare lowercased, so `Build` and `build` clash).

    ## Why
    BuildKit lowercases stage names and keeps one stage per name: the later one
    replaces the earlier one for `--target`, `COPY --from` and `RUN --mount
    from=`, while a `FROM <name>` between the two still gets the earlier one. So
    the same name means different stages depending on where it is used, and a
    `COPY --from` placed between the two fails because it names a stage that
    is defined later. Give every stage its own name.

    ## Bad
    ```dockerfile
    FROM node:20 AS build
    RUN npm ci && npm run build

    FROM golang:1.22 AS Build
    RUN go build -o /out/app .
    ```

    ## Good
    ```dockerfile
    FROM node:20 AS web-build
    RUN npm ci && npm run build

    FROM golang:1.22 AS api-build
    RUN go build -o /out/app .
    ```
    """

    code = "DSL105"
    name = "duplicate-stage-name"
    severity = Severity.ERROR
    buildkit = ("DuplicateStageName",)
    hadolint = ("DL3024",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        first: dict[str, Stage] = {}
        for stage in ctx.dockerfile.stages:
            alias, name = stage.alias, stage.name
            if alias is None or name is None:
                continue
            if alias not in first:
                first[alias] = stage
                continue
            other = first[alias]
            assert other.name is not None
            same = "" if other.name.text == name.text else " (names compare lowercased)"
            yield self.finding(
                name.span,
                f"stage {stage.index} is named '{name.text}' like stage {other.index} "
                f"'{other.name.text}' (line {other.from_instruction.line}){same}: "
                "rename one of them",
            )
