"""The image knowledge base (data/images.toml) and its lookup API."""

from __future__ import annotations

import re

import pytest

from dslint.images import families, lookup, lookup_text, render
from dslint.parser import parse_image_ref

ALL_EXAMPLES = [
    (fam.name, variant.name, f"{repo}:{tag}")
    for fam in families()
    for repo in fam.repository_examples
    for variant in fam.variants
    for tag in variant.examples
]


def test_every_family_has_a_source_examples_and_variants() -> None:
    assert families(), "the knowledge base is empty"
    for fam in families():
        assert fam.source.strip(), f"{fam.name} has no source"
        assert fam.repository_examples, f"{fam.name} has no repository example"
        for variant in fam.variants:
            assert variant.source.strip(), f"{fam.name}/{variant.name} has no source"
            assert variant.examples, f"{fam.name}/{variant.name} has no example tag"


_FIGURE = re.compile(r"(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?\s*(?:MB|MiB)")


def test_every_size_is_backed_by_a_figure_in_its_source() -> None:
    # size_mb must lie within (10% of) a figure or range its source quotes.
    for fam in families():
        for variant in fam.variants:
            size = variant.size_mb
            if size is None or size == 0:
                continue
            ranges = [(float(lo), float(hi or lo)) for lo, hi in _FIGURE.findall(variant.source)]
            assert any(lo * 0.9 <= size <= hi * 1.1 for lo, hi in ranges), (
                f"{fam.name}/{variant.name}: {size} MB is not in its source: {variant.source}"
            )


@pytest.mark.parametrize(("family", "variant", "image"), ALL_EXAMPLES, ids=lambda x: str(x))
def test_each_example_tag_selects_its_variant(family: str, variant: str, image: str) -> None:
    info = lookup_text(image)
    assert info is not None, f"{image} is not recognised"
    assert (info.family, info.variant) == (family, variant)


@pytest.mark.parametrize(("family", "variant", "image"), ALL_EXAMPLES, ids=lambda x: str(x))
def test_every_suggested_alternative_is_itself_in_the_table(
    family: str, variant: str, image: str
) -> None:
    info = lookup_text(image)
    assert info is not None
    for alt in info.alternatives():
        probe = alt.image.replace("<version>", "21")
        found = lookup_text(probe)
        assert found is not None, f"{image} suggests {alt.image}, which the table does not describe"
        assert not found.toolchain, f"{image} suggests {alt.image}, itself a build image"
        assert alt.family == found.family
        if info.size_mb is not None and alt.size_mb is not None:
            assert alt.size_mb < info.size_mb, f"{alt.image} is not lighter than {image}"


def test_heavy_images_suggest_something() -> None:
    for fam in families():
        for variant in fam.variants:
            if variant.heavy and fam.name != "buildpack-deps":
                assert variant.alternatives, (
                    f"{fam.name}/{variant.name} is heavy with no alternative"
                )


@pytest.mark.parametrize(
    ("image", "suggested"),
    [
        ("node:20.15-bookworm", ["node:20.15-bookworm-slim", "node:20.15-alpine"]),
        ("node:20", ["node:20-slim", "node:20-alpine"]),
        ("node:lts", ["node:lts-slim", "node:lts-alpine"]),
        ("node", ["node:slim", "node:alpine"]),
        ("python:3.12.4-bookworm", ["python:3.12.4-slim-bookworm", "python:3.12.4-alpine"]),
        ("docker.io/library/python:3.12", ["python:3.12-slim", "python:3.12-alpine"]),
        ("eclipse-temurin:21-jdk-jammy", ["eclipse-temurin:21-jre-jammy"]),
        ("maven:3.9.6-eclipse-temurin-17", ["eclipse-temurin:17-jre"]),
        ("gradle:8.7.0-jdk21-jammy", ["eclipse-temurin:21-jre"]),
        ("openjdk:11-jdk", ["eclipse-temurin:11-jre"]),
        ("rust:1.79-slim-bookworm", ["debian:bookworm-slim", "gcr.io/distroless/cc-debian12"]),
        (
            "mcr.microsoft.com/dotnet/sdk:8.0.302",
            [
                "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled",
                "mcr.microsoft.com/dotnet/aspnet:8.0-alpine",
                "mcr.microsoft.com/dotnet/aspnet:8.0",
            ],
        ),
    ],
)
def test_a_suggestion_keeps_the_version(image: str, suggested: list[str]) -> None:
    info = lookup_text(image)
    assert info is not None
    assert [a.image for a in info.alternatives()] == suggested


def test_an_unknown_version_is_shown_not_invented() -> None:
    info = lookup_text("maven:3.9")
    assert info is not None
    assert [a.image for a in info.alternatives()] == ["eclipse-temurin:<version>-jre"]
    assert info.alternatives()[0].has_placeholder


def test_lookup_reads_the_facts_the_rules_need() -> None:
    node = lookup(parse_image_ref("node:20.15-bookworm"))
    assert node is not None
    assert (node.family, node.toolchain, node.heavy, node.build_only) == ("node", True, True, False)
    assert node.size_mb == 390 and "repo-info" in node.source
    golang = lookup_text("golang:1.22-alpine")
    assert golang is not None and golang.build_only and golang.toolchain
    nonroot = lookup_text("gcr.io/distroless/static-debian12:nonroot")
    assert nonroot is not None
    assert (nonroot.nonroot, nonroot.has_shell, nonroot.has_default_command) == (True, False, False)
    root = lookup_text("gcr.io/distroless/static-debian12")
    assert root is not None and not root.nonroot
    scratch = lookup_text("scratch")
    assert scratch is not None and not scratch.has_default_command and scratch.size_mb == 0
    assert lookup_text("alpine:3.20") is not None and lookup_text("alpine:3.20").has_shell  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "image",
    [
        "node:${NODE_VERSION}",
        "registry.example.com/team/app:1.0",
        "ghcr.io/acme/node:20",
        "nodejs:20",
    ],
)
def test_unknown_images_and_variables_give_none(image: str) -> None:
    assert lookup_text(image) is None


def test_architecture_namespaces_and_digests_are_the_official_image() -> None:
    info = lookup_text("arm64v8/python:3.12-slim")
    assert info is not None and info.family == "python" and info.variant == "slim"
    pinned = lookup_text("node:20.15-bookworm@sha256:" + "a" * 64)
    assert pinned is not None and pinned.variant == "full"


def test_render_drops_empty_pieces() -> None:
    assert render("node:{version}-{distro}-slim", "20", None, True) == "node:20-slim"
    assert render("node:{version}-{distro}-slim", None, None, True) == "node:slim"
    assert render("alpine:3", None, None, True) == "alpine:3"
    assert render("eclipse-temurin:{version}-jre", "latest", None, False) == (
        "eclipse-temurin:<version>-jre"
    )


def test_the_data_file_ships_in_the_package() -> None:
    from importlib import resources

    assert resources.files("dslint").joinpath("data/images.toml").is_file()
