"""Parsers: inputs people have → the report model. They know the format packs, not the rules.

``parse`` takes a path, text or bytes and chooses the reader from ``input_format`` or the
file's extension and content. Files that cannot be opened at all raise :class:`InputError`;
everything that can be opened becomes a :class:`~opengov_lint.model.Report`, whose ``notes``
say what could not be read (rules turn them into findings).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import attrs

from ..errors import InputError, ModelError
from ..model import AgencyKind, NoteKind, ParseNote, Report
from ..packs import Packs, load_packs
from ..serialize import report_from_json
from .docx import parse_docx
from .html import parse_html
from .pdf import parse_pdf
from .sniff import (
    EXTENSIONS,
    INPUT_FORMATS,
    MAX_INPUT_BYTES,
    decode_bytes,
    input_format_of,
    looks_binary,
    looks_like_report,
    over_limit,
    sniff_format,
)
from .text import parse_text

__all__ = [
    "InputError",
    "parse",
    "decode_bytes",
    "sniff_format",
    "looks_like_report",
    "input_format_of",
    "EXTENSIONS",
    "MAX_INPUT_BYTES",
    "INPUT_FORMATS",
]


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
            raise InputError(
                f"unknown agency kind {agency_kind!r}; use one of: {', '.join(k.value for k in AgencyKind)}"
            ) from None
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
                return over_limit(size, source_name)
            with path.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None
        if len(data) > MAX_INPUT_BYTES:  # grew while read, or a device
            return over_limit(len(data), source_name)
        fmt = input_format or input_format_of(data, path.suffix.lower(), str(path))
        return _parse_bytes(data, fmt, packs, agency_kind, report_year, source_name)
    if isinstance(source, bytes):
        if len(source) > MAX_INPUT_BYTES:
            return over_limit(len(source), source_name)
        fmt = input_format or input_format_of(source, "", "input")
        return _parse_bytes(source, fmt, packs, agency_kind, report_year, source_name)
    if isinstance(source, str):
        if len(source) > MAX_INPUT_BYTES:  # characters: at least as many bytes
            return over_limit(len(source), source_name)  # a lower bound of its UTF-8 size
        if input_format == "json":
            return _parse_json(source, source_name)
        if input_format in ("html", "docx", "pdf"):
            return _parse_bytes(source.encode("utf-8"), input_format, packs, agency_kind, report_year, source_name)
        return parse_text(source, source_name=source_name, agency_kind=agency_kind, report_year=report_year, packs=packs)
    raise InputError(f"cannot parse an object of type {type(source).__name__}")


def _parse_bytes(
    data: bytes, fmt: str, packs: Packs, agency_kind: AgencyKind | None, report_year: int | None, source_name: str | None
) -> Report:
    if fmt == "json":
        text, _ = decode_bytes(data)
        return _parse_json(text, source_name)
    if fmt == "html":
        return parse_html(data, packs, source_name=source_name, agency_kind=agency_kind, report_year=report_year)
    if fmt in ("docx", "pdf"):
        library = {"docx": "docx", "pdf": "pdfplumber"}[fmt]
        try:  # the optional reader library, imported only to know whether it is there
            importlib.import_module(library)
        except ImportError:
            raise InputError(f"reading {fmt.upper()} needs the optional dependency: pip install 'opengov-lint[{fmt}]'") from None
        if fmt == "docx":
            return parse_docx(data, packs, source_name=source_name, agency_kind=agency_kind, report_year=report_year)
        return parse_pdf(data, packs, source_name=source_name, agency_kind=agency_kind, report_year=report_year)
    if looks_binary(data):
        note = ParseNote(kind=NoteKind.UNDECODABLE, message="the input is binary data, not text")
        return Report(notes=(note,), source_name=source_name)
    text, notes = decode_bytes(data)
    return parse_text(text, source_name=source_name, agency_kind=agency_kind, report_year=report_year, packs=packs, notes=notes)


def _parse_json(text: str, source_name: str | None) -> Report:
    try:
        report = report_from_json(text)
    except ModelError as exc:
        where = f"{source_name}: " if source_name else ""
        raise InputError(f"{where}{exc}") from None
    if source_name and report.source_name is None:
        report = attrs.evolve(report, source_name=source_name)
    return report
