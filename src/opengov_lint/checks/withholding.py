"""Withholding rules: every 不予公开 needs one of the eight legal grounds."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Evidence, Finding, Location
from ..model import Report, Withholding
from ._locate import TABLE_NUMERAL, misaligned
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


def _grounds_read(report: Report, context: LintContext) -> bool:
    """Table 三 is there and its grounds of 不予公开 were read: every ground row of its layout is
    present, holds a number, and was read with the right number of cells. When one is not, what
    the table says about the grounds is unknown, and a count in the prose cannot be judged."""
    table = report.table("table3")
    if table is None:
        return False
    spec = context.packs.table_layout("table3", table.layout, context.format_in_force(report))
    if spec is None:
        return False
    whole, rows = misaligned(report, "table3")
    if whole:
        return False
    for r in spec.data_rows_under("denied"):
        row = table.row(r.key)
        if row is None or r.key in rows or not any(c.value is not None for c in row.cells):
            return False
    return True


@register
class WithholdingWithoutReason(Rule):
    code = "W001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        reasoned = _table_reasoned_total(report)
        grounds_read = _grounds_read(report, context)
        for w in report.withholdings:
            if w.reason is not None or w.reason_text is not None or not w.count:
                continue
            if w.source == "prose" and (not grounds_read or (reasoned and w.count == reasoned)):
                # Without table 三 the prose may summarise a table we cannot see (an excerpt), and a
                # table whose ground rows were not all read may hold them; with it read, the same
                # count means the grounds are given there.
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
