from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.scopes import Kind


class VariableFromOtherStage(Rule):
    """A variable is used in a stage where it is empty: only another stage sets it.

    ## Why
    ENV and ARG values live in the stage that sets them and in the stages
    built `FROM` it. `COPY --from=other` copies files, never variables, so a
    variable set in another stage expands to an empty string here: in a
    RUN, in COPY paths, anywhere. `COPY --from=git /$SOURCE_DIR/ ./` then
    silently copies `/`. Set the variable again in this stage (`ENV`), pass
    it through a global `ARG`, or build this stage `FROM` the one that sets
    it.

    ## Bad
    ```dockerfile
    FROM alpine:3.20 AS git
    ENV SOURCE_DIR=source-dir
    RUN mkdir -p /$SOURCE_DIR

    FROM alpine:3.20 AS npm
    COPY --from=git /$SOURCE_DIR/ ./
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20 AS git
    ENV SOURCE_DIR=source-dir
    RUN mkdir -p /$SOURCE_DIR

    FROM alpine:3.20 AS npm
    ENV SOURCE_DIR=source-dir
    COPY --from=git /$SOURCE_DIR/ ./
    ```
    """

    code = "DSL201"
    name = "variable-from-other-stage"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        scopes = ctx.scopes
        df = ctx.dockerfile
        for res in scopes.resolved:
            use = res.use
            if res.status != "other-stage" or use.stage is None:
                continue
            if use.instruction.keyword == "FROM":
                continue  # DSL204: FROM sees only global ARGs
            setters = res.elsewhere
            if use.context == "runtime":
                # at run time only ENV persists in an image
                setters = tuple(d for d in setters if d.kind == Kind.ENV)
                if not setters:
                    continue
            first = setters[0]
            more = f" and {len(setters) - 1} more" if len(setters) > 1 else ""
            label = df.stages[use.stage].label
            if first.kind == Kind.ENV:
                why = "ENV does not cross stages (COPY --from copies files only)"
                hint = f"set ENV {use.name} in this stage too"
            else:
                why = "ARG values do not cross stages (COPY --from copies files only)"
                hint = f"declare ARG {use.name} in this stage too"
            if use.context == "runtime":
                state = f"is not set in the image of stage '{label}'"
                hint += " or pass it at run time"
            elif use.has_default:
                state = f"always takes its default in stage '{label}'"
            else:
                state = f"is empty in stage '{label}'"
            yield self.finding(
                use.span,
                f"{use.text} {state}: it is set only by "
                f"{scopes.describe(first)}{more}, and {why}; {hint}",
            )
