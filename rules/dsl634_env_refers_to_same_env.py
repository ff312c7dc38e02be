from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Dockerfile, KeyValue, Span, Stage
from dslint.rule import Finding, Rule, Severity


def variable_references(value: str, escape: str) -> Iterator[tuple[str, int, int]]:
    """``(name, start, end)`` of each ``$name``/``${name...}`` the builder expands
    in an ENV value: not inside single quotes, not escaped."""
    i = 0
    quote = ""
    n = len(value)
    while i < n:
        c = value[i]
        if c == escape and quote != "'":
            i += 2
            continue
        if quote:
            if c == quote:
                quote = ""
            elif c == "$" and quote == '"':
                found = _name_at(value, i)
                if found is not None:
                    yield found
                    i = found[2]
                    continue
        elif c in "\"'":
            quote = c
        elif c == "$":
            found = _name_at(value, i)
            if found is not None:
                yield found
                i = found[2]
                continue
        i += 1


def _name_at(value: str, i: int) -> tuple[str, int, int] | None:
    j = i + 1
    braced = j < len(value) and value[j] == "{"
    if braced:
        j += 1
    k = j
    while k < len(value) and (value[k].isalnum() or value[k] == "_"):
        k += 1
    name = value[j:k]
    if not name or name[0].isdigit():
        return None
    if braced:
        close = value.find("}", k)
        if close < 0:
            return None
        return name, i, close + 1
    return name, i, k


def _defined_before(df: Dockerfile, stage: Stage, index: int, name: str) -> bool:
    """An ENV or ARG of this stage (before instruction ``index``) or of a stage
    it is built FROM sets ``name``."""
    for ins in stage.instructions:
        if ins.index >= index:
            break
        if ins.keyword in ("ENV", "ARG") and any(kv.key == name for kv in ins.key_values):
            return True
    return any(
        _defined_before(df, df.stages[p], 1 << 62, name)
        for p in stage.base_stages
        if p < stage.index
    )


def _span_in(kv: KeyValue, start: int, end: int) -> Span:
    if kv.span.line != kv.span.end_line:
        return kv.span
    col = kv.key_span.end_column + 1 + start
    return Span(kv.span.line, col, kv.span.line, col + (end - start))


class EnvRefersToSameEnv(Rule):
    """An ENV value uses a variable that an earlier pair of the same ENV sets.

    ## Why
    Every variable in an instruction keeps the value it had *before* the
    instruction (Dockerfile reference, "Environment replacement"). In
    `ENV VERSION=2.1 URL=https://x/v$VERSION` the URL gets the old VERSION:
    empty, or an earlier value from an ARG, an ENV of this stage or of a stage
    it is built FROM, or the base image. Split the pairs into two ENV
    instructions. `ENV V=$V W=$V`, which only promotes an ARG, is fine.

    ## Bad
    ```dockerfile
    FROM debian:12-slim
    ENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH
    ```

    ## Good
    ```dockerfile
    FROM debian:12-slim
    ENV APP_HOME=/opt/app
    ENV PATH=$APP_HOME/bin:$PATH
    ```
    """

    code = "DSL634"
    name = "env-refers-to-same-env"
    severity = Severity.WARNING
    hadolint = ("DL3044",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in df.stages:
            for ins in stage.instructions:
                if ins.keyword != "ENV" or len(ins.key_values) < 2:
                    continue
                pairs = ins.key_values
                for j, kv in enumerate(pairs):
                    if kv.value is None:
                        continue
                    for name, start, end in variable_references(kv.value, df.escape):
                        earlier = [p for p in pairs[:j] if p.key == name]
                        if not earlier:
                            continue
                        setter = earlier[-1]
                        if setter.value in (f"${name}", f"${{{name}}}"):
                            continue  # V=$V: the value does not change
                        old = (
                            "the value it had before this ENV"
                            if _defined_before(df, stage, ins.index, name)
                            else "an empty value unless the base image sets it"
                        )
                        yield self.finding(
                            _span_in(kv, start, end),
                            f"{kv.key} uses ${name}, which this same ENV sets to "
                            f"{setter.value}: {kv.key} gets {old}; set {name} in an "
                            "ENV of its own first",
                        )
