"""Format packs (``rules/formats/*.toml``): the sections and table layouts of one format.

A new State Council format is a new file here; the code picks the pack in force for a report
year from ``first_report_year`` and ``last_report_year``, and whatever else differs between
formats is a field of the pack (``legacy``, ``preferred_when_ambiguous``), never its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal, NewType

from attrs import field, frozen

from ._toml import read_toml, structure

__all__ = [
    "Block",
    "ColumnSpec",
    "FormatId",
    "FormatPack",
    "Identity",
    "LegacyMarker",
    "RowSpec",
    "SectionSpec",
    "Status",
    "TableSpec",
    "load_format",
    "with_tables_newest_first",
]

# A format pack's id ("gb2021", …). A new format is a new pack file, so the ids are the files
# loaded, not a closed set in code: a FormatId is a str that names a loaded pack (checked where
# one comes in from outside, Packs.format_id), and no code branches on its value.
FormatId = NewType("FormatId", str)

# How well a fact of a pack is established (docs/rules.md: basis status).
Status = Literal["verified", "corroborated", "implied", "heuristic", "unverified"]


@frozen
class ColumnSpec:
    key: str
    label: str
    decimal: bool = False
    signed: bool = False


@frozen
class RowSpec:
    key: str
    label: str
    kind: Literal["data", "group", "total"] = "data"
    parent: str | None = None
    withholding: str | None = None


@frozen
class Block:
    key: str
    title: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]


@frozen
class Identity:
    code: str
    over: Literal["columns", "rows"]  # checked in each column, or in each row
    left: tuple[str, ...]
    right: tuple[str, ...]
    expression: str
    status: Status


@frozen
class TableSpec:
    key: str  # the table's name under [tables] ("table3")
    title: str
    section: int
    status: Status = "verified"
    columns: tuple[ColumnSpec, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    blocks: tuple[Block, ...] = ()
    groups: tuple[RowSpec, ...] = ()  # table 四: the three groups, used as rows
    header_labels: tuple[str, ...] = ()
    header_first_cell: str = ""
    corner_note: str = ""
    identities: tuple[Identity, ...] = ()

    def row(self, key: str) -> RowSpec | None:
        for r in self.rows:
            if r.key == key:
                return r
        return None

    def data_rows_under(self, parent: str) -> tuple[RowSpec, ...]:
        """Data rows whose ancestor is ``parent``, in layout order."""
        by_key = {r.key: r for r in self.rows}

        def under(r: RowSpec) -> bool:
            p = r.parent
            while p is not None:
                if p == parent:
                    return True
                p = by_key[p].parent if p in by_key else None
            return False

        return tuple(r for r in self.rows if r.kind == "data" and under(r))

    def expand(self, names: Sequence[str]) -> list[str]:
        """Row or column keys of an identity side; ``@data-under:KEY`` stands for the data rows
        under KEY (e.g. every outcome row of table 三)."""
        out: list[str] = []
        for n in names:
            if n.startswith("@data-under:"):
                out.extend(r.key for r in self.data_rows_under(n.split(":", 1)[1]))
            else:
                out.append(n)
        return out


@frozen
class SectionSpec:
    key: str
    number: int
    heading: str
    keywords: tuple[str, ...] = ()
    accepted_variants: tuple[str, ...] = ()


@frozen
class LegacyMarker:
    """A heading wording of an older regime; a "strong" one alone shows a report follows it."""

    text: str
    strength: Literal["strong", "weak"]


@frozen
class FormatPack:
    id: FormatId
    name_zh: str
    name_en: str
    sections: tuple[SectionSpec, ...]
    notice_number: str = ""
    notice_title: str = ""
    format_title: str = ""
    first_report_year: int | None = None
    last_report_year: int | None = None
    status: Status = "verified"
    sections_status: Status = "verified"
    tables: Mapping[str, TableSpec] = field(factory=dict, hash=False)
    legacy_markers: tuple[LegacyMarker, ...] = ()
    # The regime before the unified format: a report whose headings carry its strong markers
    # follows it, and a heading that matches one of its sections as well as a section of a
    # unified format is read as the latter.
    legacy: bool = False
    legacy_reason: str = ""  # why a heading shows the regime ({heading})
    # Tables of one report that follow different formats: the report is taken to follow this one.
    preferred_when_ambiguous: bool = False

    def applies_to(self, year: int) -> bool:
        lo = self.first_report_year if self.first_report_year is not None else -(10**9)
        hi = self.last_report_year if self.last_report_year is not None else 10**9
        return lo <= year <= hi

    def section_spec(self, key: str) -> SectionSpec | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None


def load_format(path: Path) -> FormatPack:
    """One format pack; a table's key is its name under [tables]."""
    data = read_toml(path)
    tables = data.get("tables")
    if isinstance(tables, dict):
        data["tables"] = {k: {**v, "key": k} if isinstance(v, dict) else v for k, v in tables.items()}
    return structure(data, FormatPack, path)


def with_tables_newest_first(formats: Iterable[FormatPack]) -> tuple[FormatPack, ...]:
    """The packs that define table layouts, newest first."""
    return tuple(sorted((p for p in formats if p.tables), key=lambda p: -(p.first_report_year or 0)))
