"""``--format html``: one self-contained page per report (no network, no script).

The page shows the report's tables as published (row labels and cells as written, in the order
written), highlights every cell a finding points at — the cell of its location, and the cells its
evidence is about (e.g. the blank cells of T004) — in the colour of the worst such finding, and
lists the findings beside the tables, each linking to its cells. Cells that are terms of an
arithmetic check are underlined, not highlighted. Each cell carries ``data-span="line:column"``
and, when highlighted, ``data-findings`` (the finding numbers), for tools and tests.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from .._version import __version__
from ..checker import ReportOutcome
from ..errors import InputError
from ..findings import Finding, Severity
from ..model import Cell, Row, SourceSpan, Table
from ..packs import Packs
from .base import Writer

__all__ = ["HtmlWriter", "render_html_page", "HIGHLIGHT_COLOURS"]

# Background of a highlighted cell, by the worst severity among the findings that point at it.
HIGHLIGHT_COLOURS = {"error": "#ff8080", "warning": "#ffd24d", "info": "#80b3ff"}
_CELL_BG = "#ffffff"
_LABEL_BG = "#f2f2f2"
_MAX_LINKS = 12  # cell links listed under a finding; all its cells are highlighted all the same
_TABLE_NAMES = {"table2": "表二 / table 2", "table3": "表三 / table 3", "table4": "表四 / table 4"}


def _e(s: object) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _span_key(span: SourceSpan | None) -> tuple[int, int] | None:
    return (span.line, span.column) if span is not None else None


def _msg(f: Finding, lang: str) -> str:
    if lang == "zh":
        return _e(f.message_zh)
    if lang == "en":
        return _e(f.message_en)
    return f"{_e(f.message_zh)}<br><span class=en>{_e(f.message_en)}</span>"


class _Marks:
    """Which cells (by source position) and row labels each finding points at."""

    def __init__(self, findings: Sequence[Finding], tables: Sequence[Table]) -> None:
        self.hits: dict[tuple[int, int], list[int]] = {}
        self.terms: dict[tuple[int, int], list[int]] = {}
        self.row_hits: dict[tuple[str, int], list[int]] = {}
        self.table_hits: dict[str, list[int]] = {}
        by_keys: dict[tuple[str, str, str], tuple[int, int]] = {}
        cell_spans: set[tuple[int, int]] = set()
        row_spans: dict[tuple[int, int], tuple[str, int]] = {}
        for t in tables:
            for ri, r in enumerate(t.rows):
                rk = _span_key(r.span)
                if rk:
                    row_spans.setdefault(rk, (t.key, ri))
                cell_spans.update(k for k in (_span_key(c.span) for c in r.cells) if k)
                for c in r.cells:
                    k = _span_key(c.span)
                    if r.key and k and (t.key, r.key, c.column) not in by_keys:
                        by_keys[(t.key, r.key, c.column)] = k
        for i, f in enumerate(findings, start=1):
            loc = f.location
            pointed = False
            if loc.table and loc.row and loc.column:
                k = by_keys.get((loc.table, loc.row, loc.column)) or _span_key(loc.span)
                if k:
                    self.hits.setdefault(k, []).append(i)
                    pointed = True
            for term in f.evidence.cells:  # the cells (or whole rows) the finding is about
                k = _span_key(term.span)
                if k in cell_spans:
                    self.hits.setdefault(k, []).append(i)
                    pointed = True
                elif k in row_spans:
                    self.row_hits.setdefault(row_spans[k], []).append(i)
                    pointed = True
            for term in (*f.evidence.left, *f.evidence.right):
                k = _span_key(term.span)
                if k:
                    self.terms.setdefault(k, []).append(i)
            if loc.table and loc.row and not loc.column:
                for t in tables:
                    if t.key == loc.table:
                        for ri, r in enumerate(t.rows):
                            if r.key == loc.row:
                                self.row_hits.setdefault((t.key, ri), []).append(i)
                                pointed = True
            if loc.table and not pointed:
                self.table_hits.setdefault(loc.table, []).append(i)


def _worst(numbers: Sequence[int], findings: Sequence[Finding]) -> Severity:
    return max((findings[n - 1].severity for n in numbers), key=lambda s: s.rank)


def _cell_html(t: Table, ri: int, ci: int, cell: Cell, marks: _Marks, findings: Sequence[Finding]) -> str:
    k = _span_key(cell.span)
    attrs = [f'id="c-{t.key}-{ri}-{ci}"', f'data-column="{_e(cell.column)}"']
    classes = ["cell"]
    if k:
        attrs.append(f'data-span="{k[0]}:{k[1]}"')
    hit = marks.hits.get(k, []) if k else []
    if hit:
        sev = _worst(hit, findings).value
        classes += ["hit", f"sev-{sev}"]
        attrs.append(f'data-findings="{" ".join(str(n) for n in sorted(set(hit)))}"')
    if k and k in marks.terms:
        classes.append("term")
    raw = cell.raw if cell.raw.strip() else ""
    title = f' title="{_e(cell.column)}"'
    refs = "".join(f'<a class=ref href="#f-{n}">{n}</a>' for n in sorted(set(hit)))
    return f'<td class="{" ".join(classes)}" {" ".join(attrs)}{title}>{_e(raw) or "&nbsp;"}{refs}</td>'


def _row_html(t: Table, ri: int, row: Row, marks: _Marks, findings: Sequence[Finding], width: int) -> str:
    hit = marks.row_hits.get((t.key, ri), [])
    cls = "label" + (f" hit sev-{_worst(hit, findings).value}" if hit else "")
    span = _span_key(row.span)
    data = f' data-span="{span[0]}:{span[1]}"' if span else ""
    refs = "".join(f'<a class=ref href="#f-{n}">{n}</a>' for n in sorted(set(hit)))
    cells = "".join(_cell_html(t, ri, ci, c, marks, findings) for ci, c in enumerate(row.cells))
    pad = "".join("<td class=pad></td>" for _ in range(max(0, width - len(row.cells))))
    return f'<tr id="r-{t.key}-{ri}"><th class="{cls}" scope=row{data}>{_e(row.label)}{refs}</th>{cells}{pad}</tr>'


def _table_html(t: Table, marks: _Marks, findings: Sequence[Finding]) -> str:
    width = max((len(r.cells) for r in t.rows), default=0)
    hit = marks.table_hits.get(t.key, [])
    refs = "".join(f'<a class=ref href="#f-{n}">{n}</a>' for n in sorted(set(hit)))
    cls = "report-table" + (f" table-hit sev-{_worst(hit, findings).value}" if hit else "")
    header = ""
    if t.header:
        labels = " ｜ ".join(_e(h.text) for h in t.header)
        header = f'<tr><td class=header colspan="{width + 1}">表头 / header: {labels}</td></tr>'
    rows = "".join(_row_html(t, ri, r, marks, findings, width) for ri, r in enumerate(t.rows))
    name = _TABLE_NAMES.get(t.key, t.key)
    return (
        f'<section class=table-wrap id="t-{t.key}"><h2>{_e(name)} <small>（布局 layout: {_e(t.layout)}）</small>{refs}</h2>'
        f'<table class="{cls}" data-table="{_e(t.key)}">{header}{rows}</table></section>'
    )


def _finding_html(i: int, f: Finding, o: ReportOutcome, marks: _Marks, lang: str) -> str:
    span = f.location.span
    pos = f"{span.line}:{span.column}" if span else "—"
    cells = _cells_of(i, o, marks)
    targets = [f'<a href="#{cid}">{_e(label)}</a>' for cid, label in cells[:_MAX_LINKS]]
    if len(cells) > _MAX_LINKS:
        targets.append(f"… 另 {len(cells) - _MAX_LINKS} 个 / {len(cells) - _MAX_LINKS} more")
    links = f"<div class=cells>单元格 / cells: {' '.join(targets)}</div>" if targets else ""
    terms = ""
    ev = f.evidence
    if ev.expression:
        parts = [f"{_e(t.label)} = {_e(t.raw or t.value)}" for t in (*ev.left, *ev.right)]
        terms = (
            f"<div class=evidence><code>{_e(ev.expression)}</code>"
            + (
                f"；计算 computed {_e(ev.computed)}，填报 reported {_e(ev.reported)}，差 difference {_e(ev.difference)}"
                if ev.computed is not None
                else ""
            )
            + (f"<details><summary>各项 terms ({len(parts)})</summary>{'<br>'.join(parts)}</details>" if parts else "")
            + "</div>"
        )
    elif ev.quote:
        terms = f"<div class=evidence>“{_e(ev.quote[:300])}”</div>"
    return (
        f'<li id="f-{i}" class="finding sev-{f.severity.value}" data-code="{_e(f.code)}" data-fingerprint="{_e(f.fingerprint)}">'
        f"<div class=head><span class=num>{i}</span> <b>{_e(f.code)}</b> {_e(f.slug)} · "
        f"{_e(f.severity.label_zh)} {_e(f.severity.value)} · {_e(pos)} · {_e(f.location.path)}</div>"
        f"<div class=msg>{_msg(f, lang)}</div>{terms}{links}"
        f"<div class=cite>依据 / citation: {_e(f.citation)}</div></li>"
    )


def _cells_of(i: int, o: ReportOutcome, marks: _Marks) -> list[tuple[str, str]]:
    out = []
    for t in o.report.tables:
        for ri, r in enumerate(t.rows):
            if i in marks.row_hits.get((t.key, ri), []):
                out.append((f"r-{t.key}-{ri}", r.label[:12]))
            for ci, c in enumerate(r.cells):
                k = _span_key(c.span)
                if k and i in marks.hits.get(k, []):
                    out.append((f"c-{t.key}-{ri}-{ci}", f"{r.label[:12]}/{c.column}"))
    return out


_CSS = (
    """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#fff}
