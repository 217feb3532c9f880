"""Rule packs: the formats, the regulation's facts and the rule catalogue, read from ``rules/``.

The packs are data (TOML). A new State Council format is a new file in ``rules/formats/``;
the code picks the pack in force for a report year from ``first_report_year`` and
``last_report_year``.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import field, frozen

from .errors import PackError
from .textutil import label_key

__all__ = [
    "Block",
    "Catalogue",
    "ColumnSpec",
    "FormatPack",
    "Identity",
    "Packs",
    "RowSpec",
    "RuleSpec",
    "SectionSpec",
    "TableSpec",
    "load_packs",
    "packs_dir",
]




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
    kind: str = "data"  # data | group | total
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
    over: str  # "columns": checked in each column; "rows": checked in each row
    left: tuple[str, ...]
    right: tuple[str, ...]
    expression: str
    status: str


@frozen
class TableSpec:
    key: str
    title: str
    section: int
    status: str = "verified"
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

    def all_column_labels(self) -> dict[str, str]:
        """label_key → column key, over the columns of every block."""
        out: dict[str, str] = {}
        for c in self.columns:
            out[label_key(c.label)] = c.key
        for b in self.blocks:
            for c in b.columns:
                out[label_key(c.label)] = c.key
        return out


@frozen
class SectionSpec:
    key: str
    number: int
    heading: str
    keywords: tuple[str, ...]
    accepted_variants: tuple[str, ...] = ()


@frozen
class FormatPack:
    id: str
    name_zh: str
    name_en: str
    notice_number: str
    notice_title: str
    format_title: str
    first_report_year: int | None
    last_report_year: int | None
    status: str
    sections: tuple[SectionSpec, ...]
    tables: Mapping[str, TableSpec] = field(factory=dict, hash=False)
    legacy_markers: tuple[tuple[str, str], ...] = ()  # (text, strength)

    def applies_to(self, year: int) -> bool:
        lo = self.first_report_year if self.first_report_year is not None else -10**9
        hi = self.last_report_year if self.last_report_year is not None else 10**9
        return lo <= year <= hi

    def section_spec(self, key: str) -> SectionSpec | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None


@frozen
class RuleDoc:
    what: str
    why: str
    fail_example: str
    pass_example: str
    fix: str


@frozen
class RuleSpec:
    """A rule's entry in the catalogue: its contract with users."""

    code: str
    slug: str
    severity: str  # error | warning | info
    citation: str
    basis_status: str  # verified | corroborated | implied | heuristic | unverified
    summary_zh: str
    summary_en: str
    messages: Mapping[str, tuple[str, str]] = field(factory=dict, hash=False)  # variant → (zh, en)
    doc: RuleDoc | None = None
    category: str = ""


@frozen
class Catalogue:
    rules: tuple[RuleSpec, ...]

    def get(self, code: str) -> RuleSpec | None:
        for r in self.rules:
            if r.code == code:
                return r
        return None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.rules)


@frozen
class Packs:
    formats: Mapping[str, FormatPack] = field(hash=False)
    regulation: Mapping[str, Any] = field(hash=False)
    catalogue: Catalogue
    root: Path

    def format_in_force(self, year: int | None) -> FormatPack | None:
        """The pack that governs a report for ``year`` (None when the year is unknown)."""
        if year is None:
            return None
        for pack in self.formats.values():
            if pack.applies_to(year):
                return pack
        return None

    def table_layout(self, table_key: str, layout: str, fallback: FormatPack | None = None) -> TableSpec | None:
        """The layout of a table: the pack it follows (``layout``), else ``fallback``, else the
        newest pack that defines the table."""
        for pack in (self.formats.get(layout), fallback, *self.table_formats()):
            if pack is not None and table_key in pack.tables:
                return pack.tables[table_key]
        return None

    def table_formats(self) -> tuple[FormatPack, ...]:
        """Packs that define table layouts, newest first."""
        packs = [p for p in self.formats.values() if p.tables]
        return tuple(sorted(packs, key=lambda p: -(p.first_report_year or 0)))


