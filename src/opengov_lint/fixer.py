"""Safe fixes, applied to a copy: ``opengov-lint fix FILE -o FIXED`` and the web page's "apply to a
copy" (docs/clerk.md).

A finding whose fix is mechanical carries a :class:`~opengov_lint.findings.Fix`: the text as
written (``old``), where it stands (``span``) and what it becomes (``new``). Fixes change wording
only, never a number in a table. They are applied to the bytes of the input and the result is
returned (the input file is never touched):

- **text**: in the line the span names, at its column; when the text is not there (a paragraph
  the reader joined from several lines), at its first unused occurrence in the lines that follow
  (up to :data:`SEARCH_LINES`). The encoding, byte-order mark and line endings are kept.
- **HTML**: the same in the page's source lines (the reader's spans name the line of the block
  element), outside tags; the new text is escaped. Text split by markup (``<b>中华</b>人民``) is
  not found and the fix is skipped, with the reason.
- **DOCX**: in the paragraph the span names (a block of the document body, as the reader counts
  them), across its runs: the first run touched takes the new text, the others lose the
  characters replaced; run properties, paragraphs, tables and every other part stay as they were.

A fix that cannot be placed is skipped with its reason; overlapping fixes apply the first only.
PDF and report-model JSON are not fixed: a PDF is made from a document, which is the one to fix.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from .checker import Checker, ReportOutcome
from .errors import InputError
from .findings import Finding, Fix
from .parsers import MAX_INPUT_BYTES, input_format_of
from .parsers.html import decode_html
from .textutil import normalize

__all__ = ["FIXABLE_FORMATS", "SEARCH_LINES", "FixResult", "apply_fixes", "fix_bytes", "fix_file", "fixable"]

FIXABLE_FORMATS = ("text", "html", "docx")
SEARCH_LINES = 60  # lines after the span's line searched for text a reader joined or an HTML block holds

_NOT_FOUND = "未在所指位置找到原文（可能被排版拆开）/ the text was not found where the finding points (formatting may split it)"
_OVERLAP = "与另一项修改重叠 / overlaps another fix"


@frozen
class FixResult:
    """The corrected copy (``data``, in the input's format and encoding), the findings whose fix
    was applied and those skipped with the reason (Chinese / English)."""

    data: bytes
    input_format: str
    applied: tuple[Finding, ...] = ()
    skipped: tuple[tuple[Finding, str], ...] = ()


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that carry a safe fix, in order."""
    return [f for f in findings if f.fix is not None]


# ---------------------------------------------------------------- text and HTML: lines of the source

_EOL = re.compile(r"(\r\n|\r|\n)")  # the line ends of the readers (opengov_lint.parsers.lines)


def _decode_text(data: bytes) -> tuple[str, str, bytes]:
    """(text, codec, byte-order mark) of a text file, as the text reader decodes it."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec, bom
            except UnicodeDecodeError:
                break
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec), codec, b""
        except UnicodeDecodeError:
            continue
    raise InputError("the file is neither UTF-8 nor GB18030 text: it cannot be corrected without changing its other bytes")


def _inside_tag(line: str, col: int) -> bool:
    return line.rfind("<", 0, col) > line.rfind(">", 0, col)


def _place_in_lines(lines: Sequence[str], fix: Fix, used: list[tuple[int, int, int]], *, markup: bool) -> tuple[int, int] | None:
    """(line index, column index) where ``fix.old`` stands, or None."""
    want = normalize(fix.old)
    if not want:
        return None
    first = fix.span.line - 1
    if not 0 <= first < len(lines):
        return None

    def free(li: int, c: int) -> bool:
        return not any(li == ul and c < ue and c + len(want) > us for ul, us, ue in used)

    col = fix.span.column - 1
    n = normalize(lines[first])
    if n[col : col + len(want)] == want and free(first, col) and not (markup and _inside_tag(lines[first], col)):
        return first, col
    for li in range(first, min(len(lines), first + SEARCH_LINES)):
        n = normalize(lines[li])
        at = n.find(want)
        while at >= 0:
            if free(li, at) and not (markup and _inside_tag(lines[li], at)):
                return li, at
            at = n.find(want, at + 1)
    return None


def _apply_to_lines(
    text: str, findings: Sequence[Finding], *, markup: bool
) -> tuple[str, list[Finding], list[tuple[Finding, str]]]:
    parts = _EOL.split(text)
    lines, ends = parts[0::2], parts[1::2]
    placed: list[tuple[int, int, int, Finding]] = []
    used: list[tuple[int, int, int]] = []
    skipped: list[tuple[Finding, str]] = []
    for f in findings:
        assert f.fix is not None
        where = _place_in_lines(lines, f.fix, used, markup=markup)
        if where is None:
            skipped.append((f, _NOT_FOUND))
            continue
        li, col = where
        end = col + len(f.fix.old)
        if any(li == ul and col < ue and end > us for ul, us, ue in used):
            skipped.append((f, _OVERLAP))
            continue
        used.append((li, col, end))
        placed.append((li, col, end, f))
    for li, col, end, f in sorted(placed, key=lambda p: (p[0], p[1]), reverse=True):
        assert f.fix is not None
        new = _escape_html(f.fix.new) if markup else f.fix.new
        lines[li] = lines[li][:col] + new + lines[li][end:]
    out = "".join(line + (ends[i] if i < len(ends) else "") for i, line in enumerate(lines))
    return out, [p[3] for p in sorted(placed, key=lambda p: (p[0], p[1]))], skipped


def _escape_html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fix_text(data: bytes, findings: Sequence[Finding]) -> tuple[bytes, list[Finding], list[tuple[Finding, str]]]:
    text, codec, bom = _decode_text(data)
    out, applied, skipped = _apply_to_lines(text, findings, markup=False)
    return bom + out.encode(codec), applied, skipped


def _fix_html(data: bytes, findings: Sequence[Finding]) -> tuple[bytes, list[Finding], list[tuple[Finding, str]]]:
    text, encoding, notes = decode_html(data)
    if notes:
        raise InputError("the page's bytes do not all decode: it cannot be corrected without changing its other bytes")
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    out, applied, skipped = _apply_to_lines(text, findings, markup=True)
    codec = {"utf-16": "utf-16"}.get(encoding, encoding)
    try:
        encoded = out.encode(codec)
    except (LookupError, UnicodeEncodeError):
        raise InputError(f"the corrected page cannot be written in its encoding {encoding}") from None
    return bom + encoded if codec != "utf-16" else encoded, applied, skipped


# ---------------------------------------------------------------- DOCX: runs of a paragraph

# python-docx ships no type information: its documents and XML elements are Any here.
_Docx = Any


def docx_blocks(document: _Docx) -> list[_Docx | None]:
    """The document body as the DOCX reader counts its lines (opengov_lint.parsers.docx): a
    paragraph is one line, a table one line per row with text and a blank line after; the
    paragraphs are returned, ``None`` for the lines of tables."""
    from docx.oxml.ns import qn
    from docx.table import Table

    out: list[_Docx | None] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(child)
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            seen: set[int] = set()
            keep = []
            for row in table.rows:
                texts = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    keep.append(cell._tc)
                    texts.append("".join(t.text or "" for t in cell._tc.iter(qn("w:t"))).strip())
                if any(texts):
                    out.append(None)
            out.append(None)
    return out


def _replace_in_runs(texts: Sequence[_Docx], start: int, end: int, new: str) -> None:
    """Replace characters ``start``..``end`` of the concatenated ``w:t`` texts by ``new``."""
    pos = 0
    wrote = False
    for t in texts:
        s = t.text or ""
        a, b = pos, pos + len(s)
        pos = b
        if b <= start or a >= end:
            continue
        lo, hi = max(start, a) - a, min(end, b) - a
        if not wrote:
            t.text = s[:lo] + new + s[hi:]
            wrote = True
        else:
            t.text = s[:lo] + s[hi:]
        if t.text != t.text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _fix_docx(data: bytes, findings: Sequence[Finding]) -> tuple[bytes, list[Finding], list[tuple[Finding, str]]]:
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError:
        raise InputError("correcting DOCX needs the optional dependency: pip install 'opengov-lint[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(f"not a readable DOCX file: {type(exc).__name__}: {str(exc)[:120]}") from None
    blocks = docx_blocks(document)
    applied: list[Finding] = []
    skipped: list[tuple[Finding, str]] = []
    used: dict[int, list[tuple[int, int]]] = {}
    plans: list[tuple[int, int, int, Finding]] = []
    for f in findings:
        assert f.fix is not None
        idx = f.fix.span.line - 1
        p = blocks[idx] if 0 <= idx < len(blocks) else None
        if p is None:
            skipped.append((f, _NOT_FOUND))
            continue
        full = normalize("".join(t.text or "" for t in p.iter(qn("w:t"))))
        want = normalize(f.fix.old)
        hint = len(full) - len(full.lstrip()) + f.fix.span.column - 1  # the reader strips the paragraph
        taken = used.setdefault(idx, [])
        hits = [m.start() for m in re.finditer(re.escape(want), full)] if want else []
        hits = [h for h in hits if not any(h < e and h + len(want) > s for s, e in taken)]
        if not hits:
            skipped.append((f, _NOT_FOUND if not taken else _OVERLAP))
            continue
        at = min(hits, key=lambda h: abs(h - hint))
        taken.append((at, at + len(want)))
        plans.append((idx, at, at + len(want), f))
    for idx, start, end, f in sorted(plans, key=lambda p: (p[0], p[1]), reverse=True):
        assert f.fix is not None
        _replace_in_runs(list(blocks[idx].iter(qn("w:t"))), start, end, f.fix.new)  # type: ignore[union-attr]
    applied = [p[3] for p in sorted(plans, key=lambda p: (p[0], p[1]))]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue(), applied, skipped


# ---------------------------------------------------------------- the API


def apply_fixes(data: bytes, input_format: str, findings: Iterable[Finding]) -> FixResult:
    """The fixes of ``findings`` (those that carry one) applied to ``data``, an input in
    ``input_format`` (text, html or docx); the findings must come from checking these bytes."""
    chosen = fixable(findings)
    if input_format not in FIXABLE_FORMATS:
        what = {"pdf": "a PDF", "json": "a report-model JSON file"}.get(input_format, f"{input_format} input")
        raise InputError(f"{what} cannot be corrected: correct the document it was made from (text, HTML or DOCX)")
    if input_format == "text":
        out, applied, skipped = _fix_text(data, chosen)
    elif input_format == "html":
        out, applied, skipped = _fix_html(data, chosen)
    else:
        out, applied, skipped = _fix_docx(data, chosen)
    return FixResult(data=out, input_format=input_format, applied=tuple(applied), skipped=tuple(skipped))


def fix_bytes(
    data: bytes, name: str, checker: Checker, *, fingerprints: Iterable[str] | None = None
) -> tuple[ReportOutcome, FixResult]:
    """Check ``data`` (the bytes of the file ``name``) and apply the fixes of its findings: all of
    them, or those whose fingerprint is in ``fingerprints``."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: {len(data)} bytes is over the {MAX_INPUT_BYTES}-byte limit")
    fmt = checker.options.input_format or input_format_of(data, Path(name).suffix.lower(), name)
    if fmt not in FIXABLE_FORMATS:
        apply_fixes(data, fmt, ())  # the one-line reason
    outcome = checker.complete(name, checker.lint_alone(checker.read_file_bytes(data, name), name))
    wanted = set(fingerprints) if fingerprints is not None else None
    chosen = [f for f in outcome.findings if f.fix is not None and (wanted is None or f.fingerprint in wanted)]
    return outcome, apply_fixes(data, fmt, chosen)


def fix_file(
    path: str | os.PathLike[str], output: str | os.PathLike[str], checker: Checker | None = None
) -> tuple[ReportOutcome, FixResult]:
    """Check the file ``path``, write it with every safe fix applied to ``output`` (never to
    ``path`` itself) and return the outcome and what was applied."""
    src, dst = Path(path), Path(output)
    if not src.is_file():
        raise InputError(f"{src}: no such file")
    if dst.exists() and dst.resolve() == src.resolve():
        raise InputError(f"{dst}: is the input; the input is never modified (write the copy elsewhere)")
    if dst.is_dir():
        raise InputError(f"{dst}: is a directory; give the file to write")
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise InputError(f"{src}: {exc.strerror or exc}") from None
    outcome, result = fix_bytes(data, os.fspath(path), checker or Checker())
    try:
        dst.write_bytes(result.data)
    except OSError as exc:
        raise InputError(f"{dst}: cannot write: {exc.strerror or exc}") from None
    return outcome, result
