"""What an input is before it is read: its format (by content, then by name), its size against
the limit, and its text encoding."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..errors import InputError
from ..model import DecodeDetail, LimitDetail, NoteKind, ParseNote, Report

__all__ = [
    "EXTENSIONS",
    "INPUT_FORMATS",
    "MAX_INPUT_BYTES",
    "decode_bytes",
    "input_format_of",
    "looks_binary",
    "looks_like_report",
    "over_limit",
    "sniff_format",
]

MAX_INPUT_BYTES = 20 * 1024 * 1024
INPUT_FORMATS = ("text", "json", "html", "docx", "pdf")
EXTENSIONS = {
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
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        probe.startswith(b"<") and re.search(rb"<(body|table|p|div|meta)[\s>]", head.lower())
    ):
        return "html"
    return None


def over_limit(size: int, source_name: str | None) -> Report:
    detail = LimitDetail(limit_kind="size", limit=MAX_INPUT_BYTES, size=size)
    note = ParseNote(kind=NoteKind.OVER_LIMIT, message=f"{size} bytes is over the {MAX_INPUT_BYTES}-byte limit", detail=detail)
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
        ParseNote(
            kind=NoteKind.UNDECODABLE,
            message=f"{bad} bytes are neither UTF-8 nor GB18030",
            detail=DecodeDetail(bad=bad, total=len(data)),
        )
    )
    return text, notes


def looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes but is text
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    return False


def input_format_of(data: bytes, suffix: str, name: str) -> str:
    """Content first (a PDF renamed .txt is a PDF), then the extension, then text."""
    sniffed = sniff_format(data)
    if sniffed == "doc" or (suffix == ".doc" and sniffed is None):
        raise InputError(f"{name}: a legacy Word .doc file is not supported; save it as .docx or PDF")
    if sniffed == "zip":
        raise InputError(f"{name}: a ZIP archive that is not a DOCX document")
    if sniffed is not None:
        if sniffed == "html" and EXTENSIONS.get(suffix) in ("text", "json"):
            return EXTENSIONS[suffix]  # markup-looking text named .txt/.md/.json stays what it is called
        return sniffed
    return EXTENSIONS.get(suffix, "text")


# How much of a file batch mode reads to decide whether it is a report at all.
REPORT_PROBE_BYTES = 1024 * 1024


def looks_like_report(data: bytes, fmt: str, markers: Sequence[str]) -> bool:
    """Whether a file found in a directory may be a report, from its first bytes (``fmt`` as
    :func:`input_format_of` says): a PDF or DOCX always may; a JSON file when it is an object
    with a ``metadata`` key (the report model; JSON that does not parse but names it may be a
    damaged model and is read, to be reported); text and HTML when they contain one of
    ``markers`` (the input pack's words of an annual report) in UTF-8, GB18030 or UTF-16.
    A README, a ``package.json``, a baseline or this tool's own JSON output are not reports."""
    head = data[:REPORT_PROBE_BYTES]
    if fmt in ("pdf", "docx"):
        return True
    if fmt == "json":
        try:
            value = json.loads(decode_bytes(data)[0]) if len(data) <= REPORT_PROBE_BYTES else None
        except ValueError:
            return b'"metadata"' in head
        if value is None:  # too large to parse here: the key near the top tells
            return b'"metadata"' in head
        return isinstance(value, dict) and "metadata" in value
    if looks_binary(head):
        return True  # not text: read, so that X001 says so
    for marker in markers:
        for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"):
            if marker.encode(encoding) in head:
                return True
    return False
