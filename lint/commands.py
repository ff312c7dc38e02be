"""A small, conservative reader of the shell commands a RUN instruction runs.

It splits a script into simple commands (on ``&&``, ``||``, ``;``, ``|``,
``&``, newlines and parentheses), removes quotes, drops redirections, leading
``NAME=value`` assignments and wrappers such as ``sudo``, and reads ``sh -c
'...'`` strings. It never evaluates anything: a word that holds ``$`` or a
backquote is marked ``dynamic`` and callers ignore it. Control structures
(``if``/``for``/``case``) are not interpreted; their keywords are dropped and
``for``/``case`` headers are skipped.

On top of that it recognises package-manager installs and removals (apt-get,
apt, aptitude, apk, yum, dnf, microdnf, tdnf) for the DSL3xx rules.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from dslint.model import Instruction

_OPERATOR_CHARS = "&|;()\n"
_RESERVED = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "do",
        "done",
        "esac",
        "while",
        "until",
        "!",
        "{",
        "}",
        "time",
    }
)
_BLOCK_OPEN = frozenset({"if", "case", "while", "until"})
_BLOCK_CLOSE = frozenset({"fi", "esac", "done"})
_TESTS = frozenset({"[", "[[", "test"})
_SKIP_HEADERS = frozenset({"for", "case", "select", "function"})
_WRAPPERS = frozenset({"sudo", "exec", "nohup", "command", "builtin", "eval", "xargs"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # quotes and escapes removed
    raw: str  # as written
    dynamic: bool  # holds $ or a backquote: its value is not known


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command: its words after assignments and wrappers."""

    words: tuple[Word, ...]
    env: tuple[tuple[str, str], ...] = ()  # leading NAME=value assignments
    source: str = ""  # the script it came from
    conditional: bool = False  # inside if/case/while, or after `test ... &&` / `||`

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.words]

    @property
    def name(self) -> str:
        """The program's base name (``/usr/bin/apt-get`` -> ``apt-get``)."""
        return self.words[0].text.rsplit("/", 1)[-1] if self.words else ""

    def text(self) -> str:
        return " ".join(w.raw for w in self.words)


