from __future__ import annotations

import re
from collections.abc import Iterator

from dslint.engine import Context
from dslint.rule import Finding, Rule, Severity

# containerd's platform names (what BuildKit's platforms.Parse accepts).
KNOWN_OS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    ]
)
_ARCH_ALIASES = {
    "i386": "386",
    "x86_64": "amd64",
    "x86-64": "amd64",
    "aarch64": "arm64",
    "armhf": "arm",
    "armel": "arm",
}
KNOWN_ARCH = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)


_SPECIFIER = re.compile(r"[a-z0-9_\-]+")


def parse_platform(text: str) -> tuple[str, str] | None:
    """(os, arch) of a constant platform string, normalized as containerd does;
    None when BuildKit could not parse it (the build fails there instead)."""
    parts = text.lower().split("/")
    if len(parts) > 3 or not all(_SPECIFIER.fullmatch(p.split("(")[0]) for p in parts):
        return None
    if len(parts) == 1:
        word = parts[0]
        if word in KNOWN_OS:
            return word, ""
        arch = _ARCH_ALIASES.get(word, word)
        return ("linux", arch) if arch in KNOWN_ARCH else None
    os_name = parts[0].split("(")[0]
    arch = _ARCH_ALIASES.get(parts[1], parts[1])
    return os_name, arch


def unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


class ConstantPlatform(Rule):
    """FROM `--platform` names a fixed platform instead of a build argument.

    ## Why
    `FROM --platform=linux/amd64` builds that stage for amd64 whatever
    platform the build is for, so a multi-platform build (or a build on an
    arm64 Mac) quietly mixes platforms or runs under emulation. Use
    `$BUILDPLATFORM` for stages that only produce files (cross-compilers) and
    leave the platform out, or use `$TARGETPLATFORM`, for the rest. This is
    BuildKit's FromPlatformFlagConstDisallowed check: like BuildKit, dslint
    accepts a constant when the stage name contains its OS or architecture
    (`AS build-arm64` says the pin is deliberate), and ignores values BuildKit
    cannot parse. hadolint's DL3029 flags every `--platform` that does not name
    BUILDPLATFORM or TARGETPLATFORM, `$TARGETOS/$TARGETARCH` included; dslint
    only flags constants.

    ## Bad
    ```dockerfile
    FROM --platform=linux/amd64 golang:1.22 AS build
    RUN go version
    ```

    ## Good
    ```dockerfile
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    RUN go version
    ```
    """

    code = "DSL608"
    name = "constant-platform"
    severity = Severity.WARNING
    buildkit = ("FromPlatformFlagConstDisallowed",)
    hadolint = ("DL3029",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            flag = stage.platform
            if flag is None or flag.value is None or flag.value_span is None:
                continue
            value = unquote(flag.value)
            if "$" in value:
                continue
            parsed = parse_platform(value)
            if parsed is None:
                continue
            os_name, arch = parsed
            alias = stage.alias or ""
            if (os_name and os_name in alias) or (arch and arch in alias):
                continue
            yield self.finding(
                flag.value_span,
                f"--platform={value} pins stage '{stage.label}' to one platform whatever "
                "the build targets; use $BUILDPLATFORM or $TARGETPLATFORM, or name the "
                f"stage after the platform (e.g. AS {stage.alias or 'build'}-{arch or os_name}) "
                "if the pin is meant",
            )
