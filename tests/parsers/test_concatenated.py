"""Issue 3: reports flattened onto one line with table cells run together (the 平潭 reports).

The splits are recovered from the tables' own identities; rows with more than one split left
are reported (X002) instead of guessed. Numbers pinned against the text of the corpus files.
"""

from __future__ import annotations

import pytest
from conftest import TEXTS

from opengov_lint import lint, parse
from opengov_lint.model import CellKind
from opengov_lint.parsers.cellsplit import splits

DATA = TEXTS


def row_values(report, table, key):
    row = report.table(table).row(key)
    assert row is not None, key
    return [c.value if c.kind is CellKind.NUMBER else c.raw for c in row.cells]


@pytest.fixture(scope="module")
def r098():
    return parse(DATA / "098.txt")


def test_splits_enumerates_without_leading_zeros():
    assert list(splits("100", 2)) == [("10", "0")]
    assert ("80", "1", "0", "0", "0", "0", "81") in list(splits("801000081", 7))
    assert all(not (len(p) > 1 and p[0] == "0") for s in splits("801000081", 7) for p in s)
    # spaces kept by the copy are boundaries
    assert list(splits("23 0", 2)) == [("23", "0")]


def test_098_sections_and_metadata(r098):
    assert [s.key for s in r098.sections] == ["overview", "proactive", "applications", "review_litigation", "problems", "other"]
    assert r098.metadata.report_year == 2023
    assert r098.metadata.publication.date.date.isoformat() == "2024-03-08"
    assert r098.format.version == "gb2021"


def test_098_table3_split_by_identities(r098):
    assert row_values(r098, "table3", "new_received") == [80, 1, 0, 0, 0, 0, 81]
    assert row_values(r098, "table3", "granted") == [22, 0, 0, 0, 0, 0, 22]
    assert row_values(r098, "table3", "partial") == [19, 1, 0, 0, 0, 0, 20]
    assert row_values(r098, "table3", "unable_not_held") == [31, 0, 0, 0, 0, 0, 31]
    assert row_values(r098, "table3", "results_total") == [80, 1, 0, 0, 0, 0, 81]
    assert row_values(r098, "table3", "carried_forward") == [0] * 7


def test_098_table4_one_run_over_three_groups(r098):
    assert row_values(r098, "table4", "review") == [1, 1, 0, 0, 2]
    assert row_values(r098, "table4", "lit_direct") == [4, 0, 0, 1, 5]
    assert row_values(r098, "table4", "lit_after_review") == [1, 0, 1, 0, 2]


def test_098_ambiguous_row_is_reported_not_guessed(r098):
    assert row_values(r098, "table2", "rules") == [0, 0, 0]
    assert all(c.kind is CellKind.MISSING for c in r098.table("table2").row("normative_docs").cells)
    assert row_values(r098, "table2", "licensing") == [2629]
    assert row_values(r098, "table2", "admin_fees") == [5949.088667]
    result = lint(r098)
    x002 = [f for f in result.findings if f.code == "X002"]
    assert len(x002) == 1
    assert "77132470" in x002[0].message_zh and x002[0].severity.value == "warning"
    assert x002[0].location.span is not None and x002[0].location.span.line == 10
    # the unsplit row is not also reported as missing cells; the only other finding is the
    # prose slip 一是…三是…三是 the corpus notes for this report (P005)
    assert result.codes == ["P005", "X002"]


def test_099_two_digit_cells_in_table4():
    r = parse(DATA / "099.txt")
    assert row_values(r, "table4", "review") == [2, 1, 3, 1, 7]
    assert row_values(r, "table4", "lit_direct") == [0, 0, 0, 0, 0]
    assert row_values(r, "table4", "lit_after_review") == [13, 2, 4, 0, 19]
    assert row_values(r, "table3", "new_received") == [217, 1, 0, 0, 0, 0, 218]
    assert row_values(r, "table3", "denied_internal_affairs") == [32, 0, 0, 0, 0, 0, 32]
    assert row_values(r, "table3", "other_other") == [1, 1, 0, 0, 0, 0, 2]


