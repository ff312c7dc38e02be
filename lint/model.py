"""The Dockerfile model: what BuildKit sees, with a source span on every part.

Positions are 1-based. A :class:`Span` runs from ``(line, column)`` to
``(end_line, end_column)`` where the end column is *exclusive* (the column just
after the last character), as in SARIF and most editors. Columns count Unicode
characters of the line as decoded, after a leading byte-order mark is removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Span(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, other: Span) -> bool:
        return (self.line, self.column) <= (other.line, other.column) and (
            other.end_line,
            other.end_column,
        ) <= (self.end_line, self.end_column)


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of an instruction's text, exactly as written (quotes kept)."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Flag:
    """A builder flag such as ``--from=build``; ``value`` is None for ``--link``."""

    name: str
    value: str | None
    span: Span
    value_span: Span | None


@dataclass(frozen=True, slots=True)
class Mount:
    """One ``RUN --mount=...`` flag, its comma-separated keys parsed."""

    type: str
    options: dict[str, str | None]
    span: Span
    from_span: Span | None

    @property
    def from_(self) -> str | None:
        return self.options.get("from")

    @property
    def target(self) -> str | None:
        for key in ("target", "dst", "destination"):
            if key in self.options:
                return self.options[key]
        return None


@dataclass(frozen=True, slots=True)
class Heredoc:
    """A here-document attached to RUN/COPY/ADD: body is data, never instructions."""

    name: str
    body: str
    chomp: bool  # ``<<-``: leading tabs are stripped from the body
    expand: bool  # False when the delimiter was quoted
    fd: int
    span: Span  # the ``<<EOF`` word on the instruction line
    body_line: int  # first line of the body (the terminator follows the body)

    @property
    def content(self) -> str:
        """The body as the builder uses it (leading tabs removed for ``<<-``)."""
        if not self.chomp:
            return self.body
        return "".join(line.lstrip("\t") for line in self.body.splitlines(keepends=True))


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One ``name[=value]`` of ARG, ENV or LABEL. ``value`` keeps its quotes."""

    key: str
    value: str | None
    span: Span
    key_span: Span
    legacy: bool = False  # ``ENV key value`` (space-separated) form


@dataclass(slots=True, eq=False)
class Instruction:
    """One instruction, continuation lines joined as BuildKit joins them."""

    keyword: str  # upper-cased: RUN, COPY, ... (unknown keywords too)
    keyword_token: Token  # as written, with its span
    span: Span  # from the keyword to the end of the last line, heredoc bodies included
    original: str  # the logical line after joining continuations
    flags: tuple[Flag, ...]
    rest: Token | None  # the argument text after the flags, trimmed
    args: tuple[Token, ...]  # arguments split the way BuildKit splits this keyword
    json: bool  # exec (JSON array) form
    heredocs: tuple[Heredoc, ...] = ()
    key_values: tuple[KeyValue, ...] = ()  # ARG, ENV, LABEL
    mounts: tuple[Mount, ...] = ()  # RUN --mount
    inner: Instruction | None = None  # ONBUILD's instruction
    comments: tuple[str, ...] = ()  # comment lines directly above
    stage: int | None = None  # index of the stage, None before the first FROM
    index: int = 0  # position among all instructions of the file

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def end_line(self) -> int:
        return self.span.end_line

    def flag(self, name: str) -> Flag | None:
        """The last ``--name`` flag (BuildKit lets a later flag override)."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found

    def flags_named(self, name: str) -> list[Flag]:
        return [f for f in self.flags if f.name == name]


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A parsed image reference ``[registry/]repository[:tag][@digest]``."""

    text: str
    registry: str | None
    repository: str
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        """Registry and repository, without tag or digest."""
        return f"{self.registry}/{self.repository}" if self.registry else self.repository

    @property
    def is_scratch(self) -> bool:
        return self.text.lower() == "scratch"


@dataclass(slots=True, eq=False)
class Stage:
    """A build stage: a FROM instruction and what follows it up to the next FROM."""

    index: int
    from_instruction: Instruction
    base: Token | None  # the image or stage name as written in FROM
    name: Token | None  # the ``AS name`` token as written
    platform: Flag | None
    instructions: list[Instruction] = field(default_factory=list)  # after FROM
    # Filled by the resolver (lint.parser): what the FROM names.
    base_stages: tuple[int, ...] = ()  # earlier stages FROM may name (several if variables)
    base_image: ImageRef | None = None  # the external image, when FROM names no stage
    base_expanded: str | None = None  # base text after global ARG defaults were applied

    @property
    def alias(self) -> str | None:
        """The stage name lowercased, as BuildKit stores it."""
        return self.name.text.lower() if self.name else None

    @property
    def label(self) -> str:
        """How messages name the stage: its name, or ``stage-N`` as BuildKit does."""
        return self.name.text if self.name else f"stage-{self.index}"

    @property
    def base_stage(self) -> int | None:
        """The parent stage when FROM certainly names one."""
        return self.base_stages[0] if len(self.base_stages) == 1 else None

    @property
    def all_instructions(self) -> list[Instruction]:
        return [self.from_instruction, *self.instructions]


@dataclass(frozen=True, slots=True)
class Directive:
    name: str  # lowercased: syntax, escape, check
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Problem:
    """Something BuildKit rejects; reported as DSL001 syntax-error."""

    message: str
    span: Span


@dataclass(slots=True, eq=False)
class Dockerfile:
    path: str
    text: str  # decoded, BOM removed
    lines: list[str]  # source lines without their line endings
    directives: list[Directive]
    escape: str
    instructions: list[Instruction]  # every instruction in file order
    global_args: list[Instruction]  # ARG (and anything else) before the first FROM
    stages: list[Stage]
    comments: list[Token]  # every comment line, directives included
    empty_continuation_lines: list[int]
    problems: list[Problem]

    def stage_by_alias(self, alias: str) -> Stage | None:
        """The first stage named ``alias``, compared lowercased as BuildKit does."""
        key = alias.lower()
        for stage in self.stages:
            if stage.alias == key:
                return stage
        return None

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name == name:
                return d
        return None
