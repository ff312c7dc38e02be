"""Fuzz dslint with Dockerfiles generated from the grammar.

Runs the properties of tests/test_fuzz.py (no exception escapes; every finding's
span lies inside the file; deterministic linting; the model round-trips; BuildKit's
parser agrees on every file it accepts) over many generated files, in batches
with fixed seeds so a failure can be replayed::

    nice -n 19 .venv/bin/python bench/fuzz.py --examples 100000 --jobs 2

Prints the number of examples checked, and for a failure the shrunk file, the
violated properties and the seed. Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
import traceback
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))


def run_batch(seed: int, examples: int, shrink: bool = False) -> tuple[int, str | None]:
    """Check ``examples`` generated files with ``seed``: (how many ran, failure or None)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from test_fuzz import check_file

    from strategies import dockerfiles

    count = 0
    last: list[str] = []

    @fixed_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink] if shrink else [Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(dockerfiles())
    def prop(text: str) -> None:
        nonlocal count
        count += 1
        last[:] = [text]
        try:
            problems = check_file(text)
        except Exception:
            problems = [traceback.format_exc()]
        assert not problems, "\n".join(problems)

    try:
        prop()
    except AssertionError as exc:
        text = last[0] if last else ""
        return count, f"seed {seed}:\n{exc}\n--- file ---\n{text!r}"
    except Exception:
        return count, f"seed {seed}:\n{traceback.format_exc()}"
    return count, None


def _run(batch: tuple[int, int, bool]) -> tuple[int, str | None]:
    return run_batch(*batch)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--examples", type=int, default=100_000, help="files to check (default 100,000)")
    p.add_argument("--batch", type=int, default=2_000, help="examples per seed (default 2,000)")
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--shrink", action="store_true", help="shrink a failing file (slow)")
    args = p.parse_args(argv)

    batches = []
    left, seed = args.examples, args.seed
    while left > 0:
        size = min(args.batch, left)
        batches.append((seed, size, args.shrink))
        left -= size
        seed += 1

    start = time.monotonic()
    total = 0
    failures: list[str] = []
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for done, (count, failure) in enumerate(pool.imap_unordered(_run, batches), 1):
            total += count
            if failure:
                failures.append(failure)
                print("\nFAILURE", failure, "\n", flush=True)
            elapsed = time.monotonic() - start
            if done % 5 == 0 or done == len(batches):
                print(
                    f"[{elapsed:7.0f} s] {done}/{len(batches)} batches, {total:,} examples, "
                    f"{len(failures)} failures",
                    flush=True,
                )
    elapsed = time.monotonic() - start
    print(
        f"\n{total:,} generated Dockerfiles checked in {elapsed:.0f} s "
        f"({total / max(elapsed, 1e-9):.0f}/s, {args.jobs} jobs, seeds {args.seed}.."
        f"{args.seed + len(batches) - 1}): {len(failures)} failing batch(es)."
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
