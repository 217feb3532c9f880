"""Building report models from plain values: the tables of a format pack, dates, periods,
withholdings and whole reports, assembled the way the text parser would read them back.

This is what :mod:`opengov_lint.generate.strategies` draws values for, and what report
generators can call directly. It imports no Hypothesis. Labels come from the format packs
(``rules/``); the sentences that carry a rule-relevant word (the 不予公开 grounds, the period
marker, the fee and accountability keywords, the regulation's name) take that word from the packs,
and every read of ``rules/regulation.toml`` by the generate wing is a function here.

Everything built here has no source spans (``span=None``): a model that was never read from a
source. :func:`opengov_lint.generate.render.comparable` strips the spans of a parsed report so
that the two can be compared.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from .. import numerals
from ..model import (
    AgencyKind,
    Cell,
    CellKind,
    DateText,
    FormatDetection,
    Metadata,
    Paragraph,
    Period,
    PublicationDate,
    Report,
    Row,
    Section,
    Table,
    Withholding,
)
from ..packs import FormatPack, Packs, TableSpec, load_packs
from ..parsers.tables import classify_cell
from ..textutil import label_key, normalize

__all__ = [
    "DATE_STYLES",
    "PERIOD_PHRASINGS",
    "accountability_sentence",
    "agency_kind",
    "date_raw",
    "date_text",
    "fee_sentence",
    "misnamings",
    "number_cell",
    "period",
    "period_sentence",
    "prose_withholding",
    "publication_deadline",
    "raw_cell",
    "regulation_name",
    "report",
    "table2",
    "table3",
    "table3_outcome_rows",
    "table4",
    "table_withholdings",
    "withholding_grounds",
]


DATE_STYLES = ("arabic", "chinese", "iso")


# ----------------------------------------------------------------------------- the regulation's words
# Every read of rules/regulation.toml by the generate wing: one place to follow the pack's shape.
def regulation_name(packs: Packs) -> str:
    """The regulation's exact name (中华人民共和国政府信息公开条例)."""
    return packs.regulation.regulation.name


def misnamings(packs: Packs) -> tuple[str, ...]:
    """Wrong names of the regulation that rule C001 knows."""
    return tuple(packs.regulation.regulation.known_misnamings)


def withholding_grounds(packs: Packs) -> dict[str, str]:
    """The eight 不予公开 grounds: key → the first word that names it in prose."""
    return {r.key: r.keywords[0] for r in packs.regulation.withholding_reasons}


def accountability_sentence(packs: Packs) -> str:
    """A sentence on 工作考核、社会评议、责任追究 (条例 第五十条, rule S005), in the words of the packs."""
    words = {t.key: t.keywords[0] for t in packs.regulation.accountability.topics}
    return (
        f"本机关将政府信息公开工作纳入{words.get('assessment', '考核')}，主动接受社会{words.get('public_review', '评议')}，"
        f"全年未发生{words.get('accountability', '责任追究')}情况。"
    )


def fee_sentence(packs: Packs) -> str:
    """A sentence stating the 信息处理费 (rule S006), in the words of the packs."""
    keyword = packs.regulation.fees.keywords[0]
    return f"本年度未收取{keyword}。"


def agency_kind(kind: AgencyKind | str) -> AgencyKind:
    """``kind`` as an :class:`AgencyKind` (its value is accepted too); ``ValueError`` when unknown."""
    return kind if isinstance(kind, AgencyKind) else AgencyKind(kind)


def publication_deadline(report_year: int, kind: AgencyKind, packs: Packs) -> dt.date:
    """The last day to publish the report of ``report_year`` (条例 第四十九条).

    Where the 条例 fixes none (乡镇/街道, other agencies) the latest fixed one, 31 March, keeps a
    generated report credible.
    """
    reg = packs.regulation
    first = reg.regulation.first_report_year
    entry = reg.deadlines.get("legacy" if report_year < first else kind.value)
    month, day = (int(x) for x in ((entry.by if entry is not None else None) or "03-31").split("-"))
    return dt.date(report_year + 1, month, day)


