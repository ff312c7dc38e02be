from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl611_expose_protocol_casing import blank_variables


class ExposeHostMapping(Rule):
    """EXPOSE names a host port or an IP address (`8080:80`, `127.0.0.1:80:80`).

    ## Why
    EXPOSE only documents which container ports the image listens on; the host
    side of a mapping is chosen by `docker run -p`. BuildKit drops the host
    port and address, so `EXPOSE 8080:80` exposes 80 and the 8080 the author
    meant is lost. Docker plans to make this an error (BuildKit's
    ExposeInvalidFormat check). Variables in `${...}` are looked through: a
    `:` inside `${PORT:-80}` is not a mapping (tally reports that one).

    ## Bad
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 8080:80
    ```

    ## Good
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80
    ```
    """

    code = "DSL612"
    name = "expose-host-mapping"
    severity = Severity.WARNING
    buildkit = ("ExposeInvalidFormat",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "EXPOSE":
                continue
            for word in ins.args:
                text = word.text
                if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
                    text = text[1:-1]
                plain = blank_variables(text)
                if ":" not in plain:
                    continue
                container = text[plain.rfind(":") + 1 :]
                yield self.finding(
                    word.span,
                    f"EXPOSE {text} names a host port or address, which the build "
                    f"drops; write EXPOSE {container or '<port>'} and map the host side "
                    "with docker run -p",
                )
