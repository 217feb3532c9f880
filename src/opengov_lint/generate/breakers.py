"""Reports that break one rule: a valid report from :func:`~.strategies.reports`, changed in one place.

    >>> from hypothesis import given
    >>> from opengov_lint.generate.breakers import broken_reports
    >>> @given(broken_reports("T101"))
    ... def test_my_generator_refuses(report): ...

``broken_reports(code)`` gives reports on which exactly that rule (and no other error-level rule)
fires. ``BREAKERS`` holds, per code, how to break a report and which valid reports to start from;
``NO_BREAKER`` says why the other catalogue codes have none. See docs/strategies.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import attrs
from attrs import frozen
from hypothesis import strategies as st

from .. import numerals
from ..model import (
    AgencyKind,
    Cell,
    CellKind,
    DateText,
    ImageTableDetail,
    LimitDetail,
    Paragraph,
    ParseNote,
    Period,
    Report,
    Section,
    SplitDetail,
    Table,
    Withholding,
)
from ..packs import Packs, load_packs
from ..textutil import normalize
from . import build
from .strategies import format_pack, magnitudes, reports

__all__ = ["BREAKERS", "NO_BREAKER", "BreakFn", "Breaker", "broken_reports"]

BreakFn = Callable[[st.DrawFn, Report, Packs], Report]
"""Changes a valid report so that one rule fires: (draw, valid report, packs) → broken report."""


@frozen
class Breaker:
    """How :func:`broken_reports` breaks one rule.

    ``apply`` changes a valid report drawn from ``reports()`` under the constraints (None: such a
    report already breaks the rule, e.g. T002 with ``table_format``); ``format_versions`` and
    ``agency_kinds`` are those the rule applies to.
    """

    apply: BreakFn | None
    format_versions: tuple[str, ...] = ("gb2021", "gb2019", "pre2019")
    agency_kinds: tuple[AgencyKind, ...] = tuple(AgencyKind)
    table_format: str | None = None


_WITH_TABLES = ("gb2021", "gb2019")


# ----------------------------------------------------------------------------- changing a report
def _table(report: Report, key: str) -> Table:
    """Table ``key`` of a report drawn with tables (breakers that need one require such formats)."""
    table = report.table(key)
    if table is None:
        raise ValueError(f"the report has no {key}")
    return table


def _year(report: Report) -> int:
    """The report year of a generated report (every one states it)."""
    year = report.metadata.report_year
    if year is None:
        raise ValueError("the report states no year")
    return year


def _section(report: Report, key: str) -> Section:
    section = report.section(key)
    if section is None:
        raise ValueError(f"the report has no section {key}")
    return section


def _replace_section(report: Report, key: str, change: Callable[[Section], Section]) -> Report:
    return attrs.evolve(report, sections=tuple(change(s) if s.key == key else s for s in report.sections))


def _add_paragraphs(report: Report, key: str, *texts: str) -> Report:
    added = tuple(Paragraph(text=t) for t in texts)
    return _replace_section(report, key, lambda s: attrs.evolve(s, paragraphs=s.paragraphs + added))


def _number(cell: Cell) -> int | float:
    return cell.value if cell.value is not None else 0


def _set_cells(table: Table, changes: Mapping[tuple[str, str], int]) -> Table:
    """``table`` with the number in each (row, column) of ``changes`` grown by the amount given."""
    rows = []
    for r in table.rows:
        cells = []
        for c in r.cells:
            d = changes.get((r.key or "", c.column))
            cells.append(build.number_cell(c.column, _number(c) + d) if d is not None else c)
        rows.append(attrs.evolve(r, cells=tuple(cells)))
    return attrs.evolve(table, rows=tuple(rows))


def _with_table(report: Report, table: Table, packs: Packs) -> Report:
    """``report`` with ``table`` in place of its namesake, and the withholdings table 三 now states."""
    tables = tuple(table if t.key == table.key else t for t in report.tables)
    prose = tuple(w for w in report.withholdings if w.source != "table")
    t3 = next((t for t in tables if t.key == "table3"), None)
    table_w = build.table_withholdings(t3, packs) if t3 is not None else ()
    return attrs.evolve(report, tables=tables, withholdings=table_w + prose)


_deltas = st.integers(1, 9)
_applicants = st.sampled_from(["natural_person", "commercial", "research", "public_welfare", "legal_service", "other_org"])


def _break_t101(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # 四、结转下年度 changes in one column and in 总计: 一+二 no longer equals （七）+四.
    d, col = draw(_deltas), draw(_applicants)
    t3 = _set_cells(_table(r, "table3"), {("carried_forward", col): d, ("carried_forward", "total"): d})
    return _with_table(r, t3, packs)


def _break_t102(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # （七）总计 and 一 grow together: the outcomes no longer sum to （七）, T101 and T103 still hold.
    d, col = draw(_deltas), draw(_applicants)
    ch = {(row, c): d for row in ("results_total", "new_received") for c in (col, "total")}
    return _with_table(r, _set_cells(_table(r, "table3"), ch), packs)


def _break_t103(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # Only the 总计 column changes, consistently in itself: rows no longer add up.
    d = draw(_deltas)
    row = draw(st.sampled_from(build.table3_outcome_rows(format_pack(_table(r, "table3").layout, packs))))
    ch = {(row, "total"): d, ("results_total", "total"): d, ("new_received", "total"): d}
    return _with_table(r, _set_cells(_table(r, "table3"), ch), packs)


def _break_t104(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    g = draw(st.sampled_from(["review", "lit_direct", "lit_after_review"]))
    t4 = _set_cells(_table(r, "table4"), {(g, "total"): draw(_deltas)})
    return attrs.evolve(r, tables=tuple(t4 if t.key == "table4" else t for t in r.tables))


def _break_t001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    key = draw(st.sampled_from(["table2", "table3", "table4"]))
    r = attrs.evolve(r, tables=tuple(t for t in r.tables if t.key != key))
    if key == "table3":
        r = attrs.evolve(r, withholdings=tuple(w for w in r.withholdings if w.source != "table"))
    return r


def _break_s001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # A section without a table, and not the last one (which carries the signature).
    key = draw(st.sampled_from(["overview", "problems"]))
    if key == "overview":  # keep what 总体情况 said about accountability (S005) elsewhere
        r = _add_paragraphs(r, "problems", build.accountability_sentence(packs))
    return attrs.evolve(r, sections=tuple(s for s in r.sections if s.key != key))


def _break_d001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    y = _year(r)
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
    if pub is None:
        raise ValueError("the report states no publication date")
    old = r.signature[-1].text if r.signature else ""
    sig = build.date_text(date, "chinese" if old[:1] in numerals.DIGITS else "arabic")
    signature = r.signature[:-1] + (Paragraph(text=sig.raw),) if r.signature else r.signature
    new = build.date_text(date, "iso") if pub.source == "metadata" else sig
    return attrs.evolve(r, metadata=attrs.evolve(md, publication=attrs.evolve(pub, date=new)), signature=signature)


def _break_d003(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    kind = r.metadata.agency_kind
    if kind is None:
        raise ValueError("the report states no agency kind")
    deadline = build.publication_deadline(_year(r), kind, packs)
    return _republish(r, deadline + dt.timedelta(days=draw(st.integers(1, 200))))


def _break_d004(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    y = _year(r)
    return _republish(r, draw(st.dates(dt.date(y, 1, 1), dt.date(y, 12, 31))))


def _break_d006(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # A garbled date (a year run into the month, as copies have it) in the problems section.
    y = _year(r) + 1
    raw = f"{y}{draw(st.integers(1, 12))}月{draw(st.integers(1, 28))}日"
    r = _add_paragraphs(r, "problems", f"本机关已于{raw}完成公开目录的更新。")
    return attrs.evolve(r, metadata=attrs.evolve(r.metadata, dates=r.metadata.dates + (DateText(raw=raw, well_formed=False),)))


def _break_c001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    name = draw(st.sampled_from(build.misnamings(packs)))
    return _add_paragraphs(r, "problems", f"下一步将继续深入学习《{name}》。")


def _break_x001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    kind = draw(st.sampled_from(["empty", "not-a-report"]))
    if kind == "empty":
        return Report(notes=(ParseNote(kind="empty", message="the input holds no text"),))
    # Text that is no report at all: no title, no numbered section, no table.
    text = draw(st.sampled_from(["会议通知：请各单位按时参会。", "联系电话：0595-12345678"]))
    return Report(
        preamble=(Paragraph(text=text),),
        notes=(ParseNote(kind="not-a-report", message="no title, numbered section or table of an annual report was found"),),
    )


# ---- warning- and info-level codes
def _swap(seq: tuple[Section, ...], a: int, b: int) -> tuple[Section, ...]:
    items = list(seq)
    items[a], items[b] = items[b], items[a]
    return tuple(items)


def _break_s002(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # 五 and 六 change places (neither has a table; the signature closes whichever is last).
    keys = [s.key for s in r.sections]
    return attrs.evolve(r, sections=_swap(r.sections, keys.index("problems"), keys.index("other")))


_HEADING_VARIANTS = {
    "overview": ("一、总体工作情况", "一、工作总体情况"),
    "problems": ("五、存在的问题及改进措施", "五、存在问题及改进情况"),
    "other": ("六、其他事项", "六、其他需要说明的事项"),
}


def _break_s003(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    key = draw(st.sampled_from(sorted(_HEADING_VARIANTS)))
    heading = draw(st.sampled_from(_HEADING_VARIANTS[key]))
    return _replace_section(r, key, lambda s: attrs.evolve(s, heading=heading))


def _break_s004(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    return _replace_section(r, "problems", lambda s: attrs.evolve(s, paragraphs=()))


def _drop_paragraph(r: Report, text: str) -> Report:
    return attrs.evolve(
        r, sections=tuple(attrs.evolve(s, paragraphs=tuple(p for p in s.paragraphs if p.text != text)) for s in r.sections)
    )


def _break_s005(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    return _drop_paragraph(r, build.accountability_sentence(packs))


def _break_s006(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    return _drop_paragraph(r, build.fee_sentence(packs))


def _break_s007(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    present = len(r.sections)
    declared = draw(st.sampled_from([n for n in (present - 1, present + 1) if 1 <= n <= 10]))
    sentence = f"本报告由{numerals.to_chinese(declared)}个部分组成。"
    return attrs.evolve(r, preamble=(Paragraph(text=sentence),) + r.preamble)


def _break_m001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    md = r.metadata
    title = f"{md.agency}{md.report_year}年政府信息公开{draw(st.sampled_from(['年度报告', '工作报告']))}"
    return attrs.evolve(r, metadata=attrs.evolve(md, title=title))


def _break_d002(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    return _replace_period(r, None, packs)


def _break_d005(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    y = _year(r)
    other = draw(st.sampled_from([y - 1, y + 1]))
    first = _section(r, "overview").paragraphs[0]
    opening = Paragraph(text=first.text.replace(f"{y}年", f"{other}年", 1))
    return _replace_section(r, "overview", lambda s: attrs.evolve(s, paragraphs=(opening,) + s.paragraphs[1:]))


# Labels of table 三 written with a word more or less: still recognised, but not as printed.
_ALTERED_LABELS = {
    "unable_need_creation": "2.没有现成信息需另行制作",
    "np_confirm": "5.要求行政机关确认或者重新出具已获取信息",
    "unable_not_held": "1.本机关不掌握相关的政府信息",
}


def _break_t003(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    key = draw(st.sampled_from(sorted(_ALTERED_LABELS)))
    t3 = _table(r, "table3")
    rows = tuple(attrs.evolve(row, label=_ALTERED_LABELS[key]) if row.key == key else row for row in t3.rows)
    return _with_table(r, attrs.evolve(t3, rows=rows), packs)


def _break_t004(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # A cell of table 二 (which has no identity) written as 无, - or /.
    t2 = _table(r, "table2")
    cells = [(row.key, c.column) for row in t2.rows for c in row.cells]
    target = draw(st.sampled_from(cells))
    word = draw(st.sampled_from(["无", "-", "/"]))
    rows = tuple(
        attrs.evolve(row, cells=tuple(build.raw_cell(c.column, word) if (row.key, c.column) == target else c for c in row.cells))
        for row in t2.rows
    )
    return attrs.evolve(r, tables=tuple(attrs.evolve(t2, rows=rows) if t.key == "table2" else t for t in r.tables))


def _add_prose_withholding(r: Report, para: Paragraph, w: Withholding) -> Report:
    r = _add_paragraphs(r, "applications", para.text)
    return attrs.evolve(r, withholdings=r.withholdings + (w,))


def _break_w001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # A count withheld without a ground, unlike the total the table gives grounds for.
    reasoned = sum(w.count or 0 for w in r.withholdings if w.source == "table" and w.reason)
    para, w = build.prose_withholding(reasoned + draw(st.integers(1, 9)), None, packs)
    return _add_prose_withholding(r, para, w)


def _break_w002(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    ground = draw(st.sampled_from(["涉及敏感内容", "内容尚在研究", "不宜公开"]))
    para, w = build.prose_withholding(draw(st.integers(1, 9)), None, packs, ground_text=ground)
    return _add_prose_withholding(r, para, w)


def _break_c002(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    pack = packs.format_in_force(_year(r))
    if pack is None or not pack.notice_number:
        raise ValueError("no notice is in force for the report's year")
    older = [p for p in packs.formats.values() if p.tables and p.notice_number and p.id != pack.id]
    old = draw(st.sampled_from(sorted(older, key=lambda p: p.id)))
    preamble = tuple(
        Paragraph(text=p.text.replace(pack.notice_number, old.notice_number)) if pack.notice_number in p.text else p
        for p in r.preamble
    )
    return attrs.evolve(r, preamble=preamble)


# ---- input problems: what the readers record as parse notes
def _with_note(r: Report, note: ParseNote) -> Report:
    return attrs.evolve(r, notes=(*r.notes, note))


def _break_x002(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # A run of digits the table's identities cannot split one way (corpus 098: 77132470).
    run = draw(st.sampled_from(["77132470", "6233440", "21317000001324019"]))
    detail = SplitDetail(table="table2", label="行政规范性文件", run=run, reason="several", candidates="2+", count=2)
    return _with_note(r, ParseNote(kind="ambiguous-split", message=f"cells ran together: {run}", detail=detail))


def _break_x003(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # The page also shows a table as an image (<img> where a table stands).
    section = draw(st.sampled_from([2, 3, 4]))
    detail = ImageTableDetail(section=section, heading="表格", src=f"/upload/table{section}.png")
    return _with_note(r, ParseNote(kind="image-table", message="a table published as an image", detail=detail))


def _break_x004(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # The input went past a safety limit and was read only in part.
    limit = draw(st.sampled_from([20 * 1024 * 1024, 50 * 1024 * 1024]))
    detail = LimitDetail(limit_kind="size", size=limit + draw(st.integers(1, 10**6)), limit=limit)
    return _with_note(r, ParseNote(kind="over-limit", message="input over the size limit", detail=detail))


# ---- prose rules: the sentence patterns are those of rules/prose.toml
def _append_paragraph(r: Report, key: str | None, text: str, *, number: int | None = None) -> Report:
    """``r`` with a paragraph ``text`` added at the end of a section (by key, or by number), or
    of the preamble when ``key`` and ``number`` are both None."""
    if key is None and number is None:
        return attrs.evolve(r, preamble=r.preamble + (Paragraph(text=text),))
    target = next(s for s in r.sections if (s.key == key if number is None else s.number == number))
    para = Paragraph(text=text)
    return attrs.evolve(
        r, sections=tuple(attrs.evolve(s, paragraphs=s.paragraphs + (para,)) if s is target else s for s in r.sections)
    )


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


def _break_p001(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # The prose states a count none of the table values the pack accepts for it (larger than all).
    pack = packs.prose
    accepted: dict[str, tuple[list[int | float], str]] = {}
    for key in sorted(_P001_SENTENCES):
        q = pack.quantity(key)
        if q is None:
            continue
        sums = []
        for alternative in q.accept:
            numbers = [_cell_number(r, ref) for ref in alternative]
            known = [n for n in numbers if n is not None]
            if known and len(known) == len(numbers):
                sums.append(sum(known))
        if sums:
            accepted[key] = (sums, q.accept[0][0].split(":")[0])
    key = draw(st.sampled_from(sorted(accepted)))
    sums, table_key = accepted[key]
    n = int(max(sums)) + draw(_deltas)
    text = draw(st.sampled_from(_P001_SENTENCES[key])).format(n=n)
    return _append_paragraph(r, None, text, number=_table(r, table_key).section)


# A count and its parts: a part larger than the count (variant "part"), or shares of a count one of
# which is not what the numbers give (variant "share").
_P002_PARTS = ("本年度组织政务公开业务培训{n}次，其中专题培训{m}次。", "本年度通过政务新媒体发布信息{n}条，其中政策解读{m}条。")
_P002_SHARES = (
    "本年度主动公开政府信息{total}条，其中政策文件{a}条，占比{pa}%，工作动态{b}条，占比{pb}%，其他信息{c}条，占比{pc}%。",
)


def _break_p002(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
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


def _break_p003(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
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


def _break_p004(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    y = _year(r)
    stale = draw(st.sampled_from([y - 1, y + 1]))
    return _append_paragraph(r, None, draw(st.sampled_from(_P004_SENTENCES)).format(y=stale))


# An inline enumeration 一是…二是… in section 五 that skips, repeats or goes back.
_P005_LEADS = ("下一步，本机关将重点做好以下工作：", "针对上述问题，本机关将采取以下措施：")
_P005_ITEMS = ("加强业务培训", "完善公开目录", "强化政策解读", "拓展公开渠道", "提升信息发布质量")


def _break_p005(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # 一…k in order, then a marker other than k+1 (and not 一, which would start a new list).
    k = draw(st.integers(1, 4))
    bad = draw(st.sampled_from([v for v in range(2, 10) if v != k + 1]))
    values = [*range(1, k + 1), bad]
    items = draw(st.lists(st.sampled_from(_P005_ITEMS), min_size=len(values), max_size=len(values)))
    body = "；".join(f"{numerals.to_chinese(v)}是{item}" for v, item in zip(values, items))
    return _append_paragraph(r, "problems", draw(st.sampled_from(_P005_LEADS)) + body + "。")


def _break_s009(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # Section 一 or 五 holding only a placeholder (暂无问题, 无。).
    words = packs.regulation.placeholder
    key = draw(st.sampled_from(sorted(words.sections)))
    text = draw(st.sampled_from(words.texts)) + draw(st.sampled_from(["", "。"]))
    if key == "overview":  # keep what 总体情况 said about accountability (S005) elsewhere
        r = _add_paragraphs(r, "problems", build.accountability_sentence(packs))
    return _replace_section(r, key, lambda s: attrs.evolve(s, paragraphs=(Paragraph(text=text),)))


# A sentence saying every application was concluded (rules/prose.toml [concluded]).
_P006_CLAIMS = ("本年度收到的政府信息公开申请均已办结。", "全年所有申请均在法定期限内办结。", "收到的申请已全部答复。")


def _break_p006(draw: st.DrawFn, r: Report, packs: Packs) -> Report:
    # Some applications carried forward (四 and 一 grow together: T101 and T103 still hold), while
    # section 三 says every one was concluded.
    d, col = draw(_deltas), draw(_applicants)
    ch = {(row, c): d for row in ("carried_forward", "new_received") for c in (col, "total")}
    r = _with_table(r, _set_cells(_table(r, "table3"), ch), packs)
    return _add_paragraphs(r, "applications", draw(st.sampled_from(_P006_CLAIMS)))


_GOVERNMENT, _DEPARTMENT = AgencyKind.GOVERNMENT, AgencyKind.DEPARTMENT

BREAKERS: dict[str, Breaker] = {
    "S001": Breaker(_break_s001, _WITH_TABLES),
    "D001": Breaker(_break_d001),
    "D003": Breaker(_break_d003, agency_kinds=(_GOVERNMENT, _DEPARTMENT)),
    "D004": Breaker(_break_d004),
    "D006": Breaker(_break_d006),
    "T001": Breaker(_break_t001, _WITH_TABLES),
    "T002": Breaker(None, ("gb2021",), table_format="gb2019"),
    "T101": Breaker(_break_t101, _WITH_TABLES),
    "T102": Breaker(_break_t102, _WITH_TABLES),
    "T103": Breaker(_break_t103, _WITH_TABLES),
    "T104": Breaker(_break_t104, _WITH_TABLES),
    "C001": Breaker(_break_c001),
    "X001": Breaker(_break_x001),
    # warning- and info-level codes
    "S002": Breaker(_break_s002, _WITH_TABLES),
    "S003": Breaker(_break_s003, _WITH_TABLES),
    "S004": Breaker(_break_s004),
    "S005": Breaker(_break_s005, _WITH_TABLES, agency_kinds=(_GOVERNMENT,)),
    "S006": Breaker(_break_s006, ("gb2021",)),
    "S007": Breaker(_break_s007, _WITH_TABLES),
    "S009": Breaker(_break_s009),
    "M001": Breaker(_break_m001),
    "D002": Breaker(_break_d002),
    "D005": Breaker(_break_d005),
    "T003": Breaker(_break_t003, _WITH_TABLES),
    "T004": Breaker(_break_t004, _WITH_TABLES),
    "W001": Breaker(_break_w001, _WITH_TABLES),
    "W002": Breaker(_break_w002),
    "C002": Breaker(_break_c002, ("gb2021",)),
    "L001": Breaker(None, ("pre2019",)),
    "X002": Breaker(_break_x002),
    "X003": Breaker(_break_x003),
    "X004": Breaker(_break_x004),
    # prose rules (warnings)
    "P001": Breaker(_break_p001, _WITH_TABLES),
    "P002": Breaker(_break_p002),
    "P003": Breaker(_break_p003),
    "P004": Breaker(_break_p004),
    "P005": Breaker(_break_p005),
    "P006": Breaker(_break_p006, _WITH_TABLES),
}
"""The codes :func:`broken_reports` can break, each with its :class:`Breaker`."""

NO_BREAKER = {
    "X900": "internal-error: reported only when a rule raises; no report makes a correct rule crash.",
    "T105": "carry-over compares two reports (lint(..., previous=...)); one report cannot break it.",
    "T106": "regulation-stock compares two reports (lint(..., previous=...)); one report cannot break it.",
    "T107": "copied-text compares two reports (lint(..., previous=...)); one report cannot break it.",
    "X005": "batch-input-error: batch mode reports a file it could not read; no report model carries it.",
    "X007": "unknown-suppression: a comment of a draft's author (opengov-lint: ignore CODE), not a defect of a report.",
    "X008": "previous-not-comparable: compares a report with the file given as --previous; one report cannot break it.",
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
    breaker = BREAKERS.get(code)
    if breaker is None:
        why = NO_BREAKER.get(code, "no breaker is written for this code yet")
        raise ValueError(f"no broken_reports for {code}: {why}")
    kinds = breaker.agency_kinds
    if agency_kind is not None:
        kind = build.agency_kind(agency_kind)
        if kind not in kinds:
            needs = ", ".join(k.value for k in kinds)
            raise ValueError(f"{code} cannot be broken for agency kind {kind.value!r} (needs one of {needs})")
        kinds = (kind,)
    magnitudes(magnitude)
    return _broken(breaker, kinds, magnitude, packs or load_packs())


@st.composite
def _broken(draw: st.DrawFn, breaker: Breaker, kinds: tuple[AgencyKind, ...], magnitude: str | None, packs: Packs) -> Report:
    version = draw(st.sampled_from(breaker.format_versions))
    valid = draw(
        reports(
            format_version=version,
            agency_kind=draw(st.sampled_from(kinds)),
            magnitude=magnitude,
            packs=packs,
            table_format=breaker.table_format,
        )
    )
    return breaker.apply(draw, valid, packs) if breaker.apply is not None else valid
