"""Finding Dockerfiles on disk and reading them safely."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})


_NOT_DOCKERFILE_SUFFIXES = (
    ".dockerignore",
    ".md",
    ".rst",
    ".txt",
    ".j2",
    ".tpl",
    ".template",
    ".orig",
    ".rej",
    ".bak",
    ".swp",
)
_NAME = re.compile(r"(?:^|[._-])(?:dockerfile|containerfile)(?:$|[._-])")


def is_dockerfile_name(name: str) -> bool:
    """Names dslint picks up when it scans a directory: ``Dockerfile``,
    ``Dockerfile.*``, ``Dockerfile-*``, ``*.Dockerfile``, ``Containerfile*``, and
    the same word after a separator (``api_Dockerfile``, ``prod-Dockerfile``);
    not ``*.dockerignore`` nor documents. A file named on the command line is
    linted whatever its name."""
    lower = name.lower()
    if lower.endswith(_NOT_DOCKERFILE_SUFFIXES):
        return False
    return lower.startswith("containerfile") or _NAME.search(lower) is not None


class FileError(Exception):
    """A path that cannot be linted; the message is one line naming it."""


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    text: str


def _gitignore_patterns(root: str) -> list[str]:
    try:
        with open(os.path.join(root, ".gitignore"), encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    return [
        line.strip().rstrip("/")
        for line in lines
        if line.strip() and not line.lstrip().startswith(("#", "!"))
    ]


def _ignored(rel: str, name: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        pat = pattern.lstrip("/")
        if fnmatch.fnmatch(rel, pat) or ("/" not in pattern and fnmatch.fnmatch(name, pat)):
            return True
    return False


def discover(directory: str) -> Iterator[str]:
    """Dockerfiles under ``directory`` in a stable (sorted) order. Hidden
    folders, dependency folders and paths the top-level .gitignore names are
    skipped; symbolic links to folders are not followed (no loops)."""
    patterns = _gitignore_patterns(directory)
    for root, dirs, files in os.walk(directory):
        rel_root = os.path.relpath(root, directory)
        keep = []
        for d in sorted(dirs):
            rel = os.path.normpath(os.path.join(rel_root, d))
            if d.startswith(".") or d in SKIPPED_DIRS or _ignored(rel, d, patterns):
                continue
            if os.path.exists(os.path.join(root, d, "pyvenv.cfg")):
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            rel = os.path.normpath(os.path.join(rel_root, name))
            if is_dockerfile_name(name) and not _ignored(rel, name, patterns):
                yield os.path.join(root, name)


def decode(data: bytes, path: str) -> str:
    if b"\x00" in data[:8192]:
        raise FileError(
            f"{path}: looks like a binary file (it contains NUL bytes), not a Dockerfile"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileError(
            f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}, "
            f"offset {exc.start}); save the file as UTF-8"
        ) from None


def read(path: str) -> Source:
    """Read one file; raise FileError with a one-line reason when it cannot be."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileError(f"{path}: not a regular file")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise FileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return Source(path, decode(data, path))
