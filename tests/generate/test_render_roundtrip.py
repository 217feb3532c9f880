"""Renderers and round trips: parse(render(r)) == r in every text style and in HTML;
with cells run together, the same numbers or an X002 note, never a wrong number; fingerprints
do not depend on the style; parsing and linting never raise on mutated renderings."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import attrs
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from opengov_lint import lint, parse  # noqa: E402
from opengov_lint.generate import build  # noqa: E402
from opengov_lint.generate.breakers import BREAKERS, broken_reports  # noqa: E402
from opengov_lint.generate.render import LOSSLESS_STYLES, TEXT_STYLES, comparable, render_html, render_text  # noqa: E402
from opengov_lint.generate.strategies import reports  # noqa: E402
from opengov_lint.model import CellKind, SplitDetail  # noqa: E402
from opengov_lint.packs import load_packs  # noqa: E402

PACKS = load_packs()

_LONG = os.environ.get("OPENGOV_LINT_HYPOTHESIS_PROFILE") == "long"
_COMMON = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CI = settings(max_examples=300 if _LONG else 12, derandomize=not _LONG, **_COMMON)
FEW = settings(max_examples=100 if _LONG else 3, derandomize=not _LONG, **_COMMON)

# Every breaker except X001, whose reports are not reports at all (nothing to render).
# Input-problem codes are parse notes on how an input was read; rendering cannot carry them.
_INPUT_NOTES = {"X001", "X002", "X003", "X004"}
_BROKEN = st.one_of(*[broken_reports(c) for c in sorted(BREAKERS) if c not in _INPUT_NOTES])


def _zero_report(version: str):
    """A fixed valid report of ``version``: every section with one sentence, every table 0."""
    import datetime as dt

    pack = PACKS.formats[version]
    t3 = build.table3(pack, {"natural_person": {"granted": 1}}, {}, {})
    year = 2023 if version == "gb2021" else 2020
    period = build.period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return build.report(
        pack=pack,
        agency="晋江市民政局",
        agency_kind=build.agency_kind("department"),
        report_year=year,
        preamble=[build.period_sentence(period)],
        period_=period,
        sections=[
            (sec.heading, ["本机关认真做好相关工作。", *([build.fee_sentence(PACKS)] if sec.key == "other" else [])])
            for sec in pack.sections
        ],
        tables=[build.table2(pack, {}), t3, build.table4(pack, {})],
        publication=dt.date(year + 1, 1, 15),
    )


_SMALL = _zero_report("gb2021")


def _with_table(report, table):
    return attrs.evolve(report, tables=tuple(table if t.key == table.key else t for t in report.tables))


def _with_cells(report, key, changes):
    """``report`` with the cells (row, column) of table ``key`` written as the numbers given."""
    table = report.table(key)
    rows = tuple(
        attrs.evolve(
            r,
            cells=tuple(
                build.number_cell(c.column, *changes[(r.key, c.column)]) if (r.key, c.column) in changes else c for c in r.cells
            ),
        )
        for r in table.rows
    )
    return _with_table(report, attrs.evolve(table, rows=rows))


def _diff(a, b) -> str:
    import attrs

    return ", ".join(f.name for f in attrs.fields(type(a)) if getattr(a, f.name) != getattr(b, f.name))


def _parse_html(report, **options):
    return parse(render_html(report, **options).encode("utf-8"), input_format="html")


@CI
@given(reports(), st.sampled_from(LOSSLESS_STYLES))
def test_round_trip_of_valid_reports(report, style):
    parsed = parse(render_text(report, style))
    assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))


@pytest.mark.parametrize("style", LOSSLESS_STYLES)
def test_round_trip_of_broken_reports(style):
    @FEW
    @given(_BROKEN)
    def check(report):
        parsed = parse(render_text(report, style))
        assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))

    check()


@CI
@given(reports())
def test_html_round_trip_of_valid_reports(report):
    parsed = _parse_html(report)
    assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))


@FEW
@given(_BROKEN)
def test_html_round_trip_of_broken_reports(report):
    parsed = _parse_html(report)
    assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))


@FEW
@given(_BROKEN)
def test_fingerprints_do_not_depend_on_the_style(report):
    expected = sorted((f.code, f.fingerprint) for f in lint(report).findings)
    assert expected
    for style in LOSSLESS_STYLES:
        got = sorted((f.code, f.fingerprint) for f in lint(parse(render_text(report, style))).findings)
        assert got == expected, style
    got = sorted((f.code, f.fingerprint) for f in lint(_parse_html(report)).findings)
    assert got == expected, "html"
    # Cells run together: where the report round-trips, the findings are the same ones.
    parsed = parse(render_text(report, "concatenated"))
    if comparable(parsed) == comparable(report):
        got = sorted((f.code, f.fingerprint) for f in lint(parsed).findings)
        assert got == expected, "concatenated"


# ----------------------------------------------------------------------------- cells run together
def _unsafe_cells(parsed, report) -> list:
    """Cells of ``parsed`` that are neither the cell of ``report`` nor left unread (MISSING)."""
    bad = []
    for t0 in report.tables:
        t1 = parsed.table(t0.key)
        assert t1 is not None, t0.key
        assert [(r.key, r.label) for r in t1.rows] == [(r.key, r.label) for r in t0.rows], t0.key
        for r0, r1 in zip(t0.rows, t1.rows):
            assert [c.column for c in r1.cells] == [c.column for c in r0.cells], (t0.key, r0.label)
            for c0, c1 in zip(r0.cells, r1.cells):
                if c1.kind is not CellKind.MISSING and attrs.evolve(c1, span=None) != attrs.evolve(c0, span=None):
                    bad.append((t0.key, r0.label, c0.column, c0.raw, c1.raw))
    return bad


def _check_concatenated(report) -> bool:
    """The round trip with cells run together; True when the report came back whole."""
    text = render_text(report, "concatenated")
    parsed = parse(text)
    assert not _unsafe_cells(parsed, report), _unsafe_cells(parsed, report)
    ambiguous = [n for n in parsed.notes if n.kind == "ambiguous-split"]
    unread = {(t.key, r.label) for t in parsed.tables for r in t.rows if any(c.kind is CellKind.MISSING for c in r.cells)}
    if not ambiguous:
        assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))
        return True
    # Every unread row is one an X002 note names; the rest of the report is the report's.
    named = {(n.detail.table, n.detail.label) for n in ambiguous if isinstance(n.detail, SplitDetail)}
    # table 四's three groups are one run: its note (label 四) names all three rows
    named |= {("table4", r.label) for t in parsed.tables if t.key == "table4" and ("table4", "四") in named for r in t.rows}
    assert unread <= named, (unread, named)
    same = attrs.evolve(
        comparable(parsed),
        tables=comparable(report).tables,
        notes=comparable(report).notes,
        withholdings=comparable(report).withholdings,
    )
    assert same == comparable(report), _diff(same, comparable(report))
    return False


def test_concatenated_style_runs_labels_and_digits_together():
    from opengov_lint.model import Report, Section
    from opengov_lint.packs import load_packs

    pack = load_packs().formats["gb2021"]
    t3 = build.table3(pack, {"natural_person": {"granted": 22, "partial": 19}, "commercial": {"partial": 1}}, {}, {})
    report = Report(
        sections=(Section(heading="三、收到和处理政府信息公开申请情况", numeral="三", number=3, key="applications"),),
        tables=(t3,),
    )
    line = next(ln for ln in render_text(report, "concatenated").split("\n") if "申请人情况" in ln)
    assert "（一）予以公开220000022" in line and "一、本年新收政府信息公开申请数量411000042" in line
    assert "|" not in line and "\t" not in line


@CI
@given(reports())
def test_concatenated_round_trip_gives_the_numbers_or_x002(report):
    _check_concatenated(report)


def test_concatenated_round_trip_is_exact_for_small_reports():
    """Zero-heavy reports mostly split one way only: most of them come back whole."""
    whole = []

    @CI
    @given(reports(magnitude="small"))
    def check(report):
        whole.append(_check_concatenated(report))

    check()
    assert sum(whole) >= len(whole) // 2, whole


@pytest.mark.parametrize("code", ["T101", "T102", "T103", "T104"])
def test_concatenated_reports_with_wrong_sums_never_get_wrong_numbers(code):
    """Where the report's own identities fail, the splitter cannot be guided by them: it keeps a
    split only when the digits allow no other; otherwise X002."""

    @FEW
    @given(broken_reports(code))
    def check(report):
        _check_concatenated(report)

    check()


def test_unknown_style_is_a_clear_error():
    from opengov_lint.model import Report

    with pytest.raises(ValueError, match="unknown text style 'xml'"):
        render_text(Report(), "xml")


# ----------------------------------------------------------------------------- mutations
_OPS = st.sampled_from(["del-line", "dup-line", "swap-lines", "del-char", "dup-char", "swap-chars"])


def _mutate(text: str, ops: list[tuple[str, int, int]]) -> str:
    for op, i, j in ops:
        if op.endswith("line") or op.endswith("lines"):
            seq: list = text.split("\n")
        else:
            seq = list(text)
        if not seq:
            continue
        a, b = i % len(seq), j % len(seq)
        if op.startswith("del"):
            del seq[a]
        elif op.startswith("dup"):
            seq.insert(a, seq[a])
        else:
            seq[a], seq[b] = seq[b], seq[a]
        text = "\n".join(seq) if op.endswith("line") or op.endswith("lines") else "".join(seq)
    return text


@CI
@given(
    st.one_of(reports(), _BROKEN),
    st.sampled_from(TEXT_STYLES),
    st.lists(st.tuples(_OPS, st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=8),
)
def test_parse_and_lint_never_raise_on_mutated_renderings(report, style, ops):
    text = _mutate(render_text(report, style), ops)
    result = lint(parse(text))
    assert "X900" not in {f.code for f in result.findings}, [f.evidence.details for f in result.findings if f.code == "X900"]
    assert all(f.code and f.message_zh and f.fingerprint for f in result.findings)


def test_mutation_helper_really_mutates():
    text = "一\n二\n三"
    assert _mutate(text, [("del-line", 1, 0)]) == "一\n三"
    assert _mutate(text, [("swap-lines", 0, 2)]) == "三\n二\n一"
    assert _mutate("ab", [("dup-char", 1, 0)]) == "abb"


# ----------------------------------------------------------------------------- markdown reading
def test_markdown_separator_and_edge_pipes_are_not_cells():
    md = "\n".join(
        [
            "某县民政局2022年政府信息公开工作年度报告",
            "四、政府信息公开行政复议、行政诉讼情况",
            "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
            "| | | | | | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
            "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 2 | 2 | 0 | 0 | 0 | 0 | 0 |",
        ]
    )
    r = parse(md)
    t4 = r.table("table4")
    assert t4 is not None and not r.notes
    assert [c.value for c in t4.row("lit_direct").cells] == [0, 0, 0, 2, 2]
    assert all(h.text != "---" for h in t4.header)


# ----------------------------------------------------------------------------- HTML
class _Grid(HTMLParser):
    """Occupied grid of each <table>: checks that the row/column spans tile a rectangle."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._rows = []
            self._pending: dict[tuple[int, int], str] = {}
        elif tag == "tr":
            self._rows.append([])
            self._col = 0
        elif tag == "td":
            self._cell = []
            self._span = (int(a.get("rowspan", 1)), int(a.get("colspan", 1)))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "td":
            r = len(self._rows) - 1
            while (r, self._col) in self._pending:
                self._rows[-1].append(self._pending.pop((r, self._col)))
                self._col += 1
            text = "".join(self._cell)
            rs, cs = self._span
            for dr in range(rs):
                for dc in range(cs):
                    if dr == 0:
                        self._rows[-1].append(text)
                    else:
                        self._pending[(r + dr, self._col + dc)] = text
            self._col += cs
            self._cell = None
        elif tag == "tr":
            r = len(self._rows) - 1
            while (r, self._col) in self._pending:
                self._rows[-1].append(self._pending.pop((r, self._col)))
                self._col += 1
        elif tag == "table":
            self.tables.append(self._rows)
            self._rows = None


