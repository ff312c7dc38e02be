"""The registry: every rule dslint has, in code order.

Adding a rule: write ``rules/dslNNN_<name>.py`` with one Rule subclass, import
it here and add it to RULES, and give it fixtures in ``fixtures/DSLNNN/``.
Codes are never reused.
"""

from __future__ import annotations

from dslint.rule import Rule
from dslint.rules.dsl001_syntax_error import SyntaxErrorRule
from dslint.rules.dsl002_unknown_target import UnknownTarget
from dslint.rules.dsl900_unused_suppression import UnusedSuppression

RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    UnknownTarget,
    UnusedSuppression,
)


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in RULES}
