"""DOCX drafts → the report model, read with python-docx.

Before python-docx sees the file, the ZIP is checked: the members' declared sizes together
must stay under the decompressed-size limit (zip bombs), no member may be compressed more than
200-fold, and no XML part may carry a DTD (``<!DOCTYPE``/``<!ENTITY``: entity expansion and
external entities are refused, not resolved). Paragraphs and tables are then read in document
order; a table becomes one line per row with its cells joined by `` | ``, a merged cell
(``gridSpan``/``vMerge``) written once, at its origin. Locations are block numbers: "line" N is
the N-th paragraph or table row of the document body. The signature date at the end is the
publication date when nothing else says otherwise (the text parser's rule).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ..errors import InputError
from ..model import AgencyKind, LimitDetail, LimitKind, NoteKind, ParseNote, Report
from ..packs import Packs
from .lines import Origin
from .reflow import join_split_title
from .text import parse_text

__all__ = ["parse_docx", "docx_to_lines"]

# A python-docx document or one of its XML elements: python-docx ships no type information.
DocxElement = Any

MAX_RATIO = 200


def _refuse(kind: LimitKind, limit: int, detail: str, source_name: str | None) -> Report:
    note = ParseNote(kind=NoteKind.OVER_LIMIT, message=detail, detail=LimitDetail(limit_kind=kind, limit=limit, detail=detail))
    return Report(notes=(note,), source_name=source_name)


def _check_zip(data: bytes, limit: int) -> tuple[LimitKind, str] | None:
    """(limit kind, detail) when the package must not be opened; None when it is safe."""

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable DOCX (ZIP) file: {exc}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > 5000:
            return "unsafe", f"{len(infos)} members in the package"
        total = sum(i.file_size for i in infos)
        if total > limit:
            return "decompressed", f"{total} bytes declared by {len(infos)} members"
        for i in infos:
            if i.compress_size and i.file_size / max(i.compress_size, 1) > MAX_RATIO and i.file_size > 1_000_000:
                return "decompressed", f"{i.filename} expands {i.file_size // max(i.compress_size, 1)}-fold"
        if "word/document.xml" not in zf.namelist():
            raise InputError("not a Word document: the package has no word/document.xml")
        for i in infos:
            if not i.filename.endswith((".xml", ".rels")):
                continue
            read = 0
            with zf.open(i) as fh:
                # Read in chunks and stop at the limit, whatever the header claimed.
                head = b""
                while True:
                    chunk = fh.read(65536)
                    if not chunk:
                        break
                    read += len(chunk)
                    if read > limit:
                        return "decompressed", f"{i.filename} decompresses past the limit"
                    if len(head) < 4096:
                        head += chunk[:4096]
                    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                        return "unsafe", f"{i.filename} declares a DTD or entities"
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    return "unsafe", f"{i.filename} declares a DTD or entities"
    return None


def _cell_text(tc: DocxElement) -> str:
    from docx.oxml.ns import qn

    parts = []
    for p in tc.iter(qn("w:p")):
        parts.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "".join(parts).replace("\u3000", " ").strip()


def docx_to_lines(document: DocxElement) -> list[str]:
    from docx.oxml.ns import qn
    from docx.table import Table

    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            # a line break inside a paragraph
            lines.append(text.strip())
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            seen: set[int] = set()
            keep = []  # holds the cells so that their ids stay unique while compared (merged cells repeat)
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    key = id(cell._tc)
                    if key in seen:
                        continue
                    seen.add(key)
                    keep.append(cell._tc)
                    cells.append(_cell_text(cell._tc))
                if any(cells):
                    lines.append(" | ".join(cells))
            lines.append("")
    return lines


def parse_docx(
    data: bytes,
    packs: Packs,
    *,
    source_name: str | None = None,
    agency_kind: AgencyKind | None = None,
    report_year: int | None = None,
) -> Report:
    limit = packs.inputs.limits.max_decompressed_bytes
    bad = _check_zip(data, limit)
    if bad is not None:
        return _refuse(bad[0], limit, bad[1], source_name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(f"not a readable DOCX file: {type(exc).__name__}: {str(exc)[:120]}") from None
    lines = docx_to_lines(document)
    if not any(x.strip() for x in lines):
        return Report(notes=(ParseNote(kind=NoteKind.EMPTY, message="the document holds no text"),), source_name=source_name)
    src = list(range(1, len(lines) + 1))
    first = next((i for i, x in enumerate(lines) if x.strip()), 0)
    join_split_title(lines, src, packs.inputs.title, first)
    origins = tuple(Origin(line=s, columns=None) for s in src)
    return parse_text(
        "\n".join(lines), source_name=source_name, agency_kind=agency_kind, report_year=report_year, packs=packs, origins=origins
    )
