"""The registry: every rule dslint has, in code order.

Adding a rule: write ``rules/dslNNN_<name>.py`` with one Rule subclass, import
it here and add it to RULES, and give it fixtures in ``fixtures/DSLNNN/``.
Codes are never reused.
"""

from __future__ import annotations

from dslint.rule import Rule
from dslint.rules.dsl001_syntax_error import SyntaxErrorRule
from dslint.rules.dsl002_unknown_target import UnknownTarget
from dslint.rules.dsl101_unknown_stage_reference import UnknownStageReference
from dslint.rules.dsl102_forward_stage_reference import ForwardStageReference
from dslint.rules.dsl103_self_stage_reference import SelfStageReference
from dslint.rules.dsl104_stage_index_out_of_range import StageIndexOutOfRange
from dslint.rules.dsl105_duplicate_stage_name import DuplicateStageName
from dslint.rules.dsl106_invalid_stage_name import InvalidStageName
from dslint.rules.dsl107_stage_reference_case_mismatch import StageReferenceCaseMismatch
from dslint.rules.dsl108_stage_name_not_lowercase import StageNameNotLowercase
from dslint.rules.dsl109_numeric_stage_reference import NumericStageReference
from dslint.rules.dsl110_unreachable_stage import UnreachableStage
from dslint.rules.dsl111_variable_in_stage_reference import VariableInStageReference
from dslint.rules.dsl201_variable_from_other_stage import VariableFromOtherStage
from dslint.rules.dsl202_global_arg_not_in_scope import GlobalArgNotInScope
from dslint.rules.dsl203_undefined_variable import UndefinedVariable
from dslint.rules.dsl204_undefined_arg_in_from import UndefinedArgInFrom
from dslint.rules.dsl205_empty_base_image_default import EmptyBaseImageDefault
from dslint.rules.dsl206_unused_arg import UnusedArg
from dslint.rules.dsl301_missing_runtime_stage import MissingRuntimeStage
from dslint.rules.dsl302_heavy_final_base_image import HeavyFinalBaseImage
from dslint.rules.dsl303_build_tools_in_final_stage import BuildToolsInFinalStage
from dslint.rules.dsl304_final_stage_runs_as_root import FinalStageRunsAsRoot
from dslint.rules.dsl305_final_stage_without_command import FinalStageWithoutCommand
from dslint.rules.dsl306_copies_whole_stage import CopiesWholeStage
from dslint.rules.dsl307_secret_in_shipped_image import SecretInShippedImage
from dslint.rules.dsl401_relative_workdir import RelativeWorkdir
from dslint.rules.dsl402_copy_from_relative_source import CopyFromRelativeSource
from dslint.rules.dsl501_untagged_image import UntaggedImage
from dslint.rules.dsl502_latest_tag import LatestTag
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
from dslint.rules.dsl631_invalid_expose_port import InvalidExposePort
from dslint.rules.dsl632_add_plain_files import AddPlainFiles
from dslint.rules.dsl633_copy_sources_to_file import CopySourcesToFile
from dslint.rules.dsl634_env_refers_to_same_env import EnvRefersToSameEnv
from dslint.rules.dsl635_copy_relative_destination import CopyRelativeDestination
from dslint.rules.dsl900_unused_suppression import UnusedSuppression

RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    UnknownTarget,
    UnknownStageReference,
    ForwardStageReference,
    SelfStageReference,
    StageIndexOutOfRange,
    DuplicateStageName,
    InvalidStageName,
    StageReferenceCaseMismatch,
    StageNameNotLowercase,
    NumericStageReference,
    UnreachableStage,
    VariableInStageReference,
    VariableFromOtherStage,
    GlobalArgNotInScope,
    UndefinedVariable,
    UndefinedArgInFrom,
    EmptyBaseImageDefault,
    UnusedArg,
    UnusedSuppression,
    RelativeWorkdir,
    CopyFromRelativeSource,
    UntaggedImage,
    LatestTag,
    InvalidExposePort,
    AddPlainFiles,
    CopySourcesToFile,
    EnvRefersToSameEnv,
    CopyRelativeDestination,
    MissingRuntimeStage,
    HeavyFinalBaseImage,
    BuildToolsInFinalStage,
    FinalStageRunsAsRoot,
    FinalStageWithoutCommand,
    CopiesWholeStage,
    SecretInShippedImage,
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
