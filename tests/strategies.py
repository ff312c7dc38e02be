"""Hypothesis strategies that write Dockerfiles from the grammar.

:func:`dockerfiles` draws whole files: parser directives (``syntax``, both
``escape`` characters), global ARGs, stages with aliases (valid and invalid
names, odd case), references that are valid, forward, self, numeric, out of
range, case-mismatched or made of variables (FROM, ``COPY --from``, ``RUN
--mount=from=``), ARG/ENV/LABEL in both forms, heredocs (several per line,
``<<-``, quoted delimiters, unterminated), continuation lines with comment and
blank lines inside, JSON and shell forms (valid JSON or not), ONBUILD, unknown
keywords, comments in odd places, indentation, unicode (including the
characters Go counts as white space), CRLF or LF, with or without a final
newline. The output is meant to stress the parser and the rules, not to build.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from dslint.parser import KEYWORDS as BUILDKIT_KEYWORDS

# Every instruction keyword except FROM, which the strategy writes itself.
KEYWORDS = tuple(sorted(BUILDKIT_KEYWORDS - {"FROM"}))

# Stage names: valid ones in odd case, and some BuildKit refuses.
STAGE_NAMES = st.sampled_from(
    ["build", "Builder", "BASE", "deps", "test-1", "final", "app.v2", "x_y", "b", "1st", "-x", "é"]
)
IMAGES = st.sampled_from(
    [
        "alpine",
        "alpine:3.20",
        "golang:1.22-alpine",
        "ghcr.io/org/repo:tag",
        "scratch",
        "busybox@sha256:" + "a" * 64,
        "localhost:5000/img",
        "${BASE}",
        "$BASE",
        "${BASE:-alpine}",
        "img-$VARIANT",
        "${IMAGE}:${TAG}",
        "build-${TARGETOS}",
    ]
)
VAR_NAMES = st.sampled_from(["BASE", "TAG", "VARIANT", "A", "b_1", "TARGETOS", "PASSWORD", "é"])

# Characters for free text: ordinary ones, shell and Dockerfile syntax, and unicode
# (accents, CJK, emoji, and the non-ASCII characters Go's unicode.IsSpace accepts).
_PLAIN = "abcxyzABC0189-_./:@"
_SYNTAX = " =$'\"{}[],\\`#;&|<>*?!()\t"
_UNICODE = "é中🐳\u00a0\u3000\u2028\u0085\x0b\x0c\r"
_ALPHABET = st.sampled_from(_PLAIN) | st.sampled_from(_SYNTAX) | st.sampled_from(_UNICODE)

PLAIN_WORDS = st.text(st.sampled_from(_PLAIN), min_size=1, max_size=8)
WORDS = st.one_of(
    PLAIN_WORDS,
    st.text(_ALPHABET, min_size=1, max_size=10),
    st.sampled_from(["$HOME", "${A:-${B:-c}}", '"quoted word"', "'single'", "a\\ b", "--", "-"]),
)
COMMENTS = st.builds(lambda t: "#" + t, st.text(_ALPHABET, max_size=12))


@st.composite
def _line_break(draw: st.DrawFn, escape: str) -> str:
    """A continuation: the escape character, maybe trailing blanks, then comment
    lines, blank lines and indentation BuildKit skips inside a continuation."""
    out = escape + draw(st.sampled_from(["", "", " ", "\t", "  "])) + "\n"
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["comment", "blank", "indented-comment"]))
        if kind == "comment":
            out += draw(COMMENTS) + "\n"
        elif kind == "indented-comment":
            out += "  " + draw(COMMENTS) + "\n"
        else:
            out += draw(st.sampled_from(["", " ", "\t"])) + "\n"
    return out + draw(st.sampled_from(["", "", "  ", "\t"]))


@st.composite
def _joined(draw: st.DrawFn, words: list[str], escape: str) -> str:
    """Words separated by blanks, some of the separators continuation lines."""
    out = ""
    for i, word in enumerate(words):
        if i:
            if draw(st.integers(0, 5)) == 0:
                out += draw(st.sampled_from([" ", ""])) + draw(_line_break(escape))
            else:
                out += draw(st.sampled_from([" ", " ", "  ", "\t"]))
        out += word
    return out


def _json_array(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False)


@st.composite
def _heredoc_instruction(draw: st.DrawFn, keyword: str) -> str:
    count = draw(st.integers(1, 3))
    names = draw(
        st.lists(
            st.sampled_from(["EOF", "END", "FILE1", "x", "E_2"]), min_size=count, max_size=count
        )
    )
    words: list[str] = []
    bodies: list[str] = []
    for name in names:
        chomp = draw(st.booleans())
        quote = draw(st.sampled_from(["", "", "'", '"']))
        fd = draw(st.sampled_from(["", "", "3"])) if keyword == "RUN" else ""
        words.append(f"{fd}<<{'-' if chomp else ''}{quote}{name}{quote}")
        body_lines = draw(
            st.lists(
                st.one_of(
                    st.text(_ALPHABET, max_size=16), st.sampled_from(["FROM x", "RUN y", "\\", ""])
                ),
                max_size=4,
            )
        )
        if chomp:
            body_lines = ["\t" + b for b in body_lines]
        terminator = ("\t" if chomp and draw(st.booleans()) else "") + name
        if draw(st.integers(0, 15)) == 0:
            terminator = name.lower() + "x"  # unterminated (or closed much later)
        bodies.append("".join(b + "\n" for b in body_lines) + terminator)
    head = f"{keyword} " + " ".join(words)
    if keyword in ("COPY", "ADD"):
        head += " " + draw(st.sampled_from(["/dst/", "/app/file", "."]))
    else:
        head += draw(st.sampled_from(["", " && echo done", " cat"]))
    return head + "\n" + "\n".join(bodies)


@st.composite
def _reference(draw: st.DrawFn, names: list[str], here: int) -> str:
    """What --from or from= names: an alias (any case), an index, a variable, an image."""
    choice = draw(st.integers(0, 5))
    if choice <= 1 and names:
        name = draw(st.sampled_from(names))
        return draw(st.sampled_from([name, name.upper(), name.capitalize()]))
    if choice == 2:
        return str(draw(st.integers(-1, here + 2)))
    if choice == 3:
        return draw(st.sampled_from(["$STAGE", "${STAGE}", "${A:-build}"]))
    return draw(IMAGES)


@st.composite
def _instruction(
    draw: st.DrawFn, escape: str, names: list[str], here: int, vars_: list[str]
) -> str:
    keyword = draw(st.sampled_from(KEYWORDS))
    words = draw(st.lists(WORDS, min_size=0, max_size=4))
    if keyword in ("RUN", "COPY", "ADD") and draw(st.integers(0, 3)) == 0:
        return str(draw(_heredoc_instruction(keyword)))
    if keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL") and draw(st.integers(0, 2)) == 0:
        form = draw(st.integers(0, 4))
        if form == 0:  # not JSON after all: BuildKit falls back to the shell form
            return f"{keyword} [{', '.join(words)}"
        if form == 1:
            return f'{keyword} ["a", 1]'  # JSON, but not strings
        if form == 2:  # Go's decoder stops after the array; odd escapes
            junk = draw(st.sampled_from(["", " junk", "]", ' ["b"]', ",", '["\\ud800"]']))
            return f"{keyword} {_json_array(words)}{junk}"
        return f"{keyword} {_json_array(words)}"
    flags: list[str] = []
    if keyword == "COPY" and draw(st.booleans()):
        flags.append(f"--from={draw(_reference(names, here))}")
    if keyword == "RUN" and draw(st.integers(0, 2)) == 0:
        ref = draw(_reference(names, here))
        typ = draw(st.sampled_from(["cache", "bind", "secret", "type=tmpfs"]))
        flags.append(f"--mount=type={typ},target=/t,from={ref}")
    if keyword in ("COPY", "ADD") and draw(st.integers(0, 3)) == 0:
        flags.append(draw(st.sampled_from(["--chown=1:1", "--link", "--chmod=755", '--x="a b"'])))
    if keyword in ("ARG", "ENV", "LABEL") and vars_:
        key = draw(st.sampled_from(vars_))
        value = draw(st.one_of(PLAIN_WORDS, WORDS, st.just('"a b"'), st.just("")))
        form = draw(st.integers(0, 3))
        if form == 0 and keyword != "ARG":
            words = [key, value]  # legacy ``ENV key value``
        elif form == 1 and keyword == "ARG":
            words = [key]
        else:
            words = [f"{key}={value}", *words[:1]]
    if keyword == "ONBUILD":
        inner = draw(
            st.sampled_from(["RUN echo hi", "COPY a b", "ONBUILD RUN x", "FROM x", "RUN <<EOF"])
        )
        words = [inner]
    if keyword == "HEALTHCHECK":
        words = [draw(st.sampled_from(["NONE", "CMD", "--interval=5s CMD"])), *words]
    head = draw(st.sampled_from([keyword, keyword, keyword.lower(), keyword.capitalize()]))
    return str(draw(_joined([head, *flags, *words], escape)))


@st.composite
def _from(draw: st.DrawFn, escape: str, names: list[str], here: int) -> tuple[str, str | None]:
    parts = ["FROM"]
    if draw(st.integers(0, 4)) == 0:
        parts.append(draw(st.sampled_from(["--platform=$BUILDPLATFORM", "--platform=linux/amd64"])))
    base = draw(IMAGES) if not names or draw(st.booleans()) else draw(st.sampled_from(names))
    if names and draw(st.integers(0, 6)) == 0:
        base = base.upper()  # FROM Builder where the stage is `builder`
    parts.append(base)
    alias = None
    shape = draw(st.integers(0, 9))
    if shape <= 6:
        alias = draw(STAGE_NAMES)
        parts += [draw(st.sampled_from(["AS", "as", "As"])), alias]
    elif shape == 7:
        parts.append("AS")  # FROM with two arguments
    elif shape == 8:
        parts += ["extra", "words", "here"]
    return str(draw(_joined(parts, escape))), alias


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    """A whole Dockerfile as text."""
    lines: list[str] = []
    escape = "\\"
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["# syntax=docker/dockerfile:1", "#syntax = x"])))
    if draw(st.integers(0, 3)) == 0:
        escape = draw(st.sampled_from(["`", "\\"]))
        lines.append(f"# escape={escape}")
    if draw(st.integers(0, 10)) == 0:
        lines.append(
            draw(
                st.sampled_from(
                    [
                        "# escape=x",
                        "# check=skip=all",
                        "#   escape = `",
                        "#\u00a0escape=`",
                        "#escape=  ",
                    ]
                )
            )
        )
    vars_ = draw(st.lists(VAR_NAMES, min_size=0, max_size=3, unique=True))
    for var in vars_:
        if draw(st.booleans()):
            default = draw(st.sampled_from(["", "=alpine", "=build", "=${BASE}-x", '="a b"']))
            lines.append(f"ARG {var}{default}")
    names: list[str] = []
    for here in range(draw(st.integers(0, 4))):
        text, alias = draw(_from(escape, names, here))
        lines.append(text)
        if alias is not None:
            names.append(alias)
        for _ in range(draw(st.integers(0, 5))):
            if draw(st.integers(0, 6)) == 0:
                lines.append(draw(st.sampled_from(["", "   ", "\t", draw(COMMENTS), "  # note"])))
            lines.append(draw(_instruction(escape, names, here, vars_)))
    if draw(st.integers(0, 8)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["FORM x", "foo bar"])))
    if draw(st.integers(0, 4)) == 0:
        indent = draw(st.sampled_from(["  ", "\t", "\u00a0"]))
        lines = [indent + line if line else line for line in lines]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text += "\n"
    if draw(st.integers(0, 3)) == 0:
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 20)) == 0:
        text = "\ufeff" + text
    return text
