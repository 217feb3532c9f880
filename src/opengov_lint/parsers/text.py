"""Plain text to the report model.

Handles the text people copy from a report page: a title, page metadata (发布日期 …), the
preamble, six numbered sections, tables flattened one cell per line (tab-indented or not) or
as ``|``-joined rows, and a signature with its date. Labels come from the format packs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .. import numerals
from ..model import (
    AgencyKind,
    DateText,
    FormatDetection,
    Metadata,
    Paragraph,
    ParseNote,
    Period,
    PublicationDate,
    Report,
    Section,
    SourceSpan,
    Table,
    Withholding,
)
from ..packs import FormatPack, Packs, load_packs
from ..textutil import label_key, normalize, similarity
from .dates import find_dates, find_periods, parse_date
from .reflow import input_pack
from .tables import ROW_BREAK, Token, read_table2, read_table3, read_table4

__all__ = ["parse_text"]

class _Words:
    """The words the text parser looks for, from the packs: page metadata labels and title words
    (rules/inputs.toml), and the labels that open each table (rules/formats/*.toml)."""

    def __init__(self, packs: Packs) -> None:
        pack = input_pack(packs)
        md = pack.get("metadata", {})
        labels = sorted(md.get("labels", []), key=len, reverse=True)
        # 标      题: spaces may stand inside a label
        self.meta_re = re.compile(r"(?P<label>" + "|".join(r"\s*".join(map(re.escape, lb)) for lb in labels) + r")\s*[:|]\s*") if labels else None
        self.title_labels = tuple(md.get("title", ()))
        self.title_label_re = (
            re.compile(r"^\s*(?:" + "|".join(r"\s*".join(map(re.escape, lb)) for lb in self.title_labels) + r")\s*[:：|]?\s+") if self.title_labels else None
        )
        self.publication_labels = tuple(md.get("publication", ()))
        self.signed_labels = tuple(md.get("signed", ()))
        self.agency_labels = tuple(md.get("agency", ()))
        self.skip_lines = tuple(re.compile(x) for x in md.get("skip_lines", ()))
        self.signature_label = md.get("signature_label", "")
        title = pack.get("title", {})
        self.document_words = tuple(title.get("document_words", ()))
        self.topic_words = tuple(title.get("topic_words", ()))
        self.max_title = int(title.get("max_length", 60))
        self.title_tail = re.compile(title["tail_pattern"]) if title.get("tail_pattern") else None
        self.anchors, self.table4_confirm = _table_anchors(packs)


def _table_anchors(packs: Packs) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Labels whose line opens a table: table 二's block titles and first header cell, table 三's
    corner note, top header and first row, table 四's first header (confirmed by its first column)."""
    anchors: dict[str, set[str]] = {"table2": set(), "table3": set(), "table4": set()}
    confirm: set[str] = set()
    for pack in packs.formats.values():
        for key, spec in pack.tables.items():
            if key == "table2":
                anchors[key] |= {label_key(b.title) for b in spec.blocks}
                if spec.header_first_cell:
                    anchors[key].add(label_key(spec.header_first_cell))
            elif key == "table3":
                if spec.corner_note:
                    anchors[key].add(label_key(spec.corner_note)[:10])  # the note's opening words
                anchors[key] |= {label_key(x) for x in spec.header_labels[:1]}
                anchors[key] |= {label_key(r.label) for r in spec.rows[:1]}
            elif key == "table4":
                anchors[key] |= {label_key(x) for x in spec.header_labels[:1]}
                confirm |= {label_key(c.label) for c in spec.columns[:1]}
    return {k: tuple(sorted(v)) for k, v in anchors.items()}, tuple(sorted(confirm))


@functools.lru_cache(maxsize=8)
def _words(packs: Packs) -> _Words:
    return _Words(packs)

# A section heading: 一、总体情况, also 一 总体情况, 第一部分 总体情况, and with markdown or bold
# markup around it (## 一、总体情况, **一、总体情况**). Text after the numeral must follow a
# separator; the words must then name a section (keywords of the packs).
_HEADING_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*"
    r"(?:第(?P<part>[一二三四五六七八九十]{1,3})部分\s*[、.．，,:]?|(?P<num>[一二三四五六七八九十]{1,3}|\d{1,2})\s*(?:[、.．，,]|\s))"
    r"\s*(?P<text>.+?)\s*(?:\*\*)?\s*$"
)
_SECTION_MAX_LEN = 40
_ISO_DATE = re.compile(r"\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}")


class _Doc:
    """The input split into lines, with normalised twins; spans are 1-based."""

    def __init__(self, text: str, origins=None) -> None:
        # \r\n (Windows), \r (old Mac) and \n all end a line
        self.lines = re.split(r"\r\n|\r|\n", text)
        self.norm = [normalize(ln) for ln in self.lines]
        # Where each line came from when the text was prepared (reflow.Origin per line).
        self.origins = origins

    def span(self, idx: int, col: int = 0, length: int | None = None) -> SourceSpan:
        """Span of ``length`` characters from ``col`` of line ``idx`` (default: to the line's end)."""
        ln = self.lines[idx]
        if self.origins is not None and idx < len(self.origins):
            o = self.origins[idx]
            cols = o.columns
            if not cols:
                return SourceSpan(line=o.line, column=1, end_line=o.line, end_column=1)
            c0 = cols[min(col, len(cols) - 1)]
            c1 = cols[-1] if length is None else cols[min(col + max(length, 1) - 1, len(cols) - 1)]
            return SourceSpan(line=o.line, column=c0 + 1, end_line=o.line, end_column=max(c1 + 1, c0 + 1))
        end = len(ln) if length is None else col + max(length, 1)
        return SourceSpan(line=idx + 1, column=col + 1, end_line=idx + 1, end_column=max(end, col + 1))

    def first_col(self, idx: int) -> int:
        ln = self.lines[idx]
        return len(ln) - len(ln.lstrip())


def parse_text(
    text: str,
    *,
    source_name: str | None = None,
    agency_kind: AgencyKind | None = None,
    report_year: int | None = None,
    packs: Packs | None = None,
    notes: Sequence[ParseNote] = (),
    origins=None,
) -> Report:
    packs = packs or load_packs()
    all_notes: list[ParseNote] = list(notes)
    if not text.strip():
        all_notes.append(ParseNote(kind="empty", message="the input holds no text"))
        return Report(notes=tuple(all_notes), source_name=source_name)
    from .reflow import prepare

    if "\r" in text:  # one line ending for every reader: \r\n (Windows) and \r (old Mac) become \n
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    prepared = prepare(text, packs)
    doc = _Doc(prepared.text, _compose(origins, prepared.text, prepared.origins))

    words = _words(packs)
    meta_pairs, meta_lines = _page_metadata(doc, words)
    title_idx = _find_title(doc, meta_lines, words)
    headings = _find_headings(doc, packs, title_idx)
    table_packs = packs.table_formats()

    # Section bodies and tables.
    sections: list[Section] = []
    tables: list[Table] = []
    first_section_line = headings[0][0] if headings else len(doc.lines)
    for n, (idx, numeral, number, key, _heading_text) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(doc.lines)
        prose_idx, found_tables, tnotes = _split_tables(doc, idx + 1, end, table_packs, number, words)
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
            m = re.fullmatch(r"[\s(（]*(" + _DATE_ONLY + r")[)）\s]*", t)
            if m and signature_date is None and not signature:
                signature_date = parse_date(m.group(1), p.span)
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

    from .cellsplit import resolve_tables

    tables, all_notes = resolve_tables(tables, all_notes, packs)
    metadata = _metadata(doc, packs, words, meta_pairs, title_idx, meta_lines, preamble, sections, signature, signature_date, agency_kind, report_year)
    withholdings = _withholdings(packs, tables, preamble, sections)
    fmt = _detect_format(packs, tables, sections, doc)

    if not sections and not tables and metadata.title is None:
        all_notes.append(
            ParseNote(kind="not-a-report", message="no title, numbered section or table of an annual report was found")
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
    )


def _compose(outer, text: str, inner):
    """Origins of the prepared lines in the caller's source (HTML, DOCX, PDF) when both exist."""
    if outer is None:
        return inner
    from .reflow import Origin

    if inner is None:
        return outer
    out = []
    for o in inner:
        co = outer[o.line - 1] if 0 < o.line <= len(outer) else None
        if co is None:
            out.append(o)
            continue
        if co.columns is None or o.columns is None:
            out.append(Origin(line=co.line, columns=co.columns))
            continue
        n = len(co.columns)
        out.append(Origin(line=co.line, columns=tuple(co.columns[c] if c < n else (co.columns[-1] if n else 0) for c in o.columns)))
    return tuple(out)


_DATE_ONLY = (
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九○]{4}\s*年\s*[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
    r"|\d{4}-\d{1,2}-\d{1,2}"
)


# ----------------------------------------------------------------------------- metadata lines
def _page_metadata(doc: _Doc, words: _Words) -> tuple[list[tuple[str, str, int]], set[int]]:
    """(label, value, line) pairs of page metadata, and the lines that hold only metadata."""
    pairs: list[tuple[str, str, int]] = []
    lines: set[int] = set()
    limit = min(len(doc.lines), 40)
    for idx in range(limit):
        n = doc.norm[idx].strip()
        if not n:
            continue
        if any(rx.search(n) for rx in words.skip_lines):
            lines.add(idx)
            continue
        ms = list(words.meta_re.finditer(n)) if words.meta_re else []
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


def _find_title(doc: _Doc, meta_lines: set[int], words: _Words) -> int | None:
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
        short = len(n) <= words.max_title and not sentence(n)
        if short and names_document(n) and (re.search(r"\d{4}\s*年", n) or any(w in n for w in words.topic_words)):
            return idx
        if len(n) > words.max_title:
            break
    return None


def _title_text(doc: _Doc, idx: int, meta_lines: set[int], words: _Words) -> tuple[str, int]:
    """The title as written, with the agency line above it when the title was split in two
    (路北区住房和城乡建设局 / 2022年政府信息公开工作年度报告); and the first line it uses."""
    title = doc.lines[idx].strip()
    # A breadcrumb copied with the title (网站首页 > 年度报告 > 某某2024年…报告): its last step.
    if ">" in title:
        title = title.rsplit(">", 1)[1].strip()
    # A metadata label without a colon (标      题 西藏自治区…): not part of the title.
    if words.title_label_re is not None:
        title = words.title_label_re.sub("", title, count=1)
    prev = idx - 1
    while prev >= 0 and not doc.lines[prev].strip():
        prev -= 1
    if prev >= 0 and prev not in meta_lines and re.match(r"\d{4}\s*年", doc.norm[idx].strip()):
        above = doc.norm[prev].strip()
        if 2 <= len(above) <= 30 and not re.search(r"[。,;:|\d]", above):
            return doc.lines[prev].strip() + title, prev
    return title, idx


# ----------------------------------------------------------------------------- sections
def _all_section_specs(packs: Packs) -> list[tuple[FormatPack, object]]:
    out = []
    for pack in packs.formats.values():
        for s in pack.sections:
            out.append((pack, s))
    return out


def _table_row_keys(packs: Packs) -> set[str]:
    keys = set()
    for pack in packs.formats.values():
        for t in pack.tables.values():
            for r in t.rows:
                keys.add(label_key(r.label))
    return keys


def _match_section(text: str, packs: Packs) -> str | None:
    """The section key a heading names, by the packs' keywords; None if it names none."""
    k = label_key(text)
    best, best_score = None, 0.0
    for pack, spec in _all_section_specs(packs):
        if not any(label_key(w) in k for w in spec.keywords):
            continue
        body = label_key(re.sub(r"^[一二三四五六七八九十\d]+[、.]", "", normalize(spec.heading)))
        score = similarity(k, body) + 0.01 * (pack.id != "pre2019")
        for v in spec.accepted_variants:
            vb = label_key(re.sub(r"^[一二三四五六七八九十\d]+[、.]", "", normalize(v)))
            score = max(score, similarity(k, vb))
        if score > best_score:
            best, best_score = spec.key, score
    return best


def _find_headings(doc: _Doc, packs: Packs, title_idx: int | None) -> list[tuple[int, str, int | None, str | None, str]]:
    row_keys = _table_row_keys(packs)
    found = []
    start = (title_idx + 1) if title_idx is not None else 0
    for idx in range(start, len(doc.lines)):
        raw = doc.lines[idx]
        if "|" in raw or raw.startswith("\t"):
            continue
        m = _HEADING_RE.match(doc.norm[idx])
        if not m:
            continue
        text = m.group("text")
        if len(text) > _SECTION_MAX_LEN or re.search(r"[。；;]", text):
            continue
        if label_key(doc.norm[idx]) in row_keys or label_key(text) in row_keys:
            continue
        key = _match_section(text, packs)
        if key is None:
            continue
        numeral = m.group("num") or m.group("part")
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
def _anchor_kind(norm_line: str, words: _Words) -> str | None:
    k = label_key(norm_line)
    if not k:
        return None
    for kind, anchors in words.anchors.items():
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


def _split_tables(doc: _Doc, start: int, end: int, table_packs, section_number: int | None, words: _Words):
    """Prose line indices of a section, the tables found in it, and parse notes."""
    anchors: list[tuple[int, str]] = []
    seen: set[str] = set()
    for idx in range(start, end):
        kind = _anchor_kind(doc.norm[idx], words)
        if kind and kind not in seen:
            near = range(idx, min(end, idx + 30))
            if kind == "table4" and not any(c in label_key(doc.norm[j]) for j in near for c in words.table4_confirm):
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
        table, tnotes = reader(tokens, table_packs, respect, section_number)
        tables.append(table)
        notes.extend(tnotes)
    return prose, tables, notes


def _tokenize(doc: _Doc, start: int, end: int) -> tuple[list[Token], bool]:
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


def _pipe_cell_style(doc: _Doc, lines: range) -> bool:
    """One cell per line, each ending in " |", rows separated by lines of pipes only."""
    filled = [doc.lines[i] for i in lines if doc.lines[i].strip()]
    if len(filled) < 4:
        return False
    cellish = sum(1 for ln in filled if _PIPES_ONLY.match(ln) or _CELL_PIPE.match(ln))
    return cellish >= 0.8 * len(filled)


def _tokenize_pipe_cells(doc: _Doc, lines: range) -> list[Token]:
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


def _paragraphs(doc: _Doc, indices: Sequence[int]) -> list[Paragraph]:
    out = []
    for i in indices:
        if doc.lines[i].strip():
            col = doc.first_col(i)
            out.append(Paragraph(text=doc.lines[i].strip(), span=doc.span(i, col)))
    return out


# ----------------------------------------------------------------------------- metadata
def _agency_kind(packs: Packs, name: str | None) -> AgencyKind | None:
    if not name:
        return None
    n = label_key(name)
    for rule in packs.regulation.get("agency_kinds", []):
        if any(n.endswith(label_key(s)) for s in rule["suffixes"]):
            return AgencyKind(rule["kind"])
    return None


def _agency_from_title(title: str, words: _Words) -> str | None:
    n = normalize(title).strip()
    tail = words.title_tail

    def cut(text: str) -> str:
        return tail.sub("", text) if tail else text

    m = re.match(r"^(?P<a>.*?)(?P<y>\d{4})\s*年(?:度)?(?P<b>.*)$", n)
    if m:
        before = m.group("a").strip(" 关于的")
        after = cut(m.group("b")).strip(" 的")
        cand = before or after
    else:
        cand = cut(n).strip(" 关于的")
    cand = re.sub(r"^关于", "", cand)
    return cand or None


def _meta_value(pairs, labels) -> tuple[str, str, int] | None:
    for label, value, line in pairs:
        if label in labels and value:
            return label, value, line
    return None


def _metadata(doc, packs, words, pairs, title_idx, meta_lines, preamble, sections, signature, signature_date, agency_kind, report_year) -> Metadata:
    title, title_span = None, None
    if title_idx is not None:
        title, first = _title_text(doc, title_idx, meta_lines, words)
        title_span = doc.span(first, doc.first_col(first))
    if title is None:
        mv = _meta_value(pairs, words.title_labels)
        if mv:
            title, title_span = mv[1], doc.span(mv[2])

    # Agency: the title, else the signature, else the page's 发布机构.
    agency = _agency_from_title(title, words) if title else None
    if not agency and signature:
        cand = [p.text for p in signature if not re.search(r"\d", p.text)]
        agency = cand[-1].strip() if cand else None
    if not agency:
        mv = _meta_value(pairs, words.agency_labels)
        agency = mv[1] if mv else None

    kind_source = "unknown"
    kind = AgencyKind.OTHER
    if agency_kind is not None:
        kind, kind_source = agency_kind, "caller"
    else:
        detected = _agency_kind(packs, agency)
        if detected is not None:
            kind, kind_source = detected, "name"

    # All dates, validated.
    dates: list[DateText] = []
    for idx, n in enumerate(doc.norm):
        for s, _e, raw in find_dates(n):
            dates.append(parse_date(raw, doc.span(idx, s, len(raw))))

    period = _period(doc, packs)

    year_source = "unknown"
    year = None
    if report_year is not None:
        year, year_source = report_year, "caller"
    elif title:
        m = re.search(r"(\d{4})\s*年", normalize(title))
        if m:
            year, year_source = int(m.group(1)), "title"
    if year is None and period is not None and period.start.year:
        year, year_source = period.start.year, "period"
    if year is None:
        # A guess, marked "body": 2024年度 first (the report's own year), then a year opening a paragraph.
        paras = [normalize(p.text) for p in preamble] + [normalize(p.text) for s in sections[:1] for p in s.paragraphs[:3]]
        for rx in (r"(\d{4})\s*年度", r"^\s*(\d{4})\s*年"):
            found = next((int(m.group(1)) for t in paras if (m := re.search(rx, t)) and 1990 <= int(m.group(1)) <= 2100), None)
            if found is not None:
                year, year_source = found, "body"
                break

    publication = None
    mv = _meta_value(pairs, words.publication_labels)
    if mv and _ISO_DATE.search(mv[1]):
        raw = _ISO_DATE.search(mv[1]).group(0)
        publication = PublicationDate(date=parse_date(raw, doc.span(mv[2])), source="metadata", label=mv[0])
    if publication is None and signature_date is not None:
        publication = PublicationDate(date=signature_date, source="signature", label=words.signature_label)
    if publication is None:
        mv = _meta_value(pairs, words.signed_labels)
        if mv and _ISO_DATE.search(mv[1]):
            raw = _ISO_DATE.search(mv[1]).group(0)
            publication = PublicationDate(date=parse_date(raw, doc.span(mv[2])), source="metadata", label=mv[0])

    return Metadata(
        title=title,
        title_span=title_span,
        agency=agency,
        agency_kind=kind,
        agency_kind_source=kind_source,
        report_year=year,
        report_year_source=year_source,
        publication=publication,
        period=period,
        dates=tuple(dates),
    )


def _period(doc: _Doc, packs: Packs) -> Period | None:
    markers = [normalize(m) for m in packs.regulation.get("period", {}).get("markers", [])]
    for idx, n in enumerate(doc.norm):
        if not any(mk in n for mk in markers):
            continue
        for m in find_periods(n):
            before = n[max(0, m.start() - 40) : m.start()]
            sentence_start = max(before.rfind("。"), before.rfind(";"))
            context = before[sentence_start + 1 :]
            if not any(mk in context for mk in markers):
                continue  # the marker must introduce the range, in the same sentence
            start = parse_date(m.group("start"), doc.span(idx, m.start("start"), len(m.group("start"))))
            end = parse_date(m.group("end"), doc.span(idx, m.start("end"), len(m.group("end"))), default_year=start.year)
            return Period(raw=doc.lines[idx][m.start() : m.end()], start=start, end=end, span=doc.span(idx, m.start(), m.end() - m.start()))
    return None


# ----------------------------------------------------------------------------- withholdings
def _withholdings(packs: Packs, tables: list[Table], preamble, sections) -> list[Withholding]:
    out: list[Withholding] = []
    reg = packs.regulation
    t3 = next((t for t in tables if t.key == "table3"), None)
    if t3 is not None:
        spec_rows = {}
        for pack in packs.formats.values():
            if "table3" in pack.tables:
                for r in pack.tables["table3"].rows:
                    spec_rows.setdefault(r.key, r)
        for row in t3.rows:
            total = row.cell("total")
            count = total.value if total is not None and isinstance(total.value, int) else None
            if count is None:
                parts = [c.value for c in row.cells if c.column != "total" and isinstance(c.value, int)]
                count = sum(parts) if parts else None
            if not count:
                continue
            spec = spec_rows.get(row.key) if row.key else None
            if spec is not None and spec.withholding:
                out.append(Withholding(count=count, reason=spec.withholding, reason_text=row.label, source="table", table_row=row.key, span=row.span))
            elif row.key == "denied":
                out.append(Withholding(count=count, reason=None, reason_text=None, source="table", table_row=row.key, span=row.span))
            elif row.key is None and row.block == "denied":
                out.append(Withholding(count=count, reason=None, reason_text=row.label, source="table", table_row=None, span=row.span))

    wp = reg.get("withholding_prose", {})
    verbs = [normalize(v) for v in wp.get("verbs", [])]
    markers = [normalize(v) for v in wp.get("reason_markers", [])]
    ignore = [normalize(v) for v in wp.get("ignore_phrases", [])]
    reasons = reg.get("withholding_reasons", [])
    verb_re = re.compile("(" + "|".join(map(re.escape, verbs)) + r")(?:的|类)?(?:政府信息|信息|申请)?(?:共|计|共计)?\s*(\d+)\s*(件|条|项|个|份)")
    paras = list(preamble) + [p for s in sections for p in s.paragraphs]
    for p in paras:
        n = normalize(p.text)
        for m in verb_re.finditer(n):
            if any(ig in n[max(0, m.start() - 4) : m.end() + 6] for ig in ignore):
                continue
            clause_start = max(n.rfind(ch, 0, m.start()) for ch in "，。；;,:：") + 1
            clause = n[clause_start : m.start()]
            reason_key, reason_text = None, None
            mk = [clause.rfind(x) for x in markers if x in clause]
            if mk:
                reason_text = clause[max(mk) :].strip() or None
            # A named ground anywhere in the clause counts (涉密、第三方…).
            for r in reasons:
                if any(normalize(kw) in clause for kw in r["keywords"]):
                    reason_key = r["key"]
                    reason_text = reason_text or clause.strip()
                    break
            if reason_text is not None and len(label_key(reason_text)) <= 1:
                reason_text = None
            sent_start = max(n.rfind("。", 0, m.start()), n.rfind(";", 0, m.start())) + 1
            sent_end = n.find("。", m.end())
            sentence = p.text[sent_start : (sent_end + 1 if sent_end >= 0 else len(n))].strip()
            col = (p.span.column if p.span else 1) + m.start()
            span = SourceSpan(line=p.span.line, column=col, end_line=p.span.line, end_column=col + (m.end() - m.start())) if p.span else None
            out.append(Withholding(count=int(m.group(2)), reason=reason_key, reason_text=reason_text, source="prose", sentence=sentence, span=span))
    return out


# ----------------------------------------------------------------------------- format detection
def _detect_format(packs: Packs, tables: list[Table], sections: list[Section], doc: _Doc) -> FormatDetection:
    reasons: list[str] = []
    pre = packs.formats.get("pre2019")
    if pre is not None:
        strong = [label_key(t) for t, s in pre.legacy_markers if s == "strong"]
        for s in sections:
            hk = label_key(s.heading)
            for mk in strong:
                if mk in hk:
                    reasons.append(f"章节标题“{s.heading}”属于2019年以前的报告体例")
                    return FormatDetection(version="pre2019", reasons=tuple(reasons))
    layouts = {t.key: t.layout for t in tables if t.key in ("table2", "table3") and t.layout not in ("unknown", "any")}
    for t in tables:
        if t.key in layouts:
            reasons.extend(t.layout_reasons or (f"{t.key} follows {t.layout}",))
    if layouts:
        versions = set(layouts.values())
        version = "gb2019" if "gb2019" in versions else sorted(versions)[0]
        return FormatDetection(version=version, reasons=tuple(reasons))
    full = "\n".join(doc.norm)
    for pack in packs.formats.values():
        if pack.notice_number and normalize(pack.notice_number) in full:
            return FormatDetection(version=pack.id, reasons=(f"引用了{pack.notice_number}",))
    return FormatDetection(version="unknown", reasons=("未找到可判断格式的表格或引用",))
