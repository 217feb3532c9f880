"""The words the readers look for, compiled once from the packs when they are loaded.

Section headings, table anchors and labels come from the format packs; page metadata labels,
chrome and footers from the input pack. Readers take these ready-made from
``Packs.vocabulary`` instead of building their own indexes from the packs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from attrs import field, frozen

from .. import numerals
from ..textutil import label_key, normalize, spaced_regex
from .formats import FormatPack, SectionSpec, TableSpec
from .inputs import InputPack

__all__ = ["Vocabulary", "build_vocabulary"]


@frozen
class Vocabulary:
    # Sections: every section of every format, with its pack.
    section_specs: tuple[tuple[FormatPack, SectionSpec], ...]
    # Table rows of every format (label keys): a line that is one is no section heading.
    table_row_keys: frozenset[str]
    # Every label of every table layout (label keys), and their proper prefixes: what a label
    # broken over lines may join back into.
    table_label_keys: frozenset[str]
    table_label_prefixes: frozenset[str]
    # Label keys whose line opens a table, by table key; table 四's opening is confirmed by
    # its first column nearby.
    table_anchors: Mapping[str, tuple[str, ...]] = field(hash=False)
    table4_confirm: tuple[str, ...]
    # Page metadata: "label:" (spaces may stand inside a label: 标      题), and a title label
    # written without a colon before the title.
    meta_label_re: re.Pattern[str] | None
    title_label_re: re.Pattern[str] | None
    # Flattened reports: headings, table labels and table anchors, spaces allowed between
    # characters; a table's header run together.
    heading_re: re.Pattern[str] | None
    label_re: re.Pattern[str] | None
    anchor_re: re.Pattern[str] | None
    run_together_re: re.Pattern[str] | None
    # The numerals of the sections that hold tables (二三四), for a pattern's character class.
    table_section_numerals: str
    # Chrome words, normalised.
    chrome_lines: tuple[str, ...]
    chrome_run_start: tuple[str, ...]
    chrome_run_end: tuple[str, ...]
    chrome_trailing: tuple[str, ...]


def _spaced_alternatives(labels: Iterable[str]) -> str:
    """``labels`` as alternatives of a pattern, spaces allowed between characters (标      题)."""
    return "|".join(r"\s*".join(map(re.escape, lb)) for lb in labels)


def _table_labels(t: TableSpec) -> list[str]:
    """Every label of a table layout, as written."""
    out = [t.title, *t.header_labels]
    if t.header_first_cell:
        out.append(t.header_first_cell)
    if t.corner_note:
        out.append(t.corner_note)
    out += [c.label for c in t.columns]
    out += [r.label for r in t.rows]
    out += [g.label for g in t.groups if "/" not in g.label]
    for b in t.blocks:
        out += [b.title, *(c.label for c in b.columns), *(r.label for r in b.rows)]
    return out


def _wrap_keys(table_formats: Iterable[FormatPack]) -> frozenset[str]:
    """Label keys a label broken over lines may join back into (rows, columns, blocks, headers)."""
    keys: set[str] = set()
    for p in table_formats:
        for t in p.tables.values():
            labels = [t.header_first_cell, *t.header_labels, *(c.label for c in t.columns), *(r.label for r in t.rows)]
            for b in t.blocks:
                labels += [b.title, *(c.label for c in b.columns), *(r.label for r in b.rows)]
            keys.update(label_key(x) for x in labels if x)
    return frozenset(k for k in keys if k)


def _anchors(formats: Iterable[FormatPack]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Labels whose line opens a table: table 二's block titles and first header cell, table 三's
    corner note, top header and first row, table 四's first header (confirmed by its first column)."""
    anchors: dict[str, set[str]] = {"table2": set(), "table3": set(), "table4": set()}
    confirm: set[str] = set()
    for pack in formats:
        for key, spec in pack.tables.items():
            if key == "table2":
                anchors[key] |= {label_key(b.title) for b in spec.blocks}
                if spec.header_first_cell:
                    anchors[key].add(label_key(spec.header_first_cell))
            elif key == "table3":
                if spec.corner_note:
                    anchors[key].add(label_key(spec.corner_note)[:10])  # the note's opening words
                anchors[key] |= {label_key(x) for x in spec.header_labels[:1]}
                anchors[key] |= {label_key(r.label) for r in spec.rows[:1]}
            elif key == "table4":
                anchors[key] |= {label_key(x) for x in spec.header_labels[:1]}
                confirm |= {label_key(c.label) for c in spec.columns[:1]}
    return {k: tuple(sorted(v)) for k, v in anchors.items()}, tuple(sorted(confirm))


def build_vocabulary(formats: Sequence[FormatPack], table_formats: Sequence[FormatPack], inputs: InputPack) -> Vocabulary:
    """``formats``: every format pack; ``table_formats``: those with tables, newest first."""
    md = inputs.metadata
    headings: list[str] = []
    table_labels: list[str] = []
    for fp in formats:
        for s in fp.sections:
            headings.append(s.heading)
            headings.extend(s.accepted_variants)
        for t in fp.tables.values():
            table_labels += _table_labels(t)
    headings.extend(inputs.flatten.heading_variants)
    anchor_labels: list[str] = []
    for fp in table_formats:
        for t in fp.tables.values():
            anchor_labels.extend(b.title for b in t.blocks)
            if t.header_first_cell:
                anchor_labels.append(t.header_first_cell)
            if t.corner_note:
                anchor_labels.append(t.corner_note[:8])
    anchor_labels.extend(inputs.flatten.table_anchors)
    anchors, confirm = _anchors(formats)
    wrap = _wrap_keys(table_formats)
    chrome = inputs.chrome
    return Vocabulary(
        section_specs=tuple((pack, s) for pack in formats for s in pack.sections),
        table_row_keys=frozenset(label_key(r.label) for pack in formats for t in pack.tables.values() for r in t.rows),
        table_label_keys=wrap,
        table_label_prefixes=frozenset(k[:n] for k in wrap for n in range(1, len(k))),
        table_anchors=anchors,
        table4_confirm=confirm,
        meta_label_re=re.compile(r"(?P<label>" + _spaced_alternatives(sorted(md.labels, key=len, reverse=True)) + r")\s*[:|]\s*")
        if md.labels
        else None,
        title_label_re=re.compile(r"^\s*(?:" + _spaced_alternatives(md.title) + r")\s*[:：|]?\s+") if md.title else None,
        heading_re=spaced_regex(headings),
        label_re=spaced_regex(table_labels),
        anchor_re=spaced_regex(anchor_labels),
        run_together_re=spaced_regex(inputs.flatten.run_together_headers),
        table_section_numerals="".join(
            sorted(
                {numerals.to_chinese(t.section) for fp in table_formats for t in fp.tables.values()},
                key=lambda n: numerals.value(n) or 0,
            )
        ),
        chrome_lines=tuple(normalize(x) for x in chrome.line_markers),
        chrome_run_start=tuple(normalize(x) for x in chrome.run_start),
        chrome_run_end=tuple(normalize(x) for x in chrome.run_end),
        chrome_trailing=tuple(normalize(x) for x in chrome.trailing),
    )
