"""Issue 3: the same report in every text flattening the corpus shows reads back to the same
tables and the same findings (generated from one model), and real files of each style are
pinned against their text."""

from __future__ import annotations

import attrs
import pytest
from conftest import CORPUS, TEXTS

from opengov_lint import lint, parse
from opengov_lint.generate.render import render_text
from opengov_lint.model import Cell, CellKind

DATA = TEXTS
STYLES = ["pipes", "markdown", "tabs", "paragraphs", "pipe-cells", "one-line"]


def table_values(report):
    out = {}
    for t in report.tables:
        out[t.key] = {(r.key, c.column): (c.kind, c.value) for r in t.rows for c in r.cells}
    return out


@pytest.fixture(scope="module")
def model():
    """平潭 2023 (098) with the one row its copy leaves ambiguous filled in: a complete 2021
    report with non-zero figures in every table."""
    r = parse(DATA / "098.txt")
    t2 = r.table("table2")
    row = t2.row("normative_docs")
    cells = tuple(
        Cell(column=c.column, raw=v, kind=CellKind.NUMBER, value=int(v)) for c, v in zip(row.cells, ["77", "132", "470"])
    )
    rows = tuple(attrs.evolve(x, cells=cells) if x.key == "normative_docs" else x for x in t2.rows)
    tables = tuple(attrs.evolve(t, rows=rows) if t.key == "table2" else t for t in r.tables)
    return attrs.evolve(r, tables=tables, notes=())


@pytest.fixture(scope="module")
def reference(model):
    return parse(render_text(model, "tabs"))


@pytest.mark.parametrize("style", STYLES)
def test_same_tables_in_every_style(model, reference, style):
    text = render_text(model, style)
    got = parse(text)
    assert [t.key for t in got.tables] == ["table2", "table3", "table4"]
    assert table_values(got) == table_values(model)
    assert [s.key for s in got.sections] == [s.key for s in model.sections]
    assert lint(got).codes == lint(reference).codes


def test_reference_findings_are_real(reference):
    # the model balances: no arithmetic findings, no input findings
    codes = lint(reference).codes
    assert not [c for c in codes if c.startswith(("T1", "X"))], codes


# ----------------------------------------------------------------------------- real files
def values(report, table, key):
    row = report.table(table).row(key)
    return [c.value if c.kind is CellKind.NUMBER else c.raw for c in row.cells]


def test_013_pipe_on_own_line_rows():
    r = parse(DATA / "013.txt")
    t2 = r.table("table2")
    assert t2.layout == "gb2019"
    assert [x.key for x in t2.rows] == [
        "rules",
        "normative_docs",
        "licensing",
        "other_services",
        "punishment",
        "coercion",
        "admin_fees",
    ]
    assert values(r, "table2", "licensing") == [0, 0, 0]
    assert values(r, "table2", "admin_fees") == [0, 0]


def test_033_cell_pipe_lines_with_blank_cells():
    r = parse(DATA / "033.txt")
    assert values(r, "table2", "rules") == ["/", "/", "/"]
    assert values(r, "table2", "normative_docs") == [0, 0, 0]
    assert values(r, "table2", "licensing") == [0]
    assert values(r, "table3", "new_received") == ["", "", "", "", "", "", 0]
    assert values(r, "table3", "carried_over") == ["", "", "", "", "", "", 0]
    assert [c.kind for c in r.table("table3").row("new_received").cells][:6] == [CellKind.BLANK] * 6


def test_007_nil_words_and_spaced_headers():
    r = parse(DATA / "007.txt")
    assert values(r, "table2", "punishment") == [2]
    assert values(r, "table2", "rules") == ["无", "无", "无"]
    assert values(r, "table3", "new_received") == ["", "", "", "", "", "", "无"]
    cols = {h.text: h.column for h in r.table("table3").header}
    assert cols["商业 企业"] == "commercial" and cols["科研 机构"] == "research"


def test_015_cell_per_paragraph():
    r = parse(DATA / "015.txt")
    assert r.table("table2").layout == "gb2019"
    assert values(r, "table2", "rules") == [0, 0, 0]
    assert values(r, "table2", "normative_docs") == [0, 0, 0]
    assert values(r, "table2", "licensing") == [0, 0, 0]
    assert r.metadata.publication.date.date.isoformat() == "2022-01-29"
    # header labels broken over paragraphs ("本年新" / "公开数量") are joined again
    header = [(h.text, h.column) for h in r.table("table2").header][:3]
    assert header == [("本年新制作数量", "new_made"), ("本年新公开数量", "new_published"), ("对外公开总数量", "total_public")]


