"""The variable scope model: what each instruction sees, with its origin, and
what it uses; and the DSL2xx rules built on it."""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.config import Settings
from dslint.engine import lint_text
from dslint.graph import StageGraph
from dslint.model import Instruction
from dslint.parser import parse
from dslint.rules import RULES
from dslint.scopes import Kind, Scopes, Use

from conftest import corpus_dir


def model(text: str) -> Scopes:
    df = parse(textwrap.dedent(text).lstrip("\n"))
    return Scopes(df, StageGraph(df))


def at(scopes: Scopes, line: int) -> Instruction:
    return next(i for i in scopes.dockerfile.instructions if i.line == line)


def uses_at(scopes: Scopes, line: int) -> list[Use]:
    return scopes.uses(at(scopes, line))


def statuses(scopes: Scopes, line: int) -> dict[str, str]:
    return {u.name: scopes.resolve(u).status for u in uses_at(scopes, line)}


def codes(text: str, *select: str) -> list[tuple[int, str]]:
    found = lint_text(textwrap.dedent(text).lstrip("\n"), settings=Settings(select=select))
    return [(f.span.line, f.code) for f in found]


# -- visibility ---------------------------------------------------------------------


def test_global_arg_is_visible_in_from_and_in_a_stage_only_after_redeclaring_it() -> None:
    s = model(
        """
        ARG VERSION=1.0
        FROM alpine:${VERSION}
        RUN echo one
        ARG VERSION
        RUN echo two
        """
    )
    glob = s.lookup(at(s, 2), "VERSION")
    assert glob is not None and glob.kind is Kind.GLOBAL_ARG and glob.line == 1
    assert glob.value == "1.0" and glob.stage is None
    assert s.lookup(at(s, 3), "VERSION") is None
    local = s.lookup(at(s, 5), "VERSION")
    assert local is not None and local.kind is Kind.ARG and local.line == 4
    assert local.imports is glob  # a bare ARG brings the global value in


def test_automatic_platform_args_behave_like_global_args() -> None:
    s = model(
        """
        FROM --platform=$BUILDPLATFORM golang:1.22
        RUN echo $TARGETARCH
        ARG TARGETARCH
        RUN echo $TARGETARCH
        """
    )
    auto = s.lookup(at(s, 1), "BUILDPLATFORM")
    assert auto is not None and auto.kind is Kind.AUTOMATIC
    assert statuses(s, 2) == {"TARGETARCH": "global"}
    assert statuses(s, 4) == {"TARGETARCH": "defined"}
    assert s.lookup(at(s, 4), "TARGETARCH").imports.kind is Kind.AUTOMATIC  # type: ignore[union-attr]


def test_stage_arg_and_env_reach_children_through_from_never_through_copy_from() -> None:
    s = model(
        """
        FROM alpine:3.20 AS base
        ENV APP_HOME=/srv/app
        ARG CHANNEL=stable
        FROM base AS child
        RUN echo $APP_HOME $CHANNEL
        FROM alpine:3.20 AS other
        COPY --from=base /srv /srv
        RUN echo $APP_HOME $CHANNEL
        """
    )
    seen = s.visible(at(s, 5))
    assert seen["APP_HOME"].kind is Kind.ENV and seen["APP_HOME"].stage == 0
    assert seen["APP_HOME"].line == 2 and seen["APP_HOME"].value == "/srv/app"
    assert seen["CHANNEL"].kind is Kind.ARG
    assert statuses(s, 5) == {"APP_HOME": "defined", "CHANNEL": "defined"}
    assert statuses(s, 8) == {"APP_HOME": "other-stage", "CHANNEL": "other-stage"}
    assert set(s.visible(at(s, 8))) == set()


def test_a_from_with_variables_inherits_from_every_possible_parent() -> None:
    s = model(
        """
        ARG FLAVOR
        FROM alpine:3.20 AS build-small
        ENV SMALL=1
        FROM alpine:3.20 AS build-full
        ENV FULL=1
        FROM build-${FLAVOR}
        RUN echo $SMALL $FULL
        """
    )
    assert statuses(s, 7) == {"SMALL": "defined", "FULL": "defined"}


