"""Undoing the flattenings of copied text before the text parser reads it.

Real copies of a report arrive in shapes the line-based parser cannot read directly: the whole
report on one line (cells run together, headings inline), text extracted from PDF or DOCX with
spaces inside words and numbers (``2021 年 1 月 1 日``, ``指 导``) and page footers (``— 3 —``),
or page chrome (``当前位置``, share buttons) inside the body. :func:`prepare` turns such text
into lines the parser understands and keeps, for every character of every new line, the line
and column it came from, so findings still point into the input as given.

The words it looks for come from the packs: section headings and table labels from the format
packs, chrome markers and footers from ``rules/inputs.toml``.
"""

from __future__ import annotations

import re

from attrs import frozen

from .. import numerals
from ..packs import Packs, Vocabulary
from ..packs.inputs import TitleWords
from ..textutil import normalize
from .dates import DAY_DATE, SPACED_DATE, YEAR
from .lines import Origin

__all__ = ["Origin", "Prepared", "prepare", "join_split_title"]


@frozen
class Prepared:
    text: str
    origins: tuple[Origin, ...] | None  # None: the text is the input unchanged
    changes: tuple[str, ...] = ()  # what was done, for the parse notes and the docs


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2014\u2026\u3001\u3002"
_SPACE_RUN = re.compile(r"[ \u3000]+")


def _is_cjk(ch: str) -> bool:
    return bool(re.match(f"[{_CJK}{_CJK_PUNCT}]", ch))


class _Line:
    """A piece of text with the input column of every character."""

    __slots__ = ("text", "cols", "line")

    def __init__(self, text: str, cols: list[int], line: int) -> None:
        self.text, self.cols, self.line = text, cols, line

    def sub(self, a: int, b: int) -> _Line:
        return _Line(self.text[a:b], self.cols[a:b], self.line)

    def strip(self) -> _Line:
        s = self.text
        a = len(s) - len(s.lstrip())
        b = len(s.rstrip())
        return self.sub(a, max(a, b))


_HEADING_NUMERAL = re.compile(rf"[{numerals.ORDINAL_CHARS}]、")


def _despace(ln: _Line) -> _Line:
    """Drop the spaces a PDF/DOCX extraction put between CJK characters and digits."""
    s = ln.text
    keep_text: list[str] = []
    keep_cols: list[int] = []
    i = 0
    for m in _SPACE_RUN.finditer(s):
        a, b = m.span()
        keep_text.append(s[i:a])
        keep_cols.extend(ln.cols[i:a])
        before = s[a - 1] if a > 0 else ""
        after = s[b] if b < len(s) else ""
        drop = bool(before and after) and (
            (_is_cjk(before) and (_is_cjk(after) or after.isdigit())) or (before.isdigit() and _is_cjk(after))
        )
        # A space before a numbered heading (一、 二、 …) separates; keep it.
        if drop and _HEADING_NUMERAL.match(s[b : b + 2]):
            drop = False
        if not drop:
            keep_text.append(s[a:b])
            keep_cols.extend(ln.cols[a:b])
        i = b
    keep_text.append(s[i:])
    keep_cols.extend(ln.cols[i:])
    return _Line("".join(keep_text), keep_cols, ln.line)


def _spaced(text: str) -> bool:
    """Text extracted from PDF/DOCX with spaces inside words and dates."""
    sample = text[:200_000]
    if len(SPACED_DATE.findall(sample)) >= 3:
        return True
    cjk_gaps = len(re.findall(f"[{_CJK}] [{_CJK}]", sample))
    return cjk_gaps >= 20 and cjk_gaps * 60 > len(sample)


# A trailing signature on a flattened line: "… 机关名称 2024年3月8日".
_DATE_TAIL = re.compile(rf"\s(\S{{2,30}}?)\s*({DAY_DATE})\s*$")


