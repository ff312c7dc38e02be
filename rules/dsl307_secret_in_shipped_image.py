from __future__ import annotations

import os
import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Instruction, KeyValue, Token
from dslint.parser import expand, global_arg_defaults
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl3_shipped import chain_instructions
from dslint.secrets import looks_secret

# Segments that make a secret-looking name harmless in practice: the value is a
# public-key fingerprint, a location, a switch or a name, not the secret itself.
NOT_SECRET_SEGMENTS = frozenset(
    {
        "gpg",
        "pgp",
        "fingerprint",
        "path",
        "dir",
        "url",
        "uri",
        "host",
        "port",
        "endpoint",
        "enabled",
        "enable",
        "disabled",
        "disable",
        "type",
        "method",
        "mode",
        "name",
        "provider",
        "ttl",
        "timeout",
        "expiry",
        "expires",
        "length",
        "size",
        "header",
        "realm",
        "scope",
        "issuer",
        "algorithm",
    }
)
_SPLIT = re.compile(r"[_\-.]+")
_HARMLESS_VALUE = re.compile(
    r"^(true|false|yes|no|on|off|none|null|nil|[0-9]+|"
    r"dummy|placeholder|changeme|change_me|example|test|xxx+|<[^>]*>)$",
    re.IGNORECASE,
)
_URL_WITHOUT_USER = re.compile(r"^[a-z][a-z0-9+.-]*://[^@/\s]*(/.*)?$", re.IGNORECASE)

CREDENTIAL_FILES = frozenset(
    {
        ".npmrc",
        ".netrc",
        "_netrc",
        ".git-credentials",
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
    }
)
_PUBLIC_SSH_FILES = frozenset({"known_hosts", "config", "authorized_keys", "ssh_config"})
_AUTH_LINE = re.compile(r"(_auth|_authtoken|_password|password|login)\s*[= ]\s*(?!\$\{)\S", re.I)


def secret_name(name: str) -> bool:
    """BuildKit's secret word list, minus names whose value is not the secret."""
    if not looks_secret(name):
        return False
    segments = {s for s in _SPLIT.split(name.lower()) if s}
    return not segments & NOT_SECRET_SEGMENTS


def _unquote(value: str) -> str:
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


def holds_secret(value: str | None) -> bool:
    """Could this ARG/ENV value (variables expanded where known) be a secret?
    None (an ARG set by --build-arg) and a bare variable could; literal
    switches, numbers, paths, URLs without a user and placeholders cannot, and
    neither can a path or URL built from variables (``${BASE_URL}/gpg.key``)."""
    if value is None:
        return True
    text = _unquote(value)
    if "$" in text:
        return "/" not in text
    if not text or _HARMLESS_VALUE.match(text):
        return False
    if text.startswith(("/", "./", "../", "~/")):
        return False
    return not _URL_WITHOUT_USER.match(text)


def credential_file(path: str, sources: list[str] | None = None) -> str | None:
    """The kind of credential file ``path`` names (``.npmrc``, ``.ssh/``), or None."""
    p = path.strip("\"'").rstrip("/")
    base = p.rsplit("/", 1)[-1]
    if base in CREDENTIAL_FILES:
        return base
    parts = p.split("/")
    if ".ssh" in parts[:-1] and base not in _PUBLIC_SSH_FILES and not base.endswith(".pub"):
        return ".ssh/" + base
    if base == ".ssh":
        if sources is not None and all(
            s.rstrip("/").rsplit("/", 1)[-1] in _PUBLIC_SSH_FILES or s.endswith(".pub")
            for s in sources
        ):
            return None
        return ".ssh/"
    if p.endswith(".aws/credentials") or base == ".aws":
        return ".aws/credentials"
    if p.endswith(".docker/config.json"):
        return ".docker/config.json"
    return None


