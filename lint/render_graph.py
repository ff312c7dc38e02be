"""Render a :class:`dslint.analyze.GraphView`: mermaid, Graphviz DOT, a rich
tree, SVG/PNG through the system ``dot`` program; and the ``stages`` table."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from dslint.analyze import ROLE_MEANING, Edge, GraphView, Node, StagesReport, shorten

if TYPE_CHECKING:
    from rich.text import Text
    from rich.tree import Tree

GRAPHVIZ_TIMEOUT = 120  # seconds; the 59-stage files of the corpus take about one


class GraphvizError(Exception):
    pass


# -- shared ---------------------------------------------------------------------


def stage_caption(node: Node) -> list[str]:
    """The lines of a stage node: name, then ``#N FROM base``, then marks."""
    assert node.stage is not None
    lines = [stage_name(node)]
    if node.base:
        lines.append(f"FROM {shorten(node.base)}")
    marks = []
    if node.target:
        marks.append("target")
    if node.broken:
        n = len(node.errors)
        marks.append(f"{n} error{'s' if n > 1 else ''}")
    if marks:
        lines.append("(" + ", ".join(marks) + ")")
    return lines


def stage_name(node: Node) -> str:
    """``name (N)`` for a named stage (``--from`` takes either), else ``stage-N``."""
    assert node.stage is not None
    return f"{node.label} ({node.stage.index})" if node.stage.name is not None else node.label


def node_caption(node: Node) -> list[str]:
    if node.kind == "stage":
        return stage_caption(node)
    if node.kind == "unresolved":
        return [shorten(node.label), "(not resolved)"]
    return [shorten(node.label, 40)]


def merged_edges(view: GraphView) -> Iterator[tuple[Edge, list[str], bool]]:
    """Edges with the same ends and kind drawn once: (first edge, its labels,
    whether any of them is reachable)."""
    groups: dict[tuple[str, str, str], list[Edge]] = {}
    for e in view.edges:
        groups.setdefault((e.source, e.target, e.kind), []).append(e)
    for group in groups.values():
        labels: list[str] = []
        for e in group:
            if e.label and e.label not in labels:
                labels.append(e.label)
        if len(labels) > 3:
            labels = [*labels[:2], f"+{len(labels) - 2} more"]
        yield group[0], labels, any(e.reachable for e in group)


# -- mermaid --------------------------------------------------------------------


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted mermaid label (entity codes for the specials)."""
    out = []
    for ch in text:
        if ch == "#":
            out.append("#35;")
        elif ch == '"':
            out.append("#quot;")
        elif ch == "<":
            out.append("#lt;")
        elif ch == ">":
            out.append("#gt;")
        elif ch == "`":
            out.append("#96;")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(view: GraphView) -> str:
    ids: dict[str, str] = {}
    counters = {"stage": 0, "image": 0, "scratch": 0, "unresolved": 0}
    prefix = {"stage": "s", "image": "i", "scratch": "i", "unresolved": "u"}
    lines = ["flowchart LR"]
    classes: dict[str, list[str]] = {}
    for n in view.nodes:
        key = "image" if n.kind == "scratch" else n.kind
        if n.kind == "stage":
            assert n.stage is not None
            mid = f"s{n.stage.index}"
        else:
            mid = f"{prefix[n.kind]}{counters[key]}"
            counters[key] += 1
        ids[n.id] = mid
        label = "<br>".join(mermaid_text(line) for line in node_caption(n))
        if n.kind == "stage":
            shape = f'["{label}"]'
        elif n.kind == "scratch":
            shape = f'(["{label}"])'
        elif n.kind == "unresolved":
            shape = f'{{{{"{label}"}}}}'
        else:
            shape = f'("{label}")'
        lines.append(f"  {mid}{shape}")
        if n.kind != "stage":
            classes.setdefault("external" if n.kind != "unresolved" else "unresolved", []).append(
                mid
            )
        if n.target:
            classes.setdefault("target", []).append(mid)
        if not n.reachable:
            classes.setdefault("unreachable", []).append(mid)
        if n.broken:
            classes.setdefault("broken", []).append(mid)
    styles: dict[str, list[int]] = {}
    for index, (e, labels, reachable) in enumerate(merged_edges(view)):
        arrow = "-->" if e.kind == "from" else "-.->"
        text = mermaid_text(" / ".join(labels))
        middle = f'|"{text}"|' if text else ""
        lines.append(f"  {ids[e.source]} {arrow}{middle} {ids[e.target]}")
        parts = []
        if e.kind == "mount":
            parts.append("stroke-dasharray:2 4")
        if not reachable:
            parts.append("stroke:#c8c8c8")
        if parts:
            styles.setdefault(",".join(parts), []).append(index)
    for css, indexes in styles.items():
        lines.append(f"  linkStyle {','.join(map(str, indexes))} {css}")
    defs = {
        "external": "fill:#f6f6f6,stroke:#999,stroke-dasharray:5 3,color:#555",
        "unresolved": "fill:#fff0f0,stroke:#c00,stroke-dasharray:5 3,color:#900",
        "target": "fill:#dbe9ff,stroke:#1f5fbf,stroke-width:3px",
        "unreachable": "fill:#fafafa,stroke:#ccc,color:#aaa",
        "broken": "stroke:#d00000,stroke-width:3px",
    }
    for name, style in defs.items():  # later classes win: broken (red) last
        members = classes.get(name)
        if not members:
            continue
        lines.append(f"  classDef {name} {style}")
        lines.append(f"  class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"


# -- DOT ------------------------------------------------------------------------


def dot_quote(text: str) -> str:
    """A DOT double-quoted string; ``\\n`` in ``text`` becomes a centred line break."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def _attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={dot_quote(v)}" for k, v in attrs.items())


