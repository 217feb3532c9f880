"""``opengov-lint serve`` over HTTP: the upload page, the annotated report with its downloads and
fixes, last year's report beside this year's, and every input it cannot check answered with a
clear page (never a server error, never a traceback). It listens on 127.0.0.1 unless told
otherwise, answers only to its own names there, and keeps nothing."""

from __future__ import annotations

import base64
import io
import json
import re
import tempfile
import zipfile

import pytest
from _reports import BASE, next_year
from _server import multipart, post_files, request, running_server
from conftest import EXAMPLE, ROOT

from opengov_lint.checker import Checker
from opengov_lint.cli import build_parser
from opengov_lint.config import Config
from opengov_lint.outputs.html import render_html_page
from opengov_lint.parsers import MAX_INPUT_BYTES
from opengov_lint.serve import DEFAULT_PORT, make_server


@pytest.fixture(scope="module")
def base():
    with running_server(config=Config(root=ROOT)) as url:
        yield url


def _data_uri(page: str, download_suffix: str) -> bytes:
    m = re.search(rf'download="[^"]*{re.escape(download_suffix)}" href="data:[^;]+;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', page)
    assert m, download_suffix
    return base64.b64decode(m.group(1))


def test_it_listens_on_loopback_unless_told_otherwise():
    server = make_server(port=0, quiet=True)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", DEFAULT_PORT)
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)


def test_the_upload_page_holds_everything_it_needs(base):
    r = request(base + "/")
    assert r.status == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert 'enctype="multipart/form-data"' in page and "name=file" in page and "name=previous" in page and "name=text" in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page) and "<link" not in page  # no asset from the network
    nonce = re.search(r"script-src 'nonce-([^']+)'", r.headers["content-security-policy"]).group(1)
    assert f'<script nonce="{nonce}">' in page
    assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"


def test_it_answers_only_to_its_own_name_on_loopback(base):
    r = request(base + "/", host="attacker.example")
    assert r.status == 421 and "127.0.0.1" in r.text
    assert request(base + "/", host="localhost:1234").status == 200


def test_checking_the_example_gives_the_annotated_page_and_its_downloads(base):
    r = post_files(base, file=EXAMPLE)
    assert r.status == 200
    page = r.text
    outcome = Checker.from_config(Config(root=ROOT)).check(EXAMPLE.read_bytes(), EXAMPLE.name)
    for f in outcome.findings:
        assert f'data-fingerprint="{f.fingerprint}"' in page
    # the findings as JSON and the page as HTML, carried by the page itself (the server keeps nothing)
    doc = json.loads(_data_uri(page, ".opengov-lint.json"))
    assert [f["fingerprint"] for f in doc["reports"][0]["findings"]] == [f.fingerprint for f in outcome.findings]
    static = _data_uri(page, ".opengov-lint.html").decode("utf-8")
    assert static == render_html_page(outcome)
    assert "<script" not in static
    # a safe fix: a button per finding, one for all
    c001 = next(f for f in outcome.findings if f.code == "C001")
    assert f'name=fingerprint value="{c001.fingerprint}"' in page and "name=fingerprint value=all" in page


def test_pasted_text_is_checked_like_a_file(base):
    body, ctype = multipart({"text": EXAMPLE.read_text(encoding="utf-8")})
    r = request(base + "/check", data=body, content_type=ctype)
    assert r.status == 200 and "C001" in r.text and "粘贴的文本" in r.text


def test_applying_a_fix_returns_the_corrected_copy(base):
    page = post_files(base, file=EXAMPLE).text
    original = re.search(r'name=original value="([^"]+)"', page).group(1)
    fp = re.search(r'name=fingerprint value="(\w+)" class="fix-one', page).group(1)
    body, ctype = multipart({"name": EXAMPLE.name, "original": original, "fingerprint": fp})
    r = request(base + "/fix", data=body, content_type=ctype)
    assert r.status == 200 and r.headers["x-opengov-lint-applied"] == "C001"
    assert (
        "attachment" in r.headers["content-disposition"]
        and "jinjiang-minzheng-2022.fixed.txt" in r.headers["content-disposition"]
    )
    fixed = r.body.decode("utf-8")
    assert fixed == EXAMPLE.read_text(encoding="utf-8").replace("《中国人民共和国", "《中华人民共和国")


