"""The input pack (``rules/inputs.toml``): the words by which the readers recognise page chrome,
page footers, page metadata, titles and the pieces of a flattened report, and their safety
limits. Data, not code: a new site's chrome is a new line in the pack."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from attrs import field, frozen

from ._toml import read_toml, structure

__all__ = [
    "CellWords",
    "ChromeWords",
    "DetectionReasons",
    "DiscoveryWords",
    "FlattenWords",
    "FooterPatterns",
    "HeadingWords",
    "HtmlWords",
    "InputPack",
    "Limits",
    "MetadataWords",
    "PeriodWords",
    "TableWords",
    "TitleWords",
    "Units",
    "load_inputs",
]


@frozen
class ChromeWords:
    line_markers: tuple[str, ...]  # a short line starting with one of these is navigation
    run_start: tuple[str, ...]  # run-in chrome of a one-line report: from a start ...
    run_end: tuple[str, ...]  # ... to the first end
    trailing: tuple[str, ...]  # chrome words at the very end of the body


@frozen
class FooterPatterns:
    patterns: tuple[re.Pattern[str], ...]  # a whole line that is a page footer
    inline_patterns: tuple[re.Pattern[str], ...]  # a page footer inside a flattened line


@frozen
class MetadataWords:
    labels: tuple[str, ...]  # every label of page metadata copied with the body
    title: tuple[str, ...]  # the labels that say the title, in order of preference
    publication: tuple[str, ...]
    signed: tuple[str, ...]
    agency: tuple[str, ...]
    signature_label: str  # how a date taken from under the signature is labelled
    skip_lines: tuple[re.Pattern[str], ...]  # lines that are neither metadata nor report text
    agency_statements: tuple[re.Pattern[str], ...] = ()  # a preamble's sentence naming the agency (group agency)


@frozen
class TitleWords:
    document_words: tuple[str, ...]  # a title names the document (报告) ...
    topic_words: tuple[str, ...]  # ... and what it is about (信息公开)
    max_length: int
    tail_pattern: re.Pattern[str]  # what follows the agency and the year in a title
    lead_words: tuple[str, ...]  # a word before the agency's name (关于)
    strip_before: str  # characters stripped around the agency's name before the year ...
    strip_after: str  # ... and after it
    end_words: tuple[str, ...]  # how a title set on two lines ends
    flattened: re.Pattern[str]  # a title run into the preamble on a flattened line


@frozen
class FlattenWords:
    long_line: int  # lines this long are checked for a report flattened onto one line
    heading_variants: tuple[str, ...]  # section headings seen in real reports, beside the packs'
    table_anchors: tuple[str, ...] = ()  # labels that open a table, beside the format packs'
    run_together_headers: tuple[str, ...] = ()  # a table's header cells run together (table 四)


@frozen
class Limits:
    max_input_bytes: int
    max_decompressed_bytes: int
    max_html_depth: int
    max_pdf_pages: int


@frozen
class HtmlWords:
    body_containers: tuple[str, ...]  # class or id of the article body, most specific first
    meta: Mapping[str, str] = field(hash=False)  # <meta name=…> → metadata label
    metadata_labels: tuple[str, ...] = ()


@frozen
class Units:
    count: tuple[str, ...]
    people: tuple[str, ...]
    money: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.count + self.people + self.money


@frozen
class CellWords:
    nil_words: tuple[str, ...]  # 无, 没有
    dashes: tuple[str, ...]
    slashes: tuple[str, ...]


@frozen
class HeadingWords:
    pattern: re.Pattern[str]  # a numbered section heading (groups part, num, text)


@frozen
class PeriodWords:
    """A statistical period: [from] DATE [start] to DATE [end]."""

    from_words: tuple[str, ...]
    start_words: tuple[str, ...]
    to_words: tuple[str, ...]
    end_words: tuple[str, ...]


@frozen
class TableWords:
    corner_words: tuple[str, ...]  # words of table 三's corner note


@frozen
class DetectionReasons:
    """Why a report was taken to follow a format (templates)."""

    cites_notice: str
    nothing_found: str
    table2_header: str
    table3_other_items: str
    table3_other_group: str
    table3_other_single: str


@frozen
class DiscoveryWords:
    """How batch mode tells a report from the other files of a folder (a README, notes)."""

    report_markers: tuple[str, ...] = ()  # a text or HTML file with none of these is not a report


@frozen
class InputPack:
    chrome: ChromeWords
    footer: FooterPatterns
    metadata: MetadataWords
    title: TitleWords
    flatten: FlattenWords
    limits: Limits
    html: HtmlWords
    units: Units
    cells: CellWords
    headings: HeadingWords
    period: PeriodWords
    tables: TableWords
    detection: DetectionReasons
    discovery: DiscoveryWords = DiscoveryWords()


def load_inputs(path: Path) -> InputPack:
    return structure(read_toml(path), InputPack, path)
