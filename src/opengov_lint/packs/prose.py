"""The prose pack (``rules/prose.toml``) and the administrative-division list (``rules/divisions.tsv``).

Which sentences mean what is decided in the pack; what is wrong, in the P-rules. Patterns are
compiled when the pack is read, so a bad one fails at load.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import attrs
from attrs import field, frozen

from ..numerals import Folded, fold_counts
from ..textutil import alternation
from ._toml import pack_error, read_toml, structure

__all__ = [
    "Concluded",
    "Division",
    "Numbering",
    "NumeralCounts",
    "PlaceWords",
    "ProseArithmetic",
    "ProsePack",
    "Quantity",
    "StaleYear",
    "load_prose",
]


@frozen
class Quantity:
    key: str
    label_zh: str
    label_en: str
    cues: tuple[re.Pattern[str], ...]
    accept: tuple[tuple[str, ...], ...]  # alternatives, each a sum of "table:row:column" references
    exclude: tuple[str, ...] = ()
    exclude_before: tuple[str, ...] = ()  # words before the cue in its clause that make the count another's
    requires_paragraph: str = ""
    units: tuple[str, ...] = ()  # measure words the count is stated in; () = count_units
    avoid_sentence: tuple[str, ...] = ()
    max_gap: int = 20
    requires_near: str = ""


@frozen
class ProseArithmetic:
    identity_left: tuple[str, ...]  # quantities whose sum is stated ...
    identity_right: tuple[str, ...]  # ... equal to the sum of these
    share: re.Pattern[str]  # a count and its percentage share (groups n, u, p)
    part_total: tuple[re.Pattern[str], ...]  # a total followed by its parts (其中 …): groups n, u, paren
    catch_all: tuple[str, ...] = ()  # words of a list's catch-all item (其他…): the list is complete
    not_catch_all: tuple[str, ...] = ()  # fixed phrases holding such a word (其他对外管理服务事项)
    count_fillers: tuple[str, ...] = ()  # words between an item's label and its count (共, 计)
    open_words: tuple[str, ...] = ()  # words right after a list's last item that leave it open (等)
    approximate: tuple[str, ...] = ()  # words beside a count that make it approximate (余, 约)
    change_words: tuple[str, ...] = ()  # words in an item that make its count a change, not a part
    overlap_words: tuple[str, ...] = ()  # words of items that may overlap (channels): no sum
    restatement: tuple[str, ...] = ()  # words of a first item that restates the total (共N条)
    stop_words: tuple[str, ...] = ()  # words of an item's label that start a new statement: the list ended
    nested_intro: tuple[str, ...] = ()  # words after an item that open a list of its own parts (其中)
    max_items: int = 40  # a list longer than this is not summed (no finding)
    max_chars: int = 2000  # a list is read within this many characters after its total
    max_counts: int = 200  # a paragraph with more counts than this is not searched for shares


@frozen
class PlaceWords:
    self_reference: tuple[re.Pattern[str], ...]  # the report naming the site it stands on
    township_pattern: re.Pattern[str]
    township_self_words: tuple[str, ...]  # how a county speaks of itself (我县), not a township
    county_self_words: Mapping[str, tuple[str, ...]] = field(hash=False)  # agency suffix → wrong self words
    county_government: re.Pattern[str]  # after such a suffix: the name of the government (or its office)
    office_suffix: str


@frozen
class StaleYear:
    patterns: tuple[re.Pattern[str], ...]
    cited_words: tuple[str, ...]


@frozen
class Concluded:
    """How the text says every application was concluded (rule P006)."""

    claims: tuple[re.Pattern[str], ...]
    requires: str  # a word the sentence must hold (申请)
    avoid_sentence: tuple[str, ...]  # words that show the claim is about a part, or admits a rest
    results_words: tuple[str, ...]  # words of the clause whose count 均 refers to, when it counts answers


@frozen
class Numbering:
    not_marker_before: tuple[str, ...]  # characters before 一是 that make it no item marker
    inline: re.Pattern[str]  # 一是 (group 1: the numeral)
    paren: re.Pattern[str]  # （一）
    heading: re.Pattern[str]  # 一、 (ends a list)
    paren_not_marker_before: tuple[str, ...]  # characters before （一） that make it a citation


@frozen
class NumeralCounts:
    """When a numeral followed by a measure word (十七件, 两件) is a count (``numerals.fold_counts``)."""

    not_after: str  # characters before the numeral that make it part of a word (第一次, 每一件)
    followers: tuple[str, ...]  # words that may follow the measure word (十七件申请); else a break
    breaks: str = ""  # characters after the measure word that end the count, beside the clause breaks


@frozen
class Division:
    name: str  # with its suffix, e.g. 宁国市
    level: Literal["province", "prefecture", "county"]
    parent: str | None  # the name of the division above, None for a province


@frozen
class _ProseFile:
    clause_breaks: str
    quantity: tuple[Quantity, ...]
    arithmetic: ProseArithmetic
    place: PlaceWords
    stale_year: StaleYear
    numbering: Numbering
    numerals: NumeralCounts
    concluded: Concluded
    part_words: tuple[str, ...] = ()


@frozen
class ProsePack:
    clause_breaks: str
    count_units: tuple[str, ...]  # the measure words a count is stated in (the input pack's count units)
    part_words: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    arithmetic: ProseArithmetic
    place: PlaceWords
    stale_year: StaleYear
    numbering: Numbering
    numerals: NumeralCounts
    concluded: Concluded
    divisions: Mapping[str, tuple[Division, ...]] = field(hash=False)  # name → every division of that name
    aliases: Mapping[str, str] = field(hash=False, factory=dict)  # second name → name (黔东南州 → 黔东南苗族侗族自治州)

    def canonical(self, name: str) -> str:
        return self.aliases.get(name, name)

    def known_names(self) -> tuple[str, ...]:
        return tuple(self.divisions) + tuple(self.aliases)

    def fold(self, text: str) -> Folded:
        """``text`` (normalised) with its counts in numerals written as digits (十七件 → 17件)."""
        w = self.numerals
        return fold_counts(text, self.count_units, w.not_after, w.followers, self.clause_breaks + w.breaks)

    def quantity(self, key: str) -> Quantity | None:
        return next((q for q in self.quantities if q.key == key), None)

    def ancestors(self, name: str) -> set[str]:
        """Every division above any division called ``name`` (a name may be ambiguous: 郊区)."""
        out: set[str] = set()
        todo = list(self.divisions.get(name, ()))
        seen = 0
        while todo and seen < 100:
            seen += 1
            d = todo.pop()
            if d.parent and d.parent not in out:
                out.add(d.parent)
                todo.extend(self.divisions.get(d.parent, ()))
        return out


_LEVELS: tuple[Literal["province", "prefecture", "county"], ...] = ("province", "prefecture", "county")


def _divisions(path: Path) -> tuple[dict[str, tuple[Division, ...]], dict[str, str]]:
    out: dict[str, list[Division]] = {}
    aliases: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise pack_error(path, "", f"cannot read the division list: {exc.strerror or exc}") from None
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in (*_LEVELS, "alias"):
            raise pack_error(path, f"line {n}", f"expected name<TAB>level<TAB>parent, got {line!r}")
        name, level, parent = parts
        if level == "alias":
            aliases[name] = parent
            continue
        out.setdefault(name, []).append(
            Division(name=name, level=_LEVELS[_LEVELS.index(level)], parent=None if parent == "-" else parent)
        )
    return {k: tuple(v) for k, v in out.items()}, aliases


def load_prose(root: Path, count_units: tuple[str, ...], people_units: tuple[str, ...]) -> ProsePack:
    """The prose pack under ``root``; counts are stated in ``count_units`` (the one measure-word
    list), which with ``people_units`` replaces ``<units>`` in the arithmetic patterns."""
    path = root / "prose.toml"
    d = structure(read_toml(path), _ProseFile, path)
    units = alternation(count_units + people_units)

    def with_units(p: re.Pattern[str]) -> re.Pattern[str]:
        return re.compile(p.pattern.replace("<units>", units))

    arithmetic = attrs.evolve(
        d.arithmetic,
        share=with_units(d.arithmetic.share),
        part_total=tuple(with_units(p) for p in d.arithmetic.part_total),
    )
    divisions, aliases = _divisions(root / "divisions.tsv")
    return ProsePack(
        clause_breaks=d.clause_breaks,
        count_units=count_units,
        part_words=d.part_words,
        quantities=d.quantity,
        arithmetic=arithmetic,
        place=d.place,
        stale_year=d.stale_year,
        numbering=d.numbering,
        numerals=d.numerals,
        concluded=d.concluded,
        divisions=divisions,
        aliases=aliases,
    )
