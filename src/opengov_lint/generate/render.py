"""Rendering a report model back into what people publish: text, HTML, DOCX and PDF.

:func:`render_text` writes the canonical text of a report in one of the styles the text parser
reads (see ``TEXT_STYLES``); in every style of ``LOSSLESS_STYLES``, ``parse(render_text(r, style))``
gives ``r`` back, up to what :func:`comparable` leaves out (source spans and the parser's notes on
how it recognised things); in the ``concatenated`` style it does when every split is unambiguous.
:func:`render_html` writes an HTML page with the tables in their official row and column spans
(optionally as a CMS publishes it, or with a table published as an image);
``parse(page.encode(), input_format="html")`` gives the report back as well. :func:`render_docx`
and :func:`render_pdf` write the same document as a Word file and as a PDF with a text layer.

Labels come from the format packs; nothing here knows the rules.
"""

from __future__ import annotations

import html as _html
import io
import os
import zipfile
from collections.abc import Iterator
from typing import TypeVar, cast

import attrs

from ..model import Report, Row, Table
from ..packs import Packs, TableSpec, load_packs

__all__ = [
    "LOSSLESS_STYLES",
    "STYLE_ALIASES",
    "TEXT_STYLES",
    "comparable",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_table",
    "render_text",
]

TEXT_STYLES = ("lines", "plain", "pipes", "markdown", "paragraphs", "pipe-cells", "one-line", "concatenated")
"""``lines``: one cell per line, tab-indented, a blank line between rows (a copy from a web page);
``plain``: one cell per line, no indentation, no row breaks; ``pipes``: a row per line, cells
joined by ``|``; ``markdown``: GitHub-style pipe tables with a header separator row;
``paragraphs``: every cell a paragraph of its own, a blank line after each (a copy from a word
processor); ``pipe-cells``: a cell per line ending in `` |``, rows closed by a ``||`` line;
``one-line``: the whole document on one line, cells and paragraphs separated by a space (a page
whose line breaks were lost); ``concatenated``: each table on one line with every separator lost,
labels and numbers run together (``一、本年新收政府信息公开申请数量801000081``, the 平潭 pages).
Only the ``concatenated`` style can lose cells: where the digits of a row allow more than one
split the parser leaves the row unread and says so (X002), so its round trip holds only for
reports whose splits are unambiguous."""

STYLE_ALIASES = {"tabs": "lines"}
"""Other names accepted for a style."""

LOSSLESS_STYLES = ("lines", "plain", "pipes", "markdown", "paragraphs", "pipe-cells")
"""The styles in which every cell and every paragraph is written apart: ``parse(render_text(r,
style))`` gives ``r`` back for every report ``r`` (up to :func:`comparable`). ``one-line`` keeps
the cells apart but not the paragraphs (the paragraphs of a section come back as one);
``concatenated`` keeps neither."""


# ----------------------------------------------------------------------------- comparison
_PROVENANCE = frozenset({"span", "title_span"})  # fields that record where a piece was read

_T = TypeVar("_T")


def _strip_provenance(obj: _T) -> _T:
    """``obj`` with every ``_PROVENANCE`` field set to None, at any depth; ``obj`` itself when
    nothing changes (so that equal parts stay shared)."""
    cls = type(obj)
    if attrs.has(cls):
        changes: dict[str, object] = {}
        for f in attrs.fields(cls):
            v = getattr(obj, f.name)
            if f.name in _PROVENANCE:
                if v is not None:
                    changes[f.name] = None
                continue
            nv = _strip_provenance(v)
            if nv is not v:
                changes[f.name] = nv
        if not changes:
            return obj
        # attrs.has() checked obj's class at run time; the attrs plugin wants a static attrs type.
        return attrs.evolve(obj, **changes)  # type: ignore[misc]
    if isinstance(obj, tuple):
        items = tuple(_strip_provenance(x) for x in obj)
        # A tuple of the same length and kinds of items: still the type ``obj`` had.
        return cast(_T, items) if any(a is not b for a, b in zip(items, obj)) else obj
    return obj


def comparable(report: Report) -> Report:
    """``report`` without what records how it was read rather than what it says.

    Drops: every source span, ``metadata.dates`` (every date expression seen), the reasons of
    the format detection and of each table's layout, the tables' header labels as written, and
    ``source_name``. Everything else (text, numbers, cells as written, keys, withholdings, notes)
    stays, so ``comparable(parse(render_text(r))) == comparable(r)`` is a strong round trip.
    """

    r = _strip_provenance(report)
    md = attrs.evolve(r.metadata, dates=())
    tables = tuple(attrs.evolve(t, header=(), layout_reasons=()) for t in r.tables)
    return attrs.evolve(r, metadata=md, tables=tables, format=attrs.evolve(r.format, reasons=()), source_name=None)


