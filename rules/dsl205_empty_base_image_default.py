from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.parser import expand, global_arg_defaults
from dslint.rule import Finding, Rule, Severity
from dslint.scopes import AUTOMATIC_ARGS
from dslint.shell import expansions

# The image reference grammar of the distribution project (docker/reference).
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_HOST = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_HOST}(?:\.{_HOST})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_TAG = r"\w[\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
REFERENCE = re.compile(
    rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::{_TAG})?(?:@{_DIGEST})?\Z"
)
# Plausible values of the automatic platform ARGs, so that only the global
# defaults decide whether a reference is valid.
_PLACEHOLDERS = {
    "BUILDPLATFORM": "linux/amd64",
    "TARGETPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "TARGETOS": "linux",
    "BUILDARCH": "amd64",
    "TARGETARCH": "amd64",
    "BUILDVARIANT": "v8",
    "TARGETVARIANT": "v8",
}
_SIMPLE = frozenset({None, ":-", "-", ":+", "+"})


def is_valid_reference(text: str) -> bool:
    """An image reference BuildKit can pull: ``[host[:port]/]path[:tag][@digest]``."""
    return bool(REFERENCE.match(text))


class EmptyBaseImageDefault(Rule):
    """With the global ARG defaults alone, a FROM image is empty or not a valid reference.

    ## Why
    `ARG TAG` without a default, then `FROM alpine:${TAG}`, gives `alpine:`
    unless every build passes `--build-arg TAG=...`; BuildKit stops with an
    invalid reference error. Give the global ARG a default that works, or use
    `${TAG:-3.20}` in the FROM line.

    ## Bad
    ```dockerfile
    ARG TAG
    FROM alpine:${TAG}
    ```

    ## Good
    ```dockerfile
    ARG TAG=3.20
    FROM alpine:${TAG}
    ```
    """

    code = "DSL205"
    name = "empty-base-image-default"
    severity = Severity.WARNING
    buildkit = ("InvalidDefaultArgInFrom",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        defaults = global_arg_defaults(df, automatic=_PLACEHOLDERS)
        values: dict[str, str | None] = {**_PLACEHOLDERS, **defaults}
        aliases = {s.name.text for s in df.stages if s.name is not None}
        for stage in df.stages:
            base = stage.base
            if base is None or "$" not in base.text:
                continue
            found = expansions(base.text, df.escape)
            names = {e.name for e in found}
            if not names or not any(n in defaults for n in names):
                continue
            if any(e.operator not in _SIMPLE for e in found):
                continue  # ${X/a/b}, ${X#p}: patterns we do not evaluate
            if any(n not in defaults and n not in AUTOMATIC_ARGS for n in names):
                continue  # an undeclared variable: DSL204
            result = expand(base.text, values).replace('"', "").replace("'", "")
            if result in aliases or is_valid_reference(result):
                continue
            shown = "an empty name" if not result else f"'{result}'"
            bare = sorted(n for n in names if defaults.get(n) in (None, ""))
            hint = (
                f"give ARG {', '.join(bare)} a default" if bare else "fix the global ARG defaults"
            )
            yield self.finding(
                base.span,
                f"with its global ARG defaults, FROM {base.text} expands to {shown}, "
                f"which is not a valid image reference; {hint}",
            )
