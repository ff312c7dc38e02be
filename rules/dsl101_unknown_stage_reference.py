from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.graph import Reference, is_bare_name
from dslint.parser import has_variable
from dslint.rule import Finding, Rule, Severity

# Docker Hub official images that are often named bare (`COPY --from=node`,
# `FROM rust`): a deliberate image, never taken for a typo of a stage name.
COMMON_IMAGES = frozenset(
    [
        "almalinux",
        "alpine",
        "amazoncorretto",
        "amazonlinux",
        "bash",
        "buildpack-deps",
        "busybox",
        "caddy",
        "centos",
        "clojure",
        "composer",
        "consul",
        "couchbase",
        "couchdb",
        "dart",
        "debian",
        "docker",
        "eclipse-temurin",
        "elixir",
        "erlang",
        "fedora",
        "gcc",
        "golang",
        "gradle",
        "groovy",
        "haproxy",
        "haskell",
        "hello-world",
        "httpd",
        "influxdb",
        "jetty",
        "julia",
        "kong",
        "mariadb",
        "maven",
        "memcached",
        "mongo",
        "mysql",
        "nats",
        "neo4j",
        "nginx",
        "node",
        "openjdk",
        "oraclelinux",
        "perl",
        "php",
        "postgres",
        "pypy",
        "python",
        "rabbitmq",
        "redis",
        "registry",
        "rockylinux",
        "ruby",
        "rust",
        "scratch",
        "solr",
        "swift",
        "telegraf",
        "tomcat",
        "traefik",
        "ubuntu",
        "wordpress",
        "zookeeper",
    ]
)


_AUTO_NAME = re.compile(r"stage-(\d+)")


class UnknownStageReference(Rule):
    """A `--from`, `from=` or `FROM` name is no stage defined earlier: a typo, or an image pull.

    ## Why
    BuildKit resolves `COPY --from=X` and `RUN --mount=...,from=X` against the
    stages defined before, case-insensitively. A name that is no stage is taken
    as an image (or a `--build-context` of that name): a typo such as
    `--from=biulder` does not fail as "no such stage" but as a pull of
    `docker.io/library/biulder`, far from the line at fault. When the name is a
    close match of an earlier stage, dslint reports an error and names the
    stage it probably means; otherwise a warning says which image will be
    pulled. `FROM X` with a bare name is normally an image (`FROM ubuntu`), so
    it is reported only when X is a close match of an earlier stage.
    `RUN --mount from=` takes names only: `from=0` is an image called `0`,
    and no reference resolves `stage-N`, the name BuildKit prints for an
    unnamed stage.
    Image references with a tag, digest, registry or path (`alpine:3.20`,
    `ghcr.io/acme/tool@sha256:...`) are never reported.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS builder
    RUN go build -o /out/app .

    FROM gcr.io/distroless/static-debian12
    COPY --from=biulder /out/app /app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS builder
    RUN go build -o /out/app .

    FROM gcr.io/distroless/static-debian12
    COPY --from=builder /out/app /app
    COPY --from=ghcr.io/acme/healthcheck:1.4 /bin/healthcheck /bin/healthcheck
    ```
    """

    code = "DSL101"
    name = "unknown-stage-reference"
    severity = Severity.ERROR
    hadolint = ("DL3022",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        for ref in graph.references:
            if ref.kind == "from":
                finding = self._from(ctx, ref)
            elif ref.status == "unknown":
                finding = self._copy(ctx, ref)
            else:
                finding = None
            if finding is not None:
                yield finding

    def _from(self, ctx: Context, ref: Reference) -> Finding | None:
        text = ref.text
        if (
            ref.status != "image"
            or has_variable(text)
            or not is_bare_name(text)
            or text.lower() in COMMON_IMAGES
        ):
            return None
        guess = ctx.graph.suggest_stage(text, ref.stage)
        if guess is None:
            return None
        return self.finding(
            ref.span,
            f"FROM {text} names no earlier stage, so BuildKit pulls an image '{text}'; "
            f"did you mean '{guess.label}'?",
        )

    def _copy(self, ctx: Context, ref: Reference) -> Finding | None:
        text = ref.text
        where = "COPY --from" if ref.kind == "copy" else "RUN --mount from"
        if ref.numeric:
            stages = ctx.dockerfile.stages
            index = int(text)
            hint = ""
            if 0 <= index < ref.stage:
                named = stages[index].name
                hint = (
                    f"; write from={named.text}"
                    if named is not None
                    else f"; name stage {index} (FROM ... AS <name>) and use the name"
                )
            return self.finding(
                ref.span,
                f"{where}={text}: a mount takes a stage name, not an index, so BuildKit "
                f"pulls an image '{text}'{hint}",
            )
        if text.lower() == "scratch":
            return None
        auto = _AUTO_NAME.fullmatch(text.lower())
        if auto is not None and int(auto.group(1)) < ref.stage:
            unnamed = ctx.dockerfile.stages[int(auto.group(1))]
            if unnamed.name is None:
                return self.finding(
                    ref.span,
                    f"{where}={text}: BuildKit calls stage {unnamed.index} '{text}' in its "
                    "output but does not resolve that name, so it pulls an image; name the "
                    "stage (FROM ... AS <name>) and use the name",
                )
        guess = None
        if text.lower() not in COMMON_IMAGES:
            guess = ctx.graph.suggest_stage(text, ref.stage)
        if guess is not None:
            return self.finding(
                ref.span,
                f"{where}={text} names no earlier stage; did you mean '{guess.label}'?",
            )
        similar = ""
        key = text.lower()
        for stage in ctx.dockerfile.stages[: ref.stage]:
            alias = stage.alias
            if alias and (alias.endswith(f"-{key}") or alias.startswith(f"{key}-")):
                similar = f"; stage '{stage.label}' has a similar name"
                break
        return self.finding(
            ref.span,
            f"{where}={text} names no earlier stage, so it will be pulled as image "
            f"'{text}' (unless a --build-context named {text} is given){similar}",
            severity=Severity.WARNING,
        )
