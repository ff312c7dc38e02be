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
    from dslint.suppress import Suppressions


class InternalError(Exception):
    """A rule crashed: reported as one line naming the file and the rule."""


@dataclass(eq=False)
class Context:
    """What a rule gets: the model, and the graph and scopes built on first use."""

    dockerfile: Dockerfile
    settings: Settings
    # codes of the rules that run on this file (for rules about other rules)
    codes_run: frozenset[str] = frozenset()

    @cached_property
    def suppressions(self) -> Suppressions:
        """The file's suppression comments. Rules that set ``after_suppressions``
        run once the other rules' findings were filtered, so each entry's
        ``used`` flag is final then (DSL900 reads it)."""
        from dslint.suppress import collect

        return collect(self.dockerfile)

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


def _run(rules: list[Rule], ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    df, settings = ctx.dockerfile, ctx.settings
    for rule in rules:
        try:
            produced = list(rule.check(ctx))
        except Exception as exc:  # a bug in a rule must not hide the other findings
            raise InternalError(f"rule {rule.code} {rule.name} failed: {exc!r}") from exc
        seen: set[tuple[int, str]] = set()
        for f in produced:
            key = (f.span.line, f.message)
            if key in seen:  # the same problem again on the same line: say it once
                continue
            seen.add(key)
            severity = settings.severity_of(f.code, f.severity)
            findings.append(dataclasses.replace(f, path=df.path, severity=severity))
    return findings


def lint_dockerfile(
    df: Dockerfile, settings: Settings, rules: list[Rule] | None = None
) -> list[Finding]:
    """All findings for one parsed file that no suppression comment covers,
    sorted by position then code. ``per-file-ignores`` that match the file's
    path are applied here."""
    settings = settings.for_path(df.path)
    if rules is None:
        rules = selected_rules(settings)
    ctx = Context(df, settings, codes_run=frozenset(r.code for r in rules))
    late = [r for r in rules if r.after_suppressions]
    first = [r for r in rules if not r.after_suppressions]
    findings = _run(first, ctx)
    if findings or late:
        findings = ctx.suppressions.filter(findings)
    if late:
        # a global ignore may silence these too; they never mark entries used
        # that an earlier finding did not
        findings += ctx.suppressions.filter(_run(late, ctx))
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