def date_raw(d: dt.date, style: str = "arabic") -> str:
    """A date as reports write it: ``arabic`` 2023年1月15日, ``chinese`` 二〇二三年一月十五日, ``iso`` 2023-01-15."""
    if style == "arabic":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "chinese":
        return numerals.year_to_chinese(d.year) + f"年{numerals.to_chinese(d.month)}月{numerals.to_chinese(d.day)}日"
    if style == "iso":
        return d.isoformat()
    raise ValueError(f"unknown date style {style!r}; use one of {', '.join(DATE_STYLES)}")


def date_text(d: dt.date, style: str = "arabic") -> DateText:
    return DateText(raw=date_raw(d, style), year=d.year, month=d.month, day=d.day, well_formed=True)


# ----------------------------------------------------------------------------- periods
PERIOD_PHRASINGS = ("from-to", "plain")


def period(start: dt.date, end: dt.date, phrasing: str = "from-to") -> Period:
    """The statistical period; ``raw`` is what the parser keeps of the sentence."""
    s, e = date_text(start), date_text(end)
    if phrasing == "from-to":
        raw = f"自{s.raw}起至{e.raw}止"
    elif phrasing == "plain":
        raw = f"{s.raw}至{e.raw}"
    else:
        raise ValueError(f"unknown period phrasing {phrasing!r}")
    return Period(raw=raw, start=s, end=e)


def period_sentence(p: Period, packs: Packs | None = None) -> str:
    """A preamble sentence stating ``p``, introduced by the first period marker of the packs."""
    packs = packs or load_packs()
    marker = packs.regulation.period.markers[0]
    joiner = "" if p.raw.startswith("自") else "为"
    return f"本报告中所列数据的{marker}{joiner}{p.raw}。"


# ----------------------------------------------------------------------------- cells and tables
def number_cell(column: str, value: int | float, raw: str | None = None) -> Cell:
    """A cell holding a number; ``raw`` defaults to the number as written plainly."""
    if raw is None:
        raw = _fmt_number(value)
    return Cell(column=column, raw=raw, kind=CellKind.NUMBER, value=value)


def _fmt_number(value: int | float) -> str:
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text if "." in text else f"{text}.0"
    return str(value)


def _spec(pack: FormatPack, key: str) -> TableSpec:
    if key not in pack.tables:
        raise ValueError(f"format pack {pack.id} has no {key}")
    return pack.tables[key]


def table2(pack: FormatPack, values: Mapping[tuple[str, str], Mapping[str, int | float | str]], section: int | None = 2) -> Table:
    """Table 二 in the layout of ``pack``; ``values[(block, row)][column]`` is a number or a raw string.

    A cell not given is 0.
    """
    spec = _spec(pack, "table2")
    rows = []
    for b in spec.blocks:
        for r in b.rows:
            given = values.get((b.key, r.key), {})
            cells = []
            for c in b.columns:
                v = given.get(c.key, 0)
                if isinstance(v, str):
                    cells.append(raw_cell(c.key, v))
                else:
                    raw = (f"+{v}" if v > 0 else str(v)) if c.signed and isinstance(v, int) else None
                    cells.append(number_cell(c.key, v, raw))
            rows.append(Row(key=r.key, label=r.label, cells=tuple(cells), block=b.key))
    return Table(key="table2", layout=pack.id, section=section, rows=tuple(rows))


def raw_cell(column: str, raw: str) -> Cell:
    """A cell written ``raw`` (无, -, /, a number), classified as the text parser does."""
    kind, value = classify_cell(raw)
    return Cell(column=column, raw=raw, kind=kind, value=value)


def table3_outcome_rows(pack: FormatPack) -> tuple[str, ...]:
    """The data rows under 三、本年度办理结果 of ``pack`` (what （七）总计 sums)."""
    return tuple(r.key for r in _spec(pack, "table3").data_rows_under("results"))


