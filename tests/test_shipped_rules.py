"""DSL301-DSL307 as a user sees them: documentation examples, messages,
options and the corpus."""

from __future__ import annotations

import re

import pytest

from dslint.config import Settings
from dslint.engine import lint_text
from dslint.rules import RULES

from conftest import corpus_dir

SHIPPED = [r for r in RULES if r.code.startswith("DSL30") and r.code >= "DSL301"]
_BLOCK = re.compile(r"## (Bad|Good)\s*```dockerfile\n(.*?)```", re.S)


def _examples(rule: type) -> dict[str, str]:
    doc = rule.__doc__ or ""
    found = {kind: _dedent(body) for kind, body in _BLOCK.findall(doc)}
    assert set(found) == {"Bad", "Good"}, f"{rule.code} needs a Bad and a Good example"
    return found


def _dedent(text: str) -> str:
    lines = text.splitlines()
    width = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(x[width:] for x in lines) + "\n"


def _codes(text: str, code: str, **options: str) -> list[str]:
    settings = Settings(select=(code,), target=options.get("target"))
    return [f.code for f in lint_text(text, "Dockerfile", settings)]


def test_there_are_seven_shipped_image_rules() -> None:
    assert [r.code for r in SHIPPED] == [f"DSL30{i}" for i in range(1, 8)]


@pytest.mark.parametrize("rule", SHIPPED, ids=lambda r: r.code)
def test_documentation_examples(rule: type) -> None:
    examples = _examples(rule)
    assert rule.code in _codes(examples["Bad"], rule.code), "the Bad example must fire"
    assert rule.code not in _codes(examples["Good"], rule.code), "the Good example must not"
    assert rule.summary().endswith(".")
    assert "## Why" in (rule.__doc__ or "")


def test_hadolint_metadata() -> None:
    by_code = {r.code: r for r in SHIPPED}
    assert by_code["DSL304"].hadolint == ("DL3002",)
    assert by_code["DSL306"].hadolint == ("DL3067",)


def test_heavy_base_message_gives_both_sizes_and_the_same_version() -> None:
    text = 'FROM node:20.15-bookworm\nCOPY . /app\nCMD ["node", "/app/server.js"]\n'
    [finding] = lint_text(text, "Dockerfile", Settings(select=("DSL302",)))
    assert "390 MB" in finding.message
    assert "node:20.15-bookworm-slim (≈ 80 MB)" in finding.message
    assert "node:20.15-alpine (≈ 60 MB)" in finding.message
    assert (finding.span.line, finding.span.column) == (1, 6)


def test_missing_runtime_stage_says_what_stage_to_add() -> None:
    text = (
        "FROM alpine:3.20 AS fetch\nRUN echo\n"
        'FROM golang:1.22 AS app\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n'
    )
    [finding] = lint_text(text, "Dockerfile", Settings(select=("DSL301",)))
    assert "FROM gcr.io/distroless/static-debian12" in finding.message
    assert "COPY --from=app" in finding.message


def test_the_target_option_moves_the_shipped_chain() -> None:
    text = (
        'FROM python:3.12-slim AS api\nARG API_TOKEN\nCMD ["api"]\n'
        'FROM python:3.12-slim AS worker\nUSER 10001\nCMD ["worker"]\n'
    )
    assert _codes(text, "DSL307") == []  # the default target is worker
    assert _codes(text, "DSL307", target="api") == ["DSL307"]
    assert _codes(text, "DSL304") == []
    assert _codes(text, "DSL304", target="api") == ["DSL304"]
    assert _codes(text, "DSL304", target="nosuchstage") == []


def test_a_variable_from_with_several_parents_silences_rather_than_guesses() -> None:
    text = (
        "ARG VARIANT\n"
        "FROM alpine:3.20 AS base-root\n"
        "FROM alpine:3.20 AS base-user\nUSER 10001\n"
        'FROM base-${VARIANT}\nARG API_TOKEN\nCMD ["app"]\n'
    )
    # one possible parent switches user: no DSL304; the ARG is in the target itself
    assert _codes(text, "DSL304") == []
    assert _codes(text, "DSL307") == ["DSL307"]


def test_corpus_runs_without_errors() -> None:
    root = corpus_dir("real")
    settings = Settings(select=tuple(r.code for r in SHIPPED))
    for path in sorted(root.iterdir()):
        lint_text(path.read_bytes().decode("utf-8", "replace"), path.name, settings)
