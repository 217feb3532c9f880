"""HTML pages → the report model.

The page is decoded (byte-order mark, then the declared charset when the bytes agree with it,
then UTF-8, then GB18030: a wrong declaration is survived), parsed with lxml's HTML parser (no
network, no entity expansion), and the article body is found among the page chrome (known
containers of government CMSs, else the block holding most of the page's non-link text). The
body becomes lines of text the text parser reads: one line per block, a data table as one
line per row with its cells joined by `` | `` (``rowspan``/``colspan`` are normalised to a grid
first; a merged cell is written once, at its origin), ``<p>``/``<br>``/``<span>``/``&nbsp;``
inside cells joined. Every line keeps the HTML source line it came from, so findings point
into the page. Page metadata (``<meta name=PubDate>``, 发布时间/索引号/发布机构 outside the
body) is put in front of the body. Images standing where a table should be become
``image-table`` notes (rule X003).
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import lxml.etree
import lxml.html
from lxml.etree import _Element

from ..model import AgencyKind, DecodeDetail, ErrorDetail, ImageTableDetail, LimitDetail, NoteKind, ParseNote, Report, SourceSpan
from ..packs import Packs
from .lines import Origin
from .reflow import join_split_title
from .suppress import html_suppressions
from .text import parse_text

__all__ = ["parse_html", "decode_html", "html_to_lines"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn"}

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "head",
    "select",
    "button",
    "textarea",
    "input",
    "option",
    "map",
    "canvas",
    "video",
    "audio",
}
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "footer",
    "blockquote", "pre", "dl", "dt", "dd", "form", "center", "main", "aside", "nav", "figure", "figcaption",
    "address", "hr", "caption", "ucapcontent", "tr", "td", "th", "tbody", "thead", "tfoot", "body", "html",
}  # fmt: skip
_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
MAX_SPAN = 200  # rowspan/colspan are capped (a crafted 65534 would make a huge grid)


def decode_html(data: bytes) -> tuple[str, str, list[ParseNote]]:
    """(text, encoding used, notes)."""
    notes: list[ParseNote] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8", notes
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", notes
    m = _CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    if declared in _GB:
        declared = "gb18030"
    utf8_ok = True
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8_ok = False
    if declared and declared not in ("utf-8", "utf8"):
        try:
            text = data.decode(declared)
            # Bytes that are valid UTF-8 and not ASCII were UTF-8 whatever the page declares.
            if not (utf8_ok and not data.isascii()):
                return text, declared, notes
        except (LookupError, UnicodeDecodeError):
            pass
    if utf8_ok:
        return utf8, "utf-8", notes
    try:
        return data.decode("gb18030"), "gb18030", notes
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    notes.append(
        ParseNote(
            kind=NoteKind.UNDECODABLE,
            message=f"{bad} bytes of the page are neither its declared charset, UTF-8 nor GB18030",
            detail=DecodeDetail(bad=bad, total=len(data)),
        )
    )
    return text, "utf-8", notes


def _line(el: _Element) -> int | None:
    line: int | None = el.sourceline  # type: ignore[assignment]  # lxml-stubs leave sourceline untyped
    return line


def _tag(el: _Element) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _depth(root: _Element) -> int:
    best = 0
    stack = [(root, 1)]
    while stack:
        el, d = stack.pop()
        best = max(best, d)
        for ch in el:
            stack.append((ch, d + 1))
    return best


def _text_of(el: _Element) -> str:
    """Text of an element, descendants joined without separators, whitespace collapsed."""
    parts: list[str] = []
    stack: list[Any] = [el]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            parts.append(x)
            continue
        if _tag(x) in _SKIP:
            if x.tail and x is not el:
                stack.append(x.tail)
            continue
        if x is not el and x.tail:
            stack.append(x.tail)
        for ch in reversed(list(x)):
            stack.append(ch)
        if x.text:
            stack.append(x.text)
    return _WS.sub(" ", "".join(parts)).strip()


def _rows_of(table: _Element) -> list[_Element]:
    rows: list[_Element] = []
    for ch in table:
        t = _tag(ch)
        if t == "tr":
            rows.append(ch)
        elif t in ("tbody", "thead", "tfoot"):
            rows.extend(x for x in ch if _tag(x) == "tr")
    return rows


def _span(el: _Element, name: str) -> int:
    try:
        v = int(str(el.get(name, "1")).strip() or 1)
    except ValueError:
        return 1
    return max(1, min(v, MAX_SPAN))


def table_grid(table: _Element) -> list[list[tuple[int, str, int | None]]]:
    """Rows of (column, text, source line) of the cells that start in each row, after
    normalising rowspan/colspan to a grid."""
    rows = _rows_of(table)
    occupied: set[tuple[int, int]] = set()
    out = []
    for r, tr in enumerate(rows):
        c = 0
        cells = []
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            while (r, c) in occupied:
                c += 1
            rs = min(_span(td, "rowspan"), len(rows) - r)
            cs = _span(td, "colspan")
            cells.append((c, _text_of(td), _line(td)))
            for i in range(rs):
                for j in range(cs):
                    occupied.add((r + i, c + j))
            c += cs
        out.append(cells)
    return out


# An image in the page: (the number of lines before it, its src or alt, its source line).
_Image = tuple[int, str, int | None]


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.src: list[int] = []
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.images: list[_Image] = []

    def add(self, text: str, line: int | None) -> None:
        if text:
            if self.buf_line is None:
                self.buf_line = line
            self.buf.append(text)

    def flush(self) -> None:
        if self.buf:
            t = _WS.sub(" ", "".join(self.buf)).strip()
            if t:
                self.lines.append(t)
                self.src.append(self.buf_line or 1)
        self.buf = []
        self.buf_line = None

    def line(self, text: str, line: int | None) -> None:
        self.flush()
        self.lines.append(text)
        self.src.append(line or 1)


def _walk(el: _Element, out: _Lines, depth: int = 0) -> None:
    tag = _tag(el)
    if tag in _SKIP or not tag:
        return
    if tag == "img":
        if not _icon(el):
            out.flush()
            out.images.append((len(out.lines), el.get("src", "") or el.get("alt", ""), _line(el)))
        return
    if tag == "br":
        out.flush()
        return
    if tag == "table":
        has_nested = any(_tag(x) == "table" for x in el.iterdescendants())
        if not has_nested:
            out.flush()
            for cells in table_grid(el):
                if not cells:
                    continue
                if any(t for _, t, _ in cells):
                    out.line(" | ".join(t for _, t, _ in cells), cells[0][2])
            out.flush()
            for img in el.iter("img"):
                if not _icon(img):
                    out.images.append((len(out.lines), img.get("src", ""), _line(img)))
            return
    block = tag in _BLOCK or tag == "table"
    if block:
        out.flush()
    if el.text:
        out.add(el.text, _line(el))
    for ch in el:
        _walk(ch, out, depth + 1)
        if ch.tail:
            out.add(ch.tail, _line(ch))
    if block:
        out.flush()


def _icon(img: _Element) -> bool:
    """An icon or spacer, not content: declared smaller than 100 px either way."""
    for name in ("width", "height"):
        m = re.match(r"\s*(\d+)", str(img.get(name, "")))
        if m and int(m.group(1)) < 100:
            return True
    return bool(img.get("ignore") == "1")


def _visible_len(el: _Element) -> int:
    total = len(_text_of(el))
    links = sum(len(_text_of(a)) for a in el.iter("a"))
    return max(0, total - links)


def find_body(root: _Element, containers: list[str]) -> _Element | None:
    """The element holding the article: a known container with text, else the block that
    holds most of the page's non-link text."""
    for name in containers:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            classes = (el.get("class") or "").split()
            if name in classes or el.get("id") == name or _tag(el) == name.lower():
                if _visible_len(el) >= 200:
                    return el
    body = root.find("body")
    node = body if body is not None else root
    while True:
        total = _visible_len(node)
        kids = [k for k in node if isinstance(k.tag, str) and _tag(k) not in _SKIP]
        best = max(kids, key=_visible_len, default=None)
        if best is None or total == 0 or _visible_len(best) < 0.85 * total:
            return node
        node = best


