"""Measure candidate shell parsers on the RUN scripts of the corpus.

Usage: python bench/shell_parsers.py [CORPUS_DIR]   (default ../shared/corpus/real)

Extracts every RUN script (shell form text, heredoc bodies run by the shell,
``sh -c`` in exec form) and reports, per parser, how many fail to parse and
the total time. bashlex and tree-sitter-bash are optional: install them to
measure them. The result decided what ``dslint.shell`` is (see its docstring).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dslint.parser import parse
from dslint.shell import scan


def scripts(root: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        df = parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
        for ins in df.instructions:
            if ins.keyword != "RUN":
                continue
            if ins.json:
                args = [a.text for a in ins.args]
                if len(args) >= 3 and args[0].split("/")[-1] in ("sh", "bash") and args[1] == "-c":
                    out.append(args[2])
                continue
            if ins.heredocs:
                out.extend(h.content for h in ins.heredocs)
            elif ins.rest is not None:
                out.append(ins.rest.text)
    return out


def measure(name: str, texts: list[str], fn: Callable[[str], object]) -> None:
    failures = 0
    start = time.perf_counter()
    for text in texts:
        try:
            fn(text)
        except Exception:  # noqa: PERF203 - counting failures is the point
            failures += 1
    elapsed = time.perf_counter() - start
    print(
        f"{name:16} {failures:4d}/{len(texts)} failed ({100 * failures / len(texts):.1f}%), "
        f"{elapsed * 1000:.0f} ms total, {elapsed * 1e6 / len(texts):.0f} us/script"
    )


def _tree_sitter_names(parser: Any, text: str) -> list[str] | None:
    tree = parser.parse(text.encode())
    if tree.root_node.has_error:
        return None
    names: list[str] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in ("simple_expansion", "expansion"):
            for child in node.children:
                if child.type == "variable_name":
                    names.append(child.text.decode())
                    break
        stack.extend(node.children)
    return sorted(names)


def agreement(texts: list[str], parser: Any) -> None:
    """Do dslint.shell and tree-sitter-bash see the same expansions (as a
    multiset of names) in the scripts tree-sitter parses without error?"""
    same = differ = extra_ours = extra_theirs = 0
    for text in texts:
        theirs = _tree_sitter_names(parser, text)
        if theirs is None:
            continue
        ours = sorted(e.name for e in scan(text).expansions)
        if ours == theirs:
            same += 1
            continue
        differ += 1
        a, b = Counter(ours), Counter(theirs)
        extra_ours += sum((a - b).values())
        extra_theirs += sum((b - a).values())
    print(
        f"expansions: same names in {same}/{same + differ} scripts; where they differ, "
        f"{extra_ours} seen only by dslint.shell, {extra_theirs} only by tree-sitter"
    )


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/real")
    texts = scripts(root)
    print(f"{len(texts)} RUN scripts from {root}")
    measure("dslint.shell", texts, scan)
    try:
        import bashlex

        measure("bashlex", texts, bashlex.parse)
    except ImportError:
        print("bashlex not installed")
    try:
        import tree_sitter
        import tree_sitter_bash

        lang = tree_sitter.Language(tree_sitter_bash.language())
        parser = tree_sitter.Parser(lang)

        def ts(text: str) -> None:
            tree = parser.parse(text.encode())
            if tree.root_node.has_error:
                raise ValueError("syntax error node")

        measure("tree-sitter-bash", texts, ts)
        agreement(texts, parser)
    except ImportError:
        print("tree-sitter-bash not installed")


if __name__ == "__main__":
    main()
