from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.parser import has_variable
from dslint.rule import Finding, Rule, Severity

_PORTS = re.compile(r"^(\d+)(?:-(\d+))?$")


class ExposePortOutOfRange(Rule):
    """EXPOSE names a port above 65535 or a range that runs backwards.

    ## Why
    Ports are 16-bit numbers, 0 to 65535. BuildKit parses every EXPOSE value as
    a port or a `low-high` range and stops the build with "invalid
    containerPort" or "invalid range specified" when one is out of bounds or
    its end is lower than its start. Values with variables are judged by the
    builder only, and host-port or IP forms (`8080:80`) are a different check.

    ## Bad
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80 80443
    ```

    ## Good
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80 443 30000-30010/udp
    ```
    """

    code = "DSL631"
    name = "expose-port-out-of-range"
    severity = Severity.ERROR
    hadolint = ("DL3011",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "EXPOSE":
                continue
            for token in ins.args:
                text = token.text.strip("\"'")
                if has_variable(text) or ":" in text:
                    continue
                port = text.split("/", 1)[0]
                m = _PORTS.match(port)
                if m is None:
                    continue
                low = int(m.group(1))
                high = int(m.group(2)) if m.group(2) is not None else low
                if max(low, high) > 65535:
                    yield self.finding(
                        token.span,
                        f"EXPOSE {text}: port {max(low, high)} is above 65535, the highest "
                        "port number, and BuildKit stops the build",
                    )
                elif high < low:
                    yield self.finding(
                        token.span,
                        f"EXPOSE {text}: the range ends below its start; write {high}-{low}",
                    )
