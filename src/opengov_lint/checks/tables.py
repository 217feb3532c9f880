"""Table rules: presence, format version, layout, cell contents and the identities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence, Set

from ..findings import Evidence, Finding, Location, Term
from ..model import Cell, CellKind, ImageTableDetail, NoteKind, Report, Row, SourceSpan, Table
from ..packs import Identity, TableSpec
from ..textutil import label_key
from ._locate import (
    TABLE_NUMERAL,
    TABLE_SECTION,
    ZERO_LIKE,
    arithmetic_value,
    cell_count_notes,
    cell_location,
    column_label,
    format_number,
    format_with_tables,
    misaligned,
    row_label,
    table_location,
    table_spec,
    term,
)
from .base import LintContext, Rule, register

_SECTION_TABLE = {"proactive": "table2", "applications": "table3", "review_litigation": "table4"}


@register
class MissingTable(Rule):
    code = "T001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        if format_with_tables(report, context) is None:
            return
        present = {t.key for t in report.tables}
        for s in report.sections:
            tkey = _SECTION_TABLE.get(s.key or "")
            # An empty section is S004's; here: prose where the table should be.
            # An image where the table should be (the HTML reader notes it; see X003).
            image = next(
                (n.message for n in report.notes if isinstance(n.detail, ImageTableDetail) and n.detail.section == s.number), None
            )
            if tkey and tkey not in present and (s.paragraphs or image):
                details = {"paragraphs": str(len(s.paragraphs))}
                if image:
                    details["image"] = image
                yield self.finding(
                    Location(path=f"{s.heading}", section=s.number, table=tkey, span=s.span),
                    Evidence(quote=s.heading, details=details),
                    discriminator=tkey,
                    numeral=TABLE_NUMERAL[tkey],
                    heading=s.heading,
                )


@register
class OutdatedFormat(Rule):
    code = "T002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        year = report.metadata.report_year
        pack = context.format_in_force(report)
        if year is None or pack is None:
            return
        detected = context.format_pack(report.format.version)
        if detected is not None and detected.legacy and not pack.legacy:
            yield self.finding(
                Location(path=context.location("structure"), span=report.sections[0].span if report.sections else None),
                Evidence(details={"detected": detected.id, "reasons": "；".join(report.format.reasons), "in_force": pack.id}),
                variant="structure",
                discriminator="structure",
                year=year,
                in_force=pack.name_zh,
                in_force_en=pack.name_en,
                reason="；".join(report.format.reasons),
            )
        for t in report.tables:
            used = context.format_pack(t.layout)
            if used is None or used.id == pack.id or not used.tables:
                continue
            if used.last_report_year is not None and used.last_report_year < year:
                yield self.finding(
                    table_location(t, context),
                    Evidence(details={"layout": used.id, "in_force": pack.id, "reasons": "；".join(t.layout_reasons)}),
                    variant="table",
                    discriminator=t.key,
                    numeral=TABLE_NUMERAL.get(t.key, t.key),
                    year=year,
                    used=used.name_zh,
                    used_en=used.name_en,
                    notice=used.notice_number,
                    in_force=pack.name_zh,
                    in_force_en=pack.name_en,
                    reason="；".join(t.layout_reasons) or self.word("layout"),
                )


@register
class LayoutMismatch(Rule):
    code = "T003"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        in_force = format_with_tables(report, context)
        for t in report.tables:
            spec = table_spec(t, in_force, context.packs)
            if spec is None:
                continue
            yield from self._rows(t, spec)
            yield from self._header(t, spec)
            # Rows whose cells ran together and could not be split are X002's, not missing cells.
            unsplit = {n.span for n in report.notes if n.kind is NoteKind.AMBIGUOUS_SPLIT and n.span is not None}
            if not misaligned(report, t.key)[0]:  # a misaligned table is one finding, not one per row
                yield from self._cells(t, spec, unsplit)
            yield from self._cell_counts(report, context, t, spec)

    def _expected_rows(self, spec: TableSpec) -> list[tuple[str, str, str | None]]:
        if spec.blocks:
            return [(r.key, r.label, b.key) for b in spec.blocks for r in b.rows]
        if spec.groups:
            return []
        return [(r.key, r.label, r.parent) for r in spec.rows if r.kind != "group"]

    def _rows(self, t: Table, spec: TableSpec) -> Iterator[Finding]:
        present = {r.key for r in t.rows}
        num = TABLE_NUMERAL.get(t.key, t.key)
        missing = [(key, label) for key, label, _parent in self._expected_rows(spec) if key not in present]
        if missing:
            # One finding per table: an excerpt or a lost block misses many rows at once.
            labels = "、".join(f"“{label}”" for _, label in missing)
            yield self.finding(
                Location(path=f"{num}", section=TABLE_SECTION.get(t.key), table=t.key, span=t.span),
                Evidence(details={"missing_rows": "；".join(label for _, label in missing), "count": str(len(missing))}),
                variant="missing-rows",
                discriminator="missing-rows:" + ",".join(k for k, _ in missing),
                numeral=num,
                count=len(missing),
                labels=labels,
            )
        for r in t.rows:
            if r.key is None:
                yield self.finding(
                    Location(path=f"{num}/{r.label}", section=TABLE_SECTION.get(t.key), table=t.key, span=r.span),
                    Evidence(quote=r.label),
                    variant="extra-row",
                    discriminator=f"extra-row:{label_key(r.label)}",
                    numeral=num,
                    label=r.label,
                )
            elif not spec.groups:
                expected = row_label(spec, r)
                if label_key(expected) != label_key(r.label) and label_key(expected) not in label_key(r.label):
                    yield self.finding(
                        Location(path=f"{num}/{expected}", section=TABLE_SECTION.get(t.key), table=t.key, row=r.key, span=r.span),
                        Evidence(quote=r.label, details={"written": r.label, "expected": expected}),
                        variant="altered-label",
                        discriminator=f"row-label:{r.key}:{label_key(r.label)}",
                        numeral=num,
                        written=r.label,
                        expected=expected,
                    )

    def _header(self, t: Table, spec: TableSpec) -> Iterator[Finding]:
        if not t.header:
            return
        num = TABLE_NUMERAL.get(t.key, t.key)
        known = {label_key(x) for x in spec.header_labels}
        known |= {label_key(c.label) for c in spec.columns}
        known |= {label_key(c.label) for b in spec.blocks for c in b.columns}
        known |= {label_key(b.title) for b in spec.blocks}
        if spec.header_first_cell:
            known.add(label_key(spec.header_first_cell))
        seen: set[str] = set()
        for h in t.header:
            k = label_key(h.text)
            if not k or k in known or k in seen or any(k in x for x in known if len(k) >= 2 and h.column):
                continue
            seen.add(k)
            expected = column_label(spec, h.column, h.block) if h.column else ""
            variant = "altered-header" if expected else "unknown-header"
            yield self.finding(
                Location(
                    path=self.word("header_path", numeral=num, text=h.text),
                    section=TABLE_SECTION.get(t.key),
                    table=t.key,
                    column=h.column,
                    span=h.span,
                ),
                Evidence(quote=h.text, details={"written": h.text, "expected": expected}),
                variant=variant,
                discriminator=f"header:{k}",
                numeral=num,
                written=h.text,
                expected=expected,
            )

    def _cell_counts(self, report: Report, context: LintContext, t: Table, spec: TableSpec) -> Iterator[Finding]:
        """Rows read with extra cells, and tables read with the wrong number of cells: the
        positions are uncertain (absent cells of a row are _cells' finding)."""
        num = TABLE_NUMERAL.get(t.key, t.key)
        for note, d in cell_count_notes(report, t.key):
            if d.row is None:
                yield self.finding(
                    table_location(t, context, note.span),
                    Evidence(details={"found": str(d.found), "expected": str(d.expected)}),
                    variant="table-cell-count",
                    discriminator=f"table-cells:{d.found}",
                    numeral=num,
                    found=d.found,
                    expected=d.expected,
                )
            elif note.kind is NoteKind.EXTRA_CELLS:
                row = t.row(d.row)
                label = row_label(spec, row) if row is not None else d.row
                yield self.finding(
                    Location(path=f"{num}/{label}", section=TABLE_SECTION.get(t.key), table=t.key, row=d.row, span=note.span),
                    Evidence(details={"found": str(d.found), "expected": str(d.expected)}),
                    variant="extra-cells",
                    discriminator=f"extra-cells:{d.row}",
                    numeral=num,
                    label=label,
                    found=d.found,
                    expected=d.expected,
                )

    def _cells(self, t: Table, spec: TableSpec, unsplit: Set[SourceSpan] = frozenset()) -> Iterator[Finding]:
        num = TABLE_NUMERAL.get(t.key, t.key)
        for r in t.rows:
            if r.span is not None and r.span in unsplit:
                continue
            missing = [c for c in r.cells if c.kind is CellKind.MISSING]
            if missing:
                yield self.finding(
                    Location(
                        path=f"{num}/{row_label(spec, r)}", section=TABLE_SECTION.get(t.key), table=t.key, row=r.key, span=r.span
                    ),
                    Evidence(details={"missing_columns": "、".join(column_label(spec, c.column, r.block) for c in missing)}),
                    variant="missing-cells",
                    discriminator=f"cells:{r.key}",
                    numeral=num,
                    label=row_label(spec, r),
                    count=len(missing),
                )


# The kinds of cell that hold no number (each named by its value in the rule's words).
_NON_NUMERIC = (CellKind.BLANK, CellKind.NIL_WORD, CellKind.DASH, CellKind.SLASH, CellKind.TEXT)


@register
class NonNumericCell(Rule):
    code = "T004"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        in_force = format_with_tables(report, context)
        for t in report.tables:
            spec = table_spec(t, in_force, context.packs)
            groups: dict[CellKind, list[Term]] = defaultdict(list)
            for r in t.rows:
                for c in r.cells:
                    if c.kind in _NON_NUMERIC:
                        groups[c.kind].append(term(t, spec, r, c.column))
            for kind, terms in groups.items():
                zh, en = self.word(kind.value), self.word(f"{kind.value}_en")
                by_column: dict[str, int] = defaultdict(int)
                for tm in terms:
                    by_column[tm.location.rsplit("/", 1)[-1]] += 1
                summary = "，".join(self.word("by_column", column=k, count=v) for k, v in by_column.items())
                how = "treatment" if kind in ZERO_LIKE else "unsummable"
                treatment = (self.word(how), self.word(f"{how}_en"))
                yield self.finding(
                    table_location(t, context, terms[0].span),
                    Evidence(
                        cells=tuple(terms),
                        details={
                            "kind": kind.value,
                            "count": str(len(terms)),
                            "by_column": summary,
                            "treatment": treatment[0],
                            "treatment_en": treatment[1],
                        },
                    ),
                    discriminator=f"{t.key}:{kind.value}",
                    numeral=TABLE_NUMERAL.get(t.key, t.key),
                    count=len(terms),
                    what=zh,
                    what_en=en,
                    treatment=treatment[0],
                    treatment_en=treatment[1],
                )


# ----------------------------------------------------------------------------- identities
class _IdentityRule(Rule):
    """Checks the pack identities carrying this rule's code, in every table that has them."""

    table_key = ""

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        table = report.table(self.table_key)
        if table is None:
            return
        spec = table_spec(table, format_with_tables(report, context), context.packs)
        if spec is None:
            return
        whole, rows = misaligned(report, table.key)
        if whole:
            return  # T003 reports the table read with the wrong number of cells
        for identity in spec.identities:
            if identity.code == self.code:
                yield from self._check(table, spec, identity, rows)

    def _check(self, table: Table, spec: TableSpec, identity: Identity, misaligned_rows: set[str]) -> Iterator[Finding]:
        left, right = spec.expand(identity.left), spec.expand(identity.right)
        rows = {r.key: r for r in table.rows if r.key}
        # A row with absent cells was read with fewer cells than columns: which column each value
        # belongs to is uncertain, so no identity uses it (T003 reports the row).
        shifted = {r.key for r in table.rows if any(c.kind is CellKind.MISSING for c in r.cells)} | misaligned_rows
        if identity.over == "columns":
            if shifted & set(left + right):
                return
            columns = [c.key for c in spec.columns]
            for col in columns:
                # (row, column) of each term; the terms themselves are built only for a finding
                lt = [(rows[k], col) for k in left if k in rows]
                rt = [(rows[k], col) for k in right if k in rows]
                anchor = rows.get(right[0])
                if anchor is None or len(rt) != len(right):
                    continue
                cells = [rows[k].cell(col) for k in left if k in rows] + [rows[k].cell(col) for k in right]
                yield from self._compare(table, spec, identity, lt, rt, anchor, col, cells, len(lt))
        else:
            for r in table.rows:
                if r.key is None or r.key in shifted:
                    continue
                layout_row = spec.row(r.key)
                if not spec.groups and layout_row is not None and layout_row.kind == "group" and not r.cells:
                    continue
                lt = [(r, c) for c in left if r.cell(c) is not None]
                rt = [(r, c) for c in right if r.cell(c) is not None]
                if len(rt) != len(right) or len(lt) != len(left):
                    continue
                cells = [r.cell(c) for c in left] + [r.cell(c) for c in right]
                yield from self._compare(table, spec, identity, lt, rt, r, right[0], cells, len(lt))

    def _compare(
        self,
        table: Table,
        spec: TableSpec,
        identity: Identity,
        lt: Sequence[tuple[Row, str]],
        rt: Sequence[tuple[Row, str]],
        anchor: Row,
        column: str,
        cells: Sequence[Cell | None],
        n_left: int,
    ) -> Iterator[Finding]:
        # A side with no number at all (every cell blank or the like) states nothing to contradict;
        # such cells are T004's, and reporting them again here would double-count them.
        left_cells, right_cells = cells[:n_left], cells[n_left:]
        for side in (left_cells, right_cells):
            if side and all(c is None or c.kind is not CellKind.NUMBER for c in side):
                return
        read = [arithmetic_value(c) for c in cells]  # the terms' values, cell for cell
        values = [v for v in read if v is not None]
        if len(values) < len(read):
            return  # text or missing cells: the sum is unknown (T003/T004 say why)
        computed = sum(values[:n_left])
        reported = sum(values[n_left:])
        if abs(computed - reported) < 1e-9:
            return
        left_terms = [term(table, spec, r, c) for r, c in lt]
        right_terms = [term(table, spec, r, c) for r, c in rt]
        loc = cell_location(table, spec, anchor, column)
        col_label = column_label(spec, column, anchor.block)
        yield self.finding(
            loc,
            Evidence(
                expression=identity.expression,
                left=tuple(left_terms),
                right=tuple(right_terms),
                computed=computed,
                reported=reported,
                difference=reported - computed,
                details={"identity_status": identity.status},
            ),
            discriminator=f"{identity.expression}:{anchor.key}:{column}",
            numeral=TABLE_NUMERAL.get(table.key, table.key),
            where=col_label if identity.over == "columns" else row_label(spec, anchor),
            expression=identity.expression,
            left=" + ".join(format_number(t.value) for t in left_terms) or "0",
            computed=format_number(computed),
            right=" + ".join(format_number(t.value) for t in right_terms),
            reported=format_number(reported),
            difference=format_number(reported - computed),
        )


@register
class ApplicationBalance(_IdentityRule):
    code = "T101"
    table_key = "table3"


@register
class OutcomeTotal(_IdentityRule):
    code = "T102"
    table_key = "table3"


@register
class ApplicantTotal(_IdentityRule):
    code = "T103"
    table_key = "table3"


@register
class ReviewLitigationTotal(_IdentityRule):
    code = "T104"
    table_key = "table4"


__all__ = [
    "MissingTable",
    "OutdatedFormat",
    "LayoutMismatch",
    "NonNumericCell",
    "ApplicationBalance",
    "OutcomeTotal",
    "ApplicantTotal",
    "ReviewLitigationTotal",
    "arithmetic_value",
]
