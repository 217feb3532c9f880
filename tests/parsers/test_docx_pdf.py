"""Issue 3: DOCX drafts (generated from one model) and the two real PDFs of 淮安市洪泽区,
pinned cell for cell with what is wrong with them."""

from __future__ import annotations

import pytest
from conftest import CORPUS, TEXTS, shared_file

from opengov_lint import lint, parse
from opengov_lint.generate.render import render_docx, render_pdf, render_text
from opengov_lint.model import CellKind


def cells(report):
    return {(t.key, r.key, c.column): (c.kind, c.value) for t in report.tables for r in t.rows for c in r.cells}


def values(report, table, key):
    return [c.value if c.kind is CellKind.NUMBER else c.raw for c in report.table(table).row(key).cells]


# ----------------------------------------------------------------------------- DOCX
@pytest.mark.parametrize("source", ["html/017.html", "text/000.txt"])
def test_docx_same_tables_and_findings_as_text(tmp_path, source):
    model = parse(CORPUS / source)
    path = tmp_path / "report.docx"
    render_docx(model, path)
    got = parse(path)
    text = parse(render_text(model, "pipes"))
    assert cells(got) == cells(model) == cells(text)
    assert [s.key for s in got.sections] == [s.key for s in model.sections]
    assert lint(got).codes == lint(text).codes
    # a location is the block number in the document
    assert got.table("table3").row("new_received").span.line > 10


def test_docx_signature_date_is_publication_date(tmp_path):
    model = parse(TEXTS / "000.txt")  # 晋江市民政局, signed 2023年1月19日
    path = tmp_path / "draft.docx"
    render_docx(model, path)
    got = parse(path)
    assert got.metadata.publication.source == "signature"
    assert got.metadata.publication.date.date.isoformat() == "2023-01-19"
    assert got.metadata.title == model.metadata.title
    assert lint(got).codes == ["C001", "S006", "T002", "W001"]


def test_docx_sniffed_whatever_its_name(tmp_path):
    model = parse(TEXTS / "000.txt")
    path = tmp_path / "draft.txt"  # a DOCX renamed
    render_docx(model, path)
    assert cells(parse(path)) == cells(model)


# ----------------------------------------------------------------------------- PDF
@pytest.mark.parametrize("source", ["html/017.html", "text/000.txt"])
def test_generated_pdf_same_tables_and_findings_as_text(tmp_path, source):
    pytest.importorskip("reportlab")
    model = parse(CORPUS / source)
    path = tmp_path / "report.pdf"
    render_pdf(model, path)  # ruled tables with merged header cells, labels wrapped inside cells
    got = parse(path)
    text = parse(render_text(model, "pipes"))
    assert cells(got) == cells(model) == cells(text)
    assert [s.key for s in got.sections] == [s.key for s in model.sections]
    assert got.metadata.title == model.metadata.title
    assert lint(got).codes == lint(text).codes


@pytest.fixture(scope="module")
def hz2023():
    return parse(shared_file("pdf/hongze-2023.pdf"))


@pytest.fixture(scope="module")
def hz2024():
    return parse(shared_file("pdf/hongze-2024.pdf"))


def test_pdf_2023_metadata_and_structure(hz2023):
    md = hz2023.metadata
    assert md.title == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert md.report_year == 2023
    assert md.period.start.date.isoformat() == "2023-01-01" and md.period.end.date.isoformat() == "2023-12-31"
    assert [s.key for s in hz2023.sections] == ["overview", "proactive", "applications", "review_litigation", "problems", "other"]


def test_pdf_2023_tables_cell_for_cell(hz2023):
    r = hz2023
    assert values(r, "table2", "rules") == [0, 0, 0]
    assert values(r, "table2", "normative_docs") == [0, 5, 5]
    assert values(r, "table2", "licensing") == [550]
    assert values(r, "table2", "punishment") == [4119]
    assert values(r, "table2", "coercion") == [195]
    assert values(r, "table2", "admin_fees") == [7730.28]
    t3 = {
        "new_received": 21, "carried_over": 0, "granted": 0, "partial": 4, "denied_state_secret": 1,
        "denied_law_forbidden": 0, "denied_three_safety": 0, "denied_third_party": 0, "denied_internal_affairs": 0,
        "denied_process_info": 1, "denied_enforcement_file": 1, "denied_admin_query": 0, "unable_not_held": 10,
        "unable_need_creation": 3, "unable_unclear": 0, "np_petition": 1, "np_repeat": 0, "np_publication": 0,
        "np_massive": 0, "np_confirm": 0, "other": 0, "results_total": 21, "carried_forward": 0,
    }  # fmt: skip
    assert [r_.key for r_ in r.table("table3").rows] == list(t3)
    for key, n in t3.items():
        assert values(r, "table3", key) == [n, 0, 0, 0, 0, 0, n], key
    assert values(r, "table4", "review") == [10, 1, 0, 0, 0]
    assert values(r, "table4", "lit_direct") == [0, 0, 0, 0, 0]
    assert values(r, "table4", "lit_after_review") == [5, 0, 0, 0, 0]


def test_pdf_2023_what_is_wrong(hz2023):
    findings = lint(hz2023).findings
    by = {}
    for f in findings:
        by.setdefault(f.code, []).append(f)
    # （六）其他处理 as one row (2019 layout) in a 2023 report
    assert "（六）其他处理" in by["T002"][0].message_zh
    # the garbled label, as printed
    assert any("其他法律行政止公开" in f.message_zh for f in by["T003"])
    # table 四: the 总计 cells are 0 while the parts are not
    assert sorted(f.location.path for f in by["T104"]) == ["四/行政复议/总计", "四/行政诉讼/复议后起诉/总计"]
    assert not [c for c in by if c.startswith("X")]


def test_pdf_2024_tables_cell_for_cell(hz2024):
    r = hz2024
    assert r.metadata.title == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    assert values(r, "table2", "normative_docs") == [3, 0, 8]
    assert values(r, "table2", "licensing") == [9487]
    assert values(r, "table2", "punishment") == [2776]
    assert values(r, "table2", "coercion") == [84]
    assert values(r, "table2", "admin_fees") == [7545]
    t3 = {"new_received": 95, "granted": 50, "partial": 9, "denied_three_safety": 1, "denied_process_info": 1,
          "denied_enforcement_file": 1, "unable_not_held": 31, "unable_need_creation": 1, "np_petition": 1, "results_total": 95}  # fmt: skip
    for row in r.table("table3").rows:
        n = t3.get(row.key, 0)
        assert values(r, "table3", row.key) == [n, 0, 0, 0, 0, 0, n], row.key
    assert values(r, "table4", "review") == [1, 1, 0, 0, 2]
    assert values(r, "table4", "lit_direct") == [1, 0, 0, 0, 1]
    assert values(r, "table4", "lit_after_review") == [2, 0, 1, 0, 3]
    codes = lint(r).codes
    assert "T002" in codes and "T003" in codes and "T104" not in codes and "T101" not in codes


def test_pdf_carry_over_pair(hz2023, hz2024):
    # 2023 carried 0 forward; 2024 carried 0 over: T105 finds nothing to contradict
    assert "T105" not in lint(hz2024, previous=hz2023).codes