def table3(
    pack: FormatPack,
    outcomes: Mapping[str, Mapping[str, int]],
    carried_over: Mapping[str, int],
    carried_forward: Mapping[str, int],
    section: int | None = 3,
) -> Table:
    """A balanced table 三: every identity holds, per column (T101, T102) and per row (T103).

    ``outcomes[column][row]`` are the outcome counts of the six applicant columns (missing: 0);
    本年新收 is derived (一 = （七）总计 + 四 − 二), and 总计 is the sum of each row. Raises
    ``ValueError`` when that would make 本年新收 negative.
    """
    spec = _spec(pack, "table3")
    applicant_cols = [c.key for c in spec.columns if c.key != "total"]
    outcome_rows = table3_outcome_rows(pack)
    grid: dict[str, dict[str, int]] = {r.key: {} for r in spec.rows}
    for col in applicant_cols:
        col_out = outcomes.get(col, {})
        for rk in outcome_rows:
            grid[rk][col] = int(col_out.get(rk, 0))
        results_total = sum(grid[rk][col] for rk in outcome_rows)
        grid["results_total"][col] = results_total
        grid["carried_over"][col] = int(carried_over.get(col, 0))
        grid["carried_forward"][col] = int(carried_forward.get(col, 0))
        new = results_total + grid["carried_forward"][col] - grid["carried_over"][col]
        if new < 0:
            raise ValueError(f"column {col}: 上年结转 {grid['carried_over'][col]} exceeds what was handled")
        grid["new_received"][col] = new
    rows = []
    for r in spec.rows:
        if r.kind == "group":
            continue
        vals = grid[r.key]
        vals["total"] = sum(vals[c] for c in applicant_cols)
        cells = tuple(number_cell(c.key, vals[c.key]) for c in spec.columns)
        rows.append(Row(key=r.key, label=r.label, cells=cells, block=_block_of(spec, r.key)))
    return Table(key="table3", layout=pack.id, section=section, rows=tuple(rows))


def _block_of(spec: TableSpec, row_key: str) -> str | None:
    r = spec.row(row_key)
    return r.parent if r else None


def table4(pack: FormatPack, values: Mapping[str, Mapping[str, int]], section: int | None = 4) -> Table:
    """Table 四; ``values[group][column]`` for the four result columns (missing: 0); 总计 is their sum."""
    spec = _spec(pack, "table4")
    rows = []
    parts = [c.key for c in spec.columns if c.key != "total"]
    for g in spec.groups:
        given = values.get(g.key, {})
        nums = {c: int(given.get(c, 0)) for c in parts}
        nums["total"] = sum(nums.values())
        rows.append(Row(key=g.key, label=g.label, cells=tuple(number_cell(c.key, nums[c.key]) for c in spec.columns)))
    # The text parser does not recognise table 四's layout version (its two versions agree).
    return Table(key="table4", layout="any", section=section, rows=tuple(rows))


def table_withholdings(table: Table, packs: Packs | None = None) -> tuple[Withholding, ...]:
    """The withholdings table 三 states: one per 不予公开 ground row with a non-zero 总计."""
    packs = packs or load_packs()
    grounds: dict[str, str] = {}
    for pack in packs.formats.values():
        if "table3" in pack.tables:
            for r in pack.tables["table3"].rows:
                if r.withholding:
                    grounds.setdefault(r.key, r.withholding)
    out = []
    for row in table.rows:
        total = row.cell("total")
        count = total.value if total is not None and isinstance(total.value, int) else None
        if count is None:
            parts = [c.value for c in row.cells if c.column != "total" and isinstance(c.value, int)]
            count = sum(parts) if parts else None
        if not count or row.key not in grounds:
            continue
        out.append(Withholding(count=count, reason=grounds[row.key], reason_text=row.label, source="table", table_row=row.key))
    return tuple(out)


