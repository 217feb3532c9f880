"""Every real report of the corpus parses and lints without an exception or an internal error,
and the defects the corpus notes name are found where the core rules cover them."""

from __future__ import annotations

import pytest
from conftest import TEXTS

from opengov_lint import lint, parse

CORPUS = sorted(TEXTS.glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_parses_and_lints_cleanly(path):
    result = lint(parse(path))
    assert "X900" not in {f.code for f in result.findings}
    for f in result.findings:
        assert f.message_zh and f.message_en and f.fingerprint


# file → codes the corpus notes call for (by eye, verified in the text)
NOTED = {
    "011.txt": {"D001"},  # 2020年1月1日至12月21日
    "015.txt": {"T002"},  # 2019 table 二 in a 2021 report
    "019.txt": {"T002"},
    "023.txt": {"S002"},  # 1、总体情况
    "033.txt": {"S007"},  # 六部分 declared, five listed
    "035.txt": {"M001", "T003"},  # no agency in title; 规范性文件
    "045.txt": {"L001"},  # 2016 report
    "049.txt": {"S004"},  # empty sections
    "061.txt": {"D006"},  # 20241月1日
    "068.txt": {"T004"},  # blank cells
    "070.txt": {"M001", "T003", "S003"},
    "087.txt": {"D006"},
    "089.txt": {"C001"},  # 条例(试行)
}


@pytest.mark.parametrize("name", sorted(NOTED))
def test_noted_defects_are_found(name):
    codes = {f.code for f in lint(parse(TEXTS / name)).findings}
    assert NOTED[name] <= codes, f"missing {NOTED[name] - codes}"


def test_no_identity_errors_on_reports_noted_as_balanced():
    # 068 balances per column (859+18 = 805+72), 070 (26 = 26).
    for name in ("068.txt", "070.txt"):
        codes = {f.code for f in lint(parse(TEXTS / name)).findings}
        assert not codes & {"T101", "T102", "T103", "T104"}, name
