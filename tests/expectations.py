"""Expected findings written inside fixture Dockerfiles.

``# expect: DSL101`` (several codes: ``# expect: DSL101 DSL109``) expects each
code on the next line that is neither a comment nor blank: normally the next
instruction, or a continuation line when the comment sits inside one.
``# expect-line 1: DSL001`` names the line explicitly (whole-file findings).
``# dslint-options: target=test`` sets options for the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from dslint.config import Settings

_EXPECT = re.compile(r"^\s*#\s*expect:\s*(.+?)\s*$")
_EXPECT_LINE = re.compile(r"^\s*#\s*expect-line\s+(\d+):\s*(.+?)\s*$")
_OPTIONS = re.compile(r"^\s*#\s*dslint-options:\s*(.+?)\s*$")


def expected(text: str) -> list[tuple[int, str]]:
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    for number, line in enumerate(lines, start=1):
        m = _EXPECT_LINE.match(line)
        if m:
            out.extend((int(m.group(1)), code) for code in m.group(2).split())
            continue
        m = _EXPECT.match(line)
        if m:
            pending.extend(m.group(1).split())
            continue
        if pending and line.strip() and not line.lstrip().startswith("#"):
            out.extend((number, code) for code in pending)
            pending = []
    assert not pending, f"an expect comment at the end names no line: {pending}"
    return sorted(out)


def options(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        m = _OPTIONS.match(line)
        if m:
            for item in m.group(1).split():
                key, _, value = item.partition("=")
                found[key] = value
    return found


def settings_for(text: str, codes: tuple[str, ...] | None) -> Settings:
    opts = options(text)
    return Settings(select=codes, target=opts.get("target"), context=opts.get("context"))


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")