def html_to_lines(text: str, packs: Packs) -> tuple[list[str], list[int], list[_Image], list[ParseNote]]:
    """Lines of the page's article (metadata lines first), their HTML source lines, images."""
    pack = packs.inputs.html
    max_depth = packs.inputs.limits.max_html_depth
    notes: list[ParseNote] = []
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        if not text.strip():
            notes.append(ParseNote(kind=NoteKind.EMPTY, message="the page holds no text"))
            return [], [], [], notes
        notes.append(
            ParseNote(
                kind=NoteKind.NOT_A_REPORT,
                message=f"the HTML could not be parsed: {exc}",
                detail=ErrorDetail(error=str(exc)[:200]),
            )
        )
        return [], [], [], notes
    depth = _depth(root)
    if depth > max_depth:
        detail = LimitDetail(limit_kind="depth", limit=max_depth, detail=f"depth {depth}")
        notes.append(ParseNote(kind=NoteKind.OVER_LIMIT, message=f"the HTML nests {depth} levels deep", detail=detail))
        return [], [], [], notes

    out = _Lines()
    # Metadata: <meta name=…>, then labelled values outside the body.
    meta_map = {k.lower(): v for k, v in pack.meta.items()}
    seen: set[str] = set()
    for m in root.iter("meta"):
        name = (m.get("name") or "").lower()
        label = meta_map.get(name)
        value = _WS.sub(" ", m.get("content") or "").strip()
        if label and value and label not in seen:
            seen.add(label)
            out.line(f"{label}: {value}", _line(m))
    body = find_body(root, list(pack.body_containers))
    labels = list(pack.metadata_labels)
    if labels and body is not None:
        label_re = re.compile("(" + "|".join(map(re.escape, labels)) + r")\s*[:：|]?\s*")
        chrome = _Lines()
        # lxml proxies are stable only while referenced: keep the elements, not their ids.
        body_els = set(body.iter())
        bod = root.find("body")
        for el in (bod if bod is not None else root).iter():
            if el in body_els or not isinstance(el.tag, str) or _tag(el) in _SKIP:
                continue
            if len(el) and _tag(el) not in ("tr", "p", "span", "li", "td", "th", "div"):
                continue
            own = _WS.sub(" ", (el.text or "")).strip()
            if _tag(el) == "tr":
                own = " | ".join(t for _, t, _ in [(0, _text_of(td), None) for td in el if _tag(td) in ("td", "th")])
            for mm in label_re.finditer(own):
                label = mm.group(1)
                rest = own[mm.end() :]
                nxt = label_re.search(rest)
                value = (rest[: nxt.start()] if nxt else rest).strip(" |")
                if not value:
                    # the value in the next sibling cell/span
                    sib = el.getnext()
                    value = _text_of(sib) if sib is not None else ""
                if value and label not in seen and len(value) <= 80:
                    seen.add(label)
                    chrome.line(f"{label}: {value}", _line(el))
        for t, s in zip(chrome.lines, chrome.src):
            out.line(t, s)
    if out.lines:
        out.line("", out.src[-1])
    if body is not None:
        start = len(out.lines)
        _walk(body, out)
        out.flush()
        joined = join_split_title(out.lines, out.src, packs.inputs.title, start)
        if joined is not None:
            out.images = [(p - 1 if p > joined + 1 else p, s, ln) for p, s, ln in out.images]
    out.flush()
    return out.lines, out.src, out.images, notes


