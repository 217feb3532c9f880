"""X005: a file of a batch that could not be read as a report (issue 6).

Never finds anything itself: batch mode (:mod:`opengov_lint.batch`) reports such a file under
this code with :func:`input_error_finding`, instead of stopping the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..engine import LintContext, Rule, register
from ..findings import Evidence, Finding, Location
from ..model import Report
from ..packs import Packs


@register
class BatchInputError(Rule):
    code = "X005"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        return iter(())


def input_error_finding(packs: Packs, path: str, error: str) -> Finding:
    spec = packs.catalogue.get("X005")
    assert spec is not None
    return BatchInputError(spec).finding(
        Location(path=path),
        Evidence(details={"error": error}),
        discriminator="input-error",
        error=error,
    )
