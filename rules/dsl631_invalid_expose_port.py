from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.parser import has_variable
from dslint.rule import Finding, Rule, Severity

_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
_PROTOCOLS = ("tcp", "udp", "sctp")


def port_problem(value: str) -> str | None:
    """Why BuildKit rejects this EXPOSE word (None: it accepts it, or only the
    builder can tell because of a variable or a host mapping)."""
    if has_variable(value) or ":" in value:
        return None
    port, _, proto = value.partition("/")
    if proto and proto.lower() not in _PROTOCOLS:
        return f"the protocol '{proto}' is none of tcp, udp, sctp"
    m = _RANGE.match(port)
    if m is None:
        return f"'{port}' is not a port number or a low-high range"
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) is not None else low
    if max(low, high) > 65535:
        return f"port {max(low, high)} is above 65535, the highest port number"
    if high < low:
        return f"the range ends below its start (write {high}-{low})"
    return None


class InvalidExposePort(Rule):
    """EXPOSE names a port BuildKit cannot parse: out of range, not a number, or an unknown protocol.

    ## Why
    Ports are 16-bit numbers, 0 to 65535, optionally a `low-high` range, and
    the protocol is `tcp`, `udp` or `sctp`. BuildKit parses every EXPOSE word
    and stops the build ("invalid containerPort", "invalid range specified",
    "invalid proto") when one is out of bounds, is not a number (an inline
    `# comment` is not a comment here), has a range that runs backwards or
    names another protocol. Words with variables are judged by the builder only,
    and host-port or IP forms (`8080:80`) are a different check.

    ## Bad
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80 80443
    EXPOSE 8080/http
    ```

    ## Good
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80 443 30000-30010/udp 9000/SCTP
    ```
    """

    code = "DSL631"
    name = "invalid-expose-port"
    severity = Severity.ERROR
    hadolint = ("DL3011",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "EXPOSE":
                continue
            for i, token in enumerate(ins.args):
                if token.text.startswith("#"):
                    words = " ".join(t.text for t in ins.args[i:])
                    last = ins.args[-1].span
                    span = Span(token.span.line, token.span.column, last.end_line, last.end_column)
                    yield self.finding(
                        span,
                        f"EXPOSE reads '{words}' as ports: a comment must be on a line of "
                        "its own, and BuildKit stops the build",
                    )
                    break
                text = token.text.strip("\"'")
                problem = port_problem(text)
                if problem is not None:
                    yield self.finding(
                        token.span, f"EXPOSE {text}: {problem}, and BuildKit stops the build"
                    )
