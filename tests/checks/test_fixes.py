"""Safe fixes set by the rules: C001 (the regulation's exact name), S003 (the canonical heading),
M001 (the format's title where its parts are known), D006 on a period bound whose form only is
wrong. A fix changes wording, never a number in a table; where the parts are not known, there is
no fix rather than a guess."""

from __future__ import annotations

import pytest

from opengov_lint import lint, parse

NAME = "中华人民共和国政府信息公开条例"
BODY = """一、总体情况
2024年，我局认真做好政府信息公开工作。
二、主动公开政府信息情况
全年主动公开政府信息120条。
"""


def _fixes(text: str, code: str) -> list:
    return [f.fix for f in lint(parse(text)).findings if f.code == code]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("《中国人民共和国政府信息公开条例》", f"《{NAME}》"),
        ("《中华人民共和国政府信息公开条例（试行）》", f"《{NAME}》"),
        ("《关于施行〈中国人民共和国政府信息公开条例〉的通知》", f"〈{NAME}〉"),
    ],
)
def test_c001_fix_is_the_exact_name_in_the_brackets_written(written, expected):
    text = f"某某县民政局2024年政府信息公开工作年度报告\n\n一、总体情况\n我局按照{written}要求开展工作。\n"
    (fix,) = _fixes(text, "C001")
    assert fix.new == expected and fix.old in written and fix.old != fix.new
    line = text.split("\n")[fix.span.line - 1]
    assert line[fix.span.column - 1 : fix.span.end_column] == fix.old


@pytest.mark.parametrize(
    ("heading", "old", "new"),
    [
        ("二、主动公开政府信息", "主动公开政府信息", "主动公开政府信息情况"),
        ("## 二、主动公开的政府信息情况", "主动公开的政府信息情况", "主动公开政府信息情况"),
        ("第二部分 主动公开政府信息", "主动公开政府信息", "主动公开政府信息情况"),
    ],
)
def test_s003_fix_replaces_the_words_and_keeps_the_numbering(heading, old, new):
    text = f"某某县民政局2024年政府信息公开工作年度报告\n\n一、总体情况\n2024年，我局认真做好工作。\n{heading}\n全年主动公开政府信息120条。\n"
    fixes = _fixes(text, "S003")
    assert [(f.old, f.new) for f in fixes] == [(old, new)]
    line = text.split("\n")[fixes[0].span.line - 1]
    assert line[fixes[0].span.column - 1 : fixes[0].span.end_column] == old


def test_m001_fix_is_the_format_title_when_agency_and_year_are_stated():
    (fix,) = _fixes("某某县民政局关于2024年度政府信息公开情况的报告\n\n" + BODY, "M001")
    assert (fix.old, fix.new) == ("某某县民政局关于2024年度政府信息公开情况的报告", "某某县民政局2024年政府信息公开工作年度报告")


def test_m001_fix_takes_the_agency_from_the_signature():
    (fix,) = _fixes("2024年政府信息公开工作年度报告\n\n" + BODY + "\n某某县民政局\n2025年1月20日\n", "M001")
    assert fix.new == "某某县民政局2024年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "title",
    [
        "某某县民政局政府信息公开工作报告",  # no year in the title: the body's 2024年 is a guess
        "某某县民政局2023年至2024年政府信息公开情况",  # two years: which is right is not the fix's to say
        "关于政府信息公开工作的报告",  # no agency anywhere
    ],
)
def test_m001_has_no_fix_when_a_part_is_not_known(title):
    fixes = _fixes(title + "\n\n" + BODY, "M001")
    assert fixes and fixes == [None]


@pytest.mark.parametrize(
    ("period", "old", "new"),
    [
        ("20241月1日至12月31日", "20241月1日", "2024年1月1日"),
        ("2024年1月1日至202412月31日", "202412月31日", "2024年12月31日"),
        ("2024年1月1日至20241231日", "20241231日", "2024年12月31日"),
    ],
)
def test_d006_fix_writes_a_period_bound_whose_form_only_is_wrong(period, old, new):
    text = f"某某县民政局2024年政府信息公开工作年度报告\n\n本报告统计期限为{period}。\n\n" + BODY
    fixes = [f for f in _fixes(text, "D006") if f is not None]
    assert [(f.old, f.new) for f in fixes] == [(old, new)]


@pytest.mark.parametrize(
    "period",
    [
        "20241月2日至12月31日",  # not 1 January: the date itself may be wrong, not only its form
        "20231月1日至2023年12月31日",  # another year than the title's
    ],
)
def test_d006_has_no_fix_when_the_meaning_is_not_certain(period):
    text = f"某某县民政局2024年政府信息公开工作年度报告\n\n本报告统计期限为{period}。\n\n" + BODY
    assert _fixes(text, "D006") == [None]


def test_d006_outside_the_period_has_no_fix():
    text = "某某县民政局2024年政府信息公开工作年度报告\n\n本报告统计期限为2024年1月1日至12月31日。\n\n一、总体情况\n20241月5日召开会议。\n"
    assert _fixes(text, "D006") == [None]


@pytest.mark.parametrize(
    "heading_and_text",
    [
        "三、收到和处理政\n府信息公开申请情况\n本年度收到申请5件。",  # a heading broken across two lines
        "二、主动公开政府信",  # an excerpt cut after the heading
        "二、“法定主动公开内容”:发布规章0件",  # a line taken for the heading, far from its words
    ],
)
def test_s003_has_no_fix_for_a_heading_that_may_be_cut_or_is_not_one(heading_and_text):
    text = f"某某县民政局2024年政府信息公开工作年度报告\n\n一、总体情况\n2024年，我局认真做好工作。\n{heading_and_text}\n"
    fixes = _fixes(text, "S003")
    assert fixes and all(f is None for f in fixes)
