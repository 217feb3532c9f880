"""Findings: what a rule says about a report, with the evidence to check it by hand."""

from __future__ import annotations

import enum
import hashlib

from attrs import field, frozen

from .model import SourceSpan

__all__ = ["Severity", "Location", "Term", "Evidence", "Fix", "Finding"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def label_zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@frozen
class Location:
    """Where a finding points: a logical path (section/table/row/column) and the source span.

    ``path`` is for people (``三/（七）总计/自然人``); the keys are for tools.
    """

    path: str = ""
    section: int | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    span: SourceSpan | None = None


@frozen
class Term:
    """One term of an arithmetic check: which cell, what it says, and the value used."""

    label: str
    value: int | float | None
    raw: str = ""
    location: str = ""
    span: SourceSpan | None = None


@frozen
class Evidence:
    """Why the finding holds. For arithmetic (Arelle-style): the expression, every term, the
    value reported, the value computed and their difference."""

    quote: str | None = None
    expression: str | None = None
    left: tuple[Term, ...] = ()
    right: tuple[Term, ...] = ()
    computed: int | float | None = None
    reported: int | float | None = None
    difference: int | float | None = None
    details: dict[str, str] = field(factory=dict, hash=False)
    cells: tuple[Term, ...] = ()


@frozen
class Fix:
    """A safe, mechanical correction of the text: ``old``, as written at ``span``, becomes ``new``.

    Only wording is ever fixed (the regulation's name, a canonical heading, a title whose parts
    are known, the form of a date): never a number in a table, which is the clerk's to correct.
    ``span`` is as precise as the reader gives it (a text file: line and columns; an HTML page, a
    DOCX or PDF: the line or block, columns counted in the text read): ``old`` is what a tool
    looks for there (``opengov-lint fix``, :mod:`opengov_lint.fixer`).
    """

    span: SourceSpan
    old: str
    new: str


@frozen
class Finding:
    code: str
    slug: str
    severity: Severity
    message_zh: str
    message_en: str
    location: Location
    evidence: Evidence
    citation: str
    fingerprint: str
    # Which of the rule's message variants (catalogue ``[rule.messages]``) this finding uses: tools
    # and the rule oracle tell "row total" from "column total" without parsing the message.
    variant: str = "default"
    # A safe correction of the text, for the findings whose fix is mechanical (docs/clerk.md).
    fix: Fix | None = None

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def fingerprint(code: str, location: Location, discriminator: str) -> str:
    """Stable across runs and line moves: the code, the logical location, and what is wrong."""
    parts = [code, str(location.section or ""), location.table or "", location.row or "", location.column or "", discriminator]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