class SecretInShippedImage(Rule):
    """A secret-looking ARG/ENV or a credential file ends up in the shipped image.

    ## Why
    ENV values are stored in the image config and build arguments in its
    history and provenance: anyone who can pull the image can read them. A
    credential file (`.npmrc`, `.netrc`, `.git-credentials`, `id_rsa`,
    `.ssh/`, `.aws/credentials`, `.docker/config.json`) copied into a shipped
    stage stays in its layer even if a later step deletes it. Give the secret
    to the one RUN that needs it with `RUN --mount=type=secret` instead. Names
    are matched like BuildKit's SecretsUsedInArgOrEnv check (whole `_`
    segments, so `GOPRIVATE` or `AUTHOR` do not match); values that cannot be
    secrets (`true`, a number, a path, a URL without a user) and fingerprints
    (`GPG_KEY`) are left alone, and so are builder stages.

    ## Bad
    ```dockerfile
    FROM node:20-alpine
    ARG NPM_TOKEN
    WORKDIR /app
    COPY .npmrc package.json package-lock.json ./
    RUN npm ci --omit=dev
    CMD ["node", "server.js"]
    ```

    ## Good
    ```dockerfile
    FROM node:20-alpine
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --omit=dev
    CMD ["node", "server.js"]
    ```
    """

    code = "DSL307"
    name = "secret-in-shipped-image"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        globals_ = global_arg_defaults(df)
        values: dict[str, str | None] = {}
        for ins in chain_instructions(ctx):
            stage = df.stages[ins.stage].label if ins.stage is not None else "?"
            if ins.keyword in ("ARG", "ENV"):
                resolved: dict[str, str | None] = {}
                for kv in ins.key_values:
                    if kv.value is not None:
                        value: str | None = expand(_unquote(kv.value), values, unknown=None)
                    elif ins.keyword == "ARG":
                        value = globals_.get(kv.key)  # a global ARG redeclared
                    else:
                        value = ""
                    resolved[kv.key] = value
                    if secret_name(kv.key) and holds_secret(value):
                        yield self._variable(ins, kv, stage)
                values.update(resolved)  # one instruction sees the values before it
            elif ins.keyword in ("COPY", "ADD"):
                yield from self._files(ctx, ins, stage)

    def _variable(self, ins: Instruction, kv: KeyValue, stage: str) -> Finding:
        if ins.keyword == "ARG":
            where = "build arguments stay in the image history and provenance"
        else:
            where = "ENV values are stored in the image config"
        secret_id = kv.key.lower()
        return self.finding(
            kv.key_span,
            f"{ins.keyword} {kv.key} in the shipped stage '{stage}' looks like a secret and "
            f"{where}, readable by anyone who pulls the image: pass it with "
            f"`RUN --mount=type=secret,id={secret_id}` to the step that needs it",
        )

    def _files(self, ctx: Context, ins: Instruction, stage: str) -> Iterator[Finding]:
        if len(ins.args) < 2 and not ins.heredocs:
            return
        args = list(ins.args)
        sources: list[Token] = [a for a in args[:-1] if not a.text.startswith("<<")]
        dest = args[-1] if args else None
        flag = ins.flag("from")
        origin = f" from '{flag.value}'" if flag is not None and flag.value else ""
        for src in sources:
            kind = credential_file(src.text)
            if kind is None or (not origin and self._harmless_in_context(ctx, src.text)):
                continue
            yield self._file(src, kind, ins, stage, origin)
            return
        if dest is not None:
            kind = credential_file(dest.text, [s.text for s in sources])
            if kind is not None and not (
                sources
                and not origin
                and all(self._harmless_in_context(ctx, s.text) for s in sources)
            ):
                yield self._file(dest, kind, ins, stage, origin)

    def _file(self, token: Token, kind: str, ins: Instruction, stage: str, origin: str) -> Finding:
        return self.finding(
            token.span,
            f"{ins.keyword} puts a credential file ({kind}){origin} into the shipped stage "
            f"'{stage}': it stays in the image layer, readable by anyone who pulls the image, "
            "even if a later step deletes it; mount it for the step that needs it with "
            "`RUN --mount=type=secret,id=...,target=...`",
        )

    @staticmethod
    def _harmless_in_context(ctx: Context, source: str) -> bool:
        """A ``.npmrc``/``.netrc`` in the build context that holds no credential
        (only registry settings, or ``${TOKEN}`` placeholders)."""
        context = ctx.settings.context
        path = source.strip("\"'")
        if context is None or path.startswith("/") or "$" in path:
            return False
        full = os.path.join(context, path)
        if os.path.basename(path) not in (".npmrc", ".netrc", "_netrc") or not os.path.isfile(full):
            return False
        try:
            with open(full, encoding="utf-8", errors="replace") as fh:
                text = fh.read(65536)
        except OSError:
            return False
        return _AUTH_LINE.search(text) is None
