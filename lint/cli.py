"""The ``dslint`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from dslint import __version__
from dslint.config import Settings
from dslint.reporters import FORMATS, FileResult
from dslint.rule import Severity
from dslint.runner import lint_paths

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dslint",
        description="Lint multi-stage Dockerfiles the way BuildKit reads them.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="Dockerfiles (any name) or directories to scan; '-' reads standard input. "
        "Default: the current directory.",
    )
    p.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    p.add_argument("--target", metavar="NAME", help="the stage being built (default: the last)")
    p.add_argument("--select", type=_codes, metavar="CODES", help="only these codes or prefixes")
    p.add_argument(
        "--ignore", type=_codes, default=(), metavar="CODES", help="skip these codes or prefixes"
    )
    p.add_argument(
        "--extend-select", type=_codes, default=(), metavar="CODES", help="also run these"
    )
    p.add_argument(
        "--fail-level",
        choices=["error", "warning", "info", "style", "none"],
        default="warning",
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--no-color", action="store_true", help="never colour the text report")
    p.add_argument("--stdin-filename", metavar="NAME", help="the name to report for '-'")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes (default: every core when there are many files; 1: no pool)",
    )
    p.add_argument("--version", action="version", version=f"dslint {__version__}")
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        fail_level=None if args.fail_level == "none" else Severity.parse(args.fail_level),
        target=args.target,
    )


def use_color(args: argparse.Namespace, out: TextIO) -> bool:
    if args.no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(out, "isatty") and out.isatty()


def run_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = settings_from(args)
    results = lint_paths(args.paths, settings, args.stdin_filename, args.jobs)
    for r in results:
        if r.error:
            err.write(f"dslint: {r.error}\n")
    linted = [r for r in results if r.error is None or r.findings]
    if args.format == "json":
        from dslint.reporters import json as json_report

        json_report.render(linted, out)
    else:
        from dslint.reporters import text

        text.render(linted, out, color=use_color(args, out))
    return exit_code(results, settings, args.exit_zero)


def exit_code(results: list[FileResult], settings: Settings, exit_zero: bool = False) -> int:
    if any(r.error for r in results) or any(
        f.code == "DSL001" for r in results for f in r.findings
    ):
        return EXIT_ERROR
    if exit_zero or settings.fail_level is None:
        return EXIT_OK
    level = settings.fail_level
    if any(f.severity >= level for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


# Subcommands: ``dslint NAME ...`` runs ``module.function(argv, out, err)``.
# A file that happens to be called like a subcommand is linted with ``./NAME``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out, err = sys.stdout, sys.stderr
    try:
        if argv and argv[0] in SUBCOMMANDS:
            import importlib

            module, function = SUBCOMMANDS[argv[0]]
            run = getattr(importlib.import_module(module), function)
            return int(run(argv[1:], out, err))
        args = build_parser().parse_args(argv)
        return run_lint(args, out, err)
    except UsageError as exc:
        err.write(f"dslint: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write("dslint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
