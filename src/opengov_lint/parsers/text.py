"""Plain text to the report model.

Handles the text people copy from a report page: a title, page metadata (发布日期 …), the
preamble, six numbered sections, tables flattened one cell per line (tab-indented or not) or
as ``|``-joined rows, and a signature with its date. Labels come from the format packs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import numerals
from ..model import AgencyKind, DateText, NoteKind, Paragraph, ParseNote, Report, Section, Suppression, Table
from ..packs import Packs, load_packs
from ..textutil import label_key, normalize, similarity
from .cellsplit import resolve_tables
from .dates import YEAR, parse_date
from .dates import signature_date as signature_date_of
from .interpret import MetaPair, detect_format, read_metadata, read_withholdings
from .lines import Lines, Origin, compose
from .reflow import prepare
from .suppress import text_suppressions
from .tables import ROW_BREAK, Token, read_table2, read_table3, read_table4

__all__ = ["parse_text"]

# The numbering of a format pack's heading (一、总体情况), removed to compare its words.
_NUMBERING = re.compile(rf"^[{numerals.ORDINAL_CHARS}\d]+[、.]")
_SECTION_MAX_LEN = 40


def parse_text(
    text: str,
    *,
    source_name: str | None = None,
    agency_kind: AgencyKind | None = None,
    report_year: int | None = None,
    packs: Packs | None = None,
    notes: Sequence[ParseNote] = (),
    origins: Sequence[Origin] | None = None,
) -> Report:
    packs = packs or load_packs()
    all_notes: list[ParseNote] = list(notes)
    if not text.strip():
        all_notes.append(ParseNote(kind=NoteKind.EMPTY, message="the input holds no text"))
        return Report(notes=tuple(all_notes), source_name=source_name)
    if "\r" in text:  # one line ending for every reader: \r\n (Windows) and \r (old Mac) become \n
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    suppressions: tuple[Suppression, ...] = ()
    if origins is None:  # a text draft's own lines (the HTML reader reads its comments itself)
        text, suppressions = text_suppressions(text)

    prepared = prepare(text, packs)
    doc = Lines(prepared.text, compose(origins, prepared.origins))

    meta_pairs, meta_lines = _page_metadata(doc, packs)
    title_idx = _find_title(doc, meta_lines, packs)
    headings = _find_headings(doc, packs, title_idx)

    # Section bodies and tables.
    sections: list[Section] = []
    tables: list[Table] = []
    first_section_line = headings[0][0] if headings else len(doc.lines)
    for n, (idx, numeral, number, key, _heading_text) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(doc.lines)
        prose_idx, found_tables, tnotes = _split_tables(doc, idx + 1, end, packs, number)
        tables.extend(found_tables)
        all_notes.extend(tnotes)
        sections.append(
            Section(
                heading=doc.lines[idx].strip(),
                numeral=numeral,
                number=number,
                key=key,
                paragraphs=tuple(_paragraphs(doc, prose_idx)),
                span=doc.span(idx, doc.first_col(idx)),
            )
        )

    # Preamble: between the title (or metadata) and the first section, metadata lines excluded.
    pre_start = (title_idx + 1) if title_idx is not None else 0
    preamble_idx = [i for i in range(pre_start, first_section_line) if i not in meta_lines and i != title_idx]
    preamble = _paragraphs(doc, preamble_idx)

    # Signature: the agency and date closing the last section.
    signature: list[Paragraph] = []
    signature_date: DateText | None = None
    if sections:
        last = sections[-1]
        paras = list(last.paragraphs)
        while paras and len(signature) < 3:
            p = paras[-1]
            t = normalize(p.text).strip()
            alone = signature_date_of(t)
            if alone is not None and signature_date is None and not signature:
                signature_date = parse_date(alone, p.span)
                signature.insert(0, paras.pop())
                continue
            if signature and len(t) <= 30 and not re.search(r"[。，；：:]", t):
                signature.insert(0, paras.pop())
                continue
            break
        if signature and signature_date is None:
            paras.extend(signature)
            signature = []
        sections[-1] = Section(
            heading=last.heading, numeral=last.numeral, number=last.number, key=last.key, paragraphs=tuple(paras), span=last.span
        )

    tables, all_notes = resolve_tables(tables, all_notes, packs)
    metadata = read_metadata(
        doc, packs, meta_pairs, title_idx, meta_lines, preamble, sections, signature, signature_date, agency_kind, report_year
    )
    withholdings = read_withholdings(packs, tables, preamble, sections)
    fmt = detect_format(packs, tables, sections, doc)

    if not sections and not tables and metadata.title is None:
        all_notes.append(
            ParseNote(kind=NoteKind.NOT_A_REPORT, message="no title, numbered section or table of an annual report was found")
        )
    return Report(
        metadata=metadata,
        preamble=tuple(preamble),
        sections=tuple(sections),
        tables=tuple(tables),
        withholdings=tuple(withholdings),
        format=fmt,
        signature=tuple(signature),
        notes=tuple(all_notes),
        source_name=source_name,
        suppressions=suppressions,
    )


# ----------------------------------------------------------------------------- metadata lines
def _page_metadata(doc: Lines, packs: Packs) -> tuple[list[MetaPair], set[int]]:
    """(label, value, line) pairs of page metadata, and the lines that hold only metadata."""
    meta_re = packs.vocabulary.meta_label_re
    skip_lines = packs.inputs.metadata.skip_lines
    pairs: list[MetaPair] = []
    lines: set[int] = set()
    limit = min(len(doc.lines), 40)
    for idx in range(limit):
        n = doc.norm[idx].strip()
        if not n:
            continue
        if any(rx.search(n) for rx in skip_lines):
            lines.add(idx)
            continue
        ms = list(meta_re.finditer(n)) if meta_re else []
        if not ms or ms[0].start() > 2:
            continue
        # Value of each label runs to the next label.
        for k, m in enumerate(ms):
            end = ms[k + 1].start() if k + 1 < len(ms) else len(n)
            value = n[m.end() : end].strip(" |")
            if "|" in value:  # a table of label | value cells: the value is the next cell
                value = value.split("|", 1)[0].strip()
            pairs.append((re.sub(r"\s+", "", m.group("label")), value, idx))
        lines.add(idx)
    return pairs, lines


def _find_title(doc: Lines, meta_lines: set[int], packs: Packs) -> int | None:
    words = packs.inputs.title

    def names_document(n: str) -> bool:
        return any(w in n for w in words.document_words)

    def sentence(n: str) -> bool:  # normalised text: ，→, and ；→;
        return re.search(r"[。,;]", n) is not None

    for idx in range(min(len(doc.lines), 25)):
        if idx in meta_lines:
            continue
        n = doc.norm[idx].strip()
        if not n:
            continue
        short = len(n) <= words.max_length and not sentence(n)
        if short and names_document(n) and (YEAR.search(n) or any(w in n for w in words.topic_words)):
            return idx
        if len(n) > words.max_length:
            break
    return None


# ----------------------------------------------------------------------------- sections
def _match_section(text: str, packs: Packs) -> str | None:
    """The section key a heading names, by the packs' keywords; None if it names none."""
    k = label_key(text)
    best, best_score = None, 0.0
    for pack, spec in packs.vocabulary.section_specs:
        if not any(label_key(w) in k for w in spec.keywords):
            continue
        body = label_key(_NUMBERING.sub("", normalize(spec.heading)))
        score = similarity(k, body) + 0.01 * (not pack.legacy)  # a tie goes to the unified formats
        for v in spec.accepted_variants:
            vb = label_key(_NUMBERING.sub("", normalize(v)))
            score = max(score, similarity(k, vb))
        if score > best_score:
            best, best_score = spec.key, score
    return best


