"""``opengov-lint serve`` used as a clerk uses it, in a real headless Chromium (Debian's
``/usr/bin/chromium``, driven over the DevTools protocol on a pipe: tests/browser.py): the server
runs on a free loopback port, the bundled example and a real PDF are uploaded through the file
input, and the page is checked where a person looks — each finding's mark on the right
characters, heading, cell or table; a click on a finding scrolls its mark into view and outlines
it; "apply to a copy" downloads the corrected file; Ctrl+P gives A4 pages. Screenshots are kept
in tests/artefacts/ (ignored by git). Skipped, with the reason, where Chromium is not installed;
every browser call is bounded in time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from _reports import BASE, next_year
from _server import running_server
from browser import Browser, find_chromium
from conftest import EXAMPLE, ROOT, SHARED

from opengov_lint.checker import Checker, ReportOutcome
from opengov_lint.config import Config
from opengov_lint.outputs.html import HIGHLIGHT_COLOURS

ARTEFACTS = ROOT / "tests" / "artefacts"
ALTERED = ROOT / "tests" / "data" / "integration" / "shanghai-2019-altered.txt"
COLOURS = """[...document.querySelectorAll('td.hit, th.hit, mark.hit')].map(e =>
  [[...e.classList].find(c => c.startsWith('sev-')).slice(4), getComputedStyle(e).backgroundColor, e.tagName])"""
WIDTH, HEIGHT = 1400, 1000

MARKS = """(() => {
  const out = {};
  for (const li of document.querySelectorAll('li.finding')) {
    const n = li.id.slice(2);
    const a = document.getElementById('m-' + n);
    if (!a) { out[n] = null; continue; }
    let text = '';
    for (const m of document.querySelectorAll('mark[data-findings]')) {
      if (m.dataset.findings.split(' ').includes(n)) text += m.textContent;
    }
    const cell = a.closest('td'), heading = a.closest('h1, h2'), row = a.closest('th');
    out[n] = {
      code: li.dataset.code, fingerprint: li.dataset.fingerprint,
      cell: cell ? cell.dataset.span : null, row: row ? row.dataset.span : null,
      heading: heading ? [...heading.childNodes].filter(x => !(x.classList && (x.classList.contains('ref') || x.classList.contains('ghost-note')))).map(x => x.textContent).join('') : null,
      table: a.closest('figcaption') ? a.closest('figure').querySelector('table').dataset.table : null,
      head: !!a.closest('#b-whole'), text,
    };
  }
  return out;
})()"""


@pytest.fixture(scope="module")
def browser():
    exe = find_chromium()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium): the browser tests drive a real browser")
    with Browser.launch(exe, width=WIDTH, height=HEIGHT, timeout=60) as b:
        yield b


@pytest.fixture(scope="module")
def base():
    with running_server(config=Config(root=ROOT)) as url:
        yield url


def _real_pdf(tmp_path: Path) -> Path:
    shared = sorted((SHARED / "pdf").glob("*.pdf")) if (SHARED / "pdf").is_dir() else []
    if shared:
        return shared[0]
    pytest.importorskip("reportlab")
    from opengov_lint.generate.render import render_pdf
    from opengov_lint.parsers import parse

    out = tmp_path / "generated-report.pdf"
    render_pdf(parse(EXAMPLE), out)
    return out


def _upload(b: Browser, base: str, path: Path, previous: Path | None = None) -> None:
    b.goto(base + "/")
    b.set_files("input[name=file]", [path])
    if previous is not None:
        b.set_files("input[name=previous]", [previous])
    b.click("#upload button[type=submit]", wait_load=True)


def _outcome(path: Path, previous: Path | None = None) -> ReportOutcome:
    checker = Checker.from_config(Config(root=ROOT))
    prev = checker.read_file_bytes(previous.read_bytes(), previous.name) if previous else None
    report = checker.read_file_bytes(path.read_bytes(), path.name)
    return checker.complete(
        path.name, checker.lint_alone(report, path.name), previous=prev, previous_name=previous.name if previous else None
    )


def _check_marks(b: Browser, o: ReportOutcome, source_lines: list[str] | None) -> dict[str, int]:
    """Every finding's mark where the finding says it is; returns how many of each kind were seen."""
    marks = b.eval(MARKS)
    assert len(marks) == len(o.findings) and all(marks.values())
    by_fp = {f.fingerprint: f for f in o.findings}
    keyed = {(t.key, r.key, c.column) for t in o.report.tables for r in t.rows for c in r.cells}
    headings = {(s.span.line, s.span.column): s.heading for s in o.report.sections if s.span}
    md = o.report.metadata
    seen = {"cell": 0, "row": 0, "table": 0, "heading": 0, "text": 0, "head": 0}
    for m in marks.values():
        f = by_fp[m["fingerprint"]]
        loc, span = f.location, f.location.span
        if loc.row and loc.column and (loc.table, loc.row, loc.column) in keyed:
            assert m["cell"] == f"{span.line}:{span.column}", (f.code, loc.path)
            seen["cell"] += 1
        elif loc.table and not loc.row and not f.evidence.cells and any(t.key == loc.table for t in o.report.tables):
            assert m["table"] == loc.table, f.code
            seen["table"] += 1
        elif span is None:
            assert m["head"] or m["heading"] is not None, f.code  # the head of the report, or a ghost heading (S001)
            seen["head"] += 1
        elif (span.line, span.column) in headings and m["heading"] is not None:
            assert m["heading"].strip() == headings[(span.line, span.column)].strip(), f.code
            seen["heading"] += 1
        elif md.title_span == span and m["heading"] is not None:
            assert m["heading"].strip() == md.title.strip(), f.code
            seen["heading"] += 1
        elif m["text"]:
            if source_lines is not None and span.end_column is not None and span.end_line in (None, span.line):
                assert m["text"] == source_lines[span.line - 1][span.column - 1 : span.end_column], (f.code, span)
            seen["text"] += 1
        elif m["row"]:
            seen["row"] += 1
    return seen


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


