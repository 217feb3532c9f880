"""The Python API for tools: check a path, a string or bytes with a :class:`~opengov_lint.config.Config`.

    >>> from pathlib import Path
    >>> from opengov_lint.api import check_path, load_config
    >>> outcome = check_path(Path("report.txt"), load_config())
    >>> outcome.fails("error"), [f.code for f in outcome.findings]

Exceptions (all with a one-line message for people):

- :class:`opengov_lint.InputError`: a report (or ``previous``) that cannot be opened or read at all;
- :class:`opengov_lint.baseline.BaselineError` (an ``InputError``): a baseline file that cannot be read;
- :class:`opengov_lint.config.ConfigError`: an unknown key, code, level, format or language.

Everything else a report can be wrong about is a finding, never an exception.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs
from attrs import frozen

from .baseline import Baseline, BaselineEntry
from .config import Config, load_config
from .engine import LintResult, lint
from .errors import ConfigError, InputError, RuleSelectionError
from .findings import Finding, Severity
from .model import Report
from .packs import Packs, load_packs
from .parsers import parse

__all__ = [
    "ReportOutcome",
    "Config",
    "ConfigError",
    "load_config",
    "check",
    "check_path",
    "check_text",
    "check_bytes",
    "check_paths",
    "exit_code",
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_USAGE",
]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@frozen
class ReportOutcome:
    """One checked report. ``findings`` are those reported (new ones when a baseline is used);
    ``accepted`` are baselined findings with their justification; ``absent`` are baseline
    entries for this report that no longer occur. ``result`` holds every finding."""

    path: str
    result: LintResult
    findings: tuple[Finding, ...]
    accepted: tuple[tuple[Finding, str], ...] = ()
    absent: tuple[BaselineEntry, ...] = ()
    baseline_used: bool = False
    previous: str | None = None  # the report it was compared with across years (batch pairing, --previous)

    @property
    def report(self) -> Report:
        return self.result.report

    def at_or_above(self, level: str | Severity) -> tuple[Finding, ...]:
        lv = Severity(level) if isinstance(level, str) else level
        return tuple(f for f in self.findings if f.severity.rank >= lv.rank)

    def fails(self, level: str | Severity = "error") -> bool:
        """True when a reported finding is at or above ``level``."""
        return bool(self.at_or_above(level))


def _apply_severity(result: LintResult, config: Config) -> LintResult:
    if not config.severity:
        return result
    changed = []
    for f in result.findings:
        level = config.severity_for(f.code)
        changed.append(attrs.evolve(f, severity=Severity(level)) if level and level != f.severity.value else f)
    return attrs.evolve(result, findings=tuple(changed))


def _baseline(config: Config) -> Baseline | None:
    if config.baseline is None:
        return None
    return Baseline.load(config.baseline)


def _check_report(
    report: Report,
    name: str,
    config: Config,
    *,
    previous: Report | None,
    packs: Packs,
    baseline: Baseline | None,
    path_for_ignores: str | os.PathLike[str] | None,
) -> ReportOutcome:
    try:
        result = lint(
            report,
            select=list(config.select) if config.select is not None else None,
            ignore=list(config.ignores_for(path_for_ignores)),
            previous=previous,
            packs=packs,
            township_deadline=config.township_deadline,
            format_override=config.format_version,
        )
    except RuleSelectionError as exc:
        raise ConfigError(str(exc)) from None
    return outcome_from_result(name, result, config, baseline)


def outcome_from_result(name: str, result: LintResult, config: Config, baseline: Baseline | None, *, previous: str | None = None) -> ReportOutcome:
    """A lint result under a configuration: per-path ignores, severity overrides and the baseline
    applied (``lint`` ran with the global select/ignore, as batch mode does)."""
    extra = [c for c in config.ignores_for(name) if c not in config.ignore]
    if extra:
        kept = tuple(f for f in result.findings if not any(f.code == c or f.code.startswith(c) for c in extra))
        result = attrs.evolve(result, findings=kept)
    result = _apply_severity(result, config)
    if baseline is None:
        return ReportOutcome(path=name, result=result, findings=result.findings, previous=previous)
    m = baseline.match(name, result.findings)
    return ReportOutcome(path=name, result=result, findings=m.new, accepted=m.accepted, absent=m.absent, baseline_used=True, previous=previous)


def _previous(previous: Report | str | os.PathLike[str] | None, packs: Packs) -> Report | None:
    if previous is None or isinstance(previous, Report):
        return previous
    return parse(Path(previous), packs=packs)


def check_path(
    path: str | os.PathLike[str],
    config: Config | None = None,
    *,
    previous: Report | str | os.PathLike[str] | None = None,
    input_format: str | None = None,
    packs: Packs | None = None,
    baseline: Baseline | None = None,
) -> ReportOutcome:
    """Check the report in the file ``path`` (a ``str`` here is a path)."""
    packs = packs or load_packs()
    config = config or Config()
    baseline = baseline if baseline is not None else _baseline(config)
    report = parse(Path(path), packs=packs, input_format=input_format, agency_kind=config.agency_kind)
    return _check_report(
        report, os.fspath(path), config, previous=_previous(previous, packs), packs=packs, baseline=baseline, path_for_ignores=path
    )


def check_text(
    text: str,
    config: Config | None = None,
    *,
    name: str = "<text>",
    previous: Report | str | os.PathLike[str] | None = None,
    packs: Packs | None = None,
    baseline: Baseline | None = None,
) -> ReportOutcome:
    """Check a report given as text. ``name`` is used in outputs, per-path ignores and baselines."""
    if not isinstance(text, str):
        raise InputError(f"check_text takes a str, not {type(text).__name__}")
    packs = packs or load_packs()
    config = config or Config()
    baseline = baseline if baseline is not None else _baseline(config)
    report = parse(text, packs=packs, agency_kind=config.agency_kind, source_name=name)
    return _check_report(report, name, config, previous=_previous(previous, packs), packs=packs, baseline=baseline, path_for_ignores=name)


def check_bytes(
    data: bytes,
    config: Config | None = None,
    *,
    name: str = "<bytes>",
    input_format: str | None = None,
    previous: Report | str | os.PathLike[str] | None = None,
    packs: Packs | None = None,
    baseline: Baseline | None = None,
) -> ReportOutcome:
    """Check a report given as bytes (UTF-8 or GB18030 text, or report-model JSON)."""
    if not isinstance(data, (bytes, bytearray)):
        raise InputError(f"check_bytes takes bytes, not {type(data).__name__}")
    packs = packs or load_packs()
    config = config or Config()
    baseline = baseline if baseline is not None else _baseline(config)
    report = parse(bytes(data), packs=packs, input_format=input_format, agency_kind=config.agency_kind, source_name=name)
    return _check_report(report, name, config, previous=_previous(previous, packs), packs=packs, baseline=baseline, path_for_ignores=name)


def check(
    source: str | bytes | os.PathLike[str],
    config: Config | None = None,
    **kwargs,
) -> ReportOutcome:
    """``check_path`` for a ``Path``, ``check_text`` for a ``str``, ``check_bytes`` for bytes."""
    if isinstance(source, os.PathLike):
        return check_path(source, config, **kwargs)
    if isinstance(source, str):
        return check_text(source, config, **kwargs)
    if isinstance(source, (bytes, bytearray)):
        return check_bytes(bytes(source), config, **kwargs)
    raise InputError(f"cannot check an object of type {type(source).__name__}")


def check_paths(
    paths: Sequence[str | os.PathLike[str]],
    config: Config | None = None,
    *,
    previous: Report | str | os.PathLike[str] | None = None,
    input_format: str | None = None,
    packs: Packs | None = None,
) -> list[ReportOutcome]:
    """Check several files with one configuration (and one baseline read)."""
    packs = packs or load_packs()
    config = config or Config()
    baseline = _baseline(config)
    prev = _previous(previous, packs)
    return [check_path(p, config, previous=prev, input_format=input_format, packs=packs, baseline=baseline) for p in paths]


def exit_code(outcomes: Sequence[ReportOutcome], config: Config | None = None) -> int:
    """The exit contract: 0 nothing reported at or above ``fail-on``, 1 something is; always 0
    with ``exit-zero``. (2, usage or input errors, is the CLI's.)"""
    config = config or Config()
    if config.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(o.fails(config.fail_on) for o in outcomes) else EXIT_OK