# A heading found: (line, numeral as written, its value, section key, heading text).
_Heading = tuple[int, str, int | None, str, str]


def _find_headings(doc: Lines, packs: Packs, title_idx: int | None) -> list[_Heading]:
    row_keys = packs.vocabulary.table_row_keys
    found: list[_Heading] = []
    start = (title_idx + 1) if title_idx is not None else 0
    for idx in range(start, len(doc.lines)):
        raw = doc.lines[idx]
        if "|" in raw or raw.startswith("\t"):
            continue
        m = packs.inputs.headings.pattern.match(doc.norm[idx])
        if not m:
            continue
        text: str = m.group("text")
        if len(text) > _SECTION_MAX_LEN or re.search(r"[。；;]", text):
            continue
        if label_key(doc.norm[idx]) in row_keys or label_key(text) in row_keys:
            continue
        key = _match_section(text, packs)
        if key is None:
            continue
        numeral: str = m.group("num") or m.group("part")
        found.append((idx, numeral, numerals.value(numeral), key, text))
    # Sub-items numbered 1、2、 inside a section are no sections: keep the first run of one style
    # only if it is not nested under headings of the other style.
    styles = {n.isdigit() for _, n, _, _, _ in found}
    if len(styles) == 2:
        cn = [f for f in found if not f[1].isdigit()]
        if len(cn) >= 3:
            found = cn
    return found


