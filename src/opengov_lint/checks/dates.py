"""Date rules: the statistical period, the publication deadline, consistent years, valid dates."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator

from ..findings import Evidence, Finding, Fix, Location, Severity
from ..model import AgencyKind, DateText, Report, SourceSpan
from ..textutil import normalize
from .base import LintContext, Rule, register


def _period_location(report: Report, context: LintContext) -> Location:
    p = report.metadata.period
    return Location(path=context.location("period"), span=p.span if p else None)


def _read(d: DateText) -> dt.date | None:
    """The date ``d`` says, or the one reading of a malformed date (202111日 → 2021-01-01)."""
    if d.date is not None:
        return d.date
    if d.well_formed or None in (d.year, d.month, d.day):
        return None
    try:
        return dt.date(d.year, d.month, d.day)  # type: ignore[arg-type]
    except ValueError:
        return None


@register
class PeriodNotCalendarYear(Rule):
    code = "D001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        p = md.period
        if p is None or md.report_year is None:
            return
        year = md.report_year
        want_start, want_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        start, end = p.start.date, p.end.date
        if start is not None and end is not None:
            if start == want_start and end == want_end:
                return
            yield self._finding(report, context, start.isoformat(), end.isoformat(), want_start, want_end, "default")
            return
        # A malformed period (D006's) is judged as far as it can be read: a side read one way only
        # that is not the year's first or last day is wrong whatever the rest says (自202111日起至
        # 20211230日止: ends 12-30). Read from a malformed text, it is a warning, not an error.
        read_start, read_end = _read(p.start), _read(p.end)
        wrong = (read_start is not None and read_start != want_start) or (read_end is not None and read_end != want_end)
        if not wrong:
            return
        unread = self.word("unread")
        yield self._finding(
            report,
            context,
            read_start.isoformat() if read_start else unread,
            read_end.isoformat() if read_end else unread,
            want_start,
            want_end,
            "garbled",
        )

    def _finding(
        self, report: Report, context: LintContext, start: str, end: str, want_start: dt.date, want_end: dt.date, variant: str
    ) -> Finding:
        md = report.metadata
        p = md.period
        assert p is not None and md.report_year is not None
        return self.finding(
            _period_location(report, context),
            Evidence(
                quote=p.raw,
                details={
                    "start": start,
                    "end": end,
                    "expected": f"{want_start.isoformat()}..{want_end.isoformat()}",
                    "report_year_source": md.report_year_source,
                    **({"read_from": "malformed dates (D006)"} if variant == "garbled" else {}),
                },
            ),
            variant=variant,
            discriminator=f"{start}:{end}",
            severity=Severity.WARNING if variant == "garbled" else None,
            period=p.raw,
            start=start,
            end=end,
            year=md.report_year,
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
        # (where, key, year, span) of every year the report states for itself
        years: list[tuple[str, str, int, SourceSpan | None]] = []
        if md.title:
            m = _YEAR.search(normalize(md.title))
            if m:
                years.append((self.word("title"), "title", int(m.group(1)), md.title_span))
        p = md.period
        if p and p.start.date and p.end.date and p.start.year is not None and p.start.year == p.end.year:
            years.append((self.word("period"), "period", p.start.year, p.span))
        body = self._body_years(report, context)
        if body:
            # Section 一 may open with a past year (2019年,…被评为优秀单位。2020年,…): the body
            # agrees when any of its sentences opens with a year stated elsewhere.
            others = {y for _, _, y, _ in years}
            year, span = next(((y, sp) for y, sp in body if y in others), body[0])
            years.append((self.word("body"), "body", year, span))
        if len({y for _, _, y, _ in years}) <= 1:
            return
        counts = Counter(y for _, _, y, _ in years)
        top, n = counts.most_common(1)[0]
        # Point at the year that differs from the others; when no two agree, at the title.
        odd = next((e for e in years if e[2] != top), years[0]) if n > 1 else years[0]
        desc = "，".join(self.word("stated", where=zh, year=y) for zh, _, y, _ in years)
        yield self.finding(
            Location(path=context.location("year"), span=odd[3] or md.title_span),
            Evidence(details={en: str(y) for _, en, y, _ in years} | ({"differs": odd[1]} if n > 1 else {})),
            discriminator=desc,
            years=desc,
            years_en=", ".join(f"{en} {y}" for _, en, y, _ in years),
        )

    @staticmethod
    def _body_years(report: Report, context: LintContext) -> list[tuple[int, SourceSpan | None]]:
        """The years that open the sentences of section 一's first paragraph (2022年，我局…)."""
        overview = report.section("overview")
        if not overview or not overview.paragraphs:
            return []
        para = overview.paragraphs[0]
        text = normalize(para.text)
        rx = context.regulation.report_title.body_year
        out: list[tuple[int, SourceSpan | None]] = []
        start = 0
        for sentence in text.split("。"):
            m = rx.match(sentence)
            if m:
                at = start + m.start(1)
                span = None
                if para.span is not None:
                    col = para.span.column + at
                    span = SourceSpan(line=para.span.line, column=col, end_line=para.span.line, end_column=col + 3)
                out.append((int(m.group(1)), span))
            start += len(sentence) + 1
        return out


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
