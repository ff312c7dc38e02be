from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Instruction
from dslint.rule import Finding, Rule, Severity
from dslint.scopes import Definition, Kind, is_predefined


def _mentions(ins: Instruction, name: str) -> bool:
    """``$NAME``/``${NAME...}`` anywhere in the instruction or its heredocs."""
    pattern = re.compile(rf"\$\{{?{re.escape(name)}(?![A-Za-z0-9_])")
    if pattern.search(ins.original):
        return True
    return any(pattern.search(doc.body) for doc in ins.heredocs)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _plain(d: Definition) -> bool:
    """A real name, not a word of a trailing ``# comment`` (``ARG A=1 # note``
    declares ``#`` and ``note`` too: BuildKit has no inline comments)."""
    if not _IDENTIFIER.fullmatch(d.name) or d.instruction is None:
        return False
    for kv in d.instruction.key_values:
        if kv.key.startswith("#"):
            return False
        if kv.key_span == d.span:
            return True
    return True


class UnusedArg(Rule):
    """An ARG that nothing uses.

    ## Why
    A global ARG is visible only to FROM lines and to stages that redeclare
    it: one that no FROM uses and no stage declares has no effect, and
    `--build-arg` for it silently does nothing. A stage ARG that no later
    instruction of the stage (or of a stage built FROM it) expands, and that
    no later RUN can read from its environment, is dead too. Remove it, or
    declare it where it is needed.

    ## Bad
    ```dockerfile
    ARG VERSION=1.0
    FROM alpine:3.20
    COPY app /app
    ```

    ## Good
    ```dockerfile
    ARG VERSION=1.0
    FROM alpine:3.20
    ARG VERSION
    LABEL org.opencontainers.image.version=$VERSION
    COPY app /app
    ```
    """

    code = "DSL206"
    name = "unused-arg"
    severity = Severity.INFO

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        scopes = ctx.scopes
        stage_args = {d.name for d in scopes.definitions if d.kind == Kind.ARG}
        not_in_scope = {r.use.name for r in scopes.resolved if r.status == "global"}
        seen: set[str] = set()
        globals_ = [d for d in scopes.definitions if d.kind == Kind.GLOBAL_ARG]
        for d in reversed(globals_):  # report the last declaration of a name once
            name = d.name
            if name in seen or is_predefined(name) or not _plain(d):
                continue
            seen.add(name)
            if name in stage_args or name in not_in_scope:
                continue
            users = [s.from_instruction for s in df.stages] + [
                ins for ins in df.global_args if ins is not d.instruction
            ]
            if any(_mentions(ins, name) for ins in users):
                continue
            if d.span is None:
                continue
            yield self.finding(
                d.span,
                f"global ARG {name} is used by no FROM and declared in no stage, so it has "
                f"no effect; remove it or add `ARG {name}` to the stage that needs it",
            )
        for d in scopes.definitions:
            if d.kind != Kind.ARG or d.stage is None or d.instruction is None:
                continue
            if is_predefined(d.name) or d.span is None or not _plain(d):
                continue
            if d.instruction.keyword == "ONBUILD":
                continue
            if self._used(ctx, d.stage, d.instruction, d.name):
                continue
            label = df.stages[d.stage].label
            yield self.finding(
                d.span,
                f"ARG {d.name} is never used in stage '{label}' or the stages built FROM it, "
                f"and no RUN follows that could read it; remove it",
            )

    def _used(self, ctx: Context, stage: int, decl: Instruction, name: str) -> bool:
        df = ctx.dockerfile
        for st in df.stages:
            if stage not in ctx.graph.from_chain(st.index):
                continue
            for ins in st.instructions:
                if st.index == stage and ins.index <= decl.index:
                    continue
                if ins.keyword in ("RUN", "ONBUILD") or _mentions(ins, name):
                    return True
        return False
