"""The forms the page posts: ``multipart/form-data`` (files and fields) and
``application/x-www-form-urlencoded``, read from bytes already in memory, with bounded parts."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote

from attrs import frozen

__all__ = ["FormError", "Part", "parse_form", "MAX_PARTS"]

MAX_PARTS = 16


class FormError(ValueError):
    """The request body is not a form this application posts."""


@frozen
class Part:
    name: str
    data: bytes
    filename: str | None = None  # None: a plain field

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


def _params(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _PARAM.finditer(header):
        key, quoted, bare = m.group(1).lower(), m.group(2), m.group(3)
        out[key] = quoted.replace('\\"', '"') if quoted is not None else (bare or "")
    if "filename*" in out:  # RFC 5987: UTF-8''name
        v = out["filename*"]
        out["filename"] = unquote(v.split("''", 1)[1], encoding="utf-8", errors="replace") if "''" in v else v
    return out


def parse_form(content_type: str, body: bytes) -> list[Part]:
    """The parts of a posted form, in order."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            fields = parse_qs(body.decode("ascii"), keep_blank_values=True, max_num_fields=MAX_PARTS * 64)
        except (UnicodeDecodeError, ValueError) as exc:
            raise FormError(f"a form that cannot be read: {exc}") from None
        return [Part(name=k, data=v.encode("utf-8")) for k, vs in fields.items() for v in vs]
    if kind != "multipart/form-data":
        raise FormError(f"expected a form, not {kind or 'no content type'}")
    boundary = _params(content_type).get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise FormError("a multipart form without a boundary")
    delim = b"--" + boundary.encode("latin-1")
    chunks = body.split(delim)
    if len(chunks) < 2:
        raise FormError("a multipart form without parts")
    parts: list[Part] = []
    for raw in chunks[1:]:
        if raw.startswith(b"--"):
            break  # the closing delimiter
        if len(parts) >= MAX_PARTS:
            raise FormError(f"more than {MAX_PARTS} parts in the form")
        if raw.startswith(b"\r\n"):
            raw = raw[2:]
        head, sep, data = raw.partition(b"\r\n\r\n")
        if not sep:
            raise FormError("a form part without headers")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        disposition = ""
        for line in head.decode("utf-8", errors="replace").split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-disposition":
                disposition = value
        params = _params(disposition)
        if "name" not in params:
            raise FormError("a form part without a name")
        parts.append(Part(name=params["name"], data=data, filename=params.get("filename")))
    return parts
