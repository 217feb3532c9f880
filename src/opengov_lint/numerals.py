"""Chinese numerals, both ways: the one helper every parser, rule and generator uses.

Reports write counts and headings as 一 … 九十九, 两, 十七, 一百零五, 三千二百, 一万, and years digit
by digit (二〇二三, 二零二三, 二○二三). ``value`` reads any of them (and ASCII or full-width digits);
``to_chinese`` writes a number the way a heading or count is written; ``year_to_chinese`` writes a
year digit by digit; ``fold_counts`` rewrites the counts of a text written in numerals (十七件) as
digits (17件), with a map back to the text's offsets, so that every reader of counts reads both.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "DIGITS",
    "DIGIT_CHARS",
    "ORDINAL_CHARS",
    "NUMERAL_CHARS",
    "Folded",
    "value",
    "digits_value",
    "fold_counts",
    "to_chinese",
    "year_to_chinese",
]

DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "○": 0, "O": 0, "o": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
_MYRIAD = {"万": 10_000, "亿": 100_000_000}
# Every character a Chinese numeral may contain (for patterns: f"[{NUMERAL_CHARS}]+").
NUMERAL_CHARS = "〇零○一二两三四五六七八九十百千万亿"
# The digits of a year written digit by digit (二〇二三), for patterns.
DIGIT_CHARS = "〇零○一二三四五六七八九"
# The numerals of headings and list items, 一 to 十 (一、 （三） 第二部分 五是), for patterns.
ORDINAL_CHARS = "一二三四五六七八九十"
# Longer numerals are not counts a report states; refusing them bounds the work on any input.
_MAX_LEN = 24


def digits_value(text: str) -> int | None:
    """A number written digit by digit (二〇二三 → 2023, 2023 → 2023); None if it is not one."""
    if not text or len(text) > _MAX_LEN:
        return None
    out = 0
    for ch in text:
        d = DIGITS.get(ch)
        if d is None:
            d = _ascii_digit(ch)
        if d is None:
            return None
        out = out * 10 + d
    return out


def _ascii_digit(ch: str) -> int | None:
    if "0" <= ch <= "9":
        return ord(ch) - 48
    n = unicodedata.normalize("NFKC", ch)
    return ord(n) - 48 if len(n) == 1 and "0" <= n <= "9" else None


def value(text: str) -> int | None:
    """Value of a numeral as counts and headings write it: 七, 十七, 两, 二十一, 一百零五, 三千二百,
    一万二千, digit by digit (二〇二三), or digits (ASCII or full-width). None if ``text`` is not
    exactly one numeral."""
    t = text.strip()
    if not t or len(t) > _MAX_LEN:
        return None
    if not any(c in _UNITS or c in _MYRIAD for c in t):
        # 7, 2023, 七, 二〇二三: read digit by digit (两 stands alone, never inside a year)
        return digits_value(t) if len(t) == 1 or "两" not in t else None
    return _positional(t)


def _positional(t: str) -> int | None:
    total = 0  # completed myriad groups
    section = 0  # the current group below 万
    digit: int | None = None
    last_unit = 10**9
    for ch in t:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                return None  # two digits in a row (一二十) is no numeral
            digit = DIGITS[ch] if DIGITS[ch] != 0 else None
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None  # 十百, 百百: units must fall
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif ch in _MYRIAD:
            big = _MYRIAD[ch]
            section += digit or 0
            if section == 0 and total == 0:
                return None
            total = (total + section) * big if big > 10_000 else total + section * big
            section, digit, last_unit = 0, None, 10**9
        else:
            return None
    return total + section + (digit or 0)


_SMALL = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """0 → 零, 7 → 七, 10 → 十, 17 → 十七, 21 → 二十一, 105 → 一百零五, 12000 → 一万二千."""
    if n < 0:
        return "负" + to_chinese(-n)
    if n < 10:
        return _SMALL[n]
    if n < 20:
        return "十" + (_SMALL[n - 10] if n > 10 else "")
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        return to_chinese(high) + "亿" + (("零" if low < 10_000_000 else "") + to_chinese(low) if low else "")
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        return to_chinese(high) + "万" + (("零" if low < 1000 else "") + _below_myriad(low) if low else "")
    return _below_myriad(n)


def _below_myriad(n: int) -> str:
    out: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero and out:
                out.append("零")
            out.append(_SMALL[d] + name)
            zero = False
        else:
            zero = True
    return "".join(out)


def year_to_chinese(year: int) -> str:
    """2023 → 二〇二三 (digit by digit, as dates under a signature write it)."""
    return "".join("〇一二三四五六七八九"[int(c)] for c in str(year))


# ----------------------------------------------------------------------------- counts in prose


class Folded:
    """A text whose counts in numerals were rewritten as digits: ``text``, and ``source[i]``, the
    offset in the original text of character ``i`` of ``text`` (``source[len(text)]`` is the
    original's length), so that a match in ``text`` points at the characters it was read from."""

    __slots__ = ("text", "source")

    def __init__(self, text: str, source: Sequence[int] | None = None) -> None:
        self.text = text
        self.source: Sequence[int] = source if source is not None else range(len(text) + 1)

    def at(self, offset: int) -> int:
        """The original offset of folded offset ``offset``."""
        return self.source[max(0, min(offset, len(self.text)))]

    def span(self, offset: int, length: int) -> tuple[int, int]:
        """(original offset, original length) of ``length`` folded characters at ``offset``."""
        a = self.at(offset)
        return a, max(self.at(offset + length) - a, 0)


@functools.lru_cache(maxsize=16)
def _count_re(units: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"([{NUMERAL_CHARS}]+)(\s*)(?:{alts})")


def fold_counts(text: str, units: Sequence[str], not_after: str = "", followers: Sequence[str] = (), breaks: str = "") -> Folded:
    """``text`` with every count written in numerals (十七件, 两件, 一百零五条) as digits.

    A count is a numeral directly followed by one of ``units``. It is taken only when it is a
    count and not a word: the character before it is none of ``not_after`` (第一次, 每一件, 统一),
    and after the measure word the text ends, or goes on with one of ``breaks`` or ``followers``
    (一件事, 一次性 are words). A numeral of several characters must be positional (十七, 两百),
    never digit by digit (二〇二三 is a year); zero and bare 百/千/万 are not taken. Text without
    a numeral character is returned as it is."""
    if not any(c in NUMERAL_CHARS for c in text):
        return Folded(text)
    out: list[str] = []
    source: list[int] = []
    pos = 0
    for m in _count_re(tuple(units)).finditer(text):
        run = m.group(1)
        if run[0] in "百千万亿" or (len(run) > 1 and not any(c in _UNITS or c in _MYRIAD for c in run)):
            continue
        n = value(run)
        if not n:
            continue
        if m.start() > 0 and text[m.start() - 1] in not_after:
            continue
        rest = text[m.end() : m.end() + 8]
        if rest and rest[0] not in breaks and not rest[0].isspace() and not any(rest.startswith(f) for f in followers):
            continue
        out.append(text[pos : m.start()])
        source.extend(range(pos, m.start()))
        digits = str(n)
        out.append(digits)
        # every digit points at the numeral's first character, the character after at its end
        source.extend([m.start()] * len(digits))
        pos = m.start(1) + len(run)
    if pos == 0 and not out:
        return Folded(text)
    out.append(text[pos:])
    source.extend(range(pos, len(text) + 1))
    return Folded("".join(out), source)
