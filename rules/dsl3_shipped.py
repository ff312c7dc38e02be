"""What the DSL3xx rules share: the shipped chain, read in build order.

The shipped chain is the target stage (``--target``, default the last stage)
and its FROM ancestors (``ctx.shipped_chain``; every possible parent when FROM
holds variables). Only these stages end up in the image; builder stages that
are only copied from are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dslint.commands import Command, build_command, commands_of
from dslint.engine import Context
from dslint.images import ImageInfo, lookup
from dslint.model import Dockerfile, Instruction, Span, Stage
from dslint.parser import has_variable

# Target stages whose name says they are meant as a build or test environment
# (use .search: the second form is a suffix, found without a leading ``.*``).
DEV_STAGE_NAMES = re.compile(
    r"^(?:dev|devel|develop|development|devcontainer|debug|test|tests|testing|ci|lint|"
    r"tools?|toolchain|builder|build-env|sdk)(?:[-_].*)?$|[-_](?:dev|test|tests|debug|ci|tools?)$"
)


def _unresolved_from(stage: Stage) -> bool:
    """FROM still holds a variable after the global ARG defaults: the parent is a guess."""
    text = stage.base_expanded if stage.base_expanded is not None else ""
    return stage.base is not None and has_variable(stage.base.text) and has_variable(text)


def certain_chain(ctx: Context) -> list[int]:
    """The target and the FROM ancestors it certainly has, ancestors first. A FROM
    whose variable leaves several (or guessed) parents ends the chain."""
    if ctx.target is None:
        return []
    stages = ctx.dockerfile.stages
    out = [ctx.target]
    while True:
        stage = stages[out[-1]]
        if len(stage.base_stages) != 1 or _unresolved_from(stage):
            break
        parent = stage.base_stages[0]
        if parent in out or parent >= out[-1]:
            break
        out.append(parent)
    return sorted(out)


def chain_stages(ctx: Context, *, possible: bool = False) -> list[Stage]:
    """The shipped stages, ancestors first: those certainly shipped, or with
    ``possible`` every stage a variable FROM may name (``ctx.shipped_chain``).
    Rules report what the certain chain does and let anything in a possible
    parent silence them."""
    stages = ctx.dockerfile.stages
    chain = ctx.shipped_chain if possible else certain_chain(ctx)
    return [stages[i] for i in sorted(chain)]


def chain_instructions(ctx: Context, *, possible: bool = False) -> list[Instruction]:
    """The instructions after FROM of the shipped stages, in build order."""
    return [ins for stage in chain_stages(ctx, possible=possible) for ins in stage.instructions]


@dataclass(frozen=True, slots=True)
class Root:
    """A stage of the chain that starts from an external image."""

    stage: Stage
    info: ImageInfo | None  # None: not in the knowledge base, or a variable

    @property
    def span(self) -> Span:
        base = self.stage.base
        return base.span if base is not None else self.stage.from_instruction.span

    @property
    def image(self) -> str:
        ref = self.stage.base_image
        if ref is not None:
            return ref.text
        return self.stage.base.text if self.stage.base is not None else "?"


def root(ctx: Context) -> Root | None:
    """The external image the shipped chain starts from; None when a variable
    FROM leaves it open (the image or the parent stage is not known)."""
    chain = chain_stages(ctx)
    if not chain:
        return None
    first = chain[0]
    if first.base_stages or _unresolved_from(first) or first.base_image is None:
        return None
    return Root(first, lookup(first.base_image))


def known_root(ctx: Context) -> Root | None:
    """:func:`root`, when the knowledge base describes the image."""
    found = root(ctx)
    return found if found is not None and found.info is not None else None


def target_stage(ctx: Context) -> Stage | None:
    return ctx.dockerfile.stages[ctx.target] if ctx.target is not None else None


def stage_span(stage: Stage) -> Span:
    """Where a finding about a whole stage points: its name, else its base."""
    if stage.name is not None:
        return stage.name.span
    if stage.base is not None:
        return stage.base.span
    return stage.from_instruction.keyword_token.span


_WORD_EDGE = r"(?<![A-Za-z0-9_.+/-])"
_WORD_END = r"(?![A-Za-z0-9_+-])"


def find_word(df: Dockerfile, ins: Instruction, word: str, after: Span | None = None) -> Span:
    """The span of ``word`` inside an instruction (heredoc bodies included),
    searching from ``after``; the keyword when it cannot be found."""
    pattern = re.compile(_WORD_EDGE + re.escape(word) + _WORD_END)
    start_line = after.end_line if after is not None else ins.span.line
    for line_no in range(start_line, ins.span.end_line + 1):
        text = df.lines[line_no - 1] if line_no - 1 < len(df.lines) else ""
        offset = 0
        if after is not None and line_no == after.end_line:
            offset = after.end_column - 1
        elif line_no == ins.span.line:
            offset = ins.keyword_token.span.end_column - 1
        m = pattern.search(text, offset)
        if m:
            return Span(line_no, m.start() + 1, line_no, m.end() + 1)
    return ins.keyword_token.span


_WINDOWS_SHELL = re.compile(r"(powershell|pwsh|cmd)(\.exe)?\b", re.IGNORECASE)
_WINDOWS_IMAGE = re.compile(r"nanoserver|windowsservercore|servercore|windows/", re.IGNORECASE)
_DRIVE_PATH = re.compile(r"^[\"']?[A-Za-z]:[\\/]")


def is_windows(ctx: Context) -> bool:
    """A Windows image (a nanoserver/servercore base, a PowerShell/cmd SHELL or
    a ``C:\\`` WORKDIR in the shipped chain): the Linux facts of these rules do
    not apply."""
    for stage in chain_stages(ctx, possible=True):
        base = stage.base_expanded or (stage.base.text if stage.base is not None else "")
        if _WINDOWS_IMAGE.search(base):
            return True
    for ins in chain_instructions(ctx, possible=True):
        if ins.keyword == "SHELL" and _WINDOWS_SHELL.search(ins.original):
            return True
        if ins.keyword == "WORKDIR" and ins.rest is not None and _DRIVE_PATH.match(ins.rest.text):
            return True
    return False


_SHELL_PROGRAM = re.compile(r"^(.*/)?(bash|sh|zsh|ash|dash|fish)$")
_BUILD_PROGRAM = re.compile(r"build|fuzz|test|compile|lint", re.IGNORECASE)
_INIT_PROGRAMS = frozenset({"tini", "tini-static", "dumb-init", "catatonit"})


def _program(ins: Instruction) -> tuple[str, int]:
    """The program a CMD/ENTRYPOINT runs (after an init such as tini) and how
    many words it has from there."""
    if ins.json:
        words = [a.text for a in ins.args]
    else:
        words = [w.strip("\"'") for w in (ins.rest.text if ins.rest else "").split()]
    while words and words[0].rsplit("/", 1)[-1] in _INIT_PROGRAMS:
        words = words[1:]
        while words and words[0].startswith("-"):
            words = words[1:]
    return (words[0] if words else ""), len(words)


def runs_application(ctx: Context) -> bool:
    """Whether the shipped chain is meant to run an application: it sets
    EXPOSE, or a CMD/ENTRYPOINT that is neither a bare shell (a toolbox image)
    nor a build, test or fuzz script (a build environment). Tool, CI and base
    images usually set none of these."""
    for ins in chain_instructions(ctx):
        if ins.keyword == "EXPOSE":
            return True
        if ins.keyword in ("CMD", "ENTRYPOINT"):
            program, count = _program(ins)
            if not program:
                continue
            if _SHELL_PROGRAM.match(program) and count == 1:
                continue
            if _BUILD_PROGRAM.search(program.rsplit("/", 1)[-1]):
                continue
            return True
    return False


DEV_FILE_WORDS = frozenset(
    {
        "ci",
        "dev",
        "devel",
        "development",
        "devcontainer",
        "test",
        "tests",
        "testing",
        "lint",
        "build",
        "builder",
        "fuzz",
        "fuzzing",
        "tools",
        "debug",
        "tilt",
        "check",
    }
)


def is_dev_target(ctx: Context) -> bool:
    """The target stage's name, or the file's name (``Dockerfile.ci``,
    ``test.Dockerfile``), says it is a build, test or dev environment."""
    stage = target_stage(ctx)
    if stage is not None and stage.alias is not None and DEV_STAGE_NAMES.search(stage.alias):
        return True
    name = ctx.dockerfile.path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return any(word in DEV_FILE_WORDS for word in re.split(r"[._-]+", name))


@dataclass(frozen=True, slots=True)
class BuildStep:
    instruction: Instruction
    command: Command
    what: str  # "go build"


def build_steps(ctx: Context) -> list[BuildStep]:
    """The build commands the shipped chain runs itself."""
    out = []
    for ins in chain_instructions(ctx):
        if ins.keyword != "RUN":
            continue
        for cmd in commands_of(ins):
            if cmd.conditional:
                continue
            what = build_command(cmd)
            if what is not None:
                out.append(BuildStep(ins, cmd, what))
    return out


def receives_from_stages(ctx: Context) -> bool:
    """Whether the shipped chain copies or mounts files from another stage."""
    chain = set(ctx.shipped_chain)
    for i in chain:
        for ref in ctx.graph.references_in(i):
            if (
                ref.kind in ("copy", "mount")
                and ref.status in ("stage", "possible")
                and any(t not in chain for t in ref.targets)
            ):
                return True
    return False


@dataclass(frozen=True, slots=True)
class BuildStageReason:
    """Why the target stage is a build stage (DSL301)."""

    stage: Stage  # the target stage
    root: Root | None  # set when the chain starts from a build-only image
    step: BuildStep | None  # set when the chain runs the build itself


def build_stage_reason(ctx: Context) -> BuildStageReason | None:
    """Why the shipped target of a multi-stage file is a build stage, or None.

    A build stage starts from a build-only image (golang, rust, maven, gradle,
    gcc, buildpack-deps, dotnet/sdk) or runs the build itself (``go build``,
    ``mvn package``, ``npm run build``, ``make``...). Only targets meant to run
    an application (CMD, ENTRYPOINT or EXPOSE) that receive nothing from other
    stages count; targets named as a build or test environment (``dev``,
    ``test``, ``ci``, ``tools``...) are meant that way."""
    df = ctx.dockerfile
    stage = target_stage(ctx)
    if stage is None or len(df.stages) < 2:
        return None
    if is_dev_target(ctx) or is_windows(ctx):
        return None
    if not runs_application(ctx):
        return None  # not meant to run an application: a tool, CI or base image
    if receives_from_stages(ctx):
        return None  # a runtime stage already: the base is DSL302's business
    base = known_root(ctx)
    if base is not None and base.info is not None and base.info.build_only:
        return BuildStageReason(stage, base, None)
    steps = build_steps(ctx)
    if steps:
        return BuildStageReason(stage, None, steps[0])
    return None
