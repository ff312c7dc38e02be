from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Instruction
from dslint.rule import Finding, Rule, Severity

_ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


class OverriddenInstruction(Rule):
    """A stage has several CMD, ENTRYPOINT or HEALTHCHECK instructions: only the last counts.

    ## Why
    Each of these sets one field of the image config, so a second one silently
    replaces the first. The finding is on the earlier, dead instruction, as in
    BuildKit's MultipleInstructionsDisallowed check (hadolint's DL4003 for CMD,
    DL4004 for ENTRYPOINT and DL3012 for HEALTHCHECK report the same thing).
    Counting is per stage: a CMD in a stage that replaces the one it inherits
    through `FROM <stage>` is the normal way to change it and is not reported.
    ONBUILD triggers run in another build and are not counted.

    ## Bad
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "http.server"]
    COPY app.py /app/
    CMD ["python", "/app/app.py"]
    ```

    ## Good
    ```dockerfile
    FROM python:3.12-slim AS base
    CMD ["python", "-m", "http.server"]

    FROM base
    COPY app.py /app/
    CMD ["python", "/app/app.py"]
    ```
    """

    code = "DSL606"
    name = "overridden-instruction"
    severity = Severity.WARNING
    buildkit = ("MultipleInstructionsDisallowed",)
    hadolint = ("DL4003", "DL4004", "DL3012")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            last: dict[str, Instruction] = {}
            for ins in reversed(stage.instructions):
                if ins.keyword not in _ONCE:
                    continue
                later = last.get(ins.keyword)
                if later is not None:
                    yield self.finding(
                        ins.keyword_token.span,
                        f"this {ins.keyword} has no effect: the {ins.keyword} on line "
                        f"{later.line} replaces it in stage '{stage.label}'; keep only one",
                    )
                else:
                    last[ins.keyword] = ins
