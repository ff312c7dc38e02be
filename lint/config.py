"""Settings that decide which rules run and what fails the run, and where they
come from.

Precedence, highest first: command line, ``DSLINT_*`` environment variables,
the configuration file, defaults. The file is ``.dslint.toml`` (top-level keys)
or the ``[tool.dslint]`` table of ``pyproject.toml``; ``.dslint.toml`` wins when
both are in one folder. It is searched upward from each Dockerfile's folder and
the search stops at the repository root (a folder with ``.git``). ``--config
FILE`` names the file for every Dockerfile; ``--isolated`` reads no file.

Lists: ``select`` replaces what a lower layer said; ``ignore`` and
``extend-select`` add up over the layers. Tables (``severity``,
``per-file-ignores``, ``options``) merge entry by entry, the higher layer
winning. Every code is checked against the registry, and a rule may be named by
its code, a code prefix (``DSL1``) or its name (``unknown-target``).
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dslint.rule import Rule, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

CONFIG_NAMES = (".dslint.toml", "pyproject.toml")
FAIL_LEVELS = ("error", "warning", "info", "style", "none")

# key -> what it holds (for messages and ``dslint config``)
KEYS: dict[str, str] = {
    "select": "codes, prefixes or rule names: only these rules run",
    "ignore": "codes, prefixes or rule names that never run",
    "extend-select": "codes to run on top of the selection (rules off by default too)",
    "severity": "table code -> error|warning|info|style",
    "fail-level": "lowest severity that makes the exit code 1: " + "|".join(FAIL_LEVELS),
    "target": "the stage being built (default: the last)",
    "per-file-ignores": "table glob -> codes ignored in matching files",
    "options": "table code -> table of that rule's options",
}

# Environment variables, in the same form as the command line options.
ENVIRONMENT: dict[str, str] = {
    "DSLINT_SELECT": "select",
    "DSLINT_IGNORE": "ignore",
    "DSLINT_EXTEND_SELECT": "extend-select",
    "DSLINT_SEVERITY": "severity",
    "DSLINT_FAIL_LEVEL": "fail-level",
    "DSLINT_TARGET": "target",
}
ENV_CONFIG = "DSLINT_CONFIG"  # a configuration file, as --config


class ConfigError(Exception):
    """Bad configuration: the message names the file (or option) and the key."""


@dataclass(slots=True)
class Settings:
    select: tuple[str, ...] | None = None  # code prefixes; None: every rule enabled by default
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_level: Severity | None = Severity.WARNING  # None: never fail on findings
    target: str | None = None
    context: str | None = None  # build context directory (for .dockerignore checks)
    # (glob, codes, folder the glob is relative to)
    per_file_ignores: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> name -> value
    config_file: str | None = None  # the file these settings were read from
    origins: dict[str, str] = field(default_factory=dict)  # key -> where its value came from

    def enabled(self, rule: type[Rule]) -> bool:
        code = rule.code
        if any(code.startswith(p) for p in self.ignore):
            return False
        if any(code.startswith(p) for p in self.extend_select):
            return True
        if self.select is None:
            return rule.enabled_by_default
        # An explicit code selects a rule that is off by default; a prefix does not.
        return any(
            code == p or (code.startswith(p) and rule.enabled_by_default) for p in self.select
        )

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def for_path(self, path: str) -> Settings:
        """These settings with the ``per-file-ignores`` that match ``path`` added
        to ``ignore``."""
        extra: list[str] = []
        for pattern, codes, base in self.per_file_ignores:
            if glob_matches(pattern, path, base):
                extra.extend(c for c in codes if c not in extra)
        if not extra:
            return self
        return dataclasses.replace(self, ignore=self.ignore + tuple(extra))

    def option(self, rule: type[Rule] | Rule, name: str) -> Any:
        """The value of a rule option: configured, or the rule's default
        (``options = {"name": default}`` on the rule class)."""
        configured = self.options.get(rule.code, {})
        if name in configured:
            return configured[name]
        return rule.options[name]


def glob_matches(pattern: str, path: str, base: str) -> bool:
    """``pattern`` relative to ``base``; a pattern without ``/`` also matches the
    file name alone."""
    pattern = pattern.removeprefix("./")
    full = os.path.abspath(path)
    rel = os.path.relpath(full, os.path.abspath(base)).replace(os.sep, "/")
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    return "/" not in pattern and fnmatch.fnmatchcase(os.path.basename(full), pattern)


# --- reading and checking values ---------------------------------------------


def _registry() -> tuple[type[Rule], ...]:
    from dslint.rules import RULES

    return RULES


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def resolve_code(item: str, where: str, *, exact: bool = False) -> str:
    """A code, code prefix or rule name, as a code or prefix; ConfigError if it
    names no rule."""
    rules = _registry()
    text = item.strip()
    by_name = {r.name: r.code for r in rules}
    if text.lower() in by_name:
        return by_name[text.lower()]
    upper = text.upper()
    codes = [r.code for r in rules]
    if upper in codes or (
        not exact and len(upper) >= 3 and any(c.startswith(upper) for c in codes)
    ):
        return upper
    what = "rule code" if exact else "rule code or prefix"
    raise ConfigError(f"{where}: unknown {what} {text!r}{_suggest(upper, codes + list(by_name))}")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        items = split_list(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = value
    else:
        raise ConfigError(f"{where}: expected a list of rule codes, got {value!r}")
    out: list[str] = []
    for item in items:
        code = resolve_code(item, where)
        if code not in out:
            out.append(code)
    return tuple(out)


def _severity_table(value: Any, where: str) -> dict[str, Severity]:
    if isinstance(value, str):  # "DSL101=info,DSL2=style" (command line, environment)
        pairs: list[tuple[str, Any]] = []
        for item in split_list(value):
            code, sep, level = item.partition("=")
            if not sep:
                raise ConfigError(f"{where}: expected CODE=LEVEL, got {item!r}")
            pairs.append((code, level))
    elif isinstance(value, dict):
        pairs = list(value.items())
    else:
        raise ConfigError(f"{where}: expected a table code = severity, got {value!r}")
    rules = _registry()
    resolved: list[tuple[str, Severity]] = []
    for code, level in pairs:
        key = resolve_code(code, where)
        if not isinstance(level, str):
            raise ConfigError(f"{where}: severity of {code} must be a string, got {level!r}")
        try:
            resolved.append((key, Severity.parse(level)))
        except ValueError as exc:
            raise ConfigError(f"{where}: {code}: {exc}") from None
    out: dict[str, Severity] = {}
    # a prefix covers every code it starts; longer keys (more specific) win
    for prefix, severity in sorted(resolved, key=lambda kv: len(kv[0])):
        for rule in rules:
            if rule.code.startswith(prefix):
                out[rule.code] = severity
    return out


def _fail_level(value: Any, where: str) -> Severity | None:
    if not isinstance(value, str) or value.strip().lower() not in FAIL_LEVELS:
        raise ConfigError(f"{where}: expected one of {', '.join(FAIL_LEVELS)}, got {value!r}")
    text = value.strip().lower()
    return None if text == "none" else Severity.parse(text)


def _target(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a stage name, got {value!r}")
    return value.strip()


def _per_file_ignores(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table glob = [codes], got {value!r}")
    return {str(pattern): _codes(codes, f"{where}.{pattern!r}") for pattern, codes in value.items()}


def _option_value(default: Any, value: Any, where: str) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif isinstance(default, str):
        ok = isinstance(value, str)
    elif isinstance(default, (tuple, list, frozenset, set)):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if ok:
            return tuple(value)
    else:
        ok = True
    if not ok:
        raise ConfigError(f"{where}: expected a value like the default {default!r}, got {value!r}")
    return value


def _options(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of rule codes, got {value!r}")
    by_code = {r.code: r for r in _registry()}
    out: dict[str, dict[str, Any]] = {}
    for key, table in value.items():
        code = resolve_code(key, where, exact=True)
        rule = by_code[code]
        known: Mapping[str, Any] = rule.options
        here = f"{where}.{key}"
        if not isinstance(table, dict):
            raise ConfigError(f"{here}: expected a table of options, got {table!r}")
        if not known:
            raise ConfigError(f"{here}: rule {code} {rule.name} has no options")
        values: dict[str, Any] = {}
        for name, item in table.items():
            if name not in known:
                raise ConfigError(
                    f"{here}: unknown option {name!r} of {code} "
                    f"(known: {', '.join(sorted(known))}){_suggest(name, known)}"
                )
            values[name] = _option_value(known[name], item, f"{here}.{name}")
        out[code] = values
    return out


_CHECKERS: dict[str, Callable[[Any, str], Any]] = {
    "select": _codes,
    "ignore": _codes,
    "extend-select": _codes,
    "severity": _severity_table,
    "fail-level": _fail_level,
    "target": _target,
    "per-file-ignores": _per_file_ignores,
    "options": _options,
}


@dataclass(slots=True)
class Layer:
    """Checked values from one source (command line, environment, a file)."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    base: str = "."  # folder that per-file-ignores globs are relative to
    path: str | None = None  # the configuration file, for a file layer


