from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dslint.engine import Context
from dslint.model import Instruction, Token
from dslint.rule import Finding, Rule, Severity

_GLOB = re.compile(r"[*?\[]")
_REGEX_SPECIAL = set(".+()|{}$^")
_MAX_FILES = 50_000  # a bigger context is not walked: no finding rather than a slow lint


@dataclass(frozen=True, slots=True)
class IgnorePattern:
    text: str  # cleaned, without the leading "!"
    exclusion: bool  # a "!" line: re-includes what earlier lines ignored
    line: int
    regex: re.Pattern[str]

    def match(self, path: str) -> bool:
        return self.regex.match(path) is not None


def _compile(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regular expression, with the meaning
    BuildKit's pattern matcher gives it: ``*`` and ``?`` stop at ``/``,
    ``**`` spans directories, ``\\`` quotes the next character."""
    out = ["^"]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1
                out.append(".*" if i >= n else "(.*/)?")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        elif ch == "[":
            close = pattern.find("]", i + 1)
            if close < 0:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close
        elif ch in _REGEX_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
        i += 1
    out.append("$")
    return re.compile("".join(out), re.DOTALL)


def read_patterns(text: str) -> list[IgnorePattern]:
    patterns: list[IgnorePattern] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        if not line:
            continue
        line = posixpath.normpath(line.replace(os.sep, "/"))
        if len(line) > 1 and line.startswith("/"):
            line = line.lstrip("/") or "/"
        try:
            regex = _compile(line)
        except re.error:
            continue
        patterns.append(IgnorePattern(line, exclusion, number, regex))
    return patterns


class IgnoreFile:
    def __init__(self, path: Path, patterns: list[IgnorePattern]) -> None:
        self.path = path
        self.patterns = patterns

    def decisive(self, path: str) -> IgnorePattern | None:
        """The pattern that leaves ``path`` ignored (None when it is sent),
        evaluated like BuildKit's MatchesOrParentMatches: the last matching
        pattern wins, and a pattern matching a parent directory matches."""
        parents = path.split("/")[:-1]
        prefixes = ["/".join(parents[: i + 1]) for i in range(len(parents))]
        decided: IgnorePattern | None = None
        for pattern in self.patterns:
            if pattern.exclusion != (decided is not None):
                continue
            if pattern.match(path) or any(pattern.match(p) for p in prefixes):
                decided = None if pattern.exclusion else pattern
        return decided


def find_ignore_file(context: Path, dockerfile: str) -> IgnoreFile | None:
    """``<Dockerfile>.dockerignore`` next to the Dockerfile wins over the
    context's ``.dockerignore``, as in BuildKit."""
    candidates = []
    if dockerfile and dockerfile != "-":
        candidates.append(Path(dockerfile + ".dockerignore"))
    candidates.append(context / ".dockerignore")
    for candidate in candidates:
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
            return IgnoreFile(candidate, read_patterns(text))
    return None


def _walk(root: Path, sub: str) -> Iterator[str] | None:
    base = root / sub if sub else root
    if not base.is_dir():
        return None

    def gen() -> Iterator[str]:
        count = 0
        for dirpath, _dirs, files in os.walk(base):
            rel = Path(dirpath).relative_to(root).as_posix()
            for name in files:
                count += 1
                if count > _MAX_FILES:
                    raise _TooBig
                yield name if rel == "." else f"{rel}/{name}"

    return gen()


class _TooBig(Exception):
    pass


def _glob(root: Path, pattern: str) -> list[str]:
    """Context paths that a COPY source with wildcards names (each path
    segment matched as Go's filepath.Match does, dot files included)."""
    found = [""]
    for segment in pattern.split("/"):
        nxt: list[str] = []
        for prefix in found:
            folder = root / prefix if prefix else root
            if not _GLOB.search(segment):
                candidate = f"{prefix}/{segment}" if prefix else segment
                if (root / candidate).exists():
                    nxt.append(candidate)
                continue
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                continue
            nxt.extend(
                f"{prefix}/{name}" if prefix else name
                for name in names
                if fnmatch.fnmatchcase(name, segment)
            )
        found = nxt
        if len(found) > _MAX_FILES:
            return []
    return found


class CopyIgnoredFile(Rule):
    """A COPY or ADD source is excluded from the build context by `.dockerignore`.

    ## Why
    Files that `.dockerignore` excludes are never sent to the builder, so a
    COPY of one fails with "not found", or copies a directory without the
    files that were meant to go in. This is BuildKit's CopyIgnoredFile check;
    it needs the build context, so it runs only with `--context DIR`.

    It reads `<Dockerfile>.dockerignore` next to the Dockerfile if there is
    one, as BuildKit does, and `DIR/.dockerignore` otherwise, with the same
    pattern rules (`*`, `?`, `**`, the last matching line wins, a pattern that
    matches a parent directory matches the file). BuildKit gives up on the
    whole file as soon as it has one `!` exception; dslint applies the
    exceptions and looks at the context: a directory, the context root or a
    wildcard source is reported only when every file it would copy is
    excluded. Sources with variables, `COPY --from`, URLs and ONBUILD
    triggers (which run in another context) are not checked.

    ## Bad
    ```dockerfile
    # dslint-options: context=fixtures/DSL614/context
    FROM node:22-slim
    COPY secrets.env /app/
    ```

    ## Good
    ```dockerfile
    # dslint-options: context=fixtures/DSL614/context
    FROM node:22-slim
    COPY package.json /app/
    ```
    """

    code = "DSL614"
    name = "copy-ignored-file"
    severity = Severity.WARNING
    buildkit = ("CopyIgnoredFile",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.settings.context:
            return
        root = Path(ctx.settings.context)
        if not root.is_dir():
            return
        ignore = find_ignore_file(root, ctx.dockerfile.path)
        if ignore is None or not any(not p.exclusion for p in ignore.patterns):
            return
        for ins in ctx.dockerfile.instructions:
            if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            for token in self._sources(ins):
                finding = self._check_source(ins, token, root, ignore)
                if finding is not None:
                    yield finding

    @staticmethod
    def _sources(ins: Instruction) -> list[Token]:
        args = list(ins.args[:-1])
        out = []
        for token in args:
            text = token.text
            if not ins.json and len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
                text = text[1:-1]
            if text.startswith("<<") or "$" in text or "://" in text or text.startswith("git@"):
                continue
            out.append(Token(text, token.span))
        return out

    def _check_source(
        self, ins: Instruction, token: Token, root: Path, ignore: IgnoreFile
    ) -> Finding | None:
        path = posixpath.normpath(token.text).lstrip("/") or "."
        if path.startswith(".."):
            return None
        try:
            if path == "." or _GLOB.search(path):
                files = (
                    _walk(root, "") if path == "." else iter(_expand_dirs(root, _glob(root, path)))
                )
                decided = self._all_ignored(files, ignore)
            else:
                decided = ignore.decisive(path)
                if (
                    decided is not None
                    and (root / path).is_dir()
                    and any(p.exclusion for p in ignore.patterns)
                ):
                    decided = self._all_ignored(_walk(root, path), ignore)
        except _TooBig:
            return None
        if decided is None:
            return None
        where = ignore.path.name
        return self.finding(
            token.span,
            f"{ins.keyword} source '{token.text}' is excluded from the build context by "
            f"{where} (line {decided.line}: '{'!' if decided.exclusion else ''}{decided.text}'), "
            f"so the {ins.keyword} fails or copies nothing; remove that pattern or add an "
            f"exception '!{path}'",
        )

    @staticmethod
    def _all_ignored(files: Iterator[str] | None, ignore: IgnoreFile) -> IgnorePattern | None:
        """The pattern that excludes the first file when every file is excluded;
        None when one file is sent or there are no files."""
        if files is None:
            return None
        first: IgnorePattern | None = None
        for name in files:
            decided = ignore.decisive(name)
            if decided is None:
                return None
            first = first or decided
        return first


def _expand_dirs(root: Path, paths: list[str]) -> Iterator[str]:
    for path in paths:
        if (root / path).is_dir():
            files = _walk(root, path)
            if files is not None:
                yield from files
        else:
            yield path
