from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Edit, Finding, Fix, Rule, Severity


class InconsistentInstructionCasing(Rule):
    """An instruction keyword is mixed-case, or not in the casing most of the file uses.

    ## Why
    Keywords are case-insensitive, so this is about reading the file: a
    `run` among `RUN`s, or a `Copy`, looks like a mistake. As in BuildKit's
    ConsistentInstructionCasing check, the all-lower and all-upper keywords
    are counted and the majority wins (a tie counts as upper case); a
    mixed-case keyword is always reported. Unlike BuildKit, ARGs before the
    first FROM are counted and checked too: BuildKit leaves them out only
    because it keeps them apart from the stages. Reported as a style finding
    (BuildKit: warning) because it cannot change the image.

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    run apk add --no-cache curl
    COPY app /app
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    COPY app /app
    ```
    """

    code = "DSL603"
    name = "inconsistent-instruction-casing"
    severity = Severity.STYLE
    fixable = True
    buildkit = ("ConsistentInstructionCasing",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        instructions = ctx.dockerfile.instructions
        lower = upper = 0
        for ins in instructions:
            text = ins.keyword_token.text
            if text == text.lower():
                lower += 1
            elif text == text.upper():
                upper += 1
        majority_lower = lower > upper
        label = "lower" if majority_lower else "upper"
        count = lower if majority_lower else upper
        for ins in instructions:
            text = ins.keyword_token.text
            wanted = text.lower() if majority_lower else text.upper()
            if text == wanted:
                continue
            if text not in (text.lower(), text.upper()):
                why = f"'{text}' mixes upper and lower case"
            else:
                why = f"'{text}' is not {label} case like {count} other instructions"
            yield self.finding(
                ins.keyword_token.span,
                f"{why}: write '{wanted}'",
                fix=Fix(f"write '{wanted}'", (Edit(ins.keyword_token.span, wanted),)),
            )
