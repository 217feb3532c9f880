"""Input and engine rules: unreadable input, reports of the old regime, and rule crashes."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine import LintContext, Rule, register
from ..findings import Evidence, Finding, Location
from ..model import Report

_UNREADABLE = {"empty", "undecodable", "not-a-report"}


@register
class UnreadableInput(Rule):
    code = "X001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            if note.kind in _UNREADABLE:
                yield self.finding(
                    Location(path=report.source_name or "输入", span=note.span),
                    Evidence(details={"kind": note.kind, "detail": note.detail or note.message}),
                    variant=note.kind,
                    discriminator=note.kind,
                    detail=note.detail or note.message,
                )


@register
class LegacyRegime(Rule):
    code = "L001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        year = report.metadata.report_year
        pack = context.format_in_force(report)
        if year is None or pack is None or pack.tables:
            return
        yield self.finding(
            Location(path="年度", span=report.metadata.title_span),
            Evidence(details={"report_year": str(year), "regime": pack.id}),
            discriminator=str(year),
            year=year,
        )


@register
class InternalError(Rule):
    """Never finds anything itself: the engine reports a crashing rule under this code."""

    code = "X900"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        return iter(())