# ----------------------------------------------------------------------------- text
def _style(style: str) -> str:
    style = STYLE_ALIASES.get(style, style)
    if style not in TEXT_STYLES:
        raise ValueError(f"unknown text style {style!r}; use one of: {', '.join(TEXT_STYLES)}")
    return style


def render_text(report: Report, style: str = "lines", *, packs: Packs | None = None) -> str:
    """The report as text in ``style`` (one of ``TEXT_STYLES`` or ``STYLE_ALIASES``)."""
    style = _style(style)
    packs = packs or load_packs()
    md = report.metadata
    head: list[str] = []  # the page's metadata lines, above the document in every style
    out: list[str] = []
    pub = md.publication
    if pub is not None and pub.source == "metadata":
        head.append(f"{pub.label or '发布日期'}：{pub.date.raw}")
    if md.title:
        out.append(md.title)
        out.append("")
    for p in report.preamble:
        out.append(p.text)
        out.append("")
    tables_by_section: dict[int | None, list[Table]] = {}
    for t in report.tables:
        tables_by_section.setdefault(t.section, []).append(t)
    placed: set[int] = set()
    for n, s in enumerate(report.sections):
        out.append(s.heading)
        for p in s.paragraphs:
            out.append(p.text)
        if s.number is not None and s.number not in placed:
            for t in tables_by_section.get(s.number, []):
                out.extend(_table_lines(t, style, packs))
                out.append("")
            placed.add(s.number)
        if n == len(report.sections) - 1:
            for p in report.signature:
                out.append(p.text)
        out.append("")
    if not report.sections:
        for p in report.signature:
            out.append(p.text)
    if style == "one-line":
        out = [" ".join(line for line in out if line)] if out else []
    out = head + out
    return "\n".join(out).rstrip("\n") + "\n" if out else ""


def render_table(table: Table, style: str = "lines", packs: Packs | None = None) -> list[str]:
    """The lines ``table`` takes in a text of ``style`` (as :func:`render_text` writes it)."""
    return list(_table_lines(table, _style(style), packs or load_packs()))


def _grid(table: Table, packs: Packs) -> tuple[list[list[str]], int]:
    """The table as rows of cell texts (no spans), and how many leading label columns it has.

    Label cells of group rows ("三、本年度办理结果", "（三）不予公开") stand before the first row
    they span, as in the official table flattened; they are never followed by empty cells.
    """
    spec = packs.table_layout(table.key, table.layout)
    if table.key == "table2":
        return _grid2(table, spec), 1
    if table.key == "table3":
        return _grid3(table, spec), 3
    if table.key == "table4":
        return _grid4(table, spec), 0
    return [[r.label, *[c.raw for c in r.cells]] for r in table.rows], 1


def _grid2(table: Table, spec: TableSpec | None) -> list[list[str]]:
    rows: list[list[str]] = []
    block: object = object()  # no block yet: the first row opens one
    for r in table.rows:
        if r.block != block:
            block = r.block
            b = next((b for b in spec.blocks if b.key == r.block), None) if spec is not None else None
            if spec is not None and b is not None:
                rows.append([b.title])
                rows.append([spec.header_first_cell or "信息内容", *[c.label for c in b.columns]])
        rows.append([r.label, *[c.raw for c in r.cells]])
    return rows


def _ancestors(spec: TableSpec | None, row: Row) -> list[tuple[str, str]]:
    """(key, label) of the group rows above ``row``, outermost first."""
    if spec is None or row.key is None:
        return []
    by_key = {r.key: r for r in spec.rows}
    chain = []
    r = by_key.get(row.key)
    parent = r.parent if r else row.block
    while parent is not None and parent in by_key:
        g = by_key[parent]
        if g.kind == "group":
            chain.append((g.key, g.label))
        parent = g.parent
    return list(reversed(chain))


