"""Batch mode: directories, pairing across years, T105–T107, processes, cache."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from _reports import BASE, PROBLEMS_2023, batch_corpus, next_year, write
from conftest import TEXTS

from opengov_lint import InputError, lint, parse
from opengov_lint.batch import AgencyAliases, BatchStats, Progress, discover, run_batch
from opengov_lint.checker import Checker, CheckOptions
from opengov_lint.checks.crossyear import _comparable_text, text_similarity
from opengov_lint.cli import main
from opengov_lint.outputs import render
from opengov_lint.outputs.base import display_path
from opengov_lint.packs import load_packs

ROOT = Path(__file__).resolve().parents[2]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys, *argv: str) -> tuple[int, dict]:
    code, out, err = run_cli(capsys, "check", *argv, "--format", "json", "--no-cache")
    return code, json.loads(out)


def by_name(doc: dict) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in doc["reports"]}


def codes(entry: dict, prefix: str = "") -> list[str]:
    return [f["code"] for f in entry["findings"] if f["code"].startswith(prefix)]


@pytest.fixture
def pair_dir(tmp_path: Path) -> Path:
    """2023 (corpus 070) and a 2024 report whose carry-over disagrees (1 vs 0), in subfolders."""
    d = tmp_path / "reports"
    write(d / "2023", "shuyang-fgj-2023.txt", BASE)
    write(d / "2024", "shuyang-fgj-2024.txt", next_year(new=25, carried=1, fresh_text=True))
    return d


# ---------------------------------------------------------------- discovery and JSON output


def test_discover_walks_sorted_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    write(tmp_path / "b", "2.txt", "2023年政府信息公开工作年度报告")
    write(tmp_path / "a", "1.json", '{"metadata": {}}')
    write(tmp_path / "a", "0.xlsx", "x")  # a type no reader knows
    write(tmp_path / ".git", "x.txt", "x")
    write(tmp_path, ".hidden.txt", "x")
    d = discover([tmp_path])
    assert [Path(p).relative_to(tmp_path).as_posix() for p, _ in d.files] == ["a/1.json", "b/2.txt"]
    assert [p.name for p in d.skipped] == ["0.xlsx"]
    assert d.has_directory
    with pytest.raises(InputError, match="no such file or directory"):
        discover([tmp_path / "missing"])


def test_json_over_directory_gives_every_path_with_findings(capsys, tmp_path) -> None:
    corpus = batch_corpus(tmp_path / "corpus")
    code, doc = check_json(capsys, str(corpus))
    files = sorted(str(p) for p in corpus.glob("*.txt"))
    assert [r["path"] for r in doc["reports"]] == files
    for r in doc["reports"]:
        assert isinstance(r["findings"], list) and r["findings"], r["path"]
        assert set(r["summary"]) == {"error", "warning", "info"}
    assert doc["batch"]["files"] == len(files)
    # 070 has warnings only; the 平潭 reports' tables are read (their cells split by the table's
    # sums) and balance: warnings (X002 for one ambiguous row, P005) but no error
    assert code == 0


def test_single_file_unchanged(capsys) -> None:
    code, out, _ = run_cli(capsys, "check", str(ROOT / "examples" / "jinjiang-minzheng-2022.txt"), "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert sorted({f["code"] for f in doc["reports"][0]["findings"]}) == ["C001", "S006", "T002", "W001"]
    assert doc["reports"][0]["previous"] is None


# ---------------------------------------------------------------- pairing and T105


def test_pairing_reports_t105_where_carry_over_disagrees(capsys, pair_dir: Path) -> None:
    code, doc = check_json(capsys, str(pair_dir))
    got = by_name(doc)
    old, new = got["shuyang-fgj-2023.txt"], got["shuyang-fgj-2024.txt"]
    assert old["previous"] is None and codes(old, "T10") == []
    assert new["previous"] == str(pair_dir / "2023" / "shuyang-fgj-2023.txt")
    t105 = [f for f in new["findings"] if f["code"] == "T105"]
    assert sorted(f["location"]["column"] for f in t105) == ["natural_person", "total"]
    ev = t105[0]["evidence"]
    assert (ev["reported"], ev["computed"], ev["difference"]) == (1, 0, 1)
    assert doc["batch"]["pairs"] == 1
    assert code == 0  # T105 is a warning


def test_pairing_no_t105_where_carry_over_agrees(capsys, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BASE)
    write(tmp_path, "b.txt", next_year(fresh_text=True))
    _, doc = check_json(capsys, str(tmp_path))
    new = by_name(doc)["b.txt"]
    assert new["previous"] == str(tmp_path / "a.txt")
    assert codes(new, "T10") == []  # carried 0 = forward 0, stock 18 + 2 − 0 = 20, fresh prose


def test_no_pairing_across_a_gap_or_between_duplicates(capsys, tmp_path: Path) -> None:
    write(tmp_path / "gap", "2023.txt", BASE)
    write(tmp_path / "gap", "2025.txt", next_year(carried=1, new=25, years=2))
    _, doc = check_json(capsys, str(tmp_path / "gap"))
    assert all(r["previous"] is None for r in doc["reports"])
    assert doc["batch"]["pairs"] == 0

    write(tmp_path / "dup", "2023.txt", BASE)
    write(tmp_path / "dup", "2023-copy.txt", BASE)
    write(tmp_path / "dup", "2024.txt", next_year(carried=1, new=25))
    _, doc = check_json(capsys, str(tmp_path / "dup"))
    assert all(r["previous"] is None for r in doc["reports"])
    assert doc["batch"]["ambiguous"] == 1
    assert all(codes(r, "T105") == [] for r in doc["reports"])


def test_agency_alias_file_pairs_renamed_agency(capsys, tmp_path: Path) -> None:
    d = tmp_path / "r"
    write(d, "old.txt", BASE)
    write(d, "new.txt", next_year(carried=1, new=25, agency="沭阳县发展改革局"))
    _, doc = check_json(capsys, str(d))
    assert by_name(doc)["new.txt"]["previous"] is None
    amap = write(tmp_path, "agencies.toml", '[aliases]\n"沭阳县发展和改革局" = "沭阳县发展改革局"\n')
    _, doc = check_json(capsys, str(d), "--agency-map", str(amap))
    assert by_name(doc)["new.txt"]["previous"] == str(d / "old.txt")
    assert "T105" in codes(by_name(doc)["new.txt"])


def test_agency_alias_chains_and_bad_files(capsys, tmp_path: Path) -> None:
    p = write(tmp_path, "a.toml", '[aliases]\n"甲 局" = "乙局"\n"乙局" = "丙局"\n')
    assert AgencyAliases.load(p).canonical("甲局") == "丙局"
    bad = write(tmp_path, "bad.toml", "[aliases]\nx = 1\n")
    code, out, err = run_cli(capsys, "check", str(TEXTS / "070.txt"), "--agency-map", str(bad))
    assert code == 2 and out == "" and err.count("\n") == 1 and "[aliases]" in err
    code, _, err = run_cli(capsys, "check", str(TEXTS / "070.txt"), "--agency-map", str(tmp_path / "none.toml"))
    assert code == 2 and "no such agency alias file" in err


def test_previous_option_still_compares_every_report_with_it(capsys, tmp_path: Path) -> None:
    prev = write(tmp_path, "prev.txt", BASE)
    now = write(tmp_path / "now", "now.txt", next_year(carried=1, new=25))
    code, doc = check_json(capsys, str(now), "--previous", str(prev))
    assert codes(doc["reports"][0], "T105") == ["T105", "T105"]
    assert doc["reports"][0]["previous"] == str(prev)


def test_no_pair_option(capsys, pair_dir: Path) -> None:
    _, doc = check_json(capsys, str(pair_dir), "--no-pair")
    assert all(r["previous"] is None for r in doc["reports"])
    assert all(codes(r, "T105") == [] for r in doc["reports"])


def test_select_applies_to_cross_year_rules(capsys, pair_dir: Path) -> None:
    _, doc = check_json(capsys, str(pair_dir), "--select", "T105")
    assert codes(by_name(doc)["shuyang-fgj-2024.txt"]) == ["T105", "T105"]
    _, doc = check_json(capsys, str(pair_dir), "--ignore", "T105")
    assert codes(by_name(doc)["shuyang-fgj-2024.txt"], "T105") == []


# 平潭 (corpus 098/099/102/104): years 2023, 2024, 2021, 2019; only 2023 → 2024 are consecutive.


def test_pingtan_reports_are_paired_by_year(capsys, tmp_path) -> None:
    corpus = batch_corpus(tmp_path / "corpus")
    _, doc = check_json(capsys, str(corpus))
    got = by_name(doc)
    assert got["099.txt"]["previous"] == str(corpus / "098.txt")
    assert got["098.txt"]["previous"] is None  # no 2022 report
    assert got["102.txt"]["previous"] is None and got["104.txt"]["previous"] is None
    assert codes(got["099.txt"], "T105") == []  # 2024 carried 0 = 2023 carried forward 0


def test_pingtan_t105_where_carry_over_disagrees(capsys, tmp_path: Path) -> None:
    d = tmp_path / "pt"
    d.mkdir()
    shutil.copy(TEXTS / "098.txt", d / "2023.txt")
    text = (TEXTS / "099.txt").read_text(encoding="utf-8")
    # 2024: carried over 0 → 3 in the 自然人 column (the row reads 二、上年结转政府信息公开申请数量0000000)
    import re

    edited, n = re.subn(r"(二、上年结转政府信息公开申请数量\s*)0(0{5})0", r"\g<1>3\g<2>3", text)
    assert n == 1
    write(d, "2024.txt", edited)
    _, doc = check_json(capsys, str(d))
    t105 = [f for f in by_name(doc)["2024.txt"]["findings"] if f["code"] == "T105"]
    assert t105 and t105[0]["evidence"]["reported"] == 3 and t105[0]["evidence"]["computed"] == 0


# ---------------------------------------------------------------- T106 regulation stock


def test_t106_stock_disagrees_info_with_evidence() -> None:
    prev = parse(BASE)
    now = parse(next_year(stock=(3, 1, 25), fresh_text=True))
    f = [f for f in lint(now, previous=prev).findings if f.code == "T106"]
    assert len(f) == 1
    f = f[0]
    assert f.severity.value == "info" and f.location.row == "normative_docs" and f.location.column == "in_force"
    assert (f.evidence.computed, f.evidence.reported, f.evidence.difference) == (20, 25, 5)
    assert [t.value for t in f.evidence.left] == [18, 3, -1]
    assert "18 + 本年制发 3 − 本年废止 1 应为 20" in f.message_zh


def test_t106_silent_when_stock_agrees_or_not_numbers_or_no_previous() -> None:
    prev = parse(BASE)
    assert not [f for f in lint(parse(next_year(stock=(3, 1, 20))), previous=prev).findings if f.code == "T106"]
    blank = next_year().replace("规范性文件 | 2 | 0 | 20", "规范性文件 | 2 | 0 | 无")
    assert not [f for f in lint(parse(blank), previous=prev).findings if f.code == "T106"]
    assert not [f for f in lint(parse(next_year(stock=(3, 1, 25)))).findings if f.code == "T106"]
    # not the year before: nothing (T105 says so itself)
    assert not [f for f in lint(parse(next_year(stock=(3, 1, 25), years=2)), previous=prev).findings if f.code == "T106"]


# ---------------------------------------------------------------- T107 copied text


def test_t107_identical_sections_reported_with_similarity() -> None:
    prev = parse(BASE)
    found = [f for f in lint(parse(next_year()), previous=prev).findings if f.code == "T107"]
    assert sorted(f.location.section for f in found) == [1, 5]
    for f in found:
        assert f.severity.value == "warning"
        assert f.evidence.details["similarity"] == "1.0000"
        assert "除数字外完全相同" in f.message_zh
        assert f.evidence.quote


def test_t107_nearly_the_same_section() -> None:
    prev = parse(BASE)
    # one sentence of section 五 changed: still nearly the same
    text = next_year(fresh_text=False).replace("政民互动栏目网民留言回复效率有待提高；", "政策解读形式较为单一；")
    found = {f.location.section: f for f in lint(parse(text), previous=prev).findings if f.code == "T107"}
    assert 5 in found
    sim = float(found[5].evidence.details["similarity"])
    assert 0.85 <= sim < 1.0
    assert f"{sim * 100:.1f}%" in found[5].message_zh and "相似度" in found[5].message_zh


def test_t107_silent_for_fresh_text_and_short_sections() -> None:
    prev = parse(BASE)
    assert not [f for f in lint(parse(next_year(fresh_text=True)), previous=prev).findings if f.code == "T107"]
    a, b = _comparable_text("无。"), _comparable_text("无")
    assert a == b == "无"  # identical, but far under the 60-character minimum
    short = BASE.replace(PROBLEMS_2023, "无。\n")
    short_prev, short_now = parse(short), parse(next_year(short))
    found = [f for f in lint(short_now, previous=short_prev).findings if f.code == "T107"]
    assert [f.location.section for f in found] == [1]


def test_text_similarity_properties() -> None:
    a = _comparable_text("2023年，我局共发布信息249条，其中政策解读9条。")
    b = _comparable_text("2024年，我局共发布信息312条，其中政策解读11条。")
    assert a == b  # numbers and punctuation do not count
    assert text_similarity("甲乙丙丁戊", "甲乙丙丁戊") == 1.0
    assert text_similarity("甲乙丙丁戊", "子丑寅卯辰") == 0.0
    x, y = "信息公开意识有待加强平台建设有待提升", "信息公开意识有待加强队伍建设需要加强"
    assert text_similarity(x, y) == text_similarity(y, x)
    assert 0.0 < text_similarity(x, y) < 1.0


# ---------------------------------------------------------------- processes, cache, errors


def _many(tmp_path: Path, n_pairs: int) -> Path:
    d = tmp_path / "many"
    for i in range(n_pairs):
        agency = f"沭阳县第{i}局"
        write(d, f"{i:03d}-2023.txt", BASE.replace("沭阳县发展和改革局", agency))
        write(d, f"{i:03d}-2024.txt", next_year(carried=i % 2, new=26 - i % 2, agency=agency, fresh_text=True))
    return d


def test_jobs_2_gives_the_same_output_as_one_process(capsys, tmp_path: Path) -> None:
    d = _many(tmp_path, 12)
    _, one = check_json(capsys, str(d))
    _, two = check_json(capsys, str(d), "--jobs", "2")
    assert one == two
    assert one["batch"]["pairs"] == 12
    t105 = {Path(r["path"]).name for r in one["reports"] if "T105" in codes(r)}
    assert t105 == {f"{i:03d}-2024.txt" for i in range(12) if i % 2}


def test_cache_makes_rerun_hit_and_keys_on_content_and_options(tmp_path: Path) -> None:
    d = _many(tmp_path, 3)
    cache = tmp_path / "cache"

    def run(**kw) -> tuple[list, BatchStats]:
        stats: list[BatchStats] = []
        items = [
            (i.path, [f.fingerprint for f in i.result.findings], i.previous)
            for i in run_batch([d], cache_dir=cache, stats_out=stats, **kw)
        ]
        return items, stats[0]

    first, s1 = run()
    assert (s1.cache_hits, s1.cache_misses) == (0, 6)
    second, s2 = run()
    assert (s2.cache_hits, s2.cache_misses) == (6, 0)
    assert first == second
    (d / "000-2024.txt").write_text(next_year(carried=5, new=21, agency="沭阳县第0局"), encoding="utf-8")
    third, s3 = run()
    assert (s3.cache_hits, s3.cache_misses) == (5, 1)
    assert third != first
    _, s4 = run(checker=Checker(CheckOptions(ignore=("T004",))))
    assert s4.cache_hits == 0


def test_unwritable_cache_warns_and_goes_on(capsys, tmp_path: Path) -> None:
    blocker = write(tmp_path, "not-a-dir", "x")
    code, out, err = run_cli(capsys, "check", str(TEXTS / "070.txt"), "--cache-dir", str(blocker / "sub"), "--format", "json")
    assert "cache" in err and "disabled" in err
    assert json.loads(out)["reports"][0]["path"] == display_path(str(TEXTS / "070.txt"))


def test_bad_file_in_directory_is_x005_and_batch_goes_on(capsys, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BASE)
    write(tmp_path, "broken.json", '{"metadata": {"title": 1}, "sections": 7}')  # a report model, damaged
    code, doc = check_json(capsys, str(tmp_path))
    got = by_name(doc)
    assert codes(got["broken.json"]) == ["X005"]
    assert "broken.json" in got["broken.json"]["findings"][0]["message_en"]
    assert "M001" in codes(got["a.txt"])
    assert code == 1
    # named explicitly, the same file is a usage error with one line on stderr
    code, out, err = run_cli(capsys, "check", str(tmp_path / "broken.json"))
    assert code == 2 and out == "" and err.count("\n") == 1


def test_explicit_unsupported_type_is_still_an_input_error(capsys, tmp_path: Path) -> None:
    p = write(tmp_path, "r.doc", "报告")  # legacy Word: named explicitly, a one-line error
    code, _, err = run_cli(capsys, "check", str(p))
    assert code == 2 and "not supported" in err


def test_directory_with_unsupported_files_says_what_it_skipped(capsys, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BASE)
    write(tmp_path, "b.xlsx", "x")
    code, out, err = run_cli(capsys, "check", str(tmp_path), "--no-cache")
    assert "skipped 1 files" in err and ".xlsx 1" in err
    assert str(tmp_path / "a.txt") in out


def test_text_output_names_the_previous_report(capsys, pair_dir: Path) -> None:
    code, out, err = run_cli(capsys, "check", str(pair_dir), "--no-cache")
    assert f"compared with: {pair_dir / '2023' / 'shuyang-fgj-2023.txt'}" in out
    assert "T105" in out
    assert "2 reports, 1 paired" in err


def test_progress_bar_only_on_a_terminal(capsys, pair_dir: Path) -> None:
    buf = io.StringIO()
    bar = Progress(10, enabled=True, stream=buf)
    for _ in range(10):
        bar.advance()
    bar.close()
    assert "10/10" in buf.getvalue()
    quiet = io.StringIO()
    Progress(10, stream=quiet).advance()  # StringIO is not a terminal
    assert quiet.getvalue() == ""
    run_cli(capsys, "check", str(pair_dir), "--no-cache")  # stderr captured: not a terminal
    _, err = capsys.readouterr()
    assert "checking [" not in err


def test_directory_without_reports_is_an_input_error(capsys, tmp_path: Path) -> None:
    write(tmp_path, "notes.xlsx", "x")
    write(tmp_path, "README.md", "# notes\n")
    code, out, err = run_cli(capsys, "check", str(tmp_path), "--no-cache")
    assert code == 2 and out == ""
    # one line: the error, saying what was skipped
    assert err.count("\n") == 1 and "no report files" in err and ".xlsx 1" in err and "README.md" in err


def test_corrupt_cache_file_warns_and_goes_on(capsys, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "results-v2.sqlite3").write_bytes(b"not a database" * 400)
    code, out, err = run_cli(capsys, "check", str(TEXTS / "070.txt"), "--cache-dir", str(cache), "--format", "json")
    assert "disabled" in err and err.count("\n") == 1
    assert code == 0 and json.loads(out)["reports"][0]["findings"]


def test_streamed_output_equals_the_one_document_rendering(capsys, tmp_path) -> None:
    """check writes every format through one writer a report at a time (memory stays flat); the
    bytes are those of rendering every outcome at once."""
    corpus = batch_corpus(tmp_path / "corpus")
    example = str(ROOT / "examples" / "jinjiang-minzheng-2022.txt")
    for fmt in ("text", "json", "jsonl", "sarif", "github", "junit", "gitlab"):
        argv = ["check", str(corpus), example, "--format", fmt, "--no-cache", "--isolated"]
        code, out, _ = run_cli(capsys, *argv)
        stats: list[BatchStats] = []
        outcomes = list(run_batch([corpus, example], checker=Checker(), stats_out=stats))
        s = stats[0]
        batch = {
            "files": s.files,
            "skipped_files": s.skipped,
            "pairs": s.pairs,
            "ambiguous": s.ambiguous,
            "cache_hits": s.cache_hits,
        }
        assert code == 1
        assert out == render(outcomes, fmt, packs=load_packs(), batch=batch), fmt


def test_two_cities_districts_of_one_name_are_not_paired(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BASE.replace("沭阳县发展和改革局", "北京市朝阳区人民政府"))
    write(tmp_path, "b.txt", next_year(agency="长春市朝阳区人民政府", fresh_text=True))
    outcomes = list(run_batch([tmp_path], checker=Checker(), progress=False))
    assert all(o.previous is None for o in outcomes)


def test_a_name_with_the_city_in_front_pairs_with_the_name_without(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BASE.replace("沭阳县发展和改革局", "宿迁市沭阳县发展和改革局"))
    write(tmp_path, "b.txt", next_year(fresh_text=True))
    outcomes = {Path(o.path).name: o for o in run_batch([tmp_path], checker=Checker(), progress=False)}
    assert outcomes["b.txt"].previous == str(tmp_path / "a.txt")
