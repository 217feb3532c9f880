"""Safe fixes, applied to a copy: ``opengov-lint fix FILE -o FIXED`` and the web page's "apply to a
copy" (docs/clerk.md).

A finding whose fix is mechanical carries a :class:`~opengov_lint.findings.Fix`: the text as
written (``old``), where it stands (``span``) and what it becomes (``new``). Fixes change wording
only, never a number in a table. They are applied to the bytes of the input and the result is
returned (the input file is never touched):

- **text**: in the line the span names, at its column; in a paragraph the reader joined from
  several lines (whose columns count on from its first line), at the same offset into the lines
  that follow, give or take the spaces dropped at the joins. The encoding, byte-order mark and
  line ends are kept.
- **HTML**: the page is read as the HTML reader reads it; the text node holding ``old`` from the
  span's line on is found, and matched to the source by counting the occurrences before it
  (outside tags, comments, the head, scripts and styles). The fix is placed only when the source
  and the text nodes hold the same number of occurrences: text written with entities or split
  by markup (``<b>中华</b>人民``) is skipped, with the reason. The new text is escaped.
- **DOCX**: in the paragraph the span names (a block of the document body, as the reader counts
  them), across its runs: only the characters that differ change (the common beginning and end
  stay where they are), in the run of the first character replaced; run properties,
  paragraphs, tables and every other part stay as they were.

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

import lxml.etree
import lxml.html
from attrs import frozen

from .checker import Checker, ReportOutcome
from .errors import InputError
from .findings import Finding, Fix
from .parsers import MAX_INPUT_BYTES, input_format_of
from .parsers.html import decode_html
from .textutil import normalize

__all__ = ["FIXABLE_FORMATS", "SEARCH_LINES", "FixResult", "apply_fixes", "fix_bytes", "fix_file", "fixable"]

FIXABLE_FORMATS = ("text", "html", "docx")
SEARCH_LINES = 60  # lines after the span's line searched for the rest of a paragraph the reader joined

_NOT_FOUND = "未在所指位置找到原文（可能被排版拆开）/ the text was not found where the finding points (formatting may split it)"
_OVERLAP = "与另一项修改重叠 / overlaps another fix"
_ELSEWHERE = "这段文字在页面中还出现在别处，请手工改正 / the text also stands elsewhere in the page: correct it by hand"


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


def _free(used: list[tuple[int, int, int]], li: int, col: int, length: int) -> bool:
    return not any(li == ul and col < ue and col + length > us for ul, us, ue in used)


def _place_in_text(lines: Sequence[str], fix: Fix, used: list[tuple[int, int, int]]) -> tuple[int, int] | None:
    """(line index, column index) of ``fix.old`` in a text file: at the span, or — in a paragraph
    the reader joined from several lines, whose columns count on from its first line — at the
    same offset into the lines that follow (a few characters either way for the spaces the
    reader dropped at the joins)."""
    want = normalize(fix.old)
    first, col = fix.span.line - 1, fix.span.column - 1
    if not want or not 0 <= first < len(lines):
        return None
    if normalize(lines[first])[col : col + len(want)] == want and _free(used, first, col, len(want)):
        return first, col
    offset = 0
    for li in range(first, min(len(lines), first + SEARCH_LINES)):
        n = normalize(lines[li])
        slack = 2 + 2 * (li - first)
        for at in _find_all(n, want):
            if abs(offset + at - col) <= slack and _free(used, li, at, len(want)):
                return li, at
        offset += len(n)
        if offset > col + len(want) + slack:
            break
    return None


_RAW_SKIP = re.compile(r"<!--.*?-->|<(script|style|head|template|noscript)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def _raw_occurrences(text: str, want: str) -> list[int]:
    """Offsets of ``want`` in a page's source outside tags, comments, the head, scripts and styles."""
    n = normalize(text)
    out: list[int] = []
    pos = 0
    for m in _RAW_SKIP.finditer(text):
        out += [pos + i for i in _find_all(n[pos : m.start()], want)]
        pos = m.end()
    out += [pos + i for i in _find_all(n[pos:], want)]
    return out


_HTML_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "head",
    "select",
    "button",
    "textarea",
    "input",
    "option",
    "map",
    "canvas",
    "video",
    "audio",
}  # fmt: skip  (the elements whose text the HTML reader does not read)


def _text_nodes(text: str) -> list[tuple[int, str]]:
    """The page's text nodes in document order, each with the source line the HTML reader gives
    the text it holds (the element's line for its text, the child's for the tail after it)."""
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, recover=True)
    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return []
    out: list[tuple[int, str]] = []
    stack: list[Any] = [root]
    while stack:
        x = stack.pop()
        if isinstance(x, tuple):  # the tail after a child
            if x[1].tail:
                out.append((x[1].sourceline or 1, x[1].tail))
            continue
        tag = x.tag.lower() if isinstance(x.tag, str) else ""
        if not tag or tag in _HTML_SKIP:
            continue
        if x.text:
            out.append((x.sourceline or 1, x.text))
        for ch in reversed(list(x)):
            stack.append(("tail", ch))
            stack.append(ch)
    return out


