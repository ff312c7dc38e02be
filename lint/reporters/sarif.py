"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning reads it.

``runs[0].tool.driver.rules`` describes every rule of the registry: ``id``,
``name``, ``shortDescription`` (the docstring's summary), ``fullDescription``
(its Why section), ``help`` (the whole page, text and Markdown) and
``defaultConfiguration.level``. Each result names its rule (``ruleId`` and
``ruleIndex``), its level, the message, one location with a full region, and
the fix as a SARIF ``fix`` when the finding has one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO
from urllib.parse import quote

from dslint import __version__
from dslint.reporters import FileResult, posix_path
from dslint.rule import Finding, Rule, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.STYLE: "note",
}
MAX_DESCRIPTION = 1024  # GitHub's limit for fullDescription


def uri(path: str) -> str:
    text = posix_path(path)
    if text.startswith("/"):
        return "file://" + quote(text)
    return quote(text)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    from dslint import docs

    doc = docs.parse(rule)
    why = doc.text("Why") or doc.summary
    page = docs.page(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": doc.summary or rule.name},
        "fullDescription": {"text": _clip(why)},
        "help": {"text": page, "markdown": page},
        "defaultConfiguration": {
            "level": LEVELS[rule.severity],
            "enabled": rule.enabled_by_default,
        },
        "properties": {
            "tags": ["dockerfile"],
            "dslintSeverity": rule.severity.label,
            "fixable": rule.fixable,
        },
    }


def _region(f: Finding) -> dict[str, int]:
    s = f.span
    return {
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": s.end_line,
        "endColumn": max(s.end_column, 1),
    }


def result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    location = {"artifactLocation": {"uri": uri(f.path)}, "region": _region(f)}
    item: dict[str, Any] = {"ruleId": f.code}
    if f.code in index:
        item["ruleIndex"] = index[f.code]
    item.update(
        {
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": location}],
            "properties": {"dslintSeverity": f.severity.label},
        }
    )
    if f.fix is not None and f.fix.edits:
        item["fixes"] = [
            {
                "description": {"text": f.fix.title},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri(f.path)},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": e.span.line,
                                    "startColumn": e.span.column,
                                    "endLine": e.span.end_line,
                                    "endColumn": e.span.end_column,
                                },
                                "insertedContent": {"text": e.replacement},
                            }
                            for e in f.fix.edits
                        ],
                    }
                ],
            }
        ]
    return item


def document(
    results: list[FileResult], rules: Sequence[type[Rule]] | None = None
) -> dict[str, Any]:
    if rules is None:
        from dslint.rules import RULES

        rules = RULES
    index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dslint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "results": [result(f, index) for r in results for f in r.findings],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render(
    results: list[FileResult], out: TextIO, rules: Sequence[type[Rule]] | None = None
) -> None:
    json.dump(document(results, rules), out, indent=2, ensure_ascii=False)
    out.write("\n")
