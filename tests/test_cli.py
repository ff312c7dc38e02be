"""The command line: files of any name, folders, stdin, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dslint.cli import main
from dslint.files import is_dockerfile_name

from conftest import FIXTURES

GOOD = (
    "FROM alpine:3.20 AS build\nRUN echo built > /out\nFROM alpine:3.20\n"
    'COPY --from=build /out /out\nUSER 65534\nCMD ["cat", "/out"]\n'
)
BROKEN = "FROM alpine:3.20\nRUNN echo hi\n"
ONLY_SYNTAX = ["--select", "DSL001"]  # inputs below are about parsing, not the other rules


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_any_file_name_is_linted_when_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ["Dockerfile-multistage", "api.dockerfile", "Containerfile", "weird name.txt"]
    for name in names:
        (tmp_path / name).write_text(BROKEN)
    code, out, _ = run(
        [*ONLY_SYNTAX, "--format", "json", *(str(tmp_path / n) for n in names)], capsys
    )
    assert code == 2
    assert sorted(Path(f["path"]).name for f in json.loads(out)) == sorted(names)


def test_directory_discovery_finds_dockerfile_names_and_skips_hidden_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for rel in [
        "Dockerfile",
        "svc/Dockerfile.prod",
        "svc/Dockerfile-multistage",
        "svc/api.Dockerfile",
        "svc/web.dockerfile",
        "svc/Containerfile.dev",
        ".git/Dockerfile",
        "node_modules/pkg/Dockerfile",
        "svc/Dockerfile.dockerignore",
        "svc/README.md",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BROKEN)
    code, out, _ = run([*ONLY_SYNTAX, "--format", "json", str(tmp_path)], capsys)
    found = sorted({os.path.relpath(f["path"], tmp_path) for f in json.loads(out)})
    assert found == [
        "Dockerfile",
        "svc/Containerfile.dev",
        "svc/Dockerfile-multistage",
        "svc/Dockerfile.prod",
        "svc/api.Dockerfile",
        "svc/web.dockerfile",
    ]
    assert code == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dockerfile", True),
        ("dockerfile", True),
        ("Dockerfile.prod", True),
        ("Dockerfile-multistage", True),
        ("api.Dockerfile", True),
        ("Containerfile", True),
        ("Containerfile.arm64", True),
        ("Dockerfile.dockerignore", False),
        (".dockerignore", False),
        ("docker-compose.yml", False),
        ("Dockerfile.md", False),
        ("README", False),
    ],
)
def test_discovery_names(name: str, expected: bool) -> None:
    assert is_dockerfile_name(name) is expected


def test_exit_codes_follow_the_fail_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = tmp_path / "Dockerfile"
    clean.write_text(GOOD)
    assert run([str(clean)], capsys)[0] == 0
    target_missing = ["--target", "nope", str(clean)]  # DSL002 is an error
    assert run(target_missing, capsys)[0] == 1
    assert run([*target_missing, "--fail-level", "none"], capsys)[0] == 0
    assert run([*target_missing, "--exit-zero"], capsys)[0] == 0
    assert run([*target_missing, "--ignore", "DSL002"], capsys)[0] == 0


def test_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(BROKEN)
    code, out, _ = run([*ONLY_SYNTAX, "--format", "json", str(path)], capsys)
    (finding,) = json.loads(out)
    assert finding == {
        "path": str(path),
        "line": 2,
        "column": 1,
        "end_line": 2,
        "end_column": 5,
        "code": "DSL001",
        "rule": "syntax-error",
        "severity": "error",
        "message": "unknown instruction: RUNN (did you mean RUN?)",
        "fix": None,
    }
    assert code == 2


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "a.Dockerfile"
    good.write_text(BROKEN)
    binary = tmp_path / "b.Dockerfile"
    binary.write_bytes(b"\x00\x01\x02FROM")
    latin = tmp_path / "c.Dockerfile"
    latin.write_bytes("FROM alpine\nLABEL author=Jos\xe9\n".encode("latin-1"))
    code, out, err = run(
        [*ONLY_SYNTAX, "--format", "json", str(good), str(binary), str(latin), "missing"], capsys
    )
    assert code == 2
    assert [Path(f["path"]).name for f in json.loads(out)] == ["a.Dockerfile"]
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert "b.Dockerfile: looks like a binary file" in lines[0]
    assert "c.Dockerfile: not valid UTF-8 (byte 0xe9 on line 2, offset 28)" in lines[1]
    assert "missing: no such file or directory" in lines[2]
    assert "Traceback" not in err


def test_empty_file_and_folder_without_dockerfiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "Dockerfile"
    empty.write_text("")
    code, out, _ = run([str(empty)], capsys)
    assert code == 2 and "DSL001 syntax-error: file with no instructions" in out
    folder = tmp_path / "nothing"
    folder.mkdir()
    code, _, err = run([str(folder)], capsys)
    assert code == 2 and f"{folder}: no Dockerfiles found" in err


def test_text_report_shows_the_span_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(BROKEN)
    _, out, _ = run([*ONLY_SYNTAX, "--no-color", str(path)], capsys)
    assert f"{path}:2:1: error DSL001 syntax-error: unknown instruction: RUNN" in out
    assert "\n1 | FROM alpine:3.20\n2 | RUNN echo hi\n  | ^^^^\n" in out
    assert "Found 1 problem (1 error) in 1 of 1 file." in out


def test_large_inputs_parse_quickly_without_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_line = tmp_path / "long.Dockerfile"
    long_line.write_text("FROM alpine\nRUN echo " + "x" * 1_000_000 + "\n")
    big = tmp_path / "big.Dockerfile"
    big.write_text("FROM alpine\n" + ("RUN echo " + "y" * 1000 + "\n") * 10_000)
    assert big.stat().st_size > 10_000_000
    code, out, err = run(
        ["--select", "DSL001", "--format", "json", str(long_line), str(big)], capsys
    )
    assert (code, json.loads(out), err) == (0, [], "")


def test_standard_input_and_module_entry_point(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dslint",
            "--format",
            "json",
            "--stdin-filename",
            "api.Dockerfile",
            "-",
        ],
        input=BROKEN,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert json.loads(proc.stdout)[0]["path"] == "api.Dockerfile"


def test_the_shipped_example_is_linted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--no-color", str(FIXTURES / "Dockerfile-multistage")], capsys)
    assert err == ""
    assert code in (0, 1)
    assert "file" in out
