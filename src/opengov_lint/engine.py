"""Rules and the engine that runs them.

A rule is an object with ``code``, ``slug``, ``severity``, ``citation`` and
``check(report, context)`` yielding findings. Built-in rules take their metadata and messages
from the catalogue (``rules/catalogue.toml``); third-party rules, found through the entry-point
group ``opengov_lint.rules``, carry a :class:`~opengov_lint.packs.RuleSpec` of their own.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Sequence
from importlib.metadata import entry_points

import attrs
from attrs import field, frozen

from . import checks  # noqa: F401  (importing the package registers the built-in rules)
from .checks.base import BUILTIN, LintContext, Rule, register
from .errors import RuleSelectionError
from .findings import Evidence, Finding, Location, Severity
from .model import AgencyKind, Report
from .packs import Packs, load_packs

__all__ = [
    "Rule",
    "LintContext",
    "LintResult",
    "lint",
    "all_rules",
    "register",
    "select_rules",
    "finding_sort_key",
    "RuleSelectionError",
]

ENTRY_POINT_GROUP = "opengov_lint.rules"


@frozen
class LintResult:
    report: Report
    findings: tuple[Finding, ...]
    rules_run: tuple[str, ...] = field(factory=tuple)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def at_or_above(self, level: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity.rank >= level.rank)

    @property
    def codes(self) -> list[str]:
        return sorted({f.code for f in self.findings})


def _third_party_rules() -> list[Rule]:
    return list(_plugin_rules(tuple(sys.path)))


@functools.lru_cache(maxsize=4)
def _plugin_rules(_path: tuple[str, ...]) -> tuple[Rule, ...]:
    """Rules of the installed plug-ins; looked up once per import path (reading every
    distribution's metadata on each lint would cost more than the rules)."""
    out: list[Rule] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        rule = obj() if isinstance(obj, type) else obj
        out.append(rule)
    return tuple(out)


def all_rules(packs: Packs | None = None, *, plugins: bool = True) -> list[Rule]:
    """Every rule: the catalogue's built-ins in catalogue order, then plug-ins."""
    packs = packs or load_packs()
    rules: list[Rule] = []
    for spec in packs.catalogue.rules:
        cls = BUILTIN.get(spec.code)
        if cls is None:
            raise RuntimeError(f"catalogue rule {spec.code} has no implementation")
        rules.append(cls(spec))
    if plugins:
        rules.extend(_third_party_rules())
    return rules


def _matches(code: str, patterns: Sequence[str]) -> bool:
    """Whether a code or prefix of ``patterns`` names ``code``; ``ALL`` names every code."""
    return any(p.upper() == "ALL" or code == p or code.startswith(p) for p in patterns)


def select_rules(rules: Sequence[Rule], select: Sequence[str] | None, ignore: Sequence[str] | None) -> list[Rule]:
    """Rules whose code matches a ``select`` code or prefix (default all) and no ``ignore`` one."""
    codes = [r.spec.code for r in rules]
    for pat in list(select or []) + list(ignore or []):
        if pat.upper() == "ALL":
            continue
        if not any(c == pat or c.startswith(pat) for c in codes):
            raise RuleSelectionError(f"{pat!r} matches no rule code (known: {', '.join(codes)})")
    chosen = [r for r in rules if not select or _matches(r.spec.code, select)]
    if ignore:
        chosen = [r for r in chosen if not _matches(r.spec.code, ignore)]
    return chosen


def finding_sort_key(f: Finding) -> tuple[int, int, int, int, str, str]:
    """Findings in the order of the source: spans first by line and column, then by section."""
    span = f.location.span
    return (
        0 if span else 1,
        span.line if span else 0,
        span.column if span else 0,
        f.location.section or 99,
        f.code,
        f.location.path,
    )


def _crash_finding(packs: Packs, rule: Rule, exc: BaseException) -> Finding:
    spec = packs.catalogue.get("X900")
    assert spec is not None, "the catalogue must define X900"
    crash = BUILTIN["X900"](spec)
    tb = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return crash.finding(
        Location(path=f"rule {rule.spec.code}"),
        Evidence(details={"rule": rule.spec.code, "exception": tb}),
        discriminator=rule.spec.code,
        rule=rule.spec.code,
        error=tb,
    )


def lint(
    report: Report,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    previous: Report | None = None,
    packs: Packs | None = None,
    rules: Sequence[Rule] | None = None,
    township_deadline: str | None = None,
    agency_kind: AgencyKind | None = None,
    format_override: str | None = None,
) -> LintResult:
    """Check ``report``; findings come sorted by their place in the source.

    A rule that raises gives an X900 internal-error finding naming it; it never passes silently.
    ``format_override`` (a format pack id) replaces the format in force for the report's year.
    """
    packs = packs or load_packs()
    if format_override is not None and packs.format_id(format_override) is None:
        raise RuleSelectionError(f"unknown format {format_override!r} (known: {', '.join(packs.formats)})")
    if agency_kind is not None and report.metadata.agency_kind is not agency_kind:
        report = attrs.evolve(
            report, metadata=attrs.evolve(report.metadata, agency_kind=agency_kind, agency_kind_source="caller")
        )
    chosen = select_rules(list(rules) if rules is not None else all_rules(packs), select, ignore)
    context = LintContext(packs=packs, previous=previous, township_deadline=township_deadline, format_override=format_override)
    findings: list[Finding] = []
    for rule in chosen:
        try:
            findings.extend(rule.check(report, context))
        except Exception as exc:  # a broken rule must show, not pass
            findings.append(_crash_finding(packs, rule, exc))
    findings.sort(key=finding_sort_key)
    return LintResult(report=report, findings=tuple(findings), rules_run=tuple(r.spec.code for r in chosen))
