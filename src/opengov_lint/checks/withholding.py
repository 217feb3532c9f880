"""Withholding rules: every 不予公开 needs one of the eight legal grounds."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Evidence, Finding, Location
from ..model import Report, Withholding
from ._locate import TABLE_NUMERAL
from .base import LintContext, Rule, register


def _location(w: Withholding, report: Report, context: LintContext) -> Location:
    if w.source == "table":
        table = report.table("table3")
        spec = context.packs.table_layout("table3", table.layout if table else "", context.format_in_force(report))
        denied = spec.row("denied") if spec is not None else None
        label = w.reason_text or (denied.label if denied is not None else "")
        return Location(
            path=f"{TABLE_NUMERAL['table3']}/{label}", section=3, table="table3", row=w.table_row, column="total", span=w.span
        )
    return Location(path=context.location("body"), span=w.span)


def _table_reasoned_total(report: Report) -> int:
    return sum(w.count or 0 for w in report.withholdings if w.source == "table" and w.reason)


@register
class WithholdingWithoutReason(Rule):
    code = "W001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        reasoned = _table_reasoned_total(report)
        has_table = report.table("table3") is not None
        for w in report.withholdings:
            if w.reason is not None or w.reason_text is not None or not w.count:
                continue
            if w.source == "prose" and (not has_table or (reasoned and w.count == reasoned)):
                # Without table 三 the prose may summarise a table we cannot see (an excerpt);
                # with it, the same count means the grounds are given there.
                continue
            variant = "prose" if w.source == "prose" else "table"
            yield self.finding(
                _location(w, report, context),
                Evidence(
                    quote=w.sentence or w.reason_text,
                    details={"count": str(w.count), "source": w.source, "table_grounds_total": str(reasoned)},
                ),
                variant=variant,
                discriminator=f"{w.source}:{w.count}:{w.sentence or ''}",
                count=w.count,
                sentence=w.sentence or "",
            )


@register
class UnknownWithholdingReason(Rule):
    code = "W002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for w in report.withholdings:
            if w.reason is not None or w.reason_text is None or not w.count:
                continue
            yield self.finding(
                _location(w, report, context),
                Evidence(
                    quote=w.sentence or w.reason_text,
                    details={"reason": w.reason_text, "count": str(w.count), "source": w.source},
                ),
                discriminator=f"{w.source}:{w.reason_text}",
                reason=w.reason_text,
                count=w.count,
            )
