"""Rendering a report model back into the text people publish.

:func:`render_text` writes the canonical text of a report in one of the styles the text parser
reads (see ``TEXT_STYLES``); in every style of ``LOSSLESS_STYLES``, ``parse(render_text(r, style))``
gives ``r`` back, up to what :func:`comparable` leaves out (source spans and the parser's notes on
how it recognised things); in the ``concatenated`` style it does when every split is unambiguous.
:func:`render_html` writes an HTML page with the tables in their official row and column spans;
``parse(page.encode(), input_format="html")`` gives the report back as well.

Labels come from the format packs; nothing here knows the rules.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterator

import attrs

from ..model import Report, Row, Table
from ..packs import Packs, TableSpec, load_packs

__all__ = ["LOSSLESS_STYLES", "TEXT_STYLES", "comparable", "render_docx", "render_html", "render_text"]

TEXT_STYLES = ("lines", "plain", "pipes", "markdown", "concatenated")
"""``lines``: one cell per line, tab-indented, a blank line between rows (a copy from a web page);
``plain``: one cell per line, no indentation, no row breaks; ``pipes``: a row per line, cells
joined by ``|``; ``markdown``: GitHub-style pipe tables with a header separator row;
``concatenated``: each table on one line with every separator lost, labels and numbers run
together (``一、本年新收政府信息公开申请数量801000081``, the 平潭 pages). Only the
``concatenated`` style can lose information: where the digits of a row allow more than one split
the parser leaves the row unread and says so (X002), so its round trip holds only for reports
whose splits are unambiguous."""

LOSSLESS_STYLES = ("lines", "plain", "pipes", "markdown")
"""The styles in which every cell is written apart: ``parse(render_text(r, style))`` gives ``r``
back for every report ``r`` (up to :func:`comparable`)."""


# ----------------------------------------------------------------------------- comparison
_PROVENANCE = {
    "span": None,
    "title_span": None,
}


def comparable(report: Report) -> Report:
    """``report`` without what records how it was read rather than what it says.

    Drops: every source span, ``metadata.dates`` (every date expression seen), the reasons of
    the format detection and of each table's layout, the tables' header labels as written, and
    ``source_name``. Everything else (text, numbers, cells as written, keys, withholdings, notes)
    stays, so ``comparable(parse(render_text(r))) == comparable(r)`` is a strong round trip.
    """

    def strip(obj):
        if attrs.has(type(obj)):
            changes = {}
            for f in attrs.fields(type(obj)):
                v = getattr(obj, f.name)
                if f.name in _PROVENANCE:
                    if v is not None:
                        changes[f.name] = None
                    continue
                nv = strip(v)
                if nv is not v:
                    changes[f.name] = nv
            return attrs.evolve(obj, **changes) if changes else obj
        if isinstance(obj, tuple):
            items = tuple(strip(x) for x in obj)
            return items if any(a is not b for a, b in zip(items, obj)) else obj
        return obj

    r = strip(report)
    md = attrs.evolve(r.metadata, dates=())
    tables = tuple(attrs.evolve(t, header=(), layout_reasons=()) for t in r.tables)
    return attrs.evolve(r, metadata=md, tables=tables, format=attrs.evolve(r.format, reasons=()), source_name=None)


# ----------------------------------------------------------------------------- text
def render_text(report: Report, style: str = "lines", *, packs: Packs | None = None) -> str:
    """The report as text in ``style`` (one of ``TEXT_STYLES``)."""
    if style not in TEXT_STYLES:
        raise ValueError(f"unknown text style {style!r}; use one of: {', '.join(TEXT_STYLES)}")
    packs = packs or load_packs()
    md = report.metadata
    out: list[str] = []
    pub = md.publication
    if pub is not None and pub.source == "metadata":
        out.append(f"{pub.label or '发布日期'}：{pub.date.raw}")
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
    return "\n".join(out).rstrip("\n") + "\n" if out else ""


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
    block = object()
    blocks = {b.key: b for b in spec.blocks} if spec else {}
    for r in table.rows:
        if r.block != block:
            block = r.block
            b = blocks.get(r.block or "")
            if b is not None:
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


class _Labelled(list):
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
def render_html(report: Report, *, packs: Packs | None = None) -> str:
    """A standalone HTML page: title, prose, and the tables with the official row/column spans."""
    packs = packs or load_packs()
    e = _html.escape
    md = report.metadata
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">', f"<title>{e(md.title or '')}</title></head><body>"]
    if md.publication is not None and md.publication.source == "metadata":
        out.append(f'<p class="meta">{e(md.publication.label or "发布日期")}：{e(md.publication.date.raw)}</p>')
    if md.title:
        out.append(f"<h1>{e(md.title)}</h1>")
    out.extend(f"<p>{e(p.text)}</p>" for p in report.preamble)
    for n, s in enumerate(report.sections):
        out.append(f"<h2>{e(s.heading)}</h2>")
        out.extend(f"<p>{e(p.text)}</p>" for p in s.paragraphs)
        for t in report.tables:
            if t.section == s.number:
                out.append(_html_table(t, packs))
        if n == len(report.sections) - 1:
            out.extend(f'<p class="signature">{e(p.text)}</p>' for p in report.signature)
    if not report.sections:  # as render_text and render_docx: the signature is not dropped
        out.extend(f'<p class="signature">{e(p.text)}</p>' for p in report.signature)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs_ = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs_}>{_html.escape(text)}</td>"


def _html_table(table: Table, packs: Packs) -> str:
    body = "\n".join("<tr>" + "".join(_td(*c) for c in row) + "</tr>" for row in _span_rows(table, packs))
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
                    rows.append([(spec.header_first_cell, 1, 1)] + [(c.label, 1, _span(width - 1, len(b.columns), i)) for i, c in enumerate(b.columns)])
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
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{col_w}"/>' for _ in range(width))
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(xml_rows)}</w:tbl>'


def render_docx(report: Report, *, packs: Packs | None = None) -> bytes:
    """The report as a Word document (.docx bytes), the tables with the official spans.

    Written with the standard library only (a minimal WordprocessingML package).
    """
    import io
    import zipfile

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
    return buf.getvalue()
