"""Parsers: inputs people have → the report model. They know the format packs, not the rules.

``parse`` takes a path, text or bytes and chooses the reader from ``input_format`` or the
file's extension and content. Files that cannot be opened at all raise :class:`InputError`;
everything that can be opened becomes a :class:`~opengov_lint.model.Report`, whose ``notes``
say what could not be read (rules turn them into findings).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import attrs

from ..errors import InputError, ModelError
from ..model import AgencyKind, ParseNote, Report
from ..packs import Packs, load_packs

__all__ = ["InputError", "parse", "decode_bytes", "sniff_format", "MAX_INPUT_BYTES", "INPUT_FORMATS"]

MAX_INPUT_BYTES = 20 * 1024 * 1024
INPUT_FORMATS = ("text", "json", "html", "docx", "pdf")
_EXT = {
    ".txt": "text", ".text": "text", ".md": "text", ".json": "json",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf",
}  # fmt: skip


def sniff_format(data: bytes) -> str | None:
    """The format the content shows, whatever the file is called: None when it shows none."""
    head = data[:4096]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536] else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or (probe.startswith(b"<") and re.search(rb"<(body|table|p|div|meta)[\s>]", head.lower())):
        return "html"
    return None


def _over_limit(size: int, source_name: str | None) -> Report:
    detail = json.dumps({"limit_kind": "size", "size": str(size), "limit": str(MAX_INPUT_BYTES)})
    note = ParseNote(kind="over-limit", message=f"{size} bytes is over the {MAX_INPUT_BYTES}-byte limit", detail=detail)
    return Report(notes=(note,), source_name=source_name)




def decode_bytes(data: bytes) -> tuple[str, list[ParseNote]]:
    """Text of ``data``: UTF-8 (with or without BOM), else GB18030; notes when neither is clean."""
    notes: list[ParseNote] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows Notepad's "Unicode" (UTF-16 with BOM)
        try:
            return data.decode("utf-16"), notes
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), notes
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    notes.append(
        ParseNote(kind="undecodable", message=f"{bad} bytes are neither UTF-8 nor GB18030", detail=f"{bad}/{len(data)}")
    )
    return text, notes


def _looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes but is text
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    return False


def parse(
    source: str | bytes | os.PathLike[str],
    *,
    input_format: str | None = None,
    agency_kind: AgencyKind | str | None = None,
    report_year: int | None = None,
    packs: Packs | None = None,
    source_name: str | None = None,
) -> Report:
    """Parse a report.

    ``source`` is a path (``pathlib.Path`` or ``os.PathLike``), the report's text (``str``), or
    its bytes. A ``str`` is always text, never a path: pass ``Path(...)`` for files.
    ``agency_kind`` overrides the kind derived from the agency's name.
    """
    packs = packs or load_packs()
    if isinstance(agency_kind, str):
        try:
            agency_kind = AgencyKind(agency_kind)
        except ValueError:
            raise InputError(f"unknown agency kind {agency_kind!r}; use one of: {', '.join(k.value for k in AgencyKind)}") from None
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use one of: {', '.join(INPUT_FORMATS)}")

    if isinstance(source, os.PathLike):
        path = Path(source)
        source_name = source_name or str(path)
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a directory")
        try:
            size = path.stat().st_size
            if size > MAX_INPUT_BYTES:
                return _over_limit(size, source_name)
            with path.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None
        if len(data) > MAX_INPUT_BYTES:  # grew while read, or a device
            return _over_limit(len(data), source_name)
        fmt = input_format or _detect(data, path.suffix.lower(), str(path))
        return _parse_bytes(data, fmt, packs, agency_kind, report_year, source_name)
    if isinstance(source, bytes):
        if len(source) > MAX_INPUT_BYTES:
            return _over_limit(len(source), source_name)
        fmt = input_format or _detect(source, "", "input")
        return _parse_bytes(source, fmt, packs, agency_kind, report_year, source_name)
    if isinstance(source, str):
        if len(source) > MAX_INPUT_BYTES:  # characters: at least as many bytes
            return _over_limit(len(source), source_name)  # a lower bound of its UTF-8 size
        if input_format == "json":
            return _parse_json(source, source_name)
        if input_format in ("html", "docx", "pdf"):
            return _parse_bytes(source.encode("utf-8"), input_format, packs, agency_kind, report_year, source_name)
        from .text import parse_text

        return parse_text(source, source_name=source_name, agency_kind=agency_kind, report_year=report_year, packs=packs)
    raise InputError(f"cannot parse an object of type {type(source).__name__}")


def _detect(data: bytes, suffix: str, name: str) -> str:
    """Content first (a PDF renamed .txt is a PDF), then the extension, then text."""
    sniffed = sniff_format(data)
    if sniffed == "doc" or (suffix == ".doc" and sniffed is None):
        raise InputError(f"{name}: a legacy Word .doc file is not supported; save it as .docx or PDF")
    if sniffed == "zip":
        raise InputError(f"{name}: a ZIP archive that is not a DOCX document")
    if sniffed is not None:
        if sniffed == "html" and _EXT.get(suffix) in ("text", "json"):
            return _EXT[suffix]  # markup-looking text named .txt/.md/.json stays what it is called
        return sniffed
    return _EXT.get(suffix, "text")


def _parse_bytes(data: bytes, fmt: str, packs: Packs, agency_kind, report_year, source_name) -> Report:
    if fmt == "json":
        text, _ = decode_bytes(data)
        return _parse_json(text, source_name)
    if fmt == "html":
        from .html import parse_html

        return parse_html(data, packs, source_name=source_name, agency_kind=agency_kind, report_year=report_year)
    if fmt in ("docx", "pdf"):
        library = {"docx": "docx", "pdf": "pdfplumber"}[fmt]
        try:
            __import__(library)
        except ImportError:
            raise InputError(f"reading {fmt.upper()} needs the optional dependency: pip install 'opengov-lint[{fmt}]'") from None
        if fmt == "docx":
            from .docx import parse_docx

            return parse_docx(data, packs, source_name=source_name, agency_kind=agency_kind, report_year=report_year)
        from .pdf import parse_pdf

        return parse_pdf(data, packs, source_name=source_name, agency_kind=agency_kind, report_year=report_year)
    from .text import parse_text

    if _looks_binary(data):
        note = ParseNote(kind="undecodable", message="the input is binary data, not text")
        return Report(notes=(note,), source_name=source_name)
    text, notes = decode_bytes(data)
    return parse_text(text, source_name=source_name, agency_kind=agency_kind, report_year=report_year, packs=packs, notes=notes)


def _parse_json(text: str, source_name: str | None) -> Report:
    from ..serialize import report_from_json

    try:
        report = report_from_json(text)
    except ModelError as exc:
        where = f"{source_name}: " if source_name else ""
        raise InputError(f"{where}{exc}") from None
    if source_name and report.source_name is None:
        report = attrs.evolve(report, source_name=source_name)
    return report