def check_table(table: Mapping[str, Any], where: str, key_where: Callable[[str], str]) -> Layer:
    """Check a table of keys (a file's, or the options given on the command
    line) and return it as a layer. Unknown keys are errors."""
    layer = Layer()
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in _CHECKERS:
            raise ConfigError(
                f"{where}: unknown key {raw_key!r}{_suggest(key, KEYS)} "
                f"(known keys: {', '.join(KEYS)})"
            )
        layer.values[key] = _CHECKERS[key](value, key_where(raw_key))
        layer.origins[key] = where
    return layer


def load_file(path: str | os.PathLike[str], *, required: bool = True) -> Layer | None:
    """The layer of a configuration file; None for a pyproject.toml without
    ``[tool.dslint]`` (unless ``required``, when that is an error)."""
    file = Path(_display(path))
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the configuration file: {exc.strerror}") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    nested = set(doc) == {"tool"} and isinstance(doc["tool"], dict) and "dslint" in doc["tool"]
    if file.name == "pyproject.toml" or nested:
        table = doc.get("tool", {}).get("dslint")
        if table is None:
            if required:
                raise ConfigError(f"{file}: has no [tool.dslint] table")
            return None
        prefix = "tool.dslint"
    else:
        table, prefix = doc, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.dslint] must be a table")
    where = f"{file}" + (f" [{prefix}]" if prefix else "")
    layer = check_table(table, where, lambda key: f"{file}: {prefix + '.' if prefix else ''}{key}")
    layer.base = str(file.parent)
    layer.path = str(file)
    return layer


