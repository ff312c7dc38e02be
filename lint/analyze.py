"""The analyzer: ``dslint graph`` draws the stage graph, ``dslint stages``
tabulates the stages.

Both start from :class:`dslint.graph.StageGraph` (references resolved the way
BuildKit resolves them) and the rule engine (error-severity findings mark
their stage). This module builds a format-neutral :class:`GraphView` and a
:class:`StagesReport`; :mod:`dslint.render_graph` turns the view into
mermaid, DOT, JSON, a terminal tree, SVG or PNG.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

from dslint.graph import Reference, StageGraph, image_node, stage_node
from dslint.model import Dockerfile, ImageRef, Instruction, Mount, Span, Stage
from dslint.rule import Finding, Severity

EXIT_OK, EXIT_ERROR = 0, 2

NodeKind = Literal["stage", "image", "scratch", "unresolved"]
EdgeKind = Literal["from", "copy", "mount"]

LABEL_WIDTH = 28  # longest path or image shown in a label before it is shortened
MAX_PATHS = 2  # copied paths listed on a COPY --from edge before "+N more"


class AnalyzeError(Exception):
    """A problem the user must fix (bad path, unknown target): one line."""


# -- shortening -----------------------------------------------------------------


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    """``text`` cut to ``width`` characters: paths keep their last components,
    image digests their first hex digits, anything else its head and tail."""
    if len(text) <= width:
        return text
    name, at, digest = text.partition("@")
    if at and ":" in digest:
        algo, _, hexa = digest.partition(":")
        pin = f"@{algo}:{hexa[:8]}…"
        if len(name) + len(pin) <= width:
            return name + pin
        if width - len(pin) >= 12:
            return shorten(name, width - len(pin)) + pin
        return shorten(name, width - 2) + "@…"
    sep = "\\" if "\\" in text and "/" not in text else "/"
    if sep in text.rstrip(sep):
        parts = text.rstrip(sep).split(sep)
        tail = parts[-1]
        for part in reversed(parts[:-1]):
            if len(part) + len(tail) + 3 > width:
                break
            tail = f"{part}{sep}{tail}"
        if len(tail) + 2 <= width:
            return f"…{sep}{tail}"
        return f"…{sep}" + shorten(parts[-1], width - 2)  # the last component counts most
    keep = width - 1
    head = (keep + 1) // 2
    return text[:head] + "…" + text[len(text) - (keep - head) :]


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def copy_sources(ins: Instruction) -> tuple[list[str], str | None]:
    """The source paths and the destination of a COPY (quotes removed)."""
    args = [_unquote(a.text) for a in ins.args]
    if len(args) < 2:
        return args, None
    return args[:-1], args[-1]


def paths_label(paths: Sequence[str], width: int = LABEL_WIDTH) -> str:
    shown = [shorten(p, width) for p in paths[:MAX_PATHS]]
    more = len(paths) - len(shown)
    return ", ".join(shown) + (f" +{more}" if more > 0 else "")


# -- the view -------------------------------------------------------------------


@dataclass(slots=True)
class Node:
    id: str
    kind: NodeKind
    label: str  # the name: stage name or stage-N, image reference
    reachable: bool
    stage: Stage | None = None
    target: bool = False
    errors: list[Finding] = field(default_factory=list)
    ref: str | None = None  # images and unresolved references: as written

    @property
    def broken(self) -> bool:
        return bool(self.errors)

    @property
    def base(self) -> str | None:
        """What FROM names, global ARG defaults applied."""
        if self.stage is None:
            return None
        s = self.stage
        return s.base_expanded or (s.base.text if s.base is not None else None)


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    reference: Reference
    reachable: bool
    paths: list[str] = field(default_factory=list)  # COPY sources; mount source
    destination: str | None = None  # COPY destination; mount target

    @property
    def possible(self) -> bool:
        return self.reference.status == "possible"

    @property
    def label(self) -> str:
        if self.kind == "copy":
            return paths_label(self.paths)
        if self.kind == "mount":
            mount = _mount_of(self.reference)
            kind = mount.type if mount is not None else "mount"
            return kind if not self.paths else f"{kind} {paths_label(self.paths)}"
        return ""  # FROM: the stage's own caption says what it is built FROM


@dataclass(slots=True)
class GraphView:
    dockerfile: Dockerfile
    target: int | None  # None: the file has no stage
    requested_target: str | None
    only_target: bool
    nodes: list[Node]
    edges: list[Edge]
    errors: list[Finding]  # error findings outside every stage (global lines)

    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    @property
    def stage_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "stage"]


def _mount_of(ref: Reference) -> Mount | None:
    for mount in ref.instruction.mounts:
        if mount.from_span == ref.span or (mount.from_span is None and mount.span == ref.span):
            return mount
    return None


def stage_line_ranges(df: Dockerfile) -> list[tuple[int, int]]:
    """First and last line of each stage (up to the line before the next FROM)."""
    out: list[tuple[int, int]] = []
    last_line = max(len(df.lines), 1)
    for i, stage in enumerate(df.stages):
        start = stage.from_instruction.line
        end = df.stages[i + 1].from_instruction.line - 1 if i + 1 < len(df.stages) else last_line
        out.append((start, max(start, end)))
    return out


def stage_of_line(df: Dockerfile, line: int) -> int | None:
    for i, (start, end) in enumerate(stage_line_ranges(df)):
        if start <= line <= end:
            return i
    return None


def source_node(ref: Reference) -> tuple[list[str], NodeKind]:
    """The node(s) a reference comes from, as in ``StageGraph.nx`` plus a
    node for references BuildKit cannot resolve (``--from=$X``, a later or
    missing stage index)."""
    if ref.status in ("stage", "possible"):
        return [stage_node(t) for t in ref.targets], "stage"
    if ref.status in ("image", "unknown") or ref.kind == "from":
        name = ref.image.text if ref.image is not None else ref.text
        kind: NodeKind = "scratch" if name.lower() == "scratch" else "image"
        return [image_node(name)], kind
    return [f"unresolved:{ref.text}"], "unresolved"


def build_view(
    df: Dockerfile,
    graph: StageGraph | None = None,
    *,
    target_name: str | None = None,
    findings: Sequence[Finding] = (),
    only_target: bool = False,
) -> GraphView:
    """The picture of ``df``: raises :class:`AnalyzeError` when ``target_name``
    names no stage."""
    graph = graph or StageGraph(df)
    target = resolve_target(df, graph, target_name)
    reachable = graph.reachable(target) if target is not None else set()

    errors_by_stage: dict[int, list[Finding]] = {}
    file_errors: list[Finding] = []
    for f in findings:
        if f.severity < Severity.ERROR:
            continue
        where = stage_of_line(df, f.span.line)
        if where is None:
            file_errors.append(f)
        else:
            errors_by_stage.setdefault(where, []).append(f)

    nodes: dict[str, Node] = {}
    for stage in df.stages:
        nid = stage_node(stage.index)
        nodes[nid] = Node(
            nid,
            "stage",
            stage.label,
            stage.index in reachable,
            stage=stage,
            target=stage.index == target,
            errors=errors_by_stage.get(stage.index, []),
        )
    edges: list[Edge] = []
    for ref in graph.references:
        sources, kind = source_node(ref)
        dst = stage_node(ref.stage)
        live = ref.stage in reachable
        paths: list[str] = []
        dest: str | None = None
        if ref.kind == "copy":
            paths, dest = copy_sources(ref.instruction)
        elif ref.kind == "mount":
            mount = _mount_of(ref)
            if mount is not None:
                src = mount.options.get("source") or mount.options.get("src")
                paths = [src] if src else []
                dest = mount.target
        for src_id in sources:
            if src_id not in nodes:
                name = src_id.split(":", 1)[1]
                nodes[src_id] = Node(src_id, kind, name, live, ref=name)
            elif live and nodes[src_id].kind != "stage":
                nodes[src_id].reachable = True
            edges.append(Edge(src_id, dst, ref.kind, ref, live, paths, dest))

    node_list = _ordered(list(nodes.values()))
    if only_target:
        node_list = [n for n in node_list if n.reachable]
        edges = [e for e in edges if e.reachable]
    return GraphView(df, target, target_name, only_target, node_list, edges, file_errors)


def _ordered(nodes: list[Node]) -> list[Node]:
    """Stages in file order, then images and unresolved references in first-use order."""
    stages = [n for n in nodes if n.kind == "stage"]
    return stages + [n for n in nodes if n.kind != "stage"]


def resolve_target(df: Dockerfile, graph: StageGraph, name: str | None) -> int | None:
    if not df.stages:
        return None
    index = graph.target_index(name)
    if index is None:
        names = [s.name.text for s in df.stages if s.name is not None]
        known = ", ".join(names) if names else "none: no stage has a name"
        raise AnalyzeError(f"target stage '{name}' could not be found (named stages: {known})")
    return index


# -- stages ---------------------------------------------------------------------

Role = Literal["runtime", "build", "test", "unused"]

ROLE_MEANING: dict[str, str] = {
    "runtime": "the target, or a stage it is built FROM: its filesystem ships in the image",
    "build": "needed by the target, but only the files copied or mounted out of it reach the image",
    "test": "not needed by the target, and it looks like a test or lint stage (its name or a RUN)",
    "unused": "not needed by the target: another target (build it with --target) or dead code",
}

_TEST_WORDS = frozenset(
    {
        "test",
        "tests",
        "testing",
        "unittest",
        "unit",
        "integration",
        "e2e",
        "lint",
        "linter",
        "linting",
        "check",
        "checks",
        "vet",
        "verify",
        "validate",
        "validation",
        "spec",
        "coverage",
        "cover",
    }
)
_TEST_COMMAND = re.compile(
    r"\b(?:go\s+test|go\s+vet|(?:npm|yarn|pnpm)\s+(?:run\s+)?(?:test|lint)|pytest|tox|"
    r"cargo\s+(?:test|clippy)|make\s+(?:test|check|lint)|golangci-lint|phpunit|rspec|"
    r"ctest|mvn\b[^&;|]*\s(?:test|verify)|gradlew?\b[^&;|]*\s(?:test|check))\b"
)


def _test_evidence(stage: Stage) -> str | None:
    if stage.alias is not None:
        words = re.split(r"[-_.]", stage.alias)
        for w in words:
            if w in _TEST_WORDS:
                return f"its name has '{w}'"
    for ins in stage.instructions:
        if ins.keyword == "RUN":
            text = " ".join(h.content for h in ins.heredocs) + " " + ins.original
            m = _TEST_COMMAND.search(text)
            if m is not None:
                return f"line {ins.line} runs '{' '.join(m.group(0).split())}'"
    return None


def estimated_size_mb(image: ImageRef | None) -> float | None:
    """Estimated compressed size of ``image`` from the image knowledge base
    (``dslint.images``); ``image`` is the external image at the root of the
    stage's FROM chain (None when FROM has variables that name several stages).
    Unknown images have no estimate."""
    if image is None:
        return None
    if image.is_scratch:
        return 0.0
    from dslint.images import lookup

    info = lookup(image)
    return info.size_mb if info is not None else None


@dataclass(slots=True)
class CopyIn:
    source: str  # stage label or image reference as written
    source_stage: int | None
    kind: EdgeKind
    paths: list[str]
    destination: str | None
    line: int
    status: str  # the reference's status (see dslint.graph.Status)


@dataclass(slots=True)
class StageRow:
    stage: Stage
    base: str  # what FROM names (global ARG defaults applied)
    base_image: str  # the external image at the root of the FROM chain
    via: list[int]  # the earlier stages the FROM chain goes through, nearest first
    role: Role
    role_reason: str
    reachable: bool
    copies_in: list[CopyIn]
    instructions: int  # FROM included
    size_mb: float | None


@dataclass(slots=True)
class Chain:
    stages: list[str]  # labels, source first, the shipped stage last
    paths: list[str]  # what the last COPY takes
    destination: str | None
    line: int


@dataclass(slots=True)
class StagesReport:
    dockerfile: Dockerfile
    target: int | None
    rows: list[StageRow]
    levels: list[list[int]]  # reachable stages by build level
    critical_path: list[int]
    critical_instructions: int
    shipped: list[int]  # the target and its FROM ancestors, target first
    chains: list[Chain]
    chains_omitted: int

    @property
    def width(self) -> int:
        return max((len(level) for level in self.levels), default=0)

    @property
    def has_size(self) -> bool:
        return any(r.size_mb is not None for r in self.rows)


MAX_CHAINS = 60


def _root_image(df: Dockerfile, index: int) -> tuple[str, list[int], ImageRef | None]:
    via: list[int] = []
    stage = df.stages[index]
    while stage.base_stage is not None and stage.base_stage < stage.index:
        via.append(stage.base_stage)
        stage = df.stages[stage.base_stage]
    if len(stage.base_stages) > 1:
        names = ", ".join(df.stages[i].label for i in stage.base_stages)
        return f"one of: {names}", via, None
    text = stage.base_expanded or (stage.base.text if stage.base is not None else "?")
    return text, via, stage.base_image


def levels_of(graph: StageGraph, stages: set[int]) -> dict[int, int]:
    """Build level of each stage: 0 when it needs no other stage, else one more
    than the deepest stage it needs. Stages of one level can build concurrently."""
    level: dict[int, int] = {}
    for i in sorted(stages):
        deps = [d for d in graph.dependencies(i) if d in stages and d < i]
        level[i] = 1 + max((level[d] for d in deps), default=-1)
    return level


def critical_path(
    graph: StageGraph, stages: set[int], weight: dict[int, int], end: int
) -> tuple[list[int], int]:
    """The chain of dependent stages ending in ``end`` with the most instructions."""
    cost: dict[int, int] = {}
    best: dict[int, int | None] = {}
    for i in sorted(stages):
        deps = sorted(d for d in graph.dependencies(i) if d in stages and d < i)
        prev = max(deps, key=lambda d: (cost[d], -d), default=None)
        best[i] = prev
        cost[i] = weight[i] + (cost[prev] if prev is not None else 0)
    path: list[int] = []
    node: int | None = end
    while node is not None:
        path.append(node)
        node = best[node]
    return path[::-1], cost[end]


def stages_report(
    df: Dockerfile, graph: StageGraph | None = None, target_name: str | None = None
) -> StagesReport:
    graph = graph or StageGraph(df)
    target = resolve_target(df, graph, target_name)
    reachable = graph.reachable(target) if target is not None else set()
    shipped = graph.from_chain(target) if target is not None else []
    target_label = df.stages[target].label if target is not None else ""

    rows: list[StageRow] = []
    for stage in df.stages:
        i = stage.index
        base = stage.base_expanded or (stage.base.text if stage.base is not None else "?")
        root, via, image = _root_image(df, i)
        role: Role
        if i == target:
            role, reason = "runtime", "the target: its filesystem is the image"
        elif i in shipped:
            role, reason = "runtime", f"'{target_label}' is built FROM it: its layers ship"
        elif i in reachable:
            role, reason = "build", f"'{target_label}' needs files from it"
        else:
            evidence = _test_evidence(stage)
            if evidence is not None:
                role, reason = "test", f"not needed by '{target_label}'; {evidence}"
            else:
                role, reason = "unused", f"not needed by '{target_label}'"
        copies: list[CopyIn] = []
        for ref in graph.references_in(i):
            if ref.kind == "from":
                continue
            src_stage = ref.target if ref.status in ("stage", "possible") else None
            source = df.stages[src_stage].label if src_stage is not None else ref.text
            if ref.kind == "copy":
                paths, dest = copy_sources(ref.instruction)
            else:
                mount = _mount_of(ref)
                src = (
                    None
                    if mount is None
                    else (mount.options.get("source") or mount.options.get("src"))
                )
                paths, dest = ([src] if src else []), (None if mount is None else mount.target)
            copies.append(
                CopyIn(source, src_stage, ref.kind, paths, dest, ref.span.line, ref.status)
            )
        size = estimated_size_mb(image)
        rows.append(
            StageRow(
                stage,
                base,
                root,
                via,
                role,
                reason,
                i in reachable,
                copies,
                len(stage.all_instructions),
                size,
            )
        )

    level = levels_of(graph, reachable)
    levels: list[list[int]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for i, lv in sorted(level.items()):
        levels[lv].append(i)
    weight = {r.stage.index: r.instructions for r in rows}
    path, total = ([], 0) if target is None else critical_path(graph, reachable, weight, target)
    chains, omitted = _chains(df, graph, shipped)
    return StagesReport(df, target, rows, levels, path, total, shipped, chains, omitted)


def _chains(df: Dockerfile, graph: StageGraph, shipped: list[int]) -> tuple[list[Chain], int]:
    """Every chain of ``COPY --from`` that ends in a shipped stage, source
    first (mounts are left out: what a mount holds does not stay in the
    image); at most MAX_CHAINS of them, and how many more there are."""
    label = {s.index: s.label for s in df.stages}

    def copies(i: int) -> list[Reference]:
        return [
            r
            for r in graph.references_in(i)
            if r.kind == "copy"
            and (
                (r.status == "stage" and r.target is not None and r.target < i)
                or r.status in ("image", "unknown")
            )
        ]

    count: dict[int, int] = {}  # chains that end in stage i (1 when nothing is copied in)
    for i in sorted({s.index for s in df.stages}):
        refs = copies(i)
        count[i] = sum(count[r.target] if r.target is not None else 1 for r in refs) or 1

    upstream_memo: dict[int, list[list[str]]] = {}

    def upstream(i: int) -> list[list[str]]:
        """Up to MAX_CHAINS copy chains that lead into stage i, each ending with it."""
        if i not in upstream_memo:
            out: list[list[str]] = []
            for r in copies(i):
                if len(out) >= MAX_CHAINS:
                    break
                if r.target is not None:
                    out.extend([*c, label[i]] for c in upstream(r.target))
                else:
                    out.append([r.text, label[i]])
            upstream_memo[i] = out[:MAX_CHAINS] or [[label[i]]]
        return upstream_memo[i]

    chains: list[Chain] = []
    total = 0
    for s in shipped:
        for ref in copies(s):
            paths, dest = copy_sources(ref.instruction)
            heads = upstream(ref.target) if ref.target is not None else [[ref.text]]
            total += count[ref.target] if ref.target is not None else 1
            for head in heads:
                if len(chains) < MAX_CHAINS:
                    chains.append(Chain([*head, label[s]], paths, dest, ref.span.line))
    return chains, total - len(chains)


# -- JSON -----------------------------------------------------------------------


def span_dict(span: Span) -> dict[str, int]:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "rule": f.rule,
        "message": f.message,
        "line": f.span.line,
        "column": f.span.column,
    }


GRAPH_SCHEMA_VERSION = 1


def view_to_dict(view: GraphView) -> dict[str, Any]:
    """The ``dslint graph --format json`` document (schema in the README)."""
    df = view.dockerfile
    nodes: list[dict[str, Any]] = []
    for n in view.nodes:
        d: dict[str, Any] = {"id": n.id, "kind": n.kind, "label": n.label, "reachable": n.reachable}
        if n.stage is not None:
            s = n.stage
            d.update(
                index=s.index,
                name=s.name.text if s.name is not None else None,
                base=s.base.text if s.base is not None else None,
                base_expanded=n.base,
                platform=s.platform.value if s.platform is not None else None,
                instructions=len(s.all_instructions),
                target=n.target,
                broken=n.broken,
                errors=[finding_dict(f) for f in n.errors],
                span=span_dict(s.from_instruction.span),
            )
        else:
            d["ref"] = n.ref
        nodes.append(d)
    edges: list[dict[str, Any]] = []
    for e in view.edges:
        ref = e.reference
        edge: dict[str, Any] = {
            "source": e.source,
            "target": e.target,
            "kind": e.kind,
            "reference": ref.text,
            "status": ref.status,
            "reachable": e.reachable,
            "span": span_dict(ref.span),
            "label": e.label,
            "paths": e.paths,
            "destination": e.destination,
        }
        if e.kind == "mount":
            mount = _mount_of(ref)
            edge["mount_type"] = mount.type if mount is not None else None
        edges.append(edge)
    target = None
    if view.target is not None:
        st = df.stages[view.target]
        target = {"index": st.index, "label": st.label}
    return {
        "version": GRAPH_SCHEMA_VERSION,
        "path": df.path,
        "target": target,
        "only_target": view.only_target,
        "nodes": nodes,
        "edges": edges,
        "errors": [finding_dict(f) for f in view.errors],
    }


def report_to_dict(report: StagesReport) -> dict[str, Any]:
    """The ``dslint stages --format json`` document."""
    df = report.dockerfile
    stages: list[dict[str, Any]] = []
    for r in report.rows:
        s = r.stage
        row: dict[str, Any] = {
            "index": s.index,
            "name": s.name.text if s.name is not None else None,
            "label": s.label,
            "line": s.from_instruction.line,
            "base": r.base,
            "base_image": r.base_image,
            "via": [df.stages[i].label for i in r.via],
            "role": r.role,
            "role_reason": r.role_reason,
            "reachable": r.reachable,
            "instructions": r.instructions,
            "copies_in": [
                {
                    "from": c.source,
                    "stage": c.source_stage,
                    "kind": c.kind,
                    "paths": c.paths,
                    "destination": c.destination,
                    "line": c.line,
                    "status": c.status,
                }
                for c in r.copies_in
            ],
        }
        if report.has_size:
            row["estimated_size_mb"] = r.size_mb
        stages.append(row)
    target = None if report.target is None else df.stages[report.target].label
    return {
        "path": df.path,
        "target": target,
        "stages": stages,
        "roles": ROLE_MEANING,
        "parallelism": {
            "levels": [[df.stages[i].label for i in lv] for lv in report.levels],
            "width": report.width,
            "critical_path": [df.stages[i].label for i in report.critical_path],
            "critical_path_instructions": report.critical_instructions,
        },
        "shipped": [df.stages[i].label for i in report.shipped],
        "reaches_final_image": [
            {"chain": c.stages, "paths": c.paths, "destination": c.destination, "line": c.line}
            for c in report.chains
        ],
        "reaches_final_image_omitted": report.chains_omitted,
    }


# -- the commands ---------------------------------------------------------------


def load(path: str) -> Dockerfile:
    """Parse the Dockerfile at ``path`` ('-' is standard input; a folder means
    its ``Dockerfile``, or its only Dockerfile)."""
    from dslint.files import FileError, decode, discover, read
    from dslint.parser import parse

    try:
        if path == "-":
            return parse(decode(sys.stdin.buffer.read(), "-"), "-")
        if os.path.isdir(path):
            default = os.path.join(path, "Dockerfile")
            if os.path.isfile(default):
                path = default
            else:
                found = [p for p in discover(path) if os.path.dirname(p) == path.rstrip("/")]
                if len(found) != 1:
                    what = "no Dockerfile" if not found else f"{len(found)} Dockerfiles"
                    raise AnalyzeError(f"{path}: {what} in this folder; name the file")
                path = found[0]
        source = read(path)
    except FileError as exc:
        raise AnalyzeError(str(exc)) from None
    return parse(source.text, source.path)


def error_findings(df: Dockerfile, target: str | None, err: TextIO) -> list[Finding]:
    """The findings of error severity (a crashing rule only loses the marks)."""
    from dslint.config import Settings
    from dslint.engine import InternalError, lint_dockerfile

    try:
        findings = lint_dockerfile(df, Settings(target=target))
    except InternalError as exc:
        err.write(f"dslint: {df.path}: {exc}; stages are not marked\n")
        return []
    return [f for f in findings if f.severity >= Severity.ERROR]


GRAPH_FORMATS = ("mermaid", "dot", "json", "tree", "svg", "png")
_EXTENSIONS = {
    ".svg": "svg",
    ".png": "png",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".json": "json",
    ".txt": "tree",
}


def _is_tty(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def _color(args: argparse.Namespace, out: TextIO) -> bool:
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or _is_tty(out)


def _path_and_target(p: argparse.ArgumentParser) -> None:
    """The arguments ``graph`` and ``stages`` share."""
    p.add_argument(
        "path",
        nargs="?",
        default="Dockerfile",
        metavar="PATH",
        help="the Dockerfile ('-' reads standard input; default: ./Dockerfile)",
    )
    p.add_argument("--target", metavar="NAME", help="the stage being built (default: the last)")


def graph_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dslint graph",
        description="Draw the stage graph of a Dockerfile: stages, external images, "
        "FROM (solid), COPY --from (dashed, labelled with the paths) and "
        "RUN --mount from= (dotted) edges.",
    )
    _path_and_target(p)
    p.add_argument(
        "--format",
        choices=GRAPH_FORMATS,
        help="output format (default: from the --output extension, else tree on a "
        "terminal and dot otherwise); svg and png need Graphviz",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument(
        "--only-target",
        action="store_true",
        help="keep only the stages and images the target needs",
    )
    p.add_argument("--no-color", action="store_true", help="no colour in the tree")
    return p


def _write(args: argparse.Namespace, out: TextIO, text: str) -> None:
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        out.write(text)


def graph_main(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    from dslint import render_graph

    args = graph_parser().parse_args(list(argv))
    fmt = args.format
    if fmt is None and args.output:
        fmt = _EXTENSIONS.get(os.path.splitext(args.output)[1].lower())
    if fmt is None:
        fmt = "tree" if not args.output and _is_tty(out) else "dot"
    try:
        df = load(args.path)
        view = build_view(
            df,
            target_name=args.target,
            findings=error_findings(df, args.target, err),
            only_target=args.only_target,
        )
        if fmt == "mermaid":
            _write(args, out, render_graph.to_mermaid(view))
        elif fmt == "dot":
            _write(args, out, render_graph.to_dot(view))
        elif fmt == "json":
            _write(args, out, json.dumps(view_to_dict(view), indent=2) + "\n")
        elif fmt == "tree":
            if args.output:
                with open(args.output, "w", encoding="utf-8") as fh:
                    render_graph.print_tree(view, fh, color=False)
            else:
                render_graph.print_tree(view, out, color=_color(args, out))
        else:
            data = render_graph.graphviz(render_graph.to_dot(view), fmt)
            if args.output:
                with open(args.output, "wb") as bfh:
                    bfh.write(data)
            elif fmt == "svg":
                out.write(data.decode("utf-8"))
            else:
                buffer = getattr(out, "buffer", None)
                if buffer is None or _is_tty(out):
                    raise AnalyzeError("PNG is binary: write it with --output FILE.png")
                out.flush()
                buffer.write(data)
    except (AnalyzeError, render_graph.GraphvizError) as exc:
        err.write(f"dslint: {exc}\n")
        return EXIT_ERROR
    except OSError as exc:
        err.write(f"dslint: {args.output}: {exc.strerror or exc}\n")
        return EXIT_ERROR
    return EXIT_OK


def stages_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dslint stages",
        description="One row per stage (base image, role, reachability, what it copies "
        "in), then build parallelism and what reaches the final image.",
    )
    _path_and_target(p)
    p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="output format (default: table)",
    )
    p.add_argument("--no-color", action="store_true", help="no colour in the table")
    return p


def stages_main(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    args = stages_parser().parse_args(list(argv))
    try:
        df = load(args.path)
        report = stages_report(df, target_name=args.target)
    except AnalyzeError as exc:
        err.write(f"dslint: {exc}\n")
        return EXIT_ERROR
    if args.format == "json":
        out.write(json.dumps(report_to_dict(report), indent=2) + "\n")
    else:
        from dslint import render_graph

        render_graph.print_stages(report, out, color=_color(args, out))
    return EXIT_OK