def test_onbuild_env_of_a_parent_is_visible_in_the_child() -> None:
    s = model(
        """
        FROM alpine:3.20 AS base
        ONBUILD ENV MODE=release
        FROM base
        RUN echo $MODE
        """
    )
    assert statuses(s, 4) == {"MODE": "defined"}
    trigger = at(s, 2)
    assert s.uses(trigger) == [] and trigger.inner is not None
    assert s.uses(trigger.inner) == []
    assert "MODE" not in s.visible(trigger.inner)  # the trigger runs in the child


def test_env_in_one_instruction_sees_the_values_from_before_it() -> None:
    s = model(
        """
        FROM scratch
        ENV A=1 B=$A
        ENV C=$A
        """
    )
    assert statuses(s, 2) == {"A": "undefined"}
    assert statuses(s, 3) == {"A": "defined"}


def test_use_before_its_env_in_the_same_stage_is_later() -> None:
    s = model(
        """
        FROM alpine:3.20
        WORKDIR $APP
        ENV APP=/app
        """
    )
    res = s.resolve(uses_at(s, 2)[0])
    assert res.status == "later" and res.elsewhere[0].line == 3


def test_precedence_global_over_other_stage_over_undefined() -> None:
    s = model(
        """
        ARG VERSION=1
        FROM scratch AS a
        ARG VERSION
        ENV ONLY_A=1
        FROM scratch AS b
        COPY x /$VERSION/$ONLY_A/$NOWHERE
        """
    )
    assert statuses(s, 6) == {"VERSION": "global", "ONLY_A": "other-stage", "NOWHERE": "undefined"}


def test_base_image_env_is_unknown_unless_the_image_is_well_known() -> None:
    s = model(
        """
        FROM python:3.12-slim AS py
        WORKDIR /$PYTHON_VERSION/$NOT_IN_PYTHON
        FROM eclipse-temurin:21
        WORKDIR $JAVA_HOME/$ANYTHING
        """
    )
    assert statuses(s, 2) == {"PYTHON_VERSION": "image", "NOT_IN_PYTHON": "undefined"}
    assert statuses(s, 4) == {"JAVA_HOME": "image", "ANYTHING": "image"}
    assert s.image_may_set(0, "PYTHON_VERSION") == "yes"
    assert s.image_may_set(1, "ANYTHING") == "maybe"


def test_a_from_with_an_open_variable_may_be_any_image() -> None:
    s = model(
        """
        ARG BASE
        FROM alpine:3.20 AS build
        FROM $BASE
        WORKDIR $JAVA_HOME/$TOOLS
        """
    )
    assert statuses(s, 4) == {"JAVA_HOME": "image", "TOOLS": "image"}


def test_predefined_proxy_and_buildkit_args_need_no_declaration() -> None:
    s = model(
        """
        FROM alpine:3.20
        RUN echo $HTTP_PROXY $no_proxy $BUILDKIT_INLINE_CACHE
        """
    )
    assert set(statuses(s, 2).values()) == {"predefined"}
    d = s.lookup(at(s, 2), "HTTP_PROXY")
    assert d is not None and d.kind is Kind.PREDEFINED


# -- uses and their spans ---------------------------------------------------------------


def test_uses_in_continued_run_lines_point_at_the_variable() -> None:
    s = model(
        """
        FROM alpine:3.20
        RUN echo start && \\
          # a comment inside the continuation
            echo ${SECOND:-x} \\
            "$THIRD"
        """
    )
    spans = {u.name: u.span for u in uses_at(s, 2)}
    assert spans["SECOND"] == (4, 10, 4, 22)
    assert spans["THIRD"] == (5, 6, 5, 12)
    assert [u.text for u in uses_at(s, 2)] == ["${SECOND:-x}", "$THIRD"]


def test_uses_in_heredoc_bodies_exec_form_sh_c_and_mount_options() -> None:
    s = model(
        """
        FROM alpine:3.20
        RUN <<EOF
        set -e
        echo "$IN_BODY"
        EOF
        RUN ["sh", "-c", "echo $IN_EXEC"]
        RUN ["echo", "$NOT_EXPANDED"]
        RUN --mount=type=cache,target=$CACHE_DIR make
        RUN python3 <<'EOF'
        print("$NOT_SHELL")
        EOF
        """
    )
    body = uses_at(s, 2)
    assert [(u.name, u.span.line, u.span.column, u.context) for u in body] == [
        ("IN_BODY", 4, 7, "shell")
    ]
    assert [u.name for u in uses_at(s, 6)] == ["IN_EXEC"]
    assert uses_at(s, 7) == []
    mount = uses_at(s, 8)
    assert [(u.name, u.context) for u in mount] == [("CACHE_DIR", "builder")]
    assert mount[0].span.column == 31
    assert uses_at(s, 9) == []