def test_last_years_report_shows_carry_over_and_stock_side_by_side(base):
    this_year = next_year(carried=5).encode("utf-8")
    r = post_files(base, file=("2024.txt", this_year), previous=("2023.txt", BASE.encode("utf-8")))
    assert r.status == 200
    page = r.text
    section = page[page.index("id=crossyear") :]
    assert "上年 / last year" in section and "本年 / this year" in section
    t105 = re.search(r'<tr class="hit sev-\w+" data-findings="(\d+)">(.*?)</tr>', section)
    assert t105 and "上年结转" in t105.group(2) and ">0<" in t105.group(2) and ">5<" in t105.group(2)
    assert re.search(rf'<li id="f-{t105.group(1)}" class="finding sev-\w+" data-code="T105"', page)


@pytest.mark.parametrize(
    ("name", "data", "status", "said"),
    [
        ("big.txt", b"a" * (MAX_INPUT_BYTES + 1), 413, "文件过大"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, 422, "文件无法读取"),
        ("x.zip", b"PK\x03\x04" + b"\0" * 100, 422, "文件无法读取"),
        ("broken.pdf", b"%PDF-1.4\n%broken", 422, "文件无法读取"),
    ],
    ids=["over-the-limit", "legacy-doc", "a-zip", "broken-pdf"],
)
def test_inputs_that_cannot_be_checked_get_a_clear_page(base, name, data, status, said):
    r = post_files(base, file=(name, data))
    assert r.status == status and r.headers["content-type"].startswith("text/html")
    assert said in r.text and "role=alert" in r.text and "Traceback" not in r.text
    assert "id=upload" in r.text  # and the form to try again


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * 30_000_000 + b">")
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(72, 720, "annual report")
    c.save()
    return buf.getvalue()


def test_a_zip_bomb_is_refused_with_a_message(base):
    bomb = _zip_bomb()
    assert len(bomb) < 200_000
    r = post_files(base, file=("bomb.docx", bomb))
    assert r.status == 200 and "文件超出安全限制，未读取" in r.text and "X004" in r.text


def test_an_encrypted_pdf_is_refused_with_a_message(base):
    r = post_files(base, file=("locked.pdf", _encrypted_pdf()))
    assert r.status == 422 and "PDF 已加密" in r.text


def test_a_file_that_is_no_report_says_so(base):
    r = post_files(base, file=("list.txt", "买菜：白菜、豆腐、鸡蛋。\n".encode()))
    assert r.status == 200 and "这不像一份政府信息公开工作年度报告" in r.text


def test_an_empty_form_asks_for_a_file(base):
    body, ctype = multipart({"text": "  "})
    r = request(base + "/check", data=body, content_type=ctype)
    assert r.status == 400 and "请选择报告文件或粘贴报告全文" in r.text


def test_a_body_over_the_limit_is_drained_and_answered(monkeypatch):
    import opengov_lint.serve as serve

    monkeypatch.setattr(serve, "MAX_BODY_BYTES", 10_000)
    with running_server() as url:
        r = post_files(url, file=("big.txt", b"x" * 50_000))
    assert r.status == 413 and "上传内容过大" in r.text


def test_other_requests_get_pages_not_errors(base):
    assert request(base + "/nothing").status == 404
    assert request(base + "/check").status == 405
    r = request(base + "/check", data=b"garbage", content_type="text/plain")
    assert r.status == 400 and "无法读取提交的表单" in r.text


def test_a_crash_is_said_on_the_page_and_logged_not_shown(monkeypatch, capsys):
    from opengov_lint.serve.app import App

    app = App(Config(root=ROOT))
    monkeypatch.setattr(app.checker, "lint_alone", lambda *a, **k: 1 / 0)
    with running_server(app=app) as url:
        r = post_files(url, file=EXAMPLE)
    assert r.status == 500 and "内部错误" in r.text and "ZeroDivisionError" not in r.text
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_nothing_is_written_to_disk(base, tmp_path, monkeypatch):
    """Uploads of every kind are read in memory: no temporary file appears, nothing in the folder
    the server runs in."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(tmp_path)
    pytest.importorskip("reportlab")
    pytest.importorskip("docx")
    from opengov_lint.generate import render
    from opengov_lint.parsers import parse

    report = parse(EXAMPLE)
    uploads = [
        ("report.txt", EXAMPLE.read_bytes()),
        ("report.docx", render.render_docx(report)),
        ("report.pdf", render.render_pdf(report)),
        ("report.html", render.render_html(report).encode("utf-8")),
    ]
    for name, data in uploads:
        r = post_files(base, file=(name, data))
        assert r.status == 200, name
    assert list(scratch.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
