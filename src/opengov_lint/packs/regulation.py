"""The regulation's facts (``rules/regulation.toml``) that the parsers and rules rely on: its
name, the publication deadlines, the agency kinds by name, the grounds for withholding and the
words by which reports state them."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

from attrs import field, frozen

from ..model import AgencyKind
from ._toml import read_toml, structure
from .formats import Status

__all__ = [
    "Accountability",
    "AccountabilityTopic",
    "AgencyKindRule",
    "AgencyNames",
    "CrossYear",
    "Deadline",
    "Regulation",
    "RegulationName",
    "ReportTitle",
    "StructureWords",
    "WithholdingProse",
    "WithholdingReason",
    "load_regulation",
]


@frozen
class RegulationName:
    name: str
    accepted_short_names: tuple[str, ...]  # correct abbreviations, not misnamings
    known_misnamings: tuple[str, ...]
    revision: str
    first_report_year: int  # the first report year under the revised regulation
    status: Status
    names_regulation: re.Pattern[str]  # a book title that names a regulation
    family_words: str  # a regulation of this family holds these
    national_words: str  # a national one also holds these
    revision_note: re.Pattern[str]  # the exact name with its revision year


@frozen
class Deadline:
    article: str
    status: Status
    by: str | None = None  # month-day ("03-31") of the year after the report year; None: none fixed


@frozen
class AgencyKindRule:
    """An agency whose normalised name ends with one of ``suffixes`` is of ``kind``."""

    kind: AgencyKind
    suffixes: tuple[str, ...]


@frozen
class WithholdingReason:
    key: str
    label: str
    article: str
    keywords: tuple[str, ...]


@frozen
class WithholdingProse:
    verbs: tuple[str, ...]  # a sentence withholds when one of these is followed by a count
    reason_markers: tuple[str, ...]  # words before the verb that introduce a stated ground
    ignore_phrases: tuple[str, ...]  # phrases in which the verb withholds nothing
    object_pattern: re.Pattern[str]  # what may stand between the verb and its count
    # a count named 数 (不予公开信息数79): it may stand without its measure word at a clause's end
    count_object_pattern: re.Pattern[str] | None = None
    marker_not_in: tuple[str, ...] = ()  # words holding a marker that introduce no ground (予以)
    reason_after: tuple[str, ...] = ()  # words opening the clause after the count that state its ground


@frozen
class Fees:
    keywords: tuple[str, ...]


@frozen
class AccountabilityTopic:
    key: str
    label: str
    keywords: tuple[str, ...]


@frozen
class Accountability:
    topics: tuple[AccountabilityTopic, ...]
    exempt_words: tuple[str, ...] = ()  # township-kind agencies whose name holds these are not asked


@frozen
class PeriodWords:
    markers: tuple[str, ...]  # words that introduce the statistical period


@frozen
class StructureWords:
    """How a report states its own structure (rule S007), and how its headings are numbered."""

    parts_statement: re.Pattern[str]  # groups pre, n, post
    list_intro: re.Pattern[str]  # group list
    list_tail: re.Pattern[str]
    list_and: tuple[str, ...]
    list_split: re.Pattern[str]
    item_end: re.Pattern[str]
    heading_numbering: re.Pattern[str]


@frozen
class ReportTitle:
    """What the title of an annual report holds (rule M001)."""

    year: re.Pattern[str]
    document: str
    body_year: re.Pattern[str]  # the year the overview opens with (rule D005)
    generic: re.Pattern[str]  # the title's words other than the agency's name


@frozen
class CrossYear:
    stock_rows: tuple[str, ...]
    copied_text_sections: tuple[str, ...]
    copied_text_threshold: float
    copied_text_ngram: int
    copied_text_min_chars: int


@frozen
class AgencyNames:
    """How the name of one agency may differ from year to year by the divisions above it
    (淮安市洪泽区人民政府 / 洪泽区人民政府): ``upper`` names a division that may be dropped
    in front of a name (a city, a province), ``lower`` the division the rest must start with."""

    upper: tuple[str, ...] = ()
    lower: tuple[str, ...] = ()
    max_division_chars: int = 7  # characters of a division's name before its suffix

    @functools.cached_property
    def _prefix_re(self) -> re.Pattern[str] | None:
        if not self.upper or not self.lower:
            return None
        n = self.max_division_chars
        up = "|".join(map(re.escape, sorted(self.upper, key=len, reverse=True)))
        low = "|".join(map(re.escape, sorted(self.lower, key=len, reverse=True)))
        return re.compile(rf"^((?:[\u4e00-\u9fff]{{1,{n}}}?(?:{up}))+)(?=[\u4e00-\u9fff]{{1,{n}}}?(?:{low}))")

    def short_form(self, key: str) -> str:
        """``key`` (a normalised name) without the upper divisions in front of it, when what
        remains starts with a division of its own; else ``key`` itself."""
        rx = self._prefix_re
        m = rx.match(key) if rx is not None else None
        if m is None or len(key) - m.end() < 3:
            return key
        return key[m.end() :]


@frozen
class Placeholder:
    """A section with no substance (rule S009): what it may hold instead of content."""

    sections: tuple[str, ...]  # the section keys that must say something (总体情况, 存在的主要问题)
    texts: tuple[str, ...]  # the whole text, spaces and punctuation removed: 无, 暂无, 暂无问题
    note_words: tuple[str, ...]  # words of a bracketed note standing alone: （本段为占位，无内容）
    punctuation: str  # characters removed before comparing


@frozen
class Regulation:
    regulation: RegulationName
    deadlines: Mapping[str, Deadline] = field(hash=False)  # by agency kind, and "legacy"
    agency_kinds: tuple[AgencyKindRule, ...]  # first match wins
    withholding_reasons: tuple[WithholdingReason, ...]
    withholding_prose: WithholdingProse
    fees: Fees
    accountability: Accountability
    period: PeriodWords
    structure: StructureWords
    report_title: ReportTitle
    crossyear: CrossYear
    placeholder: Placeholder
    agency_kind_names: Mapping[AgencyKind, str] = field(hash=False, factory=dict)
    agency_names: AgencyNames = field(factory=AgencyNames)


def load_regulation(path: Path) -> Regulation:
    return structure(read_toml(path), Regulation, path)
