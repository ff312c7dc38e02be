from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.images import format_size
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl3_shipped import Root, build_stage_reason, known_root, stage_span


class MissingRuntimeStage(Rule):
    """The stage a multi-stage build ships is a build stage, not a runtime stage.

    ## Why
    A multi-stage build keeps compilers, SDKs and sources in earlier stages and
    ships a last stage that starts from a small runtime base and receives only
    the result with `COPY --from`. When the target stage (`--target`, default
    the last) starts from a build-only image (golang, rust, maven, gradle, gcc,
    buildpack-deps, dotnet/sdk) or runs the build itself (`go build`,
    `mvn package`, `npm run build`, `make`...), the toolchain, the sources and
    the build caches ship with the application: a larger image to pull and more
    packages to patch. Targets named as a build or test environment (`dev`,
    `test`, `ci`...) are left alone.

    ## Bad
    ```dockerfile
    FROM node:20-alpine AS deps
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci

    FROM golang:1.22 AS app
    WORKDIR /src
    COPY . .
    RUN go build -o /out/app .
    CMD ["/out/app"]
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    RUN CGO_ENABLED=0 go build -o /out/app .

    FROM gcr.io/distroless/static-debian12:nonroot
    COPY --from=build /out/app /app
    ENTRYPOINT ["/app"]
    ```
    """

    code = "DSL301"
    name = "missing-runtime-stage"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        reason = build_stage_reason(ctx)
        if reason is None:
            return
        stage = reason.stage
        label = stage.label
        if reason.root is not None and reason.root.info is not None:
            info = reason.root.info
            via = "" if reason.root.stage is stage else f" (in stage '{reason.root.stage.label}')"
            why = (
                f"stage '{label}' is what this file ships, and it starts from "
                f"{reason.root.image}{via}, a build toolchain ({format_size(info.size_mb)} "
                "compressed)"
            )
            span = reason.root.span
            root: Root | None = reason.root
            alternatives = info.alternatives()
        else:
            assert reason.step is not None
            why = (
                f"stage '{label}' is what this file ships, and it runs the build itself "
                f"(`{reason.step.what}` on line {reason.step.instruction.line}), "
                "so the toolchain and sources ship too"
            )
            span = stage_span(stage)
            root = known_root(ctx)
            alternatives = root.info.alternatives() if root and root.info else []
        ref = stage.name.text if stage.name is not None else str(stage.index)
        if alternatives:
            base = alternatives[0].image
        elif root is not None and root.info is not None and not root.info.toolchain:
            base = root.image  # already a runtime base: start the runtime stage from it
        else:
            base = "<a small runtime image>"
        yield self.finding(
            span,
            f"{why}: add a runtime stage after it, `FROM {base}` with "
            f"`COPY --from={ref} <built files> <dest>`, "
            "so only the result ships",
        )
