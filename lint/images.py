"""The image knowledge base: what dslint knows about well-known base images.

The facts live in ``data/images.toml`` (its header documents the format);
this module loads them once and answers :func:`lookup`::

    info = lookup(parse_image_ref("node:20.15-bookworm"))
    info.family, info.toolchain, info.size_mb        # "node", True, 390.0
    [a.image for a in info.alternatives()]           # node:20.15-bookworm-slim, node:20.15-alpine

A reference that still holds a variable (``node:${VERSION}``) or that names an
image the file does not describe gives None: the rules then stay silent.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from dslint.model import ImageRef
from dslint.parser import has_variable, parse_image_ref

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})
# docker-library publishes every official image per architecture too (amd64/node).
_ARCH_NAMESPACE = re.compile(
    r"^(amd64|arm64v8|arm32v5|arm32v6|arm32v7|i386|ppc64le|s390x|riscv64|mips64le)/"
)
_PLACEHOLDER = "<version>"


@dataclass(frozen=True, slots=True)
class Alternative:
    """A runtime image to suggest, with its typical size when known."""

    image: str  # e.g. "node:20.15-bookworm-slim"; holds "<version>" when unknown
    size_mb: float | None
    family: str | None  # the family of the suggested image, None if not described

    @property
    def has_placeholder(self) -> bool:
        return _PLACEHOLDER in self.image


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the knowledge base says about one image reference."""

    image: str  # the reference as looked up
    family: str
    variant: str
    toolchain: bool  # a build image: compilers and headers inside
    build_only: bool  # made only to build: nothing needs it at run time
    heavy: bool  # much larger than a runtime alternative
    size_mb: float | None  # typical compressed size of this variant
    nonroot: bool  # runs as a non-root user by default
    has_shell: bool
    has_default_command: bool
    source: str  # where the facts and the size come from
    version: str | None = None  # the version group of the tag ("20.15")
    distro: str | None = None  # the distro group of the tag ("bookworm")
    templates: tuple[str, ...] = field(default=(), repr=False)
    versionless: bool = field(default=False, repr=False)

    def alternatives(self) -> list[Alternative]:
        """Runtime images to use instead, keeping this tag's version and distro."""
        out: list[Alternative] = []
        for template in self.templates:
            image = render(template, self.version, self.distro, self.versionless)
            probe = image.replace(_PLACEHOLDER, "1")
            info = lookup(parse_image_ref(probe))
            out.append(
                Alternative(
                    image=image,
                    size_mb=info.size_mb if info is not None else None,
                    family=info.family if info is not None else None,
                )
            )
        return out


def render(template: str, version: str | None, distro: str | None, versionless: bool) -> str:
    """Fill ``{version}``/``{distro}`` in an image template; drop the pieces (and
    the dash next to them) that are empty."""
    if version in (None, "", "latest"):
        version = "" if versionless or "{version}" not in template else _PLACEHOLDER
    slash = template.rfind("/")
    colon = template.find(":", slash + 1)
    if colon < 0:
        return template
    name, tag = template[:colon], template[colon + 1 :]
    tag = tag.replace("{version}", version or "").replace("{distro}", distro or "")
    tag = re.sub(r"-{2,}", "-", tag).strip("-")
    return f"{name}:{tag}" if tag else name


@dataclass(frozen=True, slots=True)
class _Variant:
    name: str
    tags: re.Pattern[str]
    toolchain: bool
    build_only: bool
    heavy: bool
    size_mb: float | None
    source: str
    nonroot: bool
    has_shell: bool
    has_default_command: bool
    defaults: dict[str, str]
    alternatives: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    repositories: tuple[re.Pattern[str], ...]
    repository_examples: tuple[str, ...]
    source: str
    versionless: bool
    variants: tuple[_Variant, ...]


def _bool(table: dict[str, Any], key: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"images.toml: {key} must be true or false, not {value!r}")
    return value


