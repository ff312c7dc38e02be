from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.parser import has_variable
from dslint.rule import Edit, Finding, Fix, Rule, Severity
from dslint.rules.dsl401_relative_workdir import is_absolute, unquote, workdir_before

# Top-level folders of a Linux root file system: a relative source that starts
# with one of them most likely means that folder, not one under WORKDIR.
_ROOT_DIRS = frozenset(
    [
        "bin",
        "boot",
        "dev",
        "etc",
        "home",
        "lib",
        "lib32",
        "lib64",
        "libx32",
        "media",
        "mnt",
        "opt",
        "proc",
        "root",
        "run",
        "sbin",
        "srv",
        "sys",
        "tmp",
        "usr",
        "var",
    ]
)


class CopyFromRelativeSource(Rule):
    """`COPY --from=<stage>` names a relative source, but it is read from the stage's root.

    ## Why
    The sources of `COPY --from` are resolved from the root of the other stage's
    file system, never from its WORKDIR (BuildKit reference, `COPY --from`). So
    after `WORKDIR /src` and `RUN make` in a build stage, `COPY --from=build
    out/app /app` looks for `/out/app` and fails, or worse copies an unrelated
    file that happens to be there. The `source=` of `RUN --mount=from=<stage>`
    works the same way. dslint reports a relative source when the
    stage (or a stage it is built `FROM`) set a WORKDIR other than `/`, and
    names the absolute path that was probably meant. Sources that start with a
    variable, with a top-level folder such as `usr/` or `etc/`, or with the
    first folder of the WORKDIR itself (`src/...` after `WORKDIR /src`) are
    read from the root on purpose and are not judged.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    RUN go build -o out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build out/app /app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    RUN go build -o out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /src/out/app /app
    ```
    """

    code = "DSL402"
    name = "copy-from-relative-source"
    severity = Severity.WARNING
    fixable = True

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        for ref in ctx.graph.references:
            if ref.status != "stage" or ref.target is None:
                continue
            source_stage = df.stages[ref.target]
            workdir = workdir_before(df, source_stage, None)
            if workdir.path is None or workdir.path == "/":
                continue
            ins = ref.instruction
            sources: list[tuple[str, Span]] = []
            if ref.kind == "copy":
                sources = [(unquote(t.text), t.span) for t in ins.args[:-1]]
                where = f"COPY --from={ref.text}"
            else:
                where = f"RUN --mount from={ref.text}"
                for mount in ins.mounts:
                    if mount.from_span != ref.span:
                        continue
                    for key in ("source", "src"):
                        value = mount.options.get(key)
                        if value:
                            sources.append((value, _option_span(df.lines, mount.span, key, value)))
            top = workdir.path.lstrip("/").split("/", 1)[0]
            for source, span in sources:
                if (
                    not source
                    or source.startswith(("$", "<<"))
                    or has_variable(source.split("/", 1)[0])
                    or is_absolute(source)
                ):
                    continue
                first = source.lstrip("./").split("/", 1)[0]
                if first in _ROOT_DIRS or first == top:
                    continue  # most likely a path from the root on purpose
                meant = posixpath.normpath(posixpath.join(workdir.path, source))
                if source.endswith("/") and not meant.endswith("/"):
                    meant += "/"
                fix = None
                if not ins.json and span.end_column - span.column == len(source):
                    # Unsafe: the author may have meant the path from the root.
                    fix = Fix(f"read {meant}", (Edit(span, meant),), safe=False)
                yield self.finding(
                    span,
                    f"{where} reads '{source}' from the root of stage "
                    f"'{source_stage.label}', not from its WORKDIR {workdir.path}; "
                    f"write {meant} if that is what you meant",
                    fix=fix,
                )


def _option_span(lines: list[str], span: Span, key: str, value: str) -> Span:
    """The span of ``value`` in ``key=value`` inside a one-line ``--mount`` flag."""
    if span.line != span.end_line or span.line > len(lines):
        return span
    text = lines[span.line - 1][span.column - 1 : span.end_column - 1]
    at = text.find(f"{key}={value}")
    if at < 0:
        return span
    column = span.column + at + len(key) + 1
    return Span(span.line, column, span.line, column + len(value))