def _check_colours(b: Browser) -> set[str]:
    """Every marked cell, row label and text shows the colour of its severity; the tags seen."""
    seen = b.eval(COLOURS)
    assert seen
    for sev, bg, tag in seen:
        assert bg == _rgb(HIGHLIGHT_COLOURS[sev]), (tag, sev, bg)
    return {tag for _, _, tag in seen}


def _click_each_finding(b: Browser, count: int, shots: str, limit: int = 12) -> None:
    """A real click on each finding in the list scrolls its mark into view and outlines it."""
    for n in range(1, min(count, limit) + 1):
        b.click(f"li#f-{n} a.goto")
        time.sleep(0.15)
        assert b.eval("location.hash") == f"#m-{n}"
        box = b.box(f"#m-{n}")
        assert 0 <= box["top"] <= HEIGHT - 10, (n, box)
        outline = b.eval(
            f"(() => {{ const a = document.getElementById('m-{n}'); const h = a.closest('mark, td, th, h1, h2, li, figcaption');"
            " const e = h.tagName === 'FIGCAPTION' ? h.closest('figure').querySelector('table') : h;"
            " return getComputedStyle(e).outlineStyle; })()"
        )
        assert outline == "solid", n
        if n <= 3:
            b.screenshot(ARTEFACTS / f"{shots}-finding-{n}.png")


def test_the_example_uploaded_in_a_browser_is_marked_in_place(browser, base):
    _upload(browser, base, EXAMPLE)
    assert browser.eval("document.querySelectorAll('li.finding').length") > 0
    browser.screenshot(ARTEFACTS / "serve-example.png")
    browser.screenshot(ARTEFACTS / "serve-example-full.png", full_page=True)
    o = _outcome(EXAMPLE)
    seen = _check_marks(browser, o, EXAMPLE.read_text(encoding="utf-8").split("\n"))
    assert seen["text"] >= 2 and seen["table"] == 2 and seen["heading"] >= 1  # C001, W001; T002 ×2; S006
    assert "MARK" in _check_colours(browser)
    _click_each_finding(browser, len(o.findings), "serve-example")


