"""Lint many files: read, parse, run the rules, keep going past bad files."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from dslint.config import Settings
from dslint.files import FileError, Source, decode, discover, read
from dslint.reporters import FileResult


def collect(paths: Sequence[str]) -> list[str | FileError]:
    """The files to lint, in argument order; unusable arguments become errors."""
    out: list[str | FileError] = []
    for path in paths or ["."]:
        if path == "-":
            out.append("-")
        elif os.path.isdir(path):
            found = list(discover(path))
            if not found:
                out.append(FileError(f"{path}: no Dockerfiles found in this directory"))
            out.extend(found)
        else:
            out.append(path)
    return out


def lint_source(source: Source, settings: Settings) -> FileResult:
    from dslint.engine import InternalError, lint_dockerfile
    from dslint.parser import parse

    df = parse(source.text, source.path)
    try:
        findings = lint_dockerfile(df, settings)
    except InternalError as exc:
        return FileResult(
            path=source.path, lines=df.lines, error=f"{source.path}: internal error: {exc}"
        )
    return FileResult(
        path=source.path, findings=findings, lines=df.lines, fail_level=settings.fail_level
    )


def lint_one(
    path: str, settings: Settings | Callable[[str], Settings], stdin_name: str | None = None
) -> FileResult:
    """``settings``: the settings, or a function giving them for a path (the
    configuration file that applies depends on the file's folder)."""
    if not isinstance(settings, Settings):
        settings = settings((stdin_name or "-") if path == "-" else path)
    try:
        if path == "-":
            name = stdin_name or "-"
            source = Source(name, decode(sys.stdin.buffer.read(), name))
        else:
            source = read(path)
    except FileError as exc:
        return FileResult(path=path, error=str(exc))
    return lint_source(source, settings)


def lint_paths(
    paths: Sequence[str],
    settings: Settings | Callable[[str], Settings],
    stdin_name: str | None = None,
) -> list[FileResult]:
    """One result per file, in a stable order (arguments, then sorted discovery)."""
    results: list[FileResult] = []
    for item in collect(paths):
        if isinstance(item, FileError):
            results.append(FileResult(path=str(item).split(":", 1)[0], error=str(item)))
        else:
            results.append(lint_one(item, settings, stdin_name))
    return results
