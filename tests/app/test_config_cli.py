"""Configuration files and flags, the exit contract, baselines, the Python API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import TEXTS

from opengov_lint import InputError
from opengov_lint.baseline import Baseline, BaselineError
from opengov_lint.checker import check_bytes, check_path, check_text, exit_code
from opengov_lint.cli import main
from opengov_lint.config import Config, ConfigError, find_config_file, load_config

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "integration"
EXAMPLE = ROOT / "examples" / "jinjiang-minzheng-2022.txt"


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder with the altered report (T101-T103 errors, T004 warnings) and the clean-at-error one."""
    shutil.copy(DATA / "shanghai-2019-altered.txt", tmp_path / "bad.txt")
    shutil.copy(TEXTS / "068.txt", tmp_path / "ok.txt")
    (tmp_path / "archive").mkdir()
    shutil.copy(DATA / "shanghai-2019-altered.txt", tmp_path / "archive" / "old.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def codes_of(out: str) -> list[tuple[str, str, str]]:
    return [(json.loads(x)["path"], json.loads(x)["code"], json.loads(x)["severity"]) for x in out.splitlines()]


PYPROJECT = """
[project]
name = "reports"

[tool.opengov-lint]
select = ["T1", "T004"]
ignore = ["T105"]
severity = { T004 = "info", T103 = "warning" }
per-path-ignores = { "archive/*.txt" = ["T102"] }
agency-kind = "department"
township-deadline = "03-31"
format-version = "gb2019"
lang = "en"
output-format = "jsonl"
fail-on = "warning"
"""
FLAGS = [
    "--isolated",
    "--select", "T1,T004",
    "--ignore", "T105",
    "--severity", "T004=info",
    "--severity", "T103=warning",
    "--per-path-ignores", "archive/*.txt:T102",
    "--agency-kind", "department",
    "--township-deadline", "03-31",
    "--format-version", "gb2019",
    "--lang", "en",
    "--format", "jsonl",
    "--fail-on", "warning",
]  # fmt: skip


@pytest.mark.parametrize("output_format", ["jsonl", "text", "sarif"])
def test_config_file_and_flags_give_identical_output(work, capsys, output_format):
    (work / "pyproject.toml").write_text(PYPROJECT.replace('"jsonl"', f'"{output_format}"'), encoding="utf-8")
    flags = [x if x != "jsonl" else output_format for x in FLAGS]
    by_file = run(capsys, "check", "bad.txt", "ok.txt", "archive/old.txt")
    by_flags = run(capsys, "check", "bad.txt", "ok.txt", "archive/old.txt", *flags)
    assert by_file == by_flags
    assert by_file[0] == 1 and by_file[1]


def test_config_effects(work, capsys):
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    code, out, _ = run(capsys, "check", "bad.txt", "archive/old.txt")
    found = codes_of(out)
    assert ("bad.txt", "T102", "error") in found  # not ignored here
    assert ("archive/old.txt", "T102", "error") not in found  # per-path ignore
    assert ("bad.txt", "T103", "warning") in found  # severity override
    assert {s for _, c, s in found if c == "T004"} == {"info"}
    assert all(c.startswith("T1") or c == "T004" for _, c, _ in found)  # select
    # messages in English only
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in json.loads(x)["message_en"][:5]) for x in out.splitlines())


