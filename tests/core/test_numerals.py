"""The one numerals helper: Chinese numerals read and written, both ways."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opengov_lint.numerals import digits_value, fold_counts, to_chinese, value, year_to_chinese

READ = {
    "七": 7, "十": 10, "十七": 17, "两": 2, "二十一": 21, "九十九": 99, "一百": 100, "一百零五": 105,
    "两百": 200, "三千二百": 3200, "一千零一": 1001, "一万二千": 12000, "十万": 100000, "一亿": 100_000_000,
    "零": 0, "二〇二三": 2023, "二零二三": 2023, "二○二三": 2023, "2023": 2023, "１２": 12,
}  # fmt: skip
NOT_NUMERALS = ["", "abc", "一二十", "十百", "七件", "两二", "十" * 30]


@pytest.mark.parametrize(("text", "expected"), READ.items())
def test_value_reads_counts_headings_and_years(text: str, expected: int) -> None:
    assert value(text) == expected


@pytest.mark.parametrize("text", NOT_NUMERALS)
def test_value_is_none_for_what_is_not_one_numeral(text: str) -> None:
    assert value(text) is None


@pytest.mark.parametrize(
    ("n", "written"),
    [(0, "零"), (10, "十"), (17, "十七"), (21, "二十一"), (105, "一百零五"), (1010, "一千零一十"), (100005, "十万零五")],
)
def test_to_chinese_writes_as_reports_do(n: int, written: str) -> None:
    assert to_chinese(n) == written


@given(st.integers(min_value=0, max_value=10**12))
def test_to_chinese_and_value_are_inverse(n: int) -> None:
    assert value(to_chinese(n)) == n


def test_years_are_written_and_read_digit_by_digit() -> None:
    assert year_to_chinese(2023) == "二〇二三"
    assert digits_value("二〇二三") == 2023
    assert digits_value("二〇二三年") is None


# ----------------------------------------------------------------------------- counts in prose
UNITS = ("件", "条", "个", "次")


def _fold(text: str) -> str:
    return fold_counts(text, UNITS, not_after="第每统唯", followers=("申请",), breaks=",、。").text


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("共收到申请十七件,均已答复", "共收到申请17件,均已答复"),
        ("受理两件申请", "受理2件申请"),
        ("公开信息一百零五条。", "公开信息105条。"),
        ("不予公开十件", "不予公开10件"),
        ("收到申请3件", "收到申请3件"),
    ],
)
def test_fold_counts_writes_counts_in_numerals_as_digits(text: str, folded: str) -> None:
    assert _fold(text) == folded


@pytest.mark.parametrize("text", ["一件事一次办", "第一次会议", "每一件申请", "统一个标准", "二〇二三年", "零件", "上百件"])
def test_fold_counts_leaves_words_and_years(text: str) -> None:
    assert _fold(text) == text


def test_fold_counts_maps_back_to_the_numerals_written() -> None:
    text = "公开一百零五条,收到十件"
    f = fold_counts(text, UNITS, breaks=",")
    assert f.text == "公开105条,收到10件"
    at, n = f.span(f.text.index("105"), 3)
    assert text[at : at + n] == "一百零五"
    at, n = f.span(f.text.index("10件"), 2)
    assert text[at : at + n] == "十"
    assert f.at(len(f.text)) == len(text)
