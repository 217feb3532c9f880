"""The input as lines: each line with its normalised twin, and where every character came from.

Readers that prepare text before the text parser reads it (HTML, DOCX, PDF, the reflow of
flattened copies) keep an :class:`Origin` per line, so that a span in the prepared text points
back into the input as given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from attrs import frozen

from ..model import SourceSpan
from ..textutil import normalize

__all__ = ["Origin", "Lines", "compose"]


@frozen
class Origin:
    """Where a prepared line came from: the 1-based input line and the 0-based input column of
    each of its characters (``None``: the line is the input line unchanged)."""

    line: int
    columns: tuple[int, ...] | None = None


class Lines:
    """The input split into lines, with normalised twins; spans are 1-based."""

    def __init__(self, text: str, origins: Sequence[Origin] | None = None) -> None:
        # \r\n (Windows), \r (old Mac) and \n all end a line
        self.lines = re.split(r"\r\n|\r|\n", text)
        self.norm = [normalize(ln) for ln in self.lines]
        # Where each line came from when the text was prepared.
        self.origins = origins

    def span(self, idx: int, col: int = 0, length: int | None = None) -> SourceSpan:
        """Span of ``length`` characters from ``col`` of line ``idx`` (default: to the line's end)."""
        ln = self.lines[idx]
        if self.origins is not None and idx < len(self.origins):
            o = self.origins[idx]
            cols = o.columns
            if not cols:
                return SourceSpan(line=o.line, column=1, end_line=o.line, end_column=1)
            c0 = cols[min(col, len(cols) - 1)]
            c1 = cols[-1] if length is None else cols[min(col + max(length, 1) - 1, len(cols) - 1)]
            return SourceSpan(line=o.line, column=c0 + 1, end_line=o.line, end_column=max(c1 + 1, c0 + 1))
        end = len(ln) if length is None else col + max(length, 1)
        return SourceSpan(line=idx + 1, column=col + 1, end_line=idx + 1, end_column=max(end, col + 1))

    def first_col(self, idx: int) -> int:
        ln = self.lines[idx]
        return len(ln) - len(ln.lstrip())


def compose(outer: Sequence[Origin] | None, inner: Sequence[Origin] | None) -> Sequence[Origin] | None:
    """Origins of the prepared lines in the caller's source (HTML, DOCX, PDF) when both exist."""
    if outer is None:
        return inner
    if inner is None:
        return outer
    out = []
    for o in inner:
        co = outer[o.line - 1] if 0 < o.line <= len(outer) else None
        if co is None:
            out.append(o)
            continue
        if co.columns is None or o.columns is None:
            out.append(Origin(line=co.line, columns=co.columns))
            continue
        n = len(co.columns)
        out.append(
            Origin(line=co.line, columns=tuple(co.columns[c] if c < n else (co.columns[-1] if n else 0) for c in o.columns))
        )
    return tuple(out)