def parse_html(
    data: bytes,
    packs: Packs,
    *,
    source_name: str | None = None,
    agency_kind: AgencyKind | None = None,
    report_year: int | None = None,
) -> Report:
    text, _enc, notes = decode_html(data)
    lines, src, images, lnotes = html_to_lines(text, packs)
    notes.extend(lnotes)
    if not lines:
        if not lnotes:
            notes.append(ParseNote(kind=NoteKind.EMPTY, message="the page holds no text"))
        return Report(notes=tuple(notes), source_name=source_name)
    origins = tuple(Origin(line=s, columns=None) for s in src)
    report = attrs.evolve(
        parse_text(
            "\n".join(lines),
            source_name=source_name,
            agency_kind=agency_kind,
            report_year=report_year,
            packs=packs,
            notes=notes,
            origins=origins,
        ),
        suppressions=html_suppressions(text),
    )
    return _image_notes(report, lines, src, images, packs)


def _image_notes(report: Report, lines: list[str], src: list[int], images: list[_Image], packs: Packs) -> Report:
    """An image in section 二/三/四 whose table is missing stands where the table should be."""
    first = packs.regulation.regulation.first_report_year
    if not images or (report.metadata.report_year is not None and report.metadata.report_year < first):
        return report  # the tables of the unified format exist from the revised regulation on
    have = {t.section for t in report.tables}
    table_sections = {t.section for p in packs.table_formats() for t in p.tables.values()}
    new = []
    heads: list[tuple[int, Any]] = []
    for s in report.sections:
        idx = next((i for i, ln in enumerate(lines) if ln.strip() == s.heading and all(i != h for h, _ in heads)), None)
        if idx is not None:
            heads.append((idx, s))
    heads.sort(key=lambda x: x[0])
    for k, (idx, s) in enumerate(heads):
        if s.number not in table_sections or s.number in have:
            continue
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines) + 1
        for pos, srcname, line in images:
            if idx < pos <= end:
                detail = ImageTableDetail(heading=s.heading, src=srcname, section=s.number)
                new.append(
                    ParseNote(
                        kind=NoteKind.IMAGE_TABLE,
                        message=f"an image ({srcname}) stands where the table of {s.heading} should be",
                        span=SourceSpan(line=line or 1),
                        detail=detail,
                    )
                )
                break
    if not new:
        return report
    return attrs.evolve(report, notes=report.notes + tuple(new))