def test_opengov_lint_toml_and_sources(work, capsys):
    (work / "opengov-lint.toml").write_text('fail-on = "info"\nselect = ["T004"]\n', encoding="utf-8")
    sub = work / "sub"
    sub.mkdir()
    assert find_config_file(sub) == work / "opengov-lint.toml"
    code, out, _ = run(capsys, "config", "--lang", "zh", "--json")
    data = json.loads(out)
    assert data["values"]["fail-on"] == "info" and data["values"]["lang"] == "zh"
    assert data["sources"]["fail-on"] == f"{work / 'opengov-lint.toml'}"
    assert data["sources"]["lang"] == "command line"
    assert data["sources"]["ignore"] == "default"
    code, out, _ = run(capsys, "config")
    assert code == 0 and "fail-on" in out and "opengov-lint.toml" in out
    # fail-on info from the file: T004 warnings now fail the clean-at-error report
    assert run(capsys, "check", "ok.txt")[0] == 1
    assert run(capsys, "check", "ok.txt", "--fail-on", "error")[0] == 0


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('selct = ["T1"]', "unknown configuration key 'selct'"),
        ('fail_on = "error"', "did you mean 'fail-on'?"),
        ('select = ["T1O1"]', "did you mean 'T101'?"),
        ('ignore = ["Z9"]', "unknown rule code 'Z9'"),
        ('severity = { T101 = "eror" }', "did you mean 'error'?"),
        ('lang = "cn"', "unknown language 'cn'"),
        ('format-version = "gb2020"', "unknown format version 'gb2020'"),
        ('township-deadline = "02-29"', "is not a day of the year"),
        ('township-deadline = "March 31"', "MM-DD"),
        ('agency-kind = "township "', "unknown agency kind"),
        ('output-format = "sarif2"', "did you mean 'sarif'?"),
        ('exit-zero = "yes"', "expected true or false"),
        ("select = [", "invalid TOML"),
    ],
)
def test_bad_configuration_is_a_one_line_error(work, capsys, toml, message):
    (work / "opengov-lint.toml").write_text(toml + "\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "ok.txt")
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("opengov-lint: error:")


def test_unknown_code_on_the_command_line(work, capsys):
    code, _, err = run(capsys, "check", "ok.txt", "--isolated", "--severity", "T1O3=info")
    assert code == 2 and "did you mean 'T103'?" in err


def test_pyproject_without_our_table_is_not_a_config(work, capsys):
    (work / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config_file(work) != work / "pyproject.toml"


@pytest.mark.parametrize(
    ("path", "argv", "expected"),
    [
        ("bad.txt", [], 1),
        ("ok.txt", [], 0),  # warnings only
        ("ok.txt", ["--fail-on", "warning"], 1),
        ("ok.txt", ["--fail-on", "info"], 1),
        ("ok.txt", ["--select", "T004", "--severity", "T004=info", "--fail-on", "warning"], 0),
        ("ok.txt", ["--select", "T004", "--severity", "T004=info", "--fail-on", "info"], 1),
        ("bad.txt", ["--exit-zero"], 0),
        ("bad.txt", ["--fail-on", "bogus"], 2),
        ("missing.txt", [], 2),
        ("bad.txt", ["--select", "Q"], 2),
    ],
)
def test_exit_contract(work, capsys, path, argv, expected):
    assert run(capsys, "check", path, "--isolated", *argv)[0] == expected


def test_example_still_reports_the_core_codes(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, "check", "examples/jinjiang-minzheng-2022.txt", "--isolated", "--format", "jsonl")
    assert code == 1 and sorted({c for _, c, _ in codes_of(out)}) == ["C001", "S006", "T002", "W001"]


def test_format_version_override(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = run(
        capsys, "check", "examples/jinjiang-minzheng-2022.txt", "--isolated", "--format", "jsonl", "--format-version", "gb2019"
    )
    assert "T002" not in {c for _, c, _ in codes_of(out)}  # checked against the 2019 layout it follows


def test_township_deadline(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    base = ["check", "examples/jinjiang-minzheng-2022.txt", "--isolated", "--format", "jsonl", "--agency-kind", "township"]
    assert "D003" not in {c for _, c, _ in codes_of(run(capsys, *base)[1])}  # no deadline set by default
    assert "D003" in {c for _, c, _ in codes_of(run(capsys, *base, "--township-deadline", "01-15")[1])}
    assert "D003" not in {c for _, c, _ in codes_of(run(capsys, *base, "--township-deadline", "03-31")[1])}


# ------------------------------------------------------------------------------------ baseline
def test_baseline_roundtrip(work, capsys):
    SEL = ["--select", "T1,T004"]  # published codes only: rules added later do not change the counts
    code, out, err = run(
        capsys, "check", "bad.txt", "--isolated", *SEL, "--write-baseline", "bl.json", "--justification", "已发布，更正说明见网站"
    )
    assert code == 0 and out == "" and "bl.json" in err
    data = json.loads((work / "bl.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and len(data["entries"]) == 5
    assert {e["justification"] for e in data["entries"]} == {"已发布，更正说明见网站"}
    assert {e["path"] for e in data["entries"]} == {"bad.txt"}
    # nothing new: passes, says what it accepted
    code, out, _ = run(capsys, "check", "bad.txt", "--isolated", *SEL, "--baseline", "bl.json")
    assert code == 0 and "基线已接受 5 项" in out
    # fix one cell, break another: the fixed ones are listed as gone, the new one reported
    text = (work / "bad.txt").read_text(encoding="utf-8")
    (work / "bad.txt").write_text(
        text.replace("（七）总计 | 776 | 35 |  |  | 2 | 1 | 805", "（七）总计 | 767 | 35 |  |  | 2 | 1 | 806"), encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", "bad.txt", "--isolated", *SEL, "--baseline", "bl.json", "--format", "json")
    assert code == 1
    rep = json.loads(out)["reports"][0]
    assert [(f["code"], f["location"]["path"]) for f in rep["findings"]] == [("T101", "三/（七）总计/总计")]
    assert {(a["code"]) for a in rep["baseline"]["absent"]} == {"T101", "T102"}
    # rewriting keeps the recorded justification of entries that still occur
    run(capsys, "check", "bad.txt", "--isolated", *SEL, "--write-baseline", "bl.json")
    again = json.loads((work / "bl.json").read_text(encoding="utf-8"))["entries"]
    kept = {e["fingerprint"]: e["justification"] for e in again}
    assert sum(1 for j in kept.values() if j == "已发布，更正说明见网站") == 3 and "" in kept.values()


def test_baseline_from_config_file_is_relative_to_it(work, capsys):
    run(capsys, "check", "bad.txt", "--isolated", "--write-baseline", "bl.json")
    (work / "opengov-lint.toml").write_text('baseline = "bl.json"\n', encoding="utf-8")
    sub = work / "archive"
    import os

    os.chdir(sub)
    assert run(capsys, "check", "../bad.txt")[0] == 0


@pytest.mark.parametrize(
    "content", ["not json", "{}", '{"schema_version": 9, "entries": []}', '{"schema_version": 1, "entries": [{"path": 1}]}']
)
def test_bad_baseline_is_an_input_error(work, capsys, content):
    (work / "bl.json").write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "check", "bad.txt", "--isolated", "--baseline", "bl.json")
    assert code == 2 and err.count("\n") == 1 and "bl.json" in err
    with pytest.raises(BaselineError):
        Baseline.load(work / "bl.json")


def test_inputs_are_not_modified(work, capsys):
    before = (work / "bad.txt").read_bytes()
    run(capsys, "check", "bad.txt", "--isolated", "--write-baseline", "bl.json")
    run(capsys, "check", "bad.txt", "--isolated", "--baseline", "bl.json", "--format", "sarif")
    assert (work / "bad.txt").read_bytes() == before


# ------------------------------------------------------------------------------------ API
def test_api_path_text_bytes_agree(work):
    cfg = load_config(isolated=True, overrides={"select": ["T1"], "severity": {"T103": "warning"}})
    by_path = check_path(Path("bad.txt"), cfg)
    text = (work / "bad.txt").read_text(encoding="utf-8")
    by_text = check_text(text, cfg, name="bad.txt")
    by_bytes = check_bytes(text.encode("gb18030"), cfg, name="bad.txt")
    fps = [f.fingerprint for f in by_path.findings]
    assert fps == [f.fingerprint for f in by_text.findings] == [f.fingerprint for f in by_bytes.findings]
    assert [f.code for f in by_path.findings] == ["T101", "T102", "T103"]
    assert by_path.fails("error") and not Config().exit_zero
    assert exit_code([by_path], cfg) == 1
    assert exit_code([by_path], Config.from_mapping({"exit-zero": True})) == 0


def test_api_errors():
    with pytest.raises(ConfigError, match="did you mean 'fail-on'"):
        Config.from_mapping({"failon": "error"})
    with pytest.raises(InputError):
        check_path(Path("/nonexistent/report.txt"))
    with pytest.raises(InputError):
        check_text(b"bytes are not text")  # type: ignore[arg-type]


def test_check_dispatches_on_type(work):
    from opengov_lint import check

    text = (work / "bad.txt").read_text(encoding="utf-8")
    cfg = Config.from_mapping({"select": ["T101"]})
    assert [f.code for f in check(Path("bad.txt"), cfg).findings] == ["T101"]
    assert [f.code for f in check(text, cfg, name="bad.txt").findings] == ["T101"]
    assert [f.code for f in check(text.encode("utf-8"), cfg, name="bad.txt").findings] == ["T101"]
    with pytest.raises(InputError):
        check(12345, cfg)  # type: ignore[arg-type]


def test_per_path_glob_without_slash_matches_the_file_name(work, capsys):
    _, out, _ = run(
        capsys,
        "check",
        "archive/old.txt",
        "bad.txt",
        "--isolated",
        "--select",
        "T1",
        "--per-path-ignores",
        "old.*:T1",
        "--format",
        "jsonl",
    )
    assert {p for p, _, _ in codes_of(out)} == {"bad.txt"}


def test_clean_selection_prints_nothing_in_jsonl_and_exits_zero(work, capsys):
    code, out, _ = run(capsys, "check", "ok.txt", "--isolated", "--select", "T1", "--format", "jsonl")
    assert code == 0 and out == ""


def test_lang_zh_text_has_no_english_messages(work, capsys):
    _, out, _ = run(capsys, "check", "bad.txt", "--isolated", "--select", "T101", "--lang", "zh")
    assert "列不平衡" in out and "does not balance" not in out
