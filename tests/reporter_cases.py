"""Findings of every severity for the reporter golden tests, and the test-only
rules SARIF describes. Reporters are pure functions of their results, so the
findings are built by hand (they do not depend on the registry)."""

from __future__ import annotations

from pathlib import Path

from dslint.model import Span
from dslint.reporters import FileResult
from dslint.rule import Edit, Finding, Fix, Rule, Severity

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE = GOLDEN / "sample.Dockerfile"
SAMPLE_PATH = "tests/golden/sample.Dockerfile"


class BrokenThing(Rule):
    """A made-up error rule for the reporter tests.

    ## Why
    Reporters must carry an error's code, its `name` and its <level>.

    ## Bad
    ```dockerfile
    FROM scratch
    ```

    ## Good
    ```dockerfile
    FROM scratch
    ```
    """

    code = "TST001"
    name = "broken-thing"
    severity = Severity.ERROR


class ShakyThing(Rule):
    """A made-up warning rule for the reporter tests.

    ## Why
    Fixes travel with the finding.

    ## Bad
    ```dockerfile
    FROM scratch
    ```

    ## Good
    ```dockerfile
    FROM scratch
    ```
    """

    code = "TST002"
    name = "shaky-thing"
    severity = Severity.WARNING
    fixable = True


class NoteThing(Rule):
    """A made-up info rule for the reporter tests.

    ## Why
    Spans over several lines.

    ## Bad
    ```dockerfile
    FROM scratch
    ```

    ## Good
    ```dockerfile
    FROM scratch
    ```
    """

    code = "TST003"
    name = "note-thing"
    severity = Severity.INFO


class StyleThing(Rule):
    """A made-up style rule for the reporter tests, off by default.

    ## Why
    Exec form looks like rich markup.

    ## Bad
    ```dockerfile
    FROM scratch
    ```

    ## Good
    ```dockerfile
    FROM scratch
    ```
    """

    code = "TST004"
    name = "style-thing"
    severity = Severity.STYLE
    enabled_by_default = False


TEST_RULES: tuple[type[Rule], ...] = (BrokenThing, ShakyThing, NoteThing, StyleThing)


def sample_results() -> list[FileResult]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()

    def make(rule: type[Rule], span: Span, message: str, fix: Fix | None = None) -> Finding:
        return Finding(rule.code, rule.name, rule.severity, message, span, SAMPLE_PATH, fix)

    findings = [
        make(
            ShakyThing,
            Span(2, 6, 2, 17),
            "base image 'golang:1.22' is not pinned by digest, 100% of builds drift",
            Fix(
                "pin golang:1.22 by digest", (Edit(Span(2, 17, 2, 17), "@sha256:0000"),), safe=False
            ),
        ),
        make(NoteThing, Span(4, 5, 5, 27), "this RUN spans two lines:\nsecond line of the message"),
        make(
            BrokenThing,
            Span(8, 13, 8, 18),
            "COPY --from=biuld names no stage; did you mean 'build'? <a & b>, \"quoted\"",
            Fix("replace 'biuld' with 'build'", (Edit(Span(8, 13, 8, 18), "build"),)),
        ),
        make(StyleThing, Span(9, 5, 9, 38), 'exec form ["/app", "[bold]serve[/bold]"] is fine'),
    ]
    return [
        FileResult(path=SAMPLE_PATH, findings=findings, lines=lines),
        FileResult(path="clean/Dockerfile", findings=[], lines=["FROM scratch"]),
    ]
