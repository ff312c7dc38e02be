"""Properties of dslint on Dockerfiles generated from the grammar (tests/strategies.py).

For every generated file:

- no exception escapes parsing, the stage graph, the rules or any report format;
- every finding's span lies inside the file;
- linting is deterministic (twice in a row; and across hash seeds in a subprocess);
- the model round-trips: every line of the file is accounted for exactly once (a
  comment, directive or blank line; a line of exactly one instruction's logical
  line, in order; or a heredoc body or terminator line of that instruction), the
  instruction's logical text is exactly its lines joined with the continuation
  characters removed, heredoc bodies are exactly their source lines, and the
  tokens we can slice back (keywords, flags, raw arguments, ARG/ENV keys, heredoc
  words) are the source text at their spans;
- BuildKit's own parser (the ``dockerfile`` package) agrees with the model on
  every generated file it accepts, and when it rejects a file dslint reports a
  problem too;
- the stage graph's queries match the same queries computed with networkx.

The suite runs a small profile (``DSLINT_FUZZ_EXAMPLES``, default 150);
``bench/fuzz.py`` runs the same checks over 100,000 and more.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dslint.config import Settings
from dslint.engine import lint_dockerfile
from dslint.graph import StageGraph, stage_node
from dslint.model import Dockerfile, Span
from dslint.parser import (
    GO_SPACE,
    KEYWORDS,
    PLATFORM_ARG_VALUES,
    _substitute,
    expand,
    name_globs,
    name_matches,
    parse,
)
from dslint.reporters import FORMATS, FileResult
from dslint.rule import Finding

from oracle import differences, our_view
from strategies import dockerfiles

try:
    import dockerfile as buildkit
except ImportError:  # the oracle has wheels for x86_64 Linux only
    buildkit = None

EXAMPLES = int(os.environ.get("DSLINT_FUZZ_EXAMPLES", "150"))
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- the checks (bench/fuzz.py runs them too) ------------------------------------


def _continuation(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"(?:(?<=[^{e}])|^){e}[ \t]*$")


def _blank(line: str) -> bool:
    return not line.strip(GO_SPACE)


def _comment(line: str) -> bool:
    return line.lstrip(GO_SPACE).startswith("#")


def span_problems(span: Span, lines: list[str], what: str) -> list[str]:
    """Why ``span`` does not lie inside the file (empty when it does)."""
    last = max(len(lines), 1)
    line_len = [len(x) for x in lines] or [0]
    ok = (
        1 <= span.line <= span.end_line <= last
        and (span.line, span.column) <= (span.end_line, span.end_column)
        and 1 <= span.column <= line_len[span.line - 1] + 1
        and 1 <= span.end_column <= line_len[span.end_line - 1] + 1
    )
    return [] if ok else [f"{what} has span {span} outside the file ({len(lines)} lines)"]


def roundtrip_problems(df: Dockerfile) -> list[str]:
    """Where the model does not give back the source (see the module docstring)."""
    lines = df.lines
    raw = df.text.split("\n")
    cont = _continuation(df.escape)
    owner: list[int | None] = [None] * len(lines)
    out: list[str] = []

    def own(row: int, k: int) -> None:
        if owner[row] is not None:
            out.append(f"line {row + 1} belongs to instructions {owner[row]} and {k}")
        owner[row] = k

    def text_at(span: Span) -> str | None:
        if span.line != span.end_line or not 1 <= span.line <= len(lines):
            return None
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]

    previous_end = 0
    for k, ins in enumerate(df.instructions):
        s = ins.span
        if s.line <= previous_end:
            out.append(f"instruction {k} starts at line {s.line}, inside the one before")
        previous_end = s.end_line
        # The logical line: the keyword's line from the keyword on, then continuation lines.
        row = s.line - 1
        text = lines[row][s.column - 1 :]
        pieces: list[str] = []
        while True:
            own(row, k)
            m = cont.search(text)
            pieces.append(text[: m.start()] if m else text)
            if m is None:
                break
            row += 1
            while row < len(lines) and (_comment(lines[row]) or _blank(lines[row])):
                own(row, k)
                row += 1
            if row >= len(lines):
                row -= 1  # the file ends inside the continuation
                break
            text = lines[row]
        if "".join(pieces) != ins.original:
            out.append(f"instruction {k}: lines give {''.join(pieces)!r}, model {ins.original!r}")
        # Heredoc bodies and terminators follow, in order.
        for h in ins.heredocs:
            if h.body_line != row + 2:
                out.append(
                    f"instruction {k}: heredoc {h.name} body at {h.body_line}, not {row + 2}"
                )
                break
            count = h.body.count("\n") + (1 if h.body and not h.body.endswith("\n") else 0)
            rows = range(row + 1, min(row + 1 + count, len(lines)))
            body = "".join(raw[r] + "\n" for r in rows)
            if not df.text.endswith("\n") and rows and rows[-1] == len(lines) - 1:
                body = body[:-1]
            if body != h.body:
                out.append(f"instruction {k}: heredoc {h.name} body {h.body!r}, lines {body!r}")
            for r in rows:
                own(r, k)
            row += count
            if row + 1 < len(lines) and row + 1 < s.end_line:
                row += 1  # the terminator line
                own(row, k)
                term = lines[row].lstrip("\t") if h.chomp else lines[row]
                if term != h.name:
                    out.append(f"instruction {k}: heredoc {h.name} ends at {term!r}")
        if s.end_line != row + 1:
            out.append(f"instruction {k}: span ends at line {s.end_line}, its lines at {row + 1}")
        # Tokens that are the source text at their span.
        tokens = [(ins.keyword_token.text, ins.keyword_token.span)]
        if ins.inner is not None:
            tokens.append((ins.inner.keyword_token.text, ins.inner.keyword_token.span))
        if ins.keyword in ("FROM", "EXPOSE", "ARG") or (
            ins.keyword in ("ADD", "COPY") and not ins.json
        ):
            tokens += [(a.text, a.span) for a in ins.args]
        tokens += [(kv.key, kv.key_span) for kv in ins.key_values]
        for want, span in tokens:
            got = text_at(span)
            if got is not None and got != want:
                out.append(f"instruction {k}: token {want!r} but its span holds {got!r}")
        for flag in ins.flags:
            got = text_at(flag.span)
            if got is not None and not got.startswith("--"):
                out.append(f"instruction {k}: flag --{flag.name} span holds {got!r}")
        for h in ins.heredocs:
            got = text_at(h.span)
            if got is not None and "<<" not in got:
                out.append(f"instruction {k}: heredoc {h.name} span holds {got!r}")
    for row, who in enumerate(owner):
        line = lines[row]
        if who is None and not (_blank(line) or _comment(line)):
            out.append(f"line {row + 1} {line!r} belongs to no instruction")
    return out


def graph_problems(df: Dockerfile) -> list[str]:
    """The plain-Python graph queries against networkx on the same graph."""
    import networkx as nx

    graph = StageGraph(df)
    g = graph.nx
    out = []
    for stage in df.stages:
        i = stage.index
        node = stage_node(i)
        ancestors = nx.ancestors(g, node) | {node}
        reach = {g.nodes[n]["stage"] for n in ancestors if g.nodes[n]["kind"] == "stage"}
        deps = {g.nodes[u]["stage"] for u in g.predecessors(node) if g.nodes[u]["kind"] == "stage"}
        dependents = {g.nodes[v]["stage"] for v in g.successors(node)}
        if graph.reachable(i) != reach:
            out.append(f"reachable({i}) = {graph.reachable(i)}, networkx {reach}")
        if graph.dependencies(i) != deps:
            out.append(f"dependencies({i}) = {graph.dependencies(i)}, networkx {deps}")
        if graph.dependents(i) != dependents:
            out.append(f"dependents({i}) = {graph.dependents(i)}, networkx {dependents}")
    order = graph.topological_order()
    position = {s: k for k, s in enumerate(order)}
    if sorted(order) != list(range(len(df.stages))):
        out.append(f"topological_order() = {order} misses stages")
    for u, v in g.edges():
        a, b = g.nodes[u], g.nodes[v]
        if a["kind"] == "stage" and position[a["stage"]] > position[b["stage"]]:
            out.append(f"topological_order() puts {b['stage']} before {a['stage']}")
    return out


def render_all(results: list[FileResult]) -> dict[str, str]:
    """Every report format the CLI offers, rendered through the CLI itself."""
    from dslint import cli

    out = {}
    for fmt in FORMATS:
        buf = io.StringIO()
        args = cli.build_parser().parse_args(["--format", fmt, "--no-color"])
        render = getattr(cli, "render_results", None)
        if render is not None:  # a CLI that exposes its rendering step
            render(results, args, buf)
        elif fmt == "json":
            from dslint.reporters import json as json_report

            json_report.render(results, buf)
        else:
            from dslint.reporters import text

            text.render(results, buf, color=False)
        out[fmt] = buf.getvalue()
    return out


def _comparable(command: Any, df: Dockerfile, i: int) -> Any:
    # BuildKit reads flag words byte by byte (extractBuilderFlags: rune(line[pos])):
    # each byte of a non-ASCII character becomes a Latin-1 character ("é" is "Ã©"),
    # and the continuation bytes 0x85 and 0xA0 count as blanks that end the word.
    # dslint keeps the characters; for such an instruction compare all but the
    # flags and arguments.
    if any(any("\x80" <= ch <= "\xff" for ch in f) for f in command.flags) and i < len(
        df.instructions
    ):
        ours = our_view(df.instructions[i])
        command = command._replace(flags=ours[5], value=ours[6])
    # ONBUILD RUN <<EOF: BuildKit hangs the heredocs on the trigger's node, which the
    # binding does not read (it reports none); the lines they take still agree.
    if command.sub_cmd and not command.heredocs and i < len(df.instructions):
        ours = df.instructions[i].heredocs
        command = command._replace(
            heredocs=tuple(
                SimpleNamespace(name=h.name, file_descriptor=h.fd, content=h.body) for h in ours
            )
        )
    if (command.sub_cmd or command.cmd).upper() not in KEYWORDS and command.value == ("",):
        return command._replace(value=())
    if (command.sub_cmd or "").upper() == "ONBUILD" and i < len(df.instructions):
        inner = df.instructions[i].inner
        if inner is not None and inner.keyword == "ONBUILD":
            return command._replace(value=tuple(a.text for a in inner.args))
    return command


def check_file(text: str, oracle: bool = True) -> list[str]:
    """Every property for one file; the list of violations (empty: all hold)."""
    df = parse(text, "Dockerfile")
    problems = roundtrip_problems(df)
    findings: list[Finding] = []
    for target in (None, "build", "final"):
        settings_ = Settings(target=target)
        first = lint_dockerfile(df, settings_)
        again = lint_dockerfile(parse(text, "Dockerfile"), settings_)
        if first != again:
            problems.append(f"linting is not deterministic (target {target})")
        findings += first
    for f in findings:
        problems += span_problems(f.span, df.lines, f"{f.code} {f.message!r}")
    for p in df.problems:
        problems += span_problems(p.span, df.lines, f"problem {p.message!r}")
    render_all([FileResult("Dockerfile", findings, df.lines)])
    if oracle and buildkit is not None and "\x00" not in text:
        try:
            commands = buildkit.parse_string(text)
        except UnicodeDecodeError:
            pass  # the binding cannot hand back what BuildKit made of bytes (see _comparable)
        except buildkit.GoParseError as exc:
            if not df.problems:
                problems.append(f"BuildKit rejects the file ({exc}) and dslint finds no problem")
        else:
            # BuildKit's line parser keeps no arguments for an unknown keyword (its
            # parseIgnore gives one empty value); the instruction parser then rejects
            # the file, and so does dslint (DSL001). Compare the rest.
            # Likewise ``ONBUILD ONBUILD x``: BuildKit nests a node whose value is empty
            # and rejects the trigger later (so does dslint).
            commands = [_comparable(c, df, i) for i, c in enumerate(commands)]
            problems += differences(df, commands)
    return problems


# -- the suite's profile -----------------------------------------------------------


@PROFILE
@given(dockerfiles())
def test_generated_files_keep_every_property(text: str) -> None:
    problems = check_file(text)
    assert not problems, "\n".join(problems) + f"\n--- file ---\n{text!r}"


@settings(PROFILE, max_examples=max(EXAMPLES // 5, 10))
@given(dockerfiles())
def test_graph_queries_match_networkx(text: str) -> None:
    df = parse(text)
    problems = graph_problems(df)
    assert not problems, "\n".join(problems) + f"\n--- file ---\n{text!r}"


@settings(PROFILE, max_examples=1)
@given(st.lists(dockerfiles(), min_size=25, max_size=25))
def test_cli_output_is_the_same_across_hash_seeds_and_pool_sizes(
    tmp_path_factory: Any, texts: list[str]
) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the pool changes who
    lints what: neither may change the output."""
    folder = Path(tmp_path_factory.mktemp("generated"))
    for i, text in enumerate(texts):
        (folder / f"{i:02d}.Dockerfile").write_text(text, encoding="utf-8", newline="")
    outputs = set()
    for seed, jobs in (("1", "1"), ("2", "2"), ("3", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "dslint", "--format", "json", "--jobs", jobs, str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert "Traceback" not in run.stderr
        outputs.add((run.returncode, run.stdout, run.stderr))
        json.loads(run.stdout)
    assert len(outputs) == 1


# -- the hand-written scanners against the regular expressions they replace ---------

_EXPANSION = re.compile(
    r"\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)"
)
_DOLLAR_TEXT = st.text(st.sampled_from("$${}\\:-+?ab_1 x"), max_size=24)
_VALUES = st.dictionaries(
    st.sampled_from(["a", "b", "ab", "_1"]), st.none() | st.sampled_from(["", "v", "$a"])
)


def _expand_by_regex(text: str, values: dict[str, str | None], unknown: str | None) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "\\$":
            return "$"
        name = m.group(1) or m.group(4)
        return _substitute(m.group(0), values.get(name), m.group(2), m.group(3) or "", unknown)

    return _EXPANSION.sub(sub, text)


@settings(PROFILE, max_examples=EXAMPLES * 2)
@given(_DOLLAR_TEXT, _VALUES, st.sampled_from(["", None, "?"]))
def test_expand_agrees_with_its_regular_expression(
    text: str, values: dict[str, str | None], unknown: str | None
) -> None:
    assert expand(text, values, unknown) == _expand_by_regex(text, values, unknown)


@settings(PROFILE, max_examples=EXAMPLES * 2)
@given(
    _DOLLAR_TEXT | st.sampled_from(["tool-${TARGETOS}", "$TARGETARCH-x", "${BUILDOS}${A}"]),
    st.text(st.sampled_from("ab-x"), max_size=8)
    | st.sampled_from(["tool-linux", "arm64-x", "tool-src", "linuxab"]),
)
def test_from_globs_agree_with_their_regular_expression(pattern: str, name: str) -> None:
    variable = r"(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)"

    def piece(part: str) -> str:
        if not re.fullmatch(variable, part):
            return re.escape(part)
        values = PLATFORM_ARG_VALUES.get(part.strip("${}"))
        return "(?:" + "|".join(map(re.escape, values)) + ")" if values else ".*"

    regex = "".join(piece(part) for part in re.split(variable, pattern) if part)
    expected = re.match(regex + r"\Z", name) is not None
    globs = name_globs(pattern)
    assert (globs is None or name_matches(globs, name)) == expected


@settings(PROFILE, max_examples=EXAMPLES * 2)
@given(st.text(st.sampled_from("# =escape`\\\t\u00a0x"), max_size=20))
@example("#\u00a0escape=`")  # found by this test: Go's \s is ASCII, unicode.IsSpace is not
@example("# escape=   ")
@example("#escape\t=\t`\t")
def test_directives_read_as_buildkits_regular_expression(line: str) -> None:
    """BuildKit's reDirective (RE2, where \\s is [\\t\\n\\f\\r ]) on the first line."""
    go = re.match(
        r"^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$", line
    )
    df = parse(line + "\nFROM scratch\n")
    ours = [(d.name, d.value) for d in df.directives]
    if go is None or go.group(1).lower() not in ("syntax", "escape", "check"):
        assert ours == []
    else:
        assert ours == [(go.group(1).lower(), go.group(2))]