@CI
@given(reports())
def test_html_tables_have_rectangular_official_spans(report):
    page = render_html(report)
    grid = _Grid()
    grid.feed(page)
    assert len(grid.tables) == len(report.tables)
    for rows, table in zip(grid.tables, report.tables):
        widths = {len(r) for r in rows}
        assert len(widths) == 1, (table.key, widths)
        if table.key == "table3":
            assert widths == {3 + 7}
            # every row's numbers are the model's, in order
            body = rows[3:]
            assert [r[3:] for r in body] == [[c.raw for c in row.cells] for row in table.rows]
        if table.key == "table4":
            assert widths == {15}
            assert rows[-1] == [c.raw for row in table.rows for c in row.cells]
    assert report.metadata.title in page


# ----------------------------------------------------------------------------- DOCX
def _docx_xml(data: bytes):
    import io
    import zipfile
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= names
        return ET.fromstring(z.read("word/document.xml"))


_WNS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@FEW
@given(st.one_of(reports(format_version="gb2021"), reports(format_version="gb2019")))
def test_docx_tables_tile_their_grid(report):
    from opengov_lint.generate.render import render_docx

    data = render_docx(report)
    assert render_docx(report) == data  # deterministic bytes
    root = _docx_xml(data)
    tables = root.iter(f"{_WNS}tbl")
    widths = {"table2": 4, "table3": 10, "table4": 15}
    for tbl, table in zip(tables, report.tables):
        ncols = len(tbl.findall(f"{_WNS}tblGrid/{_WNS}gridCol"))
        assert ncols == widths[table.key]
        for tr in tbl.findall(f"{_WNS}tr"):
            spans = [
                int(tc.find(f"{_WNS}tcPr/{_WNS}gridSpan").get(f"{_WNS}val"))
                if tc.find(f"{_WNS}tcPr/{_WNS}gridSpan") is not None
                else 1
                for tc in tr.findall(f"{_WNS}tc")
            ]
            assert sum(spans) == ncols
    texts = "".join(t.text or "" for t in root.iter(f"{_WNS}t"))
    assert report.metadata.title in texts


