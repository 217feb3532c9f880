"""Cross-year rules: a report compared with last year's report of the same agency.

They run when the engine is given ``previous`` (``--previous``, or the pairing of batch mode,
see :mod:`opengov_lint.batch`) and say nothing otherwise. T105 (carry-over) lives with the
table rules; T106 and T107 are here. Thresholds come from ``[crossyear]`` in
``rules/regulation.toml``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator

from ..findings import Evidence, Finding, Location, Term
from ..model import CellKind, Report, Row, Table
from ..packs import Packs, TableSpec
from ..textutil import normalize
from ._locate import (
    cell_location,
    cell_path,
    column_label,
    format_number,
    format_with_tables,
    numeral,
    row_label,
    table_spec,
    term,
)
from .base import LintContext, Rule, register

__all__ = [
    "RegulationStock",
    "CopiedText",
    "PreviousNotComparable",
    "previous_mismatch_finding",
    "text_similarity",
    "comparable_years",
]


def comparable_years(report: Report, previous: Report | None) -> int | None:
    """Last year's report year when ``previous`` is the report of the year before; else None
    (no previous report, or years unknown or not consecutive: T105 says so itself)."""
    if previous is None:
        return None
    year, prev_year = report.metadata.report_year, previous.metadata.report_year
    if year is None or prev_year is None or prev_year != year - 1:
        return None
    return prev_year


# ---------------------------------------------------------------- T105


@register
class CarryOver(Rule):
    code = "T105"
    cross_year = True

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        prev = context.previous
        if prev is None:
            return
        this_t, prev_t = report.table("table3"), prev.table("table3")
        if this_t is None or prev_t is None:
            return
        year, prev_year = report.metadata.report_year, prev.metadata.report_year
        if year is not None and prev_year is not None and prev_year != year - 1:
            yield self.finding(
                Location(path=self.word("path"), section=3, table="table3", row="carried_over"),
                Evidence(details={"report_year": str(year), "previous_year": str(prev_year)}),
                variant="not-previous-year",
                discriminator="years",
                year=year,
                previous_year=prev_year,
            )
            return
        in_force = format_with_tables(report, context)
        spec = table_spec(this_t, in_force, context.packs)
        prev_spec = table_spec(prev_t, context.format_in_force(prev), context.packs)
        now_row, prev_row = this_t.row("carried_over"), prev_t.row("carried_forward")
        if now_row is None or prev_row is None or spec is None:
            return
        for col in [c.key for c in spec.columns]:
            a, b = now_row.cell(col), prev_row.cell(col)
            if a is None or b is None or a.kind is not CellKind.NUMBER or b.kind is not CellKind.NUMBER:
                continue
            if a.value == b.value:
                continue
            lt = term(prev_t, prev_spec, prev_row, col)
            rt = term(this_t, spec, now_row, col)
            yield self.finding(
                cell_location(this_t, spec, now_row, col),
                Evidence(
                    expression=self.word("expression"),
                    left=(
                        Term(
                            label=self.word("term", year=prev_year, label=lt.label),
                            value=lt.value,
                            raw=lt.raw,
                            location=lt.location,
                        ),
                    ),
                    right=(rt,),
                    computed=b.value,
                    reported=a.value,
                    difference=(a.value or 0) - (b.value or 0),
                    details={"previous_source": prev.source_name or ""},
                ),
                discriminator=col,
                column=column_label(spec, col),
                reported=a.value,
                previous=b.value,
                previous_year=prev_year if prev_year is not None else self.word("unknown_year"),
            )


# ---------------------------------------------------------------- T106


@register
class RegulationStock(Rule):
    """现行有效件数 this year vs last year's + 本年制发 − 本年废止 (table 二, 第二十条第（一）项)."""

    code = "T106"
    cross_year = True

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        prev = context.previous
        prev_year = comparable_years(report, prev)
        if prev is None or prev_year is None:
            return
        this_t, prev_t = report.table("table2"), prev.table("table2")
        if this_t is None or prev_t is None:
            return
        rows = context.regulation.crossyear.stock_rows
        spec = table_spec(this_t, context.format_in_force(report), context.packs)
        prev_spec = table_spec(prev_t, context.format_in_force(prev), context.packs)
        for key in rows:
            now_row, prev_row = this_t.row(key), prev_t.row(key)
            if now_row is None or prev_row is None:
                continue
            yield from self._row(this_t, spec, now_row, prev_t, prev_spec, prev_row, prev_year, prev)

    def _row(
        self,
        this_t: Table,
        spec: TableSpec | None,
        now_row: Row,
        prev_t: Table,
        prev_spec: TableSpec | None,
        prev_row: Row,
        prev_year: int,
        prev: Report,
    ) -> Iterator[Finding]:
        found = {
            "in_force": now_row.cell("in_force"),
            "issued": now_row.cell("issued"),
            "repealed": now_row.cell("repealed"),
            "prev_in_force": prev_row.cell("in_force"),
        }
        # Only numbers as written: a blank or 无 in a stock column is not a count of zero documents
        # one can reason from, and a table of the 2019 format has no such columns at all.
        cells = {k: c for k, c in found.items() if c is not None and c.kind is CellKind.NUMBER and c.value is not None}
        if len(cells) < len(found):
            return
        v = {k: c.value for k, c in cells.items() if c.value is not None}
        computed = v["prev_in_force"] + v["issued"] - v["repealed"]
        if computed == v["in_force"]:
            return
        prev_label = self.word(
            "term",
            year=prev_year,
            label=f"{row_label(prev_spec, prev_row)}[{column_label(prev_spec, 'in_force', prev_row.block)}]",
        )
        left = (
            Term(
                label=prev_label,
                value=v["prev_in_force"],
                raw=cells["prev_in_force"].raw,
                location=cell_path(prev_t, prev_spec, prev_row, "in_force"),
            ),
            self._term(this_t, spec, now_row, "issued", v["issued"]),
            self._term(this_t, spec, now_row, "repealed", -v["repealed"]),
        )
        right = (self._term(this_t, spec, now_row, "in_force", v["in_force"]),)
        yield self.finding(
            cell_location(this_t, spec, now_row, "in_force"),
            Evidence(
                expression=self.word("expression"),
                left=left,
                right=right,
                computed=computed,
                reported=v["in_force"],
                difference=v["in_force"] - computed,
                details={"previous_source": prev.source_name or "", "previous_year": str(prev_year)},
            ),
            discriminator=now_row.key or now_row.label,
            row=row_label(spec, now_row),
            reported=format_number(v["in_force"]),
            previous=format_number(v["prev_in_force"]),
            issued=format_number(v["issued"]),
            repealed=format_number(v["repealed"]),
            computed=format_number(computed),
            difference=format_number(v["in_force"] - computed),
            previous_year=prev_year,
        )

    @staticmethod
    def _term(table: Table, spec: TableSpec | None, row: Row, column: str, value: int | float) -> Term:
        cell = row.cell(column)
        return Term(
            label=f"{row_label(spec, row)}[{column_label(spec, column, row.block)}]",
            value=value,
            raw=cell.raw if cell else "",
            location=cell_path(table, spec, row, column),
            span=cell.span if cell else None,
        )


