"""What a rule is and what it reports."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from dslint.model import Span

if TYPE_CHECKING:
    from dslint.engine import Context


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= fail_level`` decides the exit code."""

    STYLE = 0
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {choices})") from None


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of ``span`` with ``replacement`` (an empty span inserts)."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    rule: str
    severity: Severity
    message: str
    span: Span
    path: str = ""
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)


CODE_PATTERN = re.compile(r"^DSL\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class Rule:
    """Base class of every rule. The class docstring is the rule's documentation:
    a one-line summary, then ``## Why``, ``## Bad`` and ``## Good`` sections with
    ``dockerfile`` code blocks."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    enabled_by_default: ClassVar[bool] = True
    fixable: ClassVar[bool] = False
    buildkit: ClassVar[tuple[str, ...]] = ()  # BuildKit check names this rule covers
    hadolint: ClassVar[tuple[str, ...]] = ()  # hadolint codes this rule covers
    # Options users may set in [tool.dslint.options.CODE]: name -> default value
    # (str, bool, int, or a tuple of str). Read with ctx.settings.option(self, name).
    options: ClassVar[Mapping[str, object]] = {}
    # Run after the other rules' findings went through the suppression comments
    # (DSL900 unused-suppression reads which suppressions matched).
    after_suppressions: ClassVar[bool] = False

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        span: Span,
        message: str,
        *,
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            rule=self.name,
            severity=self.severity if severity is None else severity,
            message=message,
            span=span,
            fix=fix,
        )

    @classmethod
    def summary(cls) -> str:
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""
