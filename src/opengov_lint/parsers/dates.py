"""The one date grammar of the readers: date expressions as reports write them (2022年1月1日,
2022-01-31, 二〇二三年一月十九日) and garbled ones (20211月1日, 20211231日), which are kept with
``well_formed=False`` rather than guessed; the date under a signature and in page metadata; the
year of a title; and statistical periods, whose words come from the input pack."""

from __future__ import annotations

import functools
import re

from .. import numerals
from ..model import DateText, SourceSpan
from ..packs.inputs import PeriodWords
from ..textutil import alternation

__all__ = [
    "BODY_YEARS",
    "DATE_LOOSE",
    "DAY_DATE",
    "SPACED_DATE",
    "YEAR",
    "find_dates",
    "find_periods",
    "metadata_date",
    "parse_date",
    "signature_date",
]

_CN = numerals.DIGIT_CHARS + numerals.ORDINAL_CHARS  # the characters of a date written in numerals
_YD = numerals.DIGIT_CHARS  # a year digit by digit
_MD = numerals.ORDINAL_CHARS  # a month or a day

# Loose: anything that looks like a date, including garbled forms (202111日, and 1231日 at the end
# of a period). Searched in normalised text.
DATE_LOOSE = (
    rf"(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]?"
    rf"|[{_CN}]{{4}}\s*年\s*[{_CN}]{{1,2}}\s*月\s*[{_CN}]{{1,3}}\s*[日号]"
    rf"|\d{{4}}\s*[-./]\s*\d{{1,2}}\s*[-./]\s*\d{{1,2}}(?!\d)"
    rf"|\d{{5,6}}\s*月\s*\d{{1,2}}\s*[日号]"
    rf"|\d{{8}}\s*[日号]"
    rf"|\d{{6,7}}\s*日"
    rf"|\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]"
    rf"|\d{{3,4}}\s*日)"
)
# Dates worth checking for validity wherever they stand: those with 年/月/日 or a full ISO form.
_MENTION_RE = re.compile(
    rf"(?<![\d{_CN}])(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]"
    rf"|[{_CN}]{{4}}\s*年\s*[{_CN}]{{1,2}}\s*月\s*[{_CN}]{{1,3}}\s*[日号]"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}(?![\d-])"
    rf"|\d{{5,6}}\s*月\s*\d{{1,2}}\s*[日号]"
    rf"|\d{{8}}\s*[日号]"
    # runs with their 年/月 lost (202111日, 2025111231日); not with 号: 〔202130号 is a document number
    rf"|\d{{6,12}}\s*日)"
)
# A whole date in digits with its day (2024年3月8日), as under a signature.
DAY_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
# A date standing alone: the date under a signature.
_SIGNATURE_DATE = re.compile(
    rf"[\s(（]*({DAY_DATE}|[{_YD}]{{4}}\s*年\s*[{_MD}]{{1,2}}\s*月\s*[{_MD}]{{1,3}}\s*日|\d{{4}}-\d{{1,2}}-\d{{1,2}})[)）\s]*"
)
# A date in page metadata (发布日期：2022-01-31, 2022年1月31日).
_METADATA_DATE = re.compile(r"\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}")
# Dates that PDF or DOCX extraction wrote with spaces inside (2021 年 1 月).
SPACED_DATE = re.compile(r"\d\s+[年月日号]|[年月]\s+\d")
# The year of a title (2022年…), and the years a body opens with (2024年度 first, the report's own
# year, then a year opening a paragraph).
YEAR = re.compile(r"(\d{4})\s*年")
BODY_YEARS = (re.compile(r"(\d{4})\s*年度"), re.compile(r"^\s*(\d{4})\s*年"))

