"""Hypothesis strategies for the report model: valid reports and their building blocks.

    >>> from hypothesis import given
    >>> from opengov_lint import lint
    >>> from opengov_lint.generate.strategies import reports
    >>> @given(reports(format_version="gb2021", agency_kind="department"))
    ... def test_my_generator_accepts(report): ...

``reports()`` gives reports that pass every error-level rule; the building blocks (tables
二/三/四, dates, periods, withholdings, agencies) are public too. Reports that break one rule are
:mod:`opengov_lint.generate.breakers`. Shrinking goes towards small, zero-filled, readable
reports. See docs/strategies.md.

Hypothesis is an optional dependency (``pip install 'opengov-lint[hypothesis]'``); only this
module and the breakers import it.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from ..model import AgencyKind, DateText, Paragraph, Period, Report, Table, Withholding
from ..packs import FormatPack, Packs, load_packs
from . import build

__all__ = [
    "FORMAT_YEARS",
    "MAGNITUDES",
    "agencies",
    "dates",
    "format_pack",
    "magnitudes",
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
"""The report years drawn for each format: those it is in force for (up to 2030 for the newest)."""

# Sample names; the agency kind follows from the name by the suffixes of rules/regulation.toml.
_PLACES = ("晋江市", "泉州市", "福建省", "海淀区", "长沙县", "余杭区", "成都市")
_AGENCY_NAMES = {
    AgencyKind.GOVERNMENT: ("{p}人民政府",),
    AgencyKind.DEPARTMENT: (
        "{p}民政局",
        "{p}教育局",
        "{p}生态环境局",
        "{p}卫生健康委员会",
        "{p}人民政府办公室",
        "{p}市场监督管理局",
    ),
    AgencyKind.TOWNSHIP: ("{p}安海镇人民政府", "{p}金井镇人民政府", "{p}青阳街道办事处", "{p}梅岭街道办事处"),
    AgencyKind.OTHER: ("{p}经济开发区管理委员会", "{p}高新技术产业园区管理委员会"),
}

# Sample prose per section key: content, not labels. Sentences carrying a rule-relevant word
# (fees, accountability, withholding grounds, the period) are built by opengov_lint.generate.build
# from the packs; these only must not trip a rule (no dates, no 部分, no 不予公开).
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
_FALLBACK_PROSE = ("本机关认真做好相关工作。",)


def _packs(packs: Packs | None) -> Packs:
    return packs or load_packs()


# ----------------------------------------------------------------------------- building blocks
def agencies(agency_kind: AgencyKind | str | None = None) -> st.SearchStrategy[tuple[str, AgencyKind]]:
    """(agency name, kind): names whose suffix makes the parser infer that kind."""
    kinds = [build.agency_kind(agency_kind)] if agency_kind is not None else list(_AGENCY_NAMES)

    def named(kind: AgencyKind) -> st.SearchStrategy[tuple[str, AgencyKind]]:
        return st.tuples(st.sampled_from(_PLACES), st.sampled_from(_AGENCY_NAMES[kind])).map(
            lambda pn: (pn[1].format(p=pn[0]), kind)
        )

    return st.sampled_from(kinds).flatmap(named)


def dates(
    min_value: dt.date = dt.date(2008, 1, 1), max_value: dt.date = dt.date(2035, 12, 31), style: str | None = None
) -> st.SearchStrategy[DateText]:
    """Well-formed dates as reports write them (arabic 2023年1月15日, chinese 二〇二三年一月十五日, iso)."""
    styles = st.sampled_from(build.DATE_STYLES) if style is None else st.just(style)
    return st.builds(build.date_text, st.dates(min_value, max_value), styles)


def periods(year: int | None = None) -> st.SearchStrategy[Period]:
    """The statistical period of a report year: 1 January to 31 December (rule D001)."""
    years = st.integers(2008, 2035) if year is None else st.just(year)

    def calendar_year(y: int, phrasing: str) -> Period:
        return build.period(dt.date(y, 1, 1), dt.date(y, 12, 31), phrasing)

    return st.builds(calendar_year, years, st.sampled_from(build.PERIOD_PHRASINGS))


def publication_dates(report_year: int, agency_kind: AgencyKind | str, packs: Packs | None = None) -> st.SearchStrategy[dt.date]:
    """A publication date in time: after the report year, by the deadline of 条例 第四十九条."""
    deadline = build.publication_deadline(report_year, build.agency_kind(agency_kind), _packs(packs))
    return st.dates(dt.date(report_year + 1, 1, 1), deadline)


def withholding_reasons(packs: Packs | None = None) -> st.SearchStrategy[str]:
    """One of the eight legal grounds for 不予公开 (keys of rules/regulation.toml)."""
    return st.sampled_from(list(build.withholding_grounds(_packs(packs))))


def prose_withholdings(max_count: int = 20, packs: Packs | None = None) -> st.SearchStrategy[tuple[Paragraph, Withholding]]:
    """A sentence withholding information with one of the eight grounds, and its withholding."""

    def sentence(count: int, reason: str) -> tuple[Paragraph, Withholding]:
        return build.prose_withholding(count, reason, packs)

    return st.builds(sentence, st.integers(1, max_count), withholding_reasons(packs))


def format_pack(format_version: str, packs: Packs) -> FormatPack:
    """The format pack ``format_version``; ``ValueError`` naming the known ones when there is none."""
    fid = packs.format_id(format_version)
    if fid is None:
        raise ValueError(f"unknown format version {format_version!r}; use one of: {', '.join(packs.formats)}")
    return packs.formats[fid]


def magnitudes(magnitude: str | None = None) -> st.SearchStrategy[str]:
    """One of ``MAGNITUDES``, or just ``magnitude``; ``ValueError`` at once for an unknown one."""
    if magnitude is None:
        return st.sampled_from(MAGNITUDES)
    if magnitude not in MAGNITUDES:
        raise ValueError(f"unknown magnitude {magnitude!r}; use one of: {', '.join(MAGNITUDES)}")
    return st.just(magnitude)


@st.composite
def table3s(draw: st.DrawFn, format_version: str = "gb2021", magnitude: str | None = None, packs: Packs | None = None) -> Table:
    """A balanced table 三: every identity holds per column (T101, T102) and per row (T103)."""
    packs = _packs(packs)
    pack = format_pack(format_version, packs)
    hi, _, nonzero = _SIZES[draw(magnitudes(magnitude))]
    spec = pack.tables["table3"]
    rows = build.table3_outcome_rows(pack)
    outcomes: dict[str, dict[str, int]] = {}
    over: dict[str, int] = {}
    forward: dict[str, int] = {}
    for col in [c.key for c in spec.columns if c.key != "total"]:
        outcomes[col] = draw(st.dictionaries(st.sampled_from(rows), st.integers(1, hi), max_size=nonzero))
        forward[col] = draw(st.integers(0, hi))
        handled = sum(outcomes[col].values()) + forward[col]
        over[col] = draw(st.integers(0, min(handled, hi)))
    return build.table3(pack, outcomes, over, forward)


@st.composite
def table4s(draw: st.DrawFn, magnitude: str | None = None, format_version: str = "gb2021", packs: Packs | None = None) -> Table:
    """Table 四, each group's 总计 the sum of its four results (T104)."""
    packs = _packs(packs)
    pack = format_pack(format_version, packs)
    hi = _SIZES[draw(magnitudes(magnitude))][0]
    hi = max(3, hi // 100)
    spec = pack.tables["table4"]
    cols = [c.key for c in spec.columns if c.key != "total"]
    values = {g.key: draw(st.fixed_dictionaries({}, optional={c: st.integers(0, hi) for c in cols})) for g in spec.groups}
    return build.table4(pack, values)


@st.composite
def table2s(draw: st.DrawFn, format_version: str = "gb2021", magnitude: str | None = None, packs: Packs | None = None) -> Table:
    """Table 二 (主动公开); counts up to 10^7 行政许可 decisions for ``magnitude="large"``."""
    packs = _packs(packs)
    pack = format_pack(format_version, packs)
    size = _SIZES[draw(magnitudes(magnitude))]
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
        format_pack(v, packs)

    def years_of(version: str) -> st.SearchStrategy[tuple[str, int]]:
        return st.tuples(st.just(version), st.integers(*FORMAT_YEARS[version]))

    return st.sampled_from(versions).flatmap(years_of)


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
    magnitudes(magnitude)
    if agency_kind is not None:
        build.agency_kind(agency_kind)
    if table_format is not None:
        format_pack(table_format, p)
    return _reports(years, agency_kind, magnitude, p, table_format)


@st.composite
def _reports(
    draw: st.DrawFn,
    years: st.SearchStrategy[tuple[str, int]],
    agency_kind: AgencyKind | str | None,
    magnitude: str | None,
    packs: Packs,
    table_format: str | None,
) -> Report:
    version, year = draw(years)
    pack = format_pack(version, packs)
    agency, kind = draw(agencies(agency_kind))
    mag = draw(magnitudes(magnitude))
    tpack = format_pack(table_format, packs) if table_format else pack

    preamble: list[str] = []
    regulation = build.regulation_name(packs)
    cite = f"本报告根据《{regulation}》"
    preamble.append(cite + (f"和{pack.notice_number}要求编制。" if pack.notice_number else "要求编制。"))
    per = build.period(dt.date(year, 1, 1), dt.date(year, 12, 31), draw(st.sampled_from(build.PERIOD_PHRASINGS)))
    preamble.append(build.period_sentence(per, packs))

    withheld = draw(st.lists(prose_withholdings(packs=packs), max_size=2)) if tpack.tables else []
    sections: list[tuple[str, list[str]]] = []
    tables: list[Table] = []
    for s in pack.sections:
        paras = list(
            draw(st.lists(st.sampled_from(_PROSE.get(s.key or "", _FALLBACK_PROSE)), min_size=1, max_size=2, unique=True))
        )
        if s.key == "overview":
            paras.insert(0, f"{year}年，{agency}认真贯彻落实《{regulation}》，扎实推进政府信息公开工作。")
            paras.append(build.accountability_sentence(packs))
        if s.key == "applications":
            paras.extend(p.text for p, _w in withheld)
        if s.key == "other" and version != "pre2019":
            paras.append(build.fee_sentence(packs))
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
