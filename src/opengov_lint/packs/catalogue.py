"""The rule catalogue (``rules/catalogue.toml``): each rule's contract with users, its
documentation and its messages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from attrs import field, frozen
from cattrs.gen import make_dict_structure_fn, override

from ._toml import converter, read_toml, structure
from .formats import Status

__all__ = ["Catalogue", "RuleDoc", "RuleSpec", "load_catalogue"]


@frozen
class RuleDoc:
    what: str
    why: str
    fail_example: str
    pass_example: str
    fix: str
    fix_zh: str = ""  # how to fix it, in Chinese (the annotated page shows it first)


@frozen
class RuleSpec:
    """A rule's entry in the catalogue: its contract with users."""

    code: str
    slug: str
    severity: Literal["error", "warning", "info"]
    citation: str
    basis_status: Status
    summary_zh: str
    summary_en: str
    messages: Mapping[str, tuple[str, str]] = field(factory=dict, hash=False)  # variant → (zh, en)
    doc: RuleDoc | None = None
    category: str = ""
    # Fragments the rule puts into its messages (a "why", a phrase that varies by case): key →
    # text, the English under "KEY_en". Templates like the messages.
    words: Mapping[str, str] = field(factory=dict, hash=False)


@frozen
class Catalogue:
    rules: tuple[RuleSpec, ...]
    # How findings name the places they point to when no heading or cell names them (输入, 正文).
    locations: Mapping[str, str] = field(factory=dict, hash=False)

    def get(self, code: str) -> RuleSpec | None:
        for r in self.rules:
            if r.code == code:
                return r
        return None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.rules)


@frozen
class _Message:
    zh: str
    en: str


@frozen
class _CatalogueFile:
    rule: tuple[RuleSpec, ...] = ()
    locations: Mapping[str, str] = field(factory=dict)


def _messages(value: object, _type: object) -> dict[str, tuple[str, str]]:
    texts = converter.structure(value, dict[str, _Message])
    return {variant: (m.zh, m.en) for variant, m in texts.items()}


# In the file a message is {zh, en} and the examples are `fail` and `pass` (Python keywords).
converter.register_structure_hook(
    RuleDoc,
    make_dict_structure_fn(RuleDoc, converter, fail_example=override(rename="fail"), pass_example=override(rename="pass")),
)
converter.register_structure_hook(RuleSpec, make_dict_structure_fn(RuleSpec, converter, messages=override(struct_hook=_messages)))


def load_catalogue(path: Path) -> Catalogue:
    d = structure(read_toml(path), _CatalogueFile, path)
    return Catalogue(rules=d.rule, locations=d.locations)
