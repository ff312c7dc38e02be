"""The command line: exit codes, --exit-zero, --output, formats, subcommands."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dslint import cli, config

CLEAN = (
    "FROM alpine:3.20 AS build\nRUN echo built > /out\nFROM alpine:3.20\n"
    'COPY --from=build /out /out\nUSER 65534\nCMD ["cat", "/out"]\n'
)
BROKEN = "FROM alpine:3.20\nRUN <<EOF\necho\n"
UNUSED = CLEAN.replace("USER 65534", "# dslint ignore=DSL002\nUSER 65534")  # one DSL900 (info)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    for var in (*config.ENVIRONMENT, config.ENV_CONFIG, "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def write(name: str, text: str) -> str:
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_text(text, encoding="utf-8")
    return name


def run(argv: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = cli.sys.stdout, cli.sys.stderr, cli.sys.stdin
    cli.sys.stdout, cli.sys.stderr = out, err
    if stdin is not None:
        cli.sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        code = cli.main(argv)
    finally:
        cli.sys.stdout, cli.sys.stderr, cli.sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def test_exit_0_when_clean() -> None:
    code, out, _ = run([write("Dockerfile", CLEAN)])
    assert code == 0
    assert out == "No problems found in 1 file.\n"


def test_exit_1_on_a_finding_at_the_fail_level() -> None:
    write("Dockerfile", CLEAN)
    code, out, _ = run(["--target", "nope", "Dockerfile"])
    assert code == 1
    assert "error DSL002 unknown-target" in out


def test_findings_below_the_fail_level_exit_0() -> None:
    write("Dockerfile", UNUSED)
    assert run(["Dockerfile"])[0] == 0  # info < warning
    assert run(["--fail-level", "info", "Dockerfile"])[0] == 1
    assert run(["--fail-level", "none", "--target", "nope", "Dockerfile"])[0] == 0


def test_fail_level_from_the_configuration_file_applies() -> None:
    write("Dockerfile", UNUSED)
    write(".dslint.toml", 'fail-level = "info"\n')
    assert run(["Dockerfile"])[0] == 1


def test_exit_2_on_syntax_error_unreadable_file_or_usage() -> None:
    write("Dockerfile", BROKEN)
    code, out, _ = run(["Dockerfile"])
    assert code == 2 and "DSL001" in out
    code, _, err = run(["missing/Dockerfile"])
    assert code == 2 and "missing/Dockerfile" in err
    code, _, err = run(["--select", "BOGUS", "Dockerfile"])
    assert code == 2 and "unknown rule code or prefix 'BOGUS'" in err
    with pytest.raises(SystemExit) as exc:
        run(["--format", "yaml"])
    assert exc.value.code == 2


def test_exit_zero_turns_findings_into_0_but_not_errors() -> None:
    write("Dockerfile", CLEAN)
    assert run(["--exit-zero", "--target", "nope", "Dockerfile"])[0] == 0
    write("Broken.Dockerfile", BROKEN)
    assert run(["--exit-zero", "Broken.Dockerfile"])[0] == 2


def test_output_writes_the_report_to_a_file() -> None:
    write("Dockerfile", CLEAN)
    code, out, _ = run(
        ["--target", "nope", "--format", "sarif", "--output", "out/r.sarif", "Dockerfile"]
    )
    assert code == 1 and out == ""
    doc = json.loads(Path("out/r.sarif").read_text(encoding="utf-8"))
    assert doc["runs"][0]["results"][0]["ruleId"] == "DSL002"
    code, _, err = run(["--output", "Dockerfile/r.txt", "Dockerfile"])
    assert code == 2 and "cannot write the report" in err


@pytest.mark.parametrize(
    "fmt", ["json", "sarif", "github", "gitlab", "checkstyle", "junit", "concise"]
)
def test_every_format_from_the_command_line(fmt: str) -> None:
    write("Dockerfile", CLEAN)
    code, out, _ = run(["--target", "nope", "--format", fmt, "Dockerfile"])
    assert code == 1
    assert "DSL002" in out
    assert "\x1b[" not in out


def test_text_report_is_plain_when_piped_and_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    write("Dockerfile", CLEAN)
    _, piped, _ = run(["--target", "nope", "Dockerfile"])
    assert "\x1b[" not in piped
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, forced, _ = run(["--target", "nope", "Dockerfile"])
    assert "\x1b[" in forced
    _, no_color, _ = run(["--no-color", "--target", "nope", "Dockerfile"])
    assert no_color == piped
    monkeypatch.setenv("NO_COLOR", "1")
    assert run(["--target", "nope", "Dockerfile"])[1] == piped


def test_quiet_and_statistics() -> None:
    write("Dockerfile", UNUSED)
    _, quiet, _ = run(["--quiet", "Dockerfile"])
    assert quiet.startswith("Dockerfile:5:17: info DSL900") and "Found" not in quiet
    _, stats, _ = run(["--statistics", "Dockerfile"])
    assert stats.splitlines()[1].split()[:3] == ["1", "DSL900", "unused-suppression"]
    _, js, _ = run(["--statistics", "--format", "json", "Dockerfile"])
    assert json.loads(js) == [
        {
            "count": 1,
            "code": "DSL900",
            "name": "unused-suppression",
            "severity": "info",
            "fixable": 1,
        }
    ]
    code, _, err = run(["--statistics", "--format", "sarif", "Dockerfile"])
    assert code == 2 and "--statistics works with" in err


def test_stdin_uses_the_stdin_filename(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(
        ["--format", "concise", "--stdin-filename", "svc/Dockerfile", "-"], stdin=UNUSED
    )
    assert code == 0
    assert out.startswith("svc/Dockerfile:5:17: info DSL900")


def test_environment_variables_configure_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    write("Dockerfile", CLEAN)
    monkeypatch.setenv("DSLINT_TARGET", "nope")
    assert run(["Dockerfile"])[0] == 1
    monkeypatch.setenv("DSLINT_SEVERITY", "DSL002=info")
    assert run(["Dockerfile"])[0] == 0
    assert run(["--severity", "DSL002=error", "Dockerfile"])[0] == 1


def test_subcommands_are_registered() -> None:
    assert set(cli.SUBCOMMANDS) >= {"config", "rule", "rules"}
    code, out, _ = run(["rules"])
    assert code == 0 and "DSL900" in out
    code, out, _ = run(["rule", "DSL900"])
    assert code == 0 and out.startswith("# DSL900 unused-suppression")


def test_cold_start_imports_neither_rich_nor_networkx_for_machine_formats(isolated: Path) -> None:
    write("Dockerfile", CLEAN)
    code = (
        "import sys\nfrom dslint.cli import main\n"
        "rc = main(['--format', 'json', 'Dockerfile'])\n"
        "print(rc, 'rich' in sys.modules, 'networkx' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.split() == ["0", "False", "False"]
