"""The report model: what an annual report says, independent of how it was read or judged.

Small frozen attrs classes. The model knows nothing of parsing or rules; it keeps what was
written beside what it means (a cell's raw text beside its value, a heading as written beside
the section it was recognised as), and where in the source each piece came from.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator
from typing import Literal

from attrs import field, frozen

__all__ = [
    "AgencyKind",
    "AgencyKindSource",
    "Cell",
    "CellCountDetail",
    "CellKind",
    "DateText",
    "DecodeDetail",
    "ErrorDetail",
    "FormatDetection",
    "HeaderLabel",
    "ImagePageDetail",
    "ImageTableDetail",
    "LimitDetail",
    "LimitKind",
    "Metadata",
    "NoteDetail",
    "NoteKind",
    "Paragraph",
    "ParseNote",
    "Period",
    "PublicationDate",
    "PublicationSource",
    "Report",
    "ReportYearSource",
    "Row",
    "Section",
    "SourceSpan",
    "Suppression",
    "SuppressionScope",
    "SplitDetail",
    "SplitReason",
    "Table",
    "Withholding",
    "WithholdingSource",
]


class AgencyKind(enum.Enum):
    """Kind of agency, which decides the publication deadline (条例 第四十九条)."""

    GOVERNMENT = "government"  # 县级以上地方人民政府
    DEPARTMENT = "department"  # 县级以上人民政府部门 (incl. 办公室/办公厅)
    TOWNSHIP = "township"  # 乡镇人民政府、街道办事处
    OTHER = "other"  # 管委会 and anything not recognised


class CellKind(enum.Enum):
    NUMBER = "number"
    BLANK = "blank"  # nothing written
    NIL_WORD = "nil-word"  # 无, 没有
    DASH = "dash"  # -, —, －
    SLASH = "slash"  # /, ／
    TEXT = "text"  # anything else
    MISSING = "missing"  # the cell is absent from the source altogether


@frozen
class SourceSpan:
    """1-based line and column of the first and last character in the input."""

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@frozen
class DateText:
    """A date as written. Fields are None where the text does not say them or is garbled."""

    raw: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    well_formed: bool = True
    span: SourceSpan | None = None

    @property
    def date(self) -> _dt.date | None:
        """The calendar date, or None when incomplete, malformed or impossible (2月30日)."""
        if not self.well_formed or None in (self.year, self.month, self.day):
            return None
        try:
            return _dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]
        except ValueError:
            return None


@frozen
class Period:
    """The statistical period the report states (统计期限)."""

    raw: str
    start: DateText
    end: DateText
    span: SourceSpan | None = None


# Where the publication date came from: page metadata (发布日期 etc.), the date under the
# signature, or the caller.
PublicationSource = Literal["metadata", "signature", "caller"]
# Where the agency kind came from: the agency's name, the caller, or nowhere.
AgencyKindSource = Literal["name", "caller", "unknown"]
# Where the report year came from: the title, the statistical period, a guess from the body, the
# caller, or nowhere.
ReportYearSource = Literal["title", "period", "body", "caller", "unknown"]
# Where a withholding was stated: a row of table 三, or a sentence.
WithholdingSource = Literal["table", "prose"]


@frozen
class PublicationDate:
    date: DateText
    source: PublicationSource
    label: str = ""  # the metadata label as written, e.g. 发布日期


@frozen
class Metadata:
    title: str | None = None
    title_span: SourceSpan | None = None
    agency: str | None = None
    agency_kind: AgencyKind = AgencyKind.OTHER
    agency_kind_source: AgencyKindSource = "unknown"
    report_year: int | None = None
    report_year_source: ReportYearSource = "unknown"
    publication: PublicationDate | None = None
    period: Period | None = None
    # Every date expression the parser saw, including garbled ones such as 20211月1日.
    dates: tuple[DateText, ...] = ()


@frozen
class Paragraph:
    text: str
    span: SourceSpan | None = None


@frozen
class Section:
    """A top-level part of the report (一 … 六)."""

    heading: str  # as written, without surrounding whitespace
    numeral: str  # the numbering as written: 一, 二, 1, …; "" when unnumbered
    number: int | None  # the value of the numeral
    key: str | None  # the section recognised, e.g. "overview", "applications"; None if unknown
    paragraphs: tuple[Paragraph, ...] = ()  # prose only; tables are in Report.tables
    span: SourceSpan | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@frozen
class Cell:
    column: str  # column key of the layout, e.g. "natural_person"
    raw: str  # exactly what was written, e.g. "无", "", "251000元"
    kind: CellKind
    value: int | float | None = None  # the number, None when the cell holds none
    span: SourceSpan | None = None


@frozen
class Row:
    key: str | None  # row key of the layout; None for a row the layout does not know
    label: str  # as written
    cells: tuple[Cell, ...] = ()
    block: str | None = None  # table 二: the block (e.g. "art20_1")
    span: SourceSpan | None = None

    def cell(self, column: str) -> Cell | None:
        for c in self.cells:
            if c.column == column:
                return c
        return None


@frozen
class HeaderLabel:
    """A column header as written, and the column it was recognised as (None if none)."""

    text: str
    column: str | None
    block: str | None = None
    span: SourceSpan | None = None


@frozen
class Table:
    key: str  # "table2", "table3", "table4"
    layout: str  # the id of the format pack whose layout the table follows, "unknown", or "any" (table 四)
    section: int | None  # number of the section it stands in
    rows: tuple[Row, ...] = ()
    header: tuple[HeaderLabel, ...] = ()
    layout_reasons: tuple[str, ...] = ()  # why this layout was recognised
    span: SourceSpan | None = None

    def row(self, key: str) -> Row | None:
        for r in self.rows:
            if r.key == key:
                return r
        return None

    def cells(self) -> Iterator[tuple[Row, Cell]]:
        for r in self.rows:
            for c in r.cells:
                yield r, c


@frozen
class Withholding:
    """Information withheld (不予公开): a count with its legal ground, or none."""

    count: int | None
    reason: str | None  # one of the eight ground keys, or None when no ground is given
    reason_text: str | None  # the ground as written, when one is written
    source: WithholdingSource
    sentence: str | None = None  # the sentence, for prose
    table_row: str | None = None  # the table row key, for a table
    span: SourceSpan | None = None


class NoteKind(enum.StrEnum):
    """What a parse note says could not be read (the input rules X001–X004 report them). A str
    enum: a kind equals its name as written in JSON and in older code ("empty")."""

    EMPTY = "empty"  # no text at all
    UNDECODABLE = "undecodable"  # bytes that are no text in any encoding tried
    NOT_A_REPORT = "not-a-report"  # text, but nothing of an annual report in it
    MISSING_CELLS = "missing-cells"  # a row read with fewer cells than columns
    EXTRA_CELLS = "extra-cells"  # a row read with more cells than columns
    AMBIGUOUS_SPLIT = "ambiguous-split"  # cells that ran together and split in several ways
    IMAGE_TABLE = "image-table"  # an image where a table should be
    IMAGE_PAGE = "image-page"  # a PDF whose pages have no text layer
    OVER_LIMIT = "over-limit"  # an input over a safety limit, not read
    TRUNCATED = "truncated"  # an input over a safety limit, read in part


@frozen
class CellCountDetail:
    """missing-cells, extra-cells: a row (``row`` None: the whole table) read with ``found``
    cells for ``expected`` columns; which column each value belongs to is then uncertain."""

    table: str
    row: str | None
    found: int
    expected: int


# Why cells that ran together were left unread: the run is too long to split, there are too
# many splits to examine, several splits and no identity to decide, several that all satisfy
# the identities, or none that does.
SplitReason = Literal["too-long", "too-many", "undecided", "several", "none"]


@frozen
class SplitDetail:
    """ambiguous-split: the cells of a row ran together as ``run``; ``count`` splits satisfy the
    table (of ``possible``), none was chosen for ``reason``."""

    table: str
    label: str
    run: str
    reason: SplitReason
    candidates: str  # the splits shown, as written for people ("" when none is shown)
    count: int
    possible: int = 0  # the splits there are ("none": of which none satisfies the table)
    limit: int = 0  # the limit passed ("too-long": characters, "too-many": splits)


@frozen
class ImageTableDetail:
    """image-table: an image (``src``) stands where the table of a section should be."""

    heading: str
    src: str
    section: int | None


@frozen
class ImagePageDetail:
    """image-page: none of the ``pages`` read has a text layer."""

    pages: int


LimitKind = Literal["size", "decompressed", "depth", "pages", "unsafe"]


@frozen
class LimitDetail:
    """over-limit, truncated: which safety limit (``limit_kind``), the limit, and what the input
    had (``size`` in bytes, or ``detail`` in words)."""

    limit_kind: LimitKind
    limit: int
    size: int | None = None
    detail: str = ""


@frozen
class DecodeDetail:
    """undecodable: ``bad`` of ``total`` bytes could not be decoded."""

    bad: int
    total: int


@frozen
class ErrorDetail:
    """not-a-report: what the reader said when it gave up."""

    error: str


# The detail of a parse note; which class goes with which kind is said in each class.
NoteDetail = CellCountDetail | SplitDetail | ImageTableDetail | ImagePageDetail | LimitDetail | DecodeDetail | ErrorDetail


@frozen
class ParseNote:
    """Something the parser could not read as a report, reported by rules as input findings."""

    kind: NoteKind = field(converter=NoteKind)
    message: str
    span: SourceSpan | None = None
    detail: NoteDetail | None = None


@frozen
class FormatDetection:
    """The format the report follows: the id of a loaded format pack, or "unknown"."""

    version: str = "unknown"
    reasons: tuple[str, ...] = ()


# Where a suppression comment acts: the whole report, or the element right after the comment.
SuppressionScope = Literal["file", "next"]


@frozen
class Suppression:
    """A comment in a draft that suppresses findings, as ``# noqa`` does in code:
    ``<!-- opengov-lint: ignore T004 -->`` (the next element), ``<!-- opengov-lint: ignore-file
    C002 -->`` (the whole report), or in a text draft a line ``opengov-lint: ignore T004``. The
    readers record them; the checker applies them (findings suppressed are reported as such)."""

    codes: tuple[str, ...]  # as written, upper-cased (codes or prefixes)
    scope: SuppressionScope
    span: SourceSpan | None = None  # the comment
    first_line: int | None = None  # "next": the lines of the element it governs
    last_line: int | None = None

    def covers(self, span: SourceSpan | None) -> bool:
        """Whether a finding at ``span`` is within reach of this suppression."""
        if self.scope == "file":
            return True
        if span is None or self.first_line is None:
            return False
        return self.first_line <= span.line <= (self.last_line if self.last_line is not None else span.line)


@frozen
class Report:
    metadata: Metadata = field(factory=Metadata)
    preamble: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    withholdings: tuple[Withholding, ...] = ()
    format: FormatDetection = field(factory=FormatDetection)
    signature: tuple[Paragraph, ...] = ()
    notes: tuple[ParseNote, ...] = ()
    source_name: str | None = None
    suppressions: tuple[Suppression, ...] = ()

    def table(self, key: str) -> Table | None:
        for t in self.tables:
            if t.key == key:
                return t
        return None

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def paragraphs(self) -> Iterator[tuple[Section | None, Paragraph]]:
        """Every prose paragraph with the section it belongs to (None: preamble, signature)."""
        for p in self.preamble:
            yield None, p
        for s in self.sections:
            for p in s.paragraphs:
                yield s, p
        for p in self.signature:
            yield None, p
