"""Hypothesis strategies for the report model: valid reports, and reports that break one rule.

    >>> from hypothesis import given
    >>> from opengov_lint import lint
    >>> from opengov_lint.strategies import reports, broken_reports
    >>> @given(reports(format_version="gb2021", agency_kind="department"))
    ... def test_my_generator_accepts(report): ...

``reports()`` gives reports that pass every error-level rule; ``broken_reports(code)`` gives
reports on which exactly that rule (and no other error-level rule) fires. The building blocks
(tables 二/三/四, dates, periods, withholdings, agencies) are public too. Shrinking goes
towards small, zero-filled, readable reports. See docs/strategies.md.

This is the only module of opengov-lint that imports Hypothesis (an optional dependency:
``pip install 'opengov-lint[hypothesis]'``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from hypothesis import strategies as st

from . import build, numerals
from .model import (
    AgencyKind,
    CellKind,
    DateText,
    ImageTableDetail,
    LimitDetail,
    Paragraph,
    ParseNote,
    Period,
    Report,
    SplitDetail,
    Table,
    Withholding,
)
from .packs import FormatPack, Packs, load_packs
from .textutil import normalize

__all__ = [
    "BREAKERS",
    "MAGNITUDES",
    "NO_BREAKER",
    "agencies",
    "broken_reports",
    "dates",
    "periods",
    "prose_withholdings",
    "publication_dates",
    "reports",
    "table2s",
    "table3s",
    "table4s",
    "withholding_reasons",
]

MAGNITUDES = ("small", "medium", "large")
# (largest count in table 三 and 四, largest count in table 二, how many table 三 outcome cells
# per applicant column may be non-zero)
_SIZES = {"small": (5, 20, 3), "medium": (300, 5_000, 8), "large": (100_000, 10_000_000, 30)}
FORMAT_YEARS = {"gb2021": (2021, 2030), "gb2019": (2019, 2020), "pre2019": (2008, 2018)}

# Sample names; the agency kind follows from the name by the suffixes of rules/regulation.toml.
_PLACES = ("晋江市", "泉州市", "福建省", "海淀区", "长沙县", "余杭区", "成都市")
_AGENCY_NAMES = {
    AgencyKind.GOVERNMENT: ("{p}人民政府",),
    AgencyKind.DEPARTMENT: ("{p}民政局", "{p}教育局", "{p}生态环境局", "{p}卫生健康委员会", "{p}人民政府办公室", "{p}市场监督管理局"),
    AgencyKind.TOWNSHIP: ("{p}安海镇人民政府", "{p}金井镇人民政府", "{p}青阳街道办事处", "{p}梅岭街道办事处"),
    AgencyKind.OTHER: ("{p}经济开发区管理委员会", "{p}高新技术产业园区管理委员会"),
}

# Sample prose per section key: content, not labels. Sentences carrying a rule-relevant word
# (fees, accountability, withholding grounds, the period) are built from the packs below and in
# opengov_lint.build; these only must not trip a rule (no dates, no 部分, no 不予公开).
_PROSE = {
    "overview": (
        "本机关坚持以公开为常态，健全政府信息公开工作机制，明确专人负责信息发布和审核。",
        "加强政策解读和回应关切，持续提升政务公开质量和实效。",
    ),
    "proactive": ("本机关通过门户网站、政务新媒体等渠道主动公开政府信息，具体情况见下表。",),
    "applications": ("本年度收到和处理政府信息公开申请的具体情况见下表。",),
    "review_litigation": ("本年度政府信息公开行政复议、行政诉讼的具体情况见下表。",),
    "problems": (
        "政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题。",
        "下一步，本机关将加强业务培训，完善公开目录，提升信息发布质量。",
    ),
    "other": ("本机关无其他需要报告的事项。",),
    "fees": ("本年度未发生相关收费及减免事项。",),
}


def _accountability(packs: Packs) -> str:
    """A sentence on 工作考核、社会评议、责任追究 (条例 第五十条), in the words of the packs."""
    words = {t.key: t.keywords[0] for t in packs.regulation.accountability.topics}
    return (
        f"本机关将政府信息公开工作纳入{words.get('assessment', '考核')}，主动接受社会{words.get('public_review', '评议')}，"
        f"全年未发生{words.get('accountability', '责任追究')}情况。"
    )


def _fees(packs: Packs) -> str:
    """A sentence stating the 信息处理费 (rule S006), in the words of the packs."""
    return f"本年度未收取{packs.regulation.fees.keywords[0]}。"


def _packs(packs: Packs | None) -> Packs:
    return packs or load_packs()


def _kind(kind: AgencyKind | str | None) -> AgencyKind | None:
    if kind is None or isinstance(kind, AgencyKind):
        return kind
    return AgencyKind(kind)


# ----------------------------------------------------------------------------- building blocks
def agencies(agency_kind: AgencyKind | str | None = None) -> st.SearchStrategy[tuple[str, AgencyKind]]:
    """(agency name, kind): names whose suffix makes the parser infer that kind."""
    kinds = [_kind(agency_kind)] if agency_kind is not None else list(_AGENCY_NAMES)
    return st.sampled_from(kinds).flatmap(
        lambda k: st.tuples(st.sampled_from(_PLACES), st.sampled_from(_AGENCY_NAMES[k])).map(lambda pn: (pn[1].format(p=pn[0]), k))
    )


def dates(
    min_value: dt.date = dt.date(2008, 1, 1), max_value: dt.date = dt.date(2035, 12, 31), style: str | None = None
) -> st.SearchStrategy[DateText]:
    """Well-formed dates as reports write them (arabic 2023年1月15日, chinese 二〇二三年一月十五日, iso)."""
    styles = st.sampled_from(build.DATE_STYLES) if style is None else st.just(style)
    return st.builds(build.date_text, st.dates(min_value, max_value), styles)


def periods(year: int | None = None) -> st.SearchStrategy[Period]:
    """The statistical period of a report year: 1 January to 31 December (rule D001)."""
    years = st.integers(2008, 2035) if year is None else st.just(year)
    return st.builds(
        lambda y, phrasing: build.period(dt.date(y, 1, 1), dt.date(y, 12, 31), phrasing), years, st.sampled_from(build.PERIOD_PHRASINGS)
    )


def _deadline(report_year: int, kind: AgencyKind, packs: Packs) -> dt.date:
    reg = packs.regulation
    first = reg.regulation.first_report_year
    entry = reg.deadlines.get("legacy" if report_year < first else kind.value)
    # No deadline fixed (乡镇, other): the latest fixed one, 31 March, keeps the report credible.
    month, day = (int(x) for x in ((entry.by if entry is not None else None) or "03-31").split("-"))
    return dt.date(report_year + 1, month, day)


def publication_dates(report_year: int, agency_kind: AgencyKind | str, packs: Packs | None = None) -> st.SearchStrategy[dt.date]:
    """A publication date in time: after the report year, by the deadline of 条例 第四十九条."""
    deadline = _deadline(report_year, _kind(agency_kind), _packs(packs))
    return st.dates(dt.date(report_year + 1, 1, 1), deadline)


def withholding_reasons(packs: Packs | None = None) -> st.SearchStrategy[str]:
    """One of the eight legal grounds for 不予公开 (keys of rules/regulation.toml)."""
    return st.sampled_from([r.key for r in _packs(packs).regulation.withholding_reasons])


def prose_withholdings(max_count: int = 20, packs: Packs | None = None) -> st.SearchStrategy[tuple[Paragraph, Withholding]]:
    """A sentence withholding information with one of the eight grounds, and its withholding."""
    return st.builds(lambda n, r: build.prose_withholding(n, r, packs), st.integers(1, max_count), withholding_reasons(packs))


def _format_pack(format_version: str, packs: Packs) -> FormatPack:
    pack = packs.formats.get(format_version)
    if pack is None:
        raise ValueError(f"unknown format version {format_version!r}; use one of: {', '.join(packs.formats)}")
    return pack


def _magnitudes(magnitude: str | None) -> st.SearchStrategy[str]:
    if magnitude is None:
        return st.sampled_from(MAGNITUDES)
    if magnitude not in MAGNITUDES:
        raise ValueError(f"unknown magnitude {magnitude!r}; use one of: {', '.join(MAGNITUDES)}")
    return st.just(magnitude)


@st.composite
def table3s(draw, format_version: str = "gb2021", magnitude: str | None = None, packs: Packs | None = None) -> Table:
    """A balanced table 三: every identity holds per column (T101, T102) and per row (T103)."""
    packs = _packs(packs)
    pack = _format_pack(format_version, packs)
    hi, _, nonzero = _SIZES[draw(_magnitudes(magnitude))]
    spec = pack.tables["table3"]
    rows = build.table3_outcome_rows(pack)
    outcomes, over, forward = {}, {}, {}
    for col in [c.key for c in spec.columns if c.key != "total"]:
        outcomes[col] = draw(st.dictionaries(st.sampled_from(rows), st.integers(1, hi), max_size=nonzero))
        forward[col] = draw(st.integers(0, hi))
        handled = sum(outcomes[col].values()) + forward[col]
        over[col] = draw(st.integers(0, min(handled, hi)))
    return build.table3(pack, outcomes, over, forward)


@st.composite
def table4s(draw, magnitude: str | None = None, format_version: str = "gb2021", packs: Packs | None = None) -> Table:
    """Table 四, each group's 总计 the sum of its four results (T104)."""
    packs = _packs(packs)
    pack = _format_pack(format_version, packs)
    hi = _SIZES[draw(_magnitudes(magnitude))][0]
    hi = max(3, hi // 100)
    spec = pack.tables["table4"]
    cols = [c.key for c in spec.columns if c.key != "total"]
    values = {g.key: draw(st.fixed_dictionaries({}, optional={c: st.integers(0, hi) for c in cols})) for g in spec.groups}
    return build.table4(pack, values)


@st.composite
def table2s(draw, format_version: str = "gb2021", magnitude: str | None = None, packs: Packs | None = None) -> Table:
    """Table 二 (主动公开); counts up to 10^7 行政许可 decisions for ``magnitude="large"``."""
    packs = _packs(packs)
    pack = _format_pack(format_version, packs)
    size = _SIZES[draw(_magnitudes(magnitude))]
    values: dict[tuple[str, str], dict[str, int | float]] = {}
    for b in pack.tables["table2"].blocks:
        for r in b.rows:
            cells: dict[str, int | float] = {}
            for c in b.columns:
                if c.decimal:
                    cents = draw(st.integers(0, size[1]))
                    cells[c.key] = cents / 100 if cents else 0
                elif c.signed:
                    cells[c.key] = draw(st.integers(-size[0], size[0]))
                else:
                    top = size[1] if r.key == "licensing" or c.key == "decisions" else size[0]
                    cells[c.key] = draw(st.integers(0, top))
            values[(b.key, r.key)] = cells
    return build.table2(pack, values)


# ----------------------------------------------------------------------------- reports
def _years(format_version: str | None, report_year: int | None, packs: Packs) -> st.SearchStrategy[tuple[str, int]]:
    if report_year is not None:
        pack = packs.format_in_force(report_year)
        if pack is None:
            raise ValueError(f"no format pack covers report year {report_year}")
        if format_version is not None and format_version != pack.id:
            raise ValueError(f"report year {report_year} falls under {pack.id}, not {format_version}")
        return st.just((pack.id, report_year))
    versions = [format_version] if format_version is not None else [v for v in FORMAT_YEARS if v in packs.formats]
    for v in versions:
        _format_pack(v, packs)
    return st.sampled_from(versions).flatmap(lambda v: st.tuples(st.just(v), st.integers(*FORMAT_YEARS[v])))


def reports(
    format_version: str | None = None,
    agency_kind: AgencyKind | str | None = None,
    report_year: int | None = None,
    magnitude: str | None = None,
    *,
    packs: Packs | None = None,
    table_format: str | None = None,
) -> st.SearchStrategy[Report]:
    """Reports that pass every error-level rule.

    ``format_version``: "gb2021", "gb2019" or "pre2019" (the format in force for the year; default
    any); ``agency_kind``: an :class:`~opengov_lint.AgencyKind` or its value; ``report_year``;
    ``magnitude``: "small" (zero-heavy), "medium" or "large" (a province: up to 10^7 行政许可).
    ``table_format`` draws the tables in another pack's layout (used by ``broken_reports("T002")``).
    Bad parameters raise ``ValueError`` at once.
    """
    p = _packs(packs)
    years = _years(format_version, report_year, p)
    _magnitudes(magnitude)
    _kind(agency_kind)
    if table_format is not None:
        _format_pack(table_format, p)
    return _reports(years, agency_kind, magnitude, p, table_format)


@st.composite
def _reports(
    draw,
    years: st.SearchStrategy[tuple[str, int]],
    agency_kind: AgencyKind | str | None,
    magnitude: str | None,
    packs: Packs,
    table_format: str | None,
) -> Report:
    version, year = draw(years)
    pack = packs.formats[version]
    agency, kind = draw(agencies(agency_kind))
    mag = draw(_magnitudes(magnitude))
    tpack = packs.formats[table_format] if table_format else pack

    preamble = []
    regulation = packs.regulation.regulation.name
    cite = f"本报告根据《{regulation}》"
    preamble.append(cite + (f"和{pack.notice_number}要求编制。" if pack.notice_number else "要求编制。"))
    per = build.period(dt.date(year, 1, 1), dt.date(year, 12, 31), draw(st.sampled_from(build.PERIOD_PHRASINGS)))
    preamble.append(build.period_sentence(per, packs))

    withheld = draw(st.lists(prose_withholdings(packs=packs), max_size=2)) if tpack.tables else []
    sections = []
    tables: list[Table] = []
    for s in pack.sections:
        paras = list(draw(st.lists(st.sampled_from(_PROSE.get(s.key or "", ("本机关认真做好相关工作。",))), min_size=1, max_size=2, unique=True)))
        if s.key == "overview":
            paras.insert(0, f"{year}年，{agency}认真贯彻落实《{regulation}》，扎实推进政府信息公开工作。")
            paras.append(_accountability(packs))
        if s.key == "applications":
            paras.extend(p.text for p, _w in withheld)
        if s.key == "other" and version != "pre2019":
            paras.append(_fees(packs))
        sections.append((s.heading, paras))
    if tpack.tables:
        tables.append(draw(table2s(tpack.id, mag, packs)))
        tables.append(draw(table3s(tpack.id, mag, packs)))
        tables.append(draw(table4s(mag, tpack.id, packs)))
    publication = draw(publication_dates(year, kind, packs))
    return build.report(
        pack=pack,
        agency=agency,
        agency_kind=kind,
        report_year=year,
        preamble=preamble,
        sections=sections,
        tables=tables,
        prose_withholdings=[w for _p, w in withheld],
        publication=publication,
        publication_style=draw(st.sampled_from(("arabic", "chinese"))),
        publication_in_metadata=draw(st.booleans()),
        period_=per,
        format_version="pre2019" if version == "pre2019" else None,
        packs=packs,
    )


# ----------------------------------------------------------------------------- breakers
def _evolve_section(report: Report, key: str, **changes) -> Report:
    return attrs.evolve(report, sections=tuple(attrs.evolve(s, **changes) if s.key == key else s for s in report.sections))


def _set_cells(table: Table, changes: dict[tuple[str, str], int]) -> Table:
    rows = []
    for r in table.rows:
        cells = []
        for c in r.cells:
            d = changes.get((r.key or "", c.column))
            cells.append(build.number_cell(c.column, c.value + d) if d is not None else c)
        rows.append(attrs.evolve(r, cells=tuple(cells)))
    return attrs.evolve(table, rows=tuple(rows))


def _with_table(report: Report, table: Table, packs: Packs) -> Report:
    tables = tuple(table if t.key == table.key else t for t in report.tables)
    prose = tuple(w for w in report.withholdings if w.source != "table")
    t3 = next((t for t in tables if t.key == "table3"), None)
    table_w = build.table_withholdings(t3, packs) if t3 is not None else ()
    return attrs.evolve(report, tables=tables, withholdings=table_w + prose)


def _cell_value(table: Table, row: str, col: str) -> int:
    r = table.row(row)
    c = r.cell(col) if r else None
    return int(c.value) if c is not None and c.value is not None else 0


_deltas = st.integers(1, 9)
_applicants = st.sampled_from(["natural_person", "commercial", "research", "public_welfare", "legal_service", "other_org"])


def _break_t101(draw, r: Report, packs: Packs) -> Report:
    # 四、结转下年度 changes in one column and in 总计: 一+二 no longer equals （七）+四.
    d, col = draw(_deltas), draw(_applicants)
    t3 = _set_cells(r.table("table3"), {("carried_forward", col): d, ("carried_forward", "total"): d})
    return _with_table(r, t3, packs)


def _break_t102(draw, r: Report, packs: Packs) -> Report:
    # （七）总计 and 一 grow together: the outcomes no longer sum to （七）, T101 and T103 still hold.
    d, col = draw(_deltas), draw(_applicants)
    ch = {(row, c): d for row in ("results_total", "new_received") for c in (col, "total")}
    return _with_table(r, _set_cells(r.table("table3"), ch), packs)


def _break_t103(draw, r: Report, packs: Packs) -> Report:
    # Only the 总计 column changes, consistently in itself: rows no longer add up.
    d = draw(_deltas)
    row = draw(st.sampled_from(build.table3_outcome_rows(packs.formats[r.table("table3").layout])))
    ch = {(row, "total"): d, ("results_total", "total"): d, ("new_received", "total"): d}
    return _with_table(r, _set_cells(r.table("table3"), ch), packs)


def _break_t104(draw, r: Report, packs: Packs) -> Report:
    g = draw(st.sampled_from(["review", "lit_direct", "lit_after_review"]))
    t4 = _set_cells(r.table("table4"), {(g, "total"): draw(_deltas)})
    return attrs.evolve(r, tables=tuple(t4 if t.key == "table4" else t for t in r.tables))


def _break_t001(draw, r: Report, packs: Packs) -> Report:
    key = draw(st.sampled_from(["table2", "table3", "table4"]))
    r = attrs.evolve(r, tables=tuple(t for t in r.tables if t.key != key))
    if key == "table3":
        r = attrs.evolve(r, withholdings=tuple(w for w in r.withholdings if w.source != "table"))
    return r


def _break_s001(draw, r: Report, packs: Packs) -> Report:
    # A section without a table, and not the last one (which carries the signature).
    key = draw(st.sampled_from(["overview", "problems"]))
    if key == "overview":  # keep what 总体情况 said about accountability (S005) elsewhere
        sec = r.section("problems")
        r = _evolve_section(r, "problems", paragraphs=sec.paragraphs + (Paragraph(text=_accountability(packs)),))
    return attrs.evolve(r, sections=tuple(s for s in r.sections if s.key != key))


def _break_d001(draw, r: Report, packs: Packs) -> Report:
    y = r.metadata.report_year
    end = dt.date(y, 12, draw(st.integers(1, 30)))
    p = build.period(dt.date(y, 1, 1), end, draw(st.sampled_from(build.PERIOD_PHRASINGS)))
    return _replace_period(r, p, packs)


def _replace_period(r: Report, p: Period | None, packs: Packs) -> Report:
    old = r.metadata.period
    preamble = tuple(q for q in r.preamble if old is None or old.raw not in q.text)
    if p is not None:
        preamble = preamble + (Paragraph(text=build.period_sentence(p, packs)),)
    return attrs.evolve(r, preamble=preamble, metadata=attrs.evolve(r.metadata, period=p))


def _republish(r: Report, date: dt.date) -> Report:
    """The report published on ``date``: its signature and its publication date."""
    md = r.metadata
    pub = md.publication
    old = r.signature[-1].text if r.signature else ""
    sig = build.date_text(date, "chinese" if old[:1] in numerals.DIGITS else "arabic")
    signature = r.signature[:-1] + (Paragraph(text=sig.raw),) if r.signature else r.signature
    new = build.date_text(date, "iso") if pub.source == "metadata" else sig
    return attrs.evolve(r, metadata=attrs.evolve(md, publication=attrs.evolve(pub, date=new)), signature=signature)


def _break_d003(draw, r: Report, packs: Packs) -> Report:
    deadline = _deadline(r.metadata.report_year, r.metadata.agency_kind, packs)
    return _republish(r, deadline + dt.timedelta(days=draw(st.integers(1, 200))))


def _break_d004(draw, r: Report, packs: Packs) -> Report:
    y = r.metadata.report_year
    return _republish(r, draw(st.dates(dt.date(y, 1, 1), dt.date(y, 12, 31))))


def _break_d006(draw, r: Report, packs: Packs) -> Report:
    # A garbled date (a year run into the month, as copies have it) in the problems section.
    y = r.metadata.report_year + 1
    raw = f"{y}{draw(st.integers(1, 12))}月{draw(st.integers(1, 28))}日"
    sentence = f"本机关已于{raw}完成公开目录的更新。"
    sec = r.section("problems")
    r = _evolve_section(r, "problems", paragraphs=sec.paragraphs + (Paragraph(text=sentence),))
    return attrs.evolve(r, metadata=attrs.evolve(r.metadata, dates=r.metadata.dates + (DateText(raw=raw, well_formed=False),)))


def _break_c001(draw, r: Report, packs: Packs) -> Report:
    name = draw(st.sampled_from(packs.regulation.regulation.known_misnamings))
    sec = r.section("problems")
    return _evolve_section(r, "problems", paragraphs=sec.paragraphs + (Paragraph(text=f"下一步将继续深入学习《{name}》。"),))


def _break_x001(draw, r: Report, packs: Packs) -> Report:
    kind = draw(st.sampled_from(["empty", "not-a-report"]))
    if kind == "empty":
        return Report(notes=(ParseNote(kind="empty", message="the input holds no text"),))
    # Text that is no report at all: no title, no numbered section, no table.
    text = draw(st.sampled_from(["会议通知：请各单位按时参会。", "联系电话：0595-12345678"]))
    return Report(preamble=(Paragraph(text=text),), notes=(ParseNote(kind="not-a-report", message="no title, numbered section or table of an annual report was found"),))


# ---- warning- and info-level codes
def _swap(seq: tuple, a: int, b: int) -> tuple:
    items = list(seq)
    items[a], items[b] = items[b], items[a]
    return tuple(items)


def _break_s002(draw, r: Report, packs: Packs) -> Report:
    # 五 and 六 change places (neither has a table; the signature closes whichever is last).
    keys = [s.key for s in r.sections]
    return attrs.evolve(r, sections=_swap(r.sections, keys.index("problems"), keys.index("other")))


_HEADING_VARIANTS = {
    "overview": ("一、总体工作情况", "一、工作总体情况"),
    "problems": ("五、存在的问题及改进措施", "五、存在问题及改进情况"),
    "other": ("六、其他事项", "六、其他需要说明的事项"),
}


def _break_s003(draw, r: Report, packs: Packs) -> Report:
    key = draw(st.sampled_from(sorted(_HEADING_VARIANTS)))
    return _evolve_section(r, key, heading=draw(st.sampled_from(_HEADING_VARIANTS[key])))


def _break_s004(draw, r: Report, packs: Packs) -> Report:
    return _evolve_section(r, "problems", paragraphs=())


def _drop_paragraph(r: Report, text: str) -> Report:
    return attrs.evolve(r, sections=tuple(attrs.evolve(s, paragraphs=tuple(p for p in s.paragraphs if p.text != text)) for s in r.sections))


def _break_s005(draw, r: Report, packs: Packs) -> Report:
    return _drop_paragraph(r, _accountability(packs))


def _break_s006(draw, r: Report, packs: Packs) -> Report:
    return _drop_paragraph(r, _fees(packs))




def _break_s007(draw, r: Report, packs: Packs) -> Report:
    present = len(r.sections)
    declared = draw(st.sampled_from([n for n in (present - 1, present + 1) if 1 <= n <= 10]))
    sentence = f"本报告由{numerals.to_chinese(declared)}个部分组成。"
    return attrs.evolve(r, preamble=(Paragraph(text=sentence),) + r.preamble)


def _break_m001(draw, r: Report, packs: Packs) -> Report:
    md = r.metadata
    title = f"{md.agency}{md.report_year}年政府信息公开{draw(st.sampled_from(['年度报告', '工作报告']))}"
    return attrs.evolve(r, metadata=attrs.evolve(md, title=title))


def _break_d002(draw, r: Report, packs: Packs) -> Report:
    return _replace_period(r, None, packs)


def _break_d005(draw, r: Report, packs: Packs) -> Report:
    y = r.metadata.report_year
    other = draw(st.sampled_from([y - 1, y + 1]))
    sec = r.section("overview")
    first = sec.paragraphs[0]
    return _evolve_section(r, "overview", paragraphs=(Paragraph(text=first.text.replace(f"{y}年", f"{other}年", 1)),) + sec.paragraphs[1:])


# Labels of table 三 written with a word more or less: still recognised, but not as printed.
_ALTERED_LABELS = {
    "unable_need_creation": "2.没有现成信息需另行制作",
    "np_confirm": "5.要求行政机关确认或者重新出具已获取信息",
    "unable_not_held": "1.本机关不掌握相关的政府信息",
}


def _break_t003(draw, r: Report, packs: Packs) -> Report:
    key = draw(st.sampled_from(sorted(_ALTERED_LABELS)))
    t3 = r.table("table3")
    rows = tuple(attrs.evolve(row, label=_ALTERED_LABELS[key]) if row.key == key else row for row in t3.rows)
    return _with_table(r, attrs.evolve(t3, rows=rows), packs)


def _break_t004(draw, r: Report, packs: Packs) -> Report:
    # A cell of table 二 (which has no identity) written as 无, - or /.
    t2 = r.table("table2")
    cells = [(row.key, c.column) for row in t2.rows for c in row.cells]
    target = draw(st.sampled_from(cells))
    word = draw(st.sampled_from(["无", "-", "/"]))
    rows = tuple(
        attrs.evolve(row, cells=tuple(build._raw_cell(c.column, word) if (row.key, c.column) == target else c for c in row.cells))
        for row in t2.rows
    )
    return attrs.evolve(r, tables=tuple(attrs.evolve(t2, rows=rows) if t.key == "table2" else t for t in r.tables))


def _add_prose_withholding(r: Report, para: Paragraph, w: Withholding) -> Report:
    sec = r.section("applications")
    r = _evolve_section(r, "applications", paragraphs=sec.paragraphs + (para,))
    return attrs.evolve(r, withholdings=r.withholdings + (w,))


def _break_w001(draw, r: Report, packs: Packs) -> Report:
    # A count withheld without a ground, unlike the total the table gives grounds for.
    reasoned = sum(w.count or 0 for w in r.withholdings if w.source == "table" and w.reason)
    para, w = build.prose_withholding(reasoned + draw(st.integers(1, 9)), None, packs)
    return _add_prose_withholding(r, para, w)


def _break_w002(draw, r: Report, packs: Packs) -> Report:
    ground = draw(st.sampled_from(["涉及敏感内容", "内容尚在研究", "不宜公开"]))
    para, w = build.prose_withholding(draw(st.integers(1, 9)), None, packs, ground_text=ground)
    return _add_prose_withholding(r, para, w)


def _break_c002(draw, r: Report, packs: Packs) -> Report:
    pack = packs.format_in_force(r.metadata.report_year)
    older = [p for p in packs.formats.values() if p.tables and p.notice_number and p.id != pack.id]
    old = draw(st.sampled_from(sorted(older, key=lambda p: p.id)))
    preamble = tuple(
        Paragraph(text=p.text.replace(pack.notice_number, old.notice_number)) if pack.notice_number in p.text else p for p in r.preamble
    )
    return attrs.evolve(r, preamble=preamble)


# ---- input problems: what the readers record as parse notes (issue 3)
def _with_note(r: Report, note: ParseNote) -> Report:
    return attrs.evolve(r, notes=(*r.notes, note))


def _break_x002(draw, r: Report, packs: Packs) -> Report:
    # A run of digits the table's identities cannot split one way (corpus 098: 77132470).
    run = draw(st.sampled_from(["77132470", "6233440", "21317000001324019"]))
    detail = SplitDetail(table="table2", label="行政规范性文件", run=run, reason="several", candidates="2+", count=2)
    return _with_note(r, ParseNote(kind="ambiguous-split", message=f"cells ran together: {run}", detail=detail))


def _break_x003(draw, r: Report, packs: Packs) -> Report:
    # The page also shows a table as an image (<img> where a table stands).
    section = draw(st.sampled_from([2, 3, 4]))
    detail = ImageTableDetail(section=section, heading="表格", src=f"/upload/table{section}.png")
    return _with_note(r, ParseNote(kind="image-table", message="a table published as an image", detail=detail))


def _break_x004(draw, r: Report, packs: Packs) -> Report:
    # The input went past a safety limit and was read only in part.
    limit = draw(st.sampled_from([20 * 1024 * 1024, 50 * 1024 * 1024]))
    detail = LimitDetail(limit_kind="size", size=limit + draw(st.integers(1, 10**6)), limit=limit)
    return _with_note(r, ParseNote(kind="over-limit", message="input over the size limit", detail=detail))


# ---- prose rules (issue 7): the sentence patterns are those of rules/prose.toml
def _append_paragraph(r: Report, key: str | None, text: str, *, number: int | None = None) -> Report:
    """``r`` with a paragraph ``text`` added at the end of a section (by key, or by number), or
    of the preamble when ``key`` and ``number`` are both None."""
    if key is None and number is None:
        return attrs.evolve(r, preamble=r.preamble + (Paragraph(text=text),))
    target = next(s for s in r.sections if (s.key == key if number is None else s.number == number))
    para = Paragraph(text=text)
    return attrs.evolve(r, sections=tuple(attrs.evolve(s, paragraphs=s.paragraphs + (para,)) if s is target else s for s in r.sections))


def _cell_number(r: Report, ref: str) -> int | float | None:
    """The number of a "table:row:column" reference of rules/prose.toml, None when not a number."""
    table_key, row_key, column = ref.split(":")
    table = r.table(table_key)
    row = table.row(row_key) if table is not None else None
    cell = row.cell(column) if row is not None else None
    return cell.value if cell is not None and cell.kind is CellKind.NUMBER else None


# Sentences stating one quantity of rules/prose.toml (by its key), each read by that quantity's
# cues and by no other quantity's; {n} is the count.
_P001_SENTENCES = {
    "new_received": ("本年度共收到政府信息公开申请{n}件。", "本年度新收政府信息公开申请{n}件。"),
    "results_total": ("本年度共答复政府信息公开申请{n}件。", "本年度办结政府信息公开申请{n}件。"),
    "carried_forward": ("结转下年度继续办理的政府信息公开申请{n}件。",),
    "review": ("本年度发生政府信息公开行政复议案件{n}件。",),
    "litigation": ("本年度发生政府信息公开行政诉讼案件{n}件。",),
}


def _break_p001(draw, r: Report, packs: Packs) -> Report:
    # The prose states a count none of the table values the pack accepts for it (larger than all).
    pack = packs.prose
    accepted: dict[str, tuple[list[int | float], str]] = {}
    for key in sorted(_P001_SENTENCES):
        q = pack.quantity(key)
        if q is None:
            continue
        values = [[_cell_number(r, ref) for ref in alt] for alt in q.accept]
        sums = [sum(v) for v in values if v and all(x is not None for x in v)]  # type: ignore[misc]
        if sums:
            accepted[key] = (sums, q.accept[0][0].split(":")[0])
    key = draw(st.sampled_from(sorted(accepted)))
    sums, table_key = accepted[key]
    n = int(max(sums)) + draw(_deltas)
    text = draw(st.sampled_from(_P001_SENTENCES[key])).format(n=n)
    return _append_paragraph(r, None, text, number=r.table(table_key).section)


# A count and its parts: a part larger than the count (variant "part"), or shares of a count one of
# which is not what the numbers give (variant "share").
_P002_PARTS = ("本年度组织政务公开业务培训{n}次，其中专题培训{m}次。", "本年度通过政务新媒体发布信息{n}条，其中政策解读{m}条。")
_P002_SHARES = (
    "本年度主动公开政府信息{total}条，其中政策文件{a}条，占比{pa}%，工作动态{b}条，占比{pb}%，其他信息{c}条，占比{pc}%。",
)


def _break_p002(draw, r: Report, packs: Packs) -> Report:
    if draw(st.sampled_from(["part", "share"])) == "part":
        n = draw(st.integers(1, 50))
        text = draw(st.sampled_from(_P002_PARTS)).format(n=n, m=n + draw(_deltas))
        return _append_paragraph(r, "overview", text)
    # Three shares of a non-zero count: two right (to one decimal), one off by at least a point.
    counts = [draw(st.integers(1, 500)), draw(st.integers(0, 500)), draw(st.integers(0, 500))]
    total = sum(counts)
    shares = [f"{c * 100 / total:.1f}" for c in counts]
    wrong, delta = draw(st.integers(0, 2)), draw(st.integers(1, 9))
    right = float(shares[wrong])
    shares[wrong] = f"{right + delta if right + delta <= 100 else right - delta:.1f}"
    text = draw(st.sampled_from(_P002_SHARES)).format(
        total=total, a=counts[0], b=counts[1], c=counts[2], pa=shares[0], pb=shares[1], pc=shares[2]
    )
    return _append_paragraph(r, "proactive", text)


# Where to read the report: a sentence of rules/prose.toml [place] self_reference.
_P003_WEBSITE = (
    "本年度报告电子版可在{place}人民政府门户网站下载。",
    "本报告可在{place}人民政府网站查阅。",
    "公众可登录{place}人民政府门户网站浏览本报告。",
)
_P003_SELF_WORD = ("结合{word}实际，本机关持续推进基层政务公开标准化规范化建设。",)


def _break_p003(draw, r: Report, packs: Packs) -> Report:
    pack = packs.prose
    agency = normalize(r.metadata.agency or "")
    town = pack.place.township_pattern.search(agency)
    if town and pack.place.township_self_words and draw(st.booleans()):
        # A township writing 我县, 我市 … of itself.
        word = draw(st.sampled_from(pack.place.township_self_words))
        return _append_paragraph(r, "overview", draw(st.sampled_from(_P003_SELF_WORD)).format(word=word))
    # The report's website in another province or prefecture: one neither containing nor within
    # any division named in the agency's name or the title (a superset of what the rule reads).
    named = normalize((r.metadata.agency or "") + (r.metadata.title or ""))
    own = {pack.canonical(name) for name in pack.known_names() if name in named}

    def related(a: str, b: str) -> bool:
        return a == b or a in pack.ancestors(b) or b in pack.ancestors(a)

    foreign = sorted(
        name
        for name, ds in pack.divisions.items()
        if len(ds) == 1 and ds[0].level in ("province", "prefecture") and not any(related(name, o) for o in own)
    )
    place = draw(st.sampled_from(foreign))
    return _append_paragraph(r, None, draw(st.sampled_from(_P003_WEBSITE)).format(place=place))


# The report announcing itself (rules/prose.toml [stale_year] patterns), with {y} its year.
_P004_SENTENCES = ("特向社会公布{y}年度政府信息公开工作年度报告。", "现公布本机关{y}年政府信息公开工作年度报告。")


def _break_p004(draw, r: Report, packs: Packs) -> Report:
    y = r.metadata.report_year
    stale = draw(st.sampled_from([y - 1, y + 1]))
    return _append_paragraph(r, None, draw(st.sampled_from(_P004_SENTENCES)).format(y=stale))


# An inline enumeration 一是…二是… in section 五 that skips, repeats or goes back.
_P005_LEADS = ("下一步，本机关将重点做好以下工作：", "针对上述问题，本机关将采取以下措施：")
_P005_ITEMS = ("加强业务培训", "完善公开目录", "强化政策解读", "拓展公开渠道", "提升信息发布质量")


def _break_p005(draw, r: Report, packs: Packs) -> Report:
    # 一…k in order, then a marker other than k+1 (and not 一, which would start a new list).
    k = draw(st.integers(1, 4))
    bad = draw(st.sampled_from([v for v in range(2, 10) if v != k + 1]))
    values = [*range(1, k + 1), bad]
    items = draw(st.lists(st.sampled_from(_P005_ITEMS), min_size=len(values), max_size=len(values)))
    body = "；".join(f"{numerals.to_chinese(v)}是{item}" for v, item in zip(values, items))
    return _append_paragraph(r, "problems", draw(st.sampled_from(_P005_LEADS)) + body + "。")


# code → (how to break a valid report, constraints on the valid report it starts from)
BREAKERS = {
    "S001": (_break_s001, {"format_version": ("gb2021", "gb2019")}),
    "D001": (_break_d001, {}),
    "D003": (_break_d003, {"agency_kind": ("government", "department")}),
    "D004": (_break_d004, {}),
    "D006": (_break_d006, {}),
    "T001": (_break_t001, {"format_version": ("gb2021", "gb2019")}),
    "T002": (None, {"format_version": ("gb2021",), "table_format": "gb2019"}),
    "T101": (_break_t101, {"format_version": ("gb2021", "gb2019")}),
    "T102": (_break_t102, {"format_version": ("gb2021", "gb2019")}),
    "T103": (_break_t103, {"format_version": ("gb2021", "gb2019")}),
    "T104": (_break_t104, {"format_version": ("gb2021", "gb2019")}),
    "C001": (_break_c001, {}),
    "X001": (_break_x001, {}),
    # warning- and info-level codes
    "S002": (_break_s002, {"format_version": ("gb2021", "gb2019")}),
    "S003": (_break_s003, {"format_version": ("gb2021", "gb2019")}),
    "S004": (_break_s004, {}),
    "S005": (_break_s005, {"format_version": ("gb2021", "gb2019"), "agency_kind": ("government",)}),
    "S006": (_break_s006, {"format_version": ("gb2021",)}),
    "S007": (_break_s007, {"format_version": ("gb2021", "gb2019")}),
    "M001": (_break_m001, {}),
    "D002": (_break_d002, {}),
    "D005": (_break_d005, {}),
    "T003": (_break_t003, {"format_version": ("gb2021", "gb2019")}),
    "T004": (_break_t004, {"format_version": ("gb2021", "gb2019")}),
    "W001": (_break_w001, {"format_version": ("gb2021", "gb2019")}),
    "W002": (_break_w002, {}),
    "C002": (_break_c002, {"format_version": ("gb2021",)}),
    "L001": (None, {"format_version": ("pre2019",)}),
    "X002": (_break_x002, {}),
    "X003": (_break_x003, {}),
    "X004": (_break_x004, {}),
    # prose rules (warnings)
    "P001": (_break_p001, {"format_version": ("gb2021", "gb2019")}),
    "P002": (_break_p002, {}),
    "P003": (_break_p003, {}),
    "P004": (_break_p004, {}),
    "P005": (_break_p005, {}),
}
"""The codes :func:`broken_reports` can break."""

NO_BREAKER = {
    "X900": "internal-error: reported only when a rule raises; no report makes a correct rule crash.",
    "T105": "carry-over compares two reports (lint(..., previous=...)); one report cannot break it.",
    "T106": "regulation-stock compares two reports (lint(..., previous=...)); one report cannot break it.",
    "T107": "copied-text compares two reports (lint(..., previous=...)); one report cannot break it.",
    "X005": "batch-input-error: batch mode reports a file it could not read; no report model carries it.",
}
"""Catalogue codes without a breaker, and why."""


def broken_reports(
    code: str,
    agency_kind: AgencyKind | str | None = None,
    magnitude: str | None = None,
    *,
    packs: Packs | None = None,
) -> st.SearchStrategy[Report]:
    """Reports on which rule ``code`` fires and no other error-level rule does.

    Every code in ``BREAKERS``; ``NO_BREAKER`` says why the others have none. Asking for a code
    without a breaker, or for an agency kind the rule does not apply to, raises ``ValueError``.
    """
    if code not in BREAKERS:
        why = NO_BREAKER.get(code, "no breaker is written for this code yet")
        raise ValueError(f"no broken_reports for {code}: {why}")
    _, constraints = BREAKERS[code]
    kinds: Sequence[str] = constraints.get("agency_kind", tuple(k.value for k in AgencyKind))
    if agency_kind is not None:
        kv = _kind(agency_kind).value
        if kv not in kinds:
            raise ValueError(f"{code} cannot be broken for agency kind {kv!r} (needs one of {', '.join(kinds)})")
        kinds = (kv,)
    if magnitude is not None:
        _magnitudes(magnitude)
    return _broken(code, tuple(kinds), magnitude, packs)


@st.composite
def _broken(draw, code: str, kinds: Sequence[str], magnitude: str | None, packs: Packs | None) -> Report:
    packs = _packs(packs)
    breaker, constraints = BREAKERS[code]
    version = draw(st.sampled_from(list(constraints.get("format_version", ("gb2021", "gb2019", "pre2019")))))
    valid = draw(
        reports(
            format_version=version,
            agency_kind=draw(st.sampled_from(list(kinds))),
            magnitude=magnitude,
            packs=packs,
            table_format=constraints.get("table_format"),
        )
    )
    return breaker(draw, valid, packs) if breaker is not None else valid