_FULL = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$")
_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]$")
_CN_FULL = re.compile(rf"^([{_CN}]{{4}})年([{_CN}]{{1,2}})月([{_CN}]{{1,3}})[日号]$")
# Garbled forms that can still be read one way only: 202111日 (2021-1-1), 20211230日, 20211月1日,
# 1231日 (12-31, in a period after its start).
_RUN_DAY = re.compile(r"^(\d{4})?(\d{2,4})[日号]$")
_RUN_MONTH = re.compile(r"^(\d{4})(\d{1,2})月(\d{1,2})[日号]$")


def parse_date(raw: str, span: SourceSpan | None = None, default_year: int | None = None) -> DateText:
    """Read one date expression (normalised text). Never raises; garbled → well_formed False."""
    s = re.sub(r"\s+", "", raw)
    for rx in (_FULL, _ISO):
        m = rx.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            ok = 1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100
            return DateText(raw=raw, year=y, month=mo, day=d, well_formed=ok, span=span)
    m = _CN_FULL.match(s)
    if m:
        cy = numerals.digits_value(m.group(1))
        cmo = numerals.value(m.group(2))
        cd = numerals.value(m.group(3))
        ok = cy is not None and cmo is not None and cd is not None and 1 <= cmo <= 12 and 1 <= cd <= 31
        return DateText(raw=raw, year=cy, month=cmo, day=cd, well_formed=ok, span=span)
    m = _MONTH_DAY.match(s)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        ok = 1 <= mo <= 12 and 1 <= d <= 31
        return DateText(raw=raw, year=default_year, month=mo, day=d, well_formed=ok, span=span)
    return _garbled(raw, s, span, default_year)


def _garbled(raw: str, s: str, span: SourceSpan | None, default_year: int | None) -> DateText:
    """A malformed date (well_formed False), with the year, month and day it can be read as when
    the digits allow one reading only (202111日 → 2021-1-1; 2021111日 is 1-11 or 11-1: unread)."""
    m = _RUN_MONTH.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return DateText(raw=raw, year=y, month=mo, day=d, well_formed=False, span=span)
        return DateText(raw=raw, well_formed=False, span=span)
    m = _RUN_DAY.match(s)
    if m and (m.group(1) or default_year is not None):
        year = int(m.group(1)) if m.group(1) else default_year
        run = m.group(2)
        readings: set[tuple[int, int]] = set()
        for k in (1, 2):  # the month's digits: 1 or 2, the day's the rest (1 or 2)
            month, day = run[:k], run[k:]
            if 1 <= len(day) <= 2 and not (k == 1 and day.startswith("0")):
                readings.add((int(month), int(day)))
        valid = [(mo, d) for mo, d in readings if 1 <= mo <= 12 and 1 <= d <= 31]
        if len(valid) == 1 and year is not None and 1900 <= year <= 2100:
            return DateText(raw=raw, year=year, month=valid[0][0], day=valid[0][1], well_formed=False, span=span)
    return DateText(raw=raw, well_formed=False, span=span)


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, raw) of every date-like expression worth validating in normalised text."""
    return [(m.start(), m.end(), m.group(0)) for m in _MENTION_RE.finditer(text)]


def signature_date(text: str) -> str | None:
    """The date, when ``text`` (normalised) is a date alone, maybe in brackets; else None."""
    m = _SIGNATURE_DATE.fullmatch(text)
    return m.group(1) if m else None


def metadata_date(text: str) -> str | None:
    """The first date in a metadata value, as written."""
    m = _METADATA_DATE.search(text)
    return m.group(0) if m else None


@functools.lru_cache(maxsize=4)
def _period_re(words: PeriodWords) -> re.Pattern[str]:
    return re.compile(
        rf"(?:{alternation(words.from_words)})?\s*(?P<start>{DATE_LOOSE})\s*(?:{alternation(words.start_words)})?\s*"
        rf"(?:{alternation(words.to_words)})\s*(?P<end>{DATE_LOOSE})\s*(?:{alternation(words.end_words)})?"
    )


def find_periods(text: str, words: PeriodWords) -> list[re.Match[str]]:
    """Every statistical period in normalised text: groups start and end."""
    return list(_period_re(words).finditer(text))