BIG_GRAPH = 12  # stages; above this, families are clustered and labels sit at the tail


def families(view: GraphView) -> dict[str, list[Node]]:
    """Stages grouped by the first word of their name (``runc-src``,
    ``runc-build``, ``runc``: family ``runc``) when two or more share it."""
    groups: dict[str, list[Node]] = {}
    for n in view.stage_nodes:
        if n.stage is None or n.stage.alias is None:
            continue
        word = re.split(r"[-_.]", n.stage.alias, maxsplit=1)[0]
        groups.setdefault(word, []).append(n)
    total = len(view.stage_nodes)
    return {k: v for k, v in groups.items() if 2 <= len(v) < total}


def _dot_node(n: Node) -> str:
    attrs: dict[str, str] = {"label": "\n".join(node_caption(n))}
    if n.kind == "stage":
        assert n.stage is not None
        attrs["tooltip"] = f"stage {n.stage.index}, line {n.stage.from_instruction.line}"
        if n.target:
            attrs.update(fillcolor="#cfe0fb", penwidth="2.5", peripheries="2")
        if not n.reachable:
            attrs.update(fillcolor="#f7f7f7", color="#c8c8c8", fontcolor="#a0a0a0")
        if n.broken:
            attrs.update(color="#d00000", penwidth="3")
            attrs["tooltip"] += "\n" + "\n".join(
                f"{f.code} line {f.span.line}: {f.message}" for f in n.errors
            )
    elif n.kind == "unresolved":
        attrs.update(shape="octagon", style="dashed", color="#c00000", fontcolor="#900000")
    else:
        attrs.update(
            style="dashed,rounded,filled",
            fillcolor="#f6f6f6",
            color="#999999" if n.reachable else "#d0d0d0",
            fontcolor="#555555" if n.reachable else "#b0b0b0",
        )
        if n.kind == "scratch":
            attrs.update(shape="plaintext", style="filled", fontname="Helvetica-Oblique")
    return f"{dot_quote(n.id)} [{_attrs(attrs)}];"


