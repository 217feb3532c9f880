"""The bundled example and the 上海 2019 report: the core issue's must-shows, pinned."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from conftest import EXAMPLE, TEXTS

from opengov_lint import AgencyKind, Severity, lint, parse
from opengov_lint.cli import main
from opengov_lint.model import CellKind


def test_example_reports_exactly_the_expected_codes():
    result = lint(parse(EXAMPLE))
    assert sorted({f.code for f in result.findings}) == ["C001", "S006", "T002", "W001"]
    assert result.has_errors


def test_example_model_is_read_correctly():
    r = parse(EXAMPLE)
    md = r.metadata
    assert md.title == "晋江市民政局2022年政府信息公开工作年度报告"
    assert md.agency == "晋江市民政局" and md.agency_kind is AgencyKind.DEPARTMENT
    assert md.report_year == 2022
    assert md.period.start.date.isoformat() == "2022-01-01" and md.period.end.date.isoformat() == "2022-12-31"
    assert md.publication.date.date.isoformat() == "2023-01-19" and md.publication.source == "signature"
    assert [s.number for s in r.sections] == [1, 2, 3, 4, 5, 6]
    assert r.format.version == "gb2019"
    t2 = r.table("table2")
    assert t2.layout == "gb2019"
    assert [c.value for c in t2.row("licensing").cells] == [7, 4, 4]
    assert t2.row("normative_docs").cell("new_made").value == 3
    t3 = r.table("table3")
    assert t3.layout == "gb2019" and len(t3.rows) == 23  # 2019: （六） is one row
    assert all(c.value == 0 for _, c in t3.cells())
    assert [w.count for w in r.withholdings] == [40]


def test_example_findings_carry_evidence_and_locations():
    result = lint(parse(EXAMPLE))
    by_code = {f.code: f for f in result.findings}
    c001 = by_code["C001"]
    assert c001.location.span.line == 10 and "中国人民共和国" in c001.evidence.quote
    assert c001.severity is Severity.ERROR and "条例" in c001.citation
    w001 = by_code["W001"]
    assert "不予公开40条" in w001.evidence.quote and w001.location.span.line == 13
    assert {f.location.table for f in result.findings if f.code == "T002"} == {"table2", "table3"}


def test_cli_check_example_exits_1_and_json_matches(capsys):
    assert main(["check", str(EXAMPLE)]) == 1
    text = capsys.readouterr().out
    assert "C001" in text and "misnamed-regulation" in text and "条例名称" in text
    assert main(["check", "--format", "json", str(EXAMPLE)]) == 1
    payload = json.loads(capsys.readouterr().out)
    findings = payload["reports"][0]["findings"]
    assert sorted({f["code"] for f in findings}) == ["C001", "S006", "T002", "W001"]
    for f in findings:
        assert f["location"]["path"] and f["message_zh"] and f["message_en"] and f["fingerprint"]
        assert f["severity"] in ("error", "warning", "info")


def test_python_m_entry_point():
    proc = subprocess.run([sys.executable, "-m", "opengov_lint", "check", str(EXAMPLE)], capture_output=True, text=True)
    assert proc.returncode == 1 and "T002" in proc.stdout


def test_shanghai_2019_blank_cells_are_grouped_and_balance_holds():
    r = parse(TEXTS / "068.txt")
    findings = lint(r).findings
    codes = Counter(f.code for f in findings)
    assert "T101" not in codes and "T102" not in codes and "T103" not in codes
    t004 = [f for f in findings if f.code == "T004"]
    assert 1 <= len(t004) <= 4  # a table full of blanks: a few findings, not one per cell
    blank_cells = {(r.key, c.column) for r, c in r.table("table3").cells() if c.kind is CellKind.BLANK}
    assert len(blank_cells) > 100
    seen: Counter = Counter()
    for f in findings:
        for term in list(f.evidence.cells) + list(f.evidence.left) + list(f.evidence.right):
            if term.raw == "" and term.span is not None:
                seen[(term.span.line, term.span.column)] += 1
    assert seen and max(seen.values()) == 1  # no blank cell in more than one finding
    t3_finding = next(f for f in t004 if f.location.table == "table3")
    assert t3_finding.evidence.details["count"] == str(len(blank_cells))
    assert "0" in t3_finding.evidence.details["treatment"]


def test_shanghai_2019_table_numbers():
    t3 = parse(TEXTS / "068.txt").table("table3")
    assert t3.row("new_received").cell("natural_person").value == 821
    assert t3.row("new_received").cell("total").value == 859
    assert t3.row("results_total").cell("total").value == 805
    assert t3.row("carried_forward").cell("total").value == 72
    assert t3.row("granted").cell("total").kind is CellKind.BLANK
    t2 = parse(TEXTS / "068.txt").table("table2")
    amount = t2.row("central_procurement").cell("procurement_amount")
    assert amount.raw == "251000元" and amount.value == 251000
