"""Reading tables 二, 三 and 四 from a stream of cell tokens.

Whatever the input style (one cell per line, ``|``-joined rows, HTML cells), a table becomes a
sequence of tokens with row breaks. The readers are anchored on the labels of the format
packs: a row label is followed by its cells. This survives wrapped labels, blank cells and
layouts of either format version, and records labels as written for the layout rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

from attrs import frozen

from .. import numerals
from ..model import Cell, CellCountDetail, CellKind, HeaderLabel, NoteKind, ParseNote, Row, SourceSpan, Table
from ..packs import FormatId, InputPack, Packs, RowSpec, TableSpec, Vocabulary, load_packs
from ..textutil import alternation, label_key, normalize, similarity

__all__ = ["Token", "classify_cell", "read_table2", "read_table3", "read_table4", "ROW_BREAK"]


@frozen
class Token:
    text: str
    span: SourceSpan | None = None


ROW_BREAK = Token("\x00ROW")


@functools.lru_cache(maxsize=8)
def _number_re(units: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"^([+-]?)(\d[\d,]*)(\.\d+)?({alternation(units)})?$")


@functools.lru_cache(maxsize=8)
def _unit_suffix_re(units: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"({alternation(units)})$")


def unit_suffix(inputs: InputPack | None = None) -> re.Pattern[str]:
    """A measure word at the end of a value (251件, 3.5万元)."""
    return _unit_suffix_re((inputs or load_packs().inputs).units.all)


def classify_cell(raw: str, inputs: InputPack | None = None) -> tuple[CellKind, int | float | None]:
    """What a cell's text means: a number (its measure word dropped), nothing written, a word
    for none, a dash, a slash, or other text. The words are those of the input pack (``inputs``,
    by default that of the packs in use)."""
    inputs = inputs or load_packs().inputs
    cells = inputs.cells
    s = re.sub(r"\s+", "", normalize(raw))
    if not s:
        return CellKind.BLANK, None
    m = _number_re(inputs.units.all).match(s)
    if m:
        sign, digits, frac, _unit = m.groups()
        digits = digits.replace(",", "")
        if frac:
            value: int | float = float(f"{sign}{digits}{frac}")
        else:
            value = int(f"{sign}{digits}")
        return CellKind.NUMBER, value
    if s in cells.nil_words:
        return CellKind.NIL_WORD, None
    if s in cells.dashes:
        return CellKind.DASH, None
    if s in cells.slashes:
        return CellKind.SLASH, None
    return CellKind.TEXT, None


# ----------------------------------------------------------------------------- label matching
_O = numerals.ORDINAL_CHARS
_ENUM = re.compile(rf"^(?:([{_O}]+)、|\(([{_O}]+)\)|(\d{{1,2}})[.、,])")


@functools.lru_cache(maxsize=8192)  # pure; labels recur in every report, and matching is the readers' main cost
def split_enumerator(text: str) -> tuple[str, str]:
    """("(三)", "不予公开") from "（三）不予公开"; enumerators are normalised to one form."""
    n = label_key(text)
    m = _ENUM.match(normalize(text).replace(" ", ""))
    if not m:
        return "", n
    cn_top, cn_paren, digit = m.groups()
    enum = f"{cn_top}、" if cn_top else (f"({cn_paren})" if cn_paren else f"{digit}.")
    body = label_key(normalize(text).replace(" ", "")[m.end() :])
    return enum, body


@functools.lru_cache(maxsize=8192)  # pure; labels recur in every report, and matching is the readers' main cost
def _match_score(token: str, label: str) -> float:
    te, tb = split_enumerator(token)
    le, lb = split_enumerator(label)
    if not tb:
        return 0.0
    if te and le and te != le:
        return 0.0
    if le and not te:
        # An enumerator dropped in the copy: only trust long, near-identical bodies.
        s = similarity(tb, lb)
        return s if (len(lb) >= 4 and s >= 0.9) else 0.0
    if te and not le:
        return 0.0
    return similarity(tb, lb)


def best_label(token: str, candidates: Iterable[tuple[str, str]], threshold: float = 0.75) -> tuple[str | None, float]:
    """The key whose label matches ``token`` best (at or above threshold)."""
    return _best_label(token, tuple(candidates), threshold)


@functools.lru_cache(maxsize=8192)  # bounded: memory stays flat over a batch of reports
def _best_label(token: str, candidates: tuple[tuple[str, str], ...], threshold: float) -> tuple[str | None, float]:
    # Cached: a report repeats its labels, and fuzzy matching is the readers' main cost.
    tk = label_key(token)
    if not tk or classify_cell(token)[0] is not CellKind.TEXT:
        return None, 0.0  # numbers and blanks are never labels
    best, best_s = None, 0.0
    for key, label in candidates:
        if tk == label_key(label):
            return key, 1.0
        s = _match_score(token, label)
        if s > best_s:
            best, best_s = key, s
    return (best, best_s) if best_s >= threshold else (None, best_s)


# Signed numbers run together (2019 table 二, 本年增/减: 15-52 for 15 | -5 | 2): a value, which
# cellsplit splits; never a label or a column header.
_SIGNED_RUN = re.compile(r"^[+-]?\d[\d.]*(?:[+-]\d[\d.]*)+$")


def _is_value_token(tok: Token) -> bool:
    kind, _ = classify_cell(tok.text)
    if kind is not CellKind.TEXT:
        return True
    return len(label_key(tok.text)) <= 3 or bool(_SIGNED_RUN.match(re.sub(r"\s+", "", normalize(tok.text))))


def _cells(columns: Sequence[str], values: Sequence[Token]) -> tuple[Cell, ...]:
    out = []
    for i, col in enumerate(columns):
        if i < len(values):
            kind, value = classify_cell(values[i].text)
            out.append(Cell(column=col, raw=values[i].text, kind=kind, value=value, span=values[i].span))
        else:
            out.append(Cell(column=col, raw="", kind=CellKind.MISSING, value=None))
    return tuple(out)


def _take_values(
    tokens: Sequence[Token], i: int, limit: int, is_label: Callable[[str], bool], respect_breaks: bool
) -> tuple[list[Token], int]:
    """Value tokens from position i, up to a row break (if respected), a label, or ``limit``."""
    vals: list[Token] = []
    n = len(tokens)
    while i < n:
        t = tokens[i]
        if t is ROW_BREAK:
            if respect_breaks and vals:
                break
            i += 1
            continue
        if is_label(t.text) or not _is_value_token(t):
            break
        if not respect_breaks and len(vals) >= limit:
            break
        vals.append(t)
        i += 1
    return vals, i


def _drop_trailing_blanks(vals: list[Token], limit: int) -> list[Token]:
    while len(vals) > limit and not normalize(vals[-1].text).strip():
        vals.pop()
    return vals


# ----------------------------------------------------------------------------- wrapped labels
def merge_wrapped_labels(tokens: Sequence[Token], vocabulary: Vocabulary) -> list[Token]:
    """Labels a copy broke over lines or paragraphs ("本年新" / "公开数量") joined again: a run
    of up to four text tokens is joined when the pieces are not labels and the whole is one
    (spaces and punctuation ignored). Values and row breaks are never joined."""
    keys = vocabulary.table_label_keys
    prefixes = vocabulary.table_label_prefixes
    toks = list(tokens)
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        k = label_key(t.text) if t is not ROW_BREAK else ""
        if not k or k in keys or k not in prefixes or _is_number(t.text):
            out.append(t)
            i += 1
            continue
        acc, acc_key, j, pieces = t.text.strip(), k, i + 1, 1
        joined = None
        while j < len(toks) and pieces < 4:
            nxt = toks[j]
            if nxt is ROW_BREAK:
                j += 1
                continue
            nk = label_key(nxt.text)
            if not nk or nk in keys or _is_number(nxt.text):
                break
            acc, acc_key, pieces = acc + nxt.text.strip(), acc_key + nk, pieces + 1
            j += 1
            if acc_key in keys:
                joined = (Token(acc, t.span), j)
                break
            if acc_key not in prefixes:
                break
        if joined is not None:
            out.append(joined[0])
            i = joined[1]
        else:
            out.append(t)
            i += 1
    return out


def _is_number(text: str) -> bool:
    return classify_cell(text)[0] is not CellKind.TEXT


# ----------------------------------------------------------------------------- table 三
def read_table3(
    tokens: Sequence[Token], packs: Packs, respect_breaks: bool, section: int | None
) -> tuple[Table, list[ParseNote]]:
    tokens = merge_wrapped_labels(tokens, packs.vocabulary)
    specs = [(p.id, p.tables["table3"]) for p in packs.table_formats() if "table3" in p.tables]
    all_rows: dict[str, RowSpec] = {}
    for _, spec in specs:
        for r in spec.rows:
            all_rows.setdefault(r.key, r)
    row_labels = [(key, r.label) for key, r in all_rows.items()]
    col_spec = specs[0][1].columns
    col_labels = [(c.key, c.label) for c in col_spec]
    ncols = len(col_spec)
    notes: list[ParseNote] = []

    def is_label(text: str) -> bool:
        return best_label(text, row_labels)[0] is not None

    header: list[HeaderLabel] = []
    rows: list[Row] = []
    reasons: list[str] = []
    other_is_group: bool | None = None
    current_group: str | None = None
    seen_row = False
    toks = list(tokens)
    i = 0
    first_span = next((t.span for t in toks if t is not ROW_BREAK), None)
    while i < len(toks):
        t = toks[i]
        if t is ROW_BREAK or not normalize(t.text).strip():
            i += 1
            continue
        key, _ = best_label(t.text, row_labels)
        if key is None:
            if not seen_row:
                if label_key(t.text) and not _is_corner_or_title(t.text, specs, packs.inputs.tables.corner_words):
                    ck, _s = best_label(t.text, col_labels, 0.7)
                    header.append(HeaderLabel(text=t.text.strip(), column=ck, span=t.span))
                i += 1
                continue
            if _is_value_token(t):
                i += 1  # stray value with no label: reported through missing/extra cells
                continue
            # A row the layouts do not know: keep it with its values.
            vals, j = _take_values(toks, i + 1, ncols, is_label, respect_breaks)
            if vals:
                vals = _drop_trailing_blanks(vals, ncols)
                rows.append(
                    Row(
                        key=None,
                        label=t.text.strip(),
                        cells=_cells([c.key for c in col_spec], vals),
                        block=current_group,
                        span=t.span,
                    )
                )
                i = j
            else:
                i += 1
            continue
        seen_row = True
        spec_row = all_rows[key]
        # Look ahead: is the label followed by values (a data row) or by another label (a group)?
        vals, j = _take_values(toks, i + 1, ncols, is_label, respect_breaks)
        if spec_row.kind == "group" and not vals:
            current_group = key
            if key == "other":
                other_is_group = True
            i += 1
            continue
        if key == "other" and vals:
            other_is_group = False
        if spec_row.kind == "group":
            current_group = key if key != "results" else current_group
        vals = _drop_trailing_blanks(vals, ncols)
        if len(vals) > ncols:
            notes.append(_count_note("table3", key, t, len(vals), ncols))
            vals = vals[:ncols]
        elif len(vals) < ncols:
            notes.append(_count_note("table3", key, t, len(vals), ncols))
        rows.append(
            Row(key=key, label=t.text.strip(), cells=_cells([c.key for c in col_spec], vals), block=spec_row.parent, span=t.span)
        )
        i = j if j > i else i + 1

    keys = {r.key for r in rows}
    layout = "unknown"
    # Whether 其他处理 is one row or a group of items tells the formats apart (2019: one row).
    why = packs.inputs.detection
    other_items = {r.key for _, s in specs for r in s.rows if r.parent == "other"} & keys
    if other_items or other_is_group:
        layout = _pack_with(specs, lambda s: _other_kind(s) == "group") or "unknown"
        reasons.append(why.table3_other_items if other_items else why.table3_other_group)
    elif other_is_group is False:
        layout = _pack_with(specs, lambda s: _other_kind(s) == "data") or "unknown"
        reasons.append(why.table3_other_single)
    table = Table(
        key="table3",
        layout=layout,
        section=section,
        rows=tuple(rows),
        header=tuple(header),
        layout_reasons=tuple(reasons),
        span=first_span,
    )
    return table, notes


def _pack_with(specs: Sequence[tuple[FormatId, TableSpec]], pred: Callable[[TableSpec], bool]) -> FormatId | None:
    for pid, spec in specs:
        if pred(spec):
            return pid
    return None


def _other_kind(spec: TableSpec) -> str | None:
    row = spec.row("other")
    return row.kind if row is not None else None


def _is_corner_or_title(text: str, specs: Sequence[tuple[FormatId, TableSpec]], corner_words: Sequence[str]) -> bool:
    k = label_key(text)
    for _, spec in specs:
        if spec.corner_note and (k in label_key(spec.corner_note) or similarity(k, label_key(spec.corner_note)) > 0.7):
            return True
        if similarity(k, label_key(spec.title)) > 0.8:
            return True
    return any(w in k for w in corner_words)


# ----------------------------------------------------------------------------- table 二
def read_table2(
    tokens: Sequence[Token], packs: Packs, respect_breaks: bool, section: int | None
) -> tuple[Table, list[ParseNote]]:
    tokens = merge_wrapped_labels(tokens, packs.vocabulary)
    specs = [(p.id, p.tables["table2"]) for p in packs.table_formats() if "table2" in p.tables]
    block_titles = []
    for _, spec in specs:
        for b in spec.blocks:
            block_titles.append((b.key, b.title))
    row_labels: list[tuple[str, str]] = []
    row_block: dict[str, str] = {}
    for _, spec in specs:
        for b in spec.blocks:
            for r in b.rows:
                row_labels.append((r.key, r.label))
                row_block[r.key] = b.key
    header_first = label_key(specs[0][1].header_first_cell) if specs else ""

    def is_label(text: str) -> bool:
        return best_label(text, row_labels, 0.8)[0] is not None or best_label(text, block_titles, 0.85)[0] is not None

    notes: list[ParseNote] = []
    rows: list[Row] = []
    header: list[HeaderLabel] = []
    block_votes: dict[str, dict[str, int]] = {}
    current_block: str | None = None
    current_cols: list[HeaderLabel] = []
    toks = list(tokens)
    first_span = next((t.span for t in toks if t is not ROW_BREAK), None)
    i = 0
    while i < len(toks):
        t = toks[i]
        if t is ROW_BREAK or not normalize(t.text).strip():
            i += 1
            continue
        bk, _ = best_label(t.text, block_titles, 0.85)
        if bk is not None:
            current_block = bk
            current_cols = []
            i += 1
            continue
        rk, _ = best_label(t.text, row_labels, 0.8)
        if rk is None:
            if label_key(t.text) == header_first or not label_key(t.text):
                i += 1
                continue
            if len(label_key(t.text)) > 40 or "。" in t.text:
                i += 1  # a sentence of prose caught between tables is no column header
                continue
            if not _is_value_token(t) or not current_cols or len(label_key(t.text)) > 3:
                # a column header of the current block
                col_key, pack_id = _match_block_column(t.text, specs, current_block)
                hl = HeaderLabel(text=t.text.strip(), column=col_key, block=current_block, span=t.span)
                current_cols.append(hl)
                header.append(hl)
                if pack_id and current_block:
                    votes = block_votes.setdefault(current_block, {})
                    votes[pack_id] = votes.get(pack_id, 0) + 1
            i += 1
            continue
        block = current_block or row_block.get(rk)
        # The block's layout decides its columns; columns follow the order written.
        layout_cols = _layout_columns(specs, block, block_votes.get(block or "", {}))
        ncols = len(current_cols) if current_cols else len(layout_cols)
        vals, j = _take_values(toks, i + 1, ncols, is_label, respect_breaks)
        vals = _drop_trailing_blanks(vals, ncols)
        if len(vals) != ncols:
            notes.append(_count_note("table2", rk, t, len(vals), ncols))
            vals = vals[:ncols]
        col_keys: list[str] = []
        for idx in range(ncols):
            header_key = current_cols[idx].column if idx < len(current_cols) else None
            if header_key:
                col_keys.append(header_key)
            elif idx < len(layout_cols):
                col_keys.append(layout_cols[idx])
            else:
                col_keys.append(f"col{idx + 1}")
        rows.append(Row(key=rk, label=t.text.strip(), cells=_cells(col_keys, vals), block=block, span=t.span))
        i = j if j > i else i + 1

    # Layout: the pack whose column labels the blocks use; the 2019-only blocks and rows also tell.
    totals: dict[str, int] = {}
    for votes in block_votes.values():
        for pid, n in votes.items():
            totals[pid] = totals.get(pid, 0) + n
    reasons: list[str] = []
    layout = "unknown"
    if totals:
        layout = max(totals, key=lambda p: totals[p])
        for hl in header:
            if hl.column and hl.block:
                owners = _column_owners(specs, hl.block, hl.text)
                if owners == {layout} and len(specs) > 1:
                    name = packs.formats[FormatId(layout)].name_zh if layout in packs.formats else layout
                    reasons.append(packs.inputs.detection.table2_header.format(header=hl.text, format=name))
        reasons = reasons[:4]
    table = Table(
        key="table2",
        layout=layout,
        section=section,
        rows=tuple(rows),
        header=tuple(header),
        layout_reasons=tuple(reasons),
        span=first_span,
    )
    return table, notes


def _column_owners(specs: Sequence[tuple[FormatId, TableSpec]], block: str, text: str) -> set[FormatId]:
    owners: set[FormatId] = set()
    for pid, spec in specs:
        for b in spec.blocks:
            if b.key == block and best_label(text, [(c.key, c.label) for c in b.columns], 0.75)[0]:
                owners.add(pid)
    return owners


def _match_block_column(
    text: str, specs: Sequence[tuple[FormatId, TableSpec]], block: str | None
) -> tuple[str | None, str | None]:
    best: tuple[str | None, str | None, float] = (None, None, 0.0)
    for pid, spec in specs:
        for b in spec.blocks:
            if block is not None and b.key != block:
                continue
            key, s = best_label(text, [(c.key, c.label) for c in b.columns], 0.6)
            if key is None:
                # truncated headers ("本年新") match by prefix
                tk = label_key(text)
                for c in b.columns:
                    if len(tk) >= 3 and label_key(c.label).startswith(tk):
                        key, s = c.key, 0.6
                        break
            if key is not None and s > best[2]:
                best = (key, pid, s)
    return best[0], best[1]


def _layout_columns(specs: Sequence[tuple[FormatId, TableSpec]], block: str | None, votes: dict[str, int]) -> list[str]:
    order = sorted(specs, key=lambda ps: -votes.get(ps[0], 0))
    for _, spec in order:
        for b in spec.blocks:
            if b.key == block:
                return [c.key for c in b.columns]
    return []


# ----------------------------------------------------------------------------- table 四
def read_table4(
    tokens: Sequence[Token], packs: Packs, respect_breaks: bool, section: int | None
) -> tuple[Table, list[ParseNote]]:
    spec: TableSpec = next(p.tables["table4"] for p in packs.table_formats() if "table4" in p.tables)
    header_known = [(label_key(x), x) for x in spec.header_labels] + [(label_key(c.label), c.label) for c in spec.columns]
    col_labels = [(c.key, c.label) for c in spec.columns]
    toks = [t for t in tokens if t is not ROW_BREAK]
    first_span = toks[0].span if toks else None

    def known(t: Token) -> bool:
        k = label_key(t.text)
        return bool(k) and any(similarity(k, hk) >= 0.75 for hk, _ in header_known)

    # The header runs to the last known header label; the values follow it, up to the first text
    # that is no value (a note under the table such as 注：单位为件 is not a cell).
    last_header = max((i for i, t in enumerate(toks) if known(t)), default=-1)
    header: list[HeaderLabel] = []
    for t in toks[: last_header + 1]:
        if label_key(t.text) and (known(t) or not _is_value_token(t)):
            ck, _ = best_label(t.text, col_labels, 0.75)
            header.append(HeaderLabel(text=t.text.strip(), column=ck, span=t.span))
    values: list[Token] = []
    for t in toks[last_header + 1 :]:
        if not _is_value_token(t):
            break
        values.append(t)
    n = len(spec.groups) * len(spec.columns)
    notes: list[ParseNote] = []
    values = _drop_trailing_blanks(values, n)
    if len(values) != n:
        # 15 cells in one row: with one too many or too few, no cell's column is certain.
        notes.append(_count_note("table4", None, None, len(values), n, span=first_span))
    rows = []
    width = len(spec.columns)
    for gi, g in enumerate(spec.groups):
        chunk = values[gi * width : (gi + 1) * width]
        rows.append(
            Row(
                key=g.key,
                label=g.label,
                cells=_cells([c.key for c in spec.columns], chunk),
                span=chunk[0].span if chunk else None,
            )
        )
    table = Table(
        key="table4", layout="any", section=section, rows=tuple(rows), header=tuple(header), layout_reasons=(), span=first_span
    )
    return table, notes


def _count_note(
    table: str, row: str | None, tok: Token | None, found: int, expected: int, span: SourceSpan | None = None
) -> ParseNote:
    """A row (or, with ``row`` None, a whole table) read with more or fewer cells than columns:
    which column each value belongs to is then uncertain, and no identity uses it."""
    where = f"row {tok.text.strip()}" if tok is not None else f"{table}"
    return ParseNote(
        kind=NoteKind.MISSING_CELLS if found < expected else NoteKind.EXTRA_CELLS,
        message=f"{where} has {found} cells for {expected} columns",
        span=tok.span if tok is not None else span,
        detail=CellCountDetail(table=table, row=row, found=found, expected=expected),
    )
