"""The agency a report is read as: from its title, its signature, its page metadata or the sentence
of its preamble that presents it — never from the page around it (a site's 全文检索 button) — checked
against the hand-made index of the shared texts (../shared/corpus/index.tsv); and reports of one
agency paired across years when their names differ only by the divisions in front."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import SHARED, shared_file

from opengov_lint import parse
from opengov_lint.batch import AgencyAliases, run_batch
from opengov_lint.checker import Checker
from opengov_lint.parsers.interpret import _names_an_agency

# The end of an agency's name a title or signature may leave out (西山区 for 西山区人民政府).
_OMITTED_ENDS = ("", "人民政府", "办事处", "街道办事处", "管委会", "管理委员会")
_DIVISION_END = re.compile(r"[省市县区旗盟州]$")

# Shared texts whose agency is not read as the index names it, and why. None: the excerpt names
# its agency nowhere the reader looks (no title with it, no signature, no page metadata, no
# presenting sentence), and the parser says it does not know rather than guess.
EXCEPTIONS: dict[str, str | None] = {
    "003.txt": None,  # starts at 一、; the body says 我局
    "009.txt": None,  # 引言 without the agency's name
    "031.txt": None,  # no title; the name is first in the overview's sentence
    "035.txt": None,  # the title is 2023年政府信息公开工作年度报告, without the agency
    "041.txt": None,
    "049.txt": None,
    "051.txt": None,
    "065.txt": None,
    "067.txt": None,  # the index says the name does not appear
    "075.txt": None,
    "095.txt": None,
    "097.txt": None,
    "033.txt": "区统计局",  # the report names itself so (现公布区统计局2023年…); the index does not know which 区
    "059.txt": "高新区(新市区)",  # the title names it without 乌鲁木齐; the site's 全文检索 above it is chrome
    "071.txt": "西藏自治区政府国资委",  # the title's abbreviation of 人民政府国有资产监督管理委员会
    "077.txt": "广州海关关区",  # as the title writes it
    "091.txt": "国家卫生健康委",  # the title's abbreviation of 委员会
}


def _index() -> list[dict[str, str]]:
    path = shared_file("index.tsv")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _bare(name: str) -> str:
    """The index's name without its trailing note in brackets (…(汇总全区), …(黔东南州))."""
    return re.sub(r"\s*\([^()]*\)$", "", name)


def same_agency(read: str, expected: str) -> bool:
    """``read`` names ``expected``'s agency: the same name, or it with divisions in front dropped
    (路北区住房和城乡建设局) or added (阿拉善盟额济纳旗…), or with its government's ending left out."""
    e = _bare(expected)
    for end in _OMITTED_ENDS:
        whole = read + end
        if e == whole:
            return True
        if e.endswith(whole) and _DIVISION_END.search(e[: -len(whole)]):
            return True
        if whole.endswith(e) and _DIVISION_END.search(whole[: -len(e)]):
            return True
    return False


@pytest.mark.parametrize("row", _index() if (SHARED / "index.tsv").is_file() else [], ids=lambda r: r["file"])
def test_shared_text_agency_matches_the_index(row: dict[str, str]) -> None:
    agency = parse(shared_file(f"text/{row['file']}")).metadata.agency
    if row["file"] in EXCEPTIONS:
        assert agency == EXCEPTIONS[row["file"]], (
            f"{row['file']}: read {agency!r}; the exception says {EXCEPTIONS[row['file']]!r}"
        )
        return
    assert agency is not None and same_agency(agency, row["agency"]), (
        f"{row['file']}: read {agency!r}, the index says {row['agency']!r}"
    )


def test_the_comparison_of_names_is_not_loose() -> None:
    assert same_agency("路北区住房和城乡建设局", "唐山市路北区住房和城乡建设局")
    assert same_agency("西山区", "昆明市西山区人民政府")
    assert not same_agency("洪泽区人民政府", "淮安市人民政府")
    assert not same_agency("全文检索", "乌鲁木齐高新区(新市区)人民政府")


def test_page_chrome_is_never_an_agency(packs) -> None:
    text = "站群导航\n\n全文检索\n\n2022年某某区政府信息公开工作年度报告\n\n一、总体情况\n2022年，本区依法公开政府信息。\n"
    assert parse(text).metadata.agency == "某某区"
    assert not _names_an_agency(packs, "全文检索")
    assert _names_an_agency(packs, "路北区住房和城乡建设局")


def test_agency_from_the_presenting_sentence() -> None:
    text = "根据《中华人民共和国政府信息公开条例》要求，现公布兴仁市人民政府2022年政府信息公开工作年度报告。\n一、总体情况\n2022年，本市依法公开政府信息。\n"
    assert parse(text).metadata.agency == "兴仁市人民政府"


def test_names_that_differ_by_the_city_are_one_agency(packs) -> None:
    names = packs.regulation.agency_names
    same = AgencyAliases().same
    assert same("淮安市洪泽区人民政府", "洪泽区人民政府", names)
    assert same("江苏省淮安市洪泽区人民政府", "洪泽区人民政府", names)
    assert not same("淮安市人民政府", "洪泽区人民政府", names)
    assert not same("北京市朝阳区人民政府", "长春市朝阳区人民政府", names)  # two prefixes: two agencies
    assert not same("国家税务总局广州市白云区税务局", "市白云区税务局", names)


def test_hongze_pdfs_pair_across_years_without_an_agency_map(tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    d = tmp_path / "pdf"
    d.mkdir()
    for name in ("hongze-2023.pdf", "hongze-2024.pdf"):
        (d / name).write_bytes(shared_file(f"pdf/{name}").read_bytes())
    agencies = {parse(p).metadata.agency for p in d.iterdir()}
    assert agencies == {"洪泽区人民政府", "淮安市洪泽区人民政府"}  # the two years name it differently
    outcomes = {Path(o.path).name: o for o in run_batch([d], checker=Checker(), progress=False)}
    assert outcomes["hongze-2024.pdf"].previous == str(d / "hongze-2023.pdf")
    assert outcomes["hongze-2023.pdf"].previous is None
