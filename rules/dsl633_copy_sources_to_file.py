from __future__ import annotations

from collections.abc import Iterator

from dslint.engine import Context
from dslint.model import Span
from dslint.parser import has_variable
from dslint.rule import Edit, Finding, Fix, Rule, Severity
from dslint.rules.dsl401_relative_workdir import unquote


class CopySourcesToFile(Rule):
    """COPY or ADD has several sources but a destination that does not end with `/`.

    ## Why
    With more than one source the destination must be a directory, and the
    Dockerfile reference requires it to end with `/`. Without the slash the
    classic builder refuses the instruction, and the reader cannot tell whether
    a file or a folder was meant. `.` is a directory to BuildKit and is fine,
    and a destination that ends with a variable is not judged.

    ## Bad
    ```dockerfile
    FROM node:22-slim
    COPY package.json package-lock.json /app
    ```

    ## Good
    ```dockerfile
    FROM node:22-slim
    COPY package.json package-lock.json /app/
    ```
    """

    code = "DSL633"
    name = "copy-sources-to-file"
    severity = Severity.WARNING
    fixable = True
    hadolint = ("DL3021",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword not in ("COPY", "ADD") or len(ins.args) < 3:
                continue
            dest_token = ins.args[-1]
            dest = unquote(dest_token.text)
            if dest.endswith(("/", "\\")) or dest in (".", "..") or has_variable(dest):
                continue
            count = len(ins.args) - 1
            fix = None
            if not ins.json:
                end = dest_token.span
                at = end.end_column - (1 if dest_token.text != dest else 0)
                point = Span(end.end_line, at, end.end_line, at)
                fix = Fix(f"write the destination as {dest}/", (Edit(point, "/"),))
            yield self.finding(
                dest_token.span,
                f"{ins.keyword} has {count} sources, so its destination '{dest}' must be a "
                f"directory: write '{dest}/'",
                fix=fix,
            )