def test_shell_local_names_are_not_uses() -> None:
    s = model(
        """
        FROM alpine:3.20
        RUN for f in a b; do X=1; echo "$f $X $$ $HOME"; done; echo "$REAL"
        RUN --mount=type=secret,id=t,env=TOKEN echo $TOKEN
        RUN . /etc/os-release && echo $VERSION_ID
        """
    )
    assert [u.name for u in uses_at(s, 2)] == ["REAL"]
    assert uses_at(s, 3) == []
    assert uses_at(s, 4) == []


def test_windows_stages_have_no_shell_uses() -> None:
    s = model(
        """
        FROM mcr.microsoft.com/windows/servercore:ltsc2022
        RUN echo %PATH% $env:FOO
        FROM alpine:3.20
        SHELL ["pwsh", "-Command"]
        RUN Write-Host $env:HOME $FOO
        """
    )
    assert uses_at(s, 2) == []
    assert uses_at(s, 5) == []


def test_cmd_is_read_at_run_time() -> None:
    s = model(
        """
        FROM alpine:3.20
        CMD echo $PORT
        ENTRYPOINT ["./app", "$LITERAL"]
        """
    )
    assert [(u.name, u.context) for u in uses_at(s, 2)] == [("PORT", "runtime")]
    assert uses_at(s, 3) == []


# -- the rules ------------------------------------------------------------------------


SCOPE_RULES = [r for r in RULES if r.code.startswith("DSL2")]


def _examples(doc: str) -> tuple[str, str]:
    blocks = re.findall(r"## (Bad|Good)\s*```dockerfile\n(.*?)```", doc, re.DOTALL)
    found = {kind: textwrap.dedent(body) for kind, body in blocks}
    return found["Bad"], found["Good"]


@pytest.mark.parametrize("rule", SCOPE_RULES, ids=lambda r: r.code)
def test_documentation_examples_bad_fires_and_good_does_not(rule: type) -> None:
    bad, good = _examples(rule.__doc__ or "")
    assert any(code == rule.code for _, code in codes(bad, rule.code))
    assert codes(good, rule.code) == []


def test_one_use_gets_at_most_one_of_dsl201_dsl202_dsl203() -> None:
    text = """
        ARG VERSION=1
        FROM alpine:3.20 AS a
        ENV VERSION=2 OTHER=1
        FROM alpine:3.20 AS b
        RUN echo $VERSION $OTHER
        """
    assert sorted(codes(text, "DSL201", "DSL202", "DSL203")) == [(5, "DSL201"), (5, "DSL202")]
    found = lint_text(textwrap.dedent(text).lstrip("\n"), settings=Settings(select=("DSL2",)))
    by_column = {f.span.column: f.code for f in found if f.code in ("DSL201", "DSL202")}
    assert by_column == {10: "DSL202", 19: "DSL201"}


def test_dsl202_fix_inserts_arg_after_from_and_silences_the_rule() -> None:
    text = "ARG VERSION=1\nFROM alpine:3.20 AS build\nRUN echo $VERSION\n"
    (finding,) = lint_text(text, settings=Settings(select=("DSL202",)))
    assert finding.fix is not None and finding.fix.safe
    (edit,) = finding.fix.edits
    lines = text.split("\n")
    line = lines[edit.span.line - 1]
    lines[edit.span.line - 1] = (
        line[: edit.span.column - 1] + edit.replacement + line[edit.span.column - 1 :]
    )
    fixed = "\n".join(lines)
    assert fixed == "ARG VERSION=1\nFROM alpine:3.20 AS build\nARG VERSION\nRUN echo $VERSION\n"
    assert lint_text(fixed, settings=Settings(select=("DSL202",))) == []


