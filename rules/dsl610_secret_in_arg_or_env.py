from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.secrets import looks_secret


class SecretInArgOrEnv(Rule):
    """An ARG or ENV whose name says it holds a secret (password, token, key...).

    ## Why
    Build arguments and environment variables are not secret: ENV values are
    stored in the image config for anyone who pulls it, and ARG values show up
    in `docker history`, in the build cache and in provenance attestations.
    Pass secrets with `RUN --mount=type=secret` instead. Names are matched as
    in BuildKit's SecretsUsedInArgOrEnv check: a whole `_`-separated word is
    one of apikey, auth, credential(s), key, password, pword, passwd, secret or
    token, and no word is public, file or version (`GITHUB_TOKEN` matches,
    `AUTHOR` and `KEY_FILE` do not).

    Stage-aware: an ENV in a stage that is not part of the shipped image (the
    target and the stages it is built `FROM`) does not reach the image config,
    so it is reported as info rather than a warning; the value is still in that
    stage's cache and history.

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    ARG GITHUB_TOKEN
    RUN wget --header="Authorization: token $GITHUB_TOKEN" https://example.com/file
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    RUN --mount=type=secret,id=github_token \\
        wget --header="Authorization: token $(cat /run/secrets/github_token)" https://example.com/file
    ```
    """

    code = "DSL610"
    name = "secret-in-arg-or-env"
    severity = Severity.WARNING
    buildkit = ("SecretsUsedInArgOrEnv",)
    hadolint = ("DL3064",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        shipped = set(ctx.shipped_chain)
        for ins in df.instructions:
            if ins.keyword not in ("ARG", "ENV"):
                continue
            for kv in ins.key_values:
                if not looks_secret(kv.key):
                    continue
                severity = None
                where = ""
                if ins.stage is not None and df.stages:
                    label = df.stages[ins.stage].label
                    where = f" in stage '{label}'"
                    if ins.keyword == "ENV" and shipped and ins.stage not in shipped:
                        severity = Severity.INFO
                        where += " (not in the shipped image, but in its cache and history)"
                if ins.keyword == "ENV":
                    risk = "ENV values are stored in the image config"
                else:
                    risk = "build arguments show up in the image history and provenance"
                yield self.finding(
                    kv.key_span,
                    f"{ins.keyword} {kv.key}{where} looks like a secret and {risk}; "
                    "pass it with RUN --mount=type=secret instead",
                    severity=severity,
                )
