"""Compare dslint's model with BuildKit's own parser (the ``dockerfile`` package).

The ``dockerfile`` package binds moby/buildkit's Go parser. It is a test
oracle only: never imported by dslint itself.
"""

from __future__ import annotations

from typing import Any

from dslint.model import Dockerfile, Instruction


def our_view(ins: Instruction) -> tuple[Any, ...]:
    """An instruction in the shape the oracle reports it."""
    sub_cmd = None
    target = ins
    flags: tuple[str, ...] = tuple(
        f"--{f.name}" + (f"={f.value}" if f.value is not None else "") for f in ins.flags
    )
    if ins.keyword == "ONBUILD" and ins.inner is not None:
        target = ins.inner
        sub_cmd = target.keyword
        flags = ()
    value = tuple(a.text for a in target.args)
    heredocs = tuple((h.name, h.fd, h.body) for h in target.heredocs)
    return (ins.keyword, sub_cmd, target.json, ins.line, ins.end_line, flags, value, heredocs)


def oracle_view(cmd: Any) -> tuple[Any, ...]:
    heredocs = tuple((h.name, h.file_descriptor, h.content) for h in cmd.heredocs)
    sub = cmd.sub_cmd.upper() if cmd.sub_cmd else None
    return (
        cmd.cmd.upper(),
        sub,
        cmd.json,
        cmd.start_line,
        cmd.end_line,
        tuple(cmd.flags),
        tuple(cmd.value),
        heredocs,
    )


def differences(df: Dockerfile, commands: Any) -> list[str]:
    """Human-readable differences between our instructions and the oracle's."""
    ours = [our_view(i) for i in df.instructions]
    theirs = [oracle_view(c) for c in commands]
    out = []
    for a, b in zip(ours, theirs, strict=False):
        if a != b:
            out.append(f"dslint {a!r}\n  buildkit {b!r}")
    if len(ours) != len(theirs):
        out.append(f"dslint has {len(ours)} instructions, buildkit {len(theirs)}")
    return out
