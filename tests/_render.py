"""Test helper (issue 3): write one report model out in every style the corpus shows, as text,
HTML and DOCX, so the tests can check that each reads back to the same tables and findings.

The grids follow the format pack of the table's layout: header rows as the template has them
(with the spans of the merged header cells), then one row per layout row.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from opengov_lint.model import CellKind, Report, Table
from opengov_lint.packs import Packs, load_packs

Grid = list[list[tuple[str, int, int]]]  # rows of (text, rowspan, colspan)


def _raw(table: Table, key: str, n: int) -> list[str]:
    row = table.row(key)
    if row is None:
        return [""] * n
    out = [c.raw if c.kind is not CellKind.MISSING else "" for c in row.cells]
    return out + [""] * (n - len(out))


def table_grid(table: Table, packs: Packs) -> Grid:
    pack = packs.formats.get(table.layout) or next(p for p in packs.table_formats() if table.key in p.tables)
    spec = pack.tables[table.key]
    grid: Grid = []
    if table.key == "table2":
        for b in spec.blocks:
            width = 1 + len(b.columns)
            grid.append([(b.title, 1, width)])
            grid.append([(spec.header_first_cell or "信息内容", 1, 1)] + [(c.label, 1, 1) for c in b.columns])
            for r in b.rows:
                grid.append([(r.label, 1, 1)] + [(v, 1, 1) for v in _raw(table, r.key, len(b.columns))])
    elif table.key == "table3":
        cols = spec.columns
        grid.append([(spec.corner_note, 3, 1), ("申请人情况", 1, len(cols))])
        grid.append([(cols[0].label, 2, 1), ("法人或其他组织", 1, len(cols) - 2), (cols[-1].label, 2, 1)])
        grid.append([(c.label, 1, 1) for c in cols[1:-1]])
        for r in spec.rows:
            if r.kind == "group":
                grid.append([(r.label, 1, 1 + len(cols))])
            else:
                grid.append([(r.label, 1, 1)] + [(v, 1, 1) for v in _raw(table, r.key, len(cols))])
    else:  # table 四
        cols = spec.columns
        grid.append([("行政复议", 1, len(cols)), ("行政诉讼", 1, 2 * len(cols))])
        grid.append([(c.label, 2, 1) for c in cols] + [("未经复议直接起诉", 1, len(cols)), ("复议后起诉", 1, len(cols))])
        grid.append([(c.label, 1, 1) for c in cols] * 2)
        values: list[str] = []
        for g in spec.groups:
            values.extend(_raw(table, g.key, len(cols)))
        grid.append([(v, 1, 1) for v in values])
    return grid


def _cells(grid: Grid) -> list[list[str]]:
    return [[t for t, _, _ in row] for row in grid]


def render_table(table: Table, style: str, packs: Packs) -> list[str]:
    rows = _cells(table_grid(table, packs))
    if style == "pipes":
        return [" | ".join(r) for r in rows]
    if style == "markdown":
        out = []
        for i, r in enumerate(rows):
            out.append("| " + " | ".join(r) + " |")
            if i == 0:
                out.append("|" + "---|" * len(r))
        return out
    if style == "tabs":  # one cell per line, tab-indented, blank line between rows
        out = []
        for r in rows:
            out.extend("\t" + c for c in r)
            out.append("")
        return out
    if style == "paragraphs":  # a cell per paragraph, blank lines between
        out = []
        for r in rows:
            for c in r:
                out.extend([c, ""])
        return out
    if style == "pipe-cells":  # "cell |" per line, rows separated by "||"
        out = []
        for r in rows:
            out.extend(f"{c} |" if c else "|" for c in r)
            out.append("||")
        return out
    if style == "one-line":
        return [" ".join(" ".join(c for c in r if c) for r in rows)]
    raise ValueError(style)


def _body(report: Report) -> Iterable[tuple[str, object]]:
    """("title"|"p"|"heading"|"table", value) in reading order."""
    if report.metadata.title:
        yield "title", report.metadata.title
    for p in report.preamble:
        yield "p", p.text
    for s in report.sections:
        yield "heading", s.heading
        for p in s.paragraphs:
            yield "p", p.text
        for t in report.tables:
            if t.section == s.number:
                yield "table", t
    for p in report.signature:
        yield "p", p.text


def render_text(report: Report, style: str, packs: Packs | None = None) -> str:
    packs = packs or load_packs()
    lines: list[str] = []
    for kind, value in _body(report):
        if kind == "table":
            lines.extend(render_table(value, style, packs))  # type: ignore[arg-type]
        else:
            lines.append(str(value))
    if style == "one-line":
        return " ".join(x for x in lines if x) + "\n"
    return "\n".join(lines) + "\n"


def render_html(report: Report, packs: Packs | None = None, charset: str = "utf-8", table_as_image: str | None = None, layout_table: bool = False) -> str:
    packs = packs or load_packs()
    parts = [
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{html.escape(report.metadata.title or "")}</title></head><body>',
        '<div class="nav">当前位置：首页 &gt; 政府信息公开 &gt; 年报</div><div class="share">分享到：微信 微博</div>',
        '<div class="article"><div class="TRS_Editor">',
    ]
    if layout_table:  # an old-style page: navigation and article side by side in a layout table
        parts[-1] = '<table width="100%"><tr><td><a href="/">首页</a><br/><a href="/x">政务公开</a></td><td>'
    end = "</td></tr></table>" if layout_table else "</div></div>"
    for kind, value in _body(report):
        if kind == "title":
            parts.append(f"<h1>{html.escape(str(value))}</h1>")
        elif kind in ("p", "heading"):
            parts.append(f"<p><span>{html.escape(str(value))}</span></p>")
        else:
            t = value
            if table_as_image and t.key == table_as_image:  # type: ignore[union-attr]
                parts.append(f'<p><img src="/upload/{t.key}.png" alt=""></p>')  # type: ignore[union-attr]
                continue
            parts.append('<table border="1"><tbody>')
            for row in table_grid(t, packs):  # type: ignore[arg-type]
                parts.append("<tr>")
                for text, rs, cs in row:
                    attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                    if not text:
                        cell = "&nbsp;"
                    elif text.replace(".", "").isdigit():
                        cell = f"<span>{text}</span>&nbsp;&nbsp;"  # figures padded as CMS editors do
                    else:
                        half = len(text) // 2  # labels broken over two <p>/<br> lines, runs in <span>s
                        a, b = html.escape(text[:half]), html.escape(text[half:])
                        cell = f"<span>{a}</span><br/>\n   <span>{b}</span>" if len(text) > 6 else f"<span>{a}</span><span>{b}</span>"
                    parts.append(f"<td{attrs}><p>{cell}</p></td>")
                parts.append("</tr>")
            parts.append("</tbody></table>")
    parts.append(end + '<div class="footer">版权所有 网站地图</div></body></html>')
    return "\n".join(parts)


def render_docx(report: Report, path, packs: Packs | None = None) -> None:
    import docx

    packs = packs or load_packs()
    d = docx.Document()
    for kind, value in _body(report):
        if kind == "title":
            d.add_heading(str(value), level=1)
        elif kind == "heading":
            d.add_heading(str(value), level=2)
        elif kind == "p":
            d.add_paragraph(str(value))
        else:
            grid = table_grid(value, packs)  # type: ignore[arg-type]
            width = max(sum(cs for _, _, cs in row) for row in grid)
            t = d.add_table(rows=len(grid), cols=width)
            occupied: set[tuple[int, int]] = set()
            for ri, row in enumerate(grid):
                ci = 0
                for text, rs, cs in row:
                    while (ri, ci) in occupied:
                        ci += 1
                    cell = t.cell(ri, ci)
                    if rs > 1 or cs > 1:
                        cell = cell.merge(t.cell(ri + rs - 1, ci + cs - 1))
                    cell.text = text
                    for r in range(ri, ri + rs):
                        for c in range(ci, ci + cs):
                            occupied.add((r, c))
                    ci += cs
    d.save(str(path))


def render_pdf(report: Report, path, packs: Packs | None = None) -> None:
    """A PDF with a text layer (reportlab, the built-in STSong-Light CID font): paragraphs, and
    the tables as ruled grids with their merged header cells; long labels wrap inside cells."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    packs = packs or load_packs()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=15)
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6.5, leading=8)
    flow = []
    for kind, value in _body(report):
        if kind in ("title", "heading", "p"):
            flow.append(Paragraph(html.escape(str(value)), body))
            continue
        grid = table_grid(value, packs)  # type: ignore[arg-type]
        width = max(sum(cs for _, _, cs in row) for row in grid)
        matrix = [[""] * width for _ in grid]
        spans = []
        occupied: set[tuple[int, int]] = set()
        for ri, row in enumerate(grid):
            ci = 0
            for text, rs, cs in row:
                while (ri, ci) in occupied:
                    ci += 1
                matrix[ri][ci] = Paragraph(html.escape(text), cell_style) if text else ""
                if rs > 1 or cs > 1:
                    spans.append(("SPAN", (ci, ri), (ci + cs - 1, ri + rs - 1)))
                for r in range(ri, ri + rs):
                    for c in range(ci, ci + cs):
                        occupied.add((r, c))
                ci += cs
        first = 110 if width <= 8 else 30
        col_w = [first] + [(A4[0] - 80 - first) / (width - 1)] * (width - 1) if width > 1 else [A4[0] - 80]
        style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), *spans])
        flow.extend([RLTable(matrix, colWidths=col_w, style=style, repeatRows=0), Spacer(1, 8)])
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=40, rightMargin=40).build(flow)
