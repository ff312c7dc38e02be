from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dslint.engine import Context
from dslint.model import Dockerfile, Instruction, Stage
from dslint.parser import has_variable
from dslint.rule import Finding, Rule, Severity

_DRIVE = re.compile(r"^[A-Za-z]:([\\/]|$)")


def unquote(text: str) -> str:
    """The word without one pair of surrounding quotes."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def is_absolute(path: str) -> bool:
    """Absolute on Linux (``/x``) or Windows (``C:\\x``, ``C:/x``, ``\\x``)."""
    return path.startswith(("/", "\\")) or bool(_DRIVE.match(path))


@dataclass(frozen=True, slots=True)
class Workdir:
    """What the Dockerfile says about a stage's working directory at a point.

    ``set``: a WORKDIR ran earlier in the stage or in its FROM chain (BuildKit's
    ``workdirSet``, inherited through ``FROM <stage>``). ``path``: the directory
    when the Dockerfile alone decides it (None when it depends on a base image,
    a variable or one of several possible parents). ``scratch``: the chain
    starts FROM scratch, whose working directory is ``/``."""

    set: bool
    path: str | None
    scratch: bool = False


def apply_workdir(state: Workdir, ins: Instruction) -> Workdir:
    value = unquote(ins.args[0].text) if ins.args else ""
    if not value or has_variable(value):
        return Workdir(True, None, state.scratch)
    if is_absolute(value):
        if value.startswith("/"):
            return Workdir(True, posixpath.normpath(value).replace("//", "/"), state.scratch)
        return Workdir(True, None, state.scratch)  # a Windows path: not followed
    base = state.path if state.path is not None else ("/" if state.scratch else None)
    if base is None:
        return Workdir(True, None, state.scratch)
    return Workdir(True, posixpath.normpath(posixpath.join(base, value)), state.scratch)


def _start(stage: Stage, ends: list[Workdir]) -> Workdir:
    """The working directory a stage starts with, given the end states of the
    stages before it."""
    parents = [p for p in stage.base_stages if p < stage.index]
    if not parents:
        scratch = stage.base_image is not None and stage.base_image.is_scratch
        return Workdir(False, "/" if scratch else None, scratch)
    found = [ends[p] for p in parents]
    paths = {w.path for w in found}
    return Workdir(
        any(w.set for w in found),
        found[0].path if len(paths) == 1 else None,
        all(w.scratch for w in found),
    )


# The end state of every stage of the last file asked about: computed once, in
# file order (parents come first), so long FROM chains cost linear time and no
# recursion. Kept for one file at a time: rules run file by file.
_last_ends: tuple[Dockerfile, list[Workdir]] | None = None


def stage_end_workdirs(df: Dockerfile) -> list[Workdir]:
    """The working directory at the end of each stage, by stage index."""
    global _last_ends
    if _last_ends is not None and _last_ends[0] is df:
        return _last_ends[1]
    ends: list[Workdir] = []
    for stage in df.stages:
        state = _start(stage, ends)
        for ins in stage.instructions:
            if ins.keyword == "WORKDIR":
                state = apply_workdir(state, ins)
        ends.append(state)
    _last_ends = (df, ends)
    return ends


def workdir_at_start(df: Dockerfile, stage: Stage) -> Workdir:
    """The working directory a stage starts with (after its FROM)."""
    return _start(stage, stage_end_workdirs(df))


def workdir_before(df: Dockerfile, stage: Stage, before: Instruction | None) -> Workdir:
    """The working directory just before ``before`` (None: at the end of the stage)."""
    if before is None:
        return stage_end_workdirs(df)[stage.index]
    state = workdir_at_start(df, stage)
    for ins in stage.instructions:
        if ins is before:
            break
        if ins.keyword == "WORKDIR":
            state = apply_workdir(state, ins)
    return state


class RelativeWorkdir(Rule):
    """The first WORKDIR of a stage chain is a relative path.

    ## Why
    A relative WORKDIR is resolved against the working directory the base image
    happens to set, which the Dockerfile does not show and which changes when
    the base image does. BuildKit's `WorkdirRelativePath` check warns about the
    first WORKDIR of a stage when no WORKDIR ran before it in that stage or in
    the stages it is built `FROM`; once an absolute WORKDIR is set, a relative
    one is relative to a known directory and is fine. Windows paths such as
    `C:\\app` are absolute, and a path starting with a variable is not judged.

    ## Bad
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR app
    COPY . .
    ```

    ## Good
    ```dockerfile
    FROM python:3.12-slim AS base
    WORKDIR /srv
    FROM base AS app
    WORKDIR app
    COPY . .
    ```
    """

    code = "DSL401"
    name = "relative-workdir"
    severity = Severity.WARNING
    buildkit = ("WorkdirRelativePath",)
    hadolint = ("DL3000",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in df.stages:
            state = workdir_at_start(df, stage)
            for ins in stage.instructions:
                if ins.keyword != "WORKDIR" or not ins.args:
                    continue
                value = unquote(ins.args[0].text)
                if not state.set and value and not value.startswith("$") and not is_absolute(value):
                    origin = chain_base(df, stage)
                    yield self.finding(
                        ins.args[0].span,
                        f"WORKDIR {value} in stage '{stage.label}' is relative to the working "
                        f"directory of {origin}, which this Dockerfile does not set; "
                        f"use an absolute path such as /{value.lstrip('./') or 'app'}",
                    )
                state = apply_workdir(state, ins)


def chain_base(df: Dockerfile, stage: Stage) -> str:
    chain_root = stage
    while chain_root.base_stage is not None and chain_root.base_stage < chain_root.index:
        chain_root = df.stages[chain_root.base_stage]
    base = chain_root.base
    if base is None:
        return "the base image"
    expanded = chain_root.base_expanded
    return f"base image {expanded if expanded and '$' not in expanded else base.text}"
