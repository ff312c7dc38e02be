"""Which variables each instruction can see, where they came from, and what it uses.

The model follows BuildKit (``dockerfile2llb/convert.go``, reference
§ARG/§ENV/§Environment replacement):

* A global ARG (before the first FROM) and the automatic platform ARGs
  (``TARGETARCH``, ``BUILDPLATFORM``, ...) are visible in FROM lines, and
  inside a stage only after ``ARG NAME`` in that stage or a FROM-ancestor.
* A stage's ARG and ENV are visible to its later instructions and to every
  stage built ``FROM`` it (all possible parents, when FROM has variables),
  never through ``COPY --from``.
* The proxy ARGs (``HTTP_PROXY``, ...), ``BUILDKIT_*`` and
  ``SOURCE_DATE_EPOCH`` need no declaration.
* The ENV of an external base image is unknown offline, except for a small
  table of well-known images (:data:`IMAGE_ENV`).
* ``ENV a=1 b=$a`` expands ``$a`` with the value from before the instruction.

Uses are read where they are expanded: by the builder in FROM, ARG/ENV
values, COPY/ADD, WORKDIR, ... and RUN ``--mount`` options; by the shell in
RUN text (shell form, heredoc bodies, ``sh -c``) and, at run time, in
CMD/ENTRYPOINT. Names the shell text sets itself are left out
(:mod:`dslint.shell`).

Typical use in a rule::

    for use in ctx.scopes.all_uses():
        res = ctx.scopes.resolve(use)
        if res.status == "other-stage": ...
"""

from __future__ import annotations

import bisect
import difflib
import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from dslint.model import Dockerfile, Heredoc, ImageRef, Instruction, Span
from dslint.parser import (
    GO_SPACE,
    _continuation_regex,
    _is_comment,
    _trim_continuation,
    has_variable,
    split_shell_words,
)
from dslint.shell import SHELL_VARIABLES, Expansion, ShellScan, expansions, is_shell_command, scan

if TYPE_CHECKING:
    from dslint.graph import StageGraph

AUTOMATIC_ARGS = (
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
)
PROXY_ARGS = (
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
)
OTHER_PREDEFINED = ("SOURCE_DATE_EPOCH",)

# Complete ENV of a few official images (all their recent tags), so that a
# name missing here is really undefined on them. Any other image is unknown.
IMAGE_ENV: dict[str, frozenset[str]] = {
    "scratch": frozenset(),
    "alpine": frozenset({"PATH"}),
    "busybox": frozenset({"PATH"}),
    "debian": frozenset({"PATH"}),
    "ubuntu": frozenset({"PATH"}),
    "golang": frozenset({"PATH", "GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN"}),
    "node": frozenset({"PATH", "NODE_VERSION", "YARN_VERSION"}),
    "python": frozenset(
        {
            "PATH",
            "LANG",
            "GPG_KEY",
            "PYTHON_VERSION",
            "PYTHON_SHA256",
            "PYTHON_PIP_VERSION",
            "PYTHON_SETUPTOOLS_VERSION",
            "PYTHON_GET_PIP_URL",
            "PYTHON_GET_PIP_SHA256",
        }
    ),
    "rust": frozenset({"PATH", "RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"}),
}
# Names that images commonly set: with an unknown base image, a use of one
# of these is "maybe from the image", never reported as another stage's.
COMMON_IMAGE_ENV = frozenset(
    {name for names in IMAGE_ENV.values() for name in names}
    | {
        "HOME",
        "PATH",
        "LANG",
        "LANGUAGE",
        "LC_ALL",
        "TZ",
        "JAVA_HOME",
        "JAVA_VERSION",
        "JDK_HOME",
        "JRE_HOME",
        "MAVEN_HOME",
        "MAVEN_CONFIG",
        "GRADLE_HOME",
        "GRADLE_VERSION",
        "CATALINA_HOME",
        "TOMCAT_VERSION",
        "NGINX_VERSION",
        "RUBY_VERSION",
        "RUBY_MAJOR",
        "GEM_HOME",
        "BUNDLE_APP_CONFIG",
        "BUNDLE_PATH",
        "PHP_VERSION",
        "PHP_INI_DIR",
        "PHPIZE_DEPS",
        "COMPOSER_HOME",
        "DOTNET_VERSION",
        "ASPNET_VERSION",
        "DOTNET_SDK_VERSION",
        "DOTNET_RUNNING_IN_CONTAINER",
        "ASPNETCORE_URLS",
        "ASPNETCORE_HTTP_PORTS",
        "APP_UID",
        "NUGET_XMLDOC_MODE",
        "ERLANG_VERSION",
        "ELIXIR_VERSION",
        "OTP_VERSION",
        "REBAR3_VERSION",
        "GOROOT",
        "CGO_ENABLED",
        "CONDA_DIR",
        "VIRTUAL_ENV",
        "SSL_CERT_FILE",
        "NVM_DIR",
        "BUN_INSTALL",
        "DENO_DIR",
        "DEBIAN_FRONTEND",
        "container",
    }
)
# Shells that do not read POSIX ``$NAME`` (Windows images).
_NON_POSIX_SHELLS = ("powershell", "pwsh", "cmd")
_WINDOWS_IMAGE = re.compile(r"windows|nanoserver|servercore", re.IGNORECASE)
_BUILDER_EXPANDED = frozenset(
    {"ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", "ARG"}
)
# COPY/ADD flags the builder does not expand (or that take no value).
_UNEXPANDED_FLAGS = frozenset({"from", "link", "parents"})


