"""Rule packs, read from ``rules/`` and structured into typed classes when they are loaded.

:func:`load_packs` reads every pack: the formats (``formats/*.toml``), the regulation's facts
(``regulation.toml``), the rule catalogue (``catalogue.toml``), the prose pack (``prose.toml``
with ``divisions.tsv``) and the input pack (``inputs.toml``), and compiles the readers'
vocabulary from them once. A pack that is malformed fails here with a
:class:`~opengov_lint.errors.PackError` naming the file, the key and the reason.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from attrs import field, frozen

from ..errors import PackError
from .catalogue import Catalogue, RuleDoc, RuleSpec, load_catalogue
from .formats import (
    Block,
    ColumnSpec,
    FormatId,
    FormatPack,
    Identity,
    LegacyMarker,
    RowSpec,
    SectionSpec,
    Status,
    TableSpec,
    load_format,
    with_tables_newest_first,
)
from .inputs import InputPack, load_inputs
from .prose import Division, ProsePack, Quantity, load_prose
from .regulation import Regulation, load_regulation
from .vocabulary import Vocabulary, build_vocabulary

__all__ = [
    "Block",
    "Catalogue",
    "ColumnSpec",
    "Division",
    "FormatId",
    "FormatPack",
    "Identity",
    "InputPack",
    "LegacyMarker",
    "Packs",
    "ProsePack",
    "Quantity",
    "Regulation",
    "RowSpec",
    "RuleDoc",
    "RuleSpec",
    "SectionSpec",
    "Status",
    "TableSpec",
    "Vocabulary",
    "load_packs",
    "packs_dir",
]


@frozen
class Packs:
    formats: Mapping[FormatId, FormatPack] = field(hash=False)
    regulation: Regulation = field(hash=False, eq=False)
    catalogue: Catalogue
    prose: ProsePack = field(hash=False, eq=False)
    inputs: InputPack = field(hash=False, eq=False)
    vocabulary: Vocabulary = field(hash=False, eq=False)
    root: Path

    def format_id(self, name: str) -> FormatId | None:
        """``name`` as the id of a loaded format pack, None when no pack has that id."""
        return FormatId(name) if name in self.formats else None

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
        for pack in (self.formats.get(FormatId(layout)), fallback, *self.table_formats()):
            if pack is not None and table_key in pack.tables:
                return pack.tables[table_key]
        return None

    def table_formats(self) -> tuple[FormatPack, ...]:
        """Packs that define table layouts, newest first."""
        return with_tables_newest_first(self.formats.values())


def packs_dir() -> Path:
    """Where the packs are: OPENGOV_LINT_RULES, the installed copy, or the source tree."""
    env = os.environ.get("OPENGOV_LINT_RULES")
    if env:
        return Path(env)
    installed = resources.files("opengov_lint") / "_rules"
    if installed.is_dir():
        return Path(str(installed))
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent.parent / "rules", here.parent / "rules"):
        if (candidate / "catalogue.toml").is_file():
            return candidate
    raise PackError("rule packs not found: neither an installed copy nor a source tree rules/ directory")


@functools.lru_cache(maxsize=8)
def load_packs(root: Path | None = None) -> Packs:
    """Read and structure every pack under ``root`` (default: :func:`packs_dir`). Cached."""
    base = Path(root) if root is not None else packs_dir()
    fmt_dir = base / "formats"
    if not fmt_dir.is_dir():
        raise PackError(f"no formats/ directory in rule packs at {base}")
    formats: dict[FormatId, FormatPack] = {}
    for path in sorted(fmt_dir.glob("*.toml")):
        pack = load_format(path)
        formats[pack.id] = pack
    inputs = load_inputs(base / "inputs.toml")
    table_formats = with_tables_newest_first(formats.values())
    return Packs(
        formats=formats,
        regulation=load_regulation(base / "regulation.toml"),
        catalogue=load_catalogue(base / "catalogue.toml"),
        prose=load_prose(base, inputs.units.count, inputs.units.people),
        inputs=inputs,
        vocabulary=build_vocabulary(tuple(formats.values()), table_formats, inputs),
        root=base,
    )