def _display(path: str | os.PathLike[str]) -> str:
    """A path relative to the current folder when it is below it."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive
        return text
    return text if rel.startswith("..") else rel


def find_config(start: str | os.PathLike[str]) -> Path | None:
    """The configuration file that applies in folder ``start``: the first folder
    upward with ``.dslint.toml`` or a pyproject.toml with ``[tool.dslint]``,
    stopping at the repository root."""
    folder = Path(os.path.abspath(start))
    while True:
        dot = folder / ".dslint.toml"
        if dot.is_file():
            return dot
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_dslint_table(pyproject):
            return pyproject
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def _has_dslint_table(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if b"dslint" not in data:  # cheap test first
        return False
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # let load_file report it
    tool = doc.get("tool")
    return isinstance(tool, dict) and "dslint" in tool


def environment_layer(environ: Mapping[str, str] | None = None) -> Layer:
    env = os.environ if environ is None else environ
    table = {key: env[var] for var, key in ENVIRONMENT.items() if env.get(var, "").strip()}
    names = {key: var for var, key in ENVIRONMENT.items()}
    layer = check_table(table, "environment", lambda key: f"environment variable {names[key]}")
    for key in layer.origins:
        layer.origins[key] = f"${names[key]}"
    layer.base = os.getcwd()
    return layer


def merge(layers: Sequence[Layer]) -> Settings:
    """Settings from layers, lowest precedence first."""
    s = Settings()
    for layer in layers:
        v = layer.values
        if layer.path is not None:
            s.config_file = layer.path
        if "select" in v:
            s.select = v["select"]
        if "ignore" in v:
            s.ignore = s.ignore + tuple(c for c in v["ignore"] if c not in s.ignore)
        if "extend-select" in v:
            s.extend_select = s.extend_select + tuple(
                c for c in v["extend-select"] if c not in s.extend_select
            )
        if "severity" in v:
            s.severity = {**s.severity, **v["severity"]}
        if "fail-level" in v:
            s.fail_level = v["fail-level"]
        if "target" in v:
            s.target = v["target"]
        if "per-file-ignores" in v:
            kept = [p for p in s.per_file_ignores if p[0] not in v["per-file-ignores"]]
            s.per_file_ignores = tuple(kept) + tuple(
                (pattern, codes, layer.base) for pattern, codes in v["per-file-ignores"].items()
            )
        if "options" in v:
            merged = {code: dict(values) for code, values in s.options.items()}
            for code, values in v["options"].items():
                merged.setdefault(code, {}).update(values)
            s.options = merged
        for key, origin in layer.origins.items():
            previous = s.origins.get(key)
            accumulates = key in (
                "ignore",
                "extend-select",
                "severity",
                "per-file-ignores",
                "options",
            )
            s.origins[key] = f"{previous} + {origin}" if previous and accumulates else origin
    return s


class Resolver:
    """Settings for each Dockerfile: the command line and environment layers
    over the configuration file that applies to it (cached per folder)."""

    def __init__(
        self,
        cli: Layer | None = None,
        env: Layer | None = None,
        config_file: str | None = None,
        isolated: bool = False,
        context: str | None = None,
    ) -> None:
        self.cli = cli or Layer()
        self.context = context  # --context DIR: the build context, for every file
        self.env = env or Layer()
        self.isolated = isolated
        self.fixed: Layer | None = None
        if config_file is not None and not isolated:
            self.fixed = load_file(config_file, required=True)
        self._by_folder: dict[str, Settings] = {}

    def file_layer(self, folder: str) -> Layer | None:
        if self.isolated:
            return None
        if self.fixed is not None:
            return self.fixed
        found = find_config(folder)
        return load_file(found, required=False) if found is not None else None

    def for_folder(self, folder: str) -> Settings:
        key = os.path.abspath(folder)
        if key not in self._by_folder:
            file = self.file_layer(key)
            layers = [file] if file is not None else []
            settings = merge([*layers, self.env, self.cli])
            settings.context = self.context
            self._by_folder[key] = settings
        return self._by_folder[key]

    def __call__(self, path: str) -> Settings:
        """Settings for the Dockerfile at ``path`` ('-' or a missing file: the
        current folder)."""
        folder = os.path.dirname(os.path.abspath(path)) if path not in ("-", "") else os.getcwd()
        return self.for_folder(folder)


def describe(settings: Settings) -> str:
    """The resolved settings as TOML, each key with where it came from."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def codes(items: Iterable[str]) -> str:
        return "[" + ", ".join(q(c) for c in items) + "]"

    def origin(key: str) -> str:
        return f"  # {settings.origins.get(key, 'default')}"

    fail = "none" if settings.fail_level is None else settings.fail_level.label
    lines = [
        f"# configuration file: {settings.config_file or 'none'}",
        "[tool.dslint]",
        (
            "# select: every rule enabled by default"
            if settings.select is None
            else f"select = {codes(settings.select)}{origin('select')}"
        ),
        f"ignore = {codes(settings.ignore)}{origin('ignore')}",
        f"extend-select = {codes(settings.extend_select)}{origin('extend-select')}",
        f"fail-level = {q(fail)}{origin('fail-level')}",
        (
            f"target = {q(settings.target)}{origin('target')}"
            if settings.target
            else "# target: the last stage"
        ),
        "",
        f"[tool.dslint.severity]{origin('severity')}",
        *(f"{code} = {q(level.label)}" for code, level in sorted(settings.severity.items())),
        "",
        f"[tool.dslint.per-file-ignores]{origin('per-file-ignores')}",
        *(
            f"{q(pattern)} = {codes(c)}  # relative to {base}"
            for pattern, c, base in settings.per_file_ignores
        ),
    ]
    for code, values in sorted(settings.options.items()):
        lines += ["", f"[tool.dslint.options.{code}]{origin('options')}"]
        for name, value in values.items():
            shown = codes(value) if isinstance(value, tuple) else repr(value)
            if isinstance(value, bool):
                shown = str(value).lower()
            elif isinstance(value, str):
                shown = q(value)
            lines.append(f"{q(name) if '.' in name else name} = {shown}")
    return "\n".join(lines) + "\n"
