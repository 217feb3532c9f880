"""``--format html``: the annotated report. The page shows the report as read, marks every finding
at its place (the characters a rule names, a title or heading, a cell, a row, a whole table, a
ghost heading for a missing section, the head of the report for what has no place), lists the
findings in the order of their places, and needs no script, stylesheet or network to read. The
pages the command line writes (one file, and the reports of a directory) are the pages of the
Python API."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from _page import read_page
from conftest import CORPUS, DATA, EXAMPLE, PAGES, ROOT, TEXTS

from opengov_lint.checker import ReportOutcome, check_path, check_paths, check_text
from opengov_lint.cli import main
from opengov_lint.config import Config
from opengov_lint.outputs.html import HIGHLIGHT_COLOURS, render_html_page

ALTERED = DATA / "integration" / "shanghai-2019-altered.txt"
CLEAN = DATA / "clean-2023.txt"
REPORTS = [ALTERED, EXAMPLE]
RANK = {"error": 3, "warning": 2, "info": 1}

# A made-up 2024 draft with one problem of each kind the page marks in the text: a garbled period
# bound (D006), the regulation misnamed (C001), a title without the document's name (M001), a
# heading in other words (S003), a missing section (S001, a ghost heading) and a table.
DRAFT = """某某县民政局关于2024年度政府信息公开情况的报告

本报告统计期限为20241月1日至12月31日。

一、总体情况
2024年，我局严格按照《中国人民共和国政府信息公开条例》要求，认真做好政府信息公开工作。
二、主动公开政府信息
全年主动公开政府信息120条。
四、政府信息公开行政复议、行政诉讼情况
本年度未发生行政复议、行政诉讼。
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
本年度未收取信息处理费。

