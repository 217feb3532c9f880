"""``opengov-lint fix FILE -o FIXED``: a corrected copy of a text, HTML or DOCX draft. Tested by
checking the copy: the fixed findings are gone and no other finding changed; the input is never
modified; a DOCX keeps its formatting (the runs change, not the document)."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from conftest import CORPUS, EXAMPLE, PAGES, TEXTS, shared_file

from opengov_lint.checker import Checker, check_path
from opengov_lint.cli import main
from opengov_lint.config import Config
from opengov_lint.fixer import FixResult, apply_fixes, docx_blocks, fix_bytes

DRAFT = """某某县民政局关于2024年度政府信息公开情况的报告

本报告统计期限为20241月1日至12月31日。

一、总体情况
2024年，我局严格按照《中国人民共和国政府信息公开条例》要求，认真做好政府信息公开工作。
二、主动公开政府信息
全年主动公开政府信息120条。
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
本年度未收取信息处理费。

某某县民政局
2025年1月20日
"""
FIXED_CODES = {"C001", "D006", "M001", "S003"}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _same_but_fixed(before, after, applied) -> None:
    """The copy's findings are the original's less those fixed (by fingerprint)."""
    gone = {f.fingerprint for f in applied}
    assert gone <= {f.fingerprint for f in before.findings}
    assert {f.fingerprint for f in after.findings} == {f.fingerprint for f in before.findings} - gone


def test_fix_writes_a_corrected_copy_of_the_example(tmp_path, capsys):
    out = tmp_path / "fixed.txt"
    digest = _sha(EXAMPLE)
    assert main(["fix", str(EXAMPLE), "-o", str(out), "--isolated"]) == 0
    err = capsys.readouterr().err
    assert "applied 1 fix" in err and "C001" in err
    assert _sha(EXAMPLE) == digest  # the input is never modified
    before, after = check_path(EXAMPLE), check_path(out)
    assert "C001" in {f.code for f in before.findings} and "C001" not in {f.code for f in after.findings}
    assert {(f.code, f.fingerprint) for f in after.findings} == {
        (f.code, f.fingerprint) for f in before.findings if f.code != "C001"
    }
    # only the misnamed words changed, nothing else of the file
    a, b = EXAMPLE.read_text(encoding="utf-8"), out.read_text(encoding="utf-8")
    assert a.replace("《中国人民共和国政府信息公开条例》", "《中华人民共和国政府信息公开条例》") == b


def test_fix_applies_every_kind_of_safe_fix_and_changes_nothing_else(tmp_path):
    src = tmp_path / "draft.txt"
    src.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "draft.fixed.txt"
    assert main(["fix", str(src), "-o", str(out), "--isolated"]) == 0
    before, after = check_path(src), check_path(out)
    fixed = [f for f in before.findings if f.fix is not None]
    assert {f.code for f in fixed} == FIXED_CODES
    _same_but_fixed(before, after, fixed)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("某某县民政局2024年政府信息公开工作年度报告\n")
    assert "统计期限为2024年1月1日至12月31日" in text and "《中华人民共和国政府信息公开条例》" in text
    assert "\n二、主动公开政府信息情况\n" in text


def test_fix_keeps_the_encoding_and_line_ends_of_a_text(tmp_path):
    src = tmp_path / "gbk.txt"
    src.write_bytes(DRAFT.replace("\n", "\r\n").encode("gb18030"))
    out = tmp_path / "gbk.fixed.txt"
    assert main(["fix", str(src), "-o", str(out), "--isolated"]) == 0
    data = out.read_bytes()
    assert data.count(b"\r\n") == src.read_bytes().count(b"\r\n")
    text = data.decode("gb18030")
    assert "《中华人民共和国政府信息公开条例》" in text and "\n" not in text.replace("\r\n", "")


def test_fix_never_overwrites_the_input(tmp_path, capsys):
    src = tmp_path / "draft.txt"
    src.write_text(DRAFT, encoding="utf-8")
    digest = _sha(src)
    assert main(["fix", str(src), "-o", str(src), "--isolated"]) == 2
    err = capsys.readouterr().err
    assert "never modified" in err and err.count("\n") == 1
    assert _sha(src) == digest


def test_fix_refuses_a_pdf_with_one_line(tmp_path, capsys):
    pdf = shared_file("pdf/hongze-2023.pdf")
    assert main(["fix", str(pdf), "-o", str(tmp_path / "x.pdf"), "--isolated"]) == 2
    err = capsys.readouterr().err
    assert "PDF cannot be corrected" in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某某县民政局2024年政府信息公开工作年度报告</title></head>
<body><div class="TRS_Editor">
<h1>某某县民政局2024年政府信息公开工作年度报告</h1>
<p>本报告统计期限为2024年1月1日至12月31日。</p>
<h2>一、总体情况</h2>
<p>2024年，我局严格按照<b>《中国人民共和国政府信息公开条例》</b>要求，认真做好政府信息公开工作。</p>
<h2>二、主动公开政府信息</h2>
<p>全年主动公开政府信息120条。</p>
<p>某某县民政局</p>
<p>2025年1月20日</p>
</div></body></html>
"""


