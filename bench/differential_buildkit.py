"""Compare dslint's BuildKit-equivalent rules with tally's buildkit/* findings.

For every rule whose metadata names a BuildKit check (``Rule.buildkit``), the
set of (file, line) findings dslint reports on a corpus is compared with the
set tally (github.com/wharflab/tally, which runs BuildKit's own linter) reports
for that check, and the agreement is printed per check.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install tally-cli
    .venv/bin/python bench/differential_buildkit.py --tally /tmp/peers/bin/tally

tally is run once per file (it stops a whole run at some files), on a copy
named ``Dockerfile`` in a scratch folder (it skips other names), with
``--no-config`` (no stray config from the corpus), ``--max-lines 0`` (tally's
own max-lines finding hides every other finding on its line) and
``--select buildkit/*`` (tally leaves FromPlatformFlagConstDisallowed and
InvalidDefinitionDescription off by default). Its results are cached in a JSON
file keyed by the file's hash, so a second run is fast.

BuildKit reports a check at the instruction, tally at the instruction's first
line; dslint points at the token, which may sit on a continuation line, so
each dslint finding is compared at the first line of its instruction. For
NoEmptyContinuation BuildKit uses the instruction's last line instead, and
dslint reports each empty line: those are mapped to the instruction's last
line. dslint findings for checks a file skips with ``# check=skip=...`` are
left out (tally honours the directive; dslint's suppression is separate) and
counted in the "skipped" column.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dslint.config import Settings
from dslint.engine import lint_dockerfile
from dslint.model import Dockerfile
from dslint.parser import parse
from dslint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
Key = tuple[str, int]  # (file name, line)


def run_tally(tally: str, text: bytes) -> list[tuple[str, int]] | str:
    """tally's buildkit findings as (check, line), or an error string."""
    with tempfile.TemporaryDirectory(prefix="dslint-diff-") as tmp:
        Path(tmp, "Dockerfile").write_bytes(text)
        proc = subprocess.run(
            [
                tally,
                "lint",
                "--slow-checks",
                "off",
                "--no-config",
                "--max-lines",
                "0",
                "--select",
                "buildkit/*",
                "--format",
                "json",
                "Dockerfile",
            ],
            cwd=tmp,
            capture_output=True,
            timeout=120,
        )
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        message = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
        return message.splitlines()[0] if message else f"exit {proc.returncode}"
    out = []
    for f in data.get("files", []):
        for v in f.get("violations", []):
            rule = v.get("rule", "")
            if rule.startswith("buildkit/"):
                out.append((rule.split("/", 1)[1], int(v["location"]["start"]["line"])))
    return out


def tally_results(
    files: list[Path], tally: str, cache_path: Path, jobs: int
) -> dict[str, list[tuple[str, int]] | str]:
    cache: dict[str, object] = {}
    if cache_path.is_file():
        cache = json.loads(cache_path.read_text())
    todo = []
    digests = {}
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        digests[path.name] = digest
        if digest not in cache:
            todo.append(path)
    if todo:
        print(f"running tally on {len(todo)} files ...", file=sys.stderr)

        def one(path: Path) -> tuple[str, object]:
            return digests[path.name], run_tally(tally, path.read_bytes())

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for digest, result in pool.map(one, todo):
                cache[digest] = result
        cache_path.write_text(json.dumps(cache))
    results: dict[str, list[tuple[str, int]] | str] = {}
    for name, digest in digests.items():
        value = cache[digest]
        results[name] = value if isinstance(value, str) else [(r, ln) for r, ln in value]  # type: ignore[union-attr]
    return results


def skipped_checks(df: Dockerfile) -> set[str]:
    """Check names a ``# check=skip=A,B`` directive turns off (``all``: every one)."""
    directive = df.directive("check")
    if directive is None:
        return set()
    names: set[str] = set()
    for part in directive.value.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "skip":
            names.update(n.strip() for n in value.split(",") if n.strip())
    return names