def _place_in_page(text: str, nodes: Sequence[tuple[int, str]], fix: Fix, used: set[int]) -> int | None:
    """The offset in the page's source of ``fix.old``: the first text node
    from the span's line on that holds it (and is not taken), matched to the source by counting
    the occurrences before it — placed only when the source and the text nodes hold the same
    number of them (entities or markup inside the text make the count differ)."""
    want = normalize(fix.old)
    if not want:
        return None
    found: list[int] = []  # occurrence numbers, in document order, in nodes at or after the line
    k = 0
    for line, t in nodes:
        hits = _find_all(normalize(t), want)
        if line >= fix.span.line:
            found += list(range(k, k + len(hits)))
        k += len(hits)
    raw = _raw_occurrences(text, want)
    if len(raw) != k:
        return None
    for i in found:
        if raw[i] not in used:
            return raw[i]
    return None


def _apply_to_lines(text: str, findings: Sequence[Finding]) -> tuple[str, list[Finding], list[tuple[Finding, str]]]:
    parts = _EOL.split(text)
    lines, ends = parts[0::2], parts[1::2]
    placed: list[tuple[int, int, int, Finding]] = []
    used: list[tuple[int, int, int]] = []
    skipped: list[tuple[Finding, str]] = []
    for f in findings:
        assert f.fix is not None
        where = _place_in_text(lines, f.fix, used)
        if where is None:
            skipped.append((f, _NOT_FOUND))
            continue
        li, col = where
        end = col + len(f.fix.old)
        used.append((li, col, end))
        placed.append((li, col, end, f))
    for li, col, end, f in sorted(placed, key=lambda p: (p[0], p[1]), reverse=True):
        assert f.fix is not None
        lines[li] = lines[li][:col] + f.fix.new + lines[li][end:]
    out = "".join(line + (ends[i] if i < len(ends) else "") for i, line in enumerate(lines))
    return out, [p[3] for p in sorted(placed, key=lambda p: (p[0], p[1]))], skipped


def _find_all(text: str, sub: str) -> list[int]:
    out: list[int] = []
    i = text.find(sub)
    while i >= 0 and len(out) < 1000:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def _escape_html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fix_text(data: bytes, findings: Sequence[Finding]) -> tuple[bytes, list[Finding], list[tuple[Finding, str]]]:
    text, codec, bom = _decode_text(data)
    out, applied, skipped = _apply_to_lines(text, findings)
    return bom + out.encode(codec), applied, skipped


def _fix_html(data: bytes, findings: Sequence[Finding]) -> tuple[bytes, list[Finding], list[tuple[Finding, str]]]:
    text, encoding, notes = decode_html(data)
    if notes:
        raise InputError("the page's bytes do not all decode: it cannot be corrected without changing its other bytes")
    nodes = _text_nodes(text)
    used: set[int] = set()
    plans: list[tuple[int, int, Finding]] = []
    skipped: list[tuple[Finding, str]] = []
    for f in findings:
        assert f.fix is not None
        at = _place_in_page(text, nodes, f.fix, used)
        end = at + len(f.fix.old) if at is not None else 0
        if at is None:
            skipped.append((f, _NOT_FOUND))
        elif any(at < e and end > s for s, e, _ in plans):
            skipped.append((f, _OVERLAP))
        else:
            used.add(at)
            plans.append((at, end, f))
    for at, end, f in sorted(plans, key=lambda p: p[0], reverse=True):
        assert f.fix is not None
        text = text[:at] + _escape_html(f.fix.new) + text[end:]
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        encoded = text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        raise InputError(f"the corrected page cannot be written in its encoding {encoding}") from None
    return (encoded if encoding == "utf-16" else bom + encoded), [p[2] for p in sorted(plans, key=lambda p: p[0])], skipped


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
    """Replace characters ``start``..``end`` of the concatenated ``w:t`` texts by ``new``: the
    characters removed leave the runs that held them; the new ones go into the run of the first
    character replaced (or, for an insertion, of the character before it)."""
    pos = 0
    wrote = False
    spans = []
    for t in texts:
        s = t.text or ""
        spans.append((t, pos, pos + len(s)))
        pos += len(s)
    if start == end:  # an insertion: into the run holding the character before it
        for t, a, b in spans:
            if a < start <= b or (start == 0 and a == 0):
                s = t.text or ""
                t.text = s[: start - a] + new + s[start - a :]
                _preserve(t)
                return
        return
    for t, a, b in spans:
        if b <= start or a >= end:
            continue
        s = t.text or ""
        lo, hi = max(start, a) - a, min(end, b) - a
        t.text = s[:lo] + ("" if wrote else new) + s[hi:]
        wrote = True
        _preserve(t)


def _preserve(t: _Docx) -> None:
    text = t.text or ""
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _narrow(old: str, new: str) -> tuple[int, int, str]:
    """(start, end, replacement) of the part of ``old`` that differs from ``new``: the common
    beginning and end stay in their runs (and keep their formatting)."""
    a = 0
    while a < min(len(old), len(new)) and old[a] == new[a]:
        a += 1
    b = 0
    while b < min(len(old), len(new)) - a and old[len(old) - 1 - b] == new[len(new) - 1 - b]:
        b += 1
    return a, len(old) - b, new[a : len(new) - b]


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
    for idx, start, _end, f in sorted(plans, key=lambda p: (p[0], p[1]), reverse=True):
        assert f.fix is not None
        a, b, middle = _narrow(f.fix.old, f.fix.new)
        _replace_in_runs(list(blocks[idx].iter(qn("w:t"))), start + a, start + b, middle)  # type: ignore[union-attr]
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