# ---------------------------------------------------------------- T107

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def _comparable_text(text: str) -> str:
    """Text reduced to what copying keeps: NFKC, no spaces or punctuation, every number as ``#``
    (a copied section with this year's numbers put in is still a copy)."""
    return _DIGITS.sub("#", _DROP.sub("", normalize(text)))


def _grams(text: str, n: int) -> Counter[str]:
    if len(text) < n:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def text_similarity(a: str, b: str, n: int = 3) -> float:
    """Dice coefficient of the character ``n``-gram multisets of two comparable texts, in [0, 1].

    Linear in the length (difflib is quadratic), symmetric, 1.0 for equal texts.
    """
    if a == b:
        return 1.0 if a else 0.0
    ga, gb = _grams(a, n), _grams(b, n)
    total = sum(ga.values()) + sum(gb.values())
    if not total:
        return 0.0
    common = sum((ga & gb).values())
    return 2 * common / total


def _longest_common_passage(a: str, b: str, limit: int = 60) -> str:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    passage = a[m.a : m.a + m.size]
    return passage if len(passage) <= limit else passage[: limit - 1] + "…"


@register
class CopiedText(Rule):
    """Section 一 or 五 the same as, or nearly the same as, last year's (内容雷同)."""

    code = "T107"
    cross_year = True

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        prev = context.previous
        prev_year = comparable_years(report, prev)
        if prev is None or prev_year is None:
            return
        settings = context.regulation.crossyear
        threshold = settings.copied_text_threshold
        min_chars = settings.copied_text_min_chars
        n = settings.copied_text_ngram
        for key in settings.copied_text_sections:
            this_s, prev_s = report.section(key), prev.section(key)
            if this_s is None or prev_s is None:
                continue
            a, b = _comparable_text(this_s.text), _comparable_text(prev_s.text)
            # Short sections (“无”, “本年度无其他需要报告的事项”) may rightly repeat every year.
            if len(a) < min_chars or len(b) < min_chars:
                continue
            sim = text_similarity(a, b, n)
            if sim < threshold:
                continue
            identical = a == b
            pct = f"{sim * 100:.1f}%"
            yield self.finding(
                Location(path=this_s.heading, section=this_s.number, span=this_s.span),
                Evidence(
                    quote=_longest_common_passage(this_s.text.replace("\n", ""), prev_s.text.replace("\n", "")),
                    details={
                        "similarity": f"{sim:.4f}",
                        "method": f"character {n}-gram Dice coefficient after removing spaces and punctuation, numbers as #",
                        "threshold": f"{threshold:.2f}",
                        "this_chars": str(len(a)),
                        "previous_chars": str(len(b)),
                        "previous_heading": prev_s.heading,
                        "previous_source": prev.source_name or "",
                        "previous_year": str(prev_year),
                    },
                ),
                variant="identical" if identical else "default",
                discriminator=key,
                numeral=numeral(this_s.number) if this_s.number else this_s.numeral,
                heading=this_s.heading,
                similarity=pct,
                previous_year=prev_year,
            )


