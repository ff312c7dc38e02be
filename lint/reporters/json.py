"""``--format json``: one flat array of findings (the stable contract)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from dslint.reporters import FileResult
from dslint.rule import Finding


def finding_to_dict(f: Finding) -> dict[str, Any]:
    fix = None
    if f.fix is not None:
        fix = {
            "title": f.fix.title,
            "safe": f.fix.safe,
            "edits": [
                {
                    "line": e.span.line,
                    "column": e.span.column,
                    "end_line": e.span.end_line,
                    "end_column": e.span.end_column,
                    "replacement": e.replacement,
                }
                for e in f.fix.edits
            ],
        }
    return {
        "path": f.path,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "code": f.code,
        "rule": f.rule,
        "severity": f.severity.label,
        "message": f.message,
        "fix": fix,
    }


def render(results: list[FileResult], out: TextIO) -> None:
    items = [finding_to_dict(f) for r in results for f in r.findings]
    json.dump(items, out, indent=2, ensure_ascii=False)
    out.write("\n")
