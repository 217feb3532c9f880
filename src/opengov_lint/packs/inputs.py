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
    "FlattenWords",
    "FooterPatterns",
    "HtmlWords",
    "InputPack",
    "Limits",
    "MetadataWords",
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


@frozen
class TitleWords:
    document_words: tuple[str, ...]  # a title names the document (报告) ...
    topic_words: tuple[str, ...]  # ... and what it is about (信息公开)
    max_length: int
    tail_pattern: re.Pattern[str]  # what follows the agency and the year in a title


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


def load_inputs(path: Path) -> InputPack:
    return structure(read_toml(path), InputPack, path)
