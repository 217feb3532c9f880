"""The rule oracle: every catalogue rule fires on its invalid examples and not on its valid ones."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from conftest import EXAMPLE, TESTS

from opengov_lint import lint, parse
from opengov_lint.packs import load_packs
from opengov_lint.parsers import MAX_INPUT_BYTES

CASES = tomllib.loads((Path(__file__).with_name("rule_cases.toml")).read_text(encoding="utf-8"))["case"]
# X900 is the engine's own code (a crashing rule; tests/checks/test_engine.py covers it); X005 is batch
# mode's, for a file it cannot read at all (tests/app/test_batch.py covers it).
ENGINE_ONLY = {"X900", "X005"}


def build_text(case: dict) -> str:
    source = case["source"]
    if source.startswith("inline:"):
        text = source[len("inline:") :]
    elif source == "example":
        text = EXAMPLE.read_text(encoding="utf-8")
    else:
        text = (TESTS / source).read_text(encoding="utf-8")
    for old, new in case.get("replace", []):
        if case.get("regex"):
            text, n = re.subn(old, new, text)
        else:
            n = text.count(old)
            text = text.replace(old, new)
        assert n, f"replacement {old!r} did not apply to {source}"
    return text


def case_id(case: dict) -> str:
    return f"{case['code']}-{case['expect']}-{case['source'].split(':')[0]}"


def build_report(case: dict):
    source = case["source"]
    if source.startswith("file:"):  # any input format, read as a file
        return parse(TESTS / source[len("file:") :])
    if source == "oversize":
        return parse(b"x" * (MAX_INPUT_BYTES + 1))
    return parse(build_text(case), source_name=source)


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_rule_case(case):
    report = build_report(case)
    previous = parse(build_text(case["previous"])) if "previous" in case else None
    codes = {f.code for f in lint(report, previous=previous).findings}
    if case["expect"] == "fire":
        assert case["code"] in codes, f"{case['code']} did not fire; findings: {sorted(codes)}"
    else:
        assert case["code"] not in codes, f"{case['code']} fired on a valid example"


def test_every_rule_has_valid_and_invalid_examples():
    for spec in load_packs().catalogue.rules:
        if spec.code in ENGINE_ONLY:
            continue
        kinds = {c["expect"] for c in CASES if c["code"] == spec.code}
        assert kinds == {"fire", "clean"}, f"{spec.code} lacks examples: has {kinds}"
