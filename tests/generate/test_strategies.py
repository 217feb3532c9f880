"""The Hypothesis strategies: building blocks, valid reports, reports broken on one rule.

Profiles: derandomised and bounded by default (CI); ``OPENGOV_LINT_HYPOTHESIS_PROFILE=long``
runs many more examples locally.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import opengov_lint  # noqa: E402
from opengov_lint import AgencyKind, Severity, lint  # noqa: E402
from opengov_lint.generate import build  # noqa: E402
from opengov_lint.generate.breakers import BREAKERS, NO_BREAKER, broken_reports  # noqa: E402
from opengov_lint.generate.strategies import (  # noqa: E402
    agencies,
    dates,
    periods,
    prose_withholdings,
    publication_dates,
    reports,
    table2s,
    table3s,
    table4s,
)
from opengov_lint.model import CellKind, DateText, Period, Report, Table, Withholding  # noqa: E402
from opengov_lint.packs import load_packs  # noqa: E402

_LONG = os.environ.get("OPENGOV_LINT_HYPOTHESIS_PROFILE") == "long"
_COMMON = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CI = settings(max_examples=400 if _LONG else 25, derandomize=not _LONG, **_COMMON)
FEW = settings(max_examples=200 if _LONG else 8, derandomize=not _LONG, **_COMMON)

PACKS = load_packs()


def _num(table: Table, row: str, col: str):
    return table.row(row).cell(col).value


def _errors(report: Report) -> list[str]:
    return sorted({f.code for f in lint(report).findings if f.severity is Severity.ERROR})


# ----------------------------------------------------------------------------- building blocks
@CI
@given(st.sampled_from(["gb2021", "gb2019"]).flatmap(lambda v: st.tuples(st.just(v), table3s(v))))
def test_table3_is_balanced_per_column_and_row(vt):
    version, t = vt
    spec = PACKS.formats[version].tables["table3"]
    outcome_rows = [r.key for r in spec.data_rows_under("results")]
    for col in [c.key for c in spec.columns]:
        left = _num(t, "new_received", col) + _num(t, "carried_over", col)
        assert left == _num(t, "results_total", col) + _num(t, "carried_forward", col)  # T101
        assert sum(_num(t, r, col) for r in outcome_rows) == _num(t, "results_total", col)  # T102
    applicants = [c.key for c in spec.columns if c.key != "total"]
    for row in t.rows:
        assert sum(row.cell(c).value for c in applicants) == row.cell("total").value  # T103
        assert all(c.kind is CellKind.NUMBER and c.value >= 0 for c in row.cells)
    assert t.layout == version


@CI
@given(table4s())
def test_table4_groups_add_up(t):
    assert [r.key for r in t.rows] == ["review", "lit_direct", "lit_after_review"]
    for r in t.rows:
        parts = [c.value for c in r.cells if c.column != "total"]
        assert sum(parts) == r.cell("total").value


@CI
@given(st.sampled_from(["gb2021", "gb2019"]).flatmap(lambda v: st.tuples(st.just(v), table2s(v, "large"))))
def test_table2_follows_its_layout(vt):
    version, t = vt
    spec = PACKS.formats[version].tables["table2"]
    expected = [(b.key, r.key, tuple(c.key for c in b.columns)) for b in spec.blocks for r in b.rows]
    assert [(r.block, r.key, tuple(c.column for c in r.cells)) for r in t.rows] == expected
    assert all(c.kind is CellKind.NUMBER for _r, c in t.cells())


def test_large_magnitude_reaches_provincial_licensing_counts():
    @settings(max_examples=60, derandomize=True, **_COMMON)
    @given(table2s("gb2021", "large"))
    def collect(t):
        seen.append(t.row("licensing").cell("decisions").value)

    seen: list[int] = []
    collect()
    assert max(seen) > 100_000


@CI
@given(dates(), periods(), st.data())
def test_dates_and_periods_are_real_calendar_dates(d, p, data):
    assert isinstance(d, DateText) and d.well_formed and d.date is not None
    assert isinstance(p, Period)
    assert (p.start.month, p.start.day, p.end.month, p.end.day) == (1, 1, 12, 31)
    assert p.start.year == p.end.year
    kind = data.draw(st.sampled_from(list(AgencyKind)))
    pub = data.draw(publication_dates(p.start.year, kind))
    assert pub.year == p.start.year + 1 and pub <= dt.date(pub.year, 3, 31)


@CI
@given(prose_withholdings(), agencies())
def test_prose_withholdings_name_one_of_the_eight_grounds(pw, ak):
    para, w = pw
    grounds = {r.key for r in PACKS.regulation.withholding_reasons}
    assert isinstance(w, Withholding) and w.reason in grounds and w.count >= 1
    assert w.sentence == para.text and str(w.count) in para.text
    name, kind = ak
    assert isinstance(kind, AgencyKind) and name


# ----------------------------------------------------------------------------- valid reports
@CI
@given(reports())
def test_valid_reports_have_no_error(report):
    assert _errors(report) == []


@FEW
@given(
    st.sampled_from(["gb2021", "gb2019", "pre2019"]),
    st.sampled_from([k.value for k in AgencyKind]),
    st.sampled_from(["small", "medium", "large"]),
    st.data(),
)
def test_reports_respect_their_parameters(version, kind, magnitude, data):
    r = data.draw(reports(format_version=version, agency_kind=kind, magnitude=magnitude))
    assert r.metadata.agency_kind.value == kind
    assert PACKS.format_in_force(r.metadata.report_year).id == version
    assert r.format.version == version
    assert bool(r.tables) == (version != "pre2019")
    assert _errors(r) == []


def test_report_year_parameter():
    @settings(max_examples=5, derandomize=True, **_COMMON)
    @given(reports(report_year=2020))
    def check(r):
        assert r.metadata.report_year == 2020 and r.format.version == "gb2019"

    check()
    with pytest.raises(ValueError, match="falls under gb2019"):
        reports(format_version="gb2021", report_year=2020)


def test_bad_parameters_are_clear_errors():
    with pytest.raises(ValueError, match="unknown magnitude"):
        reports(magnitude="huge")
    with pytest.raises(ValueError, match="unknown format version"):
        reports(format_version="gb2030")


def test_shrinking_gives_small_zero_filled_tables():
    from hypothesis import find

    quick = settings(database=None, derandomize=True, max_examples=1)
    t4 = find(table4s("small"), lambda t: True, settings=quick)
    assert all(c.value == 0 for _row, c in t4.cells())
    # The smallest table 三 that withholds anything: one application, granted nothing, withheld
    # as a state secret; every other cell 0.
    t3 = find(
        table3s("gb2021", "small"),
        lambda t: bool(build.table_withholdings(t)),
        settings=settings(database=None, derandomize=True),
    )
    assert [(w.count, w.reason) for w in build.table_withholdings(t3)] == [(1, "state_secret")]
    nonzero = sorted({r.key for r, c in t3.cells() if c.value})
    assert nonzero == ["denied_state_secret", "new_received", "results_total"]
    assert sum(1 for _r, c in t3.cells() if c.value) == 6  # one applicant column and 总计


# ----------------------------------------------------------------------------- broken reports
@pytest.mark.parametrize("code", sorted(BREAKERS))
def test_broken_reports_break_exactly_that_rule(code):
    @FEW
    @given(broken_reports(code))
    def check(r):
        codes = {f.code for f in lint(r).findings}
        assert code in codes
        assert _errors(r) in ([], [code])  # no other error-level rule
        if code != "X001":  # and no other rule at all (L001 marks every pre-2019 report)
            assert codes - ({"L001"} - {code}) == {code}

    check()


def test_every_catalogue_code_has_a_breaker_or_a_reason():
    codes = set(PACKS.catalogue.codes)
    errors = {r.code for r in PACKS.catalogue.rules if r.severity == "error"}
    assert errors <= set(BREAKERS) | set(NO_BREAKER)
    assert set(BREAKERS) | set(NO_BREAKER) == codes and not set(BREAKERS) & set(NO_BREAKER)
    for code in codes - set(BREAKERS):
        with pytest.raises(ValueError, match=f"no broken_reports for {code}"):
            broken_reports(code)


def test_breaker_constraints_are_checked():
    with pytest.raises(ValueError, match="agency kind"):
        broken_reports("D003", agency_kind="township")
    with pytest.raises(ValueError, match="no broken_reports for Z999"):
        broken_reports("Z999")


# ----------------------------------------------------------------------------- lint properties
@FEW
@given(st.one_of(reports(), *[broken_reports(c) for c in sorted(BREAKERS)]))
def test_lint_is_deterministic(report):
    a, b = lint(report), lint(report)
    assert a.findings == b.findings
    assert [f.fingerprint for f in a.findings] == [f.fingerprint for f in b.findings]


# ----------------------------------------------------------------------------- from_type
def test_from_type_report_is_registered():
    @settings(max_examples=5, derandomize=True, **_COMMON)
    @given(st.from_type(opengov_lint.Report), st.from_type(Table), st.from_type(Period), st.from_type(Withholding))
    def check(r, t, p, w):
        assert isinstance(r, Report) and isinstance(t, Table) and isinstance(p, Period) and isinstance(w, Withholding)
        assert _errors(r) == []

    check()


def test_importing_opengov_lint_does_not_import_hypothesis():
    import subprocess
    import sys

    code = (
        "import sys, opengov_lint, opengov_lint.generate.render, opengov_lint.generate.build, opengov_lint.render, opengov_lint.build;"
        " print('hypothesis' in sys.modules, sorted(m for m in sys.modules if m.startswith('opengov_lint.generate')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False ['opengov_lint.generate', 'opengov_lint.generate.build', 'opengov_lint.generate.render']"
    # and the core alone imports nothing of the generate wing
    core = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, opengov_lint; print(any(m.startswith('opengov_lint.generate') for m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert core.stdout.strip() == "False"


def test_former_module_paths_still_import():
    """opengov_lint.strategies, .build and .render re-export the generate wing's public names."""
    import opengov_lint.build
    import opengov_lint.render
    import opengov_lint.strategies
    from opengov_lint.generate import breakers, render, strategies

    for shim, homes in (
        (opengov_lint.strategies, (strategies, breakers)),
        (opengov_lint.build, (build,)),
        (opengov_lint.render, (render,)),
    ):
        for name in shim.__all__:
            assert any(getattr(home, name, None) is getattr(shim, name) for home in homes), (shim.__name__, name)
    assert set(strategies.__all__) - set(opengov_lint.strategies.__all__) <= {"FORMAT_YEARS", "format_pack", "magnitudes"}
