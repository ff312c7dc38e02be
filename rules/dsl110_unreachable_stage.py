from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity


class UnreachableStage(Rule):
    """A stage that the target does not use, so a normal build never runs it.

    ## Why
    BuildKit builds only the target stage (`--target`, default the last one)
    and the stages it reaches through `FROM <stage>`, `COPY --from` and `RUN
    --mount from=`; every other stage is skipped. A stage nobody uses is often
    left over, or a reference to it was lost (a typo, a moved stage). Stages
    meant to be built on their own (`test`, `lint`, `dev`) are fine: silence
    this check for one of them with a `# dslint ignore=DSL110` comment on the
    line above its FROM, or for the whole project with `ignore = ["DSL110"]`.
    A stage used only by such a stage is reported with it, not on its own,
    so one comment covers a `lint` stage and the tool stage it copies from.
    When a variable in FROM may select several stages (`FROM base-${VARIANT}`,
    or `FROM $BASE` whose default names a stage), all of them count as used.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .

    FROM golang:1.22 AS build-debug
    RUN go build -gcflags=all=-N -o /out/app .

    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .

    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    ```
    """

    code = "DSL110"
    name = "unreachable-stage"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        target = ctx.target
        if target is None:
            return
        graph = ctx.graph
        stages = ctx.dockerfile.stages
        unused = {s.index for s in stages} - graph.reachable(target)
        goal = stages[target]
        if goal.name is not None:
            goal_text = f"the target stage '{goal.label}'"
        else:
            goal_text = f"the target (stage {goal.index}, line {goal.from_instruction.line})"
        for index in sorted(unused):
            if graph.dependents(index) & unused:
                continue  # reported with the unused stage that uses it
            stage = stages[index]
            helpers = sorted((graph.reachable(index) & unused) - {index})
            also = ""
            if helpers:
                names = ", ".join(stages[i].label for i in helpers[:3])
                more = f" and {len(helpers) - 3} more" if len(helpers) > 3 else ""
                verb = "is" if len(helpers) == 1 else "are"
                also = f" (nor {verb} {names}{more}, which it needs)"
            if stage.name is not None:
                yield self.finding(
                    stage.name.span,
                    f"stage '{stage.label}' is not used by {goal_text}{also}, so it is built "
                    f"only with --target {stage.name.text}; if that is its purpose, put "
                    "'# dslint ignore=DSL110' on the line above its FROM",
                )
            else:
                yield self.finding(
                    stage.from_instruction.keyword_token.span,
                    f"stage {stage.index} has no name and {goal_text} does not use it{also}, "
                    "so no build runs it (--target needs a name); remove it, or name it and "
                    "use it",
                )
