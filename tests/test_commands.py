"""The shell command reader behind DSL301/DSL303 (dslint.commands)."""

from __future__ import annotations

import pytest

from dslint.commands import (
    build_command,
    commands_of,
    installs_dev_dependencies,
    package_op,
    split_commands,
)
from dslint.parser import parse


def argvs(script: str) -> list[list[str]]:
    return [c.argv for c in split_commands(script)]


def test_splits_on_operators_and_removes_quotes_and_redirections() -> None:
    script = 'set -eux; apt-get update && apt-get install -y "gcc" > /dev/null 2>&1 | tee log'
    assert argvs(script) == [
        ["set", "-eux"],
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "gcc"],
        ["tee", "log"],
    ]


def test_comments_continuations_and_quoted_operators_are_not_commands() -> None:
    script = "echo 'a && apt-get install gcc' \\\n  && ls # apt-get install make\n"
    assert argvs(script) == [["echo", "a && apt-get install gcc"], ["ls"]]


def test_assignments_wrappers_and_sh_c_are_unwrapped() -> None:
    [cmd] = split_commands("DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y make")
    assert cmd.argv[:2] == ["apt-get", "install"] and cmd.env == (
        ("DEBIAN_FRONTEND", "noninteractive"),
    )
    assert argvs("sh -c 'npm ci && npm run build'") == [["npm", "ci"], ["npm", "run", "build"]]
    assert argvs("env NODE_ENV=production npm ci") == [["npm", "ci"]]


def test_command_substitution_stays_inside_its_word() -> None:
    assert argvs('saved="$(apt-mark showmanual)"; echo "$(a; b)" x') == [["echo", "$(a; b)", "x"]]


def test_commands_under_a_condition_are_marked() -> None:
    cmds = split_commands(
        'if [ "$X" = 1 ]; then apk add gcc; fi; apk add curl; [ -n "$Y" ] && apk add make; '
        "apk add musl-dev || true"
    )
    marked = {" ".join(c.argv): c.conditional for c in cmds}
    assert marked["apk add gcc"] and marked["apk add make"] and marked["true"]
    assert not marked["apk add curl"] and not marked["apk add musl-dev"]


@pytest.mark.parametrize(
    ("script", "manager", "action", "packages", "group"),
    [
        (
            "apt-get install -y --no-install-recommends gcc=4:12 libpq-dev/bookworm",
            "apt-get",
            "install",
            ("gcc", "libpq-dev"),
            None,
        ),
        (
            "apt-get -o Dpkg::Options::=x install -t bookworm-backports make",
            "apt-get",
            "install",
            ("make",),
            None,
        ),
        (
            "apk add --no-cache --virtual .build-deps build-base ${EXTRA}",
            "apk",
            "install",
            ("build-base",),
            ".build-deps",
        ),
        ("apk del --no-network .build-deps", "apk", "remove", (".build-deps",), None),
        ("microdnf install -y gcc-c++", "microdnf", "install", ("gcc-c++",), None),
        ("apt-get purge -y --auto-remove gcc", "apt-get", "remove", ("gcc",), None),
    ],
)
def test_package_operations(
    script: str, manager: str, action: str, packages: tuple[str, ...], group: str | None
) -> None:
    [cmd] = split_commands(script)
    op = package_op(cmd)
    assert op is not None
    assert (op.manager, op.action, op.group) == (manager, action, group)
    assert op.packages == packages


def test_not_package_operations() -> None:
    for script in ("apt-get update", "apk info gcc", "yum clean all", "echo apt-get install gcc"):
        [cmd] = split_commands(script)
        assert package_op(cmd) is None


@pytest.mark.parametrize(
    ("script", "what"),
    [
        ("go build -o /out/app .", "go build"),
        ("CGO_ENABLED=0 go build ./cmd/app", "go build"),
        ("mvn -B -DskipTests package", "mvn package"),
        ("./mvnw dependency:go-offline", None),
        ("./gradlew :app:bootJar --no-daemon", "gradlew bootJar"),
        ("cargo build --release", "cargo build"),
        ("npm run build", "npm run build"),
        ("yarn build:prod", "yarn build:prod"),
        ("npm run test", None),
        ("dotnet publish -c Release -o /app", "dotnet publish"),
        ("make -j4", "make"),
        ("go test ./...", None),
    ],
)
def test_build_commands(script: str, what: str | None) -> None:
    [cmd] = split_commands(script)
    assert build_command(cmd) == what


@pytest.mark.parametrize(
    ("script", "node_env", "what"),
    [
        ("npm ci", None, "npm ci"),
        ("npm install", "development", "npm install"),
        ("npm ci", "production", None),
        ("npm ci", "${NODE_ENV}", None),
        ("NODE_ENV=production npm ci", None, None),
        ("npm ci --omit=dev", None, None),
        ("npm install --production", None, None),
        ("npm install -g pnpm", None, None),
        ("npm install express", None, None),
        ("pip install -r requirements-dev.txt", None, "pip install -r requirements-dev.txt"),
        ("python -m pip install -e .[dev,docs]", None, "pip install .[dev,docs]"),
        ("pip install -r requirements.txt", None, None),
        ("pip install -r ${REQS}", None, None),
    ],
)
def test_dev_dependencies(script: str, node_env: str | None, what: str | None) -> None:
    [cmd] = split_commands(script)
    assert installs_dev_dependencies(cmd, node_env) == what


def test_run_forms_exec_form_and_heredocs() -> None:
    df = parse(
        "FROM alpine\n"
        'RUN ["sh", "-c", "apk add gcc && make"]\n'
        'RUN ["apk", "add", "make"]\n'
        "RUN <<EOF\napk add cmake\nEOF\n"
        "RUN python3 <<EOF\nimport os\nEOF\n"
        "RUN <<EOF\n#!/usr/bin/env python3\nprint('apk add gcc')\nEOF\n"
    )
    runs = df.stages[0].instructions
    assert [c.argv for c in commands_of(runs[0])] == [["apk", "add", "gcc"], ["make"]]
    assert [c.argv for c in commands_of(runs[1])] == [["apk", "add", "make"]]
    assert [c.argv for c in commands_of(runs[2])] == [["apk", "add", "cmake"]]
    assert [c.argv for c in commands_of(runs[3])] == [["python3"]]
    assert commands_of(runs[4]) == []
