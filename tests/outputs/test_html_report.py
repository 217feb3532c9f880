"""``--format html``: one self-contained page per report, tables as published, every cell a
finding points at highlighted. The pages the command line writes (for one file, and for the
reports of a directory) are the pages of the Python API; they are checked in a real headless
browser (Debian's chromium, installed by .ci/run) down to the pixels of a screenshot."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from opengov_lint.checker import ReportOutcome, check_path, check_paths
from opengov_lint.cli import main
from opengov_lint.config import Config
from opengov_lint.outputs.html import HIGHLIGHT_COLOURS, render_html_page

ROOT = Path(__file__).resolve().parents[2]
ALTERED = ROOT / "tests" / "data" / "integration" / "shanghai-2019-altered.txt"
EXAMPLE = ROOT / "examples" / "jinjiang-minzheng-2022.txt"
# ALTERED breaks identities of table 三 (red cells); the example's tables 二 and 三 follow an old
# layout (T002: the whole table is outlined, no cell is red)
REPORTS = [ALTERED, EXAMPLE]
WIDTH, HEIGHT = 1400, 4000


def _outcome(path: Path = ALTERED) -> ReportOutcome:
    return check_paths([path], Config(root=ROOT))[0]


def _cli_page(capsys, path: Path) -> str:
    """The page ``opengov-lint check PATH --format html`` writes."""
    code = main(["check", str(path), "--isolated", "--format", "html"])
    out, _ = capsys.readouterr()
    assert code == 1
    return out


def _expected(outcome) -> dict[str, str]:
    """data-span → severity, from the findings alone: the cell of each finding's location and
    the cells (or rows, by their label) its evidence is about; the worst severity wins."""
    rank = {"error": 3, "warning": 2, "info": 1}
    out: dict[str, str] = {}
    for f in outcome.findings:
        spans = [t.span for t in f.evidence.cells]
        if f.location.row and f.location.column:
            spans.append(f.location.span)
        for s in spans:
            key = f"{s.line}:{s.column}"
            if key not in out or rank[f.severity.value] > rank[out[key]]:
                out[key] = f.severity.value
    return out


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells: dict[str, dict[str, str]] = {}
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("td", "th") and "data-span" in a:
            self.cells[a["data-span"]] = a
        for k in ("src", "href"):
            if a.get(k) and not a[k].startswith("#"):
                self.external.append(a[k])
        if tag in ("script", "link", "img", "iframe", "object"):
            self.external.append(tag)


def test_page_is_self_contained_and_marks_the_named_cells():
    o = _outcome()
    page = render_html_page(o)
    p = _Cells()
    p.feed(page)
    assert p.external == []  # no script, stylesheet, image or link leaving the page
    hit = {k: re.search(r"sev-(\w+)", a["class"]).group(1) for k, a in p.cells.items() if "hit" in a["class"].split()}
    assert hit == _expected(o)
    assert hit["71:9"] == "error" and hit["71:34"] == "error"  # （七）总计/自然人 and （七）总计/总计
    assert len(p.cells) > 100 and len(hit) < len(p.cells)
    # the findings are listed beside the tables, with their codes and citations
    for f in o.findings:
        assert f'data-fingerprint="{f.fingerprint}"' in page
    assert "国办公开办函〔2021〕30号" in page and "776" in page


def _table_rows(page: str) -> dict[str, int]:
    """Rows shown per table of a page."""
    return {t: len(re.findall(rf'<tr id="r-{t}-', page)) for t in re.findall(r'data-table="(\w+)"', page)}


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_cli_page_for_one_file_is_the_api_page(capsys, path):
    o = _outcome(path)
    page = _cli_page(capsys, path)
    assert page == render_html_page(o)
    # every table of the report, every row of it, and the cells the findings name marked
    assert _table_rows(page) == {t.key: len(t.rows) for t in o.report.tables}
    assert set(_table_rows(page)) == {"table2", "table3", "table4"} and _table_rows(page)["table3"] >= 20
    p = _Cells()
    p.feed(page)
    hit = {k: re.search(r"sev-(\w+)", a["class"]).group(1) for k, a in p.cells.items() if "hit" in a["class"].split()}
    assert hit == _expected(o)
    outlined = set(re.findall(r'class="report-table table-hit sev-\w+" data-table="(\w+)"', page))
    assert outlined == {f.location.table for f in o.findings if f.location.table and not f.location.row and not f.evidence.cells}
    if path == ALTERED:
        assert {hit["71:9"], hit["71:34"]} == {"error"}  # （七）总计/自然人 and （七）总计/总计
    else:
        assert outlined == {"table2", "table3"}


def test_cli_pages_for_a_directory_are_the_api_pages(capsys, tmp_path):
    """Reports found in a directory are spooled with their whole model: their pages are the pages
    of the API too."""
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
        assert set(_table_rows(page)) == {"table2", "table3", "table4"}


def test_cli_writes_one_page_per_report(tmp_path, capsys):
    out = tmp_path / "pages"
    code = main(
        [
            "check",
            str(ALTERED),
            str(ROOT / "examples" / "jinjiang-minzheng-2022.txt"),
            "--isolated",
            "--format",
            "html",
            "--output-dir",
            str(out),
        ]
    )
    capsys.readouterr()
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["jinjiang-minzheng-2022.html", "shanghai-2019-altered.html"]
    code = main(["check", str(ALTERED), str(ROOT / "examples" / "jinjiang-minzheng-2022.txt"), "--isolated", "--format", "html"])
    _, err = capsys.readouterr()
    assert code == 2 and "--output-dir" in err


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return exe


def _browser(exe: str, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WIDTH},{HEIGHT}",
        "--no-first-run",
        "--disable-extensions",
    ]
    return subprocess.run(
        [exe, *flags, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": os.environ.get("HOME", "/tmp")},
    )


GEOMETRY = """<script>
const out = {};
for (const td of document.querySelectorAll('td[data-span], th[data-span]')) {
  const r = td.getBoundingClientRect();
  out[td.dataset.span] = [r.left, r.top, r.width, r.height];
}
out['__height'] = document.documentElement.scrollHeight;
out['__rows'] = {};
for (const t of document.querySelectorAll('table[data-table]')) {
  out['__rows'][t.dataset.table] = [...t.querySelectorAll('tr[id]')].filter(tr => tr.getBoundingClientRect().height > 8).length;
}
document.title = 'GEOMETRY' + JSON.stringify(out);
</script>"""


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_screenshot_of_the_cli_page_highlights_exactly_the_named_cells(tmp_path, capsys, path):
    from PIL import Image

    exe = _chromium()
    o = _outcome(path)
    page = _cli_page(capsys, path)
    shown = tmp_path / "report.html"
    shown.write_text(page, encoding="utf-8")
    # 1. where every cell is, measured by the browser on a copy of the page with a measuring script
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", GEOMETRY + "</body>"), encoding="utf-8")
    dom = _browser(exe, "--dump-dom", probe.as_uri())
    m = re.search(r"<title>GEOMETRY(.*?)</title>", dom.stdout, re.S)
    assert m, dom.stderr[-2000:]
    geometry = json.loads(m.group(1).replace("&amp;", "&").replace("&quot;", '"'))
    assert geometry.pop("__height") < HEIGHT  # the whole page is in the screenshot
    # tables 二, 三 and 四 are drawn, each with every row of the report
    assert geometry.pop("__rows") == {t.key: len(t.rows) for t in o.report.tables}
    assert {t.key for t in o.report.tables} == {"table2", "table3", "table4"}
    # 2. what the page looks like, unmodified
    shot = tmp_path / "shot.png"
    _browser(exe, f"--screenshot={shot}", shown.as_uri())
    assert shot.is_file()
    img = Image.open(shot).convert("RGB")
    assert img.size == (WIDTH, HEIGHT)
    colours = {sev: _rgb(c) for sev, c in HIGHLIGHT_COLOURS.items()}
    white, label_grey = (255, 255, 255), (242, 242, 242)

    def close(a, b):
        return all(abs(x - y) <= 6 for x, y in zip(a, b))

    seen: dict[str, str] = {}
    for span, (left, top, w, h) in geometry.items():
        assert w > 8 and h > 8
        px = img.getpixel((int(left) + 3, int(top) + 3))  # inside the cell's padding, away from its text
        match = [sev for sev, c in colours.items() if close(px, c)]
        if match:
            seen[span] = match[0]
        else:
            assert close(px, white) or close(px, label_grey), f"cell {span}: unexpected colour {px}"
    assert seen == _expected(o)
    assert ("error" in seen.values()) == (path == ALTERED)  # the broken identities are red
    assert len(geometry) > 100 and len(seen) < len(geometry)
