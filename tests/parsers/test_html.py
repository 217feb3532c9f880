"""Issue 3: HTML pages. Every real page of the corpus against its text twin; pages generated
from one model (UTF-8, GBK, a wrong charset declaration, a table as an image); hostile pages."""

from __future__ import annotations

import time

import pytest
from conftest import PAGES, TEXTS

from opengov_lint import lint, parse
from opengov_lint.generate.render import render_html, render_text
from opengov_lint.model import CellKind
from opengov_lint.parsers.html import decode_html

TWINS = {"013": "104", "015": "102", "017": "098", "018": "099", "020": "070"}


def cells(report):
    return {(t.key, r.key, c.column): (c.kind, c.value) for t in report.tables for r in t.rows for c in r.cells}


def unsplit_rows(report):
    """Rows a text copy leaves unread because its cells ran together (X002)."""
    out = set()
    for t in report.tables:
        for r in t.rows:
            if (
                r.cells
                and all(c.kind is CellKind.MISSING for c in r.cells)
                and any(n.kind == "ambiguous-split" and n.span == r.span for n in report.notes)
            ):
                out.add((t.key, r.key))
    return out


@pytest.mark.parametrize("page,twin", sorted(TWINS.items()))
def test_real_page_matches_its_text_twin(page, twin):
    html = parse(PAGES / f"{page}.html")
    text = parse(TEXTS / f"{twin}.txt")
    assert html.metadata.title == text.metadata.title
    assert html.metadata.report_year == text.metadata.report_year
    assert html.metadata.publication.date.date == text.metadata.publication.date.date
    assert [s.key for s in html.sections] == [s.key for s in text.sections]
    hc, tc = cells(html), cells(text)
    skip = unsplit_rows(text)
    assert set(hc) == set(tc)
    diff = {k: (hc[k], tc[k]) for k in hc if hc[k] != tc[k] and (k[0], k[1]) not in skip}
    assert diff == {}
    # The page gives, cell for cell, the rows its text copy cannot split: no X002 from the page.
    for t_key, r_key in skip:
        assert all(hc[(t_key, r_key, c)][0] is CellKind.NUMBER for (tk, rk, c) in hc if tk == t_key and rk == r_key)
    hf = sorted((f.code, f.location.path) for f in lint(html).findings)
    tf = sorted((f.code, f.location.path) for f in lint(text).findings if f.code != "X002")
    assert hf == tf


def test_page_resolves_what_the_copy_cannot():
    # 平潭 2023: the copy's 行政规范性文件77132470 has 21 splits; the page has the cells.
    r = parse(PAGES / "017.html")
    row = r.table("table2").row("normative_docs")
    assert [c.value for c in row.cells] == [77, 132, 470]
    # and locations are lines of the HTML file
    assert row.span.line > 300


def test_018_page_cells_and_chrome():
    r = parse(PAGES / "018.html")
    assert [c.value for c in r.table("table4").row("lit_after_review").cells] == [13, 2, 4, 0, 19]
    prose = "\n".join(p.text for _, p in r.paragraphs())
    assert "当前位置" not in prose and "网站地图" not in prose


@pytest.mark.parametrize("page", ["001", "004", "006", "007", "008", "009", "012"])
def test_old_pages_parse_as_legacy_reports(page):
    r = parse(PAGES / f"{page}.html")
    assert r.metadata.title and "报告" in r.metadata.title
    assert r.metadata.report_year is not None and r.metadata.report_year < 2019
    assert r.metadata.publication is not None
    codes = lint(r).codes
    assert "L001" in codes and "X001" not in codes and "X003" not in codes
    # their 4-column 统计表 is no table of the unified format, and prose is never a table
    assert "T003" not in codes


# ----------------------------------------------------------------------------- generated
@pytest.fixture(scope="module")
def model():
    return parse(PAGES / "017.html")


def test_generated_page_same_as_text(model):
    page = parse(render_html(model).encode("utf-8"), input_format="html")
    text = parse(render_text(model, "pipes"))
    assert cells(page) == cells(text) == cells(model)
    assert lint(page).codes == lint(text).codes


def test_nested_layout_table_page(model):
    html = render_html(model, layout_table=True)
    assert "<br/>" in html and "&nbsp;" in html
    page = parse(html.encode("utf-8"), input_format="html")
    assert cells(page) == cells(model)
    assert page.metadata.title == model.metadata.title


def test_gbk_page_declared_and_wrongly_declared(model):
    html = render_html(model, charset="gbk")
    data = html.encode("gb18030")
    assert decode_html(data)[1] == "gb18030"
    right = parse(data)  # sniffed as HTML from the bytes
    assert cells(right) == cells(model)
    wrong = parse(html.replace('charset="gbk"', 'charset="utf-8"').encode("gb18030"), input_format="html")
    assert cells(wrong) == cells(model)
    assert wrong.metadata.title == model.metadata.title
    # UTF-8 bytes that declare GBK are read as UTF-8
    lying = parse(html.encode("utf-8"), input_format="html")
    assert cells(lying) == cells(model)


def test_table_as_image(model):
    page = parse(render_html(model, table_as_image="table3").encode("utf-8"), input_format="html")
    assert page.table("table3") is None
    result = lint(page)
    x003 = [f for f in result.findings if f.code == "X003"]
    assert len(x003) == 1 and "/upload/table3.png" in x003[0].message_zh
    t001 = [f for f in result.findings if f.code == "T001"]
    assert len(t001) == 1 and "table3.png" in t001[0].evidence.details["image"]


# ----------------------------------------------------------------------------- hostile
def test_deeply_nested_page_is_refused_quickly():
    data = ("<html><body>" + "<div>" * 100_000 + "一、总体情况" + "</div>" * 100_000 + "</body></html>").encode()
    t = time.perf_counter()
    r = parse(data, input_format="html")
    assert time.perf_counter() - t < 5
    codes = lint(r).codes
    assert codes == ["X004"]


def test_huge_spans_are_capped():
    row = '<tr><td rowspan="65534" colspan="1000">一、本年新收政府信息公开申请数量</td><td>1</td></tr>'
    data = f"<html><body><p>三、收到和处理政府信息公开申请情况</p><table>{row * 50}</table></body></html>".encode()
    t = time.perf_counter()
    lint(parse(data, input_format="html"))
    assert time.perf_counter() - t < 5


def test_entities_are_not_expanded():
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY ext SYSTEM "file:///etc/passwd">]><html><body><p>&f;&ext;</p></body></html>'
    r = parse(bomb.encode(), input_format="html")
    text = "\n".join(p.text for _, p in r.paragraphs())
    assert "aaaaaaaaaa" not in text and "root:" not in text
