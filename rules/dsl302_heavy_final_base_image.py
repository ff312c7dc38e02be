from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.images import format_size
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl3_shipped import (
    build_stage_reason,
    is_dev_target,
    is_windows,
    known_root,
    runs_application,
    target_stage,
)


class HeavyFinalBaseImage(Rule):
    """The shipped image starts from a heavy build image while a lighter runtime image exists.

    ## Why
    The default tags of `node`, `python` and `ruby` are built on buildpack-deps
    (compilers and development headers), and `golang`, `rust`, `maven`,
    `gradle`, JDK and .NET SDK images carry a whole toolchain. As the base of
    the shipped image they make it several times larger than needed: slower to
    pull and start, and more packages to keep patched. The message gives both
    compressed sizes (docker-library/repo-info) and a runtime image with the
    same version. Only images meant to run an application (CMD, ENTRYPOINT or
    EXPOSE) are judged, not targets named as dev or test environments; when
    the shipped stage is a build stage altogether, DSL301 reports it instead.

    ## Bad
    ```dockerfile
    FROM node:20.15-bookworm
    WORKDIR /app
    COPY . .
    RUN npm ci --omit=dev
    CMD ["node", "server.js"]
    ```

    ## Good
    ```dockerfile
    FROM node:20.15-bookworm-slim
    WORKDIR /app
    COPY . .
    RUN npm ci --omit=dev
    CMD ["node", "server.js"]
    ```
    """

    code = "DSL302"
    name = "heavy-final-base-image"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        if build_stage_reason(ctx) is not None:
            return  # DSL301: the shipped stage is a build stage
        stage = target_stage(ctx)
        if stage is None or is_dev_target(ctx) or is_windows(ctx) or not runs_application(ctx):
            return  # a dev, tool or base image may start from a toolchain on purpose
        root = known_root(ctx)
        info = root.info if root is not None else None
        if root is None or info is None or not info.heavy:
            return
        options = [
            a
            for a in info.alternatives()
            if info.size_mb is None or a.size_mb is None or a.size_mb < info.size_mb
        ]
        if options:
            where = f" (in stage '{root.stage.label}')" if root.stage is not stage else ""
            listed = " or ".join(f"{a.image} ({format_size(a.size_mb)})" for a in options[:2])
            yield self.finding(
                root.span,
                f"the shipped stage '{stage.label}' starts from {root.image}{where} "
                f"({format_size(info.size_mb)} "
                "compressed), a build image whose toolchain the application does not need at "
                f"run time: start the shipped stage from {listed}",
            )
