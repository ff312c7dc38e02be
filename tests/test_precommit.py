"""The pre-commit hook: its file pattern, and the hook run on a repository.

The full ``pre-commit try-repo`` run installs dslint into a fresh virtualenv
(about 40 s, needs the package index), so it runs only when pre-commit is
installed and ``DSLINT_PRECOMMIT_TEST=1`` is set; the hook's entry is always
exercised the way pre-commit calls it (entry + args + the matching files).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"

MATCH = [
    "Dockerfile",
    "dockerfile",
    "Dockerfile.prod",
    "Dockerfile.dev",
    "Dockerfile-multistage",
    "docker/Dockerfile-alpine",
    "api.Dockerfile",
    "services/web/api.dockerfile",
    "Containerfile",
    "Containerfile.fedora",
    "build/Containerfile-ubi",
    "base.containerfile",
]
NO_MATCH = [
    "README.md",
    "Dockerfile.md",
    "Dockerfile.prod.j2",
    "docs/Dockerfile.rst",
    ".dockerignore",
    "Dockerfile.dockerignore",
    "dockerfile-parse.py",
    "docker-compose.yml",
    "myDockerfile",
    "Dockerfiles/README",
    "src/dockerfile.py",
    "Dockerfile/notes.txt",
]


def hook() -> dict[str, str]:
    """The hook's fields (the manifest holds one hook; values as YAML scalars)."""
    fields: dict[str, str] = {}
    for line in HOOKS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^[ -] +(\w+): (.*)$", line)
        if m:
            value = m.group(2).strip()
            if value.startswith("'") and value.endswith("'"):
                value = value[1:-1].replace("''", "'")
            fields[m.group(1)] = value
    return fields


def selected(path: str) -> bool:
    """pre-commit's selection: ``re.search`` of files, not of exclude."""
    h = hook()
    return bool(re.search(h["files"], path)) and not re.search(h["exclude"], path)


def test_manifest_agrees_with_yaml() -> None:
    yaml = pytest.importorskip("yaml")
    (loaded,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    h = hook()
    for key in ("id", "entry", "language", "files", "exclude"):
        assert loaded[key] == h[key]
    assert loaded["id"] == "dslint" and loaded["language"] == "python"


@pytest.mark.parametrize("name", MATCH)
def test_files_pattern_matches_dockerfile_names(name: str) -> None:
    assert selected(name)


@pytest.mark.parametrize("name", NO_MATCH)
def test_files_pattern_rejects_other_files(name: str) -> None:
    assert not selected(name)


def git_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    files = {
        "Dockerfile-multistage": (
            "FROM alpine:3.20 AS build\nRUN echo built > /out\nFROM alpine:3.20\n"
            'COPY --from=build /out /out\nUSER 65534\nCMD ["cat", "/out"]\n'
        ),
        "svc/api.dockerfile": "FROM alpine:3.20\n# dslint ignore=DSL002\nRUN true\n",
        "Containerfile": "FROM alpine:3.20\nRUN <<EOF\necho\n",
        "README.md": "# not a Dockerfile\n",
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    if shutil.which("git"):
        for cmd in (["init", "-q"], ["add", "-A"]):
            subprocess.run(["git", *cmd], cwd=repo, check=True, capture_output=True)
    return repo


def test_hook_entry_runs_as_pre_commit_calls_it(tmp_path: Path) -> None:
    repo = git_repo(tmp_path)
    names = sorted(
        p.relative_to(repo).as_posix()
        for p in repo.rglob("*")
        if p.is_file() and ".git" not in p.parts
    )
    chosen = [n for n in names if selected(n)]
    assert chosen == ["Containerfile", "Dockerfile-multistage", "svc/api.dockerfile"]
    h = hook()
    entry = shlex.split(h["entry"])
    assert entry == ["dslint"]
    args = re.findall(r"[^\[\],\s]+", h.get("args", ""))
    cmd = [sys.executable, "-m", "dslint", *args, *chosen]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DSLINT_")}
    out = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env)
    assert out.returncode == 2  # the Containerfile has a syntax error: the hook fails
    assert "Containerfile:2:5: error DSL001" in out.stdout
    assert "svc/api.dockerfile:2:17: info DSL900" in out.stdout
    assert "\x1b[" not in out.stdout
    clean = subprocess.run(
        [*cmd[:-3], "Dockerfile-multistage"], cwd=repo, capture_output=True, text=True, env=env
    )
    assert clean.returncode == 0, clean.stdout


@pytest.mark.skipif(
    not os.environ.get("DSLINT_PRECOMMIT_TEST"),
    reason="slow (installs dslint into a new virtualenv): set DSLINT_PRECOMMIT_TEST=1",
)
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists() or not shutil.which("git"):
        pytest.skip("pre-commit or git is not installed")
    repo = git_repo(tmp_path)
    (repo / "Containerfile").write_text("FROM alpine:3.20\nRUN true\n", encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    for cmd in (
        ["add", "-A"],
        ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *cmd], cwd=repo, check=True, capture_output=True)
    run = subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "dslint", "--all-files", "--verbose"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "svc/api.dockerfile:2:17: info DSL900" in run.stdout
    assert "README.md" not in run.stdout.split("Passed", 1)[1]
