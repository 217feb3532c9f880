"""The prose pack (``rules/prose.toml``) and the administrative-division list (``rules/divisions.tsv``).

Read from the same directory as the other packs (``Packs.root``); cached per directory. The data is
only read here: which sentences mean what is decided in the pack, what is wrong in the P-rules.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any

from attrs import field, frozen

from .errors import PackError

__all__ = ["Quantity", "Division", "ProsePack", "load_prose_pack"]


@frozen
class Quantity:
    key: str
    label_zh: str
    label_en: str
    cues: tuple[re.Pattern[str], ...]
    exclude: tuple[str, ...]
    requires_paragraph: str
    units: tuple[str, ...]  # measure words the count is stated in; () = the pack's count_units
    avoid_sentence: tuple[str, ...]
    accept: tuple[tuple[str, ...], ...]  # alternatives, each a sum of "table:row:column" references
    max_gap: int = 20
    requires_near: str = ""


@frozen
class Division:
    name: str  # with its suffix, e.g. 宁国市
    level: str  # province | prefecture | county
    parent: str | None  # the name of the division above, None for a province


@frozen
class ProsePack:
    clause_breaks: str
    count_units: tuple[str, ...]
    part_words: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    arithmetic: dict[str, Any] = field(hash=False)
    place: dict[str, Any] = field(hash=False)
    stale_year: tuple[re.Pattern[str], ...]
    stale_year_cited_words: tuple[str, ...]
    numbering: dict[str, Any] = field(hash=False)
    divisions: dict[str, tuple[Division, ...]] = field(hash=False)  # name → every division of that name
    aliases: dict[str, str] = field(hash=False, factory=dict)  # second name → name (黔东南州 → 黔东南苗族侗族自治州)

    def canonical(self, name: str) -> str:
        return self.aliases.get(name, name)

    def known_names(self) -> tuple[str, ...]:
        return tuple(self.divisions) + tuple(self.aliases)

    def quantity(self, key: str) -> Quantity | None:
        return next((q for q in self.quantities if q.key == key), None)

    def ancestors(self, name: str) -> set[str]:
        """Every division above any division called ``name`` (a name may be ambiguous: 郊区)."""
        out: set[str] = set()
        todo = [d for d in self.divisions.get(name, ())]
        seen = 0
        while todo and seen < 100:
            seen += 1
            d = todo.pop()
            if d.parent and d.parent not in out:
                out.add(d.parent)
                todo.extend(self.divisions.get(d.parent, ()))
        return out


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise PackError(f"prose pack: bad pattern in {where}: {pattern!r}: {exc}") from exc


def _divisions(path: Path) -> tuple[dict[str, tuple[Division, ...]], dict[str, str]]:
    out: dict[str, list[Division]] = {}
    aliases: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PackError(f"cannot read division list {path}: {exc}") from exc
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in ("province", "prefecture", "county", "alias"):
            raise PackError(f"{path}:{n}: expected name<TAB>level<TAB>parent, got {line!r}")
        name, level, parent = parts
        if level == "alias":
            aliases[name] = parent
            continue
        out.setdefault(name, []).append(Division(name=name, level=level, parent=None if parent == "-" else parent))
    return {k: tuple(v) for k, v in out.items()}, aliases


@functools.lru_cache(maxsize=4)
def load_prose_pack(root: Path) -> ProsePack:
    path = Path(root) / "prose.toml"
    try:
        with path.open("rb") as fh:
            d = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"cannot read rule pack {path}: {exc}") from exc
    quantities = tuple(
        Quantity(
            key=q["key"],
            label_zh=q["label_zh"],
            label_en=q["label_en"],
            cues=tuple(_compile(c, f"quantity {q['key']}") for c in q["cues"]),
            exclude=tuple(q.get("exclude", [])),
            requires_paragraph=q.get("requires_paragraph", ""),
            units=tuple(q.get("units", [])),
            avoid_sentence=tuple(q.get("avoid_sentence", [])),
            requires_near=q.get("requires_near", ""),
            accept=tuple(tuple(a) for a in q["accept"]),
            max_gap=q.get("max_gap", 20),
        )
        for q in d.get("quantity", [])
    )
    divisions, aliases = _divisions(Path(root) / "divisions.tsv")
    return ProsePack(
        clause_breaks=d["clause_breaks"],
        count_units=tuple(d["count_units"]),
        part_words=tuple(d.get("part_words", [])),
        quantities=quantities,
        arithmetic=dict(d.get("arithmetic", {})),
        place=dict(d.get("place", {})),
        stale_year=tuple(_compile(p, "stale_year") for p in d.get("stale_year", {}).get("patterns", [])),
        stale_year_cited_words=tuple(d.get("stale_year", {}).get("cited_words", [])),
        numbering=dict(d.get("numbering", {})),
        divisions=divisions,
        aliases=aliases,
    )
