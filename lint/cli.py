"""The ``dslint`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from dslint import __version__
from dslint.config import ConfigError, Layer, Resolver, Settings, check_table
from dslint.reporters import FORMATS, FileResult
from dslint.runner import lint_paths

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dslint",
        description="Lint multi-stage Dockerfiles the way BuildKit reads them.",
        epilog="Subcommands: `dslint rules` lists the rules, `dslint rule CODE` shows one "
        "rule's documentation, `dslint config [PATH]` shows the resolved configuration.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="Dockerfiles (any name) or directories to scan; '-' reads standard input. "
        "Default: the current directory.",
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    out.add_argument("--no-color", action="store_true", help="never colour the text report")
    out.add_argument(
        "-q", "--quiet", action="store_true", help="print the findings only (no summary)"
    )
    out.add_argument(
        "--statistics", action="store_true", help="print the number of findings per code"
    )
    sel = p.add_argument_group("rules (over DSLINT_* variables, over the configuration file)")
    sel.add_argument("--target", metavar="NAME", help="the stage being built (default: the last)")
    sel.add_argument(
        "--context",
        metavar="DIR",
        help="the build context directory; enables the checks that need it "
        "(DSL614: COPY of a file .dockerignore excludes)",
    )
    sel.add_argument("--select", metavar="CODES", help="only these codes, prefixes or names")
    sel.add_argument("--ignore", metavar="CODES", help="skip these codes or prefixes")
    sel.add_argument("--extend-select", metavar="CODES", help="also run these")
    sel.add_argument(
        "--severity", metavar="CODE=LEVEL,...", help="override severities, e.g. DSL101=info"
    )
    sel.add_argument(
        "--fail-level",
        choices=["error", "warning", "info", "style", "none"],
        default=None,
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    sel.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    cfg = p.add_argument_group("configuration")
    cfg.add_argument(
        "--config",
        metavar="FILE",
        help="use this .dslint.toml or pyproject.toml for every file (also $DSLINT_CONFIG)",
    )
    cfg.add_argument("--isolated", action="store_true", help="read no configuration file")
    cfg.add_argument(
        "--show-settings",
        action="store_true",
        help="print the resolved configuration for the first PATH and exit",
    )
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


_CLI_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extend_select": "extend-select",
    "severity": "severity",
    "fail_level": "fail-level",
    "target": "target",
}


def cli_layer(args: argparse.Namespace) -> Layer:
    table = {key: getattr(args, attr) for attr, key in _CLI_KEYS.items()}
    table = {k: v for k, v in table.items() if v is not None}
    layer = check_table(table, "command line", lambda key: f"--{key}")
    for key in layer.origins:
        layer.origins[key] = f"--{key}"
    layer.base = os.getcwd()
    return layer


def resolver_from(args: argparse.Namespace, environ: Any = None) -> Resolver:
    from dslint.config import ENV_CONFIG, environment_layer

    env = os.environ if environ is None else environ
    config = args.config or env.get(ENV_CONFIG) or None
    return Resolver(
        cli=cli_layer(args),
        env=environment_layer(env),
        config_file=config,
        isolated=args.isolated,
        context=args.context,
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings for the current folder (the first path's folder)."""
    resolver = resolver_from(args)
    first = args.paths[0] if args.paths else "."
    if first == "-" and args.stdin_filename:
        first = args.stdin_filename
    return resolver.for_folder(first if os.path.isdir(first) else os.path.dirname(first) or ".")


def use_color(args: argparse.Namespace, out: TextIO) -> bool:
    if args.no_color or os.environ.get("NO_COLOR") or args.output:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(out, "isatty") and out.isatty()


def report(args: argparse.Namespace, linted: list[FileResult], out: TextIO, color: bool) -> None:
    fmt = args.format
    if args.statistics and fmt == "json":
        import json

        from dslint.reporters.text import statistics_data

        json.dump(statistics_data(linted), out, indent=2)
        out.write("\n")
        return
    if fmt == "text":
        from dslint.reporters import text

        text.render(linted, out, color=color, quiet=args.quiet, show_statistics=args.statistics)
        return
    if args.statistics:
        raise UsageError("--statistics works with --format text or json")
    import importlib

    from dslint.reporters import MODULES

    module = importlib.import_module(f"dslint.reporters.{MODULES[fmt]}")
    module.render(linted, out)


def run_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dslint.config import describe

    if args.context is not None and not os.path.isdir(args.context):
        raise UsageError(f"--context {args.context}: not a directory")
    resolver = resolver_from(args)
    if args.show_settings:
        out.write(describe(settings_from(args)))
        return EXIT_OK
    results = lint_paths(args.paths, resolver, args.stdin_filename, args.jobs)
    for r in results:
        if r.error:
            err.write(f"dslint: {r.error}\n")
    linted = [r for r in results if r.error is None or r.findings]
    if args.output:
        try:
            folder = os.path.dirname(args.output)
            if folder:
                os.makedirs(folder, exist_ok=True)
            with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
                report(args, linted, fh, color=False)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write the report: {exc.strerror}") from None
    else:
        report(args, linted, out, color=use_color(args, out))
    return exit_code(results, args.exit_zero)


def exit_code(results: list[FileResult], exit_zero: bool = False) -> int:
    """2 if a file could not be linted or has a syntax error; else 1 if a finding
    is at or above its file's fail level (unless ``exit_zero``); else 0."""
    if any(r.error for r in results) or any(
        f.code == "DSL001" for r in results for f in r.findings
    ):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    if any(
        r.fail_level is not None and f.severity >= r.fail_level for r in results for f in r.findings
    ):
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_config(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """``dslint config [options] [PATH]``: the configuration that applies to
    PATH (a Dockerfile or a folder; default: the current folder)."""
    from dslint.config import describe

    args = build_parser().parse_args(list(argv))
    out.write(describe(settings_from(args)))
    return EXIT_OK


# Subcommands: ``dslint NAME ...`` runs ``module.function(argv, out, err)``.
# A file that happens to be called like a subcommand is linted with ``./NAME``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "config": ("dslint.cli", "cmd_config"),
    "rule": ("dslint.docs", "cmd_rule"),
    "rules": ("dslint.docs", "cmd_rules"),
    "graph": ("dslint.analyze", "graph_main"),
    "stages": ("dslint.analyze", "stages_main"),
}


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
    except (UsageError, ConfigError) as exc:
        err.write(f"dslint: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write("dslint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
