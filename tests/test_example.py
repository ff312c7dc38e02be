"""The shipped example, fixtures/Dockerfile-multistage, shows the typical
multi-stage mistakes: the README's first command lints it."""

from __future__ import annotations

from dslint.engine import lint_text

from conftest import FIXTURES

EXAMPLE = FIXTURES / "Dockerfile-multistage"


def test_the_example_reports_each_mistake_it_carries() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    found = [(f.span.line, f.code) for f in lint_text(text, str(EXAMPLE))]
    assert found == [
        (14, "DSL401"),  # WORKDIR src: relative
        (16, "DSL201"),  # $SOURCE_DIR was set by ENV in the git stage only
        (17, "DSL202"),  # the global ARG APP_VERSION is not redeclared
        (19, "DSL110"),  # the test stage is not needed by the target
        (23, "DSL302"),  # the runtime stage starts from the full node image
        (23, "DSL304"),  # and runs as root
        (25, "DSL101"),  # --from=npn: a typo of npm
    ]


def test_the_typo_gets_a_did_you_mean() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    (typo,) = [f for f in lint_text(text, str(EXAMPLE)) if f.code == "DSL101"]
    assert typo.message.endswith("did you mean 'npm'?")
    assert typo.severity.label == "error"