def test_a_report_with_wrong_sums_shows_its_cells_in_colour(browser, base):
    _upload(browser, base, ALTERED)
    o = _outcome(ALTERED)
    seen = _check_marks(browser, o, ALTERED.read_text(encoding="utf-8").split("\n"))
    assert seen["cell"] >= 3
    assert "TD" in _check_colours(browser)
    browser.eval("document.querySelector('td.hit.sev-error').scrollIntoView({block: 'center'})")
    browser.screenshot(ARTEFACTS / "serve-wrong-sums.png")
    _click_each_finding(browser, len(o.findings), "serve-wrong-sums", limit=6)


def test_a_real_pdf_uploaded_in_a_browser_is_marked_in_place(browser, base, tmp_path):
    pdf = _real_pdf(tmp_path)
    _upload(browser, base, pdf)
    browser.screenshot(ARTEFACTS / "serve-pdf.png")
    o = _outcome(pdf)
    assert o.findings
    seen = _check_marks(browser, o, None)
    assert sum(seen.values()) == len(o.findings)
    assert seen["cell"] + seen["table"] + seen["row"] >= 1  # its tables are shown, and marked
    assert browser.eval("document.querySelectorAll('table.report-table').length") == len(o.report.tables) >= 2
    _click_each_finding(browser, len(o.findings), "serve-pdf")


def test_apply_to_a_copy_downloads_the_corrected_file(browser, base, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.send("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
    _upload(browser, base, EXAMPLE)
    browser.screenshot(ARTEFACTS / "serve-fix-button.png")
    browser.click('li.finding[data-code="C001"] button.fix-one')
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(downloads.glob("*.txt")):
        time.sleep(0.2)
    (fixed,) = list(downloads.glob("*.txt"))
    assert fixed.name == "jinjiang-minzheng-2022.fixed.txt"
    text = fixed.read_text(encoding="utf-8")
    assert text == EXAMPLE.read_text(encoding="utf-8").replace("《中国人民共和国", "《中华人民共和国")


def test_printing_gives_a4_pages_with_the_findings_first(browser, base):
    pdfplumber = pytest.importorskip("pdfplumber")
    import io

    _upload(browser, base, EXAMPLE)
    data = browser.print_pdf()
    (ARTEFACTS / "serve-example-print.pdf").write_bytes(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert abs(page.width - 595.3) < 2 and abs(page.height - 841.9) < 2  # A4 in points
        first = pdf.pages[0].extract_text() or ""
    assert "findings" in first and "C001" in first
    assert "检查另一份报告" not in first and "download" not in first  # no form or buttons on paper


def test_last_years_report_in_a_browser_shows_both_values(browser, base, tmp_path):
    this_year = tmp_path / "2024.txt"
    this_year.write_text(next_year(carried=5), encoding="utf-8")
    last_year = tmp_path / "2023.txt"
    last_year.write_text(BASE, encoding="utf-8")
    _upload(browser, base, this_year, previous=last_year)
    rows = browser.eval(
        "[...document.querySelectorAll('#crossyear tbody tr')].map(tr => [...tr.children].map(td => td.textContent.trim()))"
    )
    assert any(r[1] == "自然人" and r[2] == "0" and r[4] == "5" for r in rows)
    browser.eval("document.getElementById('crossyear').scrollIntoView()")
    browser.screenshot(ARTEFACTS / "serve-crossyear.png")


def test_pasted_text_is_checked_in_a_browser(browser, base):
    browser.goto(base + "/")
    text = EXAMPLE.read_text(encoding="utf-8")
    import json

    browser.eval(f"document.querySelector('textarea[name=text]').value = {json.dumps(text)}")
    browser.click("#upload button[type=submit]", wait_load=True)
    assert browser.eval("document.querySelector('li.finding[data-code=\"C001\"]') !== null")