def _unquote(raw: str) -> str:
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(raw):
        ch = raw[i]
        if quote == "'":
            if ch == "'":
                quote = ""
            else:
                out.append(ch)
        elif quote == '"':
            if ch == '"':
                quote = ""
            elif ch == "\\" and i + 1 < len(raw) and raw[i + 1] in '"\\$`\n':
                i += 1
                if raw[i] != "\n":
                    out.append(raw[i])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        elif ch == "\\" and i + 1 < len(raw):
            i += 1
            if raw[i] != "\n":
                out.append(raw[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _tokens(script: str) -> Iterator[tuple[str, str]]:
    """Yield ("word", raw), ("op", text) and ("redirect", text) tokens."""
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "\\" and i + 1 < n and script[i + 1] == "\n":
            i += 2
            continue
        if ch == "#":
            while i < n and script[i] != "\n":
                i += 1
            continue
        if ch in _OPERATOR_CHARS:
            j = i + 1
            if ch in "&|;" and j < n and script[j] == ch:
                j += 1
            if ch == "&" and j < n and script[j] == ">":
                # &> file: a redirection
                j += 1
                yield "redirect", script[i:j]
                i = j
                continue
            yield "op", script[i:j]
            i = j
            continue
        if ch in "<>":
            j = i + 1
            while j < n and script[j] in "<>&|-":
                j += 1
            yield "redirect", script[i:j]
            i = j
            continue
        # a word
        start = i
        quote = ""
        depth = 0
        while i < n:
            ch = script[i]
            if quote == "'":
                if ch == "'":
                    quote = ""
            elif quote == '"':
                if ch == "\\":
                    i += 1
                elif ch == '"':
                    quote = ""
            elif ch == "\\":
                i += 1
            elif ch in "'\"":
                quote = ch
            elif ch == "`":
                end = script.find("`", i + 1)
                i = n - 1 if end < 0 else end
            elif ch == "$" and i + 1 < n and script[i + 1] == "(":
                depth += 1
                i += 1
            elif ch == "(" and depth:
                depth += 1
            elif ch == ")" and depth:
                depth -= 1
            elif depth == 0 and (ch in " \t\r" or ch in _OPERATOR_CHARS or ch in "<>"):
                break
            i += 1
        raw = script[start:i]
        # "2>" and "2>&1": a file descriptor number directly before a redirection
        if i < n and script[i] in "<>" and raw.isdigit():
            continue
        yield "word", raw


def _finish(
    raw_words: list[str], source: str, out: list[Command], depth: int, conditional: bool = False
) -> None:
    words = [Word(_unquote(r), r, "$" in r or "`" in r) for r in raw_words]
    env: list[tuple[str, str]] = []
    while words and _ASSIGNMENT.match(words[0].raw):
        key, _, value = words[0].text.partition("=")
        env.append((key, value))
        words.pop(0)
    while words and words[0].text in _RESERVED:
        words.pop(0)
    if not words or words[0].text in _SKIP_HEADERS:
        return
    while words:
        name = words[0].text.rsplit("/", 1)[-1]
        if name in _WRAPPERS:
            words.pop(0)
            while words and words[0].text.startswith("-"):
                words.pop(0)
        elif name == "env":
            words.pop(0)
            while words and (words[0].text.startswith("-") or _ASSIGNMENT.match(words[0].raw)):
                w = words.pop(0)
                if not w.text.startswith("-"):
                    key, _, value = w.text.partition("=")
                    env.append((key, value))
        else:
            break
    if not words:
        return
    name = words[0].text.rsplit("/", 1)[-1]
    if name in _SHELLS and depth < 3:
        argv = [w.text for w in words]
        for k, arg in enumerate(argv[1:], start=1):
            if arg.startswith("-") and not arg.startswith("--") and "c" in arg:
                if k + 1 < len(words) and not words[k + 1].dynamic:
                    inner = split_commands(argv[k + 1], _depth=depth + 1)
                    if conditional:
                        inner = [dataclasses.replace(c, conditional=True) for c in inner]
                    out.extend(inner)
                    return
                break
    out.append(Command(tuple(words), tuple(env), source, conditional))


def split_commands(script: str, *, _depth: int = 0) -> list[Command]:
    """The simple commands of a shell script, in order."""
    out: list[Command] = []
    current: list[str] = []
    skip_next = False
    blocks = 0  # open if/case/while/until blocks
    guarded = False  # the next command runs only if a test succeeded (or failed)

    def finish(op: str) -> None:
        nonlocal blocks, guarded
        lead = [_unquote(w) for w in current[:3]]
        opens = sum(1 for w in lead if w in _BLOCK_OPEN)
        closes = sum(1 for w in lead if w in _BLOCK_CLOSE)
        blocks += opens
        is_test = bool(lead) and lead[-1 if lead[0] in _RESERVED else 0] in _TESTS
        _finish(current, script, out, _depth, blocks > 0 or guarded)
        blocks = max(0, blocks - closes)
        guarded = (op == "&&" and (is_test or guarded)) or op == "||"

    for kind, text in _tokens(script):
        if kind == "redirect":
            skip_next = True
            continue
        if kind == "op":
            skip_next = False
            finish(text)
            current = []
            continue
        if skip_next:
            skip_next = False
            continue
        current.append(text)
    finish("")
    return out


_HEREDOC_WORD = re.compile(r"^\d*<<-?\s*[\"']?([^\"'\s]*)[\"']?$")


def scripts_of(ins: Instruction) -> list[str]:
    """The shell scripts a RUN runs: its command text (the ``sh -c`` string of
    an exec form) and the bodies of heredocs that the shell executes."""
    if ins.keyword != "RUN":
        return []
    if ins.json:
        args = [a.text for a in ins.args]
        with contextlib.suppress(ValueError, TypeError):
            args = [str(x) for x in json.loads(ins.rest.text)] if ins.rest else args
        if not args:
            return []
        name = args[0].rsplit("/", 1)[-1]
        if name in _SHELLS and len(args) >= 3 and args[1].startswith("-") and "c" in args[1]:
            return [args[2]]
        return [" ".join(_quote(a) for a in args)]
    text = ins.rest.text if ins.rest is not None else ""
    if not ins.heredocs:
        return [text]
    # drop the <<EOF words: what is left is the command that reads the bodies
    words = [w for w in text.split() if not _HEREDOC_WORD.match(w)]
    scripts = [" ".join(words)] if words else []
    runner = [w for w in words if not w.startswith("-")]
    body_is_script = not runner or (len(runner) == 1 and runner[0].rsplit("/", 1)[-1] in _SHELLS)
    if body_is_script:
        scripts = []
        for doc in ins.heredocs:
            body = doc.content
            first = body.split("\n", 1)[0]
            if first.startswith("#!"):
                interpreter = first[2:].split()
                prog = interpreter[-1] if interpreter and interpreter[0].endswith("env") else ""
                prog = prog or (interpreter[0] if interpreter else "")
                if prog.rsplit("/", 1)[-1] not in _SHELLS:
                    continue
            scripts.append(body)
    return scripts


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'" if re.search(r"[\s'\"$`\\;&|<>()]", arg) else arg


def commands_of(ins: Instruction) -> list[Command]:
    """Every simple command a RUN instruction runs."""
    out: list[Command] = []
    for script in scripts_of(ins):
        out.extend(split_commands(script))
    return out


# -- package managers ----------------------------------------------------------

_APT = frozenset({"apt-get", "apt", "aptitude"})
_RPM = frozenset({"yum", "dnf", "microdnf", "tdnf"})
_APT_VALUE_OPTIONS = frozenset(
    {"-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release"}
)
_APK_VALUE_OPTIONS = frozenset(
    {
        "-t",
        "--virtual",
        "-X",
        "--repository",
        "-p",
        "--root",
        "--arch",
        "--keys-dir",
        "--repositories-file",
        "--cache-dir",
    }
)
_RPM_VALUE_OPTIONS = frozenset(
    {"--installroot", "--releasever", "-x", "--exclude", "--setopt", "--repo", "--enablerepo"}
)


@dataclass(frozen=True, slots=True)
class PackageOp:
    """An install or removal by a system package manager."""

    manager: str  # apt-get, apk, dnf, ...
    action: str  # "install" or "remove"
    packages: tuple[str, ...]  # names, versions removed; dynamic words left out
    command: Command
    group: str | None = None  # apk --virtual NAME
    auto_remove: bool = False  # apt-get purge --auto-remove / autoremove
    words: tuple[str, ...] = field(default=(), repr=False)  # package words as written


def _operands(words: list[str], value_options: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    """Split arguments into operands and options (with their values)."""
    operands: list[str] = []
    options: dict[str, str] = {}
    i = 0
    while i < len(words):
        w = words[i]
        if w == "--":
            operands.extend(words[i + 1 :])
            break
        if w.startswith("-") and len(w) > 1:
            name, eq, value = w.partition("=")
            if not eq and name in value_options and i + 1 < len(words):
                value = words[i + 1]
                i += 1
            options[name] = value
        else:
            operands.append(w)
        i += 1
    return operands, options


def package_op(cmd: Command) -> PackageOp | None:
    """The package install/removal ``cmd`` performs, or None."""
    name = cmd.name
    if name in _APT:
        manager, value_options = name, _APT_VALUE_OPTIONS
        installs, removes = {"install"}, {"remove", "purge", "autoremove", "autopurge"}
    elif name == "apk":
        manager, value_options = name, _APK_VALUE_OPTIONS
        installs, removes = {"add"}, {"del"}
    elif name in _RPM:
        manager, value_options = name, _RPM_VALUE_OPTIONS
        installs, removes = {"install"}, {"remove", "erase", "autoremove"}
    else:
        return None
    static = list(cmd.words[1:])
    operands, options = _operands([w.text for w in static], value_options)
    if not operands:
        return None
    sub = operands[0]
    if sub in installs:
        action = "install"
    elif sub in removes:
        action = "remove"
    else:
        return None
    dynamic = {w.text for w in static if w.dynamic}
    words = [w for w in operands[1:] if w not in dynamic]
    packages = tuple(p for p in (_package_name(manager, w) for w in words) if p)
    group = options.get("--virtual") or options.get("-t") if manager == "apk" else None
    auto = sub in ("autoremove", "autopurge") or "--auto-remove" in options
    return PackageOp(manager, action, packages, cmd, group, auto, tuple(words))


def _package_name(manager: str, word: str) -> str:
    if manager == "apk" and word.startswith(".") and not word.startswith("./"):
        return word  # a virtual package (apk add --virtual .build-deps)
    if word.startswith((".", "/", "~")) or word.endswith((".deb", ".rpm", ".apk")):
        return ""
    if manager in _APT:
        return re.split(r"[=/]", word, maxsplit=1)[0].lower()
    if manager == "apk":
        return re.split(r"[=<>~@]", word, maxsplit=1)[0].lower()
    return word.lower()


# -- builds ----------------------------------------------------------------------

_MAVEN_GOALS = frozenset({"package", "install", "verify", "compile", "deploy"})
_GRADLE_TASKS = frozenset(
    {
        "build",
        "assemble",
        "bootjar",
        "bootwar",
        "jar",
        "war",
        "shadowjar",
        "installdist",
        "distzip",
        "disttar",
    }
)
_JS_RUNNERS = frozenset({"npm", "yarn", "pnpm"})


def build_command(cmd: Command) -> str | None:
    """A short description (``go build``) when ``cmd`` builds the project:
    compiles or packages it, as opposed to installing or running it."""
    name = cmd.name
    args = [w.text for w in cmd.words[1:] if not w.dynamic]
    operands = [a for a in args if not a.startswith("-")]
    if name in ("mvn", "mvnw", "mvnw.cmd"):
        goals = [a.rsplit(":", 1)[-1] for a in operands]
        if any(g in _MAVEN_GOALS for g in goals):
            return f"{name} {next(g for g in goals if g in _MAVEN_GOALS)}"
        return None
    if name in ("gradle", "gradlew"):
        tasks = [a.rsplit(":", 1)[-1] for a in operands]
        hit = next((t for t in tasks if t.lower() in _GRADLE_TASKS), None)
        return f"{name} {hit}" if hit else None
    if name == "go" and operands[:1] == ["build"]:
        return "go build"
    if name == "cargo" and operands[:1] == ["build"]:
        return "cargo build"
    if name == "dotnet" and operands[:1] in (["publish"], ["build"]):
        return f"dotnet {operands[0]}"
    if name in _JS_RUNNERS and operands:
        script = operands[1] if operands[0] in ("run", "run-script") and len(operands) > 1 else ""
        if name != "npm" and operands[0] not in ("run", "run-script"):
            script = operands[0]
        if script == "build" or script.startswith(("build:", "build-")):
            return (
                f"{name} run {script}"
                if operands[0] in ("run", "run-script")
                else f"{name} {script}"
            )
        return None
    if name in ("make", "gmake") and not any(
        a in ("-v", "--version", "-h", "--help") for a in args
    ):
        return "make"
    return None


# -- dev dependencies -------------------------------------------------------------

_DEV_REQUIREMENTS = re.compile(
    r"(^|[-_./])(dev|devel|develop|development|test|tests|testing)([-_.]|$)"
)
_NPM_INSTALL = frozenset({"install", "i", "ci", "isntall", "add"})


def installs_dev_dependencies(cmd: Command, node_env: str | None) -> str | None:
    """What dev dependencies ``cmd`` installs (``npm ci``), or None.
    ``node_env`` is NODE_ENV as set before the command (None when unset; any
    value that is not a literal counts as unknown and silences npm)."""
    name = cmd.name
    args = [w.text for w in cmd.words[1:]]
    env = dict(cmd.env)
    if name == "npm":
        operands = [a for a in args if not a.startswith("-")]
        if not operands or operands[0] not in _NPM_INSTALL:
            return None
        if len(operands) > 1:  # npm install <package>: that package only
            return None
        flags = " ".join(a for a in args if a.startswith("-"))
        if re.search(r"(^|\s)(-g|--global|--production|--prod|--omit(=|\s|$)|--only=prod)", flags):
            return None
        if "--omit" in args:
            return None
        value = env.get("NODE_ENV", node_env)
        if value is not None and (value.strip("'\"") in ("production", "prod") or "$" in value):
            return None
        if "npm_config_production" in env or "NPM_CONFIG_PRODUCTION" in env:
            return None
        return f"npm {operands[0]}"
    pip = name in ("pip", "pip3") or (name.startswith("python") and args[:2] == ["-m", "pip"])
    if pip:
        if name.startswith("python"):
            args = args[2:]
        if "install" not in args:
            return None
        dynamic = {w.text for w in cmd.words if w.dynamic}
        for k, a in enumerate(args):
            target = ""
            if a in ("-r", "--requirement") and k + 1 < len(args):
                target = args[k + 1]
            elif a.startswith("--requirement="):
                target = a.partition("=")[2]
            elif a.startswith("-r") and len(a) > 2:
                target = a[2:]
            if target and target not in dynamic:
                base = target.rsplit("/", 1)[-1]
                folder = target.rsplit("/", 2)[-2] if "/" in target else ""
                if _DEV_REQUIREMENTS.search(base.removesuffix(".txt").removesuffix(".in")) or (
                    folder in ("dev", "test", "tests") and base.endswith(".txt")
                ):
                    return f"pip install -r {target}"
            extras = re.search(r"\[([^\]]*)\]$", a)
            if extras and not a.startswith("-") and a not in dynamic:
                names = {e.strip().lower() for e in extras.group(1).split(",")}
                if names & {"dev", "develop", "development", "test", "tests", "testing"}:
                    return f"pip install {a}"
    return None
