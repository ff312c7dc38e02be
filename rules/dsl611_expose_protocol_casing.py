from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.rule import Edit, Finding, Fix, Rule, Severity

# ``${NAME...}`` groups may hold ``:`` and ``/`` of their own; they are blanked
# out before a port word is split.
_BRACED = re.compile(r"\$\{[^}]*\}")


def blank_variables(word: str) -> str:
    """The word with every ``${...}`` replaced by ``$`` signs of the same length."""
    return _BRACED.sub(lambda m: "$" * len(m.group(0)), word)


class ExposeProtocolCasing(Rule):
    """The protocol of an EXPOSE port is not lower case (`80/TCP`).

    ## Why
    BuildKit lowercases the protocol, so the image is the same; the lower
    case form is the documented one and what every other tool prints. This is
    BuildKit's ExposeProtoCasing check, reported as a style finding (BuildKit:
    warning) because it cannot change the image. The fix lowercases it.

    ## Bad
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80/TCP
    ```

    ## Good
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80/tcp
    ```
    """

    code = "DSL611"
    name = "expose-protocol-casing"
    severity = Severity.STYLE
    fixable = True
    buildkit = ("ExposeProtoCasing",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "EXPOSE":
                continue
            for word in ins.args:
                text = word.text
                if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
                    continue
                plain = blank_variables(text)
                slash = plain.rfind("/")
                if slash < 0:
                    continue
                proto = text[slash + 1 :]
                if "$" in plain[slash + 1 :] or proto == proto.lower():
                    continue
                fix = None
                span = word.span
                if span.line == span.end_line:
                    start = span.column + slash + 1
                    fix = Fix(
                        f"write '{proto.lower()}'",
                        (Edit(Span(span.line, start, span.line, span.end_column), proto.lower()),),
                    )
                yield self.finding(
                    span,
                    f"protocol '{proto}' in EXPOSE {text} should be lower case: "
                    f"write {text[: slash + 1]}{proto.lower()}",
                    fix=fix,
                )
