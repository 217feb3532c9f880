"""Structure rules: the six sections, their order and wording, required content, the title."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import numerals
from ..findings import Evidence, Finding, Fix, Location
from ..model import AgencyKind, ImageTableDetail, NoteKind, Report, Section
from ..packs import FormatPack
from ..packs.regulation import StructureWords
from ..textutil import label_key, normalize, similarity
from ._locate import numeral, span_at
from .base import LintContext, Rule, register


def _modern_pack(report: Report, context: LintContext) -> FormatPack | None:
    """The format in force, when it is one of the unified formats (2019 on)."""
    pack = context.format_in_force(report)
    if pack is None or not pack.tables:
        return None
    return pack


# Notes after which the report's structure says nothing: X001, X003 (a scan) and X004 (not read)
# report the input instead.
_UNREADABLE = frozenset({NoteKind.EMPTY, NoteKind.UNDECODABLE, NoteKind.NOT_A_REPORT, NoteKind.OVER_LIMIT, NoteKind.IMAGE_PAGE})
# Notes after which the input holds no text to read a part count from.
_NO_TEXT = frozenset({NoteKind.EMPTY, NoteKind.UNDECODABLE, NoteKind.OVER_LIMIT, NoteKind.IMAGE_PAGE})


def _unreadable(report: Report) -> bool:
    return any(n.kind in _UNREADABLE for n in report.notes)


def _heading_body(heading: str, context: LintContext) -> str:
    """The heading's words: without markup (##, **) and without its numbering (一、 / 一  / 第一部分)."""
    h = normalize(heading).strip().strip("#*").strip()
    h = context.regulation.structure.heading_numbering.sub("", h, count=1)
    return label_key(h)


_YEAR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _heading_words(heading: str, context: LintContext) -> tuple[int, str]:
    """(offset, text) of the heading's words as written: after markup and numbering, before
    trailing markup (``## 二、主动公开情况 **`` → the offset of 主, 主动公开情况)."""
    n = normalize(heading)
    start = len(n) - len(n.lstrip(" \t#*"))
    m = context.regulation.structure.heading_numbering.match(n[start:])
    if m:
        start += m.end()
    start += len(n[start:]) - len(n[start:].lstrip())
    return start, heading[start : len(n.rstrip(" \t#*"))]


# How alike the words written and the canonical words must be for S003 to suggest the canonical
# ones (difflib ratio of the label keys): 存在的主要问题及改进措施 → …改进情况 is 0.83; a heading
# the reader took for another section's (“法定主动公开内容”…) is under 0.5 and gets no fix.
HEADING_FIX_SIMILARITY = 0.5


def _heading_fix(section: Section, canonical: str, context: LintContext) -> Fix | None:
    """The canonical words in place of the words written, the numbering as written (S002's):
    only for words close to the canonical ones, and not for a heading that may be cut — broken
    across two lines (三、收到和处理政 / 府信息公开申请情况, its rest opening the section's text), or
    the start of the canonical words with nothing under it (an excerpt cut after the heading)."""
    offset, words = _heading_words(section.heading, context)
    _, new = _heading_words(canonical, context)
    at = span_at(section.span, offset, len(words))
    if at is None or not words or not new or words == new:
        return None
    written, wanted = label_key(words), label_key(new)
    if similarity(written, wanted) < HEADING_FIX_SIMILARITY:
        return None
    rest = wanted[len(written) :] if wanted.startswith(written) else ""
    first = label_key(section.paragraphs[0].text) if section.paragraphs else ""
    if rest and (not first or first.startswith(rest[:2])):
        return None  # the heading may go on in the next line, or the text was cut after it
    return Fix(span=at, old=words, new=new)


@register
class MissingSection(Rule):
    code = "S001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = _modern_pack(report, context)
        if pack is None or _unreadable(report):
            return
        present = {s.key for s in report.sections}
        for spec in pack.sections:
            if spec.key not in present:
                yield self.finding(
                    Location(path=spec.heading, section=spec.number),
                    Evidence(
                        details={
                            "expected": spec.heading,
                            "found": "、".join(s.heading for s in report.sections) or self.word("none"),
                        }
                    ),
                    discriminator=spec.key,
                    numeral=numeral(spec.number),
                    heading=spec.heading,
                )


