from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl401_relative_workdir import (
    apply_workdir,
    chain_base,
    is_absolute,
    unquote,
    workdir_at_start,
)


class CopyRelativeDestination(Rule):
    """COPY writes to a relative destination while no WORKDIR is set.

    ## Why
    A relative destination is resolved against the working directory, and when
    neither the stage nor a stage it is built `FROM` set one, that is whatever
    the base image chose (`/` for many images, `/go` or `/usr/src/app` for
    others): the Dockerfile alone does not say where the files land. dslint
    follows WORKDIR through `FROM <stage>` stage by stage (hadolint keys it by
    stage name or image name, so two stages built from the same image share
    it, and a stage `FROM` a variable that names stages is not followed), does not judge
    `FROM scratch` (its working directory is `/`) and skips destinations that
    start with a variable.

    ## Bad
    ```dockerfile
    FROM node:22-slim
    COPY package.json .
    ```

    ## Good
    ```dockerfile
    FROM node:22-slim AS base
    WORKDIR /app
    FROM base
    COPY package.json .
    ```
    """

    code = "DSL635"
    name = "copy-relative-destination"
    severity = Severity.WARNING
    hadolint = ("DL3045",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in df.stages:
            state = workdir_at_start(df, stage)
            for ins in stage.instructions:
                if ins.keyword == "WORKDIR":
                    state = apply_workdir(state, ins)
                    continue
                if ins.keyword != "COPY" or len(ins.args) < 2 or state.set or state.scratch:
                    continue
                token = ins.args[-1]
                dest = unquote(token.text)
                if not dest or dest.lstrip("\"'").startswith("$") or is_absolute(dest):
                    continue
                yield self.finding(
                    token.span,
                    f"COPY to the relative destination '{dest}' with no WORKDIR set in stage "
                    f"'{stage.label}' or the stages it is built FROM: it lands under "
                    f"whatever working directory {chain_base(ctx.dockerfile, stage)} has; set WORKDIR or use an "
                    "absolute path",
                )