class Kind(str, enum.Enum):
    """Where a variable comes from."""

    ARG = "ARG"  # ARG in a stage (or a FROM-ancestor)
    ENV = "ENV"  # ENV in a stage (or a FROM-ancestor)
    GLOBAL_ARG = "global-ARG"  # ARG before the first FROM
    AUTOMATIC = "automatic"  # BUILDPLATFORM, TARGETARCH, ...: global scope, no declaration
    PREDEFINED = "predefined"  # proxy ARGs, BUILDKIT_*, SOURCE_DATE_EPOCH: everywhere


@dataclass(frozen=True, slots=True)
class Definition:
    """One place a variable gets its value."""

    name: str
    kind: Kind
    instruction: Instruction | None = None  # None for automatic and predefined names
    stage: int | None = None  # None for global, automatic and predefined
    value: str | None = None  # as written (quotes kept); None: declared without a value
    span: Span | None = None  # the name in ARG/ENV
    imports: Definition | None = None  # a bare stage ARG: the global/automatic ARG it brings in

    @property
    def line(self) -> int | None:
        return self.instruction.line if self.instruction is not None else None


Context = Literal["builder", "shell", "runtime"]


def _shown(text: str, e: Expansion) -> str:
    """The expansion as written, for messages; a long one (nested defaults) is
    cut, which also keeps memory linear on deeply nested ``${a:-${b:-...}}``."""
    if e.end - e.start <= 60:
        return text[e.start : e.end]
    return "${" + e.name + (e.operator or "") + "…}"


@dataclass(frozen=True, slots=True)
class Use:
    """A variable an instruction expands.

    ``context`` says who expands it: the builder (FROM, COPY, ENV, ...,
    RUN --mount options), the shell of a RUN, or the container at run time
    (CMD/ENTRYPOINT). ``text`` is the expansion as written (``${X:-d}``)."""

    name: str
    span: Span
    instruction: Instruction
    stage: int | None
    context: Context
    text: str
    operator: str | None = None

    @property
    def has_default(self) -> bool:
        return self.operator in (":-", "-", ":=", "=")


