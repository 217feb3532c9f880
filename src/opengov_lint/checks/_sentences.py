"""The prose of a report as the P-rules read it: sentences, clauses, and the numbers stated for
the quantities of the prose pack (mentions).

Prose is read normalised (textutil.normalize) and, when a prose pack is given, with its counts in
numerals written as digits (十七件 → 17件, ``ProsePack.fold``); offsets found in that text are
mapped back to the paragraph's own characters, so spans and quotes point at what was written."""

from __future__ import annotations

import re
from collections.abc import Iterator

from attrs import frozen

from ..model import Paragraph, Report, Section, SourceSpan
from ..numerals import Folded
from ..packs import ProsePack, Quantity
from ..textutil import normalize
from ._locate import span_at

__all__ = ["Mention", "Sentence", "clauses", "mentions", "paragraph_text", "prose_paragraphs", "quote", "sentences"]

_SENTENCE_END = "。!?"


@frozen
class Sentence:
    section: Section | None
    paragraph: Paragraph
    text: str  # normalised (and folded, when read with a prose pack)
    start: int  # offset of the sentence in the paragraph's normalised (folded) text
    folded: Folded | None = None  # the paragraph's folded text, None when not folded

    def source(self, offset: int, length: int = 0) -> tuple[int, int]:
        """(offset, length) in the paragraph as written of ``length`` characters at ``offset``."""
        if self.folded is None:
            return self.start + offset, length
        return self.folded.span(self.start + offset, length)

    def span(self, offset: int = 0, length: int = 0) -> SourceSpan | None:
        span = self.paragraph.span
        if span is None:
            return None
        at, n = self.source(offset, length)
        return span_at(span, at, n)

    @property
    def raw(self) -> str:
        at, n = self.source(0, len(self.text))
        return self.paragraph.text[at : at + n]

    def head(self, limit: int) -> str:
        """The sentence as written, cut after about ``limit`` characters (for quotes: cheap on a
        sentence of any length)."""
        at, n = self.source(0, len(self.text))
        return self.paragraph.text[at : at + min(n, limit + 1)]


def prose_paragraphs(report: Report) -> Iterator[tuple[Section | None, Paragraph]]:
    """Preamble and section prose; not the signature (a name and a date)."""
    for p in report.preamble:
        yield None, p
    for s in report.sections:
        for p in s.paragraphs:
            yield s, p


def paragraph_text(p: Paragraph, pack: ProsePack | None = None) -> Folded:
    """A paragraph normalised, with its counts in numerals as digits when ``pack`` is given."""
    n = normalize(p.text)
    return pack.fold(n) if pack is not None else Folded(n)


def sentences(report: Report, pack: ProsePack | None = None) -> Iterator[Sentence]:
    """The sentences of the prose; with ``pack``, counts in numerals read as digits."""
    for section, p in prose_paragraphs(report):
        folded = paragraph_text(p, pack)
        n = folded.text
        keep = folded if pack is not None else None
        start = 0
        for i, ch in enumerate(n):
            if ch in _SENTENCE_END:
                if n[start : i + 1].strip():
                    yield Sentence(section, p, n[start : i + 1], start, keep)
                start = i + 1
        if n[start:].strip():
            yield Sentence(section, p, n[start:], start, keep)


def quote(text: str, limit: int = 80) -> str:
    """``text`` stripped, cut to ``limit`` characters with an ellipsis."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------- mentions


@frozen
class Mention:
    quantity: Quantity
    value: int
    sentence: Sentence
    offset: int  # of the number in the sentence
    length: int
    clause: str  # as written


def clauses(text: str, breaks: str) -> Iterator[tuple[int, str]]:
    start = 0
    for i, ch in enumerate(text):
        if ch in breaks:
            if i > start:
                yield start, text[start:i]
            start = i + 1
    if start < len(text):
        yield start, text[start:]


def mentions(report: Report, pack: ProsePack) -> list[Mention]:
    """Every number the prose states for a quantity of the pack, by the pack's cues."""
    out: list[Mention] = []
    para_text: dict[int, str] = {}
    # the measure-word alternation of each quantity, built once per call rather than per clause
    unit_alts = {id(q): "|".join(re.escape(u) for u in (q.units or pack.count_units)) for q in pack.quantities}
    for s in sentences(report, pack):
        ptext = para_text.setdefault(id(s.paragraph), paragraph_text(s.paragraph, pack).text)
        # the quantities this sentence may state, decided once per sentence (not per clause: the
        # work stays linear in the sentence's length however many clauses it has)
        allowed = [
            q
            for q in pack.quantities
            if not (q.requires_paragraph and q.requires_paragraph not in ptext) and not any(w in s.text for w in q.avoid_sentence)
        ]
        for c_start, clause in clauses(s.text, pack.clause_breaks):
            if not any(ch.isdigit() for ch in clause):
                continue  # a clause without a number states no count
            taken: set[int] = set()  # number offsets already attributed in this clause
            for q in allowed:
                units = unit_alts[id(q)]
                for cue_re in q.cues:
                    for cue in cue_re.finditer(clause):
                        if any(w in clause[: cue.start()] for w in q.exclude_before):
                            continue  # 同意公开答复9件: the count of one outcome, not of all
                        after = re.match(rf"([^\d]{{0,{q.max_gap}}}?)(\d+)\s*(?:{units})", clause[cue.end() :])
                        if after:
                            gap, num_at = after.group(1), cue.end() + after.start(2)
                            number = after.group(2)
                            prefix = clause[: cue.start()]
                        else:
                            before = re.search(rf"(\d+)\s*(?:{units})([^\d]{{0,{q.max_gap}}})$", clause[: cue.start()])
                            if not before:
                                continue
                            gap, num_at, number = before.group(2), before.start(1), before.group(1)
                            prefix = clause[: before.start()]
                        if any(w in gap for w in q.exclude) or any(w in gap or w in prefix for w in pack.part_words):
                            continue
                        if q.requires_near:
                            tail = re.match(rf"\d+\s*(?:{units})(.{{0,6}})", clause[num_at:])
                            if q.requires_near not in gap and not (tail and q.requires_near in tail.group(1)):
                                continue
                        if num_at in taken:
                            continue
                        taken.add(num_at)
                        at, n = s.source(c_start, len(clause))
                        written = s.paragraph.text[at : at + n]  # the clause as written (十七件, not 17件)
                        out.append(Mention(q, int(number), s, c_start + num_at, len(number), written))
    return out