def test_fix_corrects_an_html_page_outside_its_tags(tmp_path):
    src = tmp_path / "page.html"
    src.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "page.fixed.html"
    assert main(["fix", str(src), "-o", str(out), "--isolated"]) == 0
    before, after = check_path(src), check_path(out)
    fixed = [f for f in before.findings if f.fix is not None]
    assert {f.code for f in fixed} == {"C001", "S003"}
    _same_but_fixed(before, after, fixed)
    html = out.read_text(encoding="utf-8")
    assert "<b>《中华人民共和国政府信息公开条例》</b>" in html and "<h2>二、主动公开政府信息情况</h2>" in html
    assert html.replace("中华人民", "中国人民").replace("信息情况</h2>", "信息</h2>") == PAGE


def _fixed_page(page: str, checker: Checker) -> tuple[str, FixResult]:

    outcome = checker.check(page.encode("utf-8"), "page.html")  # bytes: read as the file page.html is
    result = apply_fixes(page.encode("utf-8"), "html", outcome.findings)
    return result.data.decode("utf-8"), result


def test_an_html_fix_is_skipped_when_the_text_stands_elsewhere_too(tmp_path):
    page = PAGE.replace("<p>全年主动", "<p>（依据《中国人民共和国政府信息公开条例》）</p><p>全年主动")
    checker = Checker()
    outcome, result = fix_bytes(page.encode("utf-8"), "page.html", checker)
    c001 = [f for f in outcome.findings if f.code == "C001"]
    assert len(c001) == 2 and {f.code for f in result.applied} >= {"C001"}  # both occurrences are findings: both fixed
    # a title repeated in page chrome above the report is not touched, and the title read is fixed only where read
    chrome = PAGE.replace(
        '<div class="TRS_Editor">', '<p>首页 &gt; 关于2024年度政府信息公开情况的报告</p>\n<div class="TRS_Editor">'
    ).replace("<h1>某某县民政局2024年政府信息公开工作年度报告</h1>", "<h1>关于2024年度政府信息公开情况的报告</h1>")
    fixed, result = _fixed_page(chrome, checker)
    assert "<p>首页 &gt; 关于2024年度政府信息公开情况的报告</p>" in fixed  # the chrome is not touched
    m001 = [f for f in result.applied if f.code == "M001"]
    # the agency is read from the signature (某某县民政局): the title read, and only it, gets the agency's title
    assert len(m001) == 1 and "<h1>某某县民政局2024年政府信息公开工作年度报告</h1>" in fixed


# ---------------------------------------------------------------- DOCX: the runs change, not the document