def dslint_results(
    files: list[Path], codes: dict[str, str]
) -> tuple[dict[str, list[tuple[str, int]]], dict[str, int]]:
    settings = Settings(select=tuple(codes.values()))
    by_code: dict[str, list[str]] = defaultdict(list)
    for name, code in codes.items():
        by_code[code].append(name)
    out: dict[str, list[tuple[str, int]]] = {}
    skipped: dict[str, int] = defaultdict(int)
    for path in files:
        df = parse(path.read_bytes().decode("utf-8", "replace"), path.name)
        skip = skipped_checks(df)
        found = []
        for f in lint_dockerfile(df, settings):
            for name in by_code.get(f.code, []):
                if name in skip or "all" in skip:
                    skipped[name] += 1
                    continue
                line = f.span.line
                owner = [i for i in df.instructions if i.span.line <= line <= i.span.end_line]
                if owner:
                    end = name == "NoEmptyContinuation"
                    line = owner[0].span.end_line if end else owner[0].span.line
                found.append((name, line))
        out[path.name] = found
    return out, skipped


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--tally", default=os.environ.get("TALLY") or shutil.which("tally") or "")
    p.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "dslint-tally-cache.json"
    )
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--show", type=int, default=10, help="disagreements listed per check")
    p.add_argument("--json", type=Path, help="also write the comparison here")
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    if not args.tally:
        print("tally not found: pip install tally-cli, then pass --tally PATH", file=sys.stderr)
        return 2

    codes: dict[str, str] = {}
    for rule in RULES:
        for name in rule.buildkit:
            codes[name] = rule.code
    files = sorted(p for p in args.corpus.iterdir() if p.is_file())
    theirs = tally_results(files, args.tally, args.cache, args.jobs)
    ours, skipped = dslint_results(files, codes)

    failed = {name: r for name, r in theirs.items() if isinstance(r, str)}
    compared = [p.name for p in files if p.name not in failed]
    sets: dict[str, dict[str, set[Key]]] = defaultdict(lambda: {"dslint": set(), "tally": set()})
    for name in compared:
        for check, line in ours[name]:
            sets[check]["dslint"].add((name, line))
        tally_found = theirs[name]
        assert not isinstance(tally_found, str)
        for check, line in tally_found:
            sets[check]["tally"].add((name, line))

    print(f"corpus: {args.corpus} ({len(files)} files, {len(compared)} compared)")
    for name, reason in sorted(failed.items()):
        print(f"  tally could not lint {name}: {reason}")
    print()
    header = f"{'BuildKit check':34} {'dslint':>7} {'tally':>6} {'both':>6} {'only-d':>7} {'only-t':>7} {'agree':>7} {'skipped':>8}"
    print(header)
    print("-" * len(header))
    report = {}
    names = sorted(set(codes) | set(sets))
    for check in names:
        d, t = sets[check]["dslint"], sets[check]["tally"]
        both = d & t
        union = d | t
        agree = f"{100 * len(both) / len(union):.0f}%" if union else "-"
        code = codes.get(check, "(none)")
        print(
            f"{check + ' ' + code:34} {len(d):7} {len(t):6} {len(both):6} "
            f"{len(d - t):7} {len(t - d):7} {agree:>7} {skipped.get(check, 0):8}"
        )
        report[check] = {
            "code": code,
            "dslint": len(d),
            "tally": len(t),
            "both": len(both),
            "only_dslint": sorted(d - t),
            "only_tally": sorted(t - d),
            "skipped_by_directive": skipped.get(check, 0),
        }
    print()
    for check in names:
        d, t = sets[check]["dslint"], sets[check]["tally"]
        for label, diff in (("only dslint", d - t), ("only tally", t - d)):
            if diff:
                print(f"{check}: {label} ({len(diff)})")
                for file, line in sorted(diff)[: args.show]:
                    print(f"    {file}:{line}")
    if args.json:
        args.json.write_text(json.dumps({"failed": failed, "checks": report}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
