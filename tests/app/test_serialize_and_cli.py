from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from conftest import DATA, EXAMPLE, ROOT, TEXTS

from opengov_lint import InputError, lint, parse
from opengov_lint.cli import main
from opengov_lint.outputs.docs import rules_reference
from opengov_lint.serialize import report_from_json, report_to_json

SAMPLES = [EXAMPLE, DATA / "clean-2023.txt", *sorted(TEXTS.glob("*.txt"))]


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_json_round_trip_is_exact(path):
    report = parse(path)
    again = report_from_json(report_to_json(report))
    assert again == report
    assert report_to_json(again) == report_to_json(report)


def test_json_input_through_parse_and_cli(tmp_path, capsys):
    js = tmp_path / "r.json"
    js.write_text(report_to_json(parse(EXAMPLE)), encoding="utf-8")
    assert parse(js) == attrs.evolve(parse(EXAMPLE), source_name=str(EXAMPLE))
    assert main(["check", str(js)]) == 1


def test_bad_json_is_an_input_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"metadata": {"title": 3}}', encoding="utf-8")
    with pytest.raises(InputError):
        parse(bad)
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_exit_codes_and_one_line_errors(tmp_path, capsys):
    assert main(["check", str(DATA / "clean-2023.txt")]) == 0
    assert main(["check", str(tmp_path / "missing.txt")]) == 2
    assert main(["check", "--select", "NOPE", str(EXAMPLE)]) == 2
    assert main(["check"]) == 2
    assert main(["bogus"]) == 2
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and all(line.startswith("opengov-lint: error:") for line in err.splitlines())


def test_unreadable_inputs_are_findings_not_tracebacks(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 10)
    for path in (empty, junk):
        before = path.read_bytes()
        assert main(["check", "--format", "json", str(path)]) == 1
        out = json.loads(capsys.readouterr().out)
        assert [f["code"] for f in out["reports"][0]["findings"]] == ["X001"]
        assert path.read_bytes() == before  # inputs are never modified


def test_gb18030_input_is_decoded(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    assert parse(p).metadata.title == parse(EXAMPLE).metadata.title


def test_rules_rule_and_parse_commands(capsys):
    assert main(["rules"]) == 0
    assert "T101" in capsys.readouterr().out
    assert main(["rule", "t101"]) == 0
    out = capsys.readouterr().out
    assert "application-balance" in out and "How to fix" in out
    assert main(["rule", "Z000"]) == 2
    capsys.readouterr()
    assert main(["parse", str(EXAMPLE)]) == 0
    model = json.loads(capsys.readouterr().out)
    assert model["metadata"]["agency"] == "晋江市民政局" and model["schema_version"] == 2


def test_agency_kind_override(capsys):
    r = parse(EXAMPLE, agency_kind="government")
    assert r.metadata.agency_kind.value == "government" and r.metadata.agency_kind_source == "caller"
    with pytest.raises(InputError):
        parse(EXAMPLE, agency_kind="ministry")


def test_rule_reference_in_docs_is_up_to_date():
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert doc == rules_reference(), "docs/rules.md is stale: run python scripts/gen_docs.py"


def test_str_source_is_text_not_a_path():
    r = parse(str(Path("examples/nothing.txt")))
    assert r.metadata.title is None


def test_utf16_and_cr_line_endings_are_read(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    utf16 = tmp_path / "notepad.txt"
    utf16.write_bytes(text.encode("utf-16"))  # with BOM, as Notepad's "Unicode" saves it
    cr = tmp_path / "mac.txt"
    cr.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    expected = sorted({f.code for f in lint(parse(EXAMPLE)).findings})
    for path in (utf16, cr):
        report = parse(path)
        assert report.metadata.title == "晋江市民政局2022年政府信息公开工作年度报告"
        assert sorted({f.code for f in lint(report).findings}) == expected


def test_titles_as_pages_copy_them():
    cases = {
        "007.txt": ("路北区住房和城乡建设局2022年政府信息公开工作年度报告", "department"),  # split over two lines
        "061.txt": ("木塔乡人民政府2024年政府信息公开工作年度报告", "township"),  # behind a breadcrumb
        "071.txt": ("西藏自治区政府国资委2023年度信息公开工作报告", "department"),  # 标      题 label
        "001.txt": ("2022年上海市政府信息公开工作年度报告", "government"),  # a bare place name
    }
    for name, (title, kind) in cases.items():
        md = parse(TEXTS / name).metadata
        assert (md.title, md.agency_kind.value) == (title, kind), name
