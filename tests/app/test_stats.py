"""``opengov-lint stats``: tables, JSON, CSV and a self-contained HTML page."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _reports import BASE, next_year, write

from opengov_lint.cli import main


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    write(d, "a-2023.txt", BASE)  # department, 2023, warnings only
    write(d, "a-2024.txt", next_year(carried=1, new=25, fresh_text=True))  # 2024, T105 warnings
    write(
        d,
        "b-2024.txt",
        next_year(agency="沭阳县某某镇人民政府", fresh_text=True).replace(
            "中华人民共和国政府信息公开条例", "中国人民共和国政府信息公开条例"
        ),
    )  # township, C001 error
    write(d, "broken.json", '{"metadata": {"title": ')  # a damaged report model: X005
    write(d, "package.json", '{"name": "reports"}')  # no report at all: not read
    return d


def stats(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["stats", *argv, "--no-cache"])
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json_counts(capsys, batch_dir: Path) -> None:
    code, out, _ = stats(capsys, str(batch_dir), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    s = doc["summary"]
    assert s["reports"] == 4 and s["unreadable"] == 1 and s["paired_with_previous_year"] == 1
    assert s["reports_with_errors"] == 2  # b-2024 (C001) and broken.json (X005)
    assert s["error_share"] == 0.5
    by_code = {r["code"]: r for r in doc["by_code"]}
    assert by_code["T105"]["findings"] == 2 and by_code["T105"]["reports"] == 1
    assert by_code["C001"]["reports"] == 1 and by_code["X005"]["reports"] == 1
    assert by_code["M001"]["reports"] == 3 and by_code["M001"]["report_share"] == 0.75
    kinds = {r["key"]: r for r in doc["by_agency_kind"]}
    assert kinds["department"]["reports"] == 2 and kinds["department"]["reports_with_errors"] == 0
    assert kinds["township"]["reports"] == 1 and kinds["township"]["error_share"] == 1.0
    years = {r["key"]: r for r in doc["by_year"]}
    assert years["2023"]["reports"] == 1 and years["2024"]["reports"] == 2 and years["未识别"]["reports"] == 1
    assert sum(r["findings"] for r in doc["by_year"]) == s["findings"]


def test_stats_table_and_csv_agree_with_json(capsys, batch_dir: Path) -> None:
    _, out, _ = stats(capsys, str(batch_dir))
    assert "按规则 / by code" in out and "按机关类型 / by agency kind" in out and "按年度 / by year" in out
    assert re.search(r"有错误的报告 reports with errors\s+2 \(50\.0%\)", out)
    _, out, _ = stats(capsys, str(batch_dir), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    summary = [r for r in rows if r["table"] == "summary"][0]
    assert summary["reports"] == "4" and summary["reports_with_errors"] == "2"
    t105 = [r for r in rows if r["table"] == "by_code" and r["key"] == "T105"][0]
    assert t105["findings"] == "2" and t105["warnings"] == "2" and t105["severity"] == "warning"
    assert {r["key"] for r in rows if r["table"] == "by_year"} == {"2023", "2024", "未识别"}


def test_stats_html_is_self_contained(capsys, batch_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "stats.html"
    stats(capsys, str(batch_dir), "--html", str(page))
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 3 and text.count('class="bar"') >= 3
    # no script, no stylesheet or image fetched from anywhere
    assert "<script" not in text
    assert not re.search(r"(src|href)\s*=", text)
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"] * 3
    assert 'id="by-code"' in text and 'id="by-kind"' in text and 'id="by-year"' in text


def test_stats_html_unwritable_is_an_input_error(capsys, batch_dir: Path, tmp_path: Path) -> None:
    code, _, err = stats(capsys, str(batch_dir), "--html", str(tmp_path / "no" / "such" / "dir" / "x.html"))
    assert code == 2 and err.startswith("opengov-lint: error:") and err.count("\n") == 1


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        p = shutil.which(name)
        if p:
            return p
    return None


@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine (Debian: apt-get install chromium)")
def test_stats_html_renders_in_headless_chromium(capsys, batch_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "stats.html"
    stats(capsys, str(batch_dir), "--html", str(page))
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    dom = subprocess.run([_chromium(), *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=90, env=env)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    # the browser parsed the page as meant: three SVG charts inside the body, bars inside them
    assert html.count("<svg") == 3
    for chart in re.findall(r"<svg[^>]*>.*?</svg>", html, flags=re.S):
        assert "<rect" in chart
    assert "T105 carry-over" in html and "乡镇街道" in html
    shot = tmp_path / "shot.png"
    r = subprocess.run(
        [_chromium(), *flags, f"--screenshot={shot}", "--window-size=900,1400", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )
    assert r.returncode == 0 and shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
