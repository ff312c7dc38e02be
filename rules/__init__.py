"""The registry: every rule dslint has, in code order.

Adding a rule: write ``rules/dslNNN_<name>.py`` with one Rule subclass, import
it here and add it to RULES, and give it fixtures in ``fixtures/DSLNNN/``.
Codes are never reused.
"""

from __future__ import annotations

from dslint.rule import Rule
from dslint.rules.dsl001_syntax_error import SyntaxErrorRule
from dslint.rules.dsl002_unknown_target import UnknownTarget
from dslint.rules.dsl301_missing_runtime_stage import MissingRuntimeStage
from dslint.rules.dsl302_heavy_final_base_image import HeavyFinalBaseImage
from dslint.rules.dsl303_build_tools_in_final_stage import BuildToolsInFinalStage
from dslint.rules.dsl304_final_stage_runs_as_root import FinalStageRunsAsRoot
from dslint.rules.dsl305_final_stage_without_command import FinalStageWithoutCommand
from dslint.rules.dsl306_copies_whole_stage import CopiesWholeStage
from dslint.rules.dsl307_secret_in_shipped_image import SecretInShippedImage

RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    UnknownTarget,
    MissingRuntimeStage,
    HeavyFinalBaseImage,
    BuildToolsInFinalStage,
    FinalStageRunsAsRoot,
    FinalStageWithoutCommand,
    CopiesWholeStage,
    SecretInShippedImage,
)


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in RULES}