def _draft_docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某某县民政局2024年政府信息公开工作年度报告")
    d.add_paragraph("本报告统计期限为2024年1月1日至12月31日。")
    d.add_paragraph("一、总体情况")
    p = d.add_paragraph()
    p.add_run("2024年，我局严格按照《中国人民")
    bold = p.add_run("共和国政府信息公开条例》")
    bold.bold = True
    p.add_run("要求，认真做好政府信息公开工作。")
    h = d.add_paragraph()
    h.add_run("二、").italic = True
    h.add_run("主动公开政府信息")
    d.add_paragraph("全年主动公开政府信息120条。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "信息内容", "本年制发件数"
    t.cell(1, 0).text, t.cell(1, 1).text = "规章", "3"
    d.add_paragraph("某某县民政局")
    d.add_paragraph("2025年1月20日")
    d.save(str(path))


def test_fix_corrects_a_docx_in_its_runs_and_keeps_their_formatting(tmp_path):
    docx = pytest.importorskip("docx")
    src = tmp_path / "draft.docx"
    _draft_docx(src)
    out = tmp_path / "draft.fixed.docx"
    digest = _sha(src)
    assert main(["fix", str(src), "-o", str(out), "--isolated"]) == 0
    assert _sha(src) == digest
    before, after = check_path(src), check_path(out)
    fixed = [f for f in before.findings if f.fix is not None]
    assert {f.code for f in fixed} == {"C001", "S003"}
    _same_but_fixed(before, after, fixed)
    a, b = docx.Document(str(src)), docx.Document(str(out))
    assert len(a.paragraphs) == len(b.paragraphs) and len(b.tables) == 1
    runs_a = [[(r.text, r.bold, r.italic) for r in p.runs] for p in a.paragraphs]
    runs_b = [[(r.text, r.bold, r.italic) for r in p.runs] for p in b.paragraphs]
    assert runs_b[3] == [
        ("2024年，我局严格按照《中华人民", None, None),
        ("共和国政府信息公开条例》", True, None),
        ("要求，认真做好政府信息公开工作。", None, None),
    ]
    assert runs_b[4] == [("二、", None, True), ("主动公开政府信息情况", None, None)]
    assert [r for i, r in enumerate(runs_a) if i not in (3, 4)] == [r for i, r in enumerate(runs_b) if i not in (3, 4)]
    assert [c.text for row in b.tables[0].rows for c in row.cells] == ["信息内容", "本年制发件数", "规章", "3"]


def test_docx_blocks_count_lines_as_the_reader_does(tmp_path):
    docx = pytest.importorskip("docx")
    from opengov_lint.parsers.docx import docx_to_lines

    src = tmp_path / "draft.docx"
    _draft_docx(src)
    d = docx.Document(str(src))
    lines, blocks = docx_to_lines(d), docx_blocks(d)
    assert len(lines) == len(blocks)
    for line, block in zip(lines, blocks):
        if block is not None:
            assert (
                "".join(
                    t.text or "" for t in block.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
                ).strip()
                == line
            )


def test_docx_of_the_shared_template_is_read_back_unchanged_without_fixes(tmp_path):
    template = shared_file("docx/blank-template-2021.docx")
    outcome, result = fix_bytes(template.read_bytes(), template.name, Checker())
    again = Checker().read_file_bytes(result.data, template.name)
    assert again == outcome.report or {f.fingerprint for f in outcome.findings} == {
        f.fingerprint for f in Checker().complete(template.name, Checker().lint_alone(again, template.name)).findings
    }


# ---------------------------------------------------------------- every report of the corpus


def _tuned_texts() -> list[Path]:
    with (CORPUS / "index.tsv").open(encoding="utf-8") as fh:
        return [TEXTS / r["file"] for r in csv.DictReader(fh, delimiter="\t") if r["split"] == "tuned"]


def test_fixing_the_corpus_removes_the_fixed_findings_and_changes_no_other():
    """Every tuned text and saved page with a safe fix, fixed and checked again."""
    checker = Checker.from_config(Config())
    fixed_reports = applied = 0
    for p in _tuned_texts() + sorted(PAGES.glob("*.html")):
        outcome, result = fix_bytes(p.read_bytes(), p.name, checker)
        for f in outcome.findings:
            if f.fix is not None:
                assert f.location.table is None and f.fix.old != f.fix.new, (p.name, f.code)  # never a number in a table
        if not result.applied:
            continue
        fixed_reports += 1
        applied += len(result.applied)
        again = checker.complete(p.name, checker.lint_alone(checker.read_file_bytes(result.data, p.name), p.name))
        _same_but_fixed(outcome, again, result.applied)
    assert fixed_reports >= 20 and applied >= 30


def test_apply_fixes_refuses_formats_it_cannot_write():
    from opengov_lint.errors import InputError

    with pytest.raises(InputError, match="PDF cannot be corrected"):
        apply_fixes(b"%PDF-1.4", "pdf", ())
    with pytest.raises(InputError, match="JSON"):
        apply_fixes(io.BytesIO(b"{}").read(), "json", ())
