from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Instruction
from dslint.rule import Finding, Rule, Severity


def _is_shell(i: Instruction) -> bool:
    return i.keyword == "SHELL" or (i.inner is not None and i.inner.keyword == "SHELL")


class ShellFormCmd(Rule):
    """CMD or ENTRYPOINT in shell form, while the stage has no SHELL of its own.

    ## Why
    In shell form, Docker runs the command as `/bin/sh -c "..."`: the shell is
    PID 1, does not pass SIGTERM on, and `docker stop` waits for its timeout
    and then kills the process. The exec (JSON array) form runs the program
    directly. This is BuildKit's JSONArgsRecommended and hadolint's DL3025 (for
    CMD and ENTRYPOINT; hadolint 2.15 also flags `HEALTHCHECK CMD` in shell
    form, which dslint does not: a health check is a short-lived process that
    gets no signal to forward).

    A SHELL instruction says the shell form is intended, so, as in BuildKit, a
    SHELL earlier in the stage or in any stage it is built `FROM` (the image
    config, SHELL included, is inherited through `FROM <stage>`) silences the
    rule. A SHELL that comes after the CMD does not: the CMD was already set.

    ## Bad
    ```dockerfile
    FROM node:22-slim
    COPY server.js /app/
    CMD node /app/server.js
    ```

    ## Good
    ```dockerfile
    FROM node:22-slim
    COPY server.js /app/
    CMD ["node", "/app/server.js"]
    ```
    """

    code = "DSL604"
    name = "shell-form-cmd"
    severity = Severity.WARNING
    buildkit = ("JSONArgsRecommended",)
    hadolint = ("DL3025",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        # Whether a SHELL ran by the end of each stage, its FROM ancestors included
        # (any possible parent counts): one pass in file order, parents first.
        has_shell: list[bool] = []
        for stage in df.stages:
            shell_seen = any(has_shell[p] for p in stage.base_stages if p < stage.index)
            for ins in stage.instructions:
                if (
                    ins.keyword in ("CMD", "ENTRYPOINT")
                    and not ins.json
                    and ins.rest
                    and not shell_seen
                ):
                    yield self.finding(
                        ins.rest.span,
                        f"{ins.keyword} in shell form runs under /bin/sh -c, which does "
                        f"not forward stop signals to the program (stage "
                        f"'{stage.label}'); write it as a JSON array, "
                        f'{ins.keyword} ["executable", "arg", ...]',
                    )
                shell_seen = shell_seen or _is_shell(ins)
            has_shell.append(shell_seen)