@register
class SectionOrder(Rule):
    code = "S002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = _modern_pack(report, context)
        if pack is None:
            return
        expected = {s.key: s.number for s in pack.sections}
        seen: dict[str, str] = {}
        arabic_reported = False
        last = 0
        complete = all(s.key in {x.key for x in report.sections} for s in pack.sections)
        for s in report.sections:
            if s.key not in expected:
                continue
            loc = Location(path=s.heading, section=s.number, span=s.span)
            if s.numeral.isdigit() and not arabic_reported:
                arabic_reported = True
                yield self.finding(loc, Evidence(quote=s.heading), variant="arabic", discriminator="arabic", heading=s.heading)
            if s.key in seen:
                yield self.finding(
                    loc,
                    Evidence(quote=s.heading, details={"first": seen[s.key]}),
                    variant="repeated",
                    discriminator=f"repeated:{s.key}",
                    heading=s.heading,
                )
                continue
            seen[s.key] = s.heading
            want = expected[s.key]
            if want < last:
                yield self.finding(
                    loc, Evidence(quote=s.heading), variant="order", discriminator=f"order:{s.key}", heading=s.heading
                )
            elif complete and s.number is not None and s.number != want:
                yield self.finding(
                    loc,
                    Evidence(quote=s.heading, details={"expected_numeral": numeral(want)}),
                    variant="number",
                    discriminator=f"number:{s.key}",
                    heading=s.heading,
                    expected=numeral(want),
                )
            last = max(last, want)


@register
class HeadingWording(Rule):
    code = "S003"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = _modern_pack(report, context)
        if pack is None:
            return
        for s in report.sections:
            spec = pack.section_spec(s.key or "")
            if spec is None:
                continue
            written = _heading_body(s.heading, context)
            accepted = {_heading_body(spec.heading, context)} | {_heading_body(v, context) for v in spec.accepted_variants}
            if written in accepted:
                continue
            yield self.finding(
                Location(path=s.heading, section=s.number, span=s.span),
                Evidence(quote=s.heading, details={"canonical": spec.heading}),
                discriminator=s.key or "",
                heading=s.heading,
                canonical=spec.heading,
                fix=_heading_fix(s, spec.heading, context),
            )


@register
class EmptySection(Rule):
    code = "S004"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        with_tables = {t.section for t in report.tables}
        # A section holding a table as an image is not empty: T001 and X003 report it.
        with_images = {n.detail.section for n in report.notes if isinstance(n.detail, ImageTableDetail)}
        for s in report.sections:
            if s.paragraphs or s.number in with_tables:
                continue
            if s.number in with_images:
                continue
            yield self.finding(
                Location(path=s.heading, section=s.number, span=s.span),
                Evidence(quote=s.heading),
                discriminator=s.key or s.heading,
                heading=s.heading,
            )


@register
class PlaceholderSection(Rule):
    code = "S009"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        words = context.regulation.placeholder
        texts = {label_key(t) for t in words.texts}
        for s in report.sections:
            if s.key not in words.sections or not s.paragraphs:
                continue  # no text at all is S004's
            text = normalize(s.text).strip()
            bare = "".join(ch for ch in text if ch not in words.punctuation and not ch.isspace())
            note = (
                bare.startswith("(") and bare.endswith(")") and bare.count("(") == 1 and any(w in bare for w in words.note_words)
            )
            if bare not in texts and not note:
                continue
            first = s.paragraphs[0]
            yield self.finding(
                Location(path=s.heading, section=s.number, span=first.span or s.span),
                Evidence(quote=s.text.strip(), details={"section": s.key or "", "text": s.text.strip()}),
                discriminator=s.key or s.heading,
                heading=s.heading,
                text=s.text.strip(),
            )


@register
class GovernmentAccountabilityMissing(Rule):
    code = "S005"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        pack = _modern_pack(report, context)
        if pack is None or md.agency_kind not in (AgencyKind.GOVERNMENT, AgencyKind.TOWNSHIP):
            return
        agency = label_key(md.agency or "")
        # 街道办事处 are 派出机关, not a level of people's government (条例 第五十条第四项 says 各级人民政府).
        exempt = context.regulation.accountability.exempt_words
        if md.agency_kind is AgencyKind.TOWNSHIP and (any(w in agency for w in exempt) or not agency):
            return
        if not report.sections:
            return
        text = normalize("\n".join(p.text for _s, p in report.paragraphs()))
        missing = []
        for topic in context.regulation.accountability.topics:
            if not any(normalize(k) in text for k in topic.keywords):
                missing.append(topic.label)
        if missing:
            first = report.section("overview") or report.sections[0]
            yield self.finding(
                Location(path=first.heading, section=first.number, span=first.span),
                Evidence(details={"missing": "、".join(missing), "agency_kind": md.agency_kind.value}),
                discriminator="、".join(missing),
                missing="、".join(missing),
            )


@register
class FeeStatementMissing(Rule):
    code = "S006"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = _modern_pack(report, context)
        if pack is None or "table3" not in pack.tables:
            return
        if pack.tables["table3"].row("other_no_fee") is None:
            return  # only formats that count fee-related outcomes ask for the fee statement
        other = report.section("other")
        if other is None:
            return
        text = normalize(other.text)
        words = context.regulation.fees.keywords
        if any(normalize(w) in text for w in words):
            return
        yield self.finding(
            Location(path=other.heading, section=other.number, span=other.span),
            Evidence(quote=other.text[:200] or other.heading, details={"searched_for": "、".join(words)}),
            discriminator="fee",
            heading=other.heading,
        )