def _grid3(table: Table, spec: TableSpec | None) -> list[list[str]]:
    rows: list[list[str]] = []
    if spec is not None:
        applicant = [c.label for c in spec.columns]
        first, *orgs, total = applicant
        rows.append([spec.corner_note, spec.header_labels[0] if spec.header_labels else "申请人情况"])
        rows.append([first, spec.header_labels[1] if len(spec.header_labels) > 1 else "法人或其他组织", total])
        rows.append(orgs)
    opened: set[str] = set()
    for r in table.rows:
        labels = []
        for key, label in _ancestors(spec, r):
            if key not in opened:
                opened.add(key)
                labels.append(label)
        rows.append(_Labelled([*labels, r.label, *[c.raw for c in r.cells]], len(labels) + 1))
    return rows


class _Labelled(list[str]):
    """A data row of table 三: its cells, and how many of them (at the front) are labels."""

    def __init__(self, cells: list[str], n_labels: int) -> None:
        super().__init__(cells)
        self.n_labels = n_labels


def _grid4(table: Table, spec: TableSpec | None) -> list[list[str]]:
    rows: list[list[str]] = []
    cols = [c.label for c in spec.columns] if spec else []
    labels = list(spec.header_labels) if spec else []
    if len(labels) >= 4:
        rows.append([labels[0], labels[1]])
        rows.append([*cols, labels[2], labels[3]])
        rows.append(cols * 2)
    values: list[str] = []
    for r in table.rows:
        values.extend(c.raw for c in r.cells)
    rows.append(values)
    return rows


def _table_lines(table: Table, style: str, packs: Packs) -> Iterator[str]:
    grid, label_cols = _grid(table, packs)
    if style == "lines":
        for row in grid:
            for cell in row:
                yield "\t" + cell
            yield ""
    elif style == "plain":
        for row in grid:
            for cell in row:
                if cell.strip():
                    yield cell
    elif style == "pipes":
        for row in grid:
            yield "|".join(row)
    elif style == "paragraphs":
        for row in grid:
            for cell in row:
                yield cell
                yield ""
    elif style == "pipe-cells":
        for row in grid:
            for cell in row:
                yield f"{cell} |" if cell else "|"
            yield "||"
    elif style == "one-line":
        yield " ".join(cell for row in grid for cell in row if cell)
    elif style == "concatenated":
        yield "".join(cell for row in grid for cell in row)
    else:  # markdown
        yield from _markdown(table, grid, label_cols)


