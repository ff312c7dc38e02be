"""Configuration: discovery, precedence, validation, per-file ignores, options."""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar

import pytest

from dslint import cli, config
from dslint.config import ConfigError, Resolver, Settings, environment_layer, find_config, load_file
from dslint.rule import Rule, Severity

DOCKERFILE = (
    "FROM alpine:3.20 AS build\nRUN echo built > /out\nFROM alpine:3.20\n"
    'COPY --from=build /out /out\nUSER 65534\nCMD ["cat", "/out"]\n'
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    for var in (*config.ENVIRONMENT, config.ENV_CONFIG):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = cli.sys.stdout, cli.sys.stderr
    cli.sys.stdout, cli.sys.stderr = out, err
    try:
        code = cli.main(argv)
    finally:
        cli.sys.stdout, cli.sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_pyproject_table_is_found_upward_from_the_dockerfile(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.dslint]\ntarget = "build"\nfail-level = "error"\n')
    df = write(repo / "svc" / "deep" / "Dockerfile", DOCKERFILE)
    assert find_config(df.parent) == repo / "pyproject.toml"
    s = Resolver()(str(df))
    assert s.target == "build"
    assert s.fail_level == Severity.ERROR
    assert s.config_file is not None and s.config_file.endswith("pyproject.toml")


def test_dslint_toml_wins_over_pyproject_in_the_same_folder(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.dslint]\ntarget = "from-pyproject"\n')
    write(repo / ".dslint.toml", 'target = "from-dot-file"\n')
    assert Resolver()(str(repo / "Dockerfile")).target == "from-dot-file"


def test_the_closest_configuration_applies(repo: Path) -> None:
    write(repo / ".dslint.toml", 'target = "outer"\n')
    write(repo / "inner" / ".dslint.toml", 'target = "inner"\n')
    r = Resolver()
    assert r(str(repo / "inner" / "Dockerfile")).target == "inner"
    assert r(str(repo / "other" / "Dockerfile")).target == "outer"


def test_pyproject_without_the_table_is_skipped(repo: Path) -> None:
    write(repo / ".dslint.toml", 'target = "outer"\n')
    write(repo / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert Resolver()(str(repo / "sub" / "Dockerfile")).target == "outer"


def test_search_stops_at_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / ".dslint.toml", 'target = "outside"\n')
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert find_config(tmp_path / "repo" / "src") is None
    assert Resolver()(str(tmp_path / "repo" / "src" / "Dockerfile")).target is None


def test_precedence_cli_over_environment_over_file_over_default(repo: Path) -> None:
    write(repo / ".dslint.toml", 'target = "file"\nfail-level = "info"\nselect = ["DSL0"]\n')
    env = environment_layer({"DSLINT_TARGET": "env", "DSLINT_FAIL_LEVEL": "error"})
    args = cli.build_parser().parse_args(["--target", "cli"])
    r = Resolver(cli=cli.cli_layer(args), env=env)
    s = r(str(repo / "Dockerfile"))
    assert s.target == "cli"
    assert s.fail_level == Severity.ERROR
    assert s.select == ("DSL0",)
    assert s.origins["target"] == "--target"
    assert s.origins["fail-level"] == "$DSLINT_FAIL_LEVEL"
    assert Settings().fail_level == Severity.WARNING  # the default under all of them


def test_isolated_and_config_flag(repo: Path) -> None:
    write(repo / ".dslint.toml", 'target = "found"\n')
    named = write(repo / "ci" / "strict.toml", 'target = "named"\n')
    assert Resolver(isolated=True)(str(repo / "Dockerfile")).target is None
    assert Resolver(config_file=str(named))(str(repo / "Dockerfile")).target == "named"


def test_ignore_accumulates_and_select_replaces_across_layers(repo: Path) -> None:
    write(repo / ".dslint.toml", 'ignore = ["DSL002"]\nselect = ["DSL0"]\n')
    args = cli.build_parser().parse_args(["--ignore", "DSL900", "--select", "DSL9"])
    s = Resolver(cli=cli.cli_layer(args))(str(repo / "Dockerfile"))
    assert s.ignore == ("DSL002", "DSL900")
    assert s.select == ("DSL9",)


def test_codes_may_be_names_and_prefixes_and_severity_prefixes_expand(repo: Path) -> None:
    layer = load_file(
        write(
            repo / ".dslint.toml",
            ('select = ["unknown-target", "dsl00"]\n[severity]\nDSL0 = "info"\nDSL002 = "style"\n'),
        )
    )
    assert layer is not None
    assert layer.values["select"] == ("DSL002", "DSL00")
    assert layer.values["severity"]["DSL001"] == Severity.INFO
    assert layer.values["severity"]["DSL002"] == Severity.STYLE


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('selct = ["DSL001"]\n', "unknown key 'selct'; did you mean 'select'?"),
        ('select = ["DSL999"]\n', "select: unknown rule code or prefix 'DSL999'"),
        ('ignore = "DSLX"\n', "ignore: unknown rule code or prefix 'DSLX'"),
        ('fail-level = "loud"\n', "fail-level: expected one of error, warning"),
        ('[severity]\nDSL001 = "fatal"\n', "unknown severity 'fatal'"),
        ('[per-file-ignores]\n"x/*" = ["NOPE1"]\n', "per-file-ignores.'x/*': unknown rule"),
        ("[options.DSL002]\nx = 1\n", "rule DSL002 unknown-target has no options"),
        ("target = [\n", "not valid TOML"),
    ],
)
def test_bad_configuration_is_an_error_naming_file_and_key(
    repo: Path, text: str, needle: str
) -> None:
    write(repo / ".dslint.toml", text)
    write(repo / "Dockerfile", DOCKERFILE)
    code, out, err = run(["Dockerfile"])
    assert code == 2
    assert ".dslint.toml" in err
    assert needle in err, err
    assert out == ""


