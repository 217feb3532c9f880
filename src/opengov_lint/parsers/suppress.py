"""Suppression comments in drafts (docs/integration.md): ``<!-- opengov-lint: ignore T004 -->``
governs the element after it, ``<!-- opengov-lint: ignore-file C002 -->`` the whole report; in a
text draft the same words stand on a line of their own (``opengov-lint: ignore T004``), with or
without the comment marks (a markdown draft is read as text). The readers record them in the
model (:class:`~opengov_lint.model.Suppression`); the checker applies them. A suppression line is
blanked before the text is read, so it never becomes report text and lines keep their numbers."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ..model import SourceSpan, Suppression, SuppressionScope

__all__ = ["SUPPRESSION_RE", "html_suppressions", "read_suppression", "text_suppressions"]

MARK = "opengov-lint:"
# The directive: ignore (the next element) or ignore-file, then codes separated by commas or spaces.
SUPPRESSION_RE = re.compile(
    r"^\s*(?:<!--)?\s*opengov-lint:\s*(?P<verb>ignore-file|ignore)\b(?P<codes>[^>]*?)\s*(?:-->)?\s*$", re.IGNORECASE
)


def read_suppression(text: str, span: SourceSpan | None) -> Suppression | None:
    """The suppression a comment's text (or a text line) states, or None when it states none."""
    m = SUPPRESSION_RE.match(text)
    if m is None:
        return None
    codes = tuple(c.upper() for c in re.split(r"[\s,，、]+", m.group("codes")) if c)
    scope: SuppressionScope = "file" if m.group("verb").lower() == "ignore-file" else "next"
    return Suppression(codes=codes, scope=scope, span=span)


def text_suppressions(text: str) -> tuple[str, tuple[Suppression, ...]]:
    """The text with its suppression lines blanked, and the suppressions they state. ``ignore``
    governs the next block: from the next line with text to the last before a blank line."""
    if MARK not in text.lower():
        return text, ()
    lines = text.split("\n")
    found: list[Suppression] = []
    for i, line in enumerate(lines):
        if MARK not in line.lower():
            continue
        sup = read_suppression(line, SourceSpan(line=i + 1, column=1, end_line=i + 1, end_column=max(len(line), 1)))
        if sup is None:
            continue
        lines[i] = ""
        if sup.scope == "next":
            first = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if first is not None:
                last = next((j - 1 for j in range(first + 1, len(lines)) if not lines[j].strip()), len(lines) - 1)
                sup = Suppression(codes=sup.codes, scope="next", span=sup.span, first_line=first + 1, last_line=last + 1)
        found.append(sup)
    return "\n".join(lines), tuple(found)


def _line(el: Any) -> int | None:
    line = getattr(el, "sourceline", None)
    return line if isinstance(line, int) else None


def html_suppressions(text: str) -> tuple[Suppression, ...]:
    """The suppression comments of an HTML page. ``ignore`` governs the next element: the lines
    from its start tag to the line before the element that follows it (the end of the page)."""
    if MARK not in text.lower():
        return ()
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return ()
    found: list[Suppression] = []
    for comment in root.iter(etree.Comment):
        line = _line(comment)
        span = SourceSpan(line=line, column=1) if line else None
        sup = read_suppression(str(comment.text or ""), span)
        if sup is None:
            continue
        if sup.scope == "next":
            target: Any = comment.getnext()
            while target is not None and not isinstance(target.tag, str):
                target = target.getnext()
            first = _line(target) if target is not None else None
            if first is not None:
                node: Any = target
                after: Any = node.getnext()
                while after is None and node.getparent() is not None:
                    node = node.getparent()
                    after = node.getnext()
                end = _line(after) if after is not None else None
                last = max(end - 1, first) if end is not None else 10**9
                sup = Suppression(codes=sup.codes, scope="next", span=span, first_line=first, last_line=last)
        found.append(sup)
    return tuple(found)
