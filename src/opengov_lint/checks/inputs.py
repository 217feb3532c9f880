"""Input and engine rules: what the readers could not read, and what the engine or batch mode
could not run.

X001 unreadable input, X002 cells that ran together and cannot be split one way, X003 tables or
pages published as images, X004 inputs over a safety limit, L001 reports of the old regime,
X005 a file of a batch that could not be read as a report, X900 a rule that crashed. The readers
record input problems as parse notes; these rules only turn the notes into findings. X005 and
X900 never find anything themselves: batch mode reports a file under X005 with
:func:`input_error_finding`, the engine a crashing rule under X900.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..findings import Evidence, Finding, Location
from ..model import ParseNote, Report
from ..packs import Packs
from ._locate import TABLE_NUMERAL, TABLE_SECTION
from .base import LintContext, Rule, register

__all__ = ["input_error_finding"]

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


def _detail(note: ParseNote) -> dict[str, str]:
    try:
        d = json.loads(note.detail)
    except (ValueError, TypeError):
        return {"detail": note.detail or note.message}
    return {str(k): str(v) for k, v in d.items()} if isinstance(d, dict) else {"detail": str(d)}


@register
class AmbiguousCellSplit(Rule):
    code = "X002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            if note.kind != "ambiguous-split":
                continue
            d = _detail(note)
            table = d.get("table", "")
            num = TABLE_NUMERAL.get(table, table)
            yield self.finding(
                Location(path=f"{num}/{d.get('label', '')}", section=TABLE_SECTION.get(table), table=table or None, span=note.span),
                Evidence(quote=d.get("run", ""), details=d),
                discriminator=f"{table}:{d.get('label', '')}",
                numeral=num,
                label=d.get("label", ""),
                run=d.get("run", ""),
                why=d.get("why", ""),
                why_en=d.get("why_en", ""),
                candidates=d.get("candidates", ""),
            )


@register
class ContentAsImage(Rule):
    code = "X003"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            if note.kind not in ("image-table", "image-page"):
                continue
            d = _detail(note)
            if note.kind == "image-table":
                section = int(d["section"]) if d.get("section", "").isdigit() else None
                yield self.finding(
                    Location(path=d.get("heading", "表格"), section=section, span=note.span),
                    Evidence(quote=d.get("src", ""), details=d),
                    variant="table",
                    discriminator=f"table:{d.get('src', '')}",
                    heading=d.get("heading", ""),
                    src=d.get("src", ""),
                )
            else:
                yield self.finding(
                    Location(path=report.source_name or "输入", span=note.span),
                    Evidence(details=d),
                    variant="page",
                    discriminator="page",
                    pages=d.get("pages", "?"),
                )


@register
class InputOverLimit(Rule):
    code = "X004"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            if note.kind not in ("over-limit", "truncated"):
                continue
            d = _detail(note)
            variant = d.get("limit_kind", "size")
            yield self.finding(
                Location(path=report.source_name or "输入", span=note.span),
                Evidence(details=d),
                variant=variant,
                discriminator=variant,
                size=d.get("size", "?"),
                limit=d.get("limit", "?"),
                detail=d.get("detail", note.message),
            )


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
