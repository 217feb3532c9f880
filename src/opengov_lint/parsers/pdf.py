"""PDF attachments → the report model, read with pdfplumber (pdfminer.six).

Only the text layer is read; nothing is recognised from images. A PDF whose pages carry no
text at all is a scan: an ``image-page`` note (rule X003) says it needs OCR, nothing is
guessed. For each page, tables are found by their ruling lines and read cell by cell; text
outside them is read line by line; both are put in the order they stand on the page. In a
table row, ``None`` (the continuation of a merged cell) is dropped, empty cells left of the
first figure of the table (an unused label column) are dropped, empty cells among the figures
are kept as blanks; text wrapped inside a cell, including a label set vertically one character
per line, is joined. A "table" with one filled cell per row is a page frame around prose and
is read as prose. Prose lines wrapped by the page width are joined into paragraphs. Tables that
continue on the next page need nothing special: the table readers follow the row labels.
Locations are line numbers of the text as extracted (page after page; ``opengov-lint parse``
shows the lines).
"""

from __future__ import annotations

import io
import re
from typing import Any

from .. import numerals
from ..errors import InputError
from ..model import AgencyKind, ImagePageDetail, LimitDetail, NoteKind, ParseNote, Report
from ..packs import InputPack, Packs
from ..textutil import alternation
from .lines import Origin
from .reflow import join_split_title
from .text import parse_text

__all__ = ["parse_pdf", "pdf_to_lines"]

# A pdfplumber.PDF: pdfplumber ships no type information.
PdfDocument = Any

_O = numerals.ORDINAL_CHARS
# A line that opens a paragraph or an item: 一、 （一） 1. 一是
_PARA_START = re.compile(rf"^\s*(?:[{_O}]+\s*、|[(（]\s*[{_O}]+\s*[)）]|\d+\s*[.、．]|[{_O}]是)")
_END = re.compile(r"[。！？；：:」』”)）]\s*$")


def _clean(cell: str | None) -> str | None:
    if cell is None:
        return None
    return re.sub(r"\s*\n\s*", "", cell).strip()


def _value_re(inputs: InputPack) -> re.Pattern[str]:
    """A cell that holds a value: a number with its measure word, or a word, dash or slash for none."""
    none = alternation(inputs.cells.nil_words + inputs.cells.dashes + inputs.cells.slashes)
    return re.compile(rf"^\s*[-+]?\d[\d,.]*\s*(?:{alternation(inputs.units.all)})?\s*$|^\s*(?:{none})\s*$")


def _table_lines(rows: list[list[str | None]], value: re.Pattern[str]) -> list[tuple[str, bool]]:
    """(line, is_prose) for the rows of one table."""
    cleaned = [[_clean(c) for c in r] for r in rows]
    filled = [[c for c in r if c] for r in cleaned]
    if cleaned and all(len(f) <= 1 for f in filled):
        return [(f[0], True) for f in filled if f]  # a frame around prose
    first_value = min(
        (
            next(i for i, c in enumerate(r) if c and value.match(c))
            for r in cleaned
            if sum(1 for c in r if c and value.match(c)) >= 2
        ),
        default=None,
    )
    out = []
    for r in cleaned:
        cells = []
        for i, c in enumerate(r):
            if c is None:
                continue
            if not c and (first_value is None or i < first_value):
                continue
            cells.append(c)
        if any(cells):
            if len(cells) == 1:
                out.append((cells[0], False))
            else:
                out.append((" | ".join(cells), False))
    return out


def pdf_to_lines(pdf: PdfDocument, max_pages: int, inputs: InputPack) -> tuple[list[str], list[int], int, int]:
    """Lines, the page of each line, pages read, pages with a text layer."""
    value = _value_re(inputs)
    lines: list[str] = []
    pages: list[int] = []
    with_text = 0
    read = 0
    for pno, page in enumerate(pdf.pages, start=1):
        if pno > max_pages:
            break
        read += 1
        if page.chars:
            with_text += 1
        else:
            continue
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]
        items: list[tuple[float, list[tuple[str, bool]]]] = []
        for t in tables:
            items.append((t.bbox[1], _table_lines(t.extract(), value)))

        def outside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]] = boxes) -> bool:
            x = (obj["x0"] + obj["x1"]) / 2
            y = (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        rest = page.filter(outside) if boxes else page
        for ln in rest.extract_text_lines(return_chars=False):
            text = ln["text"].strip()
            if text:
                items.append((ln["top"], [(text, True)]))
        items.sort(key=lambda it: it[0])
        for _, block in items:
            for text, _prose in block:
                lines.append(text)
                pages.append(pno)
    return lines, pages, read, with_text


def _join_wrapped(lines: list[str]) -> tuple[list[str], list[int]]:
    """Prose lines wrapped by the page width joined into paragraphs; (lines, first line no)."""
    if not lines:
        return [], []
    prose_lens = [len(x) for x in lines if "|" not in x and len(x) >= 10]
    width = sorted(prose_lens)[int(len(prose_lens) * 0.9)] if prose_lens else 0
    out: list[str] = []
    src: list[int] = []
    for i, x in enumerate(lines):
        prev = out[-1] if out else None
        if (
            prev is not None
            and width
            and "|" not in x
            and "|" not in prev
            and len(lines[i - 1]) >= 0.8 * width
            and not _END.search(lines[i - 1])
            and not _PARA_START.match(x)
            and not _PARA_START.match(lines[i - 1][:0] or "x")
        ):
            out[-1] = prev + x
            continue
        out.append(x)
        src.append(i + 1)
    return out, src


def parse_pdf(
    data: bytes,
    packs: Packs,
    *,
    source_name: str | None = None,
    agency_kind: AgencyKind | None = None,
    report_year: int | None = None,
) -> Report:
    import pdfplumber

    max_pages = packs.inputs.limits.max_pdf_pages
    notes: list[ParseNote] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            total = len(pdf.pages)
            raw, _pages, read, with_text = pdf_to_lines(pdf, max_pages, packs.inputs)
    except Exception as exc:  # pdfminer raises many types for broken or encrypted files
        raise InputError(f"not a readable PDF: {type(exc).__name__}: {str(exc)[:120]}") from None
    if total > max_pages:
        d = LimitDetail(limit_kind="pages", limit=max_pages, detail=f"{total} pages")
        notes.append(ParseNote(kind=NoteKind.TRUNCATED, message=f"{total} pages, only {max_pages} read", detail=d))
    if with_text == 0:
        notes.append(
            ParseNote(
                kind=NoteKind.IMAGE_PAGE, message=f"none of the {read} pages has a text layer", detail=ImagePageDetail(pages=read)
            )
        )
        return Report(notes=tuple(notes), source_name=source_name)
    lines, src = _join_wrapped(raw)
    join_split_title(lines, src, packs.inputs.title)
    origins = tuple(Origin(line=s, columns=None) for s in src)
    return parse_text(
        "\n".join(lines),
        source_name=source_name,
        agency_kind=agency_kind,
        report_year=report_year,
        packs=packs,
        notes=notes,
        origins=origins,
    )
