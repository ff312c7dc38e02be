"""Run the rules over one Dockerfile."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from dslint.config import Settings
from dslint.model import Dockerfile, Span
from dslint.parser import parse
from dslint.rule import Finding, Rule

if TYPE_CHECKING:
    from dslint.graph import StageGraph
    from dslint.scopes import Scopes


class InternalError(Exception):
    """A rule crashed: reported as one line naming the file and the rule."""


@dataclass(eq=False)
class Context:
    """What a rule gets: the model, and the graph and scopes built on first use."""

    dockerfile: Dockerfile
    settings: Settings

    @cached_property
    def graph(self) -> StageGraph:
        from dslint.graph import StageGraph

        return StageGraph(self.dockerfile)

    @cached_property
    def scopes(self) -> Scopes:
        """Variable scopes per instruction (``dslint.scopes``)."""
        from dslint.scopes import Scopes

        return Scopes(self.dockerfile, self.graph)

    @cached_property
    def target(self) -> int | None:
        """Index of the target stage (``--target``, default the last); None if the
        file has no stages or the named target does not exist."""
        return self.graph.target_index(self.settings.target)

    @cached_property
    def shipped_chain(self) -> list[int]:
        """The target stage and its FROM ancestors: what ends up in the image."""
        return [] if self.target is None else self.graph.from_chain(self.target)


def selected_rules(settings: Settings) -> list[Rule]:
    from dslint.rules import RULES

    return [rule() for rule in RULES if settings.enabled(rule)]


def lint_dockerfile(
    df: Dockerfile, settings: Settings, rules: list[Rule] | None = None
) -> list[Finding]:
    """All findings for one parsed file, sorted by position then code."""
    if rules is None:
        rules = selected_rules(settings)
    ctx = Context(df, settings)
    findings: list[Finding] = []
    for rule in rules:
        try:
            produced = list(rule.check(ctx))
        except Exception as exc:  # a bug in a rule must not hide the other findings
            raise InternalError(f"rule {rule.code} {rule.name} failed: {exc!r}") from exc
        for f in produced:
            severity = settings.severity_of(f.code, f.severity)
            findings.append(dataclasses.replace(f, path=df.path, severity=severity))
    findings.sort(key=lambda f: f.sort_key)
    return findings


def lint_text(
    text: str, path: str = "Dockerfile", settings: Settings | None = None
) -> list[Finding]:
    return lint_dockerfile(parse(text, path), settings or Settings())


def whole_file_span(df: Dockerfile) -> Span:
    end = max(len(df.lines), 1)
    last = df.lines[-1] if df.lines else ""
    return Span(1, 1, end, len(last) + 1)
