"""Turn Dockerfile text into the model, the way BuildKit's parser reads it.

The line handling follows moby/buildkit ``frontend/dockerfile/parser``: parser
directives only at the very top; the escape character (``\\`` or a backtick)
ends a line to continue it; comment lines and blank lines inside a continuation
are skipped; heredocs (``<<EOF``) on RUN/COPY/ADD (and ONBUILD of those) take
the following lines verbatim until their delimiter. Arguments are split per
keyword as BuildKit's line parsers split them. On top of that we keep a source
span for every keyword, flag and argument, and we check what BuildKit's
instruction parser rejects (reported as problems, never raised).

dockerfile-parse was measured against BuildKit's own parser on the corpus and
disagreed on 47 of 402 files (heredoc bodies read as instructions, empty
continuation lines, escape directives), so this module does the line work
itself and stays within the standard library.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import json
import re
from collections.abc import Iterator

from dslint.model import (
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    ImageRef,
    Instruction,
    KeyValue,
    Mount,
    Problem,
    Span,
    Stage,
    Token,
)

KEYWORDS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
HEREDOC_KEYWORDS = frozenset({"ADD", "COPY", "RUN"})
JSON_LIST_KEYWORDS = frozenset({"ADD", "COPY", "VOLUME"})
MAYBE_JSON_KEYWORDS = frozenset({"CMD", "ENTRYPOINT", "RUN", "SHELL"})
STRING_KEYWORDS = frozenset({"MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR"})
DIRECTIVE_NAMES = frozenset({"syntax", "escape", "check"})

# Go's unicode.IsSpace, which BuildKit uses to trim and split.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_WHITESPACE = re.compile(r"[\t\v\f\r ]+")  # BuildKit's reWhitespace
# BuildKit's reDirective is ``^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`` in RE2, where
# \s is [\t\n\f\r ]. Python's backtracking engine takes quadratic time on ``(.+?)\s*$``
# with a long run of blanks, so the value's blanks are trimmed in Python instead.
_GO_RE_SPACE = "\t\n\f\r "
_DIRECTIVE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=(.*)$", re.DOTALL)
_HEREDOC = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_STAGE_NAME = re.compile(r"^[a-z][a-z0-9\-_.]*$")
_VARIABLE = re.compile(r"\$(?:\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*)")


class _Locator:
    """Maps offsets in a joined logical line back to (line, column) in the file."""

    __slots__ = ("_cols", "_lines", "_offsets")

    def __init__(self) -> None:
        self._offsets: list[int] = []
        self._lines: list[int] = []
        self._cols: list[int] = []

    def add(self, offset: int, line: int, col0: int) -> None:
        self._offsets.append(offset)
        self._lines.append(line)
        self._cols.append(col0)

    def _at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._offsets, offset) - 1
        if i < 0:
            i = 0
        return self._lines[i], self._cols[i] + (offset - self._offsets[i]) + 1

    def span(self, start: int, end: int) -> Span:
        if len(self._offsets) == 1:  # one physical line: most instructions
            line, shift = self._lines[0], self._cols[0] - self._offsets[0] + 1
            col = start + shift
            return Span(line, col, line, (end if end > start else start) + shift)
        line, col = self._at(start)
        if end <= start:
            return Span(line, col, line, col)
        end_line, end_col = self._at(end - 1)
        return Span(line, col, end_line, end_col + 1)


def _is_comment(line: str) -> bool:
    return line.lstrip(GO_SPACE).startswith("#")


def _continuation_regex(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*$|^{e}[ \t]*$")


def _trim_continuation(line: str, regex: re.Pattern[str]) -> tuple[str, bool]:
    """Strip a trailing escape character; return (line, is_end_of_line)."""
    if not line or line[-1] not in "\\` \t":
        return line, True  # fast path: cannot end in the escape character
    match = regex.search(line)
    if match is None:
        return line, True
    return line[: match.start()] + (match.group(1) or ""), False


def split_shell_words(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of whitespace-separated words, honouring quotes and
    backslashes (kept raw), as BuildKit's lexer does when it looks for heredocs."""
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in GO_SPACE:
            i += 1
        if i >= n:
            return
        start = i
        quote = ""
        while i < n:
            ch = text[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\" and quote == '"' and i + 1 < n:
                    i += 1
            elif ch in "'\"":
                quote = ch
            elif ch == "\\" and i + 1 < n:
                i += 1
            elif ch in GO_SPACE:
                break
            i += 1
        yield start, i


def _unquote_word(word: str) -> tuple[str, int]:
    """Remove shell quotes and escapes; return the text and how many quotes went."""
    out: list[str] = []
    quote = ""
    removed = 0
    i = 0
    while i < len(word):
        ch = word[i]
        if quote:
            if ch == quote:
                quote = ""
                removed += 1
            elif ch == "\\" and quote == '"' and i + 1 < len(word) and word[i + 1] in '"\\$`':
                i += 1
                out.append(word[i])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
            removed += 1
        elif ch == "\\" and i + 1 < len(word):
            i += 1
            out.append(word[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out), removed


def _heredoc_words(line: str) -> Iterator[tuple[re.Match[str], int, int]]:
    for start, end in split_shell_words(line):
        word = line[start:end]
        if "<<" not in word:
            continue
        match = _HEREDOC.match(word)
        if match and match.group(3):
            yield match, start, end


def _parse_words(rest: str, escape: str) -> list[tuple[int, int]]:
    """BuildKit's parseWords: split on whitespace outside quotes; quotes kept."""
    words: list[tuple[int, int]] = []
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in GO_SPACE:
            i += 1
        if i >= n:
            break
        start = i
        quote = ""
        end = -1
        while i < n:
            ch = rest[i]
            if ch == escape and i + 1 == n and quote != "'":
                end, i = i, n  # BuildKit skips an escape character at the end of the line
                break
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == escape and quote != "'":
                    i += 1
            elif ch in GO_SPACE:
                break
            elif ch in "'\"":
                quote = ch
            elif ch == escape:
                i += 1
            i += 1
        end = i if end < 0 else end
        if end > start:
            words.append((start, end))
    return words


def _split_whitespace(text: str, base: int) -> list[tuple[int, int]]:
    """BuildKit's reWhitespace split (no quote handling)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _WHITESPACE.finditer(text):
        if m.start() > pos:
            out.append((base + pos, base + m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((base + pos, base + len(text)))
    return out


class _NotStringArray(ValueError):
    pass


def _reject_constant(name: str) -> object:
    raise ValueError(name)


_JSON = json.JSONDecoder(parse_constant=_reject_constant)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _parse_json(rest: str) -> list[str] | None:
    """The exec form: a JSON array of strings, else None (shell form)."""
    text = rest.lstrip(GO_SPACE)
    if not text.startswith("["):
        return None
    try:
        # Go's json.Decoder.Decode, which BuildKit uses, reads the first JSON value
        # and ignores what follows it: ``RUN ["a"] junk`` is the exec form ["a"].
        value, _ = _JSON.raw_decode(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise _NotStringArray(
            "when using JSON array syntax, arrays must be comprised of strings only"
        )
    # A lone surrogate escape ("\ud800") is U+FFFD in Go, and unprintable in Python.
    return [_SURROGATE.sub("\ufffd", v) for v in value]


# BuildKit's extractBuilderFlags walks the line byte by byte and asks
# unicode.IsSpace of each byte: the ASCII blanks separate words, and so do the
# bytes 0x85 and 0xA0 inside a non-ASCII character ("\xa0", "à", "Å"...), while
# a non-ASCII character never starts a blank run.
_ASCII_SPACE = "\t\n\v\f\r "


def _byte_blank(ch: str) -> bool:
    data = ch.encode("utf-8", "surrogatepass")
    return b"\x85" in data or b"\xa0" in data


def _extract_flags(text: str) -> tuple[list[tuple[str, int, int]], int]:
    """Leading ``--flag[=value]`` words: (processed text, start, end) and where
    the arguments begin. Quotes and backslashes inside flags are processed."""
    flags: list[tuple[str, int, int]] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in _ASCII_SPACE:
            i += 1
        if i >= n:
            return flags, n
        if not text.startswith("--", i):
            return flags, i
        start = i
        word: list[str] = []
        quote = ""
        blank_ok = False
        while i < n:
            ch = text[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\":
                    if i + 1 == n:
                        i += 1
                        break
                    i += 1
                    word.append(text[i])
                else:
                    word.append(ch)
                i += 1
                continue
            if ch in _ASCII_SPACE or (ch > "\x7f" and _byte_blank(ch)):
                break
            if ch in "'\"":
                quote = ch
                blank_ok = True
            elif ch == "\\":
                if i + 1 < n:
                    i += 1
                    word.append(text[i])
            else:
                word.append(ch)
            i += 1
        value = "".join(word)
        if value == "--":
            return flags, i
        if blank_ok or value:
            flags.append((value, start, i))


def _mount_options(value: str) -> dict[str, str | None]:
    """Parse ``type=cache,target=/x,from=build`` (CSV, keys lowercased)."""
    options: dict[str, str | None] = {}
    for field in _csv_fields(value):
        key, sep, val = field.partition("=")
        options[key.strip().lower()] = val if sep else None
    return options


def _csv_fields(value: str) -> list[str]:
    fields: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == '"':
            if quoted and i + 1 < len(value) and value[i + 1] == '"':
                current.append('"')
                i += 1
            else:
                quoted = not quoted
        elif ch == "," and not quoted:
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    fields.append("".join(current))
    return [f for f in fields if f]


def parse_image_ref(text: str) -> ImageRef:
    """Split an image reference into registry, repository, tag and digest."""
    rest, _, digest = text.partition("@")
    registry: str | None = None
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, rest = first, remainder
    tag: str | None = None
    last_slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > last_slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
    return ImageRef(text=text, registry=registry, repository=rest, tag=tag, digest=digest or None)


def _short(text: str, limit: int = 60) -> str:
    """User text quoted in a message, cut so the message stays one readable line."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_variable(text: str) -> bool:
    return "$" in text and _VARIABLE.search(text) is not None


def is_valid_stage_name(name: str) -> bool:
    return bool(_STAGE_NAME.match(name.lower()))


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.path = path
        self.text = text
        self.raw_lines = text.split("\n")
        if self.raw_lines and self.raw_lines[-1] == "":
            self.raw_lines.pop()
        self.lines = [line.rstrip("\r\n") for line in self.raw_lines]
        self.escape = "\\"
        self.continuation = _continuation_regex("\\")
        self.directives: list[Directive] = []
        self.directives_done = False
        self.problems: list[Problem] = []
        self.comments: list[Token] = []
        self.empty_continuations: list[int] = []
        self.instructions: list[Instruction] = []

    # -- directives ---------------------------------------------------------
    def _directive(self, line_no: int, stripped: str, col0: int) -> None:
        if self.directives_done:
            return
        if not stripped.startswith("#"):
            self.directives_done = True
            return
        match = _DIRECTIVE.match(stripped[1:].lstrip(_GO_RE_SPACE))  # `#\s*`: ASCII only
        rest = match.group(2) if match else ""
        if not rest or match is None or match.group(1).lower() not in DIRECTIVE_NAMES:
            self.directives_done = True
            return
        # (.+?) takes at least one character: the last blank when all are blank.
        name, value = match.group(1).lower(), rest.strip(_GO_RE_SPACE) or rest[-1]
        span = Span(line_no, col0 + 1, line_no, col0 + len(stripped) + 1)
        if any(d.name == name for d in self.directives):
            self.problems.append(Problem(f"only one {name} parser directive can be used", span))
            return
        self.directives.append(Directive(name, value, span))
        if name == "escape":
            if value not in ("\\", "`"):
                self.problems.append(
                    Problem(f"invalid escape token '{_short(value)}' does not match ` or \\", span)
                )
                return
            self.escape = value
            self.continuation = _continuation_regex(value)

    # -- the line loop -------------------------------------------------------
    def run(self) -> None:
        lines = self.lines
        n = len(lines)
        i = 0
        pending_comments: list[str] = []
        while i < n:
            content = lines[i]
            stripped = content.lstrip(GO_SPACE)
            col0 = len(content) - len(stripped)
            line_no = i + 1
            i += 1
            self._directive(line_no, stripped, col0)
            if stripped.startswith("#"):
                self.comments.append(
                    Token(stripped, Span(line_no, col0 + 1, line_no, len(content) + 1))
                )
                comment = stripped[1:].strip(GO_SPACE)
                if comment:
                    pending_comments.append(comment)
                else:
                    pending_comments = []
                continue
            logical, eol = _trim_continuation(stripped, self.continuation)
            if eol and not logical:
                continue
            locator = _Locator()
            locator.add(0, line_no, col0)
            parts = [logical]
            length = len(logical)
            while not eol and i < n:
                content = lines[i]
                i += 1
                if _is_comment(content):
                    stripped = content.lstrip(GO_SPACE)
                    self.comments.append(
                        Token(
                            stripped,
                            Span(i, len(content) - len(stripped) + 1, i, len(content) + 1),
                        )
                    )
                    continue
                if not content.strip(GO_SPACE):
                    self.empty_continuations.append(i)
                    continue
                piece, eol = _trim_continuation(content, self.continuation)
                locator.add(length, i, 0)
                parts.append(piece)
                length += len(piece)
            logical = "".join(parts)
            instruction = self._instruction(logical, locator, tuple(pending_comments))
            pending_comments = []
            end = i
            if instruction.keyword in HEREDOC_KEYWORDS or (
                instruction.inner is not None and instruction.inner.keyword in HEREDOC_KEYWORDS
            ):
                target = instruction.inner or instruction
                if not target.json and "<<" in logical:
                    end = self._heredocs(target, instruction, logical, locator, end)
            last = lines[end - 1] if end >= 1 else ""
            # From the first line: BuildKit starts an instruction on the line where
            # its logical line begins, even when that line holds only the escape
            # character and the keyword comes on the next one.
            instruction.span = Span(line_no, col0 + 1, end, len(last) + 1)
            if instruction.inner is not None:
                instruction.inner.span = instruction.span
            i = end
            instruction.index = len(self.instructions)
            self.instructions.append(instruction)

    def _heredocs(
        self,
        target: Instruction,
        instruction: Instruction,
        logical: str,
        locator: _Locator,
        end: int,
    ) -> int:
        docs: list[Heredoc] = []
        n = len(self.lines)
        for match, start, stop in _heredoc_words(logical):
            word = match.group(3)
            words = list(split_shell_words(word))
            if len(words) != 1:
                continue
            name, removed = _unquote_word(word[words[0][0] : words[0][1]])
            chomp = match.group(2) == "-"
            body: list[str] = []
            body_line = end + 1
            terminated = False
            while end < n:
                raw = self.raw_lines[end]
                end += 1
                candidate = raw.rstrip("\r\n")
                if chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == name:
                    terminated = True
                    break
                body.append(
                    raw + "\n" if end < len(self.raw_lines) or self.text.endswith("\n") else raw
                )
            span = locator.span(start, stop)
            if not terminated:
                self.problems.append(
                    Problem(
                        f"unterminated heredoc: no line '{_short(name)}' closes <<{_short(word)}",
                        span,
                    )
                )
            docs.append(
                Heredoc(
                    name=name,
                    body="".join(body),
                    chomp=chomp,
                    expand=removed == 0,
                    fd=int(match.group(1) or 0),
                    span=span,
                    body_line=body_line,
                )
            )
        target.heredocs = tuple(docs)
        if target is not instruction:
            instruction.heredocs = target.heredocs
        return end

    # -- one instruction ----------------------------------------------------
    def _instruction(
        self, logical: str, locator: _Locator, comments: tuple[str, ...], base: int = 0
    ) -> Instruction:
        text = logical[base:]
        lead = len(text) - len(text.lstrip(GO_SPACE))
        kw_start = base + lead
        m = _WHITESPACE.search(logical, kw_start)
        body = logical[kw_start:].rstrip(GO_SPACE)
        kw_end = m.start() if m and m.start() < kw_start + len(body) else kw_start + len(body)
        keyword_text = logical[kw_start:kw_end]
        keyword = keyword_text.upper()
        keyword_token = Token(keyword_text, locator.span(kw_start, kw_end))
        after = m.end() if m and m.start() < kw_start + len(body) else kw_end
        # BuildKit trims the line before it extracts flags: a trailing backslash then
        # ends the line (and is skipped) instead of escaping the blank after it.
        body_end = kw_start + len(body)
        flags_raw, args_at = (
            _extract_flags(logical[after:body_end]) if after < body_end else ([], 0)
        )
        flags = tuple(_flag(v, logical, after + s, after + e, locator) for v, s, e in flags_raw)
        rest_start = after + args_at
        rest_text = logical[rest_start:]
        stripped = rest_text.strip(GO_SPACE)
        rest_start += len(rest_text) - len(rest_text.lstrip(GO_SPACE))
        rest_end = rest_start + len(stripped)
        rest = Token(stripped, locator.span(rest_start, rest_end)) if stripped else None
        span = locator.span(kw_start, len(logical))
        ins = Instruction(
            keyword=keyword,
            keyword_token=keyword_token,
            span=span,
            original=logical,
            flags=flags,
            rest=rest,
            args=(),
            json=False,
            comments=comments,
        )
        try:
            self._arguments(ins, stripped, rest_start, locator)
        except _NotStringArray as exc:
            self.problems.append(Problem(str(exc), rest.span if rest else span))
        return ins

    def _arguments(self, ins: Instruction, rest: str, base: int, locator: _Locator) -> None:
        keyword = ins.keyword

        def tokens(pairs: list[tuple[int, int]]) -> tuple[Token, ...]:
            return tuple(Token(rest[s - base : e - base], locator.span(s, e)) for s, e in pairs)

        if keyword in JSON_LIST_KEYWORDS or keyword in MAYBE_JSON_KEYWORDS:
            exec_form = _parse_json(rest) if rest else None
            if exec_form is not None:
                ins.json = True
                span = locator.span(base, base + len(rest))
                ins.args = tuple(Token(v, span) for v in exec_form)
            elif keyword in JSON_LIST_KEYWORDS:
                ins.args = tokens(_split_whitespace(rest, base))
            elif rest:
                ins.args = (Token(rest, locator.span(base, base + len(rest))),)
        elif keyword in ("FROM", "EXPOSE"):
            ins.args = tokens(_split_whitespace(rest, base))
        elif keyword == "ARG":
            words = _parse_words(rest, self.escape)
            ins.args = tokens([(base + s, base + e) for s, e in words])
            kvs = []
            for s, e in words:
                word = rest[s:e]
                key, sep, value = word.partition("=")
                kvs.append(
                    KeyValue(
                        key=key,
                        value=value if sep else None,
                        span=locator.span(base + s, base + e),
                        key_span=locator.span(base + s, base + s + len(key)),
                    )
                )
            ins.key_values = tuple(kvs)
        elif keyword in ("ENV", "LABEL"):
            self._name_values(ins, rest, base, locator)
        elif keyword == "HEALTHCHECK":
            first = _WHITESPACE.search(rest)
            if not rest:
                return
            typ_end = first.start() if first else len(rest)
            typ = Token(rest[:typ_end], locator.span(base, base + typ_end))
            cmd = rest[first.end() :] if first else ""
            cmd_base = base + (first.end() if first else len(rest))
            exec_form = _parse_json(cmd) if cmd else None
            if exec_form is not None:
                ins.json = True
                span = locator.span(cmd_base, cmd_base + len(cmd))
                ins.args = (typ, *(Token(v, span) for v in exec_form))
            elif cmd:
                ins.args = (typ, Token(cmd, locator.span(cmd_base, cmd_base + len(cmd))))
            else:
                ins.args = (typ,)
        elif keyword in STRING_KEYWORDS:
            if rest:
                ins.args = (Token(rest, locator.span(base, base + len(rest))),)
        elif keyword == "ONBUILD" and rest:
            inner = self._instruction(ins.original, locator, (), base)
            ins.inner = inner
            ins.args = inner.args
        if keyword == "RUN":
            ins.mounts = tuple(self._mount(f) for f in ins.flags if f.name == "mount")

    def _mount(self, flag: Flag) -> Mount:
        options = _mount_options(flag.value or "")
        from_span = None
        if "from" in options and flag.value_span is not None:
            from_span = _sub_span(flag.value_span, flag.value or "", "from=", options["from"] or "")
        return Mount(
            type=(options.get("type") or "bind").lower(),
            options=options,
            span=flag.span,
            from_span=from_span,
        )

    def _name_values(self, ins: Instruction, rest: str, base: int, locator: _Locator) -> None:
        words = _parse_words(rest, self.escape)
        if not words:
            if ins.keyword == "ENV":
                self.problems.append(Problem("ENV names no variable", ins.keyword_token.span))
            return
        first = rest[words[0][0] : words[0][1]]
        if "=" not in first:
            split = _WHITESPACE.search(rest)
            key_end = split.start() if split else len(rest)
            if split is None:
                self.problems.append(
                    Problem(f"{ins.keyword} must have two arguments", ins.keyword_token.span)
                )
                ins.args = (Token(rest, locator.span(base, base + len(rest))),)
                return
            value = rest[split.end() :]
            ins.args = (
                Token(rest[:key_end], locator.span(base, base + key_end)),
                Token(value, locator.span(base + split.end(), base + len(rest))),
            )
            ins.key_values = (
                KeyValue(
                    key=rest[:key_end],
                    value=value,
                    span=locator.span(base, base + len(rest)),
                    key_span=locator.span(base, base + key_end),
                    legacy=True,
                ),
            )
            return
        kvs: list[KeyValue] = []
        args: list[Token] = []
        for s, e in words:
            word = rest[s:e]
            if "=" not in word:
                self.problems.append(
                    Problem(
                        f"can't find = in {_short(word)!r}: {ins.keyword} takes name=value pairs",
                        locator.span(base + s, base + e),
                    )
                )
                continue
            key, _, value = word.partition("=")
            kvs.append(
                KeyValue(
                    key=key,
                    value=value,
                    span=locator.span(base + s, base + e),
                    key_span=locator.span(base + s, base + s + len(key)),
                )
            )
            args.append(Token(key, locator.span(base + s, base + s + len(key))))
            args.append(Token(value, locator.span(base + s + len(key) + 1, base + e)))
        ins.key_values = tuple(kvs)
        ins.args = tuple(args)


def _flag(value: str, logical: str, start: int, end: int, locator: _Locator) -> Flag:
    name, sep, val = value[2:].partition("=")
    value_span = None
    if sep:
        eq = logical.find("=", start, end)
        value_span = locator.span(eq + 1, end) if eq >= 0 else locator.span(start, end)
    return Flag(
        name=name,
        value=val if sep else None,
        span=locator.span(start, end),
        value_span=value_span,
    )


def _sub_span(value_span: Span, value: str, key: str, sub: str) -> Span:
    """Span of ``sub`` after ``key`` inside a single-line flag value."""
    at = value.find(key)
    if at < 0 or value_span.line != value_span.end_line:
        return value_span
    col = value_span.column + at + len(key)
    return Span(value_span.line, col, value_span.line, col + len(sub))


def open_quote(text: str, escape: str = "\\", shell: bool = True) -> int:
    """Offset of a quote that is never closed, else -1.

    ``shell=False`` follows BuildKit's own word lexer (ENV, ARG, LABEL values):
    single quotes are literal, ``escape`` escapes elsewhere. ``shell=True``
    follows /bin/sh for RUN/CMD/ENTRYPOINT: also ``$'...'``, ``$(...)`` and
    backticks open a nested context, and an unquoted ``#`` at the start of a
    word begins a comment.
    """
    unclosed, _ = _scan_quotes(text, 0, "", escape, shell, 0)
    return unclosed


def _scan_quotes(
    text: str, i: int, closer: str, escape: str, shell: bool, depth: int
) -> tuple[int, int]:
    """Scan from ``i`` to ``closer`` (or the end); return (unclosed quote offset
    or -1, position after the scan)."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == escape:
            i += 2
            continue
        if closer and ch == closer:
            return -1, i + 1
        if shell and ch == "#" and (i == 0 or text[i - 1] in " \t;&|("):
            return -1, n
        if shell and depth < 50 and (ch == "`" or (ch == "$" and text.startswith("$(", i))):
            inner_closer = "`" if ch == "`" else ")"
            unclosed, i = _scan_quotes(
                text, i + (1 if ch == "`" else 2), inner_closer, escape, shell, depth + 1
            )
            if unclosed >= 0:
                return unclosed, i
            continue
        if ch == "'":
            start = i
            ansi = shell and i > 0 and text[i - 1] == "$"
            i += 1
            while i < n and text[i] != "'":
                i += 2 if ansi and text[i] == "\\" else 1
            if i >= n:
                return start, n
            i += 1
            continue
        if ch == '"':
            start = i
            i += 1
            while i < n and text[i] != '"':
                if text[i] == escape:
                    i += 2
                elif shell and depth < 50 and (text[i] == "`" or text.startswith("$(", i)):
                    tick = text[i] == "`"
                    unclosed, i = _scan_quotes(
                        text, i + (1 if tick else 2), "`" if tick else ")", escape, shell, depth + 1
                    )
                    if unclosed >= 0:
                        return unclosed, i
                else:
                    i += 1
            if i >= n:
                return start, n
            i += 1
            continue
        i += 1
    return -1, n


def _check_quotes(df: Dockerfile, ins: Instruction) -> Problem | None:
    kw = ins.keyword
    if kw in ("ENV", "LABEL", "ARG"):
        for kv in ins.key_values:
            if kv.value and open_quote(kv.value, df.escape, shell=False) >= 0:
                return Problem(f"unterminated quote in the value of {kv.key}", kv.span)
    elif (
        kw in ("RUN", "CMD", "ENTRYPOINT")
        and not ins.json
        and not ins.heredocs
        and df.escape == "\\"
        and ins.args
        and "<<" not in ins.args[0].text
        and open_quote(ins.args[0].text) >= 0
    ):
        quote = ins.args[0].text[open_quote(ins.args[0].text)]
        return Problem(
            f"unterminated {quote} quote: the shell will stop with a syntax error", ins.args[0].span
        )
    return None


def _check(df: Dockerfile) -> None:
    """What BuildKit's instruction parser rejects after the line parser."""
    problems = df.problems
    if not df.instructions:
        end = max(len(df.lines), 1)
        problems.append(Problem("file with no instructions", Span(1, 1, end, 1)))
        return
    seen_from = False
    problem_lines = {p.span.line for p in problems}  # from the line parser
    for ins in df.instructions:
        kw = ins.keyword
        if not kw:
            problems.append(
                Problem(
                    f"the escape character {df.escape} continues the line into nothing: "
                    "BuildKit reads an empty instruction here",
                    ins.span,
                )
            )
            continue
        quote_problem = _check_quotes(df, ins)
        if quote_problem is not None:
            problems.append(quote_problem)
        if kw not in KEYWORDS:
            import difflib  # only here: keep it off the start-up path

            guess = difflib.get_close_matches(kw, sorted(KEYWORDS), n=1, cutoff=0.6)
            hint = f" (did you mean {guess[0]}?)" if guess else ""
            problems.append(
                Problem(
                    f"unknown instruction: {_short(ins.keyword_token.text)}{hint}",
                    ins.keyword_token.span,
                )
            )
            continue
        if kw == "FROM":
            seen_from = True
            n = len(ins.args)
            if n not in (1, 3) or (n == 3 and ins.args[1].text.lower() != "as"):
                problems.append(
                    Problem(
                        "FROM requires either one argument, or three: FROM <image> [AS <name>]",
                        ins.rest.span if ins.rest else ins.keyword_token.span,
                    )
                )
        elif not seen_from and kw != "ARG":
            problems.append(
                Problem(
                    f"{kw} before the first FROM: only ARG may come before FROM",
                    ins.keyword_token.span,
                )
            )
        if kw == "ONBUILD":
            inner = ins.inner
            if inner is None:
                problems.append(Problem("ONBUILD requires an instruction", ins.keyword_token.span))
            elif inner.keyword in ("ONBUILD", "FROM", "MAINTAINER"):
                problems.append(
                    Problem(
                        f"{inner.keyword} isn't allowed as an ONBUILD trigger",
                        inner.keyword_token.span,
                    )
                )
        if kw in ("ADD", "COPY") and not ins.heredocs and len(ins.args) < 2:
            problems.append(
                Problem(f"{kw} requires at least two arguments", ins.keyword_token.span)
            )
        if (
            kw not in ("FROM", "ENV", "LABEL", "ONBUILD", "ADD", "COPY")
            and not ins.args
            and not ins.heredocs
            and not (problem_lines & set(range(ins.line, ins.end_line + 1)))
        ):
            problems.append(Problem(f"{kw} requires an argument", ins.keyword_token.span))


def _build_stages(df: Dockerfile) -> None:
    stage: Stage | None = None
    for ins in df.instructions:
        if ins.keyword == "FROM":
            args = ins.args
            base = args[0] if args else None
            name = args[2] if len(args) == 3 and args[1].text.lower() == "as" else None
            stage = Stage(
                index=len(df.stages),
                from_instruction=ins,
                base=base,
                name=name,
                platform=ins.flag("platform"),
            )
            df.stages.append(stage)
            ins.stage = stage.index
        elif stage is None:
            df.global_args.append(ins)
        else:
            ins.stage = stage.index
            stage.instructions.append(ins)
            if ins.inner is not None:
                ins.inner.stage = stage.index


# The automatic platform ARGs and the values they can take (BuildKit sets them
# from --platform; a Dockerfile may use them in FROM without declaring them).
_OS = ("linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos")
_ARCH = ("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le", "loong64")
_VARIANT = ("", "v5", "v6", "v7", "v8")
PLATFORM_ARG_VALUES: dict[str, tuple[str, ...] | None] = {
    "TARGETOS": _OS,
    "BUILDOS": _OS,
    "TARGETARCH": _ARCH,
    "BUILDARCH": _ARCH,
    "TARGETVARIANT": _VARIANT,
    "BUILDVARIANT": _VARIANT,
    "TARGETPLATFORM": None,  # os/arch[/variant]: too many to list, any name
    "BUILDPLATFORM": None,
}
_AUTOMATIC = {name: "${" + name + "}" for name in PLATFORM_ARG_VALUES}
_MAX_GLOBS = 64


def global_arg_defaults(
    df: Dockerfile, automatic: dict[str, str] | None = None
) -> dict[str, str | None]:
    """Global ARG names with their last default (None when declared bare).

    Automatic platform ARGs take their value from ``automatic`` (for example a
    sample platform); by default they stay variables, because their value
    depends on the platform: ``ARG FLAVOR=${TARGETARCH}`` keeps
    ``${TARGETARCH}``, which :func:`expand` with ``unknown=None`` leaves alone."""
    auto: dict[str, str] = _AUTOMATIC if automatic is None else automatic
    values: dict[str, str | None] = dict(auto)
    declared: list[str] = []
    for ins in df.global_args:
        for kv in ins.key_values:
            value = kv.value
            if value is not None:
                value, _ = _unquote_word(value)
                value = expand(value, values)
            elif kv.key in auto:
                value = auto[kv.key]
            values[kv.key] = value
            declared.append(kv.key)
    return {k: values[k] for k in declared}


_NAME_AT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _dollar_at(text: str, j: int, last_close: int) -> tuple[int, str, str | None, str] | None:
    r"""The expansion that starts with the ``$`` at ``j``: (end, name, operator,
    word), or None when the ``$`` is literal. The grammar of the regular
    expression ``\\\$|\$\{NAME(?:(:?[-+?])([^}]*))?\}|\$NAME``, scanned by hand so
    that unclosed ``${`` runs take linear time (``last_close``: the last ``}``)."""
    n = len(text)
    if j + 1 < n and text[j + 1] == "{":
        m = _NAME_AT.match(text, j + 2)
        if m is None:
            return None
        pos = m.end()
        if pos < n and text[pos] == "}":
            return pos + 1, m.group(), None, ""
        op = None
        if pos < n and text[pos] in "-+?":
            op = text[pos]
        elif text.startswith(":", pos) and pos + 1 < n and text[pos + 1] in "-+?":
            op = text[pos : pos + 2]
        if op is None:
            return None
        start = pos + len(op)
        close = text.find("}", start) if start <= last_close else -1
        if close < 0:
            return None
        return close + 1, m.group(), op, text[start:close]
    m = _NAME_AT.match(text, j + 1)
    if m is None:
        return None
    return m.end(), m.group(), None, ""


def expand(text: str, values: dict[str, str | None], unknown: str | None = "") -> str:
    """Expand ``$X``/``${X}``/``${X:-d}``/``${X:+a}`` with ``values`` as the builder
    would. Names that are missing or None become ``unknown`` (kept as written
    when ``unknown`` is None). ``\\$`` is a literal ``$``. Linear time."""
    if "$" not in text:
        return text
    out: list[str] = []
    i = 0
    last_close = text.rfind("}")
    while True:
        j = text.find("$", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        if j > i and text[j - 1] == "\\":
            out.append(text[i : j - 1])
            out.append("$")
            i = j + 1
            continue
        found = _dollar_at(text, j, last_close)
        if found is None:
            out.append(text[i : j + 1])
            i = j + 1
            continue
        end, name, op, word = found
        out.append(text[i:j])
        out.append(_substitute(text[j:end], values.get(name), op, word, unknown))
        i = end


def _substitute(
    whole: str, value: str | None, op: str | None, word: str, unknown: str | None
) -> str:
    if op is None:
        if value is None:
            return whole if unknown is None else unknown
        return value
    if value is None and unknown is None and op in ("-", ":-", "+", ":+"):
        return whole
    is_set = value is not None
    is_nonempty = bool(value)
    if op == ":-":
        return value if is_nonempty and value is not None else word
    if op == "-":
        return value if is_set and value is not None else word
    if op == ":+":
        return word if is_nonempty else ""
    if op == "+":
        return word if is_set else ""
    return value if value is not None else ""


def _glob_match(parts: list[str], name: str) -> bool:
    """Does ``name`` match the pieces with anything in between (a ``*`` glob)?
    Leftmost matching of the middle pieces: O(len(name) x pieces), never backtracking."""
    if len(parts) == 1:
        return name == parts[0]
    first, last = parts[0], parts[-1]
    end = len(name) - len(last)
    if end < len(first) or not name.startswith(first) or not name.endswith(last):
        return False
    pos = len(first)
    for middle in parts[1:-1]:
        k = name.find(middle, pos, end)
        if k < 0:
            return False
        pos = k + len(middle)
    return True


def _variables(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each ``$NAME``/``${...}`` in ``text``; the name is
    empty for ``${...}`` forms other than ``${NAME}``. Linear time."""
    found: list[tuple[int, int, str]] = []
    i = 0
    last_close = text.rfind("}")
    while True:
        j = text.find("$", i)
        if j < 0:
            return found
        if j + 1 < len(text) and text[j + 1] == "{":
            close = text.find("}", j + 2) if j + 2 <= last_close else -1
            if close < 0:
                i = j + 1
                continue
            inner = text[j + 2 : close]
            m = _NAME_AT.fullmatch(inner)
            found.append((j, close + 1, m.group() if m else ""))
            i = close + 1
        else:
            m = _NAME_AT.match(text, j + 1)
            if m is None:
                i = j + 1
                continue
            found.append((j, m.end(), m.group()))
            i = m.end()


def name_globs(text: str, lower: bool = False) -> list[list[str]] | None:
    """The names ``text`` may expand to, as globs (literal pieces with anything
    in between): an automatic platform ARG takes only its possible values
    (``tool-${TARGETOS}`` is ``tool-linux``, ``tool-windows``, ...), any other
    variable anything. None when ``text`` may be any name at all."""
    found = _variables(text)
    choices = [PLATFORM_ARG_VALUES.get(name) for _, _, name in found]
    count = 1
    for values in choices:
        count *= len(values) if values else 1
    if count > _MAX_GLOBS:
        choices = [None] * len(found)
    literal = len(text) > sum(end - start for start, end, _ in found)
    if found and not literal and all(values is None for values in choices):
        return None
    fold = str.lower if lower else str
    globs: list[list[str]] = []
    for combo in itertools.product(*[values or (None,) for values in choices]):
        parts = [""]
        pos = 0
        for (start, end, _), value in zip(found, combo, strict=True):
            parts[-1] += fold(text[pos:start])
            if value is None:
                parts.append("")
            else:
                parts[-1] += value
            pos = end
        parts[-1] += fold(text[pos:])
        globs.append(parts)
    return globs


def name_matches(globs: list[list[str]], name: str) -> bool:
    return any(_glob_match(parts, name) for parts in globs)


def _resolve_bases(df: Dockerfile) -> None:
    """What each FROM names: earlier stages (exactly, or every stage a variable
    could select) or an external image, after global ARG defaults apply."""
    defaults = {**_AUTOMATIC, **global_arg_defaults(df)}
    by_name: dict[str, int] = {}
    for stage in df.stages:
        base = stage.base
        if base is not None:
            text = base.text
            if has_variable(text):
                expanded = expand(text, defaults, unknown=None)
                stage.base_expanded = expanded
                if has_variable(expanded):
                    globs = name_globs(expanded)
                    stage.base_stages = tuple(
                        sorted(
                            idx
                            for name, idx in by_name.items()
                            if globs is None or name_matches(globs, name)
                        )
                    )
                elif expanded in by_name:
                    stage.base_stages = (by_name[expanded],)
                else:
                    stage.base_image = parse_image_ref(expanded) if expanded else None
            elif text in by_name:
                stage.base_stages = (by_name[text],)
            else:
                stage.base_image = parse_image_ref(text)
        if stage.alias is not None:  # BuildKit's addState: a later stage of the same name wins
            by_name[stage.alias] = stage.index


def parse(text: str, path: str = "Dockerfile") -> Dockerfile:
    """Parse Dockerfile text. Never raises for bad content: BuildKit's errors
    become :class:`Problem` entries on the result."""
    was_enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: the collector only slows parsing down
    try:
        return _parse(text, path)
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, path: str) -> Dockerfile:
    parser = _Parser(text, path)
    parser.run()
    df = Dockerfile(
        path=path,
        text=parser.text,
        lines=parser.lines,
        directives=parser.directives,
        escape=parser.escape,
        instructions=parser.instructions,
        global_args=[],
        stages=[],
        comments=parser.comments,
        empty_continuation_lines=parser.empty_continuations,
        problems=parser.problems,
    )
    _check(df)
    _build_stages(df)
    _resolve_bases(df)
    df.problems.sort(key=lambda p: (p.span.line, p.span.column))
    return df
