from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity

_DIRECTIVE = re.compile(r"^(syntax|escape|check)\s*=", re.IGNORECASE)


class DefinitionDescription(Rule):
    """The comment above a named stage or an ARG does not start with its name.

    ## Why
    `docker buildx build --call=outline` and `--call=targets` show the comment
    directly above `FROM ... AS name` or `ARG NAME` as its description, but
    only when the comment starts with that name (`# build compiles the
    server`). This is BuildKit's experimental InvalidDefinitionDescription
    check; it is off by default, as in BuildKit (enable it with
    `--extend-select DSL613`). As in BuildKit, the last comment line above is
    read, a blank `#` line ends a description, and parser directives
    (`# syntax=...`) are not descriptions.

    ## Bad
    ```dockerfile
    # Compiles the server
    FROM golang:1.22 AS build
    RUN go version
    ```

    ## Good
    ```dockerfile
    # build compiles the server
    FROM golang:1.22 AS build
    RUN go version
    ```
    """

    code = "DSL613"
    name = "definition-description"
    severity = Severity.WARNING
    enabled_by_default = False
    buildkit = ("InvalidDefinitionDescription",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        df = ctx.dockerfile
        for ins in df.instructions:
            comments = ins.comments
            if ins.index == 0 and df.directives:
                # Parser directives at the top are not a description.
                comments = tuple(c for c in comments if not _DIRECTIVE.match(c))
            if not comments:
                continue
            if ins.keyword == "FROM":
                stage = df.stages[ins.stage] if ins.stage is not None else None
                if stage is None or stage.name is None or stage.alias is None:
                    continue
                names = [stage.alias]
                span = stage.name.span
                what = "stage"
            elif ins.keyword == "ARG" and ins.key_values:
                names = [kv.key for kv in ins.key_values]
                span = ins.key_values[0].key_span
                what = "ARG"
            else:
                continue
            first = comments[-1].split(" ")[0]
            if first in names:
                continue
            example = names[0] if len(names) == 1 else "<name>"
            yield self.finding(
                span,
                f"the comment above this {what} is not a description: start it with the "
                f"name, '# {example} <description>', or separate it with a blank '#' line",
            )
