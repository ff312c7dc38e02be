from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl3_shipped import chain_instructions, known_root, target_stage

# Stage names of an export stage: files written out with `docker build --output`.
# Instructions that configure how a container runs: a stage with one is meant to run.
_RUNTIME_SETTINGS = frozenset(
    {"EXPOSE", "USER", "WORKDIR", "HEALTHCHECK", "VOLUME", "STOPSIGNAL", "ENV"}
)
_EXPORT_NAMES = ("export", "artifact", "artifacts", "binary", "binaries", "bin", "out", "output")


class FinalStageWithoutCommand(Rule):
    """The shipped image has no command to run, and its base has none either.

    ## Why
    `scratch` and distroless images define no CMD or ENTRYPOINT. A shipped
    stage built on them without its own CMD or ENTRYPOINT (in it or in a
    parent stage) gives an image that `docker run` refuses to start ("no
    command specified"). Export stages that only collect files for
    `docker build --output` (named like `export` or `binary`), stages that
    assemble a root filesystem (`COPY --from=x /rootfs /`), and `scratch`
    images that only hold files (nothing like EXPOSE, USER, WORKDIR or ENV says
    they are meant to run) are left alone.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .

    FROM gcr.io/distroless/static-debian12:nonroot AS runtime
    COPY --from=build /out/app /app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .

    FROM gcr.io/distroless/static-debian12:nonroot AS runtime
    COPY --from=build /out/app /app
    ENTRYPOINT ["/app"]
    ```
    """

    code = "DSL305"
    name = "final-stage-without-command"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        stage = target_stage(ctx)
        root = known_root(ctx)
        if stage is None or root is None or root.info is None:
            return
        if root.info.has_default_command:
            return
        if any(
            ins.keyword in ("CMD", "ENTRYPOINT") for ins in chain_instructions(ctx, possible=True)
        ):
            return
        if _is_export_stage(ctx):
            return
        instructions = chain_instructions(ctx)
        if root.info.family == "scratch" and not any(
            ins.keyword in _RUNTIME_SETTINGS for ins in instructions
        ):
            return  # a data image (files only): nothing says it is meant to run
        if root.info.has_shell:
            advice = "an ENTRYPOINT or CMD"
        else:
            advice = '`ENTRYPOINT ["/path/to/app"]` in exec form (the image has no shell)'
        yield self.finding(
            root.span,
            f"the shipped stage '{stage.label}' has no CMD or ENTRYPOINT and {root.image} "
            f"defines none, so `docker run` cannot start the image: add {advice}",
        )


def _is_export_stage(ctx: Context) -> bool:
    """A stage that gathers files to write out with ``--output``, or assembles
    a root filesystem (a base image): named so, or copying to ``/``."""
    instructions = chain_instructions(ctx)
    stage = target_stage(ctx)
    alias = (stage.alias if stage is not None else None) or ""
    if any(alias == n or alias.startswith((n + "-", n + "_")) for n in _EXPORT_NAMES):
        return True
    return any(
        ins.keyword in ("COPY", "ADD") and ins.args and ins.args[-1].text.strip("\"'") == "/"
        for ins in instructions
    )
