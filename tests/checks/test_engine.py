from __future__ import annotations

import pytest
from conftest import EXAMPLE, TEXTS

from opengov_lint import Rule, lint, parse
from opengov_lint.checks.base import BUILTIN
from opengov_lint.engine import RuleSelectionError, all_rules
from opengov_lint.packs import RuleSpec


class Crashing(Rule):
    code = "Z999"
    spec = RuleSpec(
        code="Z999",
        slug="crashes",
        severity="error",
        citation="-",
        basis_status="verified",
        summary_zh="崩溃",
        summary_en="crashes",
        messages={"default": ("崩溃", "crash")},
    )

    def check(self, report, context):
        raise ValueError("boom")


def test_a_crashing_rule_gives_an_internal_error_finding():
    report = parse(EXAMPLE)
    result = lint(report, rules=[*all_rules(), Crashing()])
    crash = [f for f in result.findings if f.code == "X900"]
    assert len(crash) == 1 and "Z999" in crash[0].message_zh and "boom" in crash[0].message_en
    assert result.has_errors


def test_third_party_rule_runs_through_the_engine():
    class Finds(Crashing):
        def check(self, report, context):
            yield self.finding(__import__("opengov_lint").Location(path="x"))

    codes = {f.code for f in lint(parse(EXAMPLE), rules=[Finds()]).findings}
    assert codes == {"Z999"}


def test_select_and_ignore_by_code_and_prefix():
    report = parse(EXAMPLE)
    assert {f.code for f in lint(report, select=["T"]).findings} == {"T002"}
    assert {f.code for f in lint(report, ignore=["T", "C001"]).findings} == {"W001", "S006"}
    with pytest.raises(RuleSelectionError):
        lint(report, select=["Q123"])


def test_findings_sorted_by_location():
    findings = lint(parse(EXAMPLE)).findings
    lines = [f.location.span.line for f in findings if f.location.span]
    assert lines == sorted(lines)


def test_fingerprints_do_not_depend_on_line_numbers():
    text = EXAMPLE.read_text(encoding="utf-8")
    a = {f.fingerprint for f in lint(parse(text)).findings}
    shifted = text.replace("\n\n本报告系按照", "\n\n\n\n本报告系按照", 1)
    b = {f.fingerprint for f in lint(parse(shifted)).findings}
    assert a == b and len(a) == 5


def test_lint_is_deterministic():
    report = parse(TEXTS / "068.txt")
    assert lint(report).findings == lint(report).findings


def test_catalogue_and_implementations_agree(packs):
    all_rules(packs)
    assert set(BUILTIN) == set(packs.catalogue.codes)
    for spec in packs.catalogue.rules:
        assert spec.severity in ("error", "warning", "info")
        assert spec.doc is not None and spec.doc.fail_example and spec.doc.pass_example
        if spec.basis_status == "unverified":
            assert spec.severity != "error", f"{spec.code} is built on an unverified fact"


def test_entry_point_plugins_are_discovered(tmp_path, monkeypatch):
    """A third-party package registering a rule under the entry-point group opengov_lint.rules."""
    (tmp_path / "my_rules.py").write_text(
        "from opengov_lint import Rule, Location\n"
        "from opengov_lint.packs import RuleSpec\n"
        "class LongTitle(Rule):\n"
        "    code = 'Z100'\n"
        "    spec = RuleSpec(code='Z100', slug='long-title', severity='info', citation='local rule', basis_status='verified',\n"
        "                    summary_zh='标题过长', summary_en='long title', messages={'default': ('标题过长', 'long title')})\n"
        "    def check(self, report, context):\n"
        "        if report.metadata.title and len(report.metadata.title) > 10:\n"
        "            yield self.finding(Location(path='标题'))\n",
        encoding="utf-8",
    )
    dist = tmp_path / "my_rules-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: my-rules\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[opengov_lint.rules]\nlong-title = my_rules:LongTitle\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    rules = all_rules()
    assert "Z100" in [r.spec.code for r in rules]
    assert "Z100" in {f.code for f in lint(parse(EXAMPLE), rules=rules).findings}
