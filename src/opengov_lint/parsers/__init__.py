"""Parsers: inputs people have → the report model. They know the format packs, not the rules.

``parse`` takes a path, text or bytes and chooses the reader from ``input_format`` or the
file's extension and content. Files that cannot be opened at all raise :class:`InputError`;
everything that can be opened becomes a :class:`~opengov_lint.model.Report`, whose ``notes``
say what could not be read (rules turn them into findings).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import AgencyKind, ParseNote, Report
from ..packs import Packs, load_packs

__all__ = ["InputError", "parse", "decode_bytes", "MAX_INPUT_BYTES", "INPUT_FORMATS"]

MAX_INPUT_BYTES = 20 * 1024 * 1024
INPUT_FORMATS = ("text", "json")
_EXT = {".txt": "text", ".text": "text", ".md": "text", ".json": "json"}


class InputError(Exception):
    """An input that cannot be opened or read as a report at all (missing file, a directory,
    an unsupported format, JSON that is not a report). The message is one line, for people."""


def decode_bytes(data: bytes) -> tuple[str, list[ParseNote]]:
    """Text of ``data``: UTF-8 (with or without BOM), else GB18030; notes when neither is clean."""
    notes: list[ParseNote] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
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
                raise InputError(f"{path}: {size} bytes is over the {MAX_INPUT_BYTES}-byte limit")
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None
        fmt = input_format or _EXT.get(path.suffix.lower())
        if fmt is None:
            if path.suffix.lower() in (".html", ".htm", ".docx", ".pdf", ".doc"):
                raise InputError(f"{path}: {path.suffix} input is not supported; copy the report's text into a .txt file")
            fmt = "text"
        return _parse_bytes(data, fmt, packs, agency_kind, report_year, source_name)
    if isinstance(source, bytes):
        if len(source) > MAX_INPUT_BYTES:
            raise InputError(f"input of {len(source)} bytes is over the {MAX_INPUT_BYTES}-byte limit")
        return _parse_bytes(source, input_format or "text", packs, agency_kind, report_year, source_name)
    if isinstance(source, str):
        if input_format == "json":
            return _parse_json(source, source_name)
        from .text import parse_text

        return parse_text(source, source_name=source_name, agency_kind=agency_kind, report_year=report_year, packs=packs)
    raise InputError(f"cannot parse an object of type {type(source).__name__}")


def _parse_bytes(data: bytes, fmt: str, packs: Packs, agency_kind, report_year, source_name) -> Report:
    if fmt == "json":
        text, _ = decode_bytes(data)
        return _parse_json(text, source_name)
    from .text import parse_text

    if _looks_binary(data):
        note = ParseNote(kind="undecodable", message="the input is binary data, not text")
        return Report(notes=(note,), source_name=source_name)
    text, notes = decode_bytes(data)
    return parse_text(text, source_name=source_name, agency_kind=agency_kind, report_year=report_year, packs=packs, notes=notes)


def _parse_json(text: str, source_name: str | None) -> Report:
    from ..serialize import ModelError, report_from_json

    try:
        report = report_from_json(text)
    except ModelError as exc:
        where = f"{source_name}: " if source_name else ""
        raise InputError(f"{where}{exc}") from None
    if source_name and report.source_name is None:
        report = report.evolve(source_name=source_name)
    return report
