from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.rule import Edit, Finding, Fix, Rule, Severity
from dslint.suppress import UNSUPPRESSIBLE, Entry, Suppression


class UnusedSuppression(Rule):
    """A `# dslint ignore=` comment suppresses nothing.

    ## Why
    A suppression outlives the problem it silenced: the instruction was fixed,
    the rule was renamed or turned off, or the comment drifted away from its
    instruction (it covers only the instruction directly below it, with no
    blank line between). A stale suppression hides the next real problem on
    that line, so dslint reports each code that matched no finding, names that
    are not dslint rules, and codes of rules that do not run on the file. The
    fix deletes the code (or the whole comment when nothing else is left).
    Only dslint's own comments are checked: `# hadolint ignore=` and BuildKit's
    `# check=skip=` are also read by those tools.

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    # dslint ignore=DSL002
    RUN apk add --no-cache curl
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```
    """

    code = "DSL900"
    name = "unused-suppression"
    severity = Severity.INFO
    fixable = True
    after_suppressions = True  # runs once the other findings went through suppressions

    def check(self, ctx: Context) -> Iterator[Finding]:
        from dslint.rules import by_code

        rules = by_code()
        for item in ctx.suppressions.own():
            where = "in this file" if item.is_global else "on the instruction below it"
            if not item.attached:
                yield self.finding(
                    item.span,
                    "this suppression covers nothing: put it directly above an "
                    "instruction, with no blank line between",
                    fix=self._delete(ctx, item, item.entries),
                )
                continue
            stale = [e for e in item.entries if not e.used and self.code not in e.codes]
            for entry in stale:
                code = next(iter(entry.codes), None)
                if code is None:
                    message = f"'{entry.text}' is not a dslint rule code or name"
                elif code in UNSUPPRESSIBLE:
                    message = (
                        f"{code} cannot be suppressed: BuildKit rejects the file "
                        "whatever a comment says"
                    )
                elif code not in ctx.codes_run:
                    message = (
                        f"the suppression of {code} {rules[code].name} has no effect: "
                        "that rule is not enabled"
                    )
                else:
                    message = (
                        f"the suppression of {code} {rules[code].name} is unused: "
                        f"the rule reports nothing {where}"
                    )
                yield self.finding(entry.span, message, fix=self._delete(ctx, item, stale))

    def _delete(self, ctx: Context, item: Suppression, stale: list[Entry]) -> Fix:
        """Remove the stale codes, or the whole comment line if none is left."""
        entries = item.entries
        if all(e in stale for e in entries):
            line = item.span.line
            lines = ctx.dockerfile.lines
            span = (
                Span(line, 1, line + 1, 1)
                if line < len(lines)
                else Span(line, 1, line, len(lines[line - 1]) + 1)
            )
            return Fix("remove the suppression comment", (Edit(span, ""),))
        first, last = entries[0].span, entries[-1].span
        kept = ",".join(e.text for e in entries if e not in stale)
        span = Span(first.line, first.column, last.end_line, last.end_column)
        names = ", ".join(e.text for e in stale)
        return Fix(f"remove {names} from the suppression", (Edit(span, kept),))