def _markdown(table: Table, grid: list[list[str]], label_cols: int) -> Iterator[str]:
    width = max(len(r) for r in grid)
    for n, row in enumerate(grid):
        if table.key == "table3":
            # Label cells right-aligned against the values: a label is never followed by an
            # empty cell, which would read as a blank value.
            if isinstance(row, _Labelled):
                labels, values = row[: row.n_labels], row[row.n_labels :]
                row = [""] * (label_cols - len(labels)) + labels + values
            elif n == 0:
                row = [""] * (label_cols - 1) + [row[1]]
            elif n == 1:
                row = [""] * label_cols + row
            else:
                row = [""] * (label_cols + 1) + row
            width = label_cols + 7
        elif table.key == "table4" and n < 3 and len(grid) == 4:
            # The official spans: 行政复议 over 5 columns, 行政诉讼 over 10; the result labels of
            # 行政复议 span two header rows, so the third row starts under them (empty cells).
            k = (width // 3) if width >= 3 else 1
            if n == 0:
                row = [row[0]] + [""] * (k - 1) + [row[1]] + [""] * (2 * k - 1)
            elif n == 1:
                row = row[:k] + [row[k]] + [""] * (k - 1) + [row[k + 1]] + [""] * (k - 1)
            else:
                row = [""] * k + row
        cells = list(row) + [""] * (width - len(row))
        yield "| " + " | ".join(cells) + " |"
        if n == 0:
            yield "|" + "|".join(["---"] * width) + "|"


# ----------------------------------------------------------------------------- HTML
# What a government CMS wraps an article in: a breadcrumb and a share bar before it, a footer after.
_CMS_BEFORE = '<div class="nav">当前位置：首页 &gt; 政府信息公开 &gt; 年报</div><div class="share">分享到：微信 微博</div>'
_CMS_AFTER = '<div class="footer">版权所有 网站地图</div>'
_CMS_NAV = '<a href="/">首页</a><br/><a href="/x">政务公开</a>'


def render_html(
    report: Report,
    *,
    packs: Packs | None = None,
    charset: str = "utf-8",
    cms: bool = False,
    layout_table: bool = False,
    table_as_image: str | None = None,
) -> str:
    """A standalone HTML page: title, prose, and the tables with the official row/column spans.

    ``charset`` is the encoding the page declares (encoding the text is the caller's: a page
    declaring ``gbk`` may be written in GB18030, or wrongly in UTF-8). ``cms`` writes the page as a
    government CMS publishes it: breadcrumb, share bar and footer around the article, every
    paragraph in a ``<span>``, figures padded with ``&nbsp;``, long labels broken over ``<br/>``.
    ``layout_table`` puts navigation and article side by side in a layout table, as old CMS pages
    do (and implies ``cms``). ``table_as_image`` (a table key) publishes that table as an
    ``<img>`` instead (``/upload/<key>.png``).
    """
    packs = packs or load_packs()
    cms = cms or layout_table
    e = _html.escape
    md = report.metadata
    out = [
        "<!DOCTYPE html>",
        f'<html lang="zh-CN"><head><meta charset="{e(charset)}">',
        f"<title>{e(md.title or '')}</title></head><body>",
    ]
    if cms:
        out.append(_CMS_BEFORE)
        out.append(
            f'<table width="100%"><tr><td>{_CMS_NAV}</td><td>'
            if layout_table
            else '<div class="article"><div class="TRS_Editor">'
        )

    def para(text: str, cls: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        return f"<p{attr}><span>{e(text)}</span></p>" if cms else f"<p{attr}>{e(text)}</p>"

    if md.publication is not None and md.publication.source == "metadata":
        out.append(para(f"{md.publication.label or '发布日期'}：{md.publication.date.raw}", "meta"))
    if md.title:
        out.append(f"<h1>{e(md.title)}</h1>")
    out.extend(para(p.text) for p in report.preamble)
    for n, s in enumerate(report.sections):
        out.append(para(s.heading) if cms else f"<h2>{e(s.heading)}</h2>")
        out.extend(para(p.text) for p in s.paragraphs)
        for t in report.tables:
            if t.section == s.number:
                if t.key == table_as_image:
                    out.append(f'<p><img src="/upload/{e(t.key)}.png" alt=""></p>')
                else:
                    out.append(_html_table(t, packs, cms))
        if n == len(report.sections) - 1:
            out.extend(para(p.text, "signature") for p in report.signature)
    if not report.sections:  # as render_text and render_docx: the signature is not dropped
        out.extend(para(p.text, "signature") for p in report.signature)
    if cms:
        out.append(("</td></tr></table>" if layout_table else "</div></div>") + _CMS_AFTER)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _td(text: str, rowspan: int = 1, colspan: int = 1, cms: bool = False) -> str:
    attrs_ = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs_}>{_cms_cell(text) if cms else _html.escape(text)}</td>"


def _cms_cell(text: str) -> str:
    """A cell as CMS editors leave it: runs in <span>s inside a <p>, figures padded, long labels
    broken over two lines."""
    if not text:
        return "<p>&nbsp;</p>"
    if text.replace(".", "").isdigit():
        return f"<p><span>{text}</span>&nbsp;&nbsp;</p>"
    half = len(text) // 2
    a, b = _html.escape(text[:half]), _html.escape(text[half:])
    return f"<p><span>{a}</span><br/>\n   <span>{b}</span></p>" if len(text) > 6 else f"<p><span>{a}</span><span>{b}</span></p>"


def _html_table(table: Table, packs: Packs, cms: bool = False) -> str:
    body = "\n".join("<tr>" + "".join(_td(*c, cms=cms) for c in row) + "</tr>" for row in _span_rows(table, packs))
    return f'<table border="1" data-table="{table.key}">\n{body}\n</table>'


SpanCell = tuple[str, int, int]  # text, rowspan, colspan


def _span_rows(table: Table, packs: Packs) -> list[list[SpanCell]]:
    """The table as the official layout draws it: rows of (text, rowspan, colspan) cells."""
    spec = packs.table_layout(table.key, table.layout)
    rows: list[list[SpanCell]] = []
    if table.key == "table2" and spec is not None:
        blocks = {b.key: b for b in spec.blocks}
        width = max(len(b.columns) for b in spec.blocks) + 1
        current = object()
        for r in table.rows:
            if r.block != current:
                current = r.block
                b = blocks.get(r.block or "")
                if b is not None:
                    rows.append([(b.title, 1, width)])
                    rows.append(
                        [(spec.header_first_cell, 1, 1)]
                        + [(c.label, 1, _span(width - 1, len(b.columns), i)) for i, c in enumerate(b.columns)]
                    )
            n = len(r.cells)
            rows.append([(r.label, 1, 1)] + [(c.raw, 1, _span(width - 1, n, i)) for i, c in enumerate(r.cells)])
    elif table.key == "table3" and spec is not None:
        cols = spec.columns
        rows.append([(spec.corner_note, 3, 3), (spec.header_labels[0], 1, len(cols))])
        rows.append([(cols[0].label, 2, 1), (spec.header_labels[1], 1, len(cols) - 2), (cols[-1].label, 2, 1)])
        rows.append([(c.label, 1, 1) for c in cols[1:-1]])
        spans: dict[str, int] = {}
        for r in table.rows:
            for key, _label in _ancestors(spec, r):
                spans[key] = spans.get(key, 0) + 1
        opened: set[str] = set()
        for r in table.rows:
            chain = _ancestors(spec, r)
            cells: list[SpanCell] = []
            for key, label in chain:
                if key not in opened:
                    opened.add(key)
                    cells.append((label, spans[key], 1))
            cells.append((r.label, 1, 3 - len(chain)))
            cells.extend((c.raw, 1, 1) for c in r.cells)
            rows.append(cells)
    elif table.key == "table4" and spec is not None:
        n = len(spec.columns)
        h = spec.header_labels
        rows.append([(h[0], 1, n), (h[1], 1, 2 * n)])
        rows.append([(c.label, 2, 1) for c in spec.columns] + [(h[2], 1, n), (h[3], 1, n)])
        rows.append([(c.label, 1, 1) for c in spec.columns] * 2)
        rows.append([(c.raw, 1, 1) for r in table.rows for c in r.cells])
    else:
        for r in table.rows:
            rows.append([(r.label, 1, 1)] + [(c.raw, 1, 1) for c in r.cells])
    return rows


def _span(width: int, n: int, i: int) -> int:
    """Column span of cell ``i`` of ``n`` cells sharing ``width`` columns (the last takes the rest)."""
    if n == 0:
        return 1
    base = width // n
    return base if i < n - 1 else width - base * (n - 1)


# ----------------------------------------------------------------------------- DOCX
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
)
_PAGE_WIDTH_TWIPS = 9000  # text width of an A4 page with ordinary margins


