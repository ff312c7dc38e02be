"""``--format gitlab``: a GitLab Code Quality report (a JSON array).

Each issue has ``description``, ``check_name``, ``fingerprint``, ``severity``
and ``location`` (``path`` and ``positions``). The fingerprint hashes the path,
the code, the message and the text of the finding's line, not the line number,
so a finding keeps its fingerprint when lines are added above it; findings that
would collide get an occurrence number, so fingerprints are unique in a report.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from dslint.reporters import FileResult, posix_path, source_line
from dslint.rule import Severity

SEVERITIES = {
    Severity.ERROR: "critical",
    Severity.WARNING: "major",
    Severity.INFO: "minor",
    Severity.STYLE: "info",
}


def issues(results: list[FileResult]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for r in results:
        for f in r.findings:
            path = posix_path(f.path)
            key = "\0".join((path, f.code, f.message, source_line(r, f.span.line).strip()))
            n = seen.get(key, 0)
            seen[key] = n + 1
            digest = hashlib.sha256(f"{key}\0{n}".encode()).hexdigest()
            out.append(
                {
                    "type": "issue",
                    "check_name": f"{f.code} {f.rule}",
                    "description": f"{f.code} {f.message}",
                    "categories": ["Bug Risk" if f.severity >= Severity.WARNING else "Style"],
                    "severity": SEVERITIES[f.severity],
                    "fingerprint": digest,
                    "location": {
                        "path": path,
                        "positions": {
                            "begin": {"line": f.span.line, "column": f.span.column},
                            "end": {"line": f.span.end_line, "column": f.span.end_column},
                        },
                    },
                }
            )
    return out


def render(results: list[FileResult], out: TextIO) -> None:
    json.dump(issues(results), out, indent=2, ensure_ascii=False)
    out.write("\n")
