"""How the stage graph resolves references, checked against BuildKit's rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.graph import Reference, StageGraph
from dslint.parser import parse


def graph(text: str) -> StageGraph:
    return StageGraph(parse(text))


def refs(text: str, kind: str | None = None) -> list[Reference]:
    return [r for r in graph(text).references if kind is None or r.kind == kind]


def test_copy_from_matches_names_case_insensitively_and_the_last_stage_of_a_name() -> None:
    text = (
        "FROM alpine AS build\n"
        "FROM alpine AS other\n"
        "FROM alpine AS Build\n"
        "FROM alpine\n"
        "COPY --from=BUILD /a /b\n"
    )
    (ref,) = refs(text, "copy")
    assert (ref.status, ref.targets) == ("stage", (2,))


def test_copy_between_two_stages_of_one_name_is_a_forward_reference() -> None:
    # BuildKit registers every stage before resolving --from, the later one wins.
    text = "FROM alpine AS build\nFROM alpine\nCOPY --from=build /a /b\nFROM alpine AS build\n"
    (ref,) = refs(text, "copy")
    assert (ref.status, ref.targets) == ("forward", (2,))


def test_from_takes_the_latest_earlier_stage_of_a_name() -> None:
    text = "FROM alpine AS base\nFROM debian AS base\nFROM base\n"
    g = graph(text)
    assert g.parents(2) == (1,)
    assert g.references[-1].targets == (1,)


def test_from_compares_case_sensitively_and_only_with_earlier_stages() -> None:
    text = "FROM alpine AS builder\nFROM Builder AS a\nFROM later AS b\nFROM alpine AS later\n"
    statuses = [(r.text, r.status, r.targets) for r in refs(text, "from")]
    assert statuses[1] == ("Builder", "case-mismatch", (0,))
    assert statuses[2] == ("later", "forward", (3,))


def test_from_own_name_is_an_image() -> None:
    (first, second) = refs("FROM node AS node\nFROM node AS web\n", "from")
    assert first.status == "image"
    assert (second.status, second.targets) == ("stage", (0,))


def test_mount_from_takes_names_only() -> None:
    text = "FROM alpine AS a\nFROM alpine\nRUN --mount=from=0,target=/x true\n"
    (ref,) = refs(text, "mount")
    assert (ref.status, ref.numeric) == ("unknown", True)
    copy = refs("FROM alpine AS a\nFROM alpine\nCOPY --from=0 /x /y\n", "copy")[0]
    assert (copy.status, copy.targets, copy.numeric) == ("stage", (0,), True)


def test_indexes_out_of_range_self_and_forward() -> None:
    text = (
        "FROM alpine\nCOPY --from=0 /a /b\nCOPY --from=1 /a /b\nCOPY --from=2 /a /b\nFROM alpine\n"
    )
    assert [r.status for r in refs(text, "copy")] == ["self", "forward", "out-of-range"]
    assert refs("FROM alpine\nFROM alpine\nCOPY --from=-1 /a /b\n", "copy")[0].status == (
        "out-of-range"
    )


def test_empty_from_and_tmpfs_mounts_are_no_references() -> None:
    text = (
        "FROM alpine AS a\nFROM alpine\nCOPY --from= /a /b\n"
        "RUN --mount=type=tmpfs,from=a,target=/t true\n"
    )
    assert [r.kind for r in refs(text)] == ["from", "from"]
    assert graph(text).dependencies(1) == set()


def test_variables_in_from_flag_are_refused() -> None:
    text = "FROM alpine AS a\nFROM alpine\nCOPY --from=$X /a /b\nRUN --mount=from=${X},target=/t true\n"
    assert [r.status for r in refs(text) if r.kind != "from"] == ["variable", "variable"]


def test_variable_from_may_be_any_matching_stage_whatever_the_default() -> None:
    text = (
        "ARG VARIANT=alpine\n"
        "FROM alpine AS base-alpine\nFROM debian AS base-debian\nFROM golang AS build\n"
        "FROM base-${VARIANT}\n"
    )
    ref = refs(text, "from")[-1]
    assert (ref.status, ref.targets) == ("possible", (0, 1))
    assert graph(text).reachable(3) == {0, 1, 3}


def test_from_a_bare_variable_whose_default_names_a_stage_may_be_any_earlier_stage() -> None:
    text = "ARG BASE=slim\nFROM alpine AS slim\nFROM debian AS full\nFROM $BASE\n"
    ref = refs(text, "from")[-1]
    assert (ref.status, ref.targets) == ("possible", (0, 1))
    image = "ARG BASE=alpine:3.20\nFROM alpine AS slim\nFROM $BASE\n"
    assert refs(image, "from")[-1].status == "image"


def test_from_a_variable_left_open_by_an_automatic_arg() -> None:
    text = (
        "ARG FLAVOR=${TARGETARCH}\n"
        "FROM alpine AS amd64\nFROM alpine AS arm64\nFROM ${FLAVOR} AS archive\n"
    )
    ref = refs(text, "from")[-1]
    assert (ref.status, ref.targets) == ("possible", (0, 1))


def test_target_index_is_case_insensitive_and_takes_the_last_of_a_name() -> None:
    g = graph("FROM alpine AS test\nFROM alpine AS Test\nFROM alpine\n")
    assert g.target_index("TEST") == 1
    assert g.target_index(None) == 2
    assert g.target_index("nope") is None


def test_suggest_stage_proposes_close_earlier_names_only() -> None:
    text = (
        "FROM golang AS builder\nFROM node AS npm\nFROM golang AS golang-builder\n"
        "FROM alpine AS runtime\nFROM alpine AS release\n"
    )
    g = graph(text)
    assert _label(g, "biulder", 3) == "builder"
    assert _label(g, "npn", 3) == "npm"
    assert _label(g, "Bulder", 3) == "builder"
    # A prefix of a longer stage name is no typo; later and current stages are never proposed.
    assert _label(g, "golang", 3) is None
    assert _label(g, "runtme", 3) is None
    assert _label(g, "runtme", 4) == "runtime"
    assert _label(g, "releas", 4) is None


def _label(g: StageGraph, text: str, before: int) -> str | None:
    stage = g.suggest_stage(text, before)
    return stage.label if stage is not None else None


_names = st.from_regex(r"[a-z][a-z0-9-]{0,9}", fullmatch=True)


@settings(max_examples=80, deadline=None)
@given(names=st.lists(_names, min_size=1, max_size=6), typo=_names, data=st.data())
def test_suggest_stage_never_proposes_the_current_or_a_later_stage(
    names: list[str], typo: str, data: st.DataObject
) -> None:
    text = "".join(f"FROM alpine AS {n}\n" for n in names)
    g = graph(text)
    before = data.draw(st.integers(min_value=0, max_value=len(names)))
    stage = g.suggest_stage(typo, before)
    if stage is not None:
        assert stage.index < before
        assert stage.alias != typo