def _x(text: str) -> str:
    return _html.escape(text, quote=False)


def _w_p(text: str, *, bold: bool = False, align: str | None = None, size: int | None = None) -> str:
    ppr = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    rpr = ""
    if bold or size:
        rpr = "<w:rPr>" + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "") + "</w:rPr>"
    run = f'<w:r>{rpr}<w:t xml:space="preserve">{_x(text)}</w:t></w:r>' if text else ""
    return f"<w:p>{ppr}{run}</w:p>"


def _w_continuations(pending: dict[tuple[int, int], int], r: int, col: int, cells: list[str]) -> int:
    """Append the vMerge continuation cells standing at (r, col); the grid column after them."""
    while (r, col) in pending:
        cs = pending.pop((r, col))
        span = f'<w:gridSpan w:val="{cs}"/>' if cs > 1 else ""
        cells.append(f"<w:tc><w:tcPr>{span}<w:vMerge/></w:tcPr><w:p/></w:tc>")
        col += cs
    return col


def _w_table(rows: list[list[SpanCell]]) -> str:
    """A WordprocessingML table: colspans as gridSpan, rowspans as vMerge restart/continue."""
    pending: dict[tuple[int, int], int] = {}  # (row, grid column) → colspan of a vMerge continuation
    xml_rows: list[str] = []
    width = 0
    for r, row in enumerate(rows):
        cells: list[str] = []
        col = 0
        for text, rs, cs in row:
            col = _w_continuations(pending, r, col, cells)
            props = (f'<w:gridSpan w:val="{cs}"/>' if cs > 1 else "") + ('<w:vMerge w:val="restart"/>' if rs > 1 else "")
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{_w_p(text)}</w:tc>")
            for dr in range(1, rs):
                pending[(r + dr, col)] = cs
            col += cs
        col = _w_continuations(pending, r, col, cells)
        width = max(width, col)
        xml_rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    col_w = _PAGE_WIDTH_TWIPS // max(width, 1)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{col_w}"/>' for _ in range(width))
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(xml_rows)}</w:tbl>'


