"""The registry: every rule dslint has, in code order.

Adding a rule: write ``rules/dslNNN_<name>.py`` with one Rule subclass, import
it here and add it to RULES, and give it fixtures in ``fixtures/DSLNNN/``.
Codes are never reused.
"""

from __future__ import annotations

from dslint.rule import Rule
from dslint.rules.dsl001_syntax_error import SyntaxErrorRule
from dslint.rules.dsl002_unknown_target import UnknownTarget
from dslint.rules.dsl601_from_as_casing import FromAsCasing
from dslint.rules.dsl602_empty_continuation_line import EmptyContinuationLine
from dslint.rules.dsl603_inconsistent_instruction_casing import InconsistentInstructionCasing
from dslint.rules.dsl604_shell_form_cmd import ShellFormCmd
from dslint.rules.dsl605_maintainer import Maintainer
from dslint.rules.dsl606_overridden_instruction import OverriddenInstruction
from dslint.rules.dsl607_legacy_key_value import LegacyKeyValue
from dslint.rules.dsl608_constant_platform import ConstantPlatform
from dslint.rules.dsl609_redundant_target_platform import RedundantTargetPlatform
from dslint.rules.dsl610_secret_in_arg_or_env import SecretInArgOrEnv
from dslint.rules.dsl611_expose_protocol_casing import ExposeProtocolCasing
from dslint.rules.dsl612_expose_host_mapping import ExposeHostMapping
from dslint.rules.dsl613_definition_description import DefinitionDescription
from dslint.rules.dsl614_copy_ignored_file import CopyIgnoredFile

RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    UnknownTarget,
    FromAsCasing,
    EmptyContinuationLine,
    InconsistentInstructionCasing,
    ShellFormCmd,
    Maintainer,
    OverriddenInstruction,
    LegacyKeyValue,
    ConstantPlatform,
    RedundantTargetPlatform,
    SecretInArgOrEnv,
    ExposeProtocolCasing,
    ExposeHostMapping,
    DefinitionDescription,
    CopyIgnoredFile,
)


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in RULES}