def packs_dir() -> Path:
    """Where the packs are: OPENGOV_LINT_RULES, the installed copy, or the source tree."""
    env = os.environ.get("OPENGOV_LINT_RULES")
    if env:
        return Path(env)
    installed = resources.files("opengov_lint") / "_rules"
    if installed.is_dir():
        return Path(str(installed))
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "rules", here.parent / "rules"):
        if (candidate / "catalogue.toml").is_file():
            return candidate
    raise PackError("rule packs not found: neither an installed copy nor a source tree rules/ directory")


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"cannot read rule pack {path}: {exc}") from exc


def _columns(items: list[dict[str, Any]]) -> tuple[ColumnSpec, ...]:
    return tuple(ColumnSpec(key=c["key"], label=c["label"], decimal=c.get("decimal", False), signed=c.get("signed", False)) for c in items)


def _rows(items: list[dict[str, Any]]) -> tuple[RowSpec, ...]:
    return tuple(
        RowSpec(key=r["key"], label=r["label"], kind=r.get("kind", "data"), parent=r.get("parent"), withholding=r.get("withholding"))
        for r in items
    )


def _table(key: str, d: dict[str, Any]) -> TableSpec:
    return TableSpec(
        key=key,
        title=d["title"],
        section=d["section"],
        status=d.get("status", "verified"),
        columns=_columns(d.get("columns", [])),
        rows=_rows(d.get("rows", [])),
        blocks=tuple(
            Block(key=b["key"], title=b["title"], columns=_columns(b["columns"]), rows=_rows(b["rows"])) for b in d.get("blocks", [])
        ),
        groups=_rows(d.get("groups", [])),
        header_labels=tuple(d.get("header_labels", [])),
        header_first_cell=d.get("header_first_cell", ""),
        corner_note=d.get("corner_note", ""),
        identities=tuple(
            Identity(
                code=i["code"],
                over=i["over"],
                left=tuple(i["left"]),
                right=tuple(i["right"]),
                expression=i["expression"],
                status=i["status"],
            )
            for i in d.get("identities", [])
        ),
    )


def _format_pack(d: dict[str, Any]) -> FormatPack:
    return FormatPack(
        id=d["id"],
        name_zh=d["name_zh"],
        name_en=d["name_en"],
        notice_number=d.get("notice_number", ""),
        notice_title=d.get("notice_title", ""),
        format_title=d.get("format_title", ""),
        first_report_year=d.get("first_report_year"),
        last_report_year=d.get("last_report_year"),
        status=d.get("status", "verified"),
        sections=tuple(
            SectionSpec(
                key=s["key"],
                number=s["number"],
                heading=s["heading"],
                keywords=tuple(s.get("keywords", [])),
                accepted_variants=tuple(s.get("accepted_variants", [])),
            )
            for s in d.get("sections", [])
        ),
        tables={k: _table(k, v) for k, v in d.get("tables", {}).items()},
        legacy_markers=tuple((m["text"], m["strength"]) for m in d.get("legacy_markers", [])),
    )


def _catalogue(d: dict[str, Any]) -> Catalogue:
    rules = []
    for r in d.get("rule", []):
        doc = r.get("doc")
        rules.append(
            RuleSpec(
                code=r["code"],
                slug=r["slug"],
                severity=r["severity"],
                citation=r["citation"],
                basis_status=r["basis_status"],
                summary_zh=r["summary_zh"],
                summary_en=r["summary_en"],
                category=r.get("category", ""),
                messages={k: (v["zh"], v["en"]) for k, v in r.get("messages", {}).items()},
                doc=RuleDoc(
                    what=doc["what"], why=doc["why"], fail_example=doc["fail"], pass_example=doc["pass"], fix=doc["fix"]
                )
                if doc
                else None,
            )
        )
    return Catalogue(rules=tuple(rules))


@functools.lru_cache(maxsize=8)
def load_packs(root: Path | None = None) -> Packs:
    """Read every pack under ``root`` (default: :func:`packs_dir`). Cached."""
    base = Path(root) if root is not None else packs_dir()
    fmt_dir = base / "formats"
    if not fmt_dir.is_dir():
        raise PackError(f"no formats/ directory in rule packs at {base}")
    formats = {}
    for path in sorted(fmt_dir.glob("*.toml")):
        pack = _format_pack(_read(path))
        formats[pack.id] = pack
    return Packs(
        formats=formats,
        regulation=_read(base / "regulation.toml"),
        catalogue=_catalogue(_read(base / "catalogue.toml")),
        root=base,
    )
