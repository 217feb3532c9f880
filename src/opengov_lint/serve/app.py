"""The web application of ``opengov-lint serve``, apart from HTTP: a request (method, path, the
Host header, the body's content type and bytes) becomes a :class:`Response`.

- ``GET /``: the upload page.
- ``POST /check``: a report (a file, or pasted text) and, optionally, last year's report of the
  same agency → the annotated report (:func:`opengov_lint.outputs.html.render_html_page`) with the
  upload form above it, the downloads (findings as JSON, the page as HTML), a button per safe fix
  and one for all of them; last year's report adds the carry-over and stock comparison.
- ``POST /fix``: the original bytes (sent back by the page: the server keeps nothing) and the
  fixes chosen → the corrected copy as a download.

Everything happens in memory; nothing is written to disk and nothing is kept after the response.
Input that cannot be checked (over the size limit, not a report, a zip bomb, an encrypted PDF, a
legacy .doc) gets a page saying so in Chinese and English, never a server error.
"""

from __future__ import annotations

import base64
import html
import ipaddress
import json
import secrets
import sys
import threading
import traceback
from importlib.resources import files
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

import attrs
from attrs import frozen

from .._version import __version__
from ..checker import Checker, ReportOutcome
from ..config import Config
from ..errors import InputError, OpengovLintError
from ..findings import Finding
from ..fixer import FIXABLE_FORMATS, fix_bytes
from ..model import NoteKind, Report
from ..outputs.html import PAGE_CSS, PageChrome, render_html_page
from ..outputs.json import report_dict
from ..packs import Packs, load_packs
from ..parsers import MAX_INPUT_BYTES, input_format_of
from .forms import FormError, Part, parse_form

__all__ = ["App", "Response", "MAX_BODY_BYTES", "LOOPBACK_HOSTS", "is_loopback"]

# A request carries at most two files under the input limit, the pasted text and the fields.
MAX_BODY_BYTES = 2 * MAX_INPUT_BYTES + (MAX_INPUT_BYTES * 4) // 3 + 1_000_000
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
PASTED_NAME = "粘贴的文本.txt"


def _e(s: object) -> str:
    return html.escape("" if s is None else str(s), quote=True)


@frozen
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def _asset(name: str) -> str:
    return (files("opengov_lint.serve") / "assets" / name).read_text(encoding="utf-8")


def is_loopback(host: str) -> bool:
    """True for the names and addresses of this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """The name in a Host header, without the port."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _csp(nonce: str) -> str:
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; "
        f"frame-ancestors 'none'; script-src 'nonce-{nonce}'"
    )


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB"


def _basename(name: str) -> str:
    """The file's name without the folders a browser may send (C:\\fakepath\\…)."""
    base = PureWindowsPath(name).name if "\\" in name else PurePosixPath(name).name
    return "".join(ch for ch in base if ch.isprintable())[:200] or "report.txt"


# What the page says about an input whose notes say it could not be read as a report.
_NOTE_BANNERS = {
    NoteKind.OVER_LIMIT: ("文件超出安全限制，未读取", "the file is over a safety limit and was not read"),
    NoteKind.EMPTY: ("文件中没有文字", "the file holds no text"),
    NoteKind.UNDECODABLE: ("文件中有无法识别的字符（不是 UTF-8 或 GB18030 文本）", "the file holds bytes that are no text"),
    NoteKind.NOT_A_REPORT: ("这不像一份政府信息公开工作年度报告", "this does not look like an annual report"),
    NoteKind.IMAGE_PAGE: (
        "PDF 没有文字层（可能是扫描件），无法检查",
        "the PDF has no text layer (a scan?): it cannot be checked",
    ),
    NoteKind.TRUNCATED: ("文件过长，只读取了一部分", "the file is too long: only a part was read"),
}


