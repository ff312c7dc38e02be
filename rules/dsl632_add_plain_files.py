from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.parser import has_variable
from dslint.rule import Edit, Finding, Fix, Rule, Severity
from dslint.rules.dsl401_relative_workdir import unquote

# Local archives ADD unpacks (tar, optionally compressed), as suffixes.
_ARCHIVE = re.compile(
    r"\.(tar|z|bz2|gz|lz|lzma|tz|tb2|tbz|tbz2|tgz|tlz|tpz|txz|xz|zst|tzst)$", re.IGNORECASE
)
_REMOTE = re.compile(r"^(https?://|git@|git://|ssh://)", re.IGNORECASE)
_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})


class AddPlainFiles(Rule):
    """ADD copies local files that are neither archives nor URLs: use COPY.

    ## Why
    ADD does more than COPY: it downloads URLs, clones git repositories and
    unpacks local tar archives. For plain files and folders it does the same as
    COPY, but a reader has to check every source to know that, and a file that
    later becomes a `.tar.gz` is silently unpacked. COPY says what happens.
    A source with a variable is not judged. Zip files are not unpacked by ADD,
    so they count as plain files. ADD recognises a tar archive by its content,
    so the fix (ADD → COPY) is offered as unsafe: check that no source is a
    tar file without an archive suffix.

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    ADD requirements.txt app/ /srv/
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    COPY requirements.txt app/ /srv/
    ADD rootfs.tar.gz /
    ADD https://example.com/tool.tgz /tmp/
    ```
    """

    code = "DSL632"
    name = "add-plain-files"
    severity = Severity.WARNING
    fixable = True
    hadolint = ("DL3020",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "ADD" or ins.heredocs or len(ins.args) < 2:
                continue
            if any(f.name in _ADD_ONLY_FLAGS for f in ins.flags):
                continue
            sources = [unquote(t.text) for t in ins.args[:-1]]
            if any(
                not s or has_variable(s) or _REMOTE.match(s) or _ARCHIVE.search(s) for s in sources
            ):
                continue
            shown = " ".join(sources)
            keyword = ins.keyword_token
            copy = "copy" if keyword.text.islower() else "COPY"
            # Unsafe: ADD also unpacks a tar archive whose name has no archive suffix.
            fix = Fix(f"replace ADD with {copy}", (Edit(keyword.span, copy),), safe=False)
            yield self.finding(
                keyword.span,
                f"ADD {shown} copies plain local files: use COPY, which does only that",
                fix=fix,
            )
