"""``--format html``: the annotated report, one self-contained page per report (no network, no
script needed to read it), for a clerk to read, mail or archive.

The page shows the report as it was read — the title, the preamble, each section's heading and
paragraphs, its tables laid out with their rows and cells as written, the signature — and marks
every finding where it is: the characters of a sentence (a citation, a date, a number stated in
prose), a title or heading, a cell, a row or a whole table, in the colour of its severity. A
section the format requires and the report lacks stands as a ghost heading where it belongs;
what has no place in the text (no period stated, say) is marked at the head of the report. The
findings are listed beside it in the order of their places, each with its message (Chinese, then
English), its evidence (for a sum: the terms, the reported and the computed value; its cells are
outlined in the table when the finding is shown), the article or format clause it rests on, how
to fix it (from the catalogue) and, when the fix is mechanical, the suggested replacement. A
finding's number links to its mark and the mark to the finding (plain anchors, ``:target`` CSS).

Marked elements carry ``data-findings`` (the finding numbers); cells and paragraphs carry
``data-span="line:column"`` (their place in the input); each finding's mark holds an anchor
``id="m-N"``, its list entry is ``id="f-N"`` with ``data-code`` and ``data-fingerprint``: for tools
and tests. The web application (``opengov-lint serve``) shows the same page with its upload form,
buttons and downloads added through :class:`PageChrome`. Printing gives an A4 report: the
findings first, then the marked report.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal, TextIO

from attrs import field, frozen

from .._version import __version__
from ..checker import ReportOutcome
from ..errors import InputError
from ..findings import Finding, Severity
from ..model import Cell, CellKind, Report, Row, Section, SourceSpan, Table
from ..packs import Packs, load_packs
from ..textutil import normalize
from .base import Writer

__all__ = ["HtmlWriter", "PageChrome", "render_html_page", "HIGHLIGHT_COLOURS", "PAGE_CSS"]

# Background of a mark, by the worst severity among the findings that point at it.
HIGHLIGHT_COLOURS = {"error": "#ff8080", "warning": "#ffd24d", "info": "#80b3ff"}
_TABLE_NAMES = {"table2": "表二 / table 2", "table3": "表三 / table 3", "table4": "表四 / table 4"}
_SENTENCE_END = "。!?;"  # normalised: ！？； → !?;
_MAX_QUOTE = 300


def _e(s: object) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _key(span: SourceSpan | None) -> tuple[int, int] | None:
    return (span.line, span.column) if span is not None else None


@frozen
class PageChrome:
    """What the web application adds to the page; the static page has none of it. ``top``: HTML
    after the header (the upload form, banners, downloads); ``actions``: HTML under a finding
    (the apply-fix button); ``style`` and ``script``: more CSS, and a script that only enhances
    (the page reads and links without it)."""

    top: str = ""
    actions: Callable[[Finding], str] | None = field(default=None, eq=False)
    style: str = ""
    script: str = ""
    bottom: str = ""


# ---------------------------------------------------------------- the blocks of the report, in order

BlockKind = Literal["title", "para", "heading", "ghost", "table"]


@frozen
class _Block:
    kind: BlockKind
    text: str = ""
    span: SourceSpan | None = None
    section: Section | None = None
    table: Table | None = None
    ghost_number: int | None = None  # a section the format requires and the report lacks
    where: str = ""  # the part of the report it stands in, for the findings list


def _blocks(report: Report, findings: Sequence[Finding]) -> list[_Block]:
    md = report.metadata
    out: list[_Block] = []
    if md.title:
        out.append(_Block("title", md.title, md.title_span, where="标题 / title"))
    out += [_Block("para", p.text, p.span, where="前言 / preamble") for p in report.preamble]
    missing = sorted(
        {f.location.section for f in findings if f.code == "S001" and f.location.section is not None and not f.location.span}
    )
    ghosts = {n: next(f for f in findings if f.code == "S001" and f.location.section == n) for n in missing}
    placed: set[int] = set()
    tables = list(report.tables)
    used_tables: set[int] = set()

    def ghost(n: int) -> None:
        placed.add(n)
        out.append(_Block("ghost", ghosts[n].location.path, None, ghost_number=n, where=ghosts[n].location.path))

    for s in report.sections:
        for n in missing:
            if n not in placed and s.number is not None and n < s.number:
                ghost(n)
        out.append(_Block("heading", s.heading, s.span, section=s, where=s.heading))
        # the section's paragraphs and tables, by their place in the input
        items: list[tuple[tuple[int, int, int], _Block]] = []
        for i, p in enumerate(s.paragraphs):
            items.append(((p.span.line if p.span else 0, 0, i), _Block("para", p.text, p.span, section=s, where=s.heading)))
        for ti, t in enumerate(tables):
            if ti not in used_tables and t.section is not None and t.section == s.number:
                used_tables.add(ti)
                line = t.span.line if t.span else (s.paragraphs[-1].span.line if s.paragraphs and s.paragraphs[-1].span else 0)
                items.append(((line, 1, ti), _Block("table", "", t.span, section=s, table=t, where=s.heading)))
        out += [b for _, b in sorted(items, key=lambda x: x[0])]
    for n in missing:
        if n not in placed:
            ghost(n)
    out += [
        _Block("table", "", t.span, table=t, where=_TABLE_NAMES.get(t.key, t.key))
        for ti, t in enumerate(tables)
        if ti not in used_tables
    ]
    out += [_Block("para", p.text, p.span, where="落款 / signature") for p in report.signature]
    return out


# ---------------------------------------------------------------- where each finding is marked


@frozen
class _Place:
    """A finding's mark: a block and, for text, the characters ``start``..``end``; for a table,
    the cells (by index) and rows it points at, or the whole table."""

    block: int
    start: int = 0
    end: int = 0
    cells: tuple[tuple[int, int], ...] = ()  # (row index, cell index)
    rows: tuple[int, ...] = ()
    whole: bool = False


class _Marks:
    """Resolves every finding to its places in the blocks (none: a mark at the report's head)."""

    def __init__(self, blocks: Sequence[_Block], findings: Sequence[Finding]) -> None:
        self.blocks = blocks
        self.places: dict[int, list[_Place]] = {}
        self.terms: dict[tuple[int, int, int], list[int]] = {}  # (block, row, cell) → findings using it as a term
        self._tables = {b.table.key: i for i, b in enumerate(blocks) if b.table is not None}
        self._cell_at: dict[tuple[int, int], tuple[int, int, int]] = {}
        self._row_at: dict[tuple[int, int], tuple[int, int]] = {}
        for bi, b in enumerate(blocks):
            if b.table is None:
                continue
            for ri, r in enumerate(b.table.rows):
                rk = _key(r.span)
                if rk:
                    self._row_at.setdefault(rk, (bi, ri))
                for ci, c in enumerate(r.cells):
                    k = _key(c.span)
                    if k:
                        self._cell_at.setdefault(k, (bi, ri, ci))
        for i, f in enumerate(findings):
            self.places[i] = self._resolve(f)
            for t in (*f.evidence.left, *f.evidence.right):
                k = _key(t.span)
                if k and k in self._cell_at:
                    self.terms.setdefault(self._cell_at[k], []).append(i)

    # -- tables

    def _in_table(self, f: Finding) -> list[_Place]:
        loc = f.location
        bi = self._tables.get(loc.table or "")
        if bi is None:
            return []
        table = self.blocks[bi].table
        assert table is not None
        cells: list[tuple[int, int]] = []
        rows: list[int] = []
        if loc.row and loc.column:
            for ri, r in enumerate(table.rows):
                if r.key == loc.row:
                    cells += [(ri, ci) for ci, c in enumerate(r.cells) if c.column == loc.column]
                    break
            at = self._cell_at.get(_key(loc.span) or (0, 0))
            if not cells and at is not None and at[0] == bi:
                cells.append(at[1:])
        for t in f.evidence.cells:
            k = _key(t.span) or (0, 0)
            cell, row = self._cell_at.get(k), self._row_at.get(k)
            if cell is not None and cell[0] == bi:
                cells.append(cell[1:])
            elif row is not None and row[0] == bi:
                rows.append(row[1])
        if loc.row and not loc.column:
            rows += [ri for ri, r in enumerate(table.rows) if r.key == loc.row]
        if cells or rows:
            return [_Place(bi, cells=tuple(dict.fromkeys(cells)), rows=tuple(dict.fromkeys(rows)))]
        return [_Place(bi, whole=True)]

    # -- text

    def _in_text(self, f: Finding) -> list[_Place]:
        span = f.location.span
        if span is None:
            return []
        quote = normalize(f.fix.old if f.fix is not None else (f.evidence.quote or "")).strip()
        section = f.location.section
        whole: list[tuple[int, int]] = []  # a title or heading pointed at as a whole
        for bi, b in enumerate(self.blocks):
            if b.kind not in ("title", "heading") or _key(b.span) != _key(span):
                continue
            quoted = not quote or quote in normalize(b.text)
            if b.kind == "title" and section is None and quoted:
                whole.append((0, bi))
            elif b.kind == "heading" and b.section is not None and b.section.number == section:
                whole.append((0 if quoted else 1, bi))
            elif b.kind == "heading" and section is None and quoted:
                whole.append((2, bi))
        if whole:
            bi = min(whole)[1]
            return [_Place(bi, 0, len(self.blocks[bi].text))]
        # (preference, block, offset of the span, offset of the quote or -1, the span is the paragraph's)
        candidates: list[tuple[int, int, int, int, bool]] = []
        for bi, b in enumerate(self.blocks):
            if b.kind not in ("title", "para", "heading") or b.span is None or b.span.line != span.line:
                continue
            text = normalize(b.text)
            at = span.column - b.span.column
            if not 0 <= at < max(len(text), 1):
                continue
            whole_para = span == b.span or (_key(span) == _key(b.span) and span.end_column is None)
            q_at = -1
            if quote:
                hits = [i for i in _find_all(text, quote)]
                q_at = min(hits, key=lambda i: abs(i - at)) if hits else -1
            same = section is None or (b.section is not None and b.section.number == section)
            if quote and q_at == at:
                pref = 0 if same else 2
            elif not quote:
                pref = 1 if same else 3
            elif q_at >= 0:
                pref = 2 if same else 4
            else:
                pref = 5
            candidates.append((pref, bi, at, q_at, whole_para))
        if not candidates:
            return []
        _, bi, at, q_at, whole_para = min(candidates)
        b = self.blocks[bi]
        if whole_para:  # the rule points at the paragraph: its quote, when there is one, narrows it
            return [_Place(bi, q_at, q_at + len(quote))] if q_at >= 0 else [_Place(bi, 0, len(b.text))]
        if span.end_column is not None and span.end_line in (None, span.line) and span.end_column >= span.column:
            end = at + span.end_column - span.column + 1
            if end <= len(b.text):
                return [_Place(bi, at, end)]  # the characters the rule names
        if q_at >= 0:
            return [_Place(bi, q_at, q_at + len(quote))]
        return [_Place(bi, *_sentence(b.text, at))]

    def _resolve(self, f: Finding) -> list[_Place]:
        if f.code == "S001" and f.location.section is not None and not f.location.span:
            for bi, b in enumerate(self.blocks):
                if b.kind == "ghost" and b.ghost_number == f.location.section:
                    return [_Place(bi, 0, len(b.text))]
        if f.location.table:
            found = self._in_table(f)
            if found:
                return found
        return self._in_text(f)


def _number(v: int | float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.10g}"


def _find_all(text: str, sub: str) -> list[int]:
    out: list[int] = []
    i = text.find(sub)
    while i >= 0 and len(out) < 100:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def _sentence(text: str, offset: int) -> tuple[int, int]:
    n = normalize(text)
    start = max((n.rfind(ch, 0, offset) for ch in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (n.find(ch, offset) for ch in _SENTENCE_END) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start, max(end, start + 1)


# ---------------------------------------------------------------- drawing


def _worst(numbers: Sequence[int], findings: Sequence[Finding]) -> str:
    return max((findings[n].severity for n in numbers), key=lambda s: s.rank).value


class _Page:
    def __init__(self, o: ReportOutcome, packs: Packs, lang: str, chrome: PageChrome | None, previous: Report | None) -> None:
        self.o = o
        self.packs = packs
        self.lang = lang
        self.chrome = chrome or PageChrome()
        self.previous = previous
        raw = list(o.findings)
        blocks = _blocks(o.report, raw)
        marks = _Marks(blocks, raw)

        # number the findings by their places: what has no place first (the report's head), then
        # in the order of the report
        def place(i: int) -> tuple[int, int, int, int]:
            ps = marks.places[i]
            if not ps:
                return (-1, 0, 0, i)
            p = ps[0]
            if p.whole:
                return (p.block, -1, -1, i)  # the table's caption, above its rows
            if p.cells or p.rows:
                first = min([*p.cells, *((r, -1) for r in p.rows)])
                return (p.block, first[0], first[1], i)
            return (p.block, p.start, 0, i)

        order = sorted(range(len(raw)), key=place)
        self.findings = [raw[i] for i in order]
        renumber = {old: new for new, old in enumerate(order)}
        self.blocks = blocks
        self.places = {renumber[i]: ps for i, ps in marks.places.items()}
        self.terms = {k: sorted(renumber[i] for i in v) for k, v in marks.terms.items()}
        self.unplaced = [n for n in range(len(self.findings)) if not self.places[n]]
        # the marks of each block
        self.text_marks: dict[int, list[tuple[int, int, int]]] = {}
        self.cell_marks: dict[tuple[int, int, int], list[int]] = {}
        self.row_marks: dict[tuple[int, int], list[int]] = {}
        self.table_marks: dict[int, list[int]] = {}
        for n, ps in self.places.items():
            for p in ps:
                if self.blocks[p.block].kind == "table":
                    for ri, ci in p.cells:
                        self.cell_marks.setdefault((p.block, ri, ci), []).append(n)
                    for ri in p.rows:
                        self.row_marks.setdefault((p.block, ri), []).append(n)
                    if p.whole:
                        self.table_marks.setdefault(p.block, []).append(n)
                else:
                    self.text_marks.setdefault(p.block, []).append((p.start, p.end, n))
        self._anchored: set[int] = set()

    # -- pieces

    def anchor(self, n: int) -> str:
        if n in self._anchored:
            return ""
        self._anchored.add(n)
        return f'<span class=anchor id="m-{n + 1}"></span>'

    def refs(self, numbers: Sequence[int]) -> str:
        return "".join(
            f'<a class="ref sev-{self.findings[n].severity.value}" href="#f-{n + 1}" title="{_e(self.findings[n].code)}">{n + 1}</a>'
            for n in sorted(set(numbers))
        )

    def marked_text(self, bi: int, text: str) -> str:
        marks = self.text_marks.get(bi, [])
        if not marks:
            return _e(text)
        cuts = sorted(
            {0, len(text), *(max(0, min(len(text), s)) for s, _, _ in marks), *(max(0, min(len(text), e)) for _, e, _ in marks)}
        )
        out = []
        ends: dict[int, list[int]] = {}
        for s, e, n in marks:
            ends.setdefault(max(min(e, len(text)), min(s + 1, len(text))), []).append(n)
        for a, b in zip(cuts, cuts[1:]):
            covering = sorted(n for s, e, n in marks if s <= a and b <= max(e, s + 1))
            piece = _e(text[a:b])
            if covering:
                anchors = "".join(self.anchor(n) for n in covering)
                sev = _worst(covering, self.findings)
                piece = f'<mark class="hit sev-{sev}" data-findings="{" ".join(str(n + 1) for n in covering)}">{anchors}{piece}</mark>'
            out.append(piece)
            if b in ends:
                out.append(self.refs(ends.pop(b)))
        for rest in ends.values():  # marks at the very end of an empty text
            out.append(self.refs(rest))
        return "".join(out)

    def span_attr(self, span: SourceSpan | None) -> str:
        return f' data-span="{span.line}:{span.column}"' if span is not None else ""

    # -- blocks

    def block_html(self, bi: int, b: _Block) -> str:
        if b.kind == "title":
            return f'<h1 class="doc-title" id="b-{bi}"{self.span_attr(b.span)}>{self.marked_text(bi, b.text)}</h1>'
        if b.kind == "heading":
            return f'<h2 class="doc-heading" id="b-{bi}"{self.span_attr(b.span)}>{self.marked_text(bi, b.text)}</h2>'
        if b.kind == "ghost":
            return (
                f'<h2 class="doc-heading ghost" id="b-{bi}" title="报告缺少此部分 / the report lacks this part">'
                f"<span class=ghost-note>缺少 / missing：</span>{self.marked_text(bi, b.text)}</h2>"
            )
        if b.kind == "para":
            return f'<p class="doc-para" id="b-{bi}"{self.span_attr(b.span)}>{self.marked_text(bi, b.text)}</p>'
        assert b.table is not None
        return self.table_html(bi, b.table)

    def cell_html(self, bi: int, ri: int, ci: int, cell: Cell) -> str:
        hit = self.cell_marks.get((bi, ri, ci), [])
        classes = ["cell"]
        attrs = [f'id="c-{bi}-{ri}-{ci}"', f'data-column="{_e(cell.column)}"']
        if cell.span is not None:
            attrs.append(f'data-span="{cell.span.line}:{cell.span.column}"')
        if hit:
            classes += ["hit", f"sev-{_worst(hit, self.findings)}"]
            attrs.append(f'data-findings="{" ".join(str(n + 1) for n in sorted(set(hit)))}"')
        terms = self.terms.get((bi, ri, ci), [])
        if terms:
            classes.append("term")
            attrs.append(f'data-terms="{" ".join(str(n + 1) for n in terms)}"')
        raw = cell.raw if cell.raw.strip() else ""
        anchors = "".join(self.anchor(n) for n in sorted(set(hit)))
        return f'<td class="{" ".join(classes)}" {" ".join(attrs)} title="{_e(cell.column)}">{anchors}{_e(raw) or "&nbsp;"}{self.refs(hit)}</td>'

    def row_html(self, bi: int, ri: int, row: Row, width: int) -> str:
        hit = self.row_marks.get((bi, ri), [])
        cls = "label" + (f" hit sev-{_worst(hit, self.findings)}" if hit else "")
        data = f' data-findings="{" ".join(str(n + 1) for n in sorted(set(hit)))}"' if hit else ""
        anchors = "".join(self.anchor(n) for n in sorted(set(hit)))
        cells = "".join(self.cell_html(bi, ri, ci, c) for ci, c in enumerate(row.cells))
        pad = "".join("<td class=pad></td>" for _ in range(max(0, width - len(row.cells))))
        return (
            f'<tr id="r-{bi}-{ri}" data-row="{_e(row.key or "")}"><th class="{cls}" scope=row{self.span_attr(row.span)}{data}>'
            f"{anchors}{_e(row.label)}{self.refs(hit)}</th>{cells}{pad}</tr>"
        )

    def table_html(self, bi: int, t: Table) -> str:
        width = max((len(r.cells) for r in t.rows), default=0)
        hit = self.table_marks.get(bi, [])
        cls = "report-table" + (f" table-hit sev-{_worst(hit, self.findings)}" if hit else "")
        data = f' data-findings="{" ".join(str(n + 1) for n in sorted(set(hit)))}"' if hit else ""
        header = ""
        if t.header:
            labels = "".join(f"<th scope=col>{_e(h.text)}</th>" for h in t.header)
            header = f"<thead><tr class=header><th></th>{labels}</tr></thead>"
        rows = "".join(self.row_html(bi, ri, r, width) for ri, r in enumerate(t.rows))
        name = _TABLE_NAMES.get(t.key, t.key)
        anchors = "".join(self.anchor(n) for n in sorted(set(hit)))
        cap = (
            f' class="hit sev-{_worst(hit, self.findings)}" data-findings="{" ".join(str(n + 1) for n in sorted(set(hit)))}"'
            if hit
            else ""
        )
        return (
            f'<figure class=table-wrap id="b-{bi}"><figcaption{cap}>{anchors}{_e(name)} <small>（布局 layout: {_e(t.layout)}）</small>'
            f"{self.refs(hit)}</figcaption><div class=scroll>"
            f'<table class="{cls}" data-table="{_e(t.key)}"{self.span_attr(t.span)}{data}>{header}<tbody>{rows}</tbody></table></div></figure>'
        )

    def head_marks(self) -> str:
        if not self.unplaced:
            return ""
        items = "".join(
            f'<li class="hit sev-{self.findings[n].severity.value}" data-findings="{n + 1}">{self.anchor(n)}'
            f"<b>{_e(self.findings[n].code)}</b> {_e(self.findings[n].message_zh)}{self.refs([n])}</li>"
            for n in self.unplaced
        )
        return f'<section class=whole id="b-whole"><h2>关于全文 / about the whole report</h2><ul>{items}</ul></section>'

    # -- the findings list

    def message(self, f: Finding) -> str:
        if self.lang == "zh":
            return _e(f.message_zh)
        if self.lang == "en":
            return _e(f.message_en)
        return f"{_e(f.message_zh)}<br><span class=en>{_e(f.message_en)}</span>"

    def evidence(self, f: Finding) -> str:
        ev = f.evidence
        parts = []
        if ev.expression:
            rows = "".join(
                f"<tr><td>{side}</td><td>{_e(t.label)}</td><td class=val>{_e(t.raw or t.value)}</td><td class=val>{_e(t.value)}</td></tr>"
                for side, terms in (("左 left", ev.left), ("右 right", ev.right))
                for t in terms
            )
            parts.append(f"<div class=expr><code>{_e(ev.expression)}</code></div>")
            if ev.computed is not None or ev.reported is not None:
                parts.append(
                    f"<div class=values>计算 computed <b>{_e(ev.computed)}</b> · 填报 reported <b>{_e(ev.reported)}</b>"
                    f" · 差 difference <b>{_e(ev.difference)}</b></div>"
                )
            if rows:
                parts.append(
                    "<table class=terms><thead><tr><th></th><th>项 term</th><th>原文 written</th><th>取值 value</th></tr></thead>"
                    f"<tbody>{rows}</tbody></table>"
                )
        elif ev.quote:
            q = ev.quote if len(ev.quote) <= _MAX_QUOTE else ev.quote[: _MAX_QUOTE - 1] + "…"
            parts.append(f"<div class=quote>“{_e(q)}”</div>")
        if ev.cells:
            listed = "、".join(_e(t.location or t.label) for t in ev.cells[:12])
            more = f" … 另 {len(ev.cells) - 12} 个 / {len(ev.cells) - 12} more" if len(ev.cells) > 12 else ""
            parts.append(f"<div class=cells>单元格 / cells: {listed}{more}</div>")
        return f"<div class=evidence>{''.join(parts)}</div>" if parts else ""

    def finding_html(self, n: int, f: Finding) -> str:
        spec = self.packs.catalogue.get(f.code)
        how = ""
        if spec is not None and spec.doc is not None:
            zh = spec.doc.fix_zh
            how = f"<div class=how>如何改正 / how to fix: {_e(zh) + '<br><span class=en>' if zh else ''}{_e(spec.doc.fix)}{'</span>' if zh else ''}</div>"
        fix = ""
        if f.fix is not None:
            fix = f'<div class=fix data-fix="{n + 1}">建议修改 / suggested fix：<del>{_e(f.fix.old)}</del> → <ins>{_e(f.fix.new)}</ins></div>'
        actions = self.chrome.actions(f) if self.chrome.actions is not None else ""
        where = self.where(n)
        span = f.location.span
        pos = f"{span.line}:{span.column}" if span else ""
        return (
            f'<li id="f-{n + 1}" class="finding sev-{f.severity.value}" data-code="{_e(f.code)}" data-fingerprint="{_e(f.fingerprint)}">'
            f'<a class=goto href="#m-{n + 1}" title="在报告中查看 / show in the report">'
            f"<span class=num>{n + 1}</span> <b>{_e(f.code)}</b> {_e(f.severity.label_zh)} {_e(f.severity.value)}"
            f" · {_e(where)}{' · ' + _e(pos) if pos else ''}</a>"
            f"<div class=msg>{self.message(f)}</div>{self.evidence(f)}"
            f"<div class=cite>依据 / basis: {_e(f.citation)}</div>{how}{fix}{actions}</li>"
        )

    def where(self, n: int) -> str:
        ps = self.places[n]
        if not ps:
            return "全文 / whole report"
        b = self.blocks[ps[0].block]
        return b.where or self.findings[n].location.path

    # -- cross-year

    def crossyear_html(self) -> str:
        prev = self.previous
        if prev is None:
            return ""
        rows: list[str] = []
        by_cell = {
            (f.code, f.location.row, f.location.column): n for n, f in enumerate(self.findings) if f.code in ("T105", "T106")
        }
        report = self.o.report
        this3, prev3 = report.table("table3"), prev.table("table3")
        spec3 = self.packs.table_layout("table3", this3.layout) if this3 is not None else None
        if this3 is not None and prev3 is not None and spec3 is not None:
            now_row, prev_row = this3.row("carried_over"), prev3.row("carried_forward")
            if now_row is not None and prev_row is not None:
                for c in spec3.columns:
                    a, b = now_row.cell(c.key), prev_row.cell(c.key)
                    if a is None or b is None:
                        continue
                    n = by_cell.get(("T105", "carried_over", c.key))
                    both = a.kind is CellKind.NUMBER and b.kind is CellKind.NUMBER
                    rows.append(self.compare_row("表三 上年结转 / carried over", c.label, b.raw, "", a.raw, n, both))
        this2, prev2 = report.table("table2"), prev.table("table2")
        spec2 = self.packs.table_layout("table2", this2.layout) if this2 is not None else None
        if this2 is not None and prev2 is not None:
            for key in self.packs.regulation.crossyear.stock_rows:
                now_row, prev_row = this2.row(key), prev2.row(key)
                if now_row is None or prev_row is None:
                    continue
                cells = [prev_row.cell("in_force"), now_row.cell("issued"), now_row.cell("repealed"), now_row.cell("in_force")]
                if any(c is None for c in cells):
                    continue
                p, i, r, t = (c.raw for c in cells if c is not None)
                numbers = [c.value for c in cells if c is not None and c.kind is CellKind.NUMBER and c.value is not None]
                change = f"+{i} −{r}"
                if len(numbers) == 4:
                    change += f" = {_number(numbers[0] + numbers[1] - numbers[2])}"
                label = next((x.label for x in (spec2.rows if spec2 else ()) if x.key == key), now_row.label)
                n = by_cell.get(("T106", key, "in_force"))
                rows.append(self.compare_row("表二 现行有效件数 / in force", label, p, change, t, n, len(numbers) == 4))
        if not rows:
            return (
                "<section class=crossyear id=crossyear><h2>与上年报告对比 / compared with last year's report</h2>"
                f"<p>上年报告 / last year's report: {_e(prev.source_name or '')}（{_e(prev.metadata.report_year or '?')}年度）："
                "两份报告没有可对比的表格行 / the reports have no rows to compare</p></section>"
            )
        return (
            "<section class=crossyear id=crossyear><h2>与上年报告对比 / compared with last year's report</h2>"
            f"<p>上年报告 / last year's report: {_e(prev.source_name or '')}（{_e(prev.metadata.report_year or '?')}年度）</p>"
            "<table class=compare><thead><tr><th>检查 / check</th><th>项 / item</th><th>上年 / last year</th>"
            "<th>本年增减 / this year's changes</th><th>本年 / this year</th><th></th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>"
        )

    def compare_row(self, check: str, label: str, last: str, change: str, this: str, n: int | None, compared: bool) -> str:
        """One comparison: a finding's number when it disagrees, ✓ when it agrees, — when a value
        is not a number (nothing to compare)."""
        cls = f' class="hit sev-{self.findings[n].severity.value}" data-findings="{n + 1}"' if n is not None else ""
        verdict = self.refs([n]) if n is not None else ("✓" if compared else "—")
        return (
            f"<tr{cls}><td>{_e(check)}</td><td>{_e(label)}</td><td class=val>{_e(last)}</td><td class=val>{_e(change)}</td>"
            f"<td class=val>{_e(this)}</td><td>{verdict}</td></tr>"
        )

    # -- the page

    def term_css(self) -> str:
        """When a finding is shown (its mark is the target), its terms are outlined."""
        rules = []
        for n, f in enumerate(self.findings):
            if f.evidence.left or f.evidence.right:
                rules.append(
                    f'body:has(#m-{n + 1}:target) td[data-terms~="{n + 1}"]:not(:has(> .anchor:target))'
                    "{outline:2px dashed #000;outline-offset:-3px}"
                )
        return "\n".join(rules)

    def render(self) -> str:
        o, md = self.o, self.o.report.metadata
        counts = {s.value: sum(1 for f in self.findings if f.severity is s) for s in Severity}
        head = self.head_marks()
        body = "".join(self.block_html(bi, b) for bi, b in enumerate(self.blocks))
        if not self.blocks:
            body = "<p class=empty>未读出报告内容 / nothing of the report could be read</p>"
        items = (
            "".join(self.finding_html(n, f) for n, f in enumerate(self.findings))
            or "<li class=none>未发现问题 / no findings</li>"
        )
        base = ""
        if o.baseline_used:
            base = (
                f"<p class=baseline>基线已接受 {len(o.accepted)} 项，已不再出现 {len(o.absent)} 项 / "
                f"{len(o.accepted)} accepted in the baseline, {len(o.absent)} baseline entries no longer occur</p>"
            )
        name = f"{md.agency or '（未识别机关）'} {md.report_year or '?'}年度"
        legend = "".join(
            f'<span class="legend hit sev-{s.value}">{_e(s.label_zh)} {_e(s.value)} {counts[s.value]}</span>' for s in Severity
        )
        script = f"<script>{self.chrome.script}</script>" if self.chrome.script else ""
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="opengov-lint {_e(__version__)}">'
            f"<title>{_e(name)} · opengov-lint</title><style>{PAGE_CSS}\n{self.term_css()}\n{self.chrome.style}</style></head><body>"
            f"<header class=top><div class=brand>opengov-lint 政府信息公开工作年度报告检查 / annual report check</div>"
            f"<div class=meta><b>{_e(o.path)}</b> · {_e(md.agency or '（未识别机关）')} · {_e(md.report_year or '?')}年度 · "
            f"格式 format {_e(o.report.format.version)} · 共 {len(self.findings)} 项 / {len(self.findings)} findings {legend}</div>{base}</header>"
            f"{self.chrome.top}"
            f'<div class=layout><main class=doc><article class=paper aria-label="报告 / the report">{head}{body}</article>'
            f"{self.crossyear_html()}</main>"
            f'<aside class=findings aria-label="问题 / findings"><h2>问题 / findings（{len(self.findings)}）</h2><ol>{items}</ol></aside></div>'
            f"{self.chrome.bottom}"
            f"<footer class=foot>opengov-lint {_e(__version__)} · {_e(md.agency or '')} {_e(md.report_year or '')} · "
            + (
                ""
                if self.chrome.script
                else "本页不含脚本和外部资源，可离线阅读、打印或存档 / this page holds no script and no external resource: read, print or archive it offline"
            )
            + "</footer>"
            f"{script}</body></html>\n"
        )


def render_html_page(
    o: ReportOutcome,
    *,
    lang: str = "both",
    packs: Packs | None = None,
    chrome: PageChrome | None = None,
    previous: Report | None = None,
) -> str:
    """The annotated page of one checked report; ``previous``: last year's report, whose
    carry-over and stock rows are then shown beside this year's."""
    return _Page(o, packs or load_packs(), lang, chrome, previous).render()


PAGE_CSS = (
    """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#1d1d1d;background:#eef0f3;font-size:14px;line-height:1.6}
header.top{padding:10px 20px;background:#24406e;color:#fff}
header.top .brand{font-size:13px;opacity:.85}
header.top .meta{font-size:14px}
.legend{display:inline-block;padding:0 6px;margin-left:6px;border-radius:3px;color:#1d1d1d;font-size:12px}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(340px,2fr);gap:18px;padding:14px 20px;align-items:start}
.paper{background:#fff;padding:28px 36px;box-shadow:0 1px 4px rgba(0,0,0,.15);max-width:1100px}
h1.doc-title{font-size:22px;text-align:center;margin:0 0 18px;font-weight:bold}
h2.doc-heading{font-size:17px;margin:20px 0 8px}
h2.ghost{color:#8a1f1f;border:2px dashed #c44;padding:4px 8px;font-weight:normal}
.ghost-note{font-size:13px}
p.doc-para{margin:6px 0;text-indent:2em;white-space:pre-wrap}
mark{color:inherit;padding:0 1px;border-radius:2px}
.hit.sev-error,.report-table td.cell.hit.sev-error,.report-table th.label.hit.sev-error{background:"""
    + HIGHLIGHT_COLOURS["error"]
    + """}
.hit.sev-warning,.report-table td.cell.hit.sev-warning,.report-table th.label.hit.sev-warning{background:"""
    + HIGHLIGHT_COLOURS["warning"]
    + """}
.hit.sev-info,.report-table td.cell.hit.sev-info,.report-table th.label.hit.sev-info{background:"""
    + HIGHLIGHT_COLOURS["info"]
    + """}
.anchor{scroll-margin-top:90px}
mark:has(> .anchor:target),td:has(> .anchor:target),th:has(> .anchor:target),h1:has(> .anchor:target),h2:has(> .anchor:target),li:has(> .anchor:target){outline:3px solid #000;outline-offset:1px}
figure.table-wrap{margin:10px 0 16px}
figure.table-wrap figcaption{font-size:14px;font-weight:bold;margin:4px 0;padding:0 4px}
figure:has(> figcaption > .anchor:target) table{outline:3px solid #000}
.scroll{overflow-x:auto;padding:6px}
table.report-table{border-collapse:collapse;font-size:12.5px}
table.report-table.table-hit{box-shadow:0 0 0 4px #999}
table.report-table.table-hit.sev-error{box-shadow:0 0 0 4px """
    + HIGHLIGHT_COLOURS["error"]
    + """}
table.report-table.table-hit.sev-warning{box-shadow:0 0 0 4px """
    + HIGHLIGHT_COLOURS["warning"]
    + """}
table.report-table.table-hit.sev-info{box-shadow:0 0 0 4px """
    + HIGHLIGHT_COLOURS["info"]
    + """}
.report-table td,.report-table th{border:1px solid #999;padding:3px 6px;vertical-align:top}
.report-table th.label{background:#f2f2f2;text-align:left;font-weight:normal;max-width:24em}
.report-table td.cell{background:#fff;text-align:right;min-width:2.5em}
.report-table thead th{background:#f7f7f7;font-weight:normal;color:#444;font-size:12px}
.report-table td.pad{border:none}
.report-table td.term{text-decoration:underline dotted 2px}
a.ref{font-size:10px;vertical-align:super;margin-left:2px;color:#1d1d1d;text-decoration:none;border:1px solid #555;border-radius:6px;padding:0 3px;background:#fff}
section.whole{border:1px dashed #999;padding:6px 12px;margin-bottom:16px}
section.whole h2{font-size:14px;margin:0 0 4px}
section.whole ul{margin:0;padding-left:18px}
section.whole li{margin:2px 0;padding:0 4px}
aside.findings{position:sticky;top:0;max-height:100vh;overflow:auto;background:#fff;padding:10px 12px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
aside.findings h2{font-size:16px;margin:4px 0 8px}
aside.findings ol{list-style:none;padding:0;margin:0}
li.finding{border-left:6px solid #999;padding:6px 10px;margin:0 0 10px;background:#fafafa;font-size:13px}
li.finding.sev-error{border-color:"""
    + HIGHLIGHT_COLOURS["error"]
    + """}
li.finding.sev-warning{border-color:"""
    + HIGHLIGHT_COLOURS["warning"]
    + """}
li.finding.sev-info{border-color:"""
    + HIGHLIGHT_COLOURS["info"]
    + """}
li.finding:target{outline:2px solid #24406e}
a.goto{color:#1d1d1d;text-decoration:none;display:block}
a.goto:hover{text-decoration:underline}
.num{display:inline-block;min-width:1.6em;text-align:center;background:#333;color:#fff;border-radius:3px}
.msg{margin:4px 0}.en{color:#555}
.evidence,.cite,.how{color:#444;font-size:12px;margin-top:3px}
table.terms{border-collapse:collapse;margin:3px 0;font-size:12px}
table.terms td,table.terms th{border:1px solid #ccc;padding:1px 5px}
td.val{text-align:right}
.fix{margin-top:4px;font-size:13px}
.fix del{background:#ffd6d6;text-decoration:line-through}
.fix ins{background:#d6f5d6;text-decoration:none}
section.crossyear{background:#fff;padding:12px 20px;margin-top:16px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
table.compare{border-collapse:collapse;font-size:13px}
table.compare td,table.compare th{border:1px solid #999;padding:3px 8px}
.baseline{font-size:12px}
footer.foot{font-size:11px;color:#666;padding:6px 20px 16px}
@media (max-width:900px){.layout{grid-template-columns:1fr}aside.findings{position:static;max-height:none}}
@media print{
@page{size:A4;margin:14mm 12mm}
body{background:#fff;font-size:11pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
header.top{background:#fff;color:#000;border-bottom:2px solid #000;padding:0 0 6px}
.no-print,form,button{display:none!important}
.layout{display:flex;flex-direction:column;padding:0;gap:0}
aside.findings{order:-1;position:static;max-height:none;overflow:visible;box-shadow:none;padding:0}
main.doc{break-before:page}
.paper,section.crossyear{box-shadow:none;padding:0;max-width:none}
li.finding{break-inside:avoid}
a{color:inherit}
.scroll{overflow:visible}
}
"""
)


def _page_name(path: str, used: set[str]) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", Path(path).stem, flags=re.UNICODE) or "report"
    name, n = f"{stem}.html", 2
    while name in used:
        name, n = f"{stem}-{n}.html", n + 1
    used.add(name)
    return name


class HtmlWriter(Writer):
    """Without ``output_dir``: the page of the one report, to ``out`` (a second report is a
    ``ValueError``). With it: one page per report written into that folder as each report comes
    (created if needed), ``on_page`` told of each file written."""

    def __init__(
        self,
        out: TextIO,
        *,
        lang: str = "both",
        fail_on: str = "error",
        packs: Packs | None = None,
        output_dir: str | os.PathLike[str] | None = None,
        on_page: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__(out, lang=lang, fail_on=fail_on, packs=packs)
        self.folder = Path(output_dir) if output_dir is not None else None
        self.on_page = on_page
        self.written: list[Path] = []
        self._used: set[str] = set()
        self._page: str | None = None

    def begin(self) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{self.folder}: cannot create the output folder: {exc.strerror or exc}") from None

    def report(self, outcome: ReportOutcome) -> None:
        page = render_html_page(outcome, lang=self.lang, packs=self.packs)
        if self.folder is None:
            if self._page is not None:
                raise ValueError("HTML output is one page per report: give an output folder for several")
            self._page = page
            return
        target = self.folder / _page_name(outcome.path, self._used)
        try:
            target.write_text(page, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        self.written.append(target)
        if self.on_page is not None:
            self.on_page(target)

    def end(self, batch: Mapping[str, int] | None = None) -> None:
        if self._page is not None:
            self.out.write(self._page)
