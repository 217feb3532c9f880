"""Support (no tests): synthesised reports for the batch tests: corpus report 070 (沭阳县发展和改革局 2023, read
cleanly by the text parser) and next year's report derived from it with edited numbers."""

from __future__ import annotations

from pathlib import Path

from conftest import TEXTS

BASE = (TEXTS / "070.txt").read_text(encoding="utf-8")

NEW_2023 = "一、本年新收政府信息公开申请数量 | 26 |  |  |  |  |  | 26"
CARRIED_2023 = "二、上年结转政府信息公开申请数量 | 0 |  |  |  |  |  | 0"
STOCK_2023 = "规范性文件 | 8 | 0 | 18"
_O = "一、总体情况\n"
_P = "五、存在的主要问题及整改措施\n"
OVERVIEW_2023 = BASE[BASE.index(_O) + len(_O) : BASE.index("二、主动公开政府信息情况\n第二十条")]
PROBLEMS_2023 = BASE[BASE.index(_P) + len(_P) : BASE.index("六、其他需要报告的事项")]

FRESH_OVERVIEW = (
    "2024年，局机关调整政务公开工作机构，由办公室牵头、各业务科室配合，建立周调度和月通报制度。"
    "围绕项目审批、价格监测和粮食安全三项重点，新建专题栏目五个，首次发布重大项目审批结果清单，"
    "并邀请企业代表参加政策解读座谈会两次，听取意见后修订了公开目录。\n"
)
FRESH_PROBLEMS = (
    "（一）存在的主要问题。部分专题栏目更新间隔较长，价格监测数据发布格式不统一，图解类解读数量偏少。\n"
    "（二）改进情况。制定栏目更新时间表并纳入科室考核；统一价格监测数据发布模板；"
    "联合融媒体中心制作图解和短视频解读，全年计划不少于十期。\n"
)


def next_year(
    text: str = BASE,
    *,
    new: int = 26,
    carried: int = 0,
    stock: tuple[int, int, int] = (2, 0, 20),
    fresh_text: bool = False,
    agency: str | None = None,
    years: int = 1,
) -> str:
    """Report 070 moved ``years`` years on, with the given table values (and new prose)."""
    out = text
    if fresh_text:
        out = out.replace(OVERVIEW_2023, FRESH_OVERVIEW).replace(PROBLEMS_2023, FRESH_PROBLEMS)
    for y in range(2026, 2022, -1):  # shift every year, latest first
        out = out.replace(str(y), str(y + years))
    out = out.replace(NEW_2023, f"一、本年新收政府信息公开申请数量 | {new} |  |  |  |  |  | {new}")
    out = out.replace(CARRIED_2023, f"二、上年结转政府信息公开申请数量 | {carried} |  |  |  |  |  | {carried}")
    out = out.replace(STOCK_2023, "规范性文件 | {} | {} | {}".format(*stock))
    if agency is not None:
        out = out.replace("沭阳县发展和改革局", agency)
    return out


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    p = directory / name
    p.write_text(text, encoding="utf-8")
    return p


# Five corpus reports that batch mode reads cleanly: 070 (沭阳县发改局 2023) and the 平潭 summary
# reports 098/099/102/104 (2023, 2024, 2021, 2019: only 2023 → 2024 are consecutive).
BATCH_REPORTS = ("070.txt", "098.txt", "099.txt", "102.txt", "104.txt")


def batch_corpus(directory: Path) -> Path:
    """A directory holding the five batch reports (copies made for the test, not kept)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in BATCH_REPORTS:
        (directory / name).write_bytes((TEXTS / name).read_bytes())
    return directory
