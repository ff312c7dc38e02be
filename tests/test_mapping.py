"""docs/mapping.md and the rules agree, so that `# hadolint ignore=DLxxxx` and
`# check=skip=Name` suppress the dslint rule the table names."""

from __future__ import annotations

import re

import pytest

from dslint.rules import by_code

from conftest import ROOT

ROWS = [
    [c.strip() for c in line.strip().strip("|").split("|")]
    for line in (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8").splitlines()
    if line.startswith("| ")
]
MAPPED = [
    (row[0].split()[0], m.group(1))
    for row in ROWS
    if len(row) >= 2 and (m := re.match(r"(DSL\d{3})", row[1]))
]


@pytest.mark.parametrize(("origin", "code"), MAPPED, ids=[f"{o}->{c}" for o, c in MAPPED])
def test_the_rule_the_table_names_records_the_origin(origin: str, code: str) -> None:
    rule = by_code()[code]
    recorded = rule.hadolint if origin.startswith("DL") else rule.buildkit
    assert origin in recorded, f"{code} does not record {origin}: suppressions would not map"
