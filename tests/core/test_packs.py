"""Rule packs are structured into typed classes at load; a bad pack fails there, naming the
file, the key and the reason."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from opengov_lint.errors import PackError
from opengov_lint.packs import FormatPack, Packs, load_packs, packs_dir
from opengov_lint.packs.regulation import Regulation

RULES = packs_dir()


def test_every_pack_is_typed() -> None:
    packs = load_packs()
    assert isinstance(packs, Packs) and isinstance(packs.regulation, Regulation)
    assert all(isinstance(p, FormatPack) for p in packs.formats.values())
    assert packs.regulation.deadlines["government"].by == "03-31"
    assert all(isinstance(c, re.Pattern) for q in packs.prose.quantities for c in q.cues)
    assert isinstance(packs.inputs.title.tail_pattern, re.Pattern)
    assert packs.inputs.limits.max_input_bytes == 20 * 1024 * 1024
    assert packs.vocabulary.heading_re is not None and packs.vocabulary.table_label_keys


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    return root


def _break(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (file, text replaced, replacement, key named, reason in the message)
BROKEN = [
    (
        "formats/gb2021.toml",
        "first_report_year = 2021",
        'first_report_year = "2021"',
        "first_report_year",
        "expected int, got '2021'",
    ),
    (
        "formats/gb2021.toml",
        'status = "verified"\nsections_status',
        'statuz = "verified"\nsections_status',
        "(top level)",
        "extra fields found (statuz)",
    ),
    ("formats/gb2021.toml", 'kind = "group" },', 'kind = "grupo" },', "tables['table3'].rows", "grupo"),
    ("formats/pre2019.toml", 'strength = "strong"', 'strength = "loud"', "legacy_markers[0].strength", "loud"),
    ("catalogue.toml", 'severity = "error"', 'severity = "fatal"', "rule[0].severity", "fatal"),
    ("catalogue.toml", "[rule.doc]", "[rule.docs]", "rule[0]", "extra fields found (docs)"),
    ("regulation.toml", 'by = "03-31"', "by = 331", "deadlines['government'].by", "expected str"),
    ("regulation.toml", 'kind = "other"', 'kind = "agency"', "agency_kinds[0].kind", "agency"),
    ("regulation.toml", "copied_text_ngram = 3", 'copied_text_ngram = "3"', "crossyear.copied_text_ngram", "expected int"),
    ("prose.toml", "cues = ['新收到?'", "cues = ['新收到('", "quantity[0].cues[0]", "bad regular expression"),
    ("prose.toml", "[numbering]", "[numbring]", "numbering", "required field missing"),
    ("inputs.toml", "max_pdf_pages = 200", "max_pdf_pages = 2.5", "limits.max_pdf_pages", "expected int"),
    ("inputs.toml", "tail_pattern = '(?:关于)?", "tail_pattern = '(?:关于?", "title.tail_pattern", "bad regular expression"),
    ("divisions.tsv", "北京市\tprovince\t-", "北京市\tcapital\t-", "line ", "expected name<TAB>level<TAB>parent"),
]


@pytest.mark.parametrize(("name", "old", "new", "key", "reason"), BROKEN, ids=[f"{b[0]}:{b[3]}" for b in BROKEN])
def test_a_bad_pack_fails_at_load_with_file_key_and_reason(
    tmp_path: Path, name: str, old: str, new: str, key: str, reason: str
) -> None:
    root = _copy(tmp_path)
    _break(root, name, old, new)
    with pytest.raises(PackError) as info:
        load_packs(root)
    message = str(info.value)
    assert str(root / name) in message and key in message and reason in message, message


def test_a_missing_pack_file_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "inputs.toml").unlink()
    with pytest.raises(PackError, match="inputs.toml"):
        load_packs(root)


def test_invalid_toml_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _break(root, "regulation.toml", "[regulation]", "[regulation")
    with pytest.raises(PackError, match=r"regulation\.toml: not valid TOML"):
        load_packs(root)