def test_bad_environment_and_command_line_are_errors(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "Dockerfile", DOCKERFILE)
    monkeypatch.setenv("DSLINT_IGNORE", "DSL77")
    code, _, err = run(["Dockerfile"])
    assert code == 2 and "environment variable DSLINT_IGNORE" in err
    monkeypatch.delenv("DSLINT_IGNORE")
    code, _, err = run(["--severity", "DSL001", "Dockerfile"])
    assert code == 2 and "--severity: expected CODE=LEVEL" in err


def test_per_file_ignores_match_globs_relative_to_the_config(repo: Path) -> None:
    write(
        repo / ".dslint.toml", '[per-file-ignores]\n"legacy/*" = ["DSL002"]\n"*.old" = ["DSL001"]\n'
    )
    s = Resolver()(str(repo / "Dockerfile"))
    assert s.for_path(str(repo / "legacy" / "Dockerfile")).ignore == ("DSL002",)
    assert s.for_path(str(repo / "svc" / "x.old")).ignore == ("DSL001",)
    assert s.for_path(str(repo / "svc" / "Dockerfile")).ignore == ()


def test_per_file_ignores_silence_findings_end_to_end(repo: Path) -> None:
    write(repo / ".dslint.toml", '[per-file-ignores]\n"legacy/*" = ["unknown-target"]\n')
    write(repo / "legacy" / "Dockerfile", DOCKERFILE)
    write(repo / "new" / "Dockerfile", DOCKERFILE)
    code, out, _ = run(["--target", "nope", "--format", "concise", "legacy", "new"])
    assert code == 1
    assert out.splitlines() == [
        "new/Dockerfile:1:1: error DSL002 target stage 'nope' could not be found "
        "(named stages: build)"
    ]


class WithOptions(Rule):
    """Test rule with options."""

    code = "DSL999"
    name = "with-options"
    severity = Severity.WARNING
    options: ClassVar[dict[str, object]] = {"trusted-registries": ("docker.io",), "strict": False}


def test_rule_options_are_checked_and_read(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dslint.rules import RULES

    monkeypatch.setattr(config, "_registry", lambda: (*RULES, WithOptions))
    write(repo / ".dslint.toml", '[options.with-options]\ntrusted-registries = ["ghcr.io"]\n')
    s = Resolver()(str(repo / "Dockerfile"))
    assert s.option(WithOptions, "trusted-registries") == ("ghcr.io",)
    assert s.option(WithOptions, "strict") is False
    write(repo / ".dslint.toml", '[options.DSL999]\ntrusted-registry = ["ghcr.io"]\n')
    with pytest.raises(ConfigError, match=r"unknown option 'trusted-registry'.*did you mean"):
        Resolver()(str(repo / "Dockerfile"))
    write(repo / ".dslint.toml", '[options.DSL999]\nstrict = "yes"\n')
    with pytest.raises(ConfigError, match=r"options\.DSL999\.strict: expected a value like"):
        Resolver()(str(repo / "Dockerfile"))


def test_config_subcommand_and_show_settings_print_the_resolved_settings(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[tool.dslint]\nignore = ["DSL900"]\n[tool.dslint.severity]\nDSL002 = "warning"\n',
    )
    code, out, _ = run(["config"])
    assert code == 0
    assert 'ignore = ["DSL900"]  # pyproject.toml [tool.dslint]' in out
    assert 'DSL002 = "warning"' in out
    assert "# configuration file: pyproject.toml" in out
    code, shown, _ = run(["--show-settings", "--fail-level", "error"])
    assert code == 0
    assert 'fail-level = "error"  # --fail-level' in shown
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    assert tomllib.loads(shown)["tool"]["dslint"]["ignore"] == ["DSL900"]


def test_config_file_named_on_the_command_line_or_in_the_environment(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "Dockerfile", DOCKERFILE)
    write(repo / "ci" / "lint.toml", '[tool.dslint]\ntarget = "nope"\n')  # a [tool.dslint] table
    write(repo / "ci" / "plain.toml", 'target = "nope"\n')  # top-level keys
    assert run(["Dockerfile"])[0] == 0
    assert run(["--config", "ci/lint.toml", "Dockerfile"])[0] == 1
    assert run(["--config", "ci/plain.toml", "Dockerfile"])[0] == 1
    assert run(["--config", "ci/plain.toml", "--isolated", "Dockerfile"])[0] == 0
    monkeypatch.setenv("DSLINT_CONFIG", "ci/plain.toml")
    assert run(["Dockerfile"])[0] == 1
    code, _, err = run(["--config", "ci/missing.toml", "Dockerfile"])
    assert code == 2 and "ci/missing.toml: cannot read the configuration file" in err


def test_a_pyproject_that_only_mentions_dslint_is_not_a_configuration(repo: Path) -> None:
    write(repo / ".dslint.toml", 'target = "outer"\n')
    write(repo / "sub" / "pyproject.toml", '[project]\ndescription = "uses tool.dslint"\n')
    assert Resolver()(str(repo / "sub" / "Dockerfile")).target == "outer"