def test_docx_reads_back_with_python_docx():
    docx = pytest.importorskip("docx")
    import io

    from opengov_lint.generate.render import render_docx

    @settings(max_examples=3, derandomize=True, **_COMMON)
    @given(reports(format_version="gb2021"))
    def check(report):
        d = docx.Document(io.BytesIO(render_docx(report)))
        t2, t3, t4 = d.tables
        assert [c.text for c in t4.rows[-1].cells] == [c.raw for r in report.table("table4").rows for c in r.cells]
        model3 = report.table("table3").rows
        assert [[c.text for c in row.cells][3:] for row in t3.rows[3:]] == [[c.raw for c in r.cells] for r in model3]
        assert [row.cells[2].text for row in t3.rows[3:]] == [r.label for r in model3]
        # 三、本年度办理结果 is one vertically merged cell over every outcome row
        results = [row.cells[0].text for row in t3.rows[3:]]
        assert results.count("三、本年度办理结果") == len([r for r in model3 if r.block is not None])
        paras = [p.text for p in d.paragraphs]
        assert report.metadata.title in paras and [s.heading for s in report.sections] == [
            p for p in paras if p in {s.heading for s in report.sections}
        ]

    check()


# ----------------------------------------------------------------------------- DOCX and PDF round trips
@FEW
@given(st.one_of(reports(), _BROKEN))
def test_docx_round_trip(report):
    pytest.importorskip("docx")
    from opengov_lint.generate.render import render_docx

    parsed = parse(render_docx(report), input_format="docx")
    assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))