def render_docx(report: Report, path: str | os.PathLike[str] | None = None, *, packs: Packs | None = None) -> bytes:
    """The report as a Word document (.docx bytes, also written to ``path`` when given), the
    tables with the official spans.

    Written with the standard library only (a minimal WordprocessingML package).
    """
    packs = packs or load_packs()
    md = report.metadata
    body: list[str] = []
    if md.publication is not None and md.publication.source == "metadata":
        body.append(_w_p(f"{md.publication.label or '发布日期'}：{md.publication.date.raw}"))
    if md.title:
        body.append(_w_p(md.title, bold=True, align="center", size=32))
    body.extend(_w_p(p.text) for p in report.preamble)
    for n, s in enumerate(report.sections):
        body.append(_w_p(s.heading, bold=True))
        body.extend(_w_p(p.text) for p in s.paragraphs)
        for t in report.tables:
            if t.section == s.number:
                body.append(_w_table(_span_rows(t, packs)))
                body.append(_w_p(""))
        if n == len(report.sections) - 1:
            body.extend(_w_p(p.text, align="right") for p in report.signature)
    if not report.sections:
        body.extend(_w_p(p.text, align="right") for p in report.signature)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
        'w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        # Fixed timestamps: the same report gives the same bytes.
        for name, data in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("word/_rels/document.xml.rels", _DOC_RELS),
            ("word/document.xml", document),
        ):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return _written(buf.getvalue(), path)


def _written(data: bytes, path: str | os.PathLike[str] | None) -> bytes:
    """``data``, written to ``path`` first when one is given."""
    if path is not None:
        with open(path, "wb") as f:
            f.write(data)
    return data


# ----------------------------------------------------------------------------- PDF
def _grid_matrix(rows: list[list[SpanCell]]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The span rows laid on a grid: every row's texts at their columns ("" under a span), and
    each merged cell as (first column, first row, last column, last row)."""
    occupied: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, str]] = []
    merges: list[tuple[int, int, int, int]] = []
    width = 0
    for r, row in enumerate(rows):
        col = 0
        for text, rs, cs in row:
            while (r, col) in occupied:
                col += 1
            placed.append((r, col, text))
            if rs > 1 or cs > 1:
                merges.append((col, r, col + cs - 1, r + rs - 1))
            occupied.update((r + dr, col + dc) for dr in range(rs) for dc in range(cs))
            col += cs
            width = max(width, col)
    width = max([width] + [c + 1 for _r, c in occupied])
    matrix = [[""] * width for _ in range(max((r for r, _c in occupied), default=-1) + 1)]
    for r, col, text in placed:
        matrix[r][col] = text
    return matrix, merges


def render_pdf(report: Report, path: str | os.PathLike[str] | None = None, *, packs: Packs | None = None) -> bytes:
    """The report as a PDF with a text layer (.pdf bytes, also written to ``path`` when given).

    Paragraphs in order, and the tables as ruled grids with the official merged cells; long labels
    wrap inside their cells. Needs reportlab (``pip install reportlab``); the font is its built-in
    STSong-Light CID font, so nothing is embedded and no font file is needed. The same report
    gives the same bytes.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    packs = packs or load_packs()
    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    # The title centred in 二号 (22 pt), as the official format sets it: a long one wraps.
    title = ParagraphStyle("title", fontName=font, fontSize=22, leading=32, alignment=1, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=6.5, leading=8)
    page_width = A4[0] - 80
    flow: list[object] = []

    def para(text: str) -> None:
        flow.append(Paragraph(_html.escape(text), body))

    md = report.metadata
    if md.publication is not None and md.publication.source == "metadata":
        para(f"{md.publication.label or '发布日期'}：{md.publication.date.raw}")
    if md.title:
        flow.append(Paragraph(_html.escape(md.title), title))
    for p in report.preamble:
        para(p.text)
    for n, s in enumerate(report.sections):
        para(s.heading)
        for p in s.paragraphs:
            para(p.text)
        for t in report.tables:
            if t.section != s.number:
                continue
            matrix, merges = _grid_matrix(_span_rows(t, packs))
            width = len(matrix[0]) if matrix else 1
            cells = [[Paragraph(_html.escape(text), cell_style) if text else "" for text in row] for row in matrix]
            # A wide first column for the labels of tables 二 and 三; table 四 is all figures.
            first = 110 if width <= 8 else 30
            widths = [first] + [(page_width - first) / (width - 1)] * (width - 1) if width > 1 else [page_width]
            style = TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), font)]
                + [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in merges]
            )
            flow.extend([RLTable(cells, colWidths=widths, style=style), Spacer(1, 8)])
        if n == len(report.sections) - 1:
            for p in report.signature:
                para(p.text)
    if not report.sections:
        for p in report.signature:
            para(p.text)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=40, rightMargin=40, invariant=True).build(flow)
    return _written(buf.getvalue(), path)
