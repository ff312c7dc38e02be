"""Settings that decide which rules run and what fails the run."""

from __future__ import annotations

from dataclasses import dataclass, field

from dslint.rule import Rule, Severity


@dataclass(slots=True)
class Settings:
    select: tuple[str, ...] | None = None  # code prefixes; None: every rule enabled by default
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_level: Severity | None = Severity.WARNING  # None: never fail on findings
    target: str | None = None
    context: str | None = None  # build context directory (for .dockerignore checks)

    def enabled(self, rule: type[Rule]) -> bool:
        code = rule.code
        if any(code.startswith(p) for p in self.ignore):
            return False
        if any(code.startswith(p) for p in self.extend_select):
            return True
        if self.select is None:
            return rule.enabled_by_default
        # An explicit code selects a rule that is off by default; a prefix does not.
        return any(
            code == p or (code.startswith(p) and rule.enabled_by_default) for p in self.select
        )

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)
