"""Prose rules, copy-paste slips: another place (P003), another year (P004), broken
enumerations (P005). Patterns and the division list are data (``rules/prose.toml``,
``rules/divisions.tsv``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .. import numerals
from ..findings import Evidence, Finding, Location
from ..model import Paragraph, Report, Section
from ..packs import ProsePack
from ..textutil import normalize
from ._locate import span_at
from ._sentences import prose_paragraphs, quote, sentences
from .base import LintContext, Rule, register

_BOOK = re.compile(r"《[^《》]*》?")


@functools.lru_cache(maxsize=4)
def _names_re(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _places(pack: ProsePack, text: str) -> list[tuple[int, str, str]]:
    """(offset, division name, name as written) of every listed place named in ``text``."""
    if not text or not pack.divisions:
        return []
    rx = _names_re(pack.known_names())
    return [(m.start(), pack.canonical(m.group(0)), m.group(0)) for m in rx.finditer(normalize(text))]


def _related(pack: ProsePack, a: str, b: str) -> bool:
    return a == b or a in pack.ancestors(b) or b in pack.ancestors(a)


@register
class ForeignPlace(Rule):
    code = "P003"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = context.packs.prose
        md = report.metadata
        agency = normalize(md.agency or "")
        own = {name for _, name, _ in _places(pack, agency)} | {name for _, name, _ in _places(pack, md.title or "")}
        yield from self._website(report, context, pack, own)
        yield from self._self_words(report, context, pack, agency)

    def _website(self, report: Report, context: LintContext, pack: ProsePack, own: set[str]) -> Iterator[Finding]:
        if not own:
            return  # the report's own place is unknown: nothing to compare with
        patterns = pack.place.self_reference
        for s in sentences(report):
            if not any(p.search(s.text) for p in patterns):
                continue
            for offset, name, written in _places(pack, s.text):
                if any(_related(pack, name, o) for o in own):
                    continue
                yield self.finding(
                    Location(
                        path=context.location("body"),
                        section=s.section.number if s.section else None,
                        span=s.span(offset, len(written)),
                    ),
                    Evidence(
                        quote=quote(s.raw, 120),
                        details={
                            "named": name,
                            "own": "、".join(sorted(own)),
                            "named_within": "、".join(sorted(pack.ancestors(name))) or "—",
                        },
                    ),
                    variant="website",
                    discriminator=f"website:{name}",
                    place=written,
                    own="、".join(sorted(own)),
                    sentence=quote(s.raw, 60),
                )

    def _self_words(self, report: Report, context: LintContext, pack: ProsePack, agency: str) -> Iterator[Finding]:
        words: list[str] = []
        town = pack.place.township_pattern.search(agency) if agency else None
        if town:
            words, agency = list(pack.place.township_self_words), town.group(0)
        else:
            for suffix, ws in pack.place.county_self_words.items():
                if re.search(re.escape(suffix) + pack.place.county_government.pattern, agency) and not agency.endswith(
                    pack.place.office_suffix
                ):
                    words = list(ws)
        if not words:
            return
        rx = re.compile("|".join(re.escape(w) for w in words))
        found: dict[str, list[tuple[Section | None, Paragraph, int]]] = {}
        for section, p in prose_paragraphs(report):
            for m in rx.finditer(normalize(p.text)):
                found.setdefault(m.group(0), []).append((section, p, m.start()))
        for word, hits in found.items():
            section, p, offset = hits[0]
            yield self.finding(
                Location(
                    path=context.location("body"),
                    section=section.number if section else None,
                    span=span_at(p.span, offset, len(word)),
                ),
                Evidence(
                    quote=quote(p.text[max(0, offset - 20) : offset + 20], 60),
                    details={"word": word, "agency": agency, "occurrences": str(len(hits))},
                ),
                variant="self-word",
                discriminator=f"self:{word}",
                word=word,
                agency=agency,
                count=len(hits),
            )


@register
class StaleYear(Rule):
    code = "P004"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        if md.report_year is None or md.report_year_source not in ("title", "period", "caller"):
            return
        pack = context.packs.prose
        cited_words = pack.stale_year.cited_words
        for s in sentences(report):
            if s.section is not None and s.section.number not in (1, None):
                continue  # the report announces itself in the preamble or section 一
            cited = [(b.start(), b.end()) for b in _BOOK.finditer(s.text) if any(w in b.group(0) for w in cited_words)]
            for rx in pack.stale_year.patterns:
                for m in rx.finditer(s.text):
                    year = int(m.group("y"))
                    if year == md.report_year or any(a <= m.start("y") < b for a, b in cited):
                        continue  # a cited notice (《关于做好2022年…年度报告工作的通知》) is not the report
                    yield self.finding(
                        Location(
                            path=context.location("body"),
                            section=s.section.number if s.section else None,
                            span=s.span(m.start("y"), 4),
                        ),
                        Evidence(
                            quote=quote(s.raw, 120),
                            details={
                                "stated_year": str(year),
                                "report_year": str(md.report_year),
                                "report_year_from": md.report_year_source,
                            },
                        ),
                        discriminator=f"{year}:{s.raw}",
                        stated=year,
                        year=md.report_year,
                        source=md.report_year_source,
                    )


def _sequence_defect(values: list[int]) -> str | None:
    for a, b in zip(values, values[1:]):
        if b == a:
            return "repeat"
        if b != a + 1:
            return "skip" if b > a else "order"
    return None


# A paragraph with the section it stands in (None: the preamble).
_Para = tuple[Section | None, Paragraph]


@register
class BrokenNumbering(Rule):
    code = "P005"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = context.packs.prose
        words = pack.numbering
        not_before = set(words.not_marker_before)
        paren_not_before = set(words.paren_not_marker_before)
        # The kind of a list is part of its findings' fingerprints: the inline kind keeps its word.
        inline_kind = self.word("inline_kind")
        for _key, paras in self._groups(report):
            yield from self._scan(context, paras, words.inline, inline_kind, not_before, words.heading, mode="carry-if-starts")
            yield from self._scan(context, paras, words.paren, "paren", paren_not_before, words.heading, mode="paragraph")
            yield from self._scan(context, paras, words.paren, "paren", paren_not_before, words.heading, mode="heads")

    @staticmethod
    def _groups(report: Report) -> Iterator[tuple[str | None, list[_Para]]]:
        if report.preamble:
            yield None, [(None, p) for p in report.preamble]
        for s in report.sections:
            yield s.key, [(s, p) for p in s.paragraphs]

    def _scan(
        self,
        context: LintContext,
        paras: list[_Para],
        rx: re.Pattern[str],
        kind: str,
        not_before: set[str],
        heading: re.Pattern[str],
        mode: str,
    ) -> Iterator[Finding]:
        """mode: "paragraph" (a list lives in one paragraph), "carry-if-starts" (a list goes on in
        the next paragraph when it opens with a marker), "heads" (only markers opening a paragraph,
        one list per section)."""
        run: list[tuple[int, Section | None, Paragraph, int, int]] = []  # (value, section, paragraph, offset, length)

        def flush() -> Iterator[Finding]:
            values = [r[0] for r in run]
            defect = _sequence_defect(values)
            if defect and len(values) >= 2:
                written = "…".join(self._marker(v, kind) for v in values)
                bad = next(i for i in range(1, len(values)) if values[i] != values[i - 1] + 1)
                _, bsec, bp, boff, blen = run[bad]
                yield self.finding(
                    Location(
                        path=context.location("body"), section=bsec.number if bsec else None, span=span_at(bp.span, boff, blen)
                    ),
                    Evidence(
                        quote=quote(bp.text[max(0, boff - 30) : boff + 20], 60), details={"sequence": written, "defect": defect}
                    ),
                    variant=defect,
                    discriminator=f"{kind}:{written}:{bp.text[:30]}",
                    sequence=written,
                    marker=self._marker(values[bad], kind),
                    previous=self._marker(values[bad - 1], kind),
                )

        for section, p in paras:
            n = normalize(p.text)
            events: list[tuple[int, str, int, int]] = []  # (offset, "m"/"h", value, length)
            for m in rx.finditer(n):
                if m.start() > 0 and n[m.start() - 1] in not_before:
                    continue
                events.append((m.start(), "m", numerals.value(m.group(1)) or 0, m.end() - m.start()))
            if mode == "heads":
                events = [e for e in events if e[0] == 0]
            else:
                for h in heading.finditer(n):
                    events.append((h.start(), "h", 0, 0))
            events.sort()
            starts_with_marker = bool(events) and events[0][1] == "m" and events[0][0] == 0
            if mode == "paragraph" and kind == "paren":
                events = [e for e in events if e[0] != 0]  # a paragraph-opening （一） is a heading: the "heads" scan
            if run and (mode == "paragraph" or (mode == "carry-if-starts" and not starts_with_marker)):
                yield from flush()
                run = []
            for offset, what, value, length in events:
                if what == "h":
                    yield from flush()
                    run = []
                    continue
                if value == 1 and run:
                    yield from flush()
                    run = []
                if not run and value != 1:
                    continue  # a list must start at 一: a lone 二是 is not a list we can judge
                run.append((value, section, p, offset, length))
        yield from flush()

    def _marker(self, v: int, kind: str) -> str:
        return self.word("paren_marker" if kind == "paren" else "inline_marker", n=numerals.to_chinese(v))