某某县民政局
2025年1月20日
"""


def _outcome(path: Path = ALTERED) -> ReportOutcome:
    return check_paths([path], Config(root=ROOT))[0]


def _cli_page(capsys, path: Path) -> str:
    code = main(["check", str(path), "--isolated", "--format", "html"])
    out, _ = capsys.readouterr()
    assert code == 1
    return out


def _numbered(page: str) -> dict[int, str]:
    """Finding number → fingerprint, as the list gives them."""
    return {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r'<li id="f-(\d+)" class="[^"]*" data-code="\w+" data-fingerprint="(\w+)"', page)
    }


def _by_number(page: str, o: ReportOutcome) -> dict[int, object]:
    by_fp = {f.fingerprint: f for f in o.findings}
    return {n: by_fp[fp] for n, fp in _numbered(page).items()}


def _source_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _expected_cells(o: ReportOutcome) -> dict[str, str]:
    """data-span → severity, from the findings alone: the cell of each finding's location and the
    cells its evidence is about; the worst severity wins."""
    keyed = {(t.key, r.key, c.column) for t in o.report.tables for r in t.rows for c in r.cells}
    out: dict[str, str] = {}
    cell_spans = {f"{c.span.line}:{c.span.column}" for t in o.report.tables for _, c in t.cells() if c.span}
    for f in o.findings:
        spans = [t.span for t in f.evidence.cells]
        loc = f.location
        if loc.row and loc.column and (loc.table, loc.row, loc.column) in keyed:
            spans.append(loc.span)
        for s in spans:
            key = f"{s.line}:{s.column}"
            if key in cell_spans and (key not in out or RANK[f.severity.value] > RANK[out[key]]):
                out[key] = f.severity.value
    return out


# ---------------------------------------------------------------- the page as a document


@pytest.mark.parametrize("path", [ALTERED, EXAMPLE, CLEAN], ids=lambda p: p.name)
def test_page_needs_no_script_and_leaves_nothing(path):
    page = render_html_page(_outcome(path))
    r = read_page(page)
    assert r.external == [] and r.scripts == 0
    assert "@media print" in page and "size:A4" in page


@pytest.mark.parametrize("path", [ALTERED, EXAMPLE, CLEAN], ids=lambda p: p.name)
def test_every_finding_has_one_mark_and_the_list_follows_the_marks(path):
    o = _outcome(path)
    page = render_html_page(o)
    r = read_page(page)
    n = len(o.findings)
    assert sorted(_numbered(page)) == list(range(1, n + 1))
    assert sorted(_numbered(page).values()) == sorted(f.fingerprint for f in o.findings)
    # one anchor per finding, met in the page in the order of the list: the list is ordered by place
    assert r.anchor_order == list(range(1, n + 1))
    for i in range(1, n + 1):
        assert page.count(f'href="#m-{i}"') == 1  # the list entry links to its mark
        assert f'href="#f-{i}"' in page  # and the mark back to the entry


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_cells_are_marked_in_the_colour_of_their_worst_finding(path):
    o = _outcome(path)
    r = read_page(render_html_page(o))
    hit = {k: re.search(r"sev-(\w+)", a["class"]).group(1) for k, a in r.cells.items() if "hit" in a.get("class", "").split()}
    hit = {k: v for k, v in hit.items() if r.cells[k].get("data-column")}  # cells, not row labels
    assert hit == _expected_cells(o)
    if path == ALTERED:
        assert hit["71:9"] == "error" and hit["71:34"] == "error"  # （七）总计/自然人 and （七）总计/总计


def test_each_cell_finding_is_anchored_in_its_cell():
    o = _outcome(ALTERED)
    page = render_html_page(o)
    r = read_page(page)
    keyed = {(t.key, rw.key, c.column) for t in o.report.tables for rw in t.rows for c in rw.cells}
    checked = 0
    for n, f in _by_number(page, o).items():
        loc = f.location
        if loc.row and loc.column and (loc.table, loc.row, loc.column) in keyed:
            tag, attrs = r.anchor_in[n]
            assert tag == "td" and attrs["data-span"] == f"{loc.span.line}:{loc.span.column}", (f.code, loc.path)
            checked += 1
    assert checked >= 3


def test_arithmetic_findings_show_terms_values_and_outline_their_cells():
    o = _outcome(ALTERED)
    page = render_html_page(o)
    numbered = _by_number(page, o)
    sums = {n: f for n, f in numbered.items() if f.evidence.expression and f.evidence.left}
    assert sums
    for n, f in sums.items():
        entry = page[page.index(f'<li id="f-{n}"') : page.index("</li>", page.index(f'<li id="f-{n}"'))]
        assert f"计算 computed <b>{f.evidence.computed}</b>" in entry and f"填报 reported <b>{f.evidence.reported}</b>" in entry
        for t in (*f.evidence.left, *f.evidence.right):
            assert t.label in entry or t.label.replace("“", "&ldquo;") in entry or re.sub(r"[<>&\"]", "", t.label)[:6] in entry
        # the terms' cells carry the finding's number, outlined when the finding is shown
        assert re.search(rf'data-terms="[^"]*\b{n}\b', page)
        assert f'body:has(#m-{n}:target) td[data-terms~="{n}"]' in page


def test_a_whole_table_finding_marks_the_table():
    o = _outcome(EXAMPLE)
    page = render_html_page(o)
    r = read_page(page)
    outlined = set(re.findall(r'class="report-table table-hit sev-\w+" data-table="(\w+)"', page))
    assert outlined == {"table2", "table3"}  # T002: the example's tables follow the 2019 layout
    for n, f in _by_number(page, o).items():
        if f.code == "T002":
            assert r.anchor_in[n][0] == "figcaption"


# ---------------------------------------------------------------- marks in the text


def _text_marks_match_the_source(o: ReportOutcome, page: str, lines: list[str]) -> int:
    r = read_page(page)
    md = o.report.metadata
    checked = 0
    for n, f in _by_number(page, o).items():
        s = f.location.span
        heading = next((x.heading for x in o.report.sections if s is not None and x.span == s), None)
        if s is not None and s == md.title_span:
            heading = md.title
        if heading is not None and n in r.mark_text:  # a title or heading, marked whole
            assert r.mark_text[n].strip() == heading.strip(), f.code
            checked += 1
        elif n in r.mark_text:
            if s is None or s.end_column is None or s.end_line not in (None, s.line):
                continue
            if f.code == "S007":  # the rule points at the paragraph; the page marks the sentence quoted
                assert r.mark_text[n] == f.evidence.quote or f.evidence.quote in r.mark_text[n]
            else:
                assert r.mark_text[n] == lines[s.line - 1][s.column - 1 : s.end_column], (f.code, s)
            checked += 1
    return checked


@pytest.mark.parametrize("path", [ALTERED, EXAMPLE], ids=lambda p: p.name)
def test_text_marks_are_the_characters_the_rule_names(path):
    o = _outcome(path)
    assert _text_marks_match_the_source(o, render_html_page(o), _source_lines(path)) >= 1


def test_a_draft_shows_every_kind_of_mark(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    o = check_path(draft, Config(root=tmp_path))
    page = render_html_page(o)
    r = read_page(page)
    codes = {f.code for f in o.findings}
    assert {"C001", "D006", "M001", "S003", "S001"} <= codes
    assert _text_marks_match_the_source(o, page, DRAFT.split("\n")) >= 4
    numbered = _by_number(page, o)
    mark = {f.code: r.mark_text.get(n, "") for n, f in numbered.items()}
    assert mark["C001"] == "《中国人民共和国政府信息公开条例》"
    assert mark["D006"] == "20241月1日"
    # the missing section 三 stands as a ghost heading between 二 and 四
    ghost = page.index('class="doc-heading ghost"')
    assert page.index("二、主动公开政府信息") < ghost < page.index("四、政府信息公开行政复议")
    assert "三、收到和处理政府信息公开申请情况" in page[ghost : ghost + 400]
    # suggested fixes are shown with the finding
    for n, f in numbered.items():
        if f.fix is not None:
            entry = page[page.index(f'<li id="f-{n}"') : page.index("</li>", page.index(f'<li id="f-{n}"'))]
            assert f"<del>{f.fix.old}</del> → <ins>{f.fix.new}</ins>" in entry


def test_findings_without_a_place_are_marked_at_the_head_of_the_report():
    o = check_text(DRAFT.replace("本报告统计期限为20241月1日至12月31日。\n", ""), Config(root=ROOT))
    page = render_html_page(o)
    r = read_page(page)
    head = page[page.index('id="b-whole"') :]
    for n, f in _by_number(page, o).items():
        if f.code == "D002":
            assert r.anchor_in[n][0] == "li" and f'id="m-{n}"' in head[: head.index("</section>")]


def test_the_page_says_how_to_fix_and_on_what_basis(packs):
    o = _outcome(EXAMPLE)
    page = render_html_page(o)
    for f in o.findings:
        spec = packs.catalogue.get(f.code)
        assert spec.doc.fix.replace("'", "&#x27;") in page or spec.doc.fix in page.replace("&quot;", '"')
        assert f.citation in page
        assert spec.doc.fix_zh and spec.doc.fix_zh in page  # in Chinese first


# ---------------------------------------------------------------- the command line's pages


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_cli_page_for_one_file_is_the_api_page(capsys, path):
    o = _outcome(path)
    page = _cli_page(capsys, path)
    assert page == render_html_page(o)
    tables = {t: len(re.findall(r'<tr id="r-\d+-\d+" data-row', page)) for t in re.findall(r'data-table="(\w+)"', page)}
    assert set(tables) == {"table2", "table3", "table4"}


def test_cli_pages_for_a_directory_are_the_api_pages(capsys, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for p in REPORTS:
        shutil.copy(p, reports / p.name)
    out = tmp_path / "pages"
    code = main(["check", str(reports), "--isolated", "--no-cache", "--format", "html", "--output-dir", str(out)])
    capsys.readouterr()
    assert code == 1
    for p in REPORTS:
        page = (out / f"{p.stem}.html").read_text(encoding="utf-8")
        assert page == render_html_page(check_path(reports / p.name, Config(root=ROOT)))


def test_cli_writes_one_page_per_report(tmp_path, capsys):
    out = tmp_path / "pages"
    code = main(["check", str(ALTERED), str(EXAMPLE), "--isolated", "--format", "html", "--output-dir", str(out)])
    capsys.readouterr()
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["jinjiang-minzheng-2022.html", "shanghai-2019-altered.html"]
    code = main(["check", str(ALTERED), str(EXAMPLE), "--isolated", "--format", "html"])
    _, err = capsys.readouterr()
    assert code == 2 and "--output-dir" in err


# ---------------------------------------------------------------- every real report of the corpus


def _tuned_texts() -> list[Path]:
    with (CORPUS / "index.tsv").open(encoding="utf-8") as fh:
        return [TEXTS / r["file"] for r in csv.DictReader(fh, delimiter="\t") if r["split"] == "tuned"]


def test_every_report_of_the_corpus_gets_a_page_with_every_finding_marked_once():
    """Over the tuned texts and every saved page: one mark per finding, in list order, each text
    mark inside the text it stands in."""
    paths = _tuned_texts() + sorted(PAGES.glob("*.html"))
    assert len(paths) > 250
    for p in paths:
        o = check_path(p, Config(root=ROOT))
        page = render_html_page(o)
        r = read_page(page)
        assert r.anchor_order == list(range(1, len(o.findings) + 1)), p.name
        assert r.external == [] and r.scripts == 0, p.name


def test_severity_colours_are_distinct():
    assert len(set(HIGHLIGHT_COLOURS.values())) == 3