def test_labels_wrapped_mid_word_one_cell_per_line():
    text = (DATA / "098.txt").read_text(encoding="utf-8")
    r0 = parse(text)
    # the same report with every cell on its own line and two long row labels broken in the middle
    lines = render_text(r0, "paragraphs").replace(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开（区分处理的，\n\n只计这一情形，不计其他情形）"
    )
    lines = lines.replace("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或\n\n重新出具已获取信息")
    r = parse(lines)
    assert values(r, "table3", "partial") == [19, 1, 0, 0, 0, 0, 20]
    assert values(r, "table3", "np_confirm") == [0] * 7


def test_068_pipe_joined_rows():
    r = parse(DATA / "068.txt")
    assert values(r, "table3", "new_received") == [821, 35, "", "", 2, 1, 859]
    assert values(r, "table3", "carried_over") == [18, "", "", "", "", "", 18]
    assert values(r, "table3", "granted") == [258, 12, "", "", 1, 1, ""]
    assert values(r, "table2", "central_procurement") == [6, 251000]


def test_083_pdf_docx_spacing_removed():
    r = parse(DATA / "083.txt")
    assert r.metadata.period is not None
    assert r.metadata.period.start.date.isoformat() == "2021-01-01"
    assert r.metadata.period.end.date.isoformat() == "2021-12-31"
    assert [s.key for s in r.sections] == ["overview"]
    # the location still points into the input as written (line 2, with its spaces)
    line = (DATA / "083.txt").read_text(encoding="utf-8").split("\n")[r.metadata.period.span.line - 1]
    assert line[r.metadata.period.span.column - 1 :].startswith("2021 年 1 月 1 日")


def test_every_file_of_the_corpus_parses_and_lints():
    """Every text of the corpus (copied with its index) parses without an exception."""
    index = (CORPUS / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]
    names = [line.split("\t")[0] for line in index if line.strip()]
    assert len(names) >= 300
    for name in names:
        r = parse(DATA / name)
        lint(r)
        assert r.notes == () or all(n.kind != "undecodable" for n in r.notes), name


def test_070_complete_report_pinned():
    r = parse(DATA / "070.txt")
    assert values(r, "table2", "normative_docs") == [8, 0, 18]
    assert values(r, "table3", "new_received") == [26, "", "", "", "", "", 26]
    assert values(r, "table3", "results_total") == [26, "", "", "", "", "", 26]
    assert values(r, "table4", "review") == [0, 0, 0, 1, 1]
    assert r.metadata.publication.date.date.isoformat() == "2024-01-17"


def test_000_complete_report_pinned():
    r = parse(DATA / "000.txt")
    assert values(r, "table2", "normative_docs") == [3, 3, 3]
    assert values(r, "table2", "licensing") == [7, 4, 4]
    assert values(r, "table3", "results_total") == [0] * 7
    assert r.metadata.publication.source == "signature"
    assert lint(r).codes == ["C001", "S006", "T002", "W001"]


def test_prose_naming_the_sections_is_not_cut():
    # 025's preamble lists the parts (…行政复议、行政诉讼情况…其他需要报告的事项) on one long line
    r = parse(DATA / "025.txt")
    assert any("其他需要报告的事项" in p.text and len(p.text) > 300 for p in r.preamble)
    assert r.tables == ()


def test_one_table_flattened_onto_one_line_in_a_normal_report(model):
    from opengov_lint.generate.render import render_table
    from opengov_lint.packs import load_packs

    packs = load_packs()
    lines = render_text(model, "tabs").split("\n")
    t2 = model.table("table2")
    start = lines.index("\t" + render_table(t2, "tabs", packs)[0].strip())
    end = start + len(render_table(t2, "tabs", packs))
    lines[start:end] = render_table(t2, "one-line", packs)  # "第二十条第（一）项 信息内容 … 规章 0 0 0 …"
    got = parse("\n".join(lines))
    assert table_values(got)["table2"] == table_values(model)["table2"]