# ----------------------------------------------------------------------------- tables
def _anchor_kind(norm_line: str, packs: Packs) -> str | None:
    k = label_key(norm_line)
    if not k:
        return None
    for kind, anchors in packs.vocabulary.table_anchors.items():
        for ak in anchors:
            if kind == "table4":
                # the header of table 四 starts with the bare label 行政复议 (a cell of its own)
                first = re.split(r"[|\t]", norm_line.strip().lstrip("|").strip())[0]
                if label_key(first) == ak:
                    return kind
            elif ak in k[: len(ak) + 6]:
                return kind
    return None


def _is_prose(norm_line: str) -> bool:
    s = norm_line.strip()
    return len(s) >= 40 and ("|" not in s) and bool(re.search(r"[。;]", s)) or (len(s) >= 60 and "|" not in s)


def _split_tables(
    doc: Lines, start: int, end: int, packs: Packs, section_number: int | None
) -> tuple[list[int], list[Table], list[ParseNote]]:
    """Prose line indices of a section, the tables found in it, and parse notes."""
    anchors: list[tuple[int, str]] = []
    seen: set[str] = set()
    for idx in range(start, end):
        kind = _anchor_kind(doc.norm[idx], packs)
        if kind and kind not in seen:
            near = range(idx, min(end, idx + 30))
            if kind == "table4" and not any(c in label_key(doc.norm[j]) for j in near for c in packs.vocabulary.table4_confirm):
                continue
            anchors.append((idx, kind))
            seen.add(kind)
    if not anchors:
        return list(range(start, end)), [], []
    prose = list(range(start, anchors[0][0]))
    tables = []
    notes: list[ParseNote] = []
    for n, (a_idx, kind) in enumerate(anchors):
        a_end = anchors[n + 1][0] if n + 1 < len(anchors) else end
        # Trailing prose after the table belongs to the section text.
        last = a_end
        while last > a_idx + 1 and (not doc.norm[last - 1].strip() or _is_prose(doc.norm[last - 1])):
            last -= 1
        prose.extend(i for i in range(last, a_end) if doc.norm[i].strip())
        tokens, respect = _tokenize(doc, a_idx, last)
        reader = {"table2": read_table2, "table3": read_table3, "table4": read_table4}[kind]
        table, tnotes = reader(tokens, packs, respect, section_number)
        tables.append(table)
        notes.extend(tnotes)
    return prose, tables, notes


