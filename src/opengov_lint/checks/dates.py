"""Date rules: the statistical period, the publication deadline, consistent years, valid dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..findings import Evidence, Finding, Fix, Location
from ..model import AgencyKind, DateText, Report
from ..textutil import normalize
from .base import LintContext, Rule, register


def _period_location(report: Report, context: LintContext) -> Location:
    p = report.metadata.period
    return Location(path=context.location("period"), span=p.span if p else None)


@register
class PeriodNotCalendarYear(Rule):
    code = "D001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        p = md.period
        if p is None or md.report_year is None:
            return
        start, end = p.start.date, p.end.date
        if start is None or end is None:
            return  # garbled dates are D006's
        year = md.report_year
        want_start, want_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if start == want_start and end == want_end:
            return
        yield self.finding(
            _period_location(report, context),
            Evidence(
                quote=p.raw,
                details={
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "expected": f"{want_start.isoformat()}..{want_end.isoformat()}",
                    "report_year_source": md.report_year_source,
                },
            ),
            discriminator=f"{start.isoformat()}:{end.isoformat()}",
            period=p.raw,
            start=start.isoformat(),
            end=end.isoformat(),
            year=year,
        )


@register
class PeriodMissing(Rule):
    code = "D002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        if report.metadata.period is not None or not (report.sections or report.preamble):
            return
        yield self.finding(Location(path=context.location("period")), Evidence(), discriminator="missing")


# The year a title states (2022年…).
_YEAR = re.compile(r"(\d{4})\s*年")
# The garbled dates whose digits still read one way: 20241月1日 (the 年 lost), 20241231日.
_GARBLED_DATE = re.compile(r"(\d{4})(\d{1,2})月(\d{1,2})[日号]|(\d{4})(\d{2})(\d{2})[日号]")
# A year guessed from the first "YYYY年" of the body is too weak to call a date late or early.
_TRUSTED_YEAR_SOURCES = ("title", "period", "caller")


def _deadline(report: Report, context: LintContext) -> tuple[dt.date, str, str] | None:
    """(deadline, article, basis) for the report, or None when none applies."""
    md = report.metadata
    year = md.report_year
    if year is None or md.report_year_source not in _TRUSTED_YEAR_SOURCES:
        return None
    deadlines = context.regulation.deadlines
    first = context.regulation.regulation.first_report_year
    basis = "legacy" if year < first else md.agency_kind.value
    entry = deadlines.get(basis)
    by = entry.by if entry is not None else None
    if md.agency_kind is AgencyKind.TOWNSHIP and year >= first and context.township_deadline:
        by, basis = context.township_deadline, "township (configured)"
    if not by:
        return None
    month, day = (int(x) for x in by.split("-"))
    return dt.date(year + 1, month, day), entry.article if entry is not None else "", basis


@register
class LatePublication(Rule):
    code = "D003"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        pub = md.publication
        if pub is None or pub.date.date is None:
            return
        found = _deadline(report, context)
        if found is None:
            return
        deadline, article, basis = found
        date = pub.date.date
        if date <= deadline:
            return
        yield self.finding(
            Location(path=pub.label or context.location("publication"), span=pub.date.span),
            Evidence(
                quote=pub.date.raw,
                details={
                    "date": date.isoformat(),
                    "date_source": pub.source,
                    "deadline": deadline.isoformat(),
                    "agency_kind": md.agency_kind.value,
                    "agency_kind_source": md.agency_kind_source,
                    "basis": basis,
                    "days_late": str((date - deadline).days),
                },
            ),
            discriminator=f"{date.isoformat()}",
            date=date.isoformat(),
            source_label=pub.label or context.location("date"),
            deadline=deadline.isoformat(),
            kind=context.regulation.agency_kind_names[md.agency_kind],
            kind_en=md.agency_kind.value,
            article=article,
            days=(date - deadline).days,
        )


@register
class PrematurePublication(Rule):
    code = "D004"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        pub = md.publication
        if pub is None or pub.date.date is None or md.report_year is None or md.report_year_source not in _TRUSTED_YEAR_SOURCES:
            return
        if pub.date.date.year > md.report_year:
            return
        yield self.finding(
            Location(path=pub.label or context.location("publication"), span=pub.date.span),
            Evidence(
                quote=pub.date.raw,
                details={"date": pub.date.date.isoformat(), "date_source": pub.source, "report_year": str(md.report_year)},
            ),
            discriminator=pub.date.date.isoformat(),
            date=pub.date.date.isoformat(),
            year=md.report_year,
        )


@register
class YearMismatch(Rule):
    code = "D005"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        years: list[tuple[str, str, int]] = []
        if md.title:
            m = _YEAR.search(normalize(md.title))
            if m:
                years.append((self.word("title"), "title", int(m.group(1))))
        if (
            md.period
            and md.period.start.date
            and md.period.end.date
            and md.period.start.year is not None
            and md.period.start.year == md.period.end.year
        ):
            years.append((self.word("period"), "period", md.period.start.year))
        overview = report.section("overview")
        if overview and overview.paragraphs:
            m = context.regulation.report_title.body_year.match(normalize(overview.paragraphs[0].text))
            if m:
                years.append((self.word("body"), "body", int(m.group(1))))
        if len({y for _, _, y in years}) <= 1:
            return
        desc = "，".join(self.word("stated", where=zh, year=y) for zh, _, y in years)
        yield self.finding(
            Location(path=context.location("year"), span=md.title_span),
            Evidence(details={en: str(y) for _, en, y in years}),
            discriminator=desc,
            years=desc,
            years_en=", ".join(f"{en} {y}" for _, en, y in years),
        )


@register
class MalformedDate(Rule):
    code = "D006"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        seen: set[tuple[int, int] | tuple[str]] = set()
        candidates: list[DateText] = list(md.dates)
        if md.period:
            candidates += [md.period.start, md.period.end]
        for d in candidates:
            if d.well_formed and (d.date is not None or d.year is None):
                continue
            key = (d.span.line, d.span.column) if d.span else (d.raw,)
            if key in seen:
                continue
            seen.add(key)
            why = ("malformed", "malformed_en") if not d.well_formed else ("impossible", "impossible_en")
            yield self.finding(
                Location(path=context.location("date"), span=d.span),
                Evidence(quote=d.raw),
                discriminator=normalize(d.raw),
                raw=d.raw,
                why=self.word(why[0]),
                why_en=self.word(why[1]),
                fix=self._period_fix(report, d),
            )

    def _period_fix(self, report: Report, d: DateText) -> Fix | None:
        """A bound of the statistical period whose form only is wrong (20241月1日, 20241231日):
        its digits read as year, month and day give exactly 1 January (the start) or 31 December
        (the end) of the report year the title states (or the caller gives). Any other garbled
        date is the clerk's to read."""
        md = report.metadata
        p, year = md.period, md.report_year
        if p is None or d.span is None or year is None or md.report_year_source not in ("title", "caller"):
            return None
        at = (d.span.line, d.span.column)
        bound = {(b.span.line, b.span.column): want for b, want in ((p.start, (1, 1)), (p.end, (12, 31))) if b.span is not None}
        if at not in bound:
            return None
        m = _GARBLED_DATE.fullmatch(re.sub(r"\s+", "", normalize(d.raw)))
        if m is None:
            return None
        y, month, day = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        if y != year or (month, day) != bound[at]:
            return None
        return Fix(span=d.span, old=d.raw, new=self.word("date", year=y, month=month, day=day))
