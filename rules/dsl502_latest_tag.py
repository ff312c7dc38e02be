from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl501_untagged_image import external_images


class LatestTag(Rule):
    """An external image is pinned to the moving `latest` tag.

    ## Why
    `latest` is not a version: it moves whenever the image's publisher pushes,
    so the same Dockerfile builds different images over time and a rebuild can
    break with no change on your side. A digest (`image:latest@sha256:...`)
    pins the image and is fine. dslint checks `FROM`, `COPY --from=<image>` and
    `RUN --mount=from=<image>`, and a FROM whose global ARG defaults give
    `latest`.

    ## Bad
    ```dockerfile
    FROM node:latest
    COPY --from=alpine/git:latest /usr/bin/git /usr/bin/git
    ```

    ## Good
    ```dockerfile
    FROM node:22.11-bookworm-slim
    COPY --from=alpine/git:v2.45.2 /usr/bin/git /usr/bin/git
    ```
    """

    code = "DSL502"
    name = "latest-tag"
    severity = Severity.WARNING
    hadolint = ("DL3007",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ext in external_images(ctx):
            image = ext.image
            if image.tag != "latest" or image.digest is not None:
                continue
            yield self.finding(
                ext.reference.span,
                f"{ext.where} uses the tag 'latest'{ext.how}, which moves with every push "
                f"of {image.name}; pin a version tag or a digest",
            )
