"""Lint many files: read, parse, run the rules, keep going past bad files.

Above :data:`POOL_THRESHOLD` files the work is spread over a process pool
(one worker per available core); results always come back in the same stable
order as a serial run: arguments in order, directory contents sorted.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from dslint.config import Settings
from dslint.files import FileError, Source, decode, discover, read
from dslint.reporters import FileResult

# Below this many files a pool costs more (start-up, pickling results) than it saves.
POOL_THRESHOLD = 24

SettingsFor = Settings | Callable[[str], Settings]


def collect(paths: Sequence[str]) -> list[str | FileError]:
    """The files to lint, in argument order; unusable arguments become errors."""
    out: list[str | FileError] = []
    for path in paths or ["."]:
        if path == "-":
            out.append("-")
        elif os.path.isdir(path):
            try:
                found = list(discover(path))
            except OSError as exc:
                out.append(FileError(f"{path}: cannot be scanned ({exc.strerror or exc})"))
                continue
            if not found:
                out.append(FileError(f"{path}: no Dockerfiles found in this directory"))
            out.extend(found)
        else:
            out.append(path)
    return out


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Parsing allocates many small objects and no reference cycles: the cyclic
    collector would only rescan them again and again (it doubled the time per
    instruction on a 20,000-instruction file)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint_source(source: Source, settings: Settings) -> FileResult:
    from dslint.engine import InternalError, lint_dockerfile
    from dslint.parser import parse

    with _gc_paused():
        try:
            df = parse(source.text, source.path)
        except (RecursionError, MemoryError) as exc:  # a limit of the machine, not a bug
            return FileResult(
                path=source.path, error=f"{source.path}: too large to lint ({type(exc).__name__})"
            )
        except Exception as exc:  # never a traceback: one line, and the other files go on
            return FileResult(
                path=source.path,
                error=f"{source.path}: internal error in the parser: {exc!r} (please report it)",
            )
        try:
            findings = lint_dockerfile(df, settings)
        except InternalError as exc:
            return FileResult(
                path=source.path, lines=df.lines, error=f"{source.path}: internal error: {exc}"
            )
        except Exception as exc:
            return FileResult(
                path=source.path,
                lines=df.lines,
                error=f"{source.path}: internal error: {exc!r} (please report it)",
            )
    return FileResult(
        path=source.path, findings=findings, lines=df.lines, fail_level=settings.fail_level
    )


def _settings(settings: SettingsFor, path: str, stdin_name: str | None) -> Settings:
    """``settings`` is the settings, or a function giving them for a path (the
    configuration file that applies depends on the file's folder)."""
    if isinstance(settings, Settings):
        return settings
    return settings((stdin_name or "-") if path == "-" else path)


def lint_one(path: str, settings: SettingsFor, stdin_name: str | None = None) -> FileResult:
    resolved = _settings(settings, path, stdin_name)
    try:
        if path == "-":
            name = stdin_name or "-"
            source = Source(name, decode(sys.stdin.buffer.read(), name))
        else:
            source = read(path)
    except FileError as exc:
        return FileResult(path=path, error=str(exc))
    return lint_source(source, resolved)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _busy(cores: int) -> bool:
    """Is the machine already running a process per core (1-minute load average)?"""
    try:
        return os.getloadavg()[0] >= cores
    except OSError:
        return False


def _lint_in_worker(args: tuple[str, Settings]) -> FileResult:
    result = lint_one(*args)
    if not result.findings:
        result.lines = []  # only snippets need them: do not send them back for nothing
    return result


def _lint_parallel(
    paths: list[str], settings: list[Settings], workers: int
) -> list[FileResult] | None:
    """Lint ``paths`` in a process pool, results in the order of ``paths``;
    None when no pool can be started here (the caller lints serially)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork: the workers inherit the imported package instead of importing it again.
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(paths) // (workers * 4)))
    try:
        with ctx.Pool(workers) as pool:
            return pool.map(
                _lint_in_worker, list(zip(paths, settings, strict=True)), chunksize=chunk
            )
    except (OSError, ImportError):
        return None


def lint_paths(
    paths: Sequence[str],
    settings: SettingsFor,
    stdin_name: str | None = None,
    jobs: int | None = None,
) -> list[FileResult]:
    """One result per file, in a stable order (arguments, then sorted discovery).

    ``settings``: the settings, or a function giving them for a path.
    ``jobs``: worker processes; None uses every available core when there are
    at least :data:`POOL_THRESHOLD` files and the cores are not already busy
    (load average below the core count), 1 lints in this process."""
    items = collect(paths)
    positions = [i for i, item in enumerate(items) if isinstance(item, str) and item != "-"]
    files = [str(items[i]) for i in positions]
    workers = available_cores() if jobs is None else max(1, jobs)
    if jobs is None and _busy(workers):
        workers = 1  # like make -l: on a saturated machine workers only add overhead
    workers = min(workers, len(files))
    done: dict[int, FileResult] = {}
    if workers > 1 and (jobs is not None or len(files) >= POOL_THRESHOLD):
        # Configuration is resolved here, once per folder, not in every worker.
        per_file = [_settings(settings, f, stdin_name) for f in files]
        found = _lint_parallel(files, per_file, workers)
        if found is not None:
            done = dict(zip(positions, found, strict=True))
    results: list[FileResult] = []
    for i, item in enumerate(items):
        if i in done:
            results.append(done[i])
        elif isinstance(item, FileError):
            results.append(FileResult(path=str(item).split(":", 1)[0], error=str(item)))
        else:
            results.append(lint_one(item, settings, stdin_name))
    return results
