from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl3_shipped import chain_instructions, is_dev_target

# COPY --from resolves its sources from the root of the other stage, ignoring
# its WORKDIR (BuildKit), so "." is that root too.
# Images made to be copied whole into another stage (their root holds only helpers).
HELPER_IMAGES = frozenset({"tonistiigi/xx", "docker.io/tonistiigi/xx"})
ROOT_SOURCES = frozenset({"/", "/.", "/*", "/./", ".", "./", "./*", "*"})


class CopiesWholeStage(Rule):
    """The shipped image copies the whole filesystem of another stage or image.

    ## Why
    `COPY --from=build / /` brings everything the other stage holds into the
    shipped image: its base image, compilers, package caches, sources and any
    credential a build step left behind. It defeats the purpose of the
    multi-stage build, and the copy overwrites the shipped stage's own files.
    Copy only the paths the application needs (`COPY --from=build /out/app
    /app`). hadolint's DL3067 flags `COPY --from=<any> / /` in every stage;
    this rule judges only the shipped stages (not dev or test targets) and any
    destination. Squashing a
    stage into `FROM scratch` (`COPY --from=x / /`) and helper images made to
    be copied whole (`tonistiigi/xx`) are left alone.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .

    FROM alpine:3.20
    COPY --from=build / /
    CMD ["/out/app"]
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .

    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    CMD ["app"]
    ```
    """

    code = "DSL306"
    name = "copies-whole-stage"
    severity = Severity.WARNING
    hadolint = ("DL3067",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        if is_dev_target(ctx):
            return  # a dev environment may bundle whole tool images on purpose
        for ins in chain_instructions(ctx):
            if ins.keyword != "COPY" or ins.heredocs:
                continue
            flag = ins.flag("from")
            if flag is None or not flag.value:
                continue
            if flag.value.split("@")[0].split(":")[0].lower() in HELPER_IMAGES:
                continue
            stage_of = df.stages[ins.stage] if ins.stage is not None else None
            dest = ins.args[-1].text.strip("\"'") if ins.args else ""
            if (
                stage_of is not None
                and stage_of.base_image is not None
                and stage_of.base_image.is_scratch
                and dest == "/"
            ):
                continue  # FROM scratch + COPY --from=x / /: squashing x into one layer
            for src in ins.args[:-1]:
                path = src.text.strip("\"'")
                if path not in ROOT_SOURCES:
                    continue
                stage = df.stages[ins.stage].label if ins.stage is not None else "?"
                yield self.finding(
                    src.span,
                    f"COPY --from={flag.value} {path} copies the whole filesystem of "
                    f"'{flag.value}' into the shipped stage '{stage}', its toolchain, caches "
                    "and leftovers included: copy only the files the application needs",
                )
                break
