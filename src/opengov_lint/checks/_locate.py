"""Helpers shared by the built-in rules: names and paths for locations, values for arithmetic."""

from __future__ import annotations

from collections.abc import Iterator

from .. import numerals
from ..findings import Location, Term
from ..model import Cell, CellCountDetail, CellKind, ParseNote, Report, Row, SourceSpan, Table
from ..packs import FormatPack, Packs, TableSpec
from .base import LintContext

TABLE_SECTION = {"table2": 2, "table3": 3, "table4": 4}
# A table is named by its section's number, as headings write it (table3 → 三).
TABLE_NUMERAL = {key: numerals.to_chinese(n) for key, n in TABLE_SECTION.items()}


def numeral(n: int | None) -> str:
    """A section or table number as headings write it (3 → 三)."""
    return numerals.to_chinese(n) if n and n > 0 else str(n)


def format_with_tables(report: Report, context: LintContext) -> FormatPack | None:
    """The format in force for the report, when it has table layouts (None: no year, or a
    regime without tables)."""
    pack = context.format_in_force(report)
    return pack if pack is not None and pack.tables else None


def table_spec(table: Table, fallback: FormatPack | None, packs: Packs) -> TableSpec | None:
    """The layout the table follows, or the one in force when its own is not known."""
    return packs.table_layout(table.key, table.layout, fallback)


def column_label(spec: TableSpec | None, key: str, block: str | None = None) -> str:
    if spec is None:
        return key
    for c in spec.columns:
        if c.key == key:
            return c.label
    for b in spec.blocks:
        if block is None or b.key == block:
            for c in b.columns:
                if c.key == key:
                    return c.label
    return key


def row_label(spec: TableSpec | None, row: Row) -> str:
    if spec is not None and row.key:
        for r in spec.rows:
            if r.key == row.key:
                return r.label
        for g in spec.groups:
            if g.key == row.key:
                return g.label
        for b in spec.blocks:
            for r in b.rows:
                if r.key == row.key:
                    return r.label
    return row.label


def short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def cell_path(table: Table, spec: TableSpec | None, row: Row, column: str) -> str:
    return f"{TABLE_NUMERAL.get(table.key, table.key)}/{short(row_label(spec, row))}/{column_label(spec, column, row.block)}"


def cell_location(table: Table, spec: TableSpec | None, row: Row, column: str) -> Location:
    cell = row.cell(column)
    return Location(
        path=cell_path(table, spec, row, column),
        section=TABLE_SECTION.get(table.key),
        table=table.key,
        row=row.key,
        column=column,
        span=(cell.span if cell and cell.span else row.span),
    )


def table_location(table: Table, context: LintContext, span: SourceSpan | None = None) -> Location:
    return Location(
        path=context.location("table") + TABLE_NUMERAL.get(table.key, table.key),
        section=TABLE_SECTION.get(table.key),
        table=table.key,
        span=span or table.span,
    )


ZERO_LIKE = (CellKind.BLANK, CellKind.NIL_WORD, CellKind.DASH, CellKind.SLASH)


def arithmetic_value(cell: Cell | None) -> int | float | None:
    """The value a sum uses: numbers as written, blank/无/-// as 0, text or missing unknown."""
    if cell is None:
        return None
    if cell.kind is CellKind.NUMBER:
        return cell.value
    if cell.kind in ZERO_LIKE:
        return 0
    return None


def term(table: Table, spec: TableSpec | None, row: Row, column: str) -> Term:
    cell = row.cell(column)
    return Term(
        label=f"{short(row_label(spec, row))}[{column_label(spec, column, row.block)}]",
        value=arithmetic_value(cell),
        raw=cell.raw if cell else "",
        location=cell_path(table, spec, row, column),
        span=cell.span if cell else None,
    )


def all_text(report: Report) -> Iterator[tuple[str, SourceSpan | None]]:
    """(text, span) of the title and every prose paragraph."""
    md = report.metadata
    if md.title:
        yield md.title, md.title_span
    for _section, p in report.paragraphs():
        yield p.text, p.span


def format_number(v: int | float | None) -> str:
    """A value as messages write it: a whole number without a decimal point, a fraction to ten
    significant digits (float noise such as 0.20000000000000107 dropped), "?" for none."""
    if v is None:
        return "?"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.10g}"
    return str(v)


def span_at(span: SourceSpan | None, offset: int, length: int) -> SourceSpan | None:
    """The span of ``length`` characters ``offset`` characters into ``span`` (one line)."""
    if span is None:
        return None
    col = span.column + offset
    return SourceSpan(line=span.line, column=col, end_line=span.line, end_column=col + max(length - 1, 0))


def cell_count_notes(report: Report, table_key: str) -> list[tuple[ParseNote, CellCountDetail]]:
    """Parse notes saying a row (detail row set) or the whole table (row None) of ``table_key``
    was read with more or fewer cells than columns."""
    return [(n, n.detail) for n in report.notes if isinstance(n.detail, CellCountDetail) and n.detail.table == table_key]


def misaligned(report: Report, table_key: str) -> tuple[bool, set[str]]:
    """(the whole table is misaligned, the rows that are): no identity may use them."""
    notes = cell_count_notes(report, table_key)
    return any(d.row is None for _, d in notes), {d.row for _, d in notes if d.row}
