from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dslint.engine import Context
from dslint.graph import Reference
from dslint.model import ImageRef
from dslint.parser import has_variable, parse_image_ref
from dslint.rule import Finding, Rule, Severity


@dataclass(frozen=True, slots=True)
class ExternalImage:
    """An external image a FROM, ``COPY --from`` or ``--mount from=`` pulls."""

    reference: Reference
    image: ImageRef
    expanded: bool  # the FROM had variables, replaced by their global ARG defaults

    @property
    def where(self) -> str:
        ref = self.reference
        if ref.kind == "from":
            return f"FROM {ref.text}"
        if ref.kind == "copy":
            return f"COPY --from={ref.text}"
        return f"RUN --mount from={ref.text}"

    @property
    def how(self) -> str:
        if self.expanded:
            return f" (with the global ARG defaults it is {self.image.text})"
        return ""


def external_images(ctx: Context) -> Iterator[ExternalImage]:
    """Every reference that pulls an image, never a stage, scratch or a name
    that may be a stage or a named build context. A FROM with variables counts
    only when the global ARG defaults give it a complete value."""
    df = ctx.dockerfile
    for ref in ctx.graph.references:
        if ref.kind == "from":
            if ref.status != "image":
                continue
            stage = df.stages[ref.stage]
            image = stage.base_image
            if image is None or image.is_scratch or not image.text:
                continue
            expanded = has_variable(ref.text)
            if expanded and (stage.base_expanded is None or has_variable(stage.base_expanded)):
                continue
            yield ExternalImage(ref, image, expanded)
        elif ref.status == "image" and not has_variable(ref.text):
            image = ref.image or parse_image_ref(ref.text)
            if not image.is_scratch:
                yield ExternalImage(ref, image, False)


class UntaggedImage(Rule):
    """An external image is used without a tag or digest, so it means `:latest`.

    ## Why
    Without a tag the builder pulls `latest`, whatever that is on the day of the
    build: two builds of the same commit can get different base images, and a
    new major version of the image can break the build without any change to
    the Dockerfile. This holds for `FROM`, for `COPY --from=<image>` and for
    `RUN --mount=from=<image>` alike. A stage name, `scratch`, a digest, or a
    FROM whose variables default to a tagged image are fine, and a FROM whose
    variables have no default is decided at build time. A bare `--from=name`
    that names no stage is reported by DSL101 unknown-stage-reference instead.

    ## Bad
    ```dockerfile
    FROM python AS build
    COPY --from=ghcr.io/astral-sh/uv /uv /usr/local/bin/uv
    ```

    ## Good
    ```dockerfile
    ARG PYTHON=python:3.12-slim
    FROM ${PYTHON} AS build
    COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /usr/local/bin/uv
    FROM build
    ```
    """

    code = "DSL501"
    name = "untagged-image"
    severity = Severity.WARNING
    hadolint = ("DL3006",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ext in external_images(ctx):
            image = ext.image
            if image.tag is not None or image.digest is not None:
                continue
            yield self.finding(
                ext.reference.span,
                f"{ext.where} has no tag{ext.how}, so the build pulls whatever "
                f"'{image.name}:latest' is that day; pin a version tag such as "
                f"{image.name}:<version> or a digest",
            )
