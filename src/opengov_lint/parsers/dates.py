"""Date expressions as reports write them: 2022年1月1日, 2022-01-31, 二〇二三年一月十九日, and garbled
ones (20211月1日, 20211231日), which are kept with ``well_formed=False`` rather than guessed."""

from __future__ import annotations

import re

from .. import numerals
from ..model import DateText, SourceSpan

_CN = "〇零一二三四五六七八九十○"
# Loose: anything that looks like a date, including garbled forms. Searched in normalised text.
DATE_LOOSE = (
    rf"(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]?"
    rf"|[{_CN}]{{4}}\s*年\s*[{_CN}]{{1,2}}\s*月\s*[{_CN}]{{1,3}}\s*[日号]"
    rf"|\d{{4}}\s*[-./]\s*\d{{1,2}}\s*[-./]\s*\d{{1,2}}(?!\d)"
    rf"|\d{{5,6}}\s*月\s*\d{{1,2}}\s*[日号]"
    rf"|\d{{8}}\s*[日号]"
    rf"|\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号])"
)
_LOOSE_RE = re.compile(DATE_LOOSE)
# Dates worth checking for validity wherever they stand: those with 年/月/日 or a full ISO form.
_MENTION_RE = re.compile(
    rf"(?<![\d{_CN}])(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]"
    rf"|[{_CN}]{{4}}\s*年\s*[{_CN}]{{1,2}}\s*月\s*[{_CN}]{{1,3}}\s*[日号]"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}(?![\d-])"
    rf"|\d{{5,6}}\s*月\s*\d{{1,2}}\s*[日号]"
    rf"|\d{{8}}\s*[日号])"
)

_FULL = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$")
_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]$")
_CN_FULL = re.compile(rf"^([{_CN}]{{4}})年([{_CN}]{{1,2}})月([{_CN}]{{1,3}})[日号]$")


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
        y = numerals.digits_value(m.group(1))
        mo = numerals.value(m.group(2))
        d = numerals.value(m.group(3))
        ok = None not in (y, mo, d) and 1 <= (mo or 0) <= 12 and 1 <= (d or 0) <= 31
        return DateText(raw=raw, year=y, month=mo, day=d, well_formed=ok, span=span)
    m = _MONTH_DAY.match(s)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        ok = 1 <= mo <= 12 and 1 <= d <= 31
        return DateText(raw=raw, year=default_year, month=mo, day=d, well_formed=ok, span=span)
    return DateText(raw=raw, well_formed=False, span=span)


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, raw) of every date-like expression worth validating in normalised text."""
    return [(m.start(), m.end(), m.group(0)) for m in _MENTION_RE.finditer(text)]


_PERIOD_RE = re.compile(
    rf"(?:自|从|由)?\s*(?P<start>{DATE_LOOSE})\s*(?:起|开始)?\s*(?:至|到|-|~|～|－|—)\s*(?P<end>{DATE_LOOSE})\s*(?:止|为止)?"
)


def find_periods(text: str) -> list[re.Match[str]]:
    return list(_PERIOD_RE.finditer(text))
