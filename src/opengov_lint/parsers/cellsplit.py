"""Recovering cells that a copy ran together (``801000081`` for 80 | 1 | 0 | 0 | 0 | 0 | 81).

Some pages lose every cell separator of their tables (the 平潭 reports). A row then reads as one
run of digits. The split is recovered from the table's own constraints, read from the format
pack: the identities over a row (自然人 + … + 其他 = 总计, 结果维持 + … = 总计) choose among the
splits of one row, and the identities over the columns (一 + 二 = （七）总计 + 四, the outcome
rows summing to （七）总计) choose among the splits left. A part never has a leading zero
(``01``); spaces the copy kept are boundaries. Where more than one split still satisfies every
constraint, nothing is guessed: the row's cells stay unread (MISSING) and an ``ambiguous-split``
note lists the candidates (rule X002). Where no split satisfies them, a split is used only when
it is the only one the digits allow at all; otherwise the row is left unread with a note. Where
the digits allow more splits than are examined (MAX_SPLITS), a single split found proves
nothing and the row is left unread with a note too, as is a run longer than MAX_DIGITS. A sign starts a part only in a column the
pack marks signed (2019 table 二, 本年增/减: ``15-52`` for 15 | -5 | 2).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

import attrs

from .. import numerals
from ..model import Cell, CellKind, NoteKind, ParseNote, Row, SourceSpan, SplitDetail, SplitReason, Table
from ..packs import Identity, Packs, TableSpec
from .tables import unit_suffix

__all__ = ["resolve_tables", "splits"]

MAX_DIGITS = 40  # a longer run is not split (the search would be too wide to be meaningful)
MAX_SPLITS = 50_000  # splits of one run examined at most
MAX_COMBINATIONS = 20_000  # combinations of ambiguous rows examined against column identities

_SIGNED_RUN = re.compile(r"[+-]?\d[\d.]*(?:[+-]\d[\d.]*)+")  # 15-52: a signed column ran in
_PART_INT = re.compile(r"0|[1-9]\d*")
_PART_DEC = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_PART_SIGNED = re.compile(r"[+-]?(?:0|[1-9]\d*)")


def _value(part: str) -> int | float:
    return float(part) if "." in part else int(part)


def splits(run: str, k: int, decimal: Sequence[bool] = (), signed: Sequence[bool] = ()) -> Iterator[tuple[str, ...]]:
    """Every way to cut ``run`` into ``k`` numbers (no leading zeros; spaces are boundaries;
    ``decimal[i]`` allows a decimal point in part ``i``, ``signed[i]`` a leading + or -). At
    most MAX_SPLITS are produced."""
    s = run.strip()
    if not s or k <= 0:
        return
    n = len(s)
    produced = 0
    parts: list[str] = []

    def ok(i: int, p: str) -> bool:
        if i < len(signed) and signed[i]:
            return bool(_PART_SIGNED.fullmatch(p))
        dec = decimal[i] if i < len(decimal) else False
        return bool((_PART_DEC if dec else _PART_INT).fullmatch(p))

    def rec(pos: int) -> Iterator[tuple[str, ...]]:
        nonlocal produced
        if produced >= MAX_SPLITS:
            return
        i = len(parts)
        if i == k:
            if pos == n:
                produced += 1
                yield tuple(parts)
            return
        limit = s.find(" ", pos)
        limit = n if limit < 0 else limit
        for end in range(pos + 1, limit + 1):
            p = s[pos:end]
            if len(p) >= 2 and p[0] == "0" and p[1] != ".":
                break  # a leading zero: no longer part can be a number either
            if not ok(i, p):
                continue
            nxt = end
            while nxt < n and s[nxt] == " ":
                nxt += 1
            if k - i - 1 > n - nxt:  # not enough characters left
                break
            parts.append(p)
            yield from rec(nxt)
            parts.pop()

    yield from rec(0)


def _holds(values: dict[str, int | float], left: Sequence[str], right: Sequence[str]) -> bool | None:
    if not all(x in values for x in list(left) + list(right)):
        return None
    return abs(sum(values[x] for x in left) - sum(values[x] for x in right)) < 1e-6


def _run_of(row: Row) -> tuple[str, SourceSpan | None] | None:
    """The digits of a row whose cells ran together, or None when the row is not such a row."""
    present = [c for c in row.cells if c.kind is not CellKind.MISSING]
    missing = [c for c in row.cells if c.kind is CellKind.MISSING]
    if not present or not missing:
        return None
    if len(present) > 1:
        return None  # cells written apart (| 26 | 0 | … |): a cell is missing, nothing ran together
    if any(c.kind is not CellKind.NUMBER and not _SIGNED_RUN.fullmatch(c.raw.strip()) for c in present):
        return None
    run = " ".join(re.sub(r"[,，]", "", c.raw.strip()) for c in present)
    run = re.sub(r"\s+", " ", run)
    unit = unit_suffix().search(run)
    body = run[: unit.start()] if unit else run
    if not re.fullmatch(r"[\d. +-]+", body) or len(body.replace(" ", "")) < len(row.cells):
        return None
    return run, present[0].span


def _cells_from(row: Row, parts: Sequence[str], span: SourceSpan | None) -> tuple[Cell, ...]:
    out = []
    offset = 0
    for cell, p in zip(row.cells, parts):
        sp = None
        if span is not None:
            col = span.column + offset
            sp = SourceSpan(line=span.line, column=col, end_line=span.line, end_column=col + len(p) - 1)
        value = _value(unit_suffix().sub("", p))
        out.append(Cell(column=cell.column, raw=p, kind=CellKind.NUMBER, value=value, span=sp))
        offset += len(p)
    return tuple(out)


def _row_identities(spec: TableSpec) -> list[Identity]:
    return [i for i in spec.identities if i.over == "rows"]


def _row_candidates(row: Row, run: str, spec: TableSpec) -> tuple[list[tuple[str, ...]], int, bool]:
    """Splits of ``run`` over the row's columns that satisfy the row identities; how many
    splits the digits allow at all (capped); and whether the cap cut the search short (then a
    single split found is no proof that it is the only one)."""
    cols = [c.column for c in row.cells]
    decimal = []
    col_specs = {c.key: c for c in spec.columns}
    for b in spec.blocks:
        if b.key == row.block:
            col_specs.update({c.key: c for c in b.columns})
    signed = []
    for c in cols:
        cs = col_specs.get(c)
        decimal.append(bool(cs and cs.decimal))
        signed.append(bool(cs and cs.signed))
    unit = unit_suffix().search(run)
    body = run[: unit.start()] if unit else run
    # The last column may carry a unit or a decimal amount (政府集中采购 13 | 75394432.52元).
    if unit and decimal:
        decimal[-1] = True
    if len(body) > MAX_DIGITS:
        return [], 0, True  # too long to search: unread, never the whole run as one value
    ids = [i for i in _row_identities(spec) if all(x in cols for x in list(i.left) + list(i.right))]
    allowed = 0
    truncated = False
    good: list[tuple[str, ...]] = []
    only: tuple[str, ...] | None = None
    attempts = [body]
    if " " in body:
        attempts.append(body.replace(" ", ""))
    for attempt in attempts:
        seen = 0
        for parts in splits(attempt, len(cols), decimal, signed):
            allowed += 1
            seen += 1
            if only is None:
                only = parts
            values = {c: _value(p) for c, p in zip(cols, parts)}
            if all(_holds(values, i.left, i.right) is not False for i in ids):
                good.append(parts)
        truncated = truncated or seen >= MAX_SPLITS
        if good:
            break
    if unit:
        good = [p[:-1] + (p[-1] + unit.group(0),) for p in good]
    if not good and allowed == 1 and only is not None:
        good = [only if not unit else only[:-1] + (only[-1] + unit.group(0),)]
        allowed = -1  # marks "used the only split, identities do not hold"
    return good, allowed, truncated


def _fmt(parts: Sequence[str]) -> str:
    return "|".join(parts)


def resolve_table(table: Table, spec: TableSpec) -> tuple[Table, list[ParseNote], set[SourceSpan | None]]:
    """The table with run-together rows split; notes; spans of rows whose missing-cells notes
    no longer apply."""
    notes: list[ParseNote] = []
    resolved_spans: set[SourceSpan | None] = set()
    rows = list(table.rows)

    # Table 四: the values of the three groups may be one run attached to the first group.
    if spec.groups and rows:
        present = [c for r in rows for c in r.cells if c.kind is not CellKind.MISSING]
        if (
            present
            and all(c.kind is CellKind.NUMBER for c in present)
            and any(c.kind is CellKind.MISSING for r in rows for c in r.cells)
        ):
            run = " ".join(c.raw.strip() for c in present)
            width = len(rows[0].cells)
            total = sum(len(r.cells) for r in rows)
            ids = _row_identities(spec)
            if len(run.replace(" ", "")) >= total:
                good = []
                allowed = 0
                truncated = len(run) > MAX_DIGITS  # too long to search: unread
                attempts = [] if truncated else [run] + ([run.replace(" ", "")] if " " in run else [])
                for attempt in attempts:
                    seen = 0
                    for parts in splits(attempt, total):
                        allowed += 1
                        seen += 1
                        ok = True
                        for gi, r in enumerate(rows):
                            chunk = parts[gi * width : (gi + 1) * width]
                            values = {c.column: _value(p) for c, p in zip(r.cells, chunk)}
                            if any(_holds(values, i.left, i.right) is False for i in ids):
                                ok = False
                                break
                        if ok:
                            good.append(parts)
                    truncated = truncated or seen >= MAX_SPLITS
                    if good:
                        break
                span = present[0].span
                if (len(good) == 1 or (not good and allowed == 1)) and not truncated:
                    parts = good[0] if good else next(iter(splits(run.replace(" ", ""), total)))
                    offset = 0
                    for gi, r in enumerate(rows):
                        chunk = parts[gi * width : (gi + 1) * width]
                        sp = None
                        if span is not None:
                            sp = SourceSpan(
                                line=span.line,
                                column=span.column + offset,
                                end_line=span.line,
                                end_column=span.column + offset + len("".join(chunk)) - 1,
                            )
                        rows[gi] = attrs.evolve(r, cells=_cells_from(r, chunk, sp), span=r.span or sp)
                        offset += len("".join(chunk))
                        resolved_spans.add(r.span)
                    resolved_spans.add(table.span)
                else:
                    # Nothing is guessed: the run stays unread, as in the other tables (it is
                    # no value of the first cell).
                    for gi, r in enumerate(rows):
                        rows[gi] = attrs.evolve(
                            r, cells=tuple(Cell(column=c.column, raw="", kind=CellKind.MISSING) for c in r.cells)
                        )
                    notes.append(
                        _ambiguous(table, numerals.to_chinese(spec.section), run, good, allowed, span, truncated=truncated)
                    )
                    resolved_spans.add(table.span)
        return attrs.evolve(table, rows=tuple(rows)), notes, resolved_spans

    # Other tables: row by row, then the column identities among the rows left ambiguous.
    candidates: dict[int, list[tuple[str, ...]]] = {}
    runs: dict[int, tuple[str, SourceSpan | None, int, bool]] = {}  # run, span, splits allowed, search cut short
    for idx, r in enumerate(rows):
        got = _run_of(r)
        if got is None:
            continue
        run, span = got
        good, allowed, truncated = _row_candidates(r, run, spec)
        runs[idx] = (run, span, allowed, truncated)
        candidates[idx] = good

    col_ids = [i for i in spec.identities if i.over == "columns"]
    ambiguous = [i for i, c in candidates.items() if len(c) > 1]
    if ambiguous and col_ids:
        sizes = 1
        for i in ambiguous:
            sizes *= len(candidates[i])
        if sizes <= MAX_COMBINATIONS:
            keyed = {r.key: i for i, r in enumerate(rows) if r.key}
            fixed: dict[str, dict[str, int | float]] = {}
            for i, r in enumerate(rows):
                if r.key is None or i in ambiguous:
                    continue
                if i in candidates:
                    if len(candidates[i]) != 1 or runs[i][3]:
                        continue  # not read, or a search cut short: no fixed values
                    fixed[r.key] = {c.column: _value(unit_suffix().sub("", p)) for c, p in zip(r.cells, candidates[i][0])}
                elif all(c.kind is CellKind.NUMBER for c in r.cells):
                    fixed[r.key] = {c.column: c.value for c in r.cells}  # type: ignore[misc]
            columns = [c.key for c in spec.columns]
            solutions: list[tuple[tuple[str, ...], ...]] = []
            for combo in itertools.product(*(candidates[i] for i in ambiguous)):
                table_values = dict(fixed)
                for i, parts in zip(ambiguous, combo):
                    table_values[rows[i].key or f"#{i}"] = {
                        c.column: _value(unit_suffix().sub("", p)) for c, p in zip(rows[i].cells, parts)
                    }
                ok = True
                for ident in col_ids:
                    left, right = spec.expand(ident.left), spec.expand(ident.right)
                    if not any(keyed.get(k) in ambiguous for k in left + right):
                        continue
                    # an identity is used only when every row it names is present and read
                    if not all(k in table_values for k in left + right):
                        continue
                    for col in columns:
                        v = {k: table_values[k].get(col) for k in left + right}
                        if any(x is None for x in v.values()):
                            continue
                        if abs(sum(v[k] for k in left) - sum(v[k] for k in right)) > 1e-6:  # type: ignore[misc]
                            ok = False
                            break
                    if not ok:
                        break
                if ok:
                    solutions.append(combo)
            if solutions:
                for pos, i in enumerate(ambiguous):
                    chosen = {s[pos] for s in solutions}
                    candidates[i] = sorted(chosen)

    for idx, good in candidates.items():
        r = rows[idx]
        run, span, allowed, truncated = runs[idx]
        if len(good) == 1 and not truncated:
            rows[idx] = attrs.evolve(r, cells=_cells_from(r, good[0], span))
            resolved_spans.add(r.span)
        else:
            rows[idx] = attrs.evolve(r, cells=tuple(Cell(column=c.column, raw="", kind=CellKind.MISSING) for c in r.cells))
            cols = {c.column for c in r.cells}
            constrained = any(set(i.left) | set(i.right) <= cols for i in _row_identities(spec)) or bool(col_ids and spec.columns)
            notes.append(_ambiguous(table, r.label, run, good, allowed, r.span, constrained, truncated))
            resolved_spans.add(r.span)
    return attrs.evolve(table, rows=tuple(rows)), notes, resolved_spans


def _ambiguous(
    table: Table,
    label: str,
    run: str,
    good: Sequence[Sequence[str]],
    allowed: int,
    span: SourceSpan | None,
    constrained: bool = True,
    truncated: bool = False,
) -> ParseNote:
    shown = "；".join(_fmt(p) for p in list(good)[:4]) + ("；…" if len(good) > 4 else "")
    limit = 0
    reason: SplitReason
    if truncated and len(run) > MAX_DIGITS:
        reason, limit, shown = "too-long", MAX_DIGITS, ""
        why_en = f"the run is longer than {MAX_DIGITS} characters and is not split"
    elif truncated:
        reason, limit = "too-many", MAX_SPLITS
        why_en = f"more than {MAX_SPLITS} splits are possible and they cannot all be examined"
        if not good:
            shown = ""
    elif good and not constrained:
        reason = "undecided"
        why_en = f"{len(good)} splits are possible and no identity of the table decides"
    elif good:
        reason = "several"
        why_en = f"{len(good)} splits satisfy the table's identities"
    else:
        reason, shown = "none", ""
        why_en = "no split satisfies the table's identities"
    detail = SplitDetail(
        table=table.key,
        label=label,
        run=run,
        reason=reason,
        candidates=shown,
        count=len(good),
        possible=max(allowed, 0),
        limit=limit,
    )
    return ParseNote(
        kind=NoteKind.AMBIGUOUS_SPLIT, message=f"cells of row {label} ran together as {run}; {why_en}", span=span, detail=detail
    )


def resolve_tables(tables: Sequence[Table], notes: Sequence[ParseNote], packs: Packs) -> tuple[list[Table], list[ParseNote]]:
    """Split run-together cells in every table; drop the missing/extra-cells notes they caused,
    and "tables" that are only an anchor word in prose (no row, no known column)."""
    out_tables: list[Table] = []
    new_notes: list[ParseNote] = []
    done: set[SourceSpan | None] = set()
    for t in tables:
        if not t.rows and not any(h.column for h in t.header):
            continue  # an anchor word in prose, not a table: no row and no column it knows
        spec = packs.table_layout(t.key, t.layout)
        if spec is None:
            out_tables.append(t)
            continue
        t2, tn, spans = resolve_table(t, spec)
        out_tables.append(t2)
        new_notes.extend(tn)
        done |= {s for s in spans if s is not None}
    kept = [n for n in notes if not (n.kind in (NoteKind.MISSING_CELLS, NoteKind.EXTRA_CELLS) and n.span in done)]
    return out_tables, kept + new_notes