# ----------------------------------------------------------------------------- prose withholdings
def prose_withholding(
    count: int, reason: str | None, packs: Packs | None = None, *, ground_text: str | None = None
) -> tuple[Paragraph, Withholding]:
    """A sentence withholding ``count`` items and the withholding the parser reads from it.

    ``reason`` is one of the eight ground keys of ``rules/regulation.toml`` (its first keyword
    is the ground written), or None: with ``ground_text`` (e.g. 涉及敏感内容) a ground that is
    none of the eight, without it no ground at all.
    """
    packs = packs or load_packs()
    prose = packs.regulation.withholding_prose
    verb = prose.verbs[0]
    markers = [normalize(m) for m in prose.reason_markers]
    if reason is not None:
        word = withholding_grounds(packs).get(reason)
        if word is None:
            raise ValueError(f"unknown withholding ground {reason!r}")
        clause = f"因{word}"
    elif ground_text:
        clause = f"因{ground_text}"
    else:
        clause = "经审查"
    text = f"本年度{clause}{verb}{count}件。"
    # What the parser keeps as the ground: the clause from its last marker word.
    n_clause = normalize(f"本年度{clause}")
    positions = [n_clause.rfind(m) for m in markers if m in n_clause]
    reason_text = n_clause[max(positions) :].strip() if positions else None
    if reason_text is not None and len(label_key(reason_text)) <= 1:
        reason_text = None
    if reason is not None and reason_text is None:
        reason_text = n_clause
    w = Withholding(count=count, reason=reason, reason_text=reason_text, source="prose", sentence=text)
    return Paragraph(text=text), w


# ----------------------------------------------------------------------------- whole reports
def report(
    *,
    pack: FormatPack,
    agency: str,
    agency_kind: AgencyKind,
    report_year: int,
    title: str | None = None,
    preamble: Sequence[str] = (),
    sections: Sequence[tuple[str, Sequence[str]]] = (),
    tables: Sequence[Table] = (),
    prose_withholdings: Sequence[Withholding] = (),
    publication: dt.date | None = None,
    publication_style: str = "arabic",
    publication_in_metadata: bool = False,
    period_: Period | None = None,
    format_version: str | None = None,
    packs: Packs | None = None,
) -> Report:
    """A report as the text parser reads it back from :func:`opengov_lint.generate.render.render_text`.

    ``sections`` are (heading, paragraphs) pairs in order; the section keys and numbers come from
    ``pack``. The signature (agency and date) closes the last section; ``publication`` is read
    from it, or from a 发布日期 line when ``publication_in_metadata``.
    """
    packs = packs or load_packs()
    by_heading = {s.heading: s for p in packs.formats.values() for s in p.sections}
    built_sections = []
    for heading, paras in sections:
        spec = next((s for s in pack.sections if s.heading == heading), None) or by_heading.get(heading)
        numeral = re.match(r"^([一二三四五六七八九十]+|\d+)", heading)
        num_text = numeral.group(1) if numeral else ""
        built_sections.append(
            Section(
                heading=heading,
                numeral=num_text,
                number=numerals.value(num_text) if num_text else None,
                key=spec.key if spec else None,
                paragraphs=tuple(Paragraph(text=t) for t in paras),
            )
        )
    signature: tuple[Paragraph, ...] = ()
    pub = None
    if publication is not None:
        sig_date = date_text(publication, "chinese" if publication_style == "chinese" else "arabic")
        signature = (Paragraph(text=agency), Paragraph(text=sig_date.raw))
        if publication_in_metadata:
            pub = PublicationDate(date=date_text(publication, "iso"), source="metadata", label="发布日期")
        else:
            pub = PublicationDate(date=sig_date, source="signature", label="落款日期")
    table_list = tuple(tables)
    t3 = next((t for t in table_list if t.key == "table3"), None)
    withholdings = (table_withholdings(t3, packs) if t3 is not None else ()) + tuple(prose_withholdings)
    if format_version is None:
        layouts = {t.layout for t in table_list if t.key in ("table2", "table3")}
        format_version = ("gb2019" if "gb2019" in layouts else sorted(layouts)[0]) if layouts else pack.id
    metadata = Metadata(
        title=title if title is not None else f"{agency}{report_year}年政府信息公开工作年度报告",
        agency=agency,
        agency_kind=agency_kind,
        agency_kind_source="name",
        report_year=report_year,
        report_year_source="title",
        publication=pub,
        period=period_,
    )
    return Report(
        metadata=metadata,
        preamble=tuple(Paragraph(text=t) for t in preamble),
        sections=tuple(built_sections),
        tables=table_list,
        withholdings=withholdings,
        format=FormatDetection(version=format_version),
        signature=signature,
    )