def _tokenize(doc: Lines, start: int, end: int) -> tuple[list[Token], bool]:
    """Cell tokens of lines [start, end), and whether row breaks delimit rows in this style."""
    lines = range(start, end)
    if _pipe_cell_style(doc, lines):
        return _tokenize_pipe_cells(doc, lines), False
    has_pipes = sum("|" in doc.lines[i] for i in lines) >= 2
    has_tabs = sum(doc.lines[i].startswith("\t") for i in lines) >= 2
    tokens: list[Token] = []
    for i in lines:
        raw = doc.lines[i]
        if has_pipes and _MD_RULE.match(raw):
            continue  # the |---|---| line under a markdown table's header
        if has_pipes and "|" in raw:
            col = 0
            parts = raw.split("|")
            st = raw.strip()
            markdown = len(parts) >= 3 and st.startswith("|") and st.endswith("|")
            for k, p in enumerate(parts):
                # a blank cell points inside its pipes, not at the next one
                lead = len(p) - len(p.lstrip()) if p.strip() else min(1, len(p))
                # "| a | b |": the outer pipes of a markdown row enclose no cells
                if not (markdown and (k == 0 or k == len(parts) - 1) and not p.strip()):
                    tokens.append(Token(p.strip(), doc.span(i, col + lead, len(p.strip()))))
                col += len(p) + 1
            tokens.append(ROW_BREAK)
        elif has_tabs:
            if raw.startswith("\t"):
                tokens.append(Token(raw.strip(), doc.span(i, doc.first_col(i), len(raw.strip()))))
            elif not raw.strip():
                tokens.append(ROW_BREAK)
            elif tokens and tokens[-1] is not ROW_BREAK:
                # a label wrapped onto the next line: the same cell
                prev = tokens[-1]
                tokens[-1] = Token(prev.text + raw.strip(), prev.span)
            else:
                tokens.append(Token(raw.strip(), doc.span(i, doc.first_col(i), len(raw.strip()))))
        else:
            if raw.strip():
                tokens.append(Token(raw.strip(), doc.span(i, doc.first_col(i), len(raw.strip()))))
            tokens.append(ROW_BREAK)
    respect = has_pipes or has_tabs
    return tokens, respect


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPES_ONLY = re.compile(r"^\s*\|[|\s]*$")
_CELL_PIPE = re.compile(r"^(?P<cell>[^|]*?\S)\s*\|[|\s]*$")


def _pipe_cell_style(doc: Lines, lines: range) -> bool:
    """One cell per line, each ending in " |", rows separated by lines of pipes only."""
    filled = [doc.lines[i] for i in lines if doc.lines[i].strip()]
    if len(filled) < 4:
        return False
    cellish = sum(1 for ln in filled if _PIPES_ONLY.match(ln) or _CELL_PIPE.match(ln))
    return cellish >= 0.8 * len(filled)


def _tokenize_pipe_cells(doc: Lines, lines: range) -> list[Token]:
    # A lone "|" is an empty cell where rows are separated by "||…" lines (033, 007), and a
    # row separator where they are not (013).
    double = any(_PIPES_ONLY.match(doc.lines[i]) and doc.lines[i].count("|") >= 2 for i in lines)
    tokens: list[Token] = []
    for i in lines:
        raw = doc.lines[i]
        if not raw.strip():
            continue
        if _PIPES_ONLY.match(raw):
            if raw.count("|") == 1 and double:
                tokens.append(Token("", doc.span(i, raw.index("|"))))
            else:
                tokens.append(ROW_BREAK)
            continue
        m = _CELL_PIPE.match(raw)
        if m:
            tokens.append(Token(m.group("cell").strip(), doc.span(i, doc.first_col(i), len(m.group("cell").strip()))))
        else:
            tokens.append(Token(raw.strip(), doc.span(i, doc.first_col(i), len(raw.strip()))))
    return tokens


def _paragraphs(doc: Lines, indices: Sequence[int]) -> list[Paragraph]:
    out = []
    for i in indices:
        if doc.lines[i].strip():
            col = doc.first_col(i)
            out.append(Paragraph(text=doc.lines[i].strip(), span=doc.span(i, col)))
    return out
