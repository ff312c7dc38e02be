from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dslint.commands import (
    PackageOp,
    commands_of,
    installs_dev_dependencies,
    package_op,
    scripts_of,
)
from dslint.engine import Context
from dslint.model import Instruction
from dslint.parser import has_variable
from dslint.rule import Finding, Rule, Severity
from dslint.rules.dsl3_shipped import (
    chain_instructions,
    find_word,
    is_dev_target,
    is_windows,
    runs_application,
)

BUILD_PACKAGES = frozenset(
    {
        "build-essential",
        "build-base",
        "gcc",
        "g++",
        "gcc-c++",
        "clang",
        "make",
        "cmake",
        "autoconf",
        "automake",
        "libtool",
        "git",
        "maven",
        "gradle",
    }
)
# Counted only next to another build tool: on its own it is usually a run-time need.
RUNTIME_TOO = frozenset({"git"})
_VERSIONED_COMPILER = re.compile(r"^(gcc|g\+\+|clang)-[0-9.]+$")


def is_build_package(name: str) -> bool:
    return (
        name in BUILD_PACKAGES
        or name.endswith(("-dev", "-devel"))
        or _VERSIONED_COMPILER.match(name) is not None
    )


@dataclass
class _Installed:
    ins: Instruction
    op: PackageOp
    package: str


class BuildToolsInFinalStage(Rule):
    """The shipped image installs compilers, build tools or development dependencies.

    ## Why
    Whatever a RUN installs in the shipped stages stays in the image:
    `build-essential`, `gcc`, `make`, `cmake`, `git`, `*-dev` headers, maven or
    gradle, or the devDependencies of `npm install`/`npm ci` (without
    `--omit=dev`, `--production` or `NODE_ENV=production`) and
    `pip install -r requirements-dev.txt`. They make the image larger and give
    an attacker a compiler. Install them in a builder stage and copy only the
    result, or remove them in the same RUN (`apk add --virtual .build-deps ...
    && apk del .build-deps`, `apt-get purge --auto-remove`). Builder stages are
    not judged, nor images meant as a build, CI, dev or test environment (named
    so, or running no application: no EXPOSE and no CMD/ENTRYPOINT but a
    shell or a build script); `git` alone is not reported, as applications
    often need it at run time.

    ## Bad
    ```dockerfile
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
        && rm -rf /var/lib/apt/lists/*
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    CMD ["python", "-m", "app"]
    ```

    ## Good
    ```dockerfile
    FROM python:3.12-slim AS build
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    COPY requirements.txt .
    RUN pip wheel --wheel-dir /wheels -r requirements.txt

    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\
        && rm -rf /var/lib/apt/lists/*
    COPY --from=build /wheels /wheels
    RUN pip install --no-cache-dir /wheels/*
    CMD ["python", "-m", "app"]
    ```
    """

    code = "DSL303"
    name = "build-tools-in-final-stage"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        if is_windows(ctx) or is_dev_target(ctx) or not runs_application(ctx):
            return  # a dev, CI, tool or base image may carry a toolchain on purpose
        df = ctx.dockerfile
        installed: dict[str, _Installed] = {}
        groups: dict[str, list[str]] = {}
        dev_installs: list[tuple[Instruction, str]] = []
        pruned = False
        node_env: str | None = None
        for ins in chain_instructions(ctx):
            if ins.keyword in ("ENV", "ARG"):
                for kv in ins.key_values:
                    if kv.key == "NODE_ENV":
                        # an ARG without a default is set by --build-arg: unknown
                        node_env = kv.value if kv.value is not None else "$"
                continue
            if ins.keyword != "RUN":
                continue
            commands = commands_of(ins)
            scripts = " ".join(scripts_of(ins))
            this_run: list[str] = []
            for cmd in commands:
                op = package_op(cmd)
                if op is not None and op.action == "install" and cmd.conditional:
                    continue  # installed only under a condition: not by default
                if op is not None and op.action == "install":
                    for name in op.packages:
                        if is_build_package(name):
                            installed[name] = _Installed(ins, op, name)
                            this_run.append(name)
                    if op.group:
                        groups.setdefault(op.group, []).extend(op.packages)
                    continue
                if op is not None and op.action == "remove":
                    for name in op.packages:
                        installed.pop(name, None)
                        for member in groups.pop(name, []):
                            installed.pop(member, None)
                    if op.auto_remove and "apt-mark auto" in scripts:
                        for name in this_run:
                            installed.pop(name, None)
                    continue
                argv = cmd.argv
                if cmd.name in ("yum", "dnf") and argv[1:3] == ["history", "undo"]:
                    for name in this_run:
                        installed.pop(name, None)
                if cmd.name == "npm" and "prune" in argv[1:2]:
                    pruned = True
                what = installs_dev_dependencies(cmd, node_env)
                if what is not None and not cmd.conditional:
                    dev_installs.append((ins, what))
        by_ins: dict[int, list[_Installed]] = {}
        for item in installed.values():
            by_ins.setdefault(item.ins.index, []).append(item)
        for items in by_ins.values():
            if all(i.package in RUNTIME_TOO for i in items):
                continue  # git alone is usually needed at run time (gitea, CI runners)
            ins = items[0].ins
            names = [i.package for i in items]
            stage = df.stages[ins.stage].label if ins.stage is not None else "?"
            shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
            target = df.stages[ctx.target].label if ctx.target is not None else stage
            where = f"stage '{stage}'" if stage == target else f"stage '{target}' (from '{stage}')"
            yield self.finding(
                find_word(df, ins, names[0]),
                f"{where} ships build tools ({shown}) installed with {items[0].op.manager}: "
                "they stay in the final image; install them in a builder stage and copy only "
                "the result, or remove them in the same RUN",
            )
        if pruned:
            return
        for ins, what in dev_installs:
            stage = df.stages[ins.stage].label if ins.stage is not None else "?"
            word = what.split()[-1]
            if has_variable(word):
                continue
            yield self.finding(
                find_word(df, ins, word),
                f"`{what}` in stage '{stage}' installs development dependencies into the "
                "final image: "
                + (
                    "use `npm ci --omit=dev` (or set NODE_ENV=production), or install them "
                    "in a builder stage"
                    if what.startswith("npm")
                    else "install only the runtime requirements here, and the dev ones in a "
                    "builder or test stage"
                ),
            )
