"""Hostile inputs: each ends, with a clear one-line message and the right exit
code, and never with a traceback.

The command runs in a subprocess, as a user runs it, with a generous time limit
that only guards against a hang (it is no benchmark: bench/ measures speed).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from dslint.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
HANG = 300  # seconds: far above any honest run, only a guard against a hang

# A file no rule reports on; the hostile inputs below that are about parsing run
# with SYNTAX_ONLY, so that the findings of the other rules don't hide what is tested.
GOOD = (
    "FROM alpine:3.20 AS build\nRUN echo hi > /out\nFROM alpine:3.20\n"
    'COPY --from=build /out /out\nUSER 65534\nCMD ["cat", "/out"]\n'
)
SYNTAX_ONLY = ("--select", "DSL001")


def syntax_errors(stdout: str) -> list[dict[str, Any]]:
    return [f for f in json.loads(stdout) if f["code"] == "DSL001"]


def dslint(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [sys.executable, "-m", "dslint", *map(str, args)],
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=HANG,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert "Traceback" not in run.stdout, run.stdout[-3000:]
    for line in run.stderr.splitlines():  # every message is one line naming dslint
        assert line.startswith("dslint: "), line
        assert len(line) < 500, line[:200]
    return run


def formats() -> list[str]:
    """Every --format the CLI offers (other formats arrive with other issues)."""
    for action in build_parser()._actions:
        if "--format" in action.option_strings:
            return list(action.choices or [])
    raise AssertionError("the CLI has no --format option")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


# -- big and deep --------------------------------------------------------------


def test_a_10_mb_file_is_linted(tmp_path: Path) -> None:
    parts = ["FROM alpine:3.20 AS build\n"]
    # 40,000 instructions, a 4 MB heredoc, 3 MB of comments: 10 MB in all.
    parts += [f"RUN echo step {i} && touch /tmp/{i}\n" for i in range(20_000)]
    parts += [f"ENV VAR_{i}=value_{i}\n" for i in range(20_000)]
    parts.append("COPY <<EOF /data.txt\n" + "0123456789abcdef" * 250_000 + "\nEOF\n")
    parts.append(("# " + "comment " * 12 + "\n") * 30_000)
    text = "".join(parts)
    text += "# padding\n" * ((10_000_000 - len(text)) // 10 + 1)
    path = write(tmp_path / "Dockerfile", text)
    assert path.stat().st_size >= 10_000_000
    run = dslint("--format", "json", path)  # every rule: they must scale too
    assert run.returncode in (0, 1) and run.stderr == "", run.stderr
    assert syntax_errors(run.stdout) == []


def test_a_1_mb_line_is_linted_and_messages_stay_short(tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", "FROM alpine\nRUN echo " + "a" * 1_000_000 + "\n")
    assert dslint(*SYNTAX_ONLY, path).returncode == 0
    # A 1 MB unknown keyword: the finding quotes it cut short.
    path = write(tmp_path / "Dockerfile", "FROM alpine\n" + "x" * 1_000_000 + " y\n")
    run = dslint(*SYNTAX_ONLY, "--format", "json", path)
    assert run.returncode == 2
    [finding] = json.loads(run.stdout)
    assert finding["code"] == "DSL001" and len(finding["message"]) < 200
    run = dslint(*SYNTAX_ONLY, path)
    assert max(len(line) for line in run.stdout.splitlines()) < 500  # the snippet is cut too


@pytest.mark.parametrize(
    "line",
    [
        "# syntax=a" + " " * 1_000_000 + "b",  # a directive with a long run of blanks
        "FROM " + "${a}" * 200_000 + "z",  # a FROM glob of many variables
        "FROM " + "${a:-" * 200_000,  # unclosed expansions
        "ARG A=" + "$" * 1_000_000,
        "RUN " + "\\ " * 500_000,
        "RUN " + "<<" * 500_000,
        "COPY --from=" + "-" * 1_000_000 + " a b",
        "LABEL " + "a=b " * 250_000,
    ],
    ids=[
        "directive",
        "from-glob",
        "unclosed",
        "dollars",
        "escapes",
        "heredoc-marks",
        "flag",
        "label",
    ],
)
def test_hostile_1_mb_lines_end(tmp_path: Path, line: str) -> None:
    path = write(tmp_path / "Dockerfile", f"{line}\nFROM alpine AS {'a' * 30}\nRUN x\n")
    assert dslint("--format", "json", path).returncode in (0, 1, 2)


def test_100000_continuation_lines(tmp_path: Path) -> None:
    text = "FROM alpine\nRUN echo start \\\n" + "  && echo more \\\n" * 100_000 + "  && echo end\n"
    run = dslint(*SYNTAX_ONLY, "--format", "json", write(tmp_path / "Dockerfile", text))
    assert run.returncode == 0 and json.loads(run.stdout) == []


def test_10000_heredocs(tmp_path: Path) -> None:
    text = "FROM alpine\n" + "".join(
        f"RUN <<EOF{i}\necho {i}\nEOF{i}\n" if i % 2 else f"COPY <<-EOF /f{i}\n\tdata\n\tEOF\n"
        for i in range(10_000)
    )
    run = dslint(*SYNTAX_ONLY, "--format", "json", write(tmp_path / "Dockerfile", text))
    assert run.returncode == 0 and json.loads(run.stdout) == []


def test_deeply_nested_variables(tmp_path: Path) -> None:
    nested = "x"
    for i in range(20_000):
        nested = f"${{v{i}:-{nested}}}"
    text = f"ARG BASE={nested}\nFROM {nested} AS b\nENV A={nested}\nRUN echo {nested}\nFROM b\n"
    run = dslint("--format", "json", write(tmp_path / "Dockerfile", text))
    assert run.returncode in (0, 1), run.stderr


# -- not text, not a file ----------------------------------------------------------


def test_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM alpine\x00\nRUN x\n")
    run = dslint(path)
    assert run.returncode == 2
    assert (
        run.stderr
        == f"dslint: {path}: looks like a binary file (it contains NUL bytes), not a Dockerfile\n"
    )


def test_nul_bytes_on_standard_input() -> None:
    run = dslint("-", stdin=b"FROM alpine\x00\n")
    assert run.returncode == 2 and "NUL bytes" in run.stderr


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM alpine\nRUN echo \xff\xfe\n")
    run = dslint(path)
    assert run.returncode == 2
    assert (
        run.stderr
        == f"dslint: {path}: not valid UTF-8 (byte 0xff on line 2, offset 21); save the file as UTF-8\n"
    )


def test_a_fifo_named_like_a_dockerfile_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)  # opening it for reading would block forever
    run = dslint(fifo)
    assert run.returncode == 2 and run.stderr == f"dslint: {fifo}: not a regular file\n"
    write(tmp_path / "api.Dockerfile", GOOD)
    run = dslint(tmp_path)  # found by a scan, too
    assert run.returncode == 2 and run.stderr == f"dslint: {fifo}: not a regular file\n"


def test_a_directory_named_like_a_dockerfile(tmp_path: Path) -> None:
    folder = tmp_path / "Dockerfile"
    folder.mkdir()
    run = dslint(folder)
    assert run.returncode == 2
    assert run.stderr == f"dslint: {folder}: no Dockerfiles found in this directory\n"
    write(folder / "Dockerfile", GOOD)  # scanned: it is a folder, and its file is linted
    run = dslint("--format", "json", tmp_path)
    assert run.returncode == 0 and run.stderr == ""


def test_symlink_loops_in_a_scanned_folder(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)  # a folder loop
    (tmp_path / "a.Dockerfile").symlink_to(tmp_path / "b.Dockerfile")  # a file loop
    (tmp_path / "b.Dockerfile").symlink_to(tmp_path / "a.Dockerfile")
    run = dslint("--format", "json", tmp_path)
    assert run.returncode == 2
    assert sorted(run.stderr.splitlines()) == [
        f"dslint: {tmp_path / name}: Too many levels of symbolic links"
        for name in ("a.Dockerfile", "b.Dockerfile")
    ]
    assert json.loads(run.stdout) == []


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", GOOD)
    path.chmod(0)
    try:
        run = dslint(path)
    finally:
        path.chmod(0o644)
    assert run.returncode == 2
    assert run.stderr == f"dslint: {path}: cannot be read (Permission denied)\n"


def test_a_missing_path(tmp_path: Path) -> None:
    run = dslint(tmp_path / "nope")
    assert run.returncode == 2
    assert run.stderr == f"dslint: {tmp_path / 'nope'}: no such file or directory\n"


# -- one bad file among many ----------------------------------------------------------


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize(("count", "jobs"), [(3, "1"), (40, "2")], ids=["serial", "pool"])
def test_one_bad_file_among_many(tmp_path: Path, fmt: str, count: int, jobs: str) -> None:
    """The others are linted and reported in every format; the exit code is 2."""
    good = [write(tmp_path / f"svc{i:02d}.Dockerfile", GOOD) for i in range(count)]
    bad = tmp_path / "svc-bad.Dockerfile"
    bad.write_bytes(b"FROM alpine\nRUN echo \xff\n")
    # --target names no stage: every good file gets a finding (DSL002) to report.
    run = dslint("--format", fmt, "--target", "nosuch", "--jobs", jobs, tmp_path)
    assert run.returncode == 2
    assert (
        run.stderr
        == f"dslint: {bad}: not valid UTF-8 (byte 0xff on line 2, offset 21); save the file as UTF-8\n"
    )
    for path in good:
        assert path.name in run.stdout, f"{path.name} missing from the {fmt} report"
    default = dslint("--format", fmt, "--target", "nosuch", tmp_path)
    assert default.stdout == run.stdout  # the pool (or not) keeps the order


# -- regular expressions ------------------------------------------------------------

_HOSTILE_PROGRAM = textwrap.dedent(
    """
    import json, re, signal, sys
    from dslint.parser import _continuation_regex

    class Stuck(Exception):
        pass

    def alarm(*_):
        raise Stuck

    signal.signal(signal.SIGALRM, alarm)  # the re engine checks for signals while it works
    patterns = [(w, re.compile(p, f)) for w, p, f in json.loads(sys.argv[1])]
    patterns += [("continuation " + e, _continuation_regex(e)) for e in ("\\\\", "`")]
    n, limit = int(sys.argv[2]), float(sys.argv[3])
    prefixes = ["", "a", "a=", "a=a", "#", "$", "${", "${a:-", "a\\\\", "<<", "-", "FROM "]
    units = [" ", "\\t", "a", "-", ".", "=", "$", "{", "${", "${a:-", "\\\\", "`",
             "\\\\ ", "a\\\\", "<<", "a-", "1"]
    stuck = []
    for where, pattern in patterns:
        for prefix in prefixes:
            for unit in units:
                for tail in ("", "!"):
                    s = prefix + unit * (n // len(unit)) + tail
                    signal.setitimer(signal.ITIMER_REAL, limit)
                    try:
                        pattern.search(s)
                        pattern.findall(s)
                    except Stuck:
                        stuck.append(f"{where} {pattern.pattern!r} on {prefix!r} + {unit!r} * {n // len(unit)} + {tail!r}")
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
    print(json.dumps({"checked": len(patterns), "stuck": stuck}))
    """
)


def _flags(node: ast.expr) -> int:
    """``re.DOTALL | re.I`` and the like, read from the syntax tree (else 0)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    if isinstance(node, ast.Attribute) and isinstance(getattr(re, node.attr, None), re.RegexFlag):
        return int(getattr(re, node.attr))
    return 0


def _package_patterns() -> list[tuple[str, str, int]]:
    """Every constant regular expression in lint/ and rules/: module-level
    compiled patterns and re.compile/match/search/... calls with a literal."""
    found: dict[tuple[str, int], str] = {}
    for folder in ("lint", "rules"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "re"
                    and node.func.attr
                    in (
                        "compile",
                        "match",
                        "search",
                        "fullmatch",
                        "sub",
                        "subn",
                        "split",
                        "findall",
                        "finditer",
                    )
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    flags = 0
                    for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                        flags |= _flags(arg)
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found[(node.args[0].value, flags)] = where
    return [(where, pattern, flags) for (pattern, flags), where in found.items()]


def test_the_package_has_regular_expressions_to_check() -> None:
    names = {where.split(":")[0] for where, _, _ in _package_patterns()}
    assert "lint/parser.py" in names and "lint/files.py" in names


# 20,000 characters: a linear pattern scans them in well under a millisecond, a
# quadratic one needs ~10^8 steps per case and trips the 0.5 s guard (measured:
# exactly the three quadratic patterns this check found, and the old directive one).
HOSTILE_LENGTH = 20_000


def _hostile_regex_run(patterns: list[tuple[str, str, int]], limit: float = 0.5) -> dict[str, Any]:
    """Run the check in two processes at once (one per core), half the patterns each."""
    halves = [patterns[0::2], patterns[1::2]] if len(patterns) > 1 else [patterns]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _HOSTILE_PROGRAM,
                json.dumps(half),
                str(HOSTILE_LENGTH),
                str(limit),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half in halves
    ]
    result: dict[str, Any] = {"checked": 0, "stuck": []}
    for number, proc in enumerate(procs):
        out, err = proc.communicate(timeout=HANG)
        assert proc.returncode == 0, err
        part = json.loads(out)
        # the continuation regexes are appended to every run: count them once
        result["checked"] += part["checked"] - (2 if number else 0)
        result["stuck"] += part["stuck"]
    return result


def test_no_regular_expression_backtracks_catastrophically() -> None:
    """Each regex of the package on 20,000-character runs of the characters
    Dockerfiles are made of, after prefixes that lead into its repetitions and
    before a tail that fails the match. A linear pattern takes about a
    millisecond on each; a quadratic one takes seconds and hits the 0.5 s guard."""
    patterns = _package_patterns()
    result = _hostile_regex_run(patterns)
    assert result["checked"] == len(patterns) + 2
    assert result["stuck"] == []


def test_the_regex_check_catches_a_catastrophic_pattern() -> None:
    """The check itself: the directive pattern dslint used to have (quadratic on a
    long run of blanks) is caught."""
    old = ("old directive", r"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$", 0)
    result = _hostile_regex_run([old])
    assert any("old directive" in s and "'a=a'" in s for s in result["stuck"])


# -- start-up ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_lint_run_imports_neither_networkx_nor_rich(tmp_path: Path, fmt: str) -> None:
    """networkx (~190 ms to import) and rich (~50 ms) would triple the start-up of
    a pre-commit run: the graph queries are plain Python and rich only colours a
    terminal."""
    path = write(tmp_path / "Dockerfile", GOOD + "COPY --from=nosuch /a /b\nFROM build AS x\n")
    program = (
        "import sys\n"
        "from dslint.cli import main\n"
        f"main(['--format', {fmt!r}, '--no-color', '--target', 'build', {str(path)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('networkx', 'rich'))\n"
        "print('IMPORTED', heavy)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=HANG
    )
    assert run.stdout.strip().splitlines()[-1] == "IMPORTED []", run.stdout + run.stderr


def test_a_chain_of_1000_stages_is_linted_by_every_rule(tmp_path: Path) -> None:
    """Each stage built FROM the one before: rules that follow FROM chains (WORKDIR,
    SHELL, ENV inheritance) must not recurse or rescan the chain for every stage."""
    text = "FROM alpine:3.20 AS s0\nWORKDIR /app\n" + "".join(
        f"FROM s{i} AS s{i + 1}\nENV STEP_{i}={i}\nRUN echo $STEP_{i}\n" for i in range(999)
    )
    run = dslint("--format", "json", write(tmp_path / "Dockerfile", text))
    assert run.returncode in (0, 1) and run.stderr == "", run.stderr
    assert syntax_errors(run.stdout) == []
