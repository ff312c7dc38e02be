"""The stage dependency graph, resolved the way BuildKit resolves references.

Every stage reference of a file (``FROM <stage>``, ``COPY --from``, ``RUN
--mount=...,from=``) is resolved once here into a :class:`Reference`; the
graph has a node per stage and per external image and an edge per resolved
reference. Rules use the query methods and never touch networkx.

BuildKit's rules (moby/buildkit ``dockerfile2llb/convert.go``):
``--from`` and ``from=`` match stage names case-insensitively, ``--from``
also takes a numeric index; ``FROM <name>`` matches case-sensitively; only
stages defined earlier count; a name that is no stage is an image (or a named
build context). Variables are expanded in FROM (global ARGs) but refused in
``--from`` and ``from=``. ``RUN --mount from=`` takes names only (``detectRunMount``
uses ``findStateByName``), so ``from=0`` names an image "0"; such a reference is
"unknown" with ``numeric`` set. An empty ``--from=`` means the build context and a
``tmpfs`` mount ignores ``from=``: neither is a reference. When two stages share a
name, the later one wins (``statesByName`` is overwritten as stages are added).

A FROM with variables is "possible": any earlier stage it may select counts,
since ``--build-arg`` can override the global defaults. That is every stage its
pattern matches (``base-${VARIANT}``), and every earlier stage when the FROM is
only a variable whose default names a stage (``FROM $BASE``) or is left open
(no default, or an automatic arg such as TARGETARCH). ``Stage.base_stages`` and
``parents()`` keep the parser's narrower answer (the defaults applied).
"""

from __future__ import annotations

import heapq
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from dslint.model import Dockerfile, ImageRef, Instruction, Span, Stage
from dslint.parser import (
    _unquote_word,
    expand,
    has_variable,
    name_globs,
    name_matches,
    parse_image_ref,
)

if TYPE_CHECKING:
    import networkx as nx

RefKind = Literal["from", "copy", "mount"]
Status = Literal[
    "stage",  # an earlier stage
    "image",  # an external image (tag, digest, registry or path, or FROM <image>)
    "unknown",  # a bare name that is no stage: BuildKit pulls it as an image (or
    # a named context); also a mount's from=<index> (numeric set)
    "forward",  # names or indexes a stage defined later
    "self",  # the referencing stage itself
    "out-of-range",  # numeric index with no such stage
    "case-mismatch",  # FROM Builder where the stage is AS builder
    "variable",  # --from=$X: BuildKit refuses it
    "possible",  # FROM with variables: any of the candidate stages
]

_INDEX = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True, slots=True)
class Reference:
    kind: RefKind
    text: str  # the reference as written
    span: Span  # the token: flag value, from= value or FROM image
    instruction: Instruction
    stage: int  # the stage the reference is in
    status: Status
    targets: tuple[int, ...] = ()  # stages it resolves to (several only for "possible")
    image: ImageRef | None = None
    numeric: bool = False

    @property
    def target(self) -> int | None:
        return self.targets[0] if len(self.targets) == 1 else None


def is_bare_name(text: str) -> bool:
    """A name with no tag, digest, registry or path: it could be a stage alias."""
    return not any(c in text for c in "/:@")


def _last_by_alias(df: Dockerfile) -> dict[str, int]:
    """Each stage name (lowercased) and the last stage that has it: BuildKit
    resolves --from and from= after every stage is registered, and a later stage
    with the same name replaces an earlier one."""
    return {stage.alias: stage.index for stage in df.stages if stage.alias is not None}


def _resolve_name(
    stage: Stage, text: str, last_by_alias: dict[str, int]
) -> tuple[Status, int | None]:
    index = last_by_alias.get(text.lower())
    if index is None:
        return ("unknown" if is_bare_name(text) else "image"), None
    if index < stage.index:
        return "stage", index
    if index == stage.index:
        return "self", index
    return "forward", index


def _references(df: Dockerfile) -> Iterator[Reference]:
    defaults = _global_defaults(df)
    aliases = _last_by_alias(df)
    for stage in df.stages:
        ins = stage.from_instruction
        base = stage.base
        if base is not None:
            yield _from_reference(df, stage, ins, base.text, base.span, defaults)
        for ins in stage.instructions:
            if ins.keyword == "COPY":
                flag = ins.flag("from")
                if flag is not None and flag.value:
                    span = flag.value_span or flag.span
                    yield _copy_reference(df, stage, ins, "copy", flag.value, span, aliases)
            elif ins.keyword == "RUN":
                for mount in ins.mounts:
                    value = mount.from_
                    if value and mount.type != "tmpfs":
                        span = mount.from_span or mount.span
                        yield _copy_reference(df, stage, ins, "mount", value, span, aliases)