def test_messages_name_the_variable_the_stage_and_where_it_was_set() -> None:
    text = "FROM alpine AS git\nENV SOURCE_DIR=src\nFROM alpine AS npm\nCOPY --from=git /$SOURCE_DIR/ ./\n"
    (finding,) = lint_text(text, settings=Settings(select=("DSL201",)))
    assert "$SOURCE_DIR" in finding.message and "'npm'" in finding.message
    assert (
        "stage 'git' (line 2)" in finding.message and "ENV does not cross stages" in finding.message
    )
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (4, 18, 29)


def test_dsl203_suggests_the_close_name() -> None:
    text = "FROM alpine\nENV APP_HOME=/a\nWORKDIR $APP_HOEM\n"
    (finding,) = lint_text(text, settings=Settings(select=("DSL203",)))
    assert "did you mean $APP_HOME?" in finding.message


def test_dsl204_is_a_warning_when_the_from_has_a_default() -> None:
    found = lint_text("FROM ${BASE:-alpine}\n", settings=Settings(select=("DSL204",)))
    assert [f.severity.label for f in found] == ["warning"]
    found = lint_text("FROM ${BASE}\n", settings=Settings(select=("DSL204",)))
    assert [f.severity.label for f in found] == ["error"]


def test_the_tutorial_dockerfile_has_no_scope_findings() -> None:
    folder = corpus_dir("tutorial")
    path = next(folder.glob("*step-2-multistage*"))
    text = path.read_text(encoding="utf-8")
    found = lint_text(text, str(path), Settings(select=("DSL201", "DSL202", "DSL203", "DSL204")))
    assert found == []
    # and without its second `ENV SOURCE_DIR` line, the COPY is reported
    broken = re.sub(r"\nENV SOURCE_DIR=source-dir\n", "\n", text)
    found = lint_text(broken, str(path), Settings(select=("DSL201",)))
    assert any("COPY" in broken.splitlines()[f.span.line - 1] for f in found)


def test_every_use_in_the_real_corpus_underlines_exactly_its_variable() -> None:
    folder = corpus_dir("real")
    wrong = []
    for path in sorted(folder.iterdir()):
        df = parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
        for res in Scopes(df, StageGraph(df)).resolved:
            span = res.use.span
            if span.line == span.end_line:
                shown = df.lines[span.line - 1][span.column - 1 : span.end_column - 1]
                text = res.use.text
                cut = text.endswith("…}")  # a long expansion is shortened in messages
                if (not shown.startswith(text[:-2])) if cut else shown != text:
                    wrong.append(f"{path.name}:{span.line}:{span.column} {shown!r}")
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("alpine", True),
        ("alpine:3.20", True),
        ("docker.io/library/alpine:3.20", True),
        ("localhost:5000/team/app:1.0-rc1", True),
        ("ghcr.io/x/y@sha256:" + "a" * 64, True),
        ("scratch", True),
        ("", False),
        ("alpine:", False),
        ("/team/app", False),
        ("Alpine", False),
        ("base-", False),
        ("ghcr.io/x/y@", False),
    ],
)
def test_image_reference_validity_used_by_dsl205(text: str, valid: bool) -> None:
    from dslint.rules.dsl205_empty_base_image_default import is_valid_reference

    assert is_valid_reference(text) is valid


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "ARG A=1",
                "ARG B",
                "ARG A",
                "FROM alpine AS one",
                "FROM one AS two",
                "FROM ${A}-$B",
                "ENV C=$A D=${C:-x}",
                "RUN echo $A $C ${D} && for A in 1; do echo $A; done",
                "COPY --from=one /$C /$E",
                "RUN <<EOF\necho $C $A\nEOF",
                "ONBUILD ENV E=1",
                "CMD echo $C",
                "WORKDIR /${B:-w}",
            ]
        ),
        max_size=10,
    )
)
def test_any_arrangement_is_analysed_and_each_use_resolves_once(lines: list[str]) -> None:
    df = parse("\n".join(lines) + "\n")
    scopes = Scopes(df, StageGraph(df))
    uses = list(scopes.all_uses())
    assert [r.use for r in scopes.resolved] == uses
    found = lint_text(df.text, settings=Settings(select=("DSL201", "DSL202", "DSL203")))
    spans = [(f.span, f.code) for f in found]
    assert len({s for s, _ in spans}) == len(spans)  # at most one of them per use