@FEW
@given(st.one_of(reports(), _BROKEN))
def test_pdf_round_trip(report):
    pytest.importorskip("reportlab")
    pytest.importorskip("pdfplumber")
    from opengov_lint.generate.render import render_pdf

    data = render_pdf(report)
    assert render_pdf(report) == data  # deterministic bytes
    parsed = parse(data, input_format="pdf")
    assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))


def test_docx_and_pdf_are_written_to_a_path_too(tmp_path):
    pytest.importorskip("reportlab")
    from opengov_lint.generate.render import render_docx, render_pdf

    report = parse(render_text(_SMALL))
    for render, name in ((render_docx, "r.docx"), (render_pdf, "r.pdf")):
        data = render(report, tmp_path / name)
        assert (tmp_path / name).read_bytes() == data


# ----------------------------------------------------------------------------- other flattenings
# The text parser reads a document on one line as it reads cells run together (docs/inputs.md),
# even where spaces separate the cells; so the property holds for what that reading can split:
# balanced tables of small numbers (table 四 on one line within 40 characters, no signed cells).
# What it cannot split is pinned by the xfail tests below.
_ONE_LINE = st.one_of(reports(format_version="gb2021", magnitude="small"), reports(format_version="pre2019"))


@FEW
@given(_ONE_LINE)
def test_one_line_keeps_the_tables_and_sections(report):
    """A document on one line: tables, sections, withholdings, title and period come back; the
    paragraphs of a section and the signature run into one (so a signature date is not read)."""
    text = render_text(report, "one-line")
    assert len([line for line in text.splitlines() if line]) <= 2  # a 发布日期 line, then the document
    got, want = comparable(parse(text)), comparable(report)
    assert got.tables == want.tables
    assert [(s.key, s.heading) for s in got.sections] == [(s.key, s.heading) for s in want.sections]
    assert got.withholdings == want.withholdings
    assert (got.metadata.title, got.metadata.period) == (want.metadata.title, want.metadata.period)

    def prose(r):
        return "".join(p.text for p in (*r.preamble, *(p for s in r.sections for p in s.paragraphs), *r.signature)).replace(
            " ", ""
        )

    assert prose(got) == prose(want)