def to_dot(view: GraphView) -> str:
    big = len(view.stage_nodes) > BIG_GRAPH
    lines = [
        f"digraph {dot_quote(view.dockerfile.path)} {{",
        "  graph ["
        + _attrs(
            {
                "rankdir": "LR",
                "fontname": "Helvetica",
                "nodesep": "0.25" if big else "0.4",
                "ranksep": "0.9" if big else "0.6",
                "newrank": "true",
                "tooltip": view.dockerfile.path,
            }
        )
        + "];",
        '  node [shape="box", style="rounded,filled", fillcolor="#eef3fb", color="#4a6a9a",'
        ' fontname="Helvetica", fontsize="11"];',
        '  edge [fontname="Helvetica", fontsize="9", color="#4a6a9a", fontcolor="#4a5a6a"];',
    ]
    clustered: set[str] = set()
    if big:
        for word, members in families(view).items():
            lines.append(f"  subgraph {dot_quote('cluster_' + word)} {{")
            lines.append(
                "    graph ["
                + _attrs(
                    {
                        "label": f"{word}*",
                        "style": "rounded,dashed",
                        "color": "#b8c4d8",
                        "fontcolor": "#7a8aa8",
                        "fontsize": "10",
                        "labeljust": "l",
                    }
                )
                + "];"
            )
            for n in members:
                lines.append(f"    {_dot_node(n)}")
                clustered.add(n.id)
            lines.append("  }")
    # In a big graph one scratch node would pull an edge from every corner:
    # draw scratch once per stage built FROM it instead.
    split_scratch = big
    lines.extend(
        f"  {_dot_node(n)}"
        for n in view.nodes
        if n.id not in clustered and not (split_scratch and n.kind == "scratch")
    )
    for e, labels, reachable in merged_edges(view):
        source = e.source
        if split_scratch and view.node(e.source).kind == "scratch":
            source = f"{e.source}#{e.target}"
            node = view.node(e.source)
            lines.append(f"  {_dot_node(node).replace(dot_quote(e.source), dot_quote(source), 1)}")
        attrs: dict[str, str] = {}
        if e.kind == "copy":
            attrs.update(style="dashed", arrowhead="empty")
        elif e.kind == "mount":
            attrs.update(style="dotted", arrowhead="odiamond")
        if labels:
            # In a big graph a label in the middle of a long edge is hard to
            # pin to its edge: put it at the tail, by the stage it comes from.
            attrs["taillabel" if big else "label"] = "\n".join(labels)
        if e.possible:
            # FROM with a variable: one of several stages; a hollow arrow says "maybe".
            attrs["arrowhead"] = "onormal"
        if e.source.startswith("image:"):
            attrs["color"] = "#aaaaaa"
        elif e.source.startswith("unresolved:"):
            attrs.update(color="#c00000", fontcolor="#900000")
        if not reachable:
            attrs.update(color="#d8d8d8", fontcolor="#b8b8b8")
        suffix = f" [{_attrs(attrs)}]" if attrs else ""
        lines.append(f"  {dot_quote(source)} -> {dot_quote(e.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def graphviz(dot_source: str, fmt: str) -> bytes:
    """Run Graphviz ``dot -T<fmt>`` on ``dot_source`` (stdin, no shell)."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizError(
            f"--format {fmt} needs the Graphviz 'dot' program, which is not installed "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz); "
            "--format dot writes the Graphviz source without it"
        )
    try:
        proc = subprocess.run(
            [exe, f"-T{fmt}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=GRAPHVIZ_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz 'dot' took more than {GRAPHVIZ_TIMEOUT}s") from None
    except OSError as exc:
        raise GraphvizError(f"could not run Graphviz 'dot': {exc}") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(
            "Graphviz 'dot' failed: " + (message[0] if message else f"exit {proc.returncode}")
        )
    return proc.stdout


# -- tree -----------------------------------------------------------------------


def _node_text(node: Node, color: bool) -> Text:
    from rich.text import Text

    text = Text()
    if node.kind == "stage":
        assert node.stage is not None
        text.append(stage_name(node), style="bold" if node.reachable else "dim")
        if node.base:
            text.append(f" FROM {shorten(node.base, 40)}", style="cyan" if color else "")
        if node.target:
            text.append(" (target)", style="bold blue")
        if node.broken:
            for f in node.errors:
                text.append(f"  ✗ {f.code} line {f.span.line}", style="bold red")
    elif node.kind == "unresolved":
        text.append(f"{node.label} (not resolved)", style="red")
    else:
        text.append(shorten(node.label, 48), style="dim")
        text.append(" (image)" if node.kind == "image" else "", style="dim")
    return text


def _edge_prefix(edge: Edge) -> str:
    if edge.kind == "from":
        return "FROM "
    label = edge.label
    if edge.kind == "copy":
        return f"COPY {label} from " if label else "COPY from "
    return f"mount {label} from " if label else "mount from "


def build_tree(view: GraphView, color: bool = False) -> list[Tree]:
    """The target as a root with what it needs below it (each stage expanded
    once), then, unless --only-target, the stages the target does not need."""
    from rich.text import Text
    from rich.tree import Tree

    nodes = {n.id: n for n in view.nodes}
    incoming: dict[str, list[Edge]] = {}
    for e in view.edges:
        incoming.setdefault(e.target, []).append(e)
    expanded: set[str] = set()

    def grow(tree: Tree, node_id: str) -> None:
        if node_id in expanded:
            return
        expanded.add(node_id)
        for e in incoming.get(node_id, []):
            src = nodes[e.source]
            label = Text()
            label.append(_edge_prefix(e), style="dim")
            label.append_text(_node_text(src, color))
            if src.kind == "stage" and e.source in expanded:
                label.append(" (see above)", style="dim")
                tree.add(label)
            else:
                grow(tree.add(label), e.source)

    trees: list[Tree] = []
    if view.target is not None:
        root_id = f"stage:{view.target}"
        root = Tree(_node_text(nodes[root_id], color), guide_style="dim")
        grow(root, root_id)
        trees.append(root)
    rest = [n for n in view.stage_nodes if not n.reachable]
    if rest:
        target = nodes[f"stage:{view.target}"].label if view.target is not None else ""
        other = Tree(Text(f"not needed to build '{target}':", style="bold"), guide_style="dim")
        for n in rest:
            if n.id not in expanded:
                grow(other.add(_node_text(n, color)), n.id)
            else:
                other.add(_node_text(n, color) + Text(" (see above)", style="dim"))
        trees.append(other)
    if view.errors:
        errs = Tree(Text("errors outside every stage:", style="bold red"))
        for f in view.errors:
            errs.add(Text(f"{f.code} line {f.span.line}: {f.message}", style="red"))
        trees.append(errs)
    return trees


def print_tree(view: GraphView, out: TextIO, color: bool, width: int | None = None) -> None:
    console = _console(out, color, width)
    if not view.stage_nodes:
        console.print("no stage (the file has no FROM)")
        return
    for tree in build_tree(view, color):
        console.print(tree)


def _console(out: TextIO, color: bool, width: int | None) -> Console:
    from rich.console import Console

    return Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        width=width or (None if color else 100),
        highlight=False,
        emoji=False,
    )


if TYPE_CHECKING:
    from rich.console import Console


# -- stages table ---------------------------------------------------------------


def print_stages(report: StagesReport, out: TextIO, color: bool, width: int | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    df = report.dockerfile
    console = _console(out, color, width or (None if color else 120))
    if not report.rows:
        console.print("no stage (the file has no FROM)")
        return
    target = df.stages[report.target].label if report.target is not None else "?"
    console.print(f"{df.path}: {len(report.rows)} stages, target '{target}'")
    table = Table()
    table.add_column("#", justify="right")
    table.add_column("stage")
    table.add_column("base image")
    table.add_column("role")
    table.add_column("reachable")
    table.add_column("copies in")
    table.add_column("instr.", justify="right")
    if report.has_size:
        table.add_column("size", justify="right")
    for r in report.rows:
        base = shorten(r.base_image, 40)
        if r.via:
            base += " (via " + ", ".join(df.stages[i].label for i in r.via) + ")"
        copies = []
        for c in r.copies_in:
            what = ", ".join(shorten(p, 24) for p in c.paths[:2])
            if len(c.paths) > 2:
                what += f" +{len(c.paths) - 2}"
            kind = " (mount)" if c.kind == "mount" else ""
            if c.status in ("image", "unknown"):
                kind += " (image)"
            elif c.source_stage is None:
                kind += " (not resolved)"
            copies.append(f"{shorten(c.source, 24)}{kind}: {what}" if what else c.source + kind)
        role_style = {"runtime": "bold green", "build": "cyan", "test": "yellow", "unused": "dim"}
        cells: list[str | Text] = [
            str(r.stage.index),
            Text(r.stage.label, style="bold" if r.stage.index == report.target else ""),
            base,
            Text(r.role, style=role_style[r.role]),
            "yes" if r.reachable else Text("no", style="dim"),
            "\n".join(copies),
            str(r.instructions),
        ]
        if report.has_size:
            cells.append("" if r.size_mb is None else f"~{r.size_mb:.0f} MB")
        table.add_row(*cells, style="" if r.reachable else "dim")
    console.print(table)
    roles = sorted({r.role for r in report.rows}, key=list(ROLE_MEANING).index)
    for role in roles:
        console.print(Text(f"  {role}: ", style="bold") + Text(ROLE_MEANING[role]))
    for r in report.rows:
        if r.role in ("test", "unused"):
            what = "a test stage" if r.role == "test" else "unused"
            console.print(Text(f"  • '{r.stage.label}' is {what}: {r.role_reason}", style="dim"))

    label = {s.index: s.label for s in df.stages}
    console.print()
    console.print(Text("Build parallelism", style="bold"))
    for n, level in enumerate(report.levels):
        console.print(f"  level {n}: " + ", ".join(label[i] for i in level))
    if report.levels:
        widest = next(n for n, lv in enumerate(report.levels) if len(lv) == report.width)
        if report.width > 1:
            console.print(
                f"  widest level: {report.width} stages (level {widest}) can build at the same time"
            )
        else:
            console.print("  widest level: 1 stage: each stage waits for the one before")
        console.print(
            f"  critical path ({report.critical_instructions} instructions): "
            + " → ".join(label[i] for i in report.critical_path)
        )

    console.print()
    console.print(Text("What reaches the final image", style="bold"))
    chain_text = " → ".join(label[i] for i in reversed(report.shipped))
    root = report.rows[report.shipped[-1]].base_image if report.shipped else ""
    console.print(f"  layers: {shorten(root, 40)} → {chain_text}")
    if not report.chains:
        console.print("  no COPY --from brings files into it")
    for chain in report.chains:
        paths = ", ".join(shorten(p, 32) for p in chain.paths[:3])
        if len(chain.paths) > 3:
            paths += f" +{len(chain.paths) - 3}"
        dest = f" → {chain.destination}" if chain.destination else ""
        console.print(f"  {' ⇒ '.join(chain.stages)}: {paths}{dest} (line {chain.line})")
    if report.chains_omitted:
        console.print(f"  … and {report.chains_omitted} more chains not shown")
