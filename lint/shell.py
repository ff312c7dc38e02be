"""A conservative scanner for the variables of shell text and builder words.

Two readers of ``$NAME`` live here:

* :func:`scan` reads shell text (a RUN command line, a RUN heredoc body, the
  script of ``sh -c``): every ``$NAME``/``${NAME...}`` the shell would expand,
  with its offsets, plus the names the script sets itself (``X=1 cmd``,
  ``export``, ``for X in``, ``read X``, ``local``, ``${X:=d}``, ``((i++))``,
  ...) and whether it runs something that may set anything (``source``,
  ``.``, ``eval``). Quoting follows POSIX sh: nothing expands inside single
  quotes or ``$'...'``, ``\\$X`` is literal, ``#`` starts a comment at the
  start of a word, ``<<'EOF'`` bodies are literal.
* :func:`expansions` reads a word the way BuildKit's own lexer expands it in
  COPY, ENV, WORKDIR, FROM, ... (single quotes literal, the Dockerfile escape
  character before ``$`` makes it literal).

Why a scanner of our own and not a shell parser: measured on the 2,082 RUN
scripts of the real corpus (``bench/shell_parsers.py``), bashlex failed on
80 (3.8%, mostly every ``case`` statement, the usual TARGETARCH switch) at
~0.5 ms a script, and tree-sitter-bash failed on 20 (1.0%) and would add two
compiled runtime dependencies. What the rules need is only lexical: where
the expansions are, and which names the script may set. The assignment side
is deliberately generous (any ``NAME=`` that starts a word counts, wherever
it is), so that an unusual construct costs a missed finding, never a false
one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SPECIAL_PARAMETERS = frozenset("@*#?-$!0123456789")

# Variables the shell itself (or the container runtime) provides to a RUN.
SHELL_VARIABLES = frozenset(
    {
        "BASH",
        "BASHOPTS",
        "BASHPID",
        "BASH_ARGC",
        "BASH_ARGV",
        "BASH_COMMAND",
        "BASH_LINENO",
        "BASH_REMATCH",
        "BASH_SOURCE",
        "BASH_SUBSHELL",
        "BASH_VERSINFO",
        "BASH_VERSION",
        "COLUMNS",
        "DIRSTACK",
        "EPOCHREALTIME",
        "EPOCHSECONDS",
        "EUID",
        "FUNCNAME",
        "GROUPS",
        "HOME",
        "HOSTNAME",
        "HOSTTYPE",
        "IFS",
        "LINENO",
        "LINES",
        "LOGNAME",
        "MACHTYPE",
        "OLDPWD",
        "OPTARG",
        "OPTIND",
        "OSTYPE",
        "PATH",
        "PIPESTATUS",
        "PPID",
        "PS1",
        "PS2",
        "PS4",
        "PWD",
        "RANDOM",
        "REPLY",
        "SECONDS",
        "SHELL",
        "SHELLOPTS",
        "SHLVL",
        "SRANDOM",
        "TERM",
        "UID",
        "USER",
    }
)

# A word that starts with NAME= or NAME+= (or NAME[i]=): an assignment.
_ASSIGNMENT = re.compile(r"(?:^|(?<=[\s;&|(){}`\"']))([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]\s]*\])?\+?=")
# Commands whose plain word arguments are names they set.
_DECLARING = re.compile(
    r"(?:^|(?<=[\s;&|(){}`]))(?:export|local|declare|typeset|readonly|read|getopts|"
    r"mapfile|readarray|let|unset|for|select)(?=\s)([^;&|()\n<>`]*)"
)
_PRINTF_V = re.compile(r"\bprintf\s+-v\s+([A-Za-z_][A-Za-z0-9_]*)")
_ASSIGN_DEFAULT = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?=")
_ARITHMETIC = re.compile(r"\(\((.*?)\)\)", re.DOTALL)
_ARITH_ASSIGN = re.compile(
    r"(?:\+\+|--)\s*([A-Za-z_][A-Za-z0-9_]*)|(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\+\+|--|(?:<<|>>|[-+*/%&|^])?=(?!=))"
)
# Commands after which any name may be set: source, ., eval, set -a.
_OPAQUE = re.compile(
    r"(?:^|(?<=[\s;&|(){}`]))(?:source|\.|eval)\s|\bset\s+-[a-zA-Z]*a|"
    r"\b(?:export|declare|local|typeset|readonly)\s+[^;&|\n]*\$"
)
_HEREDOC_START = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z0-9_.\-]+)\2")


@dataclass(frozen=True, slots=True)
class Expansion:
    """One ``$NAME`` or ``${NAME...}``: offsets into the scanned text
    (``end`` exclusive), and the operator after the name, if any
    (``:-``, ``-``, ``:+``, ``+``, ``:?``, ``?``, ``:=``, ``=``, ``#``,
    ``%``, ``/``, ``:`` for a substring)."""

    name: str
    start: int
    end: int
    braced: bool = False
    operator: str | None = None

    @property
    def has_default(self) -> bool:
        """``${X:-d}``, ``${X-d}``, ``${X:=d}``, ``${X=d}``: the text copes with X unset."""
        return self.operator in (":-", "-", ":=", "=")

    @property
    def conditional(self) -> bool:
        """The expansion tolerates X unset or says what to do then."""
        return self.operator in (":-", "-", ":=", "=", ":+", "+", ":?", "?")


@dataclass(frozen=True, slots=True)
class ShellScan:
    """What a piece of shell text expands and sets."""

    expansions: tuple[Expansion, ...]
    assigned: frozenset[str]  # names the text sets itself
    opaque: bool  # runs source/./eval/set -a: it may set any name

    def is_local(self, name: str) -> bool:
        """True when the shell text itself may have given ``name`` its value."""
        return self.opaque or name in self.assigned or name in SHELL_VARIABLES


class _BraceEnds:
    """Where each ``${`` body of one text ends, found in one pass per outermost
    brace: nested ``${a:-${b:-...`` bodies are matched together, so reading
    every expansion of a text stays linear (a scan per body would be quadratic
    on unclosed nesting)."""

    __slots__ = ("_ends", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._ends: dict[int, int] = {}

    def __call__(self, i: int) -> int:
        """Index just after the ``}`` closing the ``${`` whose body starts at ``i``."""
        ends = self._ends
        if i in ends:
            return ends[i]
        text = self._text
        n = len(text)
        open_bodies = [i]
        j = i
        while j < n and open_bodies:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "'":
                k = text.find("'", j + 1)
                j = n if k < 0 else k + 1
                continue
            if ch == "$" and j + 1 < n and text[j + 1] == "{":
                open_bodies.append(j + 2)
                j += 2
                continue
            if ch == "}":
                ends[open_bodies.pop()] = j + 1
            j += 1
        for body in open_bodies:
            ends[body] = n
        return ends[i]


def _operator(text: str, i: int) -> str | None:
    """The operator of ``${NAME<op>...}`` starting at ``i`` (just after NAME)."""
    if i >= len(text) or text[i] == "}":
        return None
    ch = text[i]
    if ch == ":":
        nxt = text[i + 1] if i + 1 < len(text) else ""
        return ":" + nxt if nxt and nxt in "-+?=" else ":"
    return ch


def _dollar(text: str, i: int, out: list[Expansion], brace_end: _BraceEnds) -> tuple[int, bool]:
    """Read the expansion at ``text[i] == '$'``. Returns where to continue and
    whether a ``${`` body was entered (the caller scans inside it)."""
    n = len(text)
    if i + 1 >= n:
        return i + 1, False
    nxt = text[i + 1]
    if nxt == "{":
        body = i + 2
        if body < n and text[body] in "#!" and body + 1 < n and text[body + 1] != "}":
            # ${#X} (length) and ${!X} (indirection): not a use of the environment
            return brace_end(body), False
        m = _NAME.match(text, body)
        if m is None:
            return brace_end(body), False  # ${1}, ${@}, ${?}: specials
        end = brace_end(body)
        op = _operator(text, m.end())
        if op is not None and op[0] not in ":-+?=#%/^,@[":
            return end, False  # ${a.b}: a bad substitution, not a variable
        out.append(Expansion(m.group(0), i, end, True, op))
        return m.end(), True
    m = _NAME.match(text, i + 1)
    if m is not None:
        out.append(Expansion(m.group(0), i, m.end()))
        return m.end(), False
    if nxt in SPECIAL_PARAMETERS:
        return i + 2, False
    return i + 1, False


def expansions(text: str, escape: str = "\\") -> list[Expansion]:
    """The variables BuildKit's lexer expands in ``text`` (a builder word such
    as a COPY source, an ENV value or a FROM image): ``$X``, ``${X}``,
    ``${X:-d}`` (and the variables inside ``d``); nothing inside single
    quotes; ``<escape>$X`` is literal."""
    out: list[Expansion] = []
    brace_end = _BraceEnds(text)
    i, n = 0, len(text)
    in_double = False
    while i < n:
        ch = text[i]
        if ch == escape:
            i += 2
            continue
        if ch == "'" and not in_double:
            j = text.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if ch == '"':
            in_double = not in_double
        elif ch == "$":
            i, _ = _dollar(text, i, out, brace_end)
            continue
        i += 1
    return out


def _heredoc_literal_ranges(text: str) -> list[tuple[int, int]]:
    """Bodies of here-documents inside shell text whose delimiter is quoted
    (``<<'EOF'``): the shell expands nothing there."""
    ranges: list[tuple[int, int]] = []
    for m in _HEREDOC_START.finditer(text):
        if text.startswith("<<<", m.start()):
            continue
        line_end = text.find("\n", m.end())
        if line_end < 0:
            continue
        delim = m.group(3)
        strip_tabs = m.group(1) == "-"
        pos = line_end + 1
        end = len(text)
        while pos < len(text):
            nl = text.find("\n", pos)
            line = text[pos : nl if nl >= 0 else len(text)]
            if (line.lstrip("\t") if strip_tabs else line) == delim:
                end = pos
                break
            if nl < 0:
                break
            pos = nl + 1
        if m.group(2):
            ranges.append((line_end + 1, end))
        else:
            # an unquoted body expands, but its quotes are plain characters:
            # mark it so the scanner reads it in here-document mode
            ranges.append((-(line_end + 1), end))
    return ranges


def scan(text: str, *, heredoc: bool = False) -> ShellScan:
    """Scan shell text: its expansions (outside single quotes, comments and
    quoted here-documents) and the names it sets. With ``heredoc=True`` the
    text is the body of an unquoted here-document: quotes are plain
    characters there, only ``$`` and backquotes expand."""
    out: list[Expansion] = []
    brace_end = _BraceEnds(text)
    special = _heredoc_literal_ranges(text) if "<<" in text else []
    literal = {s: e for s, e in special if s >= 0}
    bodies = {-s: e for s, e in special if s < 0}
    n = len(text)
    i = 0
    stack: list[str] = []  # '"', '(' for $( and (, '`', '{' for ${...}
    heredoc_end = n if heredoc else -1
    while i < n:
        if i in literal:
            i = literal[i]
            continue
        if i in bodies:
            heredoc_end = bodies[i]
        in_heredoc = i < heredoc_end
        ch = text[i]
        mode = stack[-1] if stack else ""
        if ch == "\\":
            i += 2
            continue
        if in_heredoc and mode in ("", '"') and ch != "$" and ch != "`":
            i += 1
            continue
        if ch == "'" and mode != '"':
            j = text.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if ch == "#" and mode != '"' and (i == 0 or text[i - 1] in " \t\n;&|()"):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == '"':
            if mode == '"':
                stack.pop()
            else:
                stack.append('"')
        elif ch == "`":
            if mode == "`":
                stack.pop()
            else:
                stack.append("`")
        elif ch == "$":
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt == "'" and mode != '"':
                j = i + 2
                while j < n and text[j] != "'":
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
                continue
            if nxt == "(":
                stack.append("(")
                i += 2
                continue
            i, entered = _dollar(text, i, out, brace_end)
            if entered:
                stack.append("{")
            continue
        elif ch == "(" and mode == "(":
            stack.append("(")
        elif (ch == ")" and mode == "(") or (ch == "}" and mode == "{"):
            stack.pop()
        i += 1
    if heredoc:
        return ShellScan(tuple(out), frozenset(), False)
    return ShellScan(tuple(out), assigned_names(text), bool(_OPAQUE.search(text)))


def assigned_names(text: str) -> frozenset[str]:
    """Names the shell text may set (generous: a miss here is a false finding)."""
    names: set[str] = set(_ASSIGNMENT.findall(text))
    for m in _DECLARING.finditer(text):
        for word in m.group(1).split():
            name = _NAME.match(word)
            if name is not None:
                names.add(name.group(0))
    names.update(_PRINTF_V.findall(text))
    names.update(_ASSIGN_DEFAULT.findall(text))
    if "((" in text:
        for m in _ARITHMETIC.finditer(text):
            for pre, post in _ARITH_ASSIGN.findall(m.group(1)):
                names.add(pre or post)
    return frozenset(names)


SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})


def is_shell_command(word: str) -> bool:
    """``sh``, ``/bin/bash``, ``/usr/bin/env bash``'s last word, ...: a POSIX shell."""
    return word.rsplit("/", 1)[-1] in SHELLS
