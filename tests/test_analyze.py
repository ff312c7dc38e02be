"""``dslint graph`` and ``dslint stages``: goldens, the JSON schema, Graphviz."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dslint import analyze, render_graph
from dslint.analyze import build_view, graph_main, stages_main, stages_report, view_to_dict
from dslint.cli import main as cli_main
from dslint.config import Settings
from dslint.engine import lint_dockerfile
from dslint.parser import parse

from conftest import ROOT, corpus_dir

GRAPH = ROOT / "fixtures" / "graph"
GOLDEN = GRAPH / "golden"
FIXTURES = sorted(GRAPH.glob("*.Dockerfile"))
FORMATS = {"mermaid": "mmd", "dot": "dot", "json": "json", "tree": "txt"}
UPDATE = bool(os.environ.get("DSLINT_UPDATE_GOLDENS"))
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed")


def load(path: Path) -> Any:
    """The fixture parsed under its repository-relative name (stable goldens)."""
    return parse(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())


def render(path: Path, fmt: str, **kw: Any) -> str:
    df = load(path)
    # Only DSL001 marks stages here, so rules added later cannot move the goldens.
    findings = lint_dockerfile(df, Settings(select=("DSL001",)))
    view = build_view(df, findings=findings, **kw)
    if fmt == "mermaid":
        return render_graph.to_mermaid(view)
    if fmt == "dot":
        return render_graph.to_dot(view)
    if fmt == "json":
        return json.dumps(view_to_dict(view), indent=2) + "\n"
    out = io.StringIO()
    render_graph.print_tree(view, out, color=False, width=100)
    return out.getvalue()


def run(main: Any, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_fixtures_are_there() -> None:
    names = {p.name for p in FIXTURES}
    assert {"ten-stages.Dockerfile", "mounts.Dockerfile", "escape-backtick.Dockerfile"} <= names
    assert len(load(GRAPH / "ten-stages.Dockerfile").stages) == 10


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_golden(path: Path, fmt: str) -> None:
    got = render(path, fmt)
    golden = GOLDEN / f"{path.stem}.{FORMATS[fmt]}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with DSLINT_UPDATE_GOLDENS=1"
    assert got == golden.read_text(encoding="utf-8"), (
        f"{fmt} output of {path.name} differs from {golden.name}; if the change is "
        "intended, regenerate with DSLINT_UPDATE_GOLDENS=1 and review the diff"
    )


# -- the JSON schema, as the README documents it -------------------------------------

SPAN = {
    "type": "object",
    "required": ["line", "column", "end_line", "end_column"],
    "additionalProperties": False,
    "properties": {
        k: {"type": "integer", "minimum": 1} for k in ("line", "column", "end_line", "end_column")
    },
}
FINDING = {
    "type": "object",
    "required": ["code", "rule", "message", "line", "column"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": "^DSL[0-9]{3}$"},
        "rule": {"type": "string"},
        "message": {"type": "string"},
        "line": {"type": "integer"},
        "column": {"type": "integer"},
    },
}
NULLABLE_STRING = {"type": ["string", "null"]}
STAGE_NODE = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "kind",
        "label",
        "reachable",
        "index",
        "name",
        "base",
        "base_expanded",
        "platform",
        "instructions",
        "target",
        "broken",
        "errors",
        "span",
    ],
    "properties": {
        "id": {"type": "string", "pattern": "^stage:[0-9]+$"},
        "kind": {"const": "stage"},
        "label": {"type": "string"},
        "reachable": {"type": "boolean"},
        "index": {"type": "integer", "minimum": 0},
        "name": NULLABLE_STRING,
        "base": NULLABLE_STRING,
        "base_expanded": NULLABLE_STRING,
        "platform": NULLABLE_STRING,
        "instructions": {"type": "integer", "minimum": 1},
        "target": {"type": "boolean"},
        "broken": {"type": "boolean"},
        "errors": {"type": "array", "items": FINDING},
        "span": SPAN,
    },
}
OTHER_NODE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "kind", "label", "reachable", "ref"],
    "properties": {
        "id": {"type": "string", "pattern": "^(image|unresolved):.+$"},
        "kind": {"enum": ["image", "scratch", "unresolved"]},
        "label": {"type": "string"},
        "reachable": {"type": "boolean"},
        "ref": {"type": "string"},
    },
}
EDGE = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "source",
        "target",
        "kind",
        "reference",
        "status",
        "reachable",
        "span",
        "label",
        "paths",
        "destination",
    ],
    "properties": {
        "source": {"type": "string"},
        "target": {"type": "string", "pattern": "^stage:[0-9]+$"},
        "kind": {"enum": ["from", "copy", "mount"]},
        "reference": {"type": "string"},
        "status": {
            "enum": [
                "stage",
                "image",
                "unknown",
                "forward",
                "self",
                "out-of-range",
                "case-mismatch",
                "variable",
                "possible",
            ]
        },
        "reachable": {"type": "boolean"},
        "span": SPAN,
        "label": {"type": "string"},
        "paths": {"type": "array", "items": {"type": "string"}},
        "destination": NULLABLE_STRING,
        "mount_type": NULLABLE_STRING,
    },
}
GRAPH_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "path", "target", "only_target", "nodes", "edges", "errors"],
    "properties": {
        "version": {"const": 1},
        "path": {"type": "string"},
        "target": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["index", "label"],
                    "properties": {"index": {"type": "integer"}, "label": {"type": "string"}},
                },
            ]
        },
        "only_target": {"type": "boolean"},
        "nodes": {"type": "array", "items": {"oneOf": [STAGE_NODE, OTHER_NODE]}},
        "edges": {"type": "array", "items": EDGE},
        "errors": {"type": "array", "items": FINDING},
    },
}


def _property_names(schema: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.get("properties", {}).items():
            names.add(key)
            names |= _property_names(value)
        for value in schema.values():
            if isinstance(value, (dict, list)):
                names |= _property_names(value)
    elif isinstance(schema, list):
        for item in schema:
            names |= _property_names(item)
    return names


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_json_follows_the_schema(path: Path) -> None:
    doc = json.loads(render(path, "json"))
    jsonschema.validate(doc, GRAPH_SCHEMA)
    ids = {n["id"] for n in doc["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in doc["edges"])


def test_readme_documents_every_json_field() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## dslint graph", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    missing = _property_names(GRAPH_SCHEMA) - documented
    assert not missing, f"README's dslint graph section does not document {sorted(missing)}"
    assert "```mermaid" in section, "the README shows a mermaid graph GitHub renders"


# -- what the picture says --------------------------------------------------------------


def edges_of(doc: dict[str, Any], kind: str) -> list[tuple[str, str]]:
    return [(e["source"], e["target"]) for e in doc["edges"] if e["kind"] == kind]


def test_case_insensitive_copy_from_is_a_stage_edge() -> None:
    doc = json.loads(render(GRAPH / "ten-stages.Dockerfile", "json"))
    # COPY --from=tools names the stage 'Tools': BuildKit matches it case-insensitively.
    assert ("stage:1", "stage:2") in edges_of(doc, "copy")
    assert not any(n["id"].lower() == "image:tools" for n in doc["nodes"])
    # COPY --from=7 is the unnamed alpine stage.
    assert ("stage:7", "stage:8") in edges_of(doc, "copy")
    # FROM runtime-${VARIANT} is runtime-static through the global ARG default.
    assert ("stage:8", "stage:9") in edges_of(doc, "from")


def test_target_reachability_and_only_target() -> None:
    path = GRAPH / "ten-stages.Dockerfile"
    doc = json.loads(render(path, "json"))
    faded = {n["label"] for n in doc["nodes"] if not n["reachable"]}
    assert faded == {"unit-test", "docs", "python:3.12-slim"}
    assert [n["label"] for n in doc["nodes"] if n.get("target")] == ["runtime"]

    only = json.loads(render(path, "json", only_target=True))
    labels = {n["label"] for n in only["nodes"]}
    assert labels.isdisjoint(faded)
    assert "scratch" in labels and "golang:1.22-bookworm" in labels
    assert all(n["reachable"] for n in only["nodes"]) and all(e["reachable"] for e in only["edges"])

    other = json.loads(render(path, "json", target_name="UNIT-TEST", only_target=True))
    assert {n["label"] for n in other["nodes"] if n["kind"] == "stage"} == {
        "base",
        "Tools",
        "generate",
        "build-server",
        "unit-test",
    }


def test_edge_styles_in_dot() -> None:
    dot = render(GRAPH / "mounts.Dockerfile", "dot")
    mount = [line for line in dot.splitlines() if '"stage:0" -> "stage:1"' in line]
    assert mount and 'style="dotted"' in mount[0] and "bind /app/node_modules" in mount[0]
    copy = [line for line in dot.splitlines() if '"stage:1" -> "stage:3"' in line]
    assert copy and 'style="dashed"' in copy[0]
    # Three paths copied: two are named, the rest counted.
    assert "+1" in copy[0] and "middleware.js" not in copy[0]
    image = [
        line for line in dot.splitlines() if line.strip().startswith('"image:busybox:1.36-musl" [')
    ]
    assert image and "dashed" in image[0]
    # The digest is shortened in the label but kept whole in the node id.
    assert "@sha256:6f1d2c3b…" in dot and "6f1d2c3b4a5968778695a4b3c2d1e0f9" in dot


def test_error_findings_mark_their_stage() -> None:
    path = GRAPH / "broken.Dockerfile"
    doc = json.loads(render(path, "json"))
    broken = [n["label"] for n in doc["nodes"] if n.get("broken")]
    assert broken == ["build"]
    build = next(n for n in doc["nodes"] if n["label"] == "build")
    assert build["errors"][0]["code"] == "DSL001" and build["errors"][0]["line"] == 5
    unresolved = {n["ref"] for n in doc["nodes"] if n["kind"] == "unresolved"}
    assert unresolved == {"$SRC", "7"}
    dot = render(path, "dot")
    assert re.search(r'"stage:0" \[[^\n]*color="#d00000"', dot)
    assert "class s0 broken" in render(path, "mermaid")
    # Through the command too, with the whole rule set.
    code, out, _ = run(graph_main, str(path), "--format", "json")
    assert code == 0 and json.loads(out)["nodes"][0]["broken"] is True


def test_labels_are_escaped() -> None:
    path = GRAPH / "escape-backtick.Dockerfile"
    mermaid = render(path, "mermaid")
    assert "`" not in mermaid.split("\n", 1)[1]
    assert "#quot;" in mermaid and "#lt;tag#gt;#35;1" in mermaid
    dot = render(path, "dot")
    assert r"C:\\out\\\"app\"" in dot  # backslashes and quotes escaped for DOT


@needs_dot
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_svg_parses_and_names_every_stage(path: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "graph.svg"
    code, _, err = run(graph_main, str(path), "--output", str(out_file))
    assert code == 0, err
    root = ET.parse(out_file).getroot()
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    for stage in load(path).stages:
        assert stage.label in texts, f"{stage.label} is not drawn"


@needs_dot
def test_png(tmp_path: Path) -> None:
    out_file = tmp_path / "g.png"
    code, _, err = run(graph_main, str(GRAPH / "mounts.Dockerfile"), "-o", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    code, _, err = run(graph_main, str(GRAPH / "mounts.Dockerfile"), "--format", "png")
    assert code == 2 and "--output" in err  # no binary on a text stream


def test_missing_graphviz_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_graph.shutil, "which", lambda name: None)
    code, out, err = run(graph_main, str(GRAPH / "mounts.Dockerfile"), "--format", "svg")
    assert code == 2 and out == ""
    assert "graphviz" in err and "--format dot" in err


def test_command_line() -> None:
    path = str(GRAPH / "ten-stages.Dockerfile")
    code, _, err = run(graph_main, path, "--target", "nope")
    assert code == 2 and "'nope' could not be found" in err and "build-server" in err
    code, _, err = run(graph_main, "no/such/Dockerfile")
    assert code == 2 and "no such file" in err
    code, out, _ = run(graph_main, path)  # not a terminal: DOT
    assert code == 0 and out.startswith("digraph")
    code, out, _ = run(graph_main, path, "--format", "tree", "--only-target")
    assert code == 0 and "not needed" not in out and "runtime (9)" in out


def test_rich_is_loaded_only_for_tree_and_table() -> None:
    code = (
        "import io, sys\n"
        "from dslint.analyze import graph_main\n"
        f"graph_main([{str(GRAPH / 'mounts.Dockerfile')!r}, '--format', 'mermaid'], io.StringIO(), io.StringIO())\n"
        "assert 'rich' not in sys.modules, 'rich imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_output_format_from_extension(tmp_path: Path) -> None:
    for name, check in (
        ("g.json", '"version": 1'),
        ("g.mmd", "flowchart LR"),
        ("g.dot", "digraph"),
    ):
        code, out, _ = run(graph_main, str(GRAPH / "mounts.Dockerfile"), "-o", str(tmp_path / name))
        assert code == 0 and out == ""
        assert check in (tmp_path / name).read_text(encoding="utf-8")


def test_subcommands_are_registered(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["graph", str(GRAPH / "mounts.Dockerfile"), "--format", "mermaid"]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR")
    assert cli_main(["stages", str(GRAPH / "mounts.Dockerfile"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["target"] == "stage-3"


# -- stages -------------------------------------------------------------------------------


def test_stages_report_of_ten_stages() -> None:
    code, out, _ = run(stages_main, str(GRAPH / "ten-stages.Dockerfile"), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    rows = {s["label"]: s for s in doc["stages"]}
    assert {k: v["role"] for k, v in rows.items()} == {
        "base": "build",
        "Tools": "build",
        "generate": "build",
        "build-server": "build",
        "build-cli": "build",
        "unit-test": "test",
        "docs": "unused",
        "stage-7": "build",
        "runtime-static": "runtime",
        "runtime": "runtime",
    }
    assert rows["build-server"]["base_image"] == "golang:1.22-bookworm"
    assert rows["build-server"]["via"] == ["generate", "base"]
    assert rows["runtime"]["base_image"] == "scratch"
    assert [c["from"] for c in rows["generate"]["copies_in"]] == ["Tools"]
    assert rows["unit-test"]["reachable"] is False
    assert "its name has" in rows["unit-test"]["role_reason"]
    assert rows["base"]["instructions"] == 5  # FROM included
    par = doc["parallelism"]
    assert par["levels"] == [
        ["base", "stage-7"],
        ["Tools"],
        ["generate"],
        ["build-server", "build-cli"],
        ["runtime-static"],
        ["runtime"],
    ]
    assert par["width"] == 2
    # base 5, Tools 2, generate 4, build-server 2, runtime-static 7, runtime 2.
    assert par["critical_path"] == [
        "base",
        "Tools",
        "generate",
        "build-server",
        "runtime-static",
        "runtime",
    ]
    assert par["critical_path_instructions"] == 22
    assert doc["shipped"] == ["runtime", "runtime-static"]
    chains = [c["chain"] for c in doc["reaches_final_image"]]
    assert ["stage-7", "runtime-static"] in chains
    assert ["Tools", "generate", "build-server", "runtime-static"] not in chains  # FROM, not COPY
    assert ["build-server", "runtime-static"] in chains


def test_copy_chains_follow_copies() -> None:
    df = parse(
        "FROM alpine AS a\nRUN make\nFROM alpine AS b\nCOPY --from=a /x /x\n"
        "FROM scratch\nCOPY --from=b /x /bin/x\nCOPY --from=busybox:1.36 /bin/sh /bin/sh\n"
    )
    report = stages_report(df)
    assert [c.stages for c in report.chains] == [["a", "b", "stage-2"], ["busybox:1.36", "stage-2"]]


def test_stages_table() -> None:
    code, out, _ = run(stages_main, str(GRAPH / "ten-stages.Dockerfile"))
    assert code == 0
    assert "critical path (22 instructions): base → Tools → generate" in out
    assert "widest level: 2 stages (level 0)" in out
    assert "stage-7 ⇒ runtime-static" in out
    assert "'unit-test' is a test stage" in out and "'docs' is unused" in out


def test_size_column_is_one_function(monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(GRAPH / "mounts.Dockerfile")
    monkeypatch.setattr(analyze, "estimated_size_mb", lambda image: 7.5)
    code, out, _ = run(stages_main, path)
    assert code == 0 and "size" in out.split("\n", 3)[2] and "~8 MB" in out
    code, out, _ = run(stages_main, path, "--format", "json")
    assert json.loads(out)["stages"][0]["estimated_size_mb"] == 7.5
    # Without sizes (no image knowledge base) there is no column at all.
    monkeypatch.setattr(analyze, "estimated_size_mb", lambda image: None)
    code, out, _ = run(stages_main, path)
    assert code == 0 and "size" not in out.split("\n", 3)[2]
    code, out, _ = run(stages_main, path, "--format", "json")
    assert "estimated_size_mb" not in json.loads(out)["stages"][0]


def test_shorten() -> None:
    assert analyze.shorten("/usr/share/zoneinfo") == "/usr/share/zoneinfo"
    long = "/very/long/path/to/some/deeply/nested/file.txt"
    short = analyze.shorten(long, 20)
    assert len(short) <= 20 and short.endswith("file.txt") and short.startswith("…/")
    assert analyze.shorten("x" * 50, 10) == "xxxxx…xxxx"


# -- the corpus ---------------------------------------------------------------------------


def _dot_errors(sources: list[str]) -> str:
    proc = subprocess.run(
        ["dot", "-Tsvg"], input="".join(sources).encode(), capture_output=True, timeout=300
    )
    return proc.stderr.decode(errors="replace") if proc.returncode or proc.stderr else ""


def test_corpus_graphs() -> None:
    """Every real Dockerfile gives a DOT graph; Graphviz renders each when installed."""
    files = sorted(p for p in corpus_dir("real").iterdir() if p.is_file())
    sources: list[str] = []
    for path in files:
        code, out, err = run(graph_main, str(path), "--format", "dot")
        assert code == 0, f"{path.name}: {err}"
        sources.append(out)
        code, out, err = run(stages_main, str(path), "--format", "json")
        assert code == 0, f"{path.name}: {err}"
    if not HAS_DOT:
        pytest.skip("Graphviz 'dot' is not installed: the DOT sources were not rendered")
    # One dot process renders them all (one SVG per graph); on an error, find the file.
    if _dot_errors(sources):
        bad = [f.name for f, src in zip(files, sources, strict=True) if _dot_errors([src])]
        pytest.fail(f"Graphviz cannot render the graphs of {bad}")
