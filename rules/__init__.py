"""The registry: every rule dslint has, in code order.

Adding a rule: write ``rules/dslNNN_<name>.py`` with one Rule subclass, import
it here and add it to RULES, and give it fixtures in ``fixtures/DSLNNN/``.
Codes are never reused.
"""

from __future__ import annotations

from dslint.rule import Rule
from dslint.rules.dsl001_syntax_error import SyntaxErrorRule
from dslint.rules.dsl002_unknown_target import UnknownTarget
from dslint.rules.dsl401_relative_workdir import RelativeWorkdir
from dslint.rules.dsl402_copy_from_relative_source import CopyFromRelativeSource
from dslint.rules.dsl501_untagged_image import UntaggedImage
from dslint.rules.dsl502_latest_tag import LatestTag
from dslint.rules.dsl631_invalid_expose_port import InvalidExposePort
from dslint.rules.dsl632_add_plain_files import AddPlainFiles
from dslint.rules.dsl633_copy_sources_to_file import CopySourcesToFile
from dslint.rules.dsl634_env_refers_to_same_env import EnvRefersToSameEnv
from dslint.rules.dsl635_copy_relative_destination import CopyRelativeDestination

RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    UnknownTarget,
    RelativeWorkdir,
    CopyFromRelativeSource,
    UntaggedImage,
    LatestTag,
    InvalidExposePort,
    AddPlainFiles,
    CopySourcesToFile,
    EnvRefersToSameEnv,
    CopyRelativeDestination,
)


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in RULES}