def _family(raw: dict[str, Any]) -> Family:
    name = str(raw["name"])
    source = str(raw.get("source", "")).strip()
    if not source:
        raise ValueError(f"images.toml: family {name} has no source")
    variants = []
    for v in raw.get("variant", []):
        size = v.get("size_mb")
        variants.append(
            _Variant(
                name=str(v["name"]),
                tags=re.compile(str(v["tags"])),
                toolchain=_bool(v, "toolchain", False),
                build_only=_bool(v, "build_only", False),
                heavy=_bool(v, "heavy", False),
                size_mb=float(size) if size is not None else None,
                source=str(v.get("size_source", source)),
                nonroot=_bool(v, "nonroot", _bool(raw, "nonroot", False)),
                has_shell=_bool(v, "has_shell", _bool(raw, "has_shell", True)),
                has_default_command=_bool(
                    v, "has_default_command", _bool(raw, "has_default_command", True)
                ),
                defaults={str(k): str(x) for k, x in v.get("defaults", {}).items()},
                alternatives=tuple(str(a) for a in v.get("alternatives", [])),
                examples=tuple(str(e) for e in v.get("examples", [])),
            )
        )
    if not variants:
        raise ValueError(f"images.toml: family {name} has no variant")
    return Family(
        name=name,
        repositories=tuple(re.compile(str(r)) for r in raw["repositories"]),
        repository_examples=tuple(
            str(r)
            for r in raw.get(
                "repository_examples",
                [r for r in raw["repositories"] if re.fullmatch(r"[a-z0-9._/-]+", str(r))],
            )
        ),
        source=source,
        versionless=_bool(raw, "versionless", False),
        variants=tuple(variants),
    )


@lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """Every family of ``data/images.toml``, in file order."""
    text = resources.files("dslint").joinpath("data/images.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return tuple(_family(raw) for raw in data.get("family", []))


def normalise_repository(ref: ImageRef) -> str:
    """``docker.io/library/node`` and ``amd64/node`` are ``node``; other
    registries stay in the name. Lowercased."""
    registry = (ref.registry or "").lower()
    repo = ref.repository.lower()
    if registry in DOCKER_HUB:
        registry = ""
    if not registry:
        repo = repo.removeprefix("library/")
        repo = _ARCH_NAMESPACE.sub("", repo)
    return f"{registry}/{repo}" if registry else repo


@lru_cache(maxsize=1024)
def _lookup(repository: str, tag: str, text: str) -> ImageInfo | None:
    for fam in families():
        if not any(p.fullmatch(repository) for p in fam.repositories):
            continue
        for v in fam.variants:
            m = v.tags.fullmatch(tag)
            if m is None:
                continue
            groups = {k: x for k, x in m.groupdict().items() if x}
            version = groups.get("version", v.defaults.get("version"))
            distro = groups.get("distro", v.defaults.get("distro"))
            return ImageInfo(
                image=text,
                family=fam.name,
                variant=v.name,
                toolchain=v.toolchain,
                build_only=v.build_only,
                heavy=v.heavy,
                size_mb=v.size_mb,
                nonroot=v.nonroot,
                has_shell=v.has_shell,
                has_default_command=v.has_default_command,
                source=v.source,
                version=version,
                distro=distro,
                templates=v.alternatives,
                versionless=fam.versionless,
            )
        return None
    return None


def lookup(ref: ImageRef) -> ImageInfo | None:
    """What the knowledge base says about ``ref``, or None when it does not know
    the image or the reference still holds a variable."""
    if has_variable(ref.text) or not ref.repository:
        return None
    if ref.is_scratch:
        return _lookup("scratch", "latest", ref.text)
    return _lookup(normalise_repository(ref), ref.tag or "latest", ref.text)


def lookup_text(text: str) -> ImageInfo | None:
    """:func:`lookup` for an image reference given as text."""
    return lookup(parse_image_ref(text))


def format_size(size_mb: float | None) -> str:
    """``≈ 390 MB`` (compressed), or ``size not recorded``."""
    if size_mb is None:
        return "size not recorded"
    if size_mb >= 10:
        return f"≈ {size_mb:.0f} MB"
    return f"≈ {size_mb:g} MB"