def _one_line_tables(report):
    return comparable(parse(render_text(report, "one-line"))).tables == comparable(report).tables


def test_one_line_fixed_reports_keep_their_tables():
    assert _one_line_tables(_SMALL) and _one_line_tables(_zero_report("gb2019"))


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="one-line tables are split by the identities: a wrong 总计 leaves its rows unread (X002), not T103",
)
def test_one_line_table_with_a_wrong_sum_keeps_its_cells():
    wrong = {(row, "total"): (2,) for row in ("granted", "results_total", "new_received")}
    assert _one_line_tables(_with_cells(_SMALL, "table3", wrong))


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="one-line table 四 longer than 40 characters (spaces counted) is left unread"
)
def test_one_line_table4_of_larger_numbers_keeps_its_cells():
    big = build.table4(
        PACKS.formats["gb2021"], {g: {"maintained": 100, "corrected": 100} for g in ("review", "lit_direct", "lit_after_review")}
    )
    assert _one_line_tables(_with_table(_SMALL, big))


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="one-line 2019 table 二: a signed 本年增/减 cell (+1) is not read as a cell"
)
def test_one_line_signed_cell_is_read():
    assert _one_line_tables(_with_cells(_zero_report("gb2019"), "table2", {("admin_fees", "delta"): (1, "+1")}))


def test_render_table_gives_the_lines_of_render_text():
    from opengov_lint.generate.render import STYLE_ALIASES, render_table

    for style in (*TEXT_STYLES, *STYLE_ALIASES):
        text = render_text(_SMALL, style)
        for table in _SMALL.tables:
            lines = render_table(table, style)
            assert lines and "\n".join(lines) in text, (style, table.key)
    assert render_text(_SMALL, "tabs") == render_text(_SMALL, "lines")


# ----------------------------------------------------------------------------- HTML as CMS pages publish it
def _unbroken(report):
    """``report`` without the spaces the HTML reader keeps where a CMS broke a table label over a
    ``<br/>`` (行政规<br/>范性文件 is read 行政规 范性文件, the row recognised all the same)."""
    tables = tuple(
        attrs.evolve(t, rows=tuple(attrs.evolve(r, label=r.label.replace(" ", "")) for r in t.rows)) for t in report.tables
    )
    withholdings = tuple(
        attrs.evolve(w, reason_text=w.reason_text.replace(" ", "")) if w.source == "table" and w.reason_text else w
        for w in report.withholdings
    )
    return attrs.evolve(report, tables=tables, withholdings=withholdings)


@FEW
@given(st.one_of(reports(), _BROKEN), st.sampled_from([{"cms": True}, {"layout_table": True}]))
def test_cms_pages_round_trip(report, options):
    page = render_html(report, **options)
    assert "当前位置" in page and ("<br/>" in page and "&nbsp;" in page or not report.tables)
    parsed = _unbroken(comparable(_parse_html(report, **options)))
    assert parsed == comparable(report), _diff(parsed, comparable(report))


@FEW
@given(st.one_of(reports(), _BROKEN))
def test_gbk_page_round_trip(report):
    page = render_html(report, charset="gbk")
    assert '<meta charset="gbk">' in page
    parsed = parse(page.encode("gb18030"), input_format="html")
    assert comparable(parsed) == comparable(report), _diff(comparable(parsed), comparable(report))


@pytest.mark.parametrize("key", ["table2", "table3", "table4"])
def test_table_as_image(key):
    page = render_html(_SMALL, table_as_image=key)
    assert f'<img src="/upload/{key}.png"' in page
    parsed = parse(page.encode("utf-8"), input_format="html")
    assert parsed.table(key) is None and [t.key for t in parsed.tables] == [t.key for t in _SMALL.tables if t.key != key]
    codes = lint(parsed).codes
    assert "X003" in codes and "T001" in codes
