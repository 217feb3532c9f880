"""The rule oracle: every catalogue rule fires on its invalid examples (as often, where and with the
message variant each case states) and not on its valid ones. The case format is described at the
top of rule_cases.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from conftest import EXAMPLE, TESTS

from opengov_lint import Finding, parse
from opengov_lint.batch import AgencyAliases
from opengov_lint.checker import Checker
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


def case_id(n: int, case: dict) -> str:
    return f"{case['code']}-{case['expect']}-{case['source'].split(':')[0]}#{n}"


def build_report(case: dict):
    source = case["source"]
    if source.startswith("file:"):  # any input format, read as a file
        return parse(TESTS / source[len("file:") :])
    if source == "oversize":
        return parse(b"x" * (MAX_INPUT_BYTES + 1))
    return parse(build_text(case), source_name=source)


_LINE_COLUMN = re.compile(r"^\d+:\d+$")
_KEYS = ("section", "table", "row", "column")


def _place(f: Finding, form: str | dict) -> str | dict:
    """Where ``f`` points, in the form of an ``at`` entry (line:column, path or keys)."""
    loc = f.location
    if isinstance(form, dict):
        return {k: getattr(loc, k) for k in _KEYS if getattr(loc, k) is not None}
    if _LINE_COLUMN.match(form):
        return str(loc.span) if loc.span is not None else "(no span)"
    return loc.path


def _per_finding(value, count: int, what: str, name: str) -> list:
    if isinstance(value, list):
        assert len(value) == count, f"{name}: {len(value)} {what} entries for count = {count}"
        return value
    assert what == "variant" or count == 1, f"{name}: one {what} for count = {count}; give a list"
    return [value] * count


def _check_fired(name: str, case: dict, findings: list[Finding]) -> None:
    code, count = case["code"], case["count"]
    found = "\n".join(f"  {f.location.path} | {f.location.span} | {f.variant} | {f.message_zh}" for f in findings) or "  (none)"
    assert len(findings) == count, f"{name}: {code} fired {len(findings)} times, the case expects {count}:\n{found}"
    variants = _per_finding(case["variant"], count, "variant", name)
    places = _per_finding(case["at"], count, "at", name)
    for i, (f, variant, at) in enumerate(zip(findings, variants, places)):
        got = _place(f, at)
        if isinstance(at, dict):
            assert got == at, f"{name}: finding {i + 1} of {code} is at {got}, the case expects {at}:\n{found}"
        else:
            assert got == at, f"{name}: finding {i + 1} of {code} is at {got!r}, the case expects {at!r}:\n{found}"
        assert f.variant == variant, (
            f"{name}: finding {i + 1} of {code} uses variant {f.variant!r}, the case expects {variant!r}:\n{found}"
        )


def _param(n: int, case: dict):
    marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=case["bug"])] if "bug" in case else []
    return pytest.param(n, case, id=case_id(n, case), marks=marks)


_CHECKER: list[Checker] = []


def _checker() -> Checker:
    if not _CHECKER:
        _CHECKER.append(Checker())
    return _CHECKER[0]


@pytest.mark.parametrize(("n", "case"), [_param(n, c) for n, c in enumerate(CASES)])
def test_rule_case(n, case):
    name = f"case {case_id(n, case)} ({case['source']})"
    report = build_report(case)
    previous = parse(build_text(case["previous"])) if "previous" in case else None
    # the road of `opengov-lint check REPORT [--previous FILE]`: the rules, then what the checker
    # applies (suppression comments, X007; the --previous check, X008)
    checker = _checker()
    names = checker.packs.regulation.agency_names
    outcome = checker.complete(
        "case",
        checker.lint_alone(report, "case"),
        previous=previous,
        previous_name="previous",
        verify_previous=lambda r, p: AgencyAliases().same(r.metadata.agency, p.metadata.agency, names),
    )
    result = outcome.result
    if case["expect"] == "fire":
        _check_fired(name, case, [f for f in result.findings if f.code == case["code"]])
    else:
        assert case["code"] not in result.codes, f"{name}: {case['code']} fired on a valid example"


def test_every_failing_case_states_count_variant_and_place():
    for n, case in enumerate(CASES):
        keys = {"count", "variant", "at"}
        if case["expect"] == "fire":
            assert keys <= set(case), f"case {case_id(n, case)} lacks {sorted(keys - set(case))}"
        else:
            assert not keys & set(case) and "bug" not in case, f"case {case_id(n, case)}: a clean case states no findings"
        assert case["expect"] in ("fire", "clean"), case_id(n, case)


def test_every_rule_has_valid_and_invalid_examples():
    for spec in load_packs().catalogue.rules:
        if spec.code in ENGINE_ONLY:
            continue
        kinds = {c["expect"] for c in CASES if c["code"] == spec.code}
        assert kinds == {"fire", "clean"}, f"{spec.code} lacks examples: has {kinds}"