Status = Literal[
    "defined",  # visible here (ARG/ENV so far, inherited, global in FROM, automatic in FROM)
    "predefined",  # proxy ARGs, BUILDKIT_*, SOURCE_DATE_EPOCH
    "image",  # may come from the base image's ENV (or the shell/runtime): unknown
    "global",  # a global/automatic ARG not declared in this stage or an ancestor
    "other-stage",  # set by ARG/ENV only in stages this one is not built FROM
    "later",  # set only later in this stage
    "undefined",  # set nowhere in the file
]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a use refers to. ``definition`` is the visible one (status
    "defined"/"predefined"); ``elsewhere`` the definitions that do not reach
    the use (the global ARG, other stages' or later ARG/ENV); ``suggestion``
    a close visible name when the use may be a typo."""

    use: Use
    status: Status
    definition: Definition | None = None
    elsewhere: tuple[Definition, ...] = ()
    suggestion: str | None = None


def is_predefined(name: str) -> bool:
    """Names usable anywhere without an ARG (proxy ARGs, BUILDKIT_*, ...)."""
    return name in PROXY_ARGS or name in OTHER_PREDEFINED or name.startswith("BUILDKIT_")


def image_key(ref: ImageRef | None) -> str | None:
    """The short official-image name (``alpine``, ``golang``) of a reference."""
    if ref is None:
        return None
    if ref.is_scratch:
        return "scratch"
    registry = ref.registry
    if registry not in (None, "docker.io", "index.docker.io", "registry-1.docker.io"):
        return None
    repo = ref.repository.lower()
    return repo.removeprefix("library/")


class _LineMap:
    """Offsets in an instruction's joined logical line -> file positions."""

    def __init__(self, df: Dockerfile, ins: Instruction) -> None:
        regex = _continuation_regex(df.escape)
        lines = df.lines
        first = ins.keyword_token.span.line
        content = lines[first - 1] if first - 1 < len(lines) else ""
        stripped = content.lstrip(GO_SPACE)
        piece, eol = _trim_continuation(stripped, regex)
        self.starts: list[int] = [0]
        self.where: list[tuple[int, int]] = [(first, len(content) - len(stripped) + 1)]
        length = len(piece)
        i = first
        while not eol and i < len(lines):
            content = lines[i]
            i += 1
            if _is_comment(content) or not content.strip(GO_SPACE):
                continue
            piece, eol = _trim_continuation(content, regex)
            self.starts.append(length)
            self.where.append((i, 1))
            length += len(piece)
        self.ok = length == len(ins.original)
        self.fallback = ins.keyword_token.span

    def position(self, offset: int) -> tuple[int, int]:
        k = 0
        for j, start in enumerate(self.starts):
            if start <= offset:
                k = j
        line, col = self.where[k]
        return line, col + offset - self.starts[k]

    def span(self, start: int, end: int) -> Span:
        if not self.ok:
            return self.fallback
        line, col = self.position(start)
        end_line, end_col = self.position(max(end - 1, start))
        return Span(line, col, end_line, end_col + (1 if end > start else 0))

    def offset(self, line: int, column: int) -> int | None:
        for j in range(len(self.starts) - 1, -1, -1):
            ln, col = self.where[j]
            if ln == line and column >= col:
                return self.starts[j] + column - col
        return None


def _body_span(doc: Heredoc, start: int, end: int) -> Span:
    body = doc.body

    def pos(offset: int) -> tuple[int, int]:
        line = doc.body_line + body.count("\n", 0, offset)
        col = offset - (body.rfind("\n", 0, offset) + 1) + 1
        return line, col

    line, col = pos(start)
    end_line, end_col = pos(end - 1)
    return Span(line, col, end_line, end_col + 1)


class _StateView(Mapping[str, "Definition"]):
    """The variables visible before one instruction, read from a shared per-name
    history instead of a copy per instruction: a file with thousands of ENV
    lines stays linear in memory and time."""

    __slots__ = ("_base", "_history", "_pos")

    def __init__(
        self,
        base: Mapping[str, Definition],
        history: dict[str, list[tuple[int, Definition]]],
        pos: int,
    ) -> None:
        self._base = base  # what the scope starts with (inherited, automatic, ...)
        self._history = history  # name -> [(instruction index, definition)], in order
        self._pos = pos  # definitions made before this instruction index count

    def __getitem__(self, name: str) -> Definition:
        entries = self._history.get(name)
        if entries:
            k = bisect.bisect_left(entries, self._pos, key=lambda e: e[0]) - 1
            if k >= 0:
                return entries[k][1]
        return self._base[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        for name, entries in self._history.items():
            if name not in self._base and entries[0][0] < self._pos:
                yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class _Stage:
    """Per-stage state built once."""

    start: dict[str, Definition] = field(default_factory=dict)  # inherited at FROM
    end: dict[str, Definition] = field(default_factory=dict)  # after the last instruction
    onbuild: list[Definition] = field(default_factory=list)  # ONBUILD ARG/ENV for children


class Scopes:
    """The variable scope model of one Dockerfile.

    * :meth:`visible` / :meth:`lookup`: the variables an instruction sees
      (the state before it runs), each with its :class:`Definition`.
    * :meth:`uses` / :meth:`all_uses`: the variables an instruction expands,
      with spans; shell-local names are left out.
    * :meth:`resolve`: what a use refers to, with the precedence the DSL2xx
      rules share (global ARG, then another stage, then undefined).
    * :attr:`definitions`: every ARG/ENV of the file, in file order.
    """

    def __init__(self, df: Dockerfile, graph: StageGraph) -> None:
        self.dockerfile = df
        self.graph = graph
        self.globals: dict[str, Definition] = {}
        self.automatic: dict[str, Definition] = {
            name: Definition(name, Kind.AUTOMATIC) for name in AUTOMATIC_ARGS
        }
        self.definitions: list[Definition] = []
        self._before: dict[int, Mapping[str, Definition]] = {}  # instruction index -> state
        self._stages: list[_Stage] = []
        self._maps: dict[int, _LineMap] = {}
        self._windows: dict[int, bool] = {}
        self._build()

    # -- building ---------------------------------------------------------------
    def _meta(self) -> dict[str, Definition]:
        return {**self.automatic, **self.globals}

    def _build(self) -> None:
        df = self.dockerfile
        global_history: dict[str, list[tuple[int, Definition]]] = {}
        for ins in df.global_args:
            self._before[ins.index] = _StateView(self.automatic, global_history, ins.index)
            if ins.keyword != "ARG":
                continue
            for kv in ins.key_values:
                d = Definition(kv.key, Kind.GLOBAL_ARG, ins, None, kv.value, kv.key_span)
                self.globals[kv.key] = d
                global_history.setdefault(kv.key, []).append((ins.index, d))
                self.definitions.append(d)
        meta = self._meta()
        for stage in df.stages:
            state: dict[str, Definition] = {}
            for parent in reversed(stage.base_stages):
                if parent < stage.index:
                    info = self._stages[parent]
                    state.update(info.end)
                    for d in info.onbuild:
                        state[d.name] = d
            info = _Stage(start=dict(state))
            history: dict[str, list[tuple[int, Definition]]] = {}
            self._before[stage.from_instruction.index] = meta
            for ins in stage.instructions:
                self._before[ins.index] = _StateView(info.start, history, ins.index)
                target = ins.inner if ins.keyword == "ONBUILD" else ins
                if target is None or target.keyword not in ("ARG", "ENV"):
                    continue
                for kv in target.key_values:
                    d = self._define(target, stage.index, kv.key, kv.value, kv.key_span)
                    self.definitions.append(d)
                    if ins.keyword == "ONBUILD":
                        info.onbuild.append(d)
                    else:
                        state[kv.key] = d
                        history.setdefault(kv.key, []).append((ins.index, d))
            info.end = state
            self._stages.append(info)

    def _define(
        self, ins: Instruction, stage: int, name: str, value: str | None, span: Span
    ) -> Definition:
        if ins.keyword == "ENV":
            return Definition(name, Kind.ENV, ins, stage, value, span)
        imports = None
        if value is None:
            imports = self.globals.get(name) or self.automatic.get(name)
        return Definition(name, Kind.ARG, ins, stage, value, span, imports)

    # -- visibility ---------------------------------------------------------------
    def visible(self, ins: Instruction) -> Mapping[str, Definition]:
        """Variables ``ins`` can expand (the state before it runs). In FROM and
        global ARG lines: the global and automatic ARGs; in a stage: the ARG
        and ENV of the stage so far and of its FROM-ancestors. Predefined
        names (proxies, BUILDKIT_*) are not listed: see :func:`is_predefined`."""
        target = ins
        if not self._is_top_level(ins) and ins.stage is not None:
            # an ONBUILD's inner instruction: it sees the ONBUILD's state
            for other in self.dockerfile.stages[ins.stage].instructions:
                if other.inner is ins:
                    target = other
        return self._before.get(target.index, {})

    def _is_top_level(self, ins: Instruction) -> bool:
        all_ = self.dockerfile.instructions
        return ins.index < len(all_) and all_[ins.index] is ins

    def lookup(self, ins: Instruction, name: str) -> Definition | None:
        """The definition ``name`` has at ``ins``, or None (predefined names
        give a PREDEFINED definition)."""
        found = self.visible(ins).get(name)
        if found is None and is_predefined(name):
            return Definition(name, Kind.PREDEFINED)
        return found

    def stage_end(self, stage: int) -> Mapping[str, Definition]:
        """What a stage hands to stages built FROM it."""
        return self._stages[stage].end

    def definitions_of(self, name: str) -> list[Definition]:
        """Every ARG/ENV (global or in a stage) that sets ``name``, in file order."""
        return [d for d in self.definitions if d.name == name]

    # -- the base image -----------------------------------------------------------
    def image_env(self, stage: int) -> tuple[frozenset[str], bool]:
        """ENV names the external image(s) at the root of the stage's FROM
        chain are known to set, and whether that list is complete (only for
        images of :data:`IMAGE_ENV`)."""
        names: set[str] = set()
        complete = True
        for i in self.graph.from_chain(stage):
            st = self.dockerfile.stages[i]
            if st.base_expanded is not None and has_variable(st.base_expanded):
                complete = False  # FROM $BASE: an earlier stage, or any image
            if any(p < i for p in st.base_stages):
                continue
            key = image_key(st.base_image)
            known = IMAGE_ENV.get(key) if key is not None else None
            if known is None:
                complete = False
            else:
                names |= known
        return frozenset(names), complete

    def image_may_set(self, stage: int, name: str) -> Literal["yes", "maybe", "no"]:
        """Whether the base image may set ``name``: "yes" (known, or a name
        images commonly set on an unknown image), "maybe" (unknown image),
        "no" (the image's ENV is known and lacks it)."""
        names, complete = self.image_env(stage)
        if name in names:
            return "yes"
        if complete:
            return "no"
        return "yes" if name in COMMON_IMAGE_ENV else "maybe"

    def is_windows(self, stage: int) -> bool:
        """A stage whose shell is not POSIX (Windows images, SHELL powershell/cmd),
        by itself or through a FROM ancestor."""
        if not self._windows:
            for i in range(len(self.dockerfile.stages)):  # parents come first
                self._windows[i] = self._windows_here(i) or any(
                    self._windows[p] for p in self.dockerfile.stages[i].base_stages if p < i
                )
        return self._windows[stage]

    def _windows_here(self, stage: int) -> bool:
        df = self.dockerfile
        if df.escape == "`":
            return True
        st = df.stages[stage]
        if st.base is not None and _WINDOWS_IMAGE.search(st.base.text):
            return True
        for ins in st.instructions:
            if ins.keyword == "SHELL" and ins.args:
                first = ins.args[0].text.lower().rsplit("\\", 1)[-1].rsplit("/", 1)[-1]
                if first.startswith(_NON_POSIX_SHELLS):
                    return True
        return False

    # -- uses ---------------------------------------------------------------------
    def _map(self, ins: Instruction) -> _LineMap:
        m = self._maps.get(ins.index)
        if m is None:
            m = self._maps[ins.index] = _LineMap(self.dockerfile, ins)
        return m

    def uses(self, ins: Instruction) -> list[Use]:
        """The variables ``ins`` expands, in text order, with their spans.
        Shell-local names (set in the same RUN), shell specials and positional
        parameters are left out; ONBUILD triggers expand in another build and
        have no uses here."""
        if ins.keyword == "ONBUILD" or ins.inner is not None or not self._is_top_level(ins):
            return []
        out: list[Use] = []
        m = self._map(ins)
        if ins.keyword == "FROM":
            if ins.rest is not None:
                self._builder(ins, m, ins.rest.span, out)
            for flag in ins.flags:
                if flag.name == "platform" and flag.value_span is not None:
                    self._builder(ins, m, flag.value_span, out)
            return out
        if ins.keyword in _BUILDER_EXPANDED:
            for flag in ins.flags:
                if flag.name not in _UNEXPANDED_FLAGS and flag.value_span is not None:
                    self._builder(ins, m, flag.value_span, out)
            if ins.rest is not None:
                self._builder(ins, m, ins.rest.span, out)
            return out
        if ins.keyword == "RUN":
            for flag in ins.flags:
                if flag.name == "mount" and flag.value_span is not None:
                    self._builder(ins, m, flag.value_span, out)
            self._shell(ins, m, "shell", out)
        elif ins.keyword in ("CMD", "ENTRYPOINT"):
            self._shell(ins, m, "runtime", out)
        return out

    def all_uses(self) -> Iterator[Use]:
        """Every use of the file, instruction by instruction."""
        for ins in self.dockerfile.instructions:
            yield from self.uses(ins)

    def _builder(self, ins: Instruction, m: _LineMap, span: Span, out: list[Use]) -> None:
        start = m.offset(span.line, span.column)
        end = m.offset(span.end_line, span.end_column)
        if start is None or end is None:
            return
        text = ins.original[start:end]
        out.extend(
            self._use(ins, m.span(start + e.start, start + e.end), text, e, "builder")
            for e in expansions(text, self.dockerfile.escape)
        )

    def _use(self, ins: Instruction, span: Span, text: str, e: Expansion, ctx: Context) -> Use:
        return Use(e.name, span, ins, ins.stage, ctx, _shown(text, e), e.operator)

    def _shell(self, ins: Instruction, m: _LineMap, ctx: Context, out: list[Use]) -> None:
        rest = ins.rest
        if ins.stage is None or rest is None or self.is_windows(ins.stage):
            return
        found: list[tuple[Span, str, Expansion]] = []
        scans: list[ShellScan] = []
        start = m.offset(rest.span.line, rest.span.column)
        line_text = rest.text
        if ins.json:
            script = _exec_script([a.text for a in ins.args])
            if script is None:
                return
            scans.append(scan(script))
            raw = scan(line_text)  # the JSON text: positions of the same expansions
            if start is not None:
                found.extend(
                    (m.span(start + e.start, start + e.end), line_text, e) for e in raw.expansions
                )
        else:
            line_scan = scan(line_text)
            scans.append(line_scan)
            if start is not None:
                found.extend(
                    (m.span(start + e.start, start + e.end), line_text, e)
                    for e in line_scan.expansions
                )
            for doc in ins.heredocs:
                how = _heredoc_role(line_text, doc)
                if how == "none":
                    continue
                body_scan = scan(doc.body, heredoc=how == "data")
                scans.append(body_scan)
                found.extend(
                    (_body_span(doc, e.start, e.end), doc.body, e) for e in body_scan.expansions
                )
        local: set[str] = set()
        opaque = any(s.opaque for s in scans)
        for s in scans:
            local |= s.assigned
        for mount in ins.mounts:
            env = mount.options.get("env")
            if env:
                local.add(env)
        for span, text, e in found:
            if opaque or e.name in local or e.name in SHELL_VARIABLES:
                continue
            out.append(Use(e.name, span, ins, ins.stage, ctx, _shown(text, e), e.operator))

    # -- resolution -----------------------------------------------------------------
    @cached_property
    def resolved(self) -> list[Resolution]:
        """:meth:`resolve` of every use of the file, in file order."""
        return [self.resolve(use) for use in self.all_uses()]

    def describe(self, d: Definition) -> str:
        """How messages name a definition: ``ENV in stage 'build' (line 4)``."""
        if d.kind in (Kind.AUTOMATIC, Kind.PREDEFINED):
            return f"the {d.kind.value} ARG {d.name}"
        if d.stage is None:
            return f"the global ARG {d.name} (line {d.line})"
        label = self.dockerfile.stages[d.stage].label
        return f"{d.kind.value} in stage '{label}' (line {d.line})"

    def resolve(self, use: Use) -> Resolution:
        """What ``use`` refers to. Precedence (one status per use): visible >
        predefined > global ARG not redeclared ("global") > set in another
        stage ("other-stage") > set later in this stage ("later") > maybe
        from the base image ("image") > "undefined"."""
        ins = use.instruction
        name = use.name
        found = self.visible(ins).get(name)
        if found is not None:
            return Resolution(use, "defined", found)
        if is_predefined(name):
            return Resolution(use, "predefined", Definition(name, Kind.PREDEFINED))
        stage = use.stage
        suggestion = self._suggest(ins, name)
        if ins.keyword == "FROM":
            elsewhere = tuple(d for d in self.definitions_of(name) if d.stage is not None)
            status: Status = "other-stage" if elsewhere else "undefined"
            return Resolution(use, status, None, elsewhere, suggestion)
        if stage is None:  # a global ARG default
            later = tuple(d for d in self.definitions_of(name) if d.stage is None)
            if later:
                return Resolution(use, "later", None, later, suggestion)
            return Resolution(use, "undefined", None, (), suggestion)
        image = self.image_may_set(stage, name)
        if name in ("PATH", "HOME") or (use.context != "builder" and name in SHELL_VARIABLES):
            return Resolution(use, "image")
        glob = self.globals.get(name) or self.automatic.get(name)
        if glob is not None:
            if image == "yes":
                return Resolution(use, "image")
            return Resolution(use, "global", None, (glob,), suggestion)
        chain = set(self.graph.from_chain(stage))
        setters = [d for d in self.definitions_of(name) if d.stage is not None and _gives_value(d)]
        others = tuple(d for d in setters if d.stage not in chain)
        if others and image != "yes":
            return Resolution(use, "other-stage", None, others, suggestion)
        later = tuple(d for d in setters if d.stage == stage and d.instruction is not ins)
        if later and image != "yes":
            return Resolution(use, "later", None, later, suggestion)
        if image != "no":
            return Resolution(use, "image", None, others + later, suggestion)
        return Resolution(use, "undefined", None, (), suggestion)

    def _suggest(self, ins: Instruction, name: str) -> str | None:
        """A visible name ``name`` is probably a typo of."""
        if len(name) < 3:
            return None
        names = [n for n in self.visible(ins) if n != name]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.8)
        return close[0] if close else None


def _exec_script(args: list[str]) -> str | None:
    """The script of ``["sh", "-c", "..."]`` (``-ec``, ``-o pipefail -c``), else None."""
    if not args or not is_shell_command(args[0]):
        return None
    for i, arg in enumerate(args[1:-1], start=1):
        if not arg.startswith("-"):
            return None
        if not arg.startswith("--") and "c" in arg[1:]:
            return args[i + 1]
    return None


def _gives_value(d: Definition) -> bool:
    """False for ``ENV X=$X`` / ``ARG X=${X}``: it passes on what is already there."""
    value = (d.value or "").strip("\"'")
    return value not in (f"${d.name}", f"${{{d.name}}}")


def _heredoc_role(line: str, doc: Heredoc) -> Literal["script", "data", "none"]:
    """How the shell of a RUN reads a heredoc body: as the script itself
    (``RUN <<EOF``, ``RUN bash <<EOF``), as data it expands (``cat <<EOF``
    with an unquoted delimiter), or not at all (quoted delimiter, or a
    shebang naming another interpreter)."""
    words = [line[s:e] for s, e in split_shell_words(line)]
    first = doc.content.split("\n", 1)[0]
    if first.startswith("#!"):
        interpreter = first[2:].split()
        prog = interpreter[-1] if interpreter and interpreter[0].endswith("env") else ""
        prog = prog or (interpreter[0] if interpreter else "")
        if not is_shell_command(prog):
            return "none"
    if all("<<" in w for w in words):
        return "script"
    # the simple command holding this heredoc, and its command word
    command: str | None = None
    mine = False
    for w in words:
        if "<<" in w and doc.name in w:
            mine = True
            continue
        if w in _SEPARATORS:
            if mine:
                break
            command = None
            continue
        if command is None and "=" not in w and w[:1] not in "<>0123456789":
            command = w.rstrip(";&|")
        if w.endswith((";", "&&", "||", "|")) and not mine:
            command = None
    if command is not None and is_shell_command(command):
        return "script"
    return "data" if doc.expand else "none"


_SEPARATORS = frozenset({";", "&&", "||", "|", "&"})