def _split_long(ln: _Line, v: Vocabulary, title_head: re.Pattern[str], changes: list[str]) -> list[_Line]:
    """Cut a report flattened onto one line into headings, prose, table labels and values."""
    norm = normalize(ln.text)
    cuts: list[tuple[int, int]] = []  # spans to isolate as lines of their own
    drops: list[tuple[int, int]] = []  # spans to delete (chrome)

    # Run-in chrome: 当前位置 … -->
    for start in v.chrome_run_start:
        a = norm.find(start)
        if a < 0:
            continue
        ends = [(norm.find(e, a), e) for e in v.chrome_run_end]
        ends = [(p, e) for p, e in ends if p >= 0]
        if ends:
            p, e = min(ends)
            drops.append((a, p + len(e)))
            changes.append("chrome")
    # Trailing chrome words.
    tail = norm.rstrip()
    for w in v.chrome_trailing:
        if tail.endswith(w):
            drops.append((len(tail) - len(w), len(norm)))
            changes.append("chrome")
            break

    def dropped(p: int) -> bool:
        return any(a <= p < b for a, b in drops)

    # Section headings, only where a numbered heading starts.
    headings: list[tuple[int, int]] = []
    if v.heading_re is not None:
        for m in v.heading_re.finditer(norm):
            if not dropped(m.start()):
                headings.append(m.span())
    cuts.extend(headings)

    # Table labels inside the table sections (from the first anchor to the next heading).
    if v.label_re is not None and v.anchor_re is not None:
        # Only after the headings of the table sections 二, 三, 四 (or with no heading at all).
        starts = sorted({b for a, b in headings if re.match(rf"\s*[{v.table_section_numerals}]", norm[a:b])})
        if not headings:
            starts = [0]
        for hs in starts:
            he = min((h[0] for h in headings if h[0] >= hs), default=len(norm))
            seg = norm[hs:he]
            am = v.anchor_re.search(seg)
            t4 = v.run_together_re.search(seg) if v.run_together_re is not None else None
            first = min([m.start() for m in (am, t4) if m is not None], default=None)
            if first is None:
                continue
            if not headings and first > 5:
                continue  # a line with no heading is a table only when it starts as one
            for m in v.label_re.finditer(seg, first):
                cuts.append((hs + m.start(), hs + m.end()))

    # Only a line that holds several sections (or a table) is a flattened report; a long prose
    # paragraph keeps its text and loses only chrome.
    flattened = len(headings) >= 1 or len(cuts) > len(headings)
    if not flattened:
        cuts = []
    else:
        # A title run into the preamble at the start of the line ("…年度报告根据《条例》…").
        mt = title_head.match(norm)
        if mt and not any(a < mt.end() for a, _ in headings):
            cuts.append((0, mt.end()))
        # A trailing signature: "… 机关名称 2024年3月8日".
        signed = _DATE_TAIL.search(norm)
        if signed:
            cuts.append(signed.span(1))
            cuts.append(signed.span(2))

    if not cuts and not drops:
        return [ln]
    if cuts:
        changes.append("one-line")
    cuts.sort()
    out: list[_Line] = []
    pos = 0

    def emit(a: int, b: int) -> None:
        # the text [a, b) without dropped spans
        if not drops:
            piece = ln.sub(a, b).strip()
        else:
            keep = [i for i in range(a, b) if not dropped(i)]
            if not keep:
                return
            piece = _Line("".join(ln.text[i] for i in keep), [ln.cols[i] for i in keep], ln.line).strip()
        if piece.text:
            out.append(piece)

    for a, b in cuts:
        if a < pos:
            continue
        emit(pos, a)
        emit(a, b)
        pos = b
    emit(pos, len(norm))
    return out


def _table_line(text: str, v: Vocabulary) -> bool:
    """A shorter line that is a whole table run together: it starts with a table anchor (or with
    行政复议行政诉讼, table 四's header run together) and holds at least three more labels (and
    no cell separators of its own)."""
    if len(text) < 40 or "|" in text or "\t" in text or v.anchor_re is None or v.label_re is None:
        return False
    n = normalize(text).lstrip()
    if not (v.anchor_re.match(n) or (v.run_together_re is not None and v.run_together_re.match(n))):
        return False
    return sum(1 for _ in zip(range(4), v.label_re.finditer(n))) >= 4


def prepare(text: str, packs: Packs) -> Prepared:
    """The text as lines the parser can read, with the origin of every character."""
    v = packs.vocabulary
    footers = packs.inputs.footer
    long_line = packs.inputs.flatten.long_line
    raw_lines = text.split("\n")
    spaced = _spaced(text)
    changes: list[str] = []
    any_long = any(len(x) > long_line or _table_line(x, v) for x in raw_lines)
    footer_hit = any(r.match(x) for x in raw_lines[:5000] for r in footers.patterns) if footers.patterns else False
    chrome_hit = any(normalize(x).strip().startswith(v.chrome_lines) for x in raw_lines[:5000]) if v.chrome_lines else False
    if not (spaced or any_long or footer_hit or chrome_hit):
        return Prepared(text=text, origins=None)

    lines: list[_Line] = []
    for idx, raw in enumerate(raw_lines):
        if raw.endswith("\r"):
            raw = raw[:-1]
        ln = _Line(raw, list(range(len(raw))), idx + 1)
        if any(r.match(raw) for r in footers.patterns):
            changes.append("footer")
            lines.append(_Line("", [], idx + 1))
            continue
        n = normalize(raw).strip()
        if n and len(n) <= 80 and n.startswith(v.chrome_lines):
            changes.append("chrome")
            lines.append(_Line("", [], idx + 1))
            continue
        if len(raw) > long_line:
            for r in footers.inline_patterns:
                hits = list(r.finditer(ln.text))
                for m in reversed(hits):
                    a, b = m.span()
                    ln = _Line(ln.text[:a] + " " + ln.text[b:], ln.cols[:a] + [ln.cols[a]] + ln.cols[b:], ln.line)
                if hits:
                    changes.append("footer")
        if spaced:
            ln = _despace(ln)
        if len(ln.text) > long_line or _table_line(ln.text, v):
            lines.extend(_split_long(ln, v, packs.inputs.title.flattened, changes))
        else:
            lines.append(ln)
    if spaced:
        changes.append("spaced")
    origins = tuple(Origin(line=x.line, columns=tuple(x.cols)) for x in lines)
    return Prepared(text="\n".join(x.text for x in lines), origins=origins, changes=tuple(dict.fromkeys(changes)))


_TITLE_PUNCT = re.compile(r"[。，,；;：:|]")


def join_split_title(lines: list[str], src: list[int], words: TitleWords, start: int = 0) -> int | None:
    """A title set on two lines (洪泽区人民政府 / 2023 年政府信息公开工作年度报告) becomes one
    line, in place; returns the index of the joined line, or None. Used by the HTML, DOCX and
    PDF readers, whose title blocks are often broken after the agency or the year."""
    for i in range(start, min(start + 4, len(lines) - 1)):
        a, b = lines[i].strip(), lines[i + 1].strip()
        if (
            a
            and b
            and len(a) <= 40
            and len(b) <= 40
            and not _TITLE_PUNCT.search(a + b)
            and not any(w in a for w in words.document_words)
            and b.endswith(words.end_words)
            and YEAR.search(a + b)
        ):
            lines[i : i + 2] = [a + b]
            src[i : i + 2] = [src[i]]
            return i
    return None