def _from_reference(
    df: Dockerfile,
    stage: Stage,
    ins: Instruction,
    text: str,
    span: Span,
    defaults: dict[str, str | None],
) -> Reference:
    def ref(
        status: Status, targets: tuple[int, ...] = (), image: ImageRef | None = None
    ) -> Reference:
        return Reference("from", text, span, ins, stage.index, status, targets, image)

    if has_variable(text):
        # Build args can override the global defaults, so every earlier stage the
        # pattern matches is a possible base (`FROM base-${VARIANT}`).
        targets = set(stage.base_stages)
        earlier = [s for s in df.stages[: stage.index] if s.alias is not None]
        globs = name_globs(text, lower=True)
        if globs is not None:
            targets.update(s.index for s in earlier if name_matches(globs, s.alias or ""))
        elif stage.base_stages:
            # `FROM $BASE` whose default names a stage: the ARG selects among the
            # stages (`--build-arg BASE=distroless`), so any of them may be used.
            targets.update(s.index for s in earlier)
        # With the global defaults applied, a variable that is still open (no
        # default, or an automatic one such as TARGETARCH) may select any stage.
        defaulted = expand(text, defaults, unknown=None)
        if has_variable(defaulted):
            globs = name_globs(defaulted, lower=True)
            targets.update(
                s.index for s in earlier if globs is None or name_matches(globs, s.alias or "")
            )
        if targets:
            return ref("possible", tuple(sorted(targets)))
        return ref("image", image=stage.base_image)
    if stage.base_stages:
        return ref("stage", stage.base_stages)
    if is_bare_name(text):
        key = text.lower()
        earlier = [s for s in df.stages[: stage.index] if s.alias == key]
        if earlier:
            return ref("case-mismatch", (earlier[-1].index,), stage.base_image)
        later = [s for s in df.stages[stage.index + 1 :] if s.alias == key]
        if later:
            return ref("forward", (later[0].index,), stage.base_image)
    return ref("image", image=stage.base_image)


def _global_defaults(df: Dockerfile) -> dict[str, str | None]:
    """Global ARG defaults, expanded with the variables they cannot resolve
    (automatic platform args, ARGs without a default) kept as written."""
    values: dict[str, str | None] = {}
    for ins in df.global_args:
        for kv in ins.key_values:
            value = kv.value
            if value is not None:
                value = expand(_unquote_word(value)[0], values, unknown=None)
            values[kv.key] = value
    return values


def _copy_reference(
    df: Dockerfile,
    stage: Stage,
    ins: Instruction,
    kind: RefKind,
    text: str,
    span: Span,
    aliases: dict[str, int],
) -> Reference:
    def ref(status: Status, targets: tuple[int, ...] = (), numeric: bool = False) -> Reference:
        image = parse_image_ref(text) if status in ("image", "unknown") else None
        return Reference(kind, text, span, ins, stage.index, status, targets, image, numeric)

    if has_variable(text):
        return ref("variable")
    if kind == "mount" and _INDEX.match(text):
        return ref("unknown", numeric=True)
    if kind == "copy" and _INDEX.match(text):
        index = int(text)
        if index < 0 or index >= len(df.stages):
            return ref("out-of-range", numeric=True)
        if index == stage.index:
            return ref("self", (index,), numeric=True)
        if index > stage.index:
            return ref("forward", (index,), numeric=True)
        return ref("stage", (index,), numeric=True)
    status, target = _resolve_name(stage, text, aliases)
    return ref(status, () if target is None else (target,))


def stage_node(index: int) -> str:
    return f"stage:{index}"


def image_node(ref: str) -> str:
    return f"image:{ref}"