def test_102_chrome_dropped_and_carry_forward():
    r = parse(DATA / "102.txt")
    assert row_values(r, "table3", "new_received") == [64, 0, 0, 2, 0, 4, 70]
    assert row_values(r, "table3", "results_total") == [63, 0, 0, 2, 0, 4, 69]
    assert row_values(r, "table3", "carried_forward") == [1, 0, 0, 0, 0, 0, 1]
    assert row_values(r, "table4", "lit_direct") == [12, 0, 0, 0, 12]
    text = "\n".join(p.text for _, p in r.paragraphs())
    assert "当前位置" not in text and "微信 微博" not in text and "附件下载" not in text


def test_104_spaces_inside_runs_and_2019_table2():
    r = parse(DATA / "104.txt")
    assert r.format.version == "gb2019"
    # "230 000023" and "0 0 0 0 0 00": spaces are boundaries
    assert row_values(r, "table3", "new_received") == [23, 0, 0, 0, 0, 0, 23]
    assert row_values(r, "table3", "other") == [0] * 7
    assert row_values(r, "table3", "carried_forward") == [0] * 7
    # no identity inside table 二 of 2019: every run-together row there is reported
    codes = [f for f in lint(r).findings if f.code == "X002"]
    assert {f.location.path.split("/")[1] for f in codes} >= {"行政许可", "行政处罚", "政府集中采购"}


def test_signed_parts_split_only_where_the_column_is_signed():
    # 2019 table 二, 本年增/减 between 上一年项目数量 and 处理决定数量: 15 | -5 | 2
    assert list(splits("15-52", 3, (), (False, True, False))) == [("15", "-5", "2")]
    assert list(splits("0+413", 3, (), (False, True, False))) == [("0", "+4", "13"), ("0", "+41", "3")]
    assert list(splits("15-52", 3)) == []  # no signed column: a sign is no part of a number


def test_a_search_cut_short_proves_nothing():
    """26 digits in 7 cells: more splits than are examined (MAX_SPLITS). The first one found
    that satisfies the row sum (3|276|8803|2021|3331|13868|28302) is not the row's
    (3276|8803|2021|333|1|13868|28302); the row is left unread with X002, not misread."""
    from opengov_lint import build
    from opengov_lint.model import Report, Section
    from opengov_lint.packs import load_packs
    from opengov_lint.render import render_text

    pack = load_packs().formats["gb2021"]
    over = dict(
        zip(
            ["natural_person", "commercial", "research", "public_welfare", "legal_service", "other_org"],
            [3276, 8803, 2021, 333, 1, 13868],
        )
    )
    t3 = build.table3(pack, {c: {"granted": v} for c, v in over.items()}, over, {})
    report = Report(
        sections=(Section(heading="三、收到和处理政府信息公开申请情况", numeral="三", number=3, key="applications"),),
        tables=(t3,),
    )
    r = parse(render_text(report, "concatenated"))
    assert all(c.kind is CellKind.MISSING for c in r.table("table3").row("carried_over").cells)
    notes = [n for n in r.notes if n.kind == "ambiguous-split" and "二、上年结转" in n.message]
    assert notes and "cannot all be examined" in notes[0].message


def test_a_run_too_long_to_split_is_unread_not_one_number():
    """Table 四's 15 cells run together into more than 40 digits: not split (MAX_DIGITS), and
    the whole run is no value of 行政复议/结果维持 either: every cell unread, with X002."""
    from opengov_lint import build
    from opengov_lint.model import Report, Section
    from opengov_lint.packs import load_packs
    from opengov_lint.render import render_text

    pack = load_packs().formats["gb2021"]
    big = {"maintained": 513, "corrected": 1792, "other": 3488, "pending": 818}
    t4 = build.table4(pack, {"review": big, "lit_direct": big, "lit_after_review": big})
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    r = parse(
        render_text(
            Report(sections=(Section(heading=heading, numeral="四", number=4, key="review_litigation"),), tables=(t4,)),
            "concatenated",
        )
    )
    assert all(c.kind is CellKind.MISSING for row in r.table("table4").rows for c in row.cells)
    assert any(n.kind == "ambiguous-split" and "longer than 40" in n.message for n in r.notes)
