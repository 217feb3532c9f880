"""Input problems found by the readers of issue 3: cells that ran together and cannot be split
in one way (X002), tables or pages published as images (X003), inputs over a safety limit (X004).

The readers record these as parse notes; the rules only turn the notes into findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..engine import LintContext, Rule, register
from ..findings import Evidence, Finding, Location
from ..model import ParseNote, Report
from ._util import TABLE_NUMERAL, TABLE_SECTION


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
