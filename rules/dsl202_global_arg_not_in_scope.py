from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.rule import Edit, Finding, Fix, Rule, Severity


class GlobalArgNotInScope(Rule):
    """A global or automatic platform ARG is used inside a stage that never declares it.

    ## Why
    An ARG before the first FROM is a global ARG: BuildKit expands it in FROM
    lines only. Inside a stage, it is empty until the stage (or a stage it is
    built FROM) says `ARG NAME`; the same holds for the automatic platform
    ARGs such as `TARGETARCH` and `BUILDPLATFORM`. BuildKit's own check does
    not look at RUN text, where most of these uses are. The fix inserts
    `ARG NAME` after the stage's FROM, which brings the global value in.

    ## Bad
    ```dockerfile
    ARG VERSION=1.2.3
    FROM alpine:3.20
    RUN echo "building $VERSION for $TARGETARCH"
    ```

    ## Good
    ```dockerfile
    ARG VERSION=1.2.3
    FROM alpine:3.20
    ARG VERSION
    ARG TARGETARCH
    RUN echo "building $VERSION for $TARGETARCH"
    ```
    """

    code = "DSL202"
    name = "global-arg-not-in-scope"
    severity = Severity.WARNING
    fixable = True

    def check(self, ctx: Context) -> Iterator[Finding]:
        scopes = ctx.scopes
        df = ctx.dockerfile
        for res in scopes.resolved:
            use = res.use
            if res.status != "global" or use.stage is None or use.context == "runtime":
                continue
            stage = df.stages[use.stage]
            origin = scopes.describe(res.elsewhere[0])
            from_end = stage.from_instruction.end_line
            column = len(df.lines[from_end - 1]) + 1 if from_end <= len(df.lines) else 1
            at = Span(from_end, column, from_end, column)
            fix = Fix(
                f"Insert `ARG {use.name}` after the FROM of stage '{stage.label}'",
                (Edit(at, f"\nARG {use.name}"),),
            )
            state = "always takes its default" if use.has_default else "is empty"
            yield self.finding(
                use.span,
                f"{use.text} {state} in stage '{stage.label}': {origin} is visible only "
                f"in FROM lines until the stage declares it; add `ARG {use.name}` after its FROM",
                fix=fix,
            )