# ---------------------------------------------------------------- X008


@register
class PreviousNotComparable(Rule):
    """X008: the checker compares a report with the one given as ``--previous`` (it knows the
    agency map) and reports a mismatch with :func:`previous_mismatch_finding`; pairs that batch
    mode forms are comparable by construction."""

    code = "X008"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        return iter(())


def previous_mismatch_finding(
    packs: Packs, report: Report, previous: Report, previous_name: str, same_agency: bool | None
) -> Finding | None:
    """X008 when ``previous`` (the file ``previous_name``) is another agency's report
    (``same_agency`` False; None: unknown, not judged) or, when T105 cannot say so (either report
    has no table 三), not of the year before. None when nothing is wrong or nothing can be told."""
    spec = packs.catalogue.get("X008")
    assert spec is not None
    rule = PreviousNotComparable(spec)
    md, pmd = report.metadata, previous.metadata
    where = Location(path=packs.catalogue.locations["input"])
    if same_agency is False:
        return rule.finding(
            where,
            Evidence(details={"agency": md.agency or "", "previous_agency": pmd.agency or "", "previous": previous_name}),
            variant="agency",
            discriminator="agency",
            previous=previous_name,
            previous_agency=pmd.agency,
            agency=md.agency,
        )
    year, prev_year = md.report_year, pmd.report_year
    t105_says = report.table("table3") is not None and previous.table("table3") is not None
    if year is not None and prev_year is not None and prev_year != year - 1 and not t105_says:
        return rule.finding(
            where,
            Evidence(details={"report_year": str(year), "previous_year": str(prev_year), "previous": previous_name}),
            variant="year",
            discriminator="year",
            previous=previous_name,
            previous_year=prev_year,
            year=year,
        )
    return None