header{padding:12px 20px;border-bottom:1px solid #ccc;background:#fafafa}
header h1{font-size:20px;margin:0 0 4px}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(320px,2fr);gap:20px;padding:12px 20px}
.tables h2{font-size:16px;margin:18px 0 6px}
table.report-table{border-collapse:collapse;font-size:13px}
table.report-table.table-hit{box-shadow:0 0 0 3px #999}
td,th{border:1px solid #999;padding:4px 6px;vertical-align:top}
th.label{background:"""
    + _LABEL_BG
    + """;text-align:left;font-weight:normal;max-width:22em}
td.cell{background:"""
    + _CELL_BG
    + """;text-align:right;min-width:2.5em}
td.header{background:#f7f7f7;color:#555;font-size:12px}
td.pad{background:#fff;border:none}
.hit.sev-error{background:"""
    + HIGHLIGHT_COLOURS["error"]
    + """}
.hit.sev-warning{background:"""
    + HIGHLIGHT_COLOURS["warning"]
    + """}
.hit.sev-info{background:"""
    + HIGHLIGHT_COLOURS["info"]
    + """}
td.term{text-decoration:underline dotted 2px}
a.ref{font-size:10px;vertical-align:super;margin-left:2px;color:#333}
.findings{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}
.findings ol{list-style:none;padding:0;margin:0}
li.finding{border-left:6px solid #999;padding:6px 10px;margin:0 0 10px;background:#fcfcfc;font-size:13px}
li.finding.sev-error{border-color:"""
    + HIGHLIGHT_COLOURS["error"]
    + """}
li.finding.sev-warning{border-color:"""
    + HIGHLIGHT_COLOURS["warning"]
    + """}
li.finding.sev-info{border-color:"""
    + HIGHLIGHT_COLOURS["info"]
    + """}
li.finding:target{outline:2px solid #333}
.num{display:inline-block;min-width:1.6em;text-align:center;background:#333;color:#fff;border-radius:3px}
.msg{margin:4px 0}.en{color:#555}.cite,.cells,.evidence{color:#555;font-size:12px;margin-top:3px}
td:target,th:target{outline:3px solid #000;outline-offset:-3px}
.baseline{font-size:12px;color:#555}
"""
)


def render_html_page(o: ReportOutcome, *, lang: str = "both") -> str:
    """The page for one checked report."""
    md = o.report.metadata
    findings = list(o.findings)
    marks = _Marks(findings, o.report.tables)
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    tables = (
        "".join(_table_html(t, marks, findings) for t in o.report.tables) or "<p>未识别出表格 / no tables were recognised</p>"
    )
    items = (
        "".join(_finding_html(i, f, o, marks, lang) for i, f in enumerate(findings, start=1))
        or "<li>未发现问题 / no findings</li>"
    )
    base = ""
    if o.baseline_used:
        base = (
            f"<p class=baseline>基线已接受 {len(o.accepted)} 项，已不再出现 {len(o.absent)} 项 / "
            f"{len(o.accepted)} accepted in the baseline, {len(o.absent)} baseline entries no longer occur</p>"
        )
    title = f"{md.agency or '（未识别机关）'} {md.report_year or '?'}年度 · opengov-lint"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" content="opengov-lint {_e(__version__)}">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(md.title or title)}</h1>"
        f"<div>{_e(o.path)} · {_e(md.agency or '（未识别机关）')} · {_e(md.report_year or '?')}年度 · 格式 format {_e(o.report.format.version)} · "
        f"错误 {counts['error']} / 警告 {counts['warning']} / 提示 {counts['info']} "
        f"(errors {counts['error']}, warnings {counts['warning']}, infos {counts['info']})</div>{base}</header>"
        f"<div class=layout><main class=tables>{tables}</main>"
        f"<aside class=findings><h2>问题 / findings</h2><ol>{items}</ol></aside></div>"
        "</body></html>\n"
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
        page = render_html_page(outcome, lang=self.lang)
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
