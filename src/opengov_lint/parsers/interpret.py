"""What the text of a report says about the report: its title, agency and agency kind, report
year, publication date and statistical period (metadata), the information it withholds, and
the format it follows. Read from the lines, sections and tables the text parser found; the
words come from the packs (regulation and input packs), the grammar of dates from dates.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import (
    AgencyKind,
    AgencyKindSource,
    DateText,
    FormatDetection,
    Metadata,
    Paragraph,
    Period,
    PublicationDate,
    ReportYearSource,
    Section,
    SourceSpan,
    Table,
    Withholding,
)
from ..numerals import Folded
from ..packs import FormatId, Packs, RowSpec
from ..packs.regulation import WithholdingProse, WithholdingReason
from ..textutil import alternation, label_key, normalize
from .dates import BODY_YEARS, YEAR, find_dates, find_periods, metadata_date, parse_date
from .lines import Lines

__all__ = ["MetaPair", "agency_kind_of", "detect_format", "read_metadata", "read_withholdings"]

# (label, value, line index) of a piece of page metadata (发布日期：2022-01-31).
MetaPair = tuple[str, str, int]


def _title_text(doc: Lines, idx: int, meta_lines: set[int], packs: Packs) -> tuple[str, int]:
    """The title as written, with the agency line above it when the title was split in two
    (路北区住房和城乡建设局 / 2022年政府信息公开工作年度报告); and the first line it uses."""
    title = doc.lines[idx].strip()
    # A breadcrumb copied with the title (网站首页 > 年度报告 > 某某2024年…报告): its last step.
    if ">" in title:
        title = title.rsplit(">", 1)[1].strip()
    # A metadata label without a colon (标      题 西藏自治区…): not part of the title.
    title_label_re = packs.vocabulary.title_label_re
    if title_label_re is not None:
        title = title_label_re.sub("", title, count=1)
    prev = idx - 1
    while prev >= 0 and not doc.lines[prev].strip():
        prev -= 1
    if prev >= 0 and prev not in meta_lines and YEAR.match(doc.norm[idx].strip()):
        above = doc.norm[prev].strip()
        # only a line that reads as an agency's name: never page chrome (全文检索, 政府信息公开)
        if 2 <= len(above) <= 30 and not re.search(r"[。,;:|\d]", above) and _names_an_agency(packs, above):
            return doc.lines[prev].strip() + title, prev
    return title, idx


# ----------------------------------------------------------------------------- metadata
def agency_kind_of(packs: Packs, name: str | None) -> AgencyKind | None:
    """The kind of agency a name says, by the suffixes of the regulation pack (first match)."""
    if not name:
        return None
    n = label_key(name)
    for rule in packs.regulation.agency_kinds:
        if any(n.endswith(label_key(s)) for s in rule.suffixes):
            return rule.kind
    return None


def _names_an_agency(packs: Packs, text: str) -> bool:
    """Whether ``text`` ends as an agency's name does (局, 人民政府, 街道办事处, a place name …)
    and is not a word of the page around the report (its chrome, a title's own words)."""
    bare = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", text)  # 高新区(新市区): what is in brackets aside
    if agency_kind_of(packs, text) is None and agency_kind_of(packs, bare) is None:
        return False
    key = label_key(text)
    chrome = packs.inputs.chrome.line_markers
    return not any(key.startswith(label_key(m)) for m in chrome if label_key(m))


def _agency_from_statements(packs: Packs, paragraphs: Sequence[Paragraph]) -> str | None:
    """The agency a preamble names in the sentences that present the report (现公布兴仁市人民政府
    2022年…报告; 本报告由山东省机关事务管理局根据…编制), when no title or signature names it."""
    for p in paragraphs[:4]:
        n = normalize(p.text)
        for rx in packs.inputs.metadata.agency_statements:
            m = rx.search(n)
            if m is None:
                continue
            cand = m.group("agency").strip()
            if 2 <= len(cand) <= 40 and _names_an_agency(packs, cand):
                return cand
    return None


# A title around its year: the agency usually before it, else after it.
_AROUND_YEAR = re.compile(r"^(?P<a>.*?)(?P<y>\d{4})\s*年(?:度)?(?P<b>.*)$")


def _agency_from_title(title: str, packs: Packs) -> str | None:
    n = normalize(title).strip()
    words = packs.inputs.title

    def cut(text: str) -> str:
        return words.tail_pattern.sub("", text)

    m = _AROUND_YEAR.match(n)
    if m:
        before = m.group("a").strip(words.strip_before)
        after = cut(m.group("b")).strip(words.strip_after)
        cand = before or after
    else:
        cand = cut(n).strip(words.strip_before)
    lead = next((w for w in words.lead_words if cand.startswith(w)), "")
    cand = cand[len(lead) :]
    return cand or None


def _meta_value(pairs: Sequence[MetaPair], labels: Sequence[str]) -> MetaPair | None:
    for label, value, line in pairs:
        if label in labels and value:
            return label, value, line
    return None


def read_metadata(
    doc: Lines,
    packs: Packs,
    pairs: Sequence[MetaPair],
    title_idx: int | None,
    meta_lines: set[int],
    preamble: Sequence[Paragraph],
    sections: Sequence[Section],
    signature: Sequence[Paragraph],
    signature_date: DateText | None,
    agency_kind: AgencyKind | None,
    report_year: int | None,
) -> Metadata:
    """The report's metadata from its title, page metadata, preamble, sections and signature;
    ``agency_kind`` and ``report_year`` given by the caller win."""
    words = packs.inputs.metadata
    title, title_span = None, None
    if title_idx is not None:
        title, first = _title_text(doc, title_idx, meta_lines, packs)
        title_span = doc.span(first, doc.first_col(first))
    if title is None:
        mv = _meta_value(pairs, words.title)
        if mv:
            title, title_span = mv[1], doc.span(mv[2])

    # Agency: the title, else the signature, else the page's 发布机构, else the sentence of the
    # preamble that presents the report; never a word of the page around it.
    agency = _agency_from_title(title, packs) if title else None
    if agency and not _names_an_agency(packs, agency):
        agency = None
    if not agency and signature:
        cand = [p.text for p in signature if not re.search(r"\d", p.text)]
        agency = cand[-1].strip() if cand else None
    if not agency:
        mv = _meta_value(pairs, words.agency)
        agency = mv[1] if mv else None
    if not agency:
        agency = _agency_from_statements(packs, preamble)

    kind_source: AgencyKindSource = "unknown"
    kind = AgencyKind.OTHER
    if agency_kind is not None:
        kind, kind_source = agency_kind, "caller"
    else:
        detected = agency_kind_of(packs, agency)
        if detected is not None:
            kind, kind_source = detected, "name"

    # All dates, validated.
    dates: list[DateText] = []
    for idx, n in enumerate(doc.norm):
        for s, _e, raw in find_dates(n):
            dates.append(parse_date(raw, doc.span(idx, s, len(raw))))

    period = _period(doc, packs)

    year_source: ReportYearSource = "unknown"
    year = None
    if report_year is not None:
        year, year_source = report_year, "caller"
    elif title:
        m = YEAR.search(normalize(title))
        if m:
            year, year_source = int(m.group(1)), "title"
    if year is None and period is not None and period.start.year:
        year, year_source = period.start.year, "period"
    if year is None:
        # A guess, marked "body": 2024年度 first (the report's own year), then a year opening a paragraph.
        paras = [normalize(p.text) for p in preamble] + [normalize(p.text) for s in sections[:1] for p in s.paragraphs[:3]]
        for rx in BODY_YEARS:
            found = next((int(m.group(1)) for t in paras if (m := rx.search(t)) and 1990 <= int(m.group(1)) <= 2100), None)
            if found is not None:
                year, year_source = found, "body"
                break

    publication = None
    mv = _meta_value(pairs, words.publication)
    meta_raw = metadata_date(mv[1]) if mv else None
    if mv and meta_raw is not None:
        publication = PublicationDate(date=parse_date(meta_raw, doc.span(mv[2])), source="metadata", label=mv[0])
    if publication is None and signature_date is not None:
        publication = PublicationDate(date=signature_date, source="signature", label=words.signature_label)
    if publication is None:
        mv = _meta_value(pairs, words.signed)
        signed_raw = metadata_date(mv[1]) if mv else None
        if mv and signed_raw is not None:
            publication = PublicationDate(date=parse_date(signed_raw, doc.span(mv[2])), source="metadata", label=mv[0])

    return Metadata(
        title=title,
        title_span=title_span,
        agency=agency,
        agency_kind=kind,
        agency_kind_source=kind_source,
        report_year=year,
        report_year_source=year_source,
        publication=publication,
        period=period,
        dates=tuple(dates),
    )


def _period(doc: Lines, packs: Packs) -> Period | None:
    markers = [normalize(m) for m in packs.regulation.period.markers]
    for idx, n in enumerate(doc.norm):
        if not any(mk in n for mk in markers):
            continue
        for m in find_periods(n, packs.inputs.period):
            before = n[max(0, m.start() - 40) : m.start()]
            sentence_start = max(before.rfind("。"), before.rfind(";"))
            context = before[sentence_start + 1 :]
            if not any(mk in context for mk in markers):
                continue  # the marker must introduce the range, in the same sentence
            start = parse_date(m.group("start"), doc.span(idx, m.start("start"), len(m.group("start"))))
            end = parse_date(m.group("end"), doc.span(idx, m.start("end"), len(m.group("end"))), default_year=start.year)
            return Period(
                raw=doc.lines[idx][m.start() : m.end()], start=start, end=end, span=doc.span(idx, m.start(), m.end() - m.start())
            )
    return None


# ----------------------------------------------------------------------------- withholdings
def read_withholdings(
    packs: Packs, tables: Sequence[Table], preamble: Sequence[Paragraph], sections: Sequence[Section]
) -> list[Withholding]:
    """What the report withholds (不予公开): the rows of table 三 with a count, and the sentences
    that state a count withheld, with the ground each gives."""
    out: list[Withholding] = []
    reg = packs.regulation
    t3 = next((t for t in tables if t.key == "table3"), None)
    if t3 is not None:
        spec_rows: dict[str, RowSpec] = {}
        for pack in packs.formats.values():
            if "table3" in pack.tables:
                for r in pack.tables["table3"].rows:
                    spec_rows.setdefault(r.key, r)
        for row in t3.rows:
            total = row.cell("total")
            count = total.value if total is not None and isinstance(total.value, int) else None
            if count is None:
                parts = [c.value for c in row.cells if c.column != "total" and isinstance(c.value, int)]
                count = sum(parts) if parts else None
            if not count:
                continue
            spec = spec_rows.get(row.key) if row.key else None
            if spec is not None and spec.withholding:
                out.append(
                    Withholding(
                        count=count,
                        reason=spec.withholding,
                        reason_text=row.label,
                        source="table",
                        table_row=row.key,
                        span=row.span,
                    )
                )
            elif row.key == "denied":
                out.append(
                    Withholding(count=count, reason=None, reason_text=None, source="table", table_row=row.key, span=row.span)
                )
            elif row.key is None and row.block == "denied":
                out.append(
                    Withholding(count=count, reason=None, reason_text=row.label, source="table", table_row=None, span=row.span)
                )

    wp = reg.withholding_prose
    verbs = "(" + "|".join(map(re.escape, (normalize(v) for v in wp.verbs))) + ")"
    markers = [normalize(v) for v in wp.reason_markers]
    ignore = [normalize(v) for v in wp.ignore_phrases]
    units = alternation(packs.inputs.units.count)
    count_re = re.compile(rf"(?<![\d.])\d+\s*(?:{units})")
    # 不予公开(的政府信息)(共)3件; 不予公开信息数79 (a count named 数 may stand without its unit)
    verb_res = [re.compile(verbs + wp.object_pattern.pattern + rf"\s*(\d+)\s*(?:{units})")]
    if wp.count_object_pattern is not None:
        verb_res.append(re.compile(verbs + wp.count_object_pattern.pattern + r"\s*(\d+)(?![\d.])(?=\s*(?:[,;。)]|$))"))
    paras = list(preamble) + [p for s in sections for p in s.paragraphs]
    for p in paras:
        folded = packs.prose.fold(normalize(p.text))  # counts in numerals (不予公开两件) as digits
        n = folded.text
        seen: set[int] = set()
        for verb_re in verb_res:
            for m in verb_re.finditer(n):
                if m.start() in seen or any(ig in n[max(0, m.start() - 4) : m.end() + 6] for ig in ignore):
                    continue
                seen.add(m.start())
                out.append(_prose_withholding(p, folded, m, wp, markers, count_re, reg.withholding_reasons))
    return out


def _prose_withholding(
    p: Paragraph,
    folded: Folded,
    m: re.Match[str],
    wp: WithholdingProse,
    markers: Sequence[str],
    count_re: re.Pattern[str],
    reasons: Sequence[WithholdingReason],
) -> Withholding:
    """A sentence's withholding: its count, and the ground it states before the verb (因涉密不予公开)
    or right after the count (不予公开2件，分别属于…行政执法案卷)."""
    n = folded.text
    clause_start = max(n.rfind(ch, 0, m.start()) for ch in "，。；;,:：") + 1
    clause = n[clause_start : m.start()]
    # Only what follows the last count of the clause can be the ground (予以公开1191件、部分公开
    # 328件、不予公开5件: the counts before are other outcomes, and 予以 holds no marker 以).
    counts = list(count_re.finditer(clause))
    if counts:
        clause = clause[counts[-1].end() :]
    for word in wp.marker_not_in:
        clause = clause.replace(word, " " * len(word))
    reason_key, reason_text = None, None
    mk = [clause.rfind(x) for x in markers if x in clause]
    if mk:
        reason_text = clause[max(mk) :].strip() or None
    # A named ground anywhere in the clause counts (涉密、第三方…).
    for ground in reasons:
        if any(normalize(kw) in clause for kw in ground.keywords):
            reason_key = ground.key
            reason_text = reason_text or clause.strip()
            break
    if reason_key is None:
        # …不予公开2件，分别属于…: the next clause states the ground
        nxt = n[m.end() :]
        nxt = nxt[1:] if nxt[:1] in "，,:：" else ""
        nxt = re.split(r"[，。；;,]", nxt, maxsplit=1)[0]
        if any(nxt.startswith(w) for w in wp.reason_after):
            for ground in reasons:
                if any(normalize(kw) in nxt for kw in ground.keywords):
                    reason_key, reason_text = ground.key, nxt.strip()
                    break
    if reason_text is not None and len(label_key(reason_text)) <= 1:
        reason_text = None
    sent_start = max(n.rfind("。", 0, m.start()), n.rfind(";", 0, m.start())) + 1
    sent_end = n.find("。", m.end())
    src_start = folded.at(sent_start)
    src_end = folded.at(sent_end + 1) if sent_end >= 0 else len(p.text)
    sentence = p.text[src_start:src_end].strip()
    at, length = folded.span(m.start(), m.end() - m.start())
    col = (p.span.column if p.span else 1) + at
    span = SourceSpan(line=p.span.line, column=col, end_line=p.span.line, end_column=col + length) if p.span else None
    return Withholding(
        count=int(m.group(2)),
        reason=reason_key,
        reason_text=reason_text,
        source="prose",
        sentence=sentence,
        span=span,
    )


# ----------------------------------------------------------------------------- format detection
def detect_format(packs: Packs, tables: Sequence[Table], sections: Sequence[Section], doc: Lines) -> FormatDetection:
    """The format the report follows: an older regime its headings show, else the layouts of its
    tables, else the notice it cites."""
    reasons: list[str] = []
    for legacy in (p for p in packs.formats.values() if p.legacy):
        strong = [label_key(m.text) for m in legacy.legacy_markers if m.strength == "strong"]
        for s in sections:
            hk = label_key(s.heading)
            for mk in strong:
                if mk in hk:
                    reasons.append(legacy.legacy_reason.format(heading=s.heading))
                    return FormatDetection(version=legacy.id, reasons=tuple(reasons))
    layouts = {t.key: t.layout for t in tables if t.key in ("table2", "table3") and t.layout not in ("unknown", "any")}
    for t in tables:
        if t.key in layouts:
            reasons.extend(t.layout_reasons or (f"{t.key} follows {t.layout}",))
    if layouts:
        versions = set(layouts.values())
        preferred = sorted(v for v in versions if v in packs.formats and packs.formats[FormatId(v)].preferred_when_ambiguous)
        version = preferred[0] if preferred else sorted(versions)[0]
        return FormatDetection(version=version, reasons=tuple(reasons))
    full = "\n".join(doc.norm)
    for pack in packs.formats.values():
        if pack.notice_number and normalize(pack.notice_number) in full:
            return FormatDetection(
                version=pack.id, reasons=(packs.inputs.detection.cites_notice.format(notice=pack.notice_number),)
            )
    return FormatDetection(version="unknown", reasons=(packs.inputs.detection.nothing_found,))
