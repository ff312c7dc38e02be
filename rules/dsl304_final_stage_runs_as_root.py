from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Instruction
from dslint.parser import has_variable
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl3_shipped import chain_instructions, is_windows, root, target_stage

# Tools an entrypoint uses to drop root at start (the image then starts as root on purpose).
_PRIVILEGE_DROP = re.compile(
    r"(?<![\w-])(gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst|setuidgid)(?![\w-])"
)


def _user_name(ins: Instruction) -> str | None:
    """The user part of ``USER name[:group]``, unquoted; None when absent."""
    if not ins.args:
        return None
    text = ins.args[0].text.strip("\"'")
    return text.split(":", 1)[0]


def is_root(user: str) -> bool:
    return user in ("root", "0")


class FinalStageRunsAsRoot(Rule):
    """The shipped image runs as root.

    ## Why
    Without a `USER` instruction the container's process runs as root (uid 0)
    unless the base image sets another user; a process that is compromised
    then owns the whole container and anything mounted into it. The check
    follows the shipped chain: a `USER` in a parent stage (`FROM base AS
    runtime`) counts, builder stages are not judged, and a base the knowledge
    base knows to run as non-root (distroless `:nonroot`, .NET chiseled) needs
    no `USER`. Images that drop privileges at start with `gosu`, `su-exec` or
    `setpriv`, images that run nothing (`scratch` with only files) and Windows
    images are left alone. hadolint's DL3002 checks the last `USER` of every
    stage instead.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .

    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    CMD ["app"]
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .

    FROM alpine:3.20
    RUN adduser -D -u 10001 app
    COPY --from=build /out/app /usr/local/bin/app
    USER app
    CMD ["app"]
    ```
    """

    code = "DSL304"
    name = "final-stage-runs-as-root"
    severity = Severity.WARNING
    hadolint = ("DL3002",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if is_windows(ctx):
            return
        stage = target_stage(ctx)
        if stage is None:
            return
        # Anything in a possible parent (FROM with a variable) silences the rule.
        for ins in chain_instructions(ctx, possible=True):
            if ins.keyword in ("RUN", "CMD", "ENTRYPOINT", "COPY", "ADD") and (
                _PRIVILEGE_DROP.search(ins.original)
                or any(_PRIVILEGE_DROP.search(h.body) for h in ins.heredocs)
            ):
                return
        possible_users = [
            ins for ins in chain_instructions(ctx, possible=True) if ins.keyword == "USER"
        ]
        last_user: Instruction | None = None
        for ins in chain_instructions(ctx):
            if ins.keyword == "USER":
                last_user = ins
        if last_user is not None:
            user = _user_name(last_user)
            if user is None or has_variable(user) or not is_root(user):
                return
            yield self.finding(
                last_user.args[0].span,
                f"the last USER of the shipped stage '{stage.label}' is {user}, so the "
                "container runs as root: switch to an unprivileged user after the steps "
                "that need root",
            )
            return
        if possible_users:
            return
        base = root(ctx)
        if base is None or (base.info is not None and base.info.nonroot):
            return  # the base image is not known, or runs as non-root
        if base.info is not None and not base.info.has_default_command:
            commands = [
                ins
                for ins in chain_instructions(ctx, possible=True)
                if ins.keyword in ("CMD", "ENTRYPOINT")
            ]
            if not commands:
                return  # nothing runs in it: a data or export image
        yield self.finding(
            base.span,
            f"the shipped stage '{stage.label}' has no USER and {base.image} runs as root "
            "by default: create an unprivileged user and switch to it with USER "
            "(e.g. `USER 10001`)",
        )