class StageGraph:
    """Stages, external images and the edges between them."""

    def __init__(self, df: Dockerfile) -> None:
        self.dockerfile = df
        self.references: list[Reference] = list(_references(df))
        # The stage-to-stage edges as plain sets: the queries below use these,
        # so linting never imports networkx (~190 ms) unless ``.nx`` is asked for.
        n = len(df.stages)
        self._needs: list[set[int]] = [set() for _ in range(n)]
        self._needed_by: list[set[int]] = [set() for _ in range(n)]
        for ref in self.references:
            if ref.status in ("stage", "possible"):
                for t in ref.targets:
                    if 0 <= t < n and 0 <= ref.stage < n:
                        self._needs[ref.stage].add(t)
                        self._needed_by[t].add(ref.stage)

    @cached_property
    def nx(self) -> nx.MultiDiGraph[str]:
        """The networkx graph: edge ``u -> v`` means v needs u (u is built first)."""
        import networkx as nx

        g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        for stage in self.dockerfile.stages:
            g.add_node(stage_node(stage.index), kind="stage", stage=stage.index)
        for ref in self.references:
            dst = stage_node(ref.stage)
            if ref.status in ("stage", "possible"):
                for t in ref.targets:
                    g.add_edge(
                        stage_node(t),
                        dst,
                        kind=ref.kind,
                        span=ref.span,
                        possible=ref.status == "possible",
                    )
            elif ref.status in ("image", "unknown", "case-mismatch", "forward") and (
                ref.kind == "from" or ref.status in ("image", "unknown")
            ):
                name = ref.image.text if ref.image is not None else ref.text
                node = image_node(name)
                if node not in g:
                    g.add_node(node, kind="image", ref=name)
                g.add_edge(node, dst, kind=ref.kind, span=ref.span, possible=False)
        return g

    # -- queries --------------------------------------------------------------
    def target_index(self, name: str | None) -> int | None:
        """The stage ``--target NAME`` selects (case-insensitively), default the last."""
        stages = self.dockerfile.stages
        if not stages:
            return None
        if name is None:
            return stages[-1].index
        key = name.lower()
        for stage in reversed(stages):  # BuildKit: the last stage of that name
            if stage.alias == key:
                return stage.index
        return None

    def suggest_stage(self, text: str, before: int) -> Stage | None:
        """A stage defined before stage ``before`` whose name ``text`` is probably
        a typo of (``npn`` for ``npm``, ``biulder`` for ``builder``), or None.

        difflib proposes the candidates (ratio >= 0.6); a candidate is kept only
        when it is also a small edit away (one edit, or a quarter of the name's
        length for long names), so that an image named like a stage's prefix
        (``golang`` next to ``golang-builder``) is not taken for a typo. Stages
        defined at or after ``before`` are never proposed."""
        import difflib

        key = text.lower()
        earlier = {
            s.alias: s for s in self.dockerfile.stages[:before] if s.alias and s.alias != key
        }
        for match in difflib.get_close_matches(key, list(earlier), n=3, cutoff=0.6):
            limit = max(1, max(len(key), len(match)) // 4)
            if _edit_distance(key, match) <= limit:
                return earlier[match]
        return None

    def dependencies(self, index: int) -> set[int]:
        """Stages this stage needs directly (FROM, COPY --from, RUN --mount from=)."""
        return set(self._needs[index])

    def dependents(self, index: int) -> set[int]:
        """Stages that need this stage directly."""
        return set(self._needed_by[index])

    def reachable(self, target: int) -> set[int]:
        """The target and every stage it depends on, as BuildKit builds them."""
        seen = {target}
        todo = [target]
        needs = self._needs
        while todo:
            for dep in needs[todo.pop()]:
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        return seen

    def parents(self, index: int) -> tuple[int, ...]:
        """The stages this stage may be built FROM (several when FROM has variables)."""
        return self.dockerfile.stages[index].base_stages

    def from_chain(self, index: int) -> list[int]:
        """The stage and its FROM ancestors, nearest first (every possible parent)."""
        seen: list[int] = []
        done: set[int] = set()
        todo = deque([index])
        while todo:
            i = todo.popleft()
            if i in done:
                continue
            done.add(i)
            seen.append(i)
            todo.extend(p for p in self.parents(i) if p < i)
        return seen

    def topological_order(self) -> list[int]:
        """Every stage, dependencies before dependents, lowest index first on ties."""
        needs = self._needs
        waiting = [len(deps) for deps in needs]
        ready = [i for i, count in enumerate(waiting) if count == 0]
        heapq.heapify(ready)
        order: list[int] = []
        while ready:
            i = heapq.heappop(ready)
            order.append(i)
            for j in self._needed_by[i]:
                waiting[j] -= 1
                if waiting[j] == 0:
                    heapq.heappush(ready, j)
        if len(order) != len(needs):
            raise ValueError("the stage graph has a cycle")
        return order

    def references_in(self, index: int) -> list[Reference]:
        """The references made inside one stage, in file order."""
        return list(self._by_stage.get(index, ()))

    @cached_property
    def _by_stage(self) -> dict[int, list[Reference]]:
        out: dict[int, list[Reference]] = {}
        for ref in self.references:
            out.setdefault(ref.stage, []).append(ref)
        return out


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance where swapping two neighbouring characters is one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]