class App:
    """One configuration for every upload (the rules, severities, language); nothing else is kept
    between requests. ``max_concurrent`` checks run at once; others wait up to ``wait_seconds``."""

    def __init__(
        self,
        config: Config | None = None,
        packs: Packs | None = None,
        *,
        bound_host: str = "127.0.0.1",
        max_concurrent: int = 2,
        wait_seconds: float = 60.0,
    ) -> None:
        config = attrs.evolve(config or Config(), baseline=None)  # a baseline names files on disk: not here
        self.packs = packs or load_packs()
        self.checker = Checker.from_config(config, packs=self.packs)
        self.lang = config.lang
        self.loopback_only = is_loopback(bound_host)
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._wait = wait_seconds
        self.css = _asset("app.css")
        self.js = _asset("app.js")

    # ---------------------------------------------------------------- dispatch

    def handle(self, method: str, path: str, host: str, content_type: str, body: bytes) -> Response:
        if self.loopback_only and not (_host_name(host) in LOOPBACK_HOSTS or is_loopback(_host_name(host))):
            # a page of another site that resolves its name to 127.0.0.1 (DNS rebinding) gets nothing
            return self.message(421, "请求的主机名不对", "this server answers only to 127.0.0.1 and localhost")
        route = path.split("?", 1)[0]
        if method in ("GET", "HEAD") and route == "/":
            nonce = secrets.token_urlsafe(16)
            return self.html(200, self.home(nonce), nonce)
        if method == "POST" and route in ("/check", "/fix"):
            try:
                parts = parse_form(content_type, body)
            except FormError as exc:
                return self.message(400, "无法读取提交的表单", str(exc))
            if not self._slots.acquire(timeout=self._wait):
                return self.message(503, "服务器正忙，请稍后再试", "the server is busy: try again in a moment")
            try:
                return self.check(parts) if route == "/check" else self.fix(parts)
            except Exception:  # a bug: said on the page, the traceback in the server's log only
                traceback.print_exc(file=sys.stderr)
                return self.message(
                    500, "内部错误：检查未能完成", "internal error: the check did not finish (see the server's log)"
                )
            finally:
                self._slots.release()
        if route in ("/", "/check", "/fix"):
            return self.message(405, "不支持该请求方法", f"{method} is not supported here", headers=(("Allow", "GET, POST"),))
        return self.message(404, "没有这个页面", "no such page")

    # ---------------------------------------------------------------- pages

    def html(self, status: int, page: str, nonce: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
        return Response(status=status, body=page.encode("utf-8"), headers=(("Content-Security-Policy", _csp(nonce)), *headers))

    def frame(self, title: str, body: str, *, nonce: str) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)} · opengov-lint</title><style>{PAGE_CSS}\n{self.css}</style></head><body>"
            "<header class=top><div class=brand>opengov-lint 政府信息公开工作年度报告检查 / annual report check</div>"
            f"<div class=meta><b>{_e(title)}</b></div></header>{body}"
            f"<footer class=foot>opengov-lint {_e(__version__)} · 文件只在本机内存中处理，不保存、不上传 / "
            "files are processed in this machine's memory, never stored or sent anywhere</footer>"
            f'<script nonce="{nonce}">{self.js}</script></body></html>\n'
        )

    def upload_form(self, *, compact: bool = False) -> str:
        accept = ".txt,.md,.text,.html,.htm,.shtml,.docx,.pdf"
        return (
            (
                '<details class="panel no-print"><summary>检查另一份报告 / check another report</summary>'
                if compact
                else '<section class="panel no-print"><h2>检查报告 / check a report</h2>'
            )
            + f'<form id=upload method=post action="/check" enctype="multipart/form-data" data-limit="{MAX_INPUT_BYTES}">'
            "<div class=upload>"
            "<label class=drop><b>本年度报告 / this year's report</b>"
            "<small>拖放或选择文件：文本、网页、Word（DOCX）、PDF / drop or pick a file: text, HTML, DOCX, PDF</small>"
            f'<br><input type=file name=file accept="{accept}"><div class=chosen></div></label>'
            "<label class=drop><b>上年度报告（可选）/ last year's report (optional)</b>"
            "<small>同一机关上一年的报告，用于核对结转和现行有效件数 / the same agency's report of the year before: carry-over and stock checks</small>"
            f'<br><input type=file name=previous accept="{accept}"><div class=chosen></div></label>'
            + (
                ""
                if compact
                else "<div><b>或粘贴报告全文 / or paste the report's text</b>"
                '<textarea name=text placeholder="从网页或 Word 复制全文粘贴到这里 / paste the whole text here"></textarea></div>'
            )
            + "</div><div class=row><button type=submit>检查 / check</button>"
            "<span class=busy>正在检查… / checking…</span>"
            f"<span class=note>单个文件上限 {_mb(MAX_INPUT_BYTES)} / up to {_mb(MAX_INPUT_BYTES)} per file · "
            "文件只在本机处理，不保存 / processed on this machine, not kept</span></div></form>"
            + ("</details>" if compact else "</section>")
        )

    def home(self, nonce: str) -> str:
        intro = (
            '<section class="panel intro"><h2>使用说明 / how it works</h2><ol>'
            "<li>选择或拖入报告文件（文本、网页、DOCX 或 PDF），或粘贴全文。/ Pick or drop the report, or paste its text.</li>"
            "<li>页面显示读出的报告，每个问题在原处标出：红色为错误，黄色为警告，蓝色为提示。/ The report is shown as read, each problem marked where it is: red errors, yellow warnings, blue notes.</li>"
            "<li>点右侧问题列表中的一项，跳到报告中的位置；可机械改正的问题可一键生成改正后的副本。/ Click a finding to go to its place; mechanical fixes can be applied to a copy in one click.</li>"
            "<li>按 Ctrl+P 打印 A4 版问题清单，或下载 JSON 与 HTML。/ Ctrl+P prints an A4 list of the findings; JSON and HTML can be downloaded.</li>"
            "</ol></section>"
        )
        return self.frame("检查报告 / check a report", self.upload_form() + intro, nonce=nonce)

    def message(self, status: int, zh: str, en: str, *, detail: str = "", headers: tuple[tuple[str, str], ...] = ()) -> Response:
        body = (
            f'<div class=banner role=alert data-status="{status}"><b>{_e(zh)}</b>{_e(en)}'
            + (f"<div class=note>{_e(detail)}</div>" if detail else "")
            + "</div>"
            + self.upload_form()
        )
        nonce = secrets.token_urlsafe(16)
        return self.html(status, self.frame(zh, body, nonce=nonce), nonce, headers)

    # ---------------------------------------------------------------- POST /check

    def _input(self, parts: list[Part], field: str) -> tuple[str, bytes] | None:
        for p in parts:
            if p.name == field and p.filename is not None and (p.filename or p.data):
                return _basename(p.filename), p.data
        return None

    def _read(self, name: str, data: bytes, which: str) -> Report | Response:
        if len(data) > MAX_INPUT_BYTES:
            return self.message(
                413,
                f"{which}文件过大：{_mb(len(data))}，上限 {_mb(MAX_INPUT_BYTES)}",
                f"the file is {_mb(len(data))}, over the {_mb(MAX_INPUT_BYTES)} limit",
                detail=name,
            )
        try:
            return self.checker.read_file_bytes(data, name)
        except InputError as exc:
            if data.startswith(b"%PDF") and b"/Encrypt" in data:
                return self.message(
                    422,
                    f"{which}PDF 已加密，无法读取",
                    "the PDF is encrypted: save an unprotected copy (or upload the DOCX it was made from)",
                    detail=name,
                )
            return self.message(422, f"{which}文件无法读取", str(exc), detail=name)

    def check(self, parts: list[Part]) -> Response:
        got = self._input(parts, "file")
        pasted = next((p.text for p in parts if p.name == "text" and p.filename is None and p.text.strip()), None)
        if got is None and pasted is None:
            return self.message(400, "请选择报告文件或粘贴报告全文", "choose a report file or paste the report's text")
        name, data = got if got is not None else (PASTED_NAME, (pasted or "").encode("utf-8"))
        report = self._read(name, data, "")
        if isinstance(report, Response):
            return report
        previous: Report | None = None
        prev_got = self._input(parts, "previous")
        if prev_got is not None:
            read = self._read(prev_got[0], prev_got[1], "上年度报告：")
            if isinstance(read, Response):
                return read
            previous = read
        outcome = self.checker.complete(
            name,
            self.checker.lint_alone(report, name),
            previous=previous,
            previous_name=prev_got[0] if prev_got else None,
        )
        nonce = secrets.token_urlsafe(16)
        return self.html(200, self.report_page(outcome, data, previous, nonce), nonce)

    def banners(self, o: ReportOutcome, previous: Report | None) -> str:
        out = []
        for n in o.report.notes:
            said = _NOTE_BANNERS.get(n.kind)
            if said is not None:
                out.append(
                    f"<div class=banner role=alert><b>{_e(said[0])}</b>{_e(said[1])}<div class=note>{_e(n.message)}</div></div>"
                )
        if previous is not None:
            y, py = o.report.metadata.report_year, previous.metadata.report_year
            if y is not None and py is not None and py != y - 1:
                out.append(
                    f'<div class="banner info"><b>上年度报告是 {py} 年度的，本报告是 {y} 年度的</b>'
                    f"last year's report is for {py}, this one for {y}: the carry-over is not compared</div>"
                )
        return "".join(out)

    def report_page(self, o: ReportOutcome, data: bytes, previous: Report | None, nonce: str) -> str:
        stem = PurePosixPath(o.path).stem or "report"
        fmt = self._format(o.path, data)
        fixes = [f for f in o.findings if f.fix is not None] if fmt in FIXABLE_FORMATS else []
        static = render_html_page(o, lang=self.lang, packs=self.packs, previous=previous)
        doc = {"schema_version": 1, "tool": {"name": "opengov-lint", "version": __version__}, "reports": [report_dict(o)]}
        as_json = base64.b64encode(json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")).decode("ascii")
        as_html = base64.b64encode(static.encode("utf-8")).decode("ascii")
        fix_all = (
            f"<button type=submit form=fixform name=fingerprint value=all class=fix-one>应用全部 {len(fixes)} 项安全修改，下载副本 / "
            f"apply all {len(fixes)} safe fixes to a copy</button>"
            if fixes
            else ""
        )
        downloads = (
            '<section class="panel no-print"><div class=downloads><b>下载 / download:</b>'
            f'<a class="button light" download="{_e(stem)}.opengov-lint.json" href="data:application/json;charset=utf-8;base64,{as_json}">'
            "问题清单 JSON / findings as JSON</a>"
            f'<a class="button light" download="{_e(stem)}.opengov-lint.html" href="data:text/html;charset=utf-8;base64,{as_html}">'
            "本页 HTML / this page as HTML</a>"
            f"<span class=note>打印：Ctrl+P（A4）/ print: Ctrl+P (A4)</span>{fix_all}</div></section>"
        )
        fix_form = ""
        if fixes:
            fix_form = (
                '<form id=fixform method=post action="/fix" enctype="multipart/form-data" class=no-print hidden>'
                f'<input type=hidden name=name value="{_e(o.path)}">'
                f'<input type=hidden name=original value="{base64.b64encode(data).decode("ascii")}"></form>'
            )
        fixable = {f.fingerprint for f in fixes}

        def actions(f: Finding) -> str:
            if f.fingerprint not in fixable:
                return ""
            return (
                f'<button type=submit form=fixform name=fingerprint value="{_e(f.fingerprint)}" class="fix-one no-print">'
                "应用到副本并下载 / apply to a copy</button>"
            )

        chrome = PageChrome(
            top=self.banners(o, previous) + downloads + self.upload_form(compact=True),
            actions=actions,
            style=self.css,
            script=self.js,
            bottom=fix_form,
        )
        page = render_html_page(o, lang=self.lang, packs=self.packs, chrome=chrome, previous=previous)
        return page.replace("<script>", f'<script nonce="{nonce}">', 1) if chrome.script else page

    def _format(self, name: str, data: bytes) -> str:
        if name == PASTED_NAME:
            return "text"
        try:
            return self.checker.options.input_format or input_format_of(data, PurePosixPath(name).suffix.lower(), name)
        except InputError:
            return "unknown"

    # ---------------------------------------------------------------- POST /fix

    def fix(self, parts: list[Part]) -> Response:
        fields = {p.name: p for p in parts if p.filename is None}
        if "original" not in fields or "name" not in fields:
            return self.message(400, "缺少要改正的文件", "the form holds no file to correct")
        name = _basename(fields["name"].text)
        try:
            data = base64.b64decode(fields["original"].data, validate=True)
        except ValueError:
            return self.message(400, "提交的文件已损坏", "the file sent back is not valid base64")
        chosen = [p.text for p in parts if p.name == "fingerprint"]
        wanted = None if "all" in chosen or not chosen else chosen
        try:
            outcome, result = fix_bytes(data, name, self.checker, fingerprints=wanted)
        except OpengovLintError as exc:
            return self.message(422, "无法生成改正后的副本", str(exc), detail=name)
        if not result.applied:
            reasons = "; ".join(r for _, r in result.skipped) or "没有可应用的修改 / no fix to apply"
            return self.message(422, "没有应用任何修改", "no fix was applied", detail=reasons)
        path = PurePosixPath(name)
        fixed = f"{path.stem}.fixed{path.suffix or '.txt'}"
        ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in fixed)
        types = {
            "text": "text/plain; charset=utf-8",
            "html": "text/html",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        return Response(
            status=200,
            body=result.data,
            content_type=types.get(result.input_format, "application/octet-stream"),
            headers=(
                ("Content-Disposition", f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(fixed)}"),
                ("X-Opengov-Lint-Applied", ",".join(f.code for f in result.applied)),
                ("X-Opengov-Lint-Skipped", str(len(result.skipped))),
            ),
        )