@register
class DeclaredStructureMismatch(Rule):
    code = "S007"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = _modern_pack(report, context)
        if pack is None:
            return
        words = context.regulation.structure
        candidates = list(report.preamble)
        overview = report.section("overview")
        if overview:
            candidates += list(overview.paragraphs[:2])
        for p in candidates:
            n = normalize(p.text)
            for m in words.parts_statement.finditer(n):
                declared = numerals.value(m.group("n"))
                if not (m.group("pre") or m.group("post")):
                    continue  # "其中一部分" is no statement of the report's structure
                if not declared or declared > 12:
                    continue
                sentence_start = max(n.rfind("。", 0, m.start()), n.rfind(";", 0, m.start())) + 1  # normalised: ；→;
                listed_text = n[sentence_start : m.start()]
                listed = self._listed(listed_text, words)
                present = len({s.key for s in report.sections if s.key})
                # Compare with the sections only when the text reaches its end (not an excerpt).
                reached_end = any(s.key in ("other", "problems") for s in report.sections)
                problems = []
                if listed and listed != declared:
                    problems.append(self.word("listed", listed=listed))
                if reached_end and present != declared:
                    problems.append(self.word("present", present=present))
                if not problems:
                    continue
                yield self.finding(
                    Location(path=context.location("preamble"), span=p.span),
                    Evidence(
                        quote=n[sentence_start : m.end()].strip(),
                        details={"declared": str(declared), "listed": str(listed or ""), "present": str(present)},
                    ),
                    discriminator=str(declared),
                    declared=declared,
                    problems="，".join(problems),
                    listed=listed or "-",
                    present=present,
                )
                return

    @staticmethod
    def _listed(text: str, words: StructureWords) -> int:
        """How many parts a list such as 包括总体情况、…以及其他需要报告的事项 names (0: no list)."""
        m = words.list_intro.search(text)
        if not m:
            return 0
        body = words.list_tail.sub("", m.group("list").strip(), count=1)
        for w in words.list_and:
            body = body.replace(w, "、")
        pieces = words.list_split.split(body)
        items: list[str] = []
        for piece in pieces:
            if items and not words.item_end.search(items[-1]):
                items[-1] += "、" + piece
            else:
                items.append(piece)
        items = [x for x in items if len(x.strip()) >= 2]
        return len(items) if len(items) >= 2 else 0


@register
class TitleNonstandard(Rule):
    code = "M001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        md = report.metadata
        if any(n.kind in _NO_TEXT for n in report.notes):
            return
        if md.title is None:
            yield self.finding(Location(path=context.location("title")), Evidence(), variant="missing", discriminator="missing")
            return
        missing = self._lacks(md.title, context)
        if missing:
            yield self.finding(
                Location(path=context.location("title"), span=md.title_span),
                Evidence(quote=md.title),
                discriminator="|".join(m[0] for m in missing),
                title=md.title,
                missing="、".join(m[0] for m in missing),
                missing_en=", ".join(m[1] for m in missing),
                fix=self._fix(report, context),
            )

    def _lacks(self, title_text: str, context: LintContext) -> list[tuple[str, str]]:
        title = context.regulation.report_title
        t = label_key(title_text)
        missing = []
        if not title.year.search(t):
            missing.append((self.word("year"), self.word("year_en")))
        if title.document not in t:
            missing.append((self.word("document", document=title.document), self.word("document_en", document=title.document)))
        rest = title.generic.sub("", t)
        if len(rest) < 2:
            missing.append((self.word("agency"), self.word("agency_en")))
        return missing

    def _fix(self, report: Report, context: LintContext) -> Fix | None:
        """The title of the format, when its parts are known: the agency recognised by its name
        (from the title or the signature), and a report year the title or the period states
        (not one guessed from the body), which the title does not contradict."""
        md = report.metadata
        if md.title is None or md.title_span is None or not md.agency or md.agency_kind_source != "name":
            return None
        if md.report_year is None or md.report_year_source not in ("title", "period", "caller"):
            return None
        if any(int(y) != md.report_year for y in _YEAR_DIGITS.findall(normalize(md.title))):
            return None  # the title names another year: which one is right is D005's question
        new = self.word(
            "canonical_title", agency=md.agency.strip(), year=md.report_year, document=context.regulation.report_title.document
        )
        if new == md.title or self._lacks(new, context):
            return None
        return Fix(span=md.title_span, old=md.title, new=new)
