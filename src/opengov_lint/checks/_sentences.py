"""The prose of a report as the P-rules read it: sentences, clauses, and the numbers stated for
the quantities of the prose pack (mentions)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from attrs import frozen

from ..model import Paragraph, Report, Section, SourceSpan
from ..packs import ProsePack, Quantity
from ..textutil import normalize
from ._locate import span_at

__all__ = ["Mention", "Sentence", "clauses", "mentions", "prose_paragraphs", "quote", "sentences"]

_SENTENCE_END = "。!?"


@frozen
class Sentence:
    section: Section | None
    paragraph: Paragraph
    text: str  # normalised
    start: int  # offset of the sentence in the paragraph

    def span(self, offset: int = 0, length: int = 0) -> SourceSpan | None:
        span = self.paragraph.span
        if span is None:
            return None
        return span_at(span, self.start + offset, length)

    @property
    def raw(self) -> str:
        return self.paragraph.text[self.start : self.start + len(self.text)]


def prose_paragraphs(report: Report) -> Iterator[tuple[Section | None, Paragraph]]:
    """Preamble and section prose; not the signature (a name and a date)."""
    for p in report.preamble:
        yield None, p
    for s in report.sections:
        for p in s.paragraphs:
            yield s, p


def sentences(report: Report) -> Iterator[Sentence]:
    for section, p in prose_paragraphs(report):
        n = normalize(p.text)
        start = 0
        for i, ch in enumerate(n):
            if ch in _SENTENCE_END:
                if n[start : i + 1].strip():
                    yield Sentence(section, p, n[start : i + 1], start)
                start = i + 1
        if n[start:].strip():
            yield Sentence(section, p, n[start:], start)


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
    clause: str


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
    for s in sentences(report):
        ptext = para_text.setdefault(id(s.paragraph), normalize(s.paragraph.text))
        for c_start, clause in clauses(s.text, pack.clause_breaks):
            if not any(ch.isdigit() for ch in clause):
                continue  # a clause without a number states no count
            taken: set[int] = set()  # number offsets already attributed in this clause
            for q in pack.quantities:
                if q.requires_paragraph and q.requires_paragraph not in ptext:
                    continue
                if any(w in s.text for w in q.avoid_sentence):
                    continue
                units = unit_alts[id(q)]
                for cue_re in q.cues:
                    for cue in cue_re.finditer(clause):
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
                        out.append(Mention(q, int(number), s, c_start + num_at, len(number), clause))
    return out
