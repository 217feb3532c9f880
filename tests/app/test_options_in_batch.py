"""Every option reaches every report checked inside a directory: each option, set on the command
line over a directory, changes the findings of a report in it, and they are the findings the
Python API gives for that report alone (with last year's report as ``previous`` when it is paired).
"""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import attrs
import pytest
from _reports import BASE, next_year, write

from opengov_lint.checker import Checker, check_path
from opengov_lint.cli import _config_from_args, build_parser, main
from opengov_lint.engine import LintContext, Rule
from opengov_lint.findings import Evidence, Finding, Location
from opengov_lint.model import Report
from opengov_lint.packs import load_packs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "jinjiang-minzheng-2022.txt"


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A pair of one agency's reports (2023 → 2024, carry-over and document stock disagreeing) in
    a subfolder, the bundled example, and the example's text saved under an .html name."""
    d = tmp_path / "reports"
    write(d / "fgj", "2023.txt", BASE)
    write(d / "fgj", "2024.txt", next_year(carried=1, new=25, stock=(3, 1, 25)))
    shutil.copy(EXAMPLE, d / "jinjiang-minzheng-2022.txt")
    shutil.copy(EXAMPLE, d / "saved-as.html")
    return d


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, list[tuple[str, str, str]]]]:
    code = main(["check", *argv, "--format", "json", "--no-cache", "--isolated", "--exit-zero"])
    out, _err = capsys.readouterr()
    doc = json.loads(out)
    return code, {Path(r["path"]).name: _rows(r["findings"]) for r in doc["reports"]}


def _rows(findings: Iterable[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(f["code"], f["severity"], f["fingerprint"]) for f in findings]


def _api(directory: Path, argv: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Each report alone through the Python API, under the configuration the flags give."""
    args = build_parser().parse_args(["check", str(directory), *argv, "--isolated"])
    config = _config_from_args(args)
    out = {}
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            previous = directory / "fgj" / "2023.txt" if p.name == "2024.txt" else None
            o = check_path(p, config, previous=previous, input_format=args.input_format)
            out[p.name] = [(f.code, f.severity.value, f.fingerprint) for f in o.findings]
    return out


# (what the option is, flags every run of the case has, the option's flags, the report it changes)
CASES = [
    ("select", [], ["--select", "T1,C"], "2024.txt"),
    ("ignore", [], ["--ignore", "T105"], "2024.txt"),
    ("severity", [], ["--severity", "T105=error"], "2024.txt"),
    ("per-path-ignores", [], ["--per-path-ignores", "*/fgj/2024.*:T106"], "2024.txt"),
    ("agency-kind", [], ["--agency-kind", "township"], "2024.txt"),
    ("township-deadline", ["--agency-kind", "township"], ["--township-deadline", "01-15"], "jinjiang-minzheng-2022.txt"),
    ("format-version", [], ["--format-version", "gb2019"], "jinjiang-minzheng-2022.txt"),
    ("input-format", [], ["--input-format", "text"], "saved-as.html"),
]


@pytest.mark.parametrize(("name", "base", "option", "changed"), CASES, ids=[c[0] for c in CASES])
def test_option_takes_effect_on_a_report_inside_a_directory(
    capsys, reports: Path, name: str, base: list[str], option: list[str], changed: str
) -> None:
    _, without = _cli(capsys, str(reports), *base)
    _, with_option = _cli(capsys, str(reports), *base, *option)
    assert with_option[changed] != without[changed], f"{name} changed nothing in {changed}"
    assert with_option == _api(reports, [*base, *option])


def test_baseline_reaches_a_report_inside_a_directory(capsys, reports: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    main(["check", str(reports / "fgj"), "--no-cache", "--isolated", "--write-baseline", str(baseline)])
    capsys.readouterr()
    _, found = _cli(capsys, str(reports), "--baseline", str(baseline))
    assert found["2024.txt"] == found["2023.txt"] == [] and found["jinjiang-minzheng-2022.txt"]
    assert found == _api(reports, ["--baseline", str(baseline)])


def test_output_options_reach_every_report_of_a_directory(capsys, reports: Path) -> None:
    def run(*argv: str) -> tuple[int, str]:
        code = main(["check", str(reports / "fgj"), "--no-cache", "--isolated", *argv])
        return code, capsys.readouterr()[0]

    assert run()[0] == 0  # the pair has warnings and infos only
    assert run("--fail-on", "warning")[0] == 1
    assert run("--fail-on", "warning", "--exit-zero")[0] == 0
    code, text = run("--lang", "en", "--select", "T105")
    assert "carried over 1, but the 2023 report" in text and "结转下年度继续办理" not in text
    code, out = run("--format", "jsonl", "--select", "T105")
    assert [json.loads(line)["code"] for line in out.splitlines()] == ["T105", "T105"]


class _Probe(Rule):
    """Says, as a finding, what the context of a rule holds (the options that reach it)."""

    def check(self, report: Report, context: LintContext) -> Iterable[Finding]:
        seen = f"{context.township_deadline} {context.format_override} {report.metadata.agency_kind.value} {context.previous is not None}"
        yield self.finding(Location(), Evidence(details={"seen": seen}), discriminator=seen, seen=seen)


class _CrossProbe(_Probe):
    cross_year = True


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_both_stages_get_every_option(capsys, monkeypatch, reports: Path, jobs: str) -> None:
    """A rule that needs only the report (run in pass one, in worker processes with --jobs 2) and
    a cross-year rule (run in pass two, over the pairs) see the same options."""
    spec = load_packs().catalogue.get("T107")
    assert spec is not None
    probes = [
        _Probe(attrs.evolve(spec, code="Z998", slug="probe", messages={"default": ("{seen}", "{seen}")})),
        _CrossProbe(attrs.evolve(spec, code="Z999", slug="cross-probe", messages={"default": ("{seen}", "{seen}")})),
    ]
    check_module = importlib.import_module("opengov_lint.checker")  # the package's `check` is the function
    real = check_module.all_rules
    for module in (check_module, importlib.import_module("opengov_lint.config")):  # the checker's rules and the known codes
        monkeypatch.setattr(module, "all_rules", lambda packs: [*real(packs), *probes])
    assert {r.spec.code for r in Checker()._rules} >= {"Z998", "Z999"}
    code = main(["check", str(reports), "--jobs", jobs, "--no-cache", "--isolated", "--exit-zero", "--format", "jsonl", "--select", "Z9",
                 "--township-deadline", "02-01", "--format-version", "gb2019", "--agency-kind", "township"])  # fmt: skip
    out, _ = capsys.readouterr()
    seen = {(Path(d["path"]).name, d["code"], d["message_en"]) for d in map(json.loads, out.splitlines())}
    assert code == 0
    assert ("2024.txt", "Z999", "02-01 gb2019 township True") in seen  # pass two, with last year's report
    assert ("2024.txt", "Z998", "02-01 gb2019 township False") in seen  # pass one
    assert all(m.startswith("02-01 gb2019 township") for _, _, m in seen)
