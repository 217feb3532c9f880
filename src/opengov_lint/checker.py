"""The one road every report takes: read, lint, configure. The Python API, the command line (one
file or many) and batch mode all check a report through a :class:`Checker`.

    >>> from pathlib import Path
    >>> from opengov_lint.checker import check_path, load_config
    >>> outcome = check_path(Path("report.txt"), load_config())
    >>> outcome.fails("error"), [f.code for f in outcome.findings]

A report goes through two stages, so that batch mode can cache the first and pair reports across
years between them:

1. :meth:`Checker.read` (or :meth:`Checker.read_file_bytes`) and :meth:`Checker.lint_alone`: the
   model, and the findings of every rule that needs only the report;
2. :meth:`Checker.complete`: the cross-year rules against last year's report, when there is one,
   then the configuration (per-path ignores, severities, baseline).

:meth:`Checker.check` runs both for one report; batch mode adds only walking directories, pairing,
the cache and worker processes around them.

Exceptions (all with a one-line message for people):

- :class:`opengov_lint.InputError`: a report (or ``previous``) that cannot be opened or read at all;
- :class:`opengov_lint.BaselineError` (an ``InputError``): a baseline file that cannot be read;
- :class:`opengov_lint.ConfigError`: an unknown key, code, level, format or language.

Everything else a report can be wrong about is a finding, never an exception.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs
from attrs import field, frozen

from .baseline import Baseline, BaselineEntry
from .checks.crossyear import previous_mismatch_finding
from .checks.inputs import unknown_suppression_finding
from .config import Config, load_config
from .engine import LintResult, Rule, all_rules, finding_sort_key, lint, select_rules
from .errors import ConfigError, InputError, RuleSelectionError
from .findings import Finding, Severity
from .model import AgencyKind, Report, Suppression
from .packs import Packs, load_packs
from .parsers import INPUT_FORMATS, input_format_of, parse

__all__ = [
    "ReportOutcome",
    "CheckOptions",
    "Checker",
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

Source = str | bytes | os.PathLike[str]


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
    previous: str | None = None  # the report it was compared with across years (pairing, --previous)
    error: str | None = None  # why a file found in a directory could not be read (its one finding is X005)
    suppressed: tuple[tuple[Finding, Suppression], ...] = ()  # findings a comment in the draft suppressed

    @property
    def report(self) -> Report:
        return self.result.report

    def at_or_above(self, level: str | Severity) -> tuple[Finding, ...]:
        lv = Severity(level) if isinstance(level, str) else level
        return tuple(f for f in self.findings if f.severity.rank >= lv.rank)

    def fails(self, level: str | Severity = "error") -> bool:
        """True when a reported finding is at or above ``level``."""
        return bool(self.at_or_above(level))


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(p == "ALL" or code == p or code.startswith(p) for p in patterns)


def _matches_any(pattern: str, codes: Iterable[str]) -> bool:
    """Whether ``pattern`` (a code or a prefix) names at least one of ``codes``."""
    return any(c == pattern or c.startswith(pattern) for c in codes)


def _matches_select(code: str, select: Iterable[str]) -> bool:
    return _matches(code, select)


@frozen
class CheckOptions:
    """Everything besides a report's content that decides its findings, built once per run
    (:meth:`from_config`). ``severity`` and ``baseline`` act after the rules ran; the rest decides
    which rules run and how (it is the cache key of batch mode)."""

    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, codes)
    severity: tuple[tuple[str, str], ...] = ()  # (code or prefix, level)
    agency_kind: AgencyKind | None = None
    township_deadline: str | None = None  # "MM-DD"
    format_version: str | None = None  # a format pack id
    input_format: str | None = None
    root: Path = field(factory=Path.cwd)  # per-path globs are relative to this folder
    baseline: str | None = None  # a baseline file

    @classmethod
    def from_config(cls, config: Config, *, input_format: str | None = None) -> CheckOptions:
        return cls(
            select=config.select,
            ignore=config.ignore,
            per_path_ignores=config.per_path_ignores,
            severity=tuple(config.severity.items()),
            agency_kind=AgencyKind(config.agency_kind) if config.agency_kind is not None else None,
            township_deadline=config.township_deadline,
            format_version=config.format_version,
            input_format=input_format,
            root=config.root,
            baseline=config.baseline,
        )

    def ignores_for(self, report_path: str | os.PathLike[str] | None) -> tuple[str, ...]:
        """``ignore`` plus the per-path ignores whose glob matches ``report_path``: a glob without
        ``/`` is matched against the file name, one with ``/`` against the path relative to ``root``."""
        out = list(self.ignore)
        if report_path is None:
            return tuple(out)
        rel = Path(os.path.relpath(os.path.abspath(report_path), os.path.abspath(self.root))).as_posix()
        name = Path(rel).name
        for glob, codes in self.per_path_ignores:
            if fnmatch.fnmatchcase(rel if "/" in glob else name, glob):
                out.extend(c for c in codes if c not in out)
        return tuple(out)

    def severity_for(self, code: str) -> str | None:
        """The configured level for ``code`` (the longest matching code or prefix), or None."""
        best: tuple[int, str] | None = None
        for pat, level in self.severity:
            if (code == pat or code.startswith(pat)) and (best is None or len(pat) > best[0]):
                best = (len(pat), level)
        return best[1] if best else None

    def cache_key(self) -> str:
        """What decides the first stage's findings (severity and baseline act later)."""
        return repr(
            (
                self.select,
                self.ignore,
                self.per_path_ignores,
                self.agency_kind,
                self.township_deadline,
                self.format_version,
                self.input_format,
                str(self.root) if self.per_path_ignores else "",
            )
        )


class Checker:
    """Checks reports under one set of options: the rules chosen and the baseline read once."""

    def __init__(
        self, options: CheckOptions | None = None, packs: Packs | None = None, *, baseline: Baseline | None = None
    ) -> None:
        self.options = options or CheckOptions()
        self.packs = packs or load_packs()
        self.baseline = baseline
        if self.options.input_format is not None and self.options.input_format not in INPUT_FORMATS:
            raise InputError(f"unknown input format {self.options.input_format!r}; use one of: {', '.join(INPUT_FORMATS)}")
        if self.options.format_version is not None and self.options.format_version not in self.packs.formats:
            raise ConfigError(
                f"unknown format version {self.options.format_version!r}; use one of {', '.join(self.packs.formats)}"
            )
        self._rules = all_rules(self.packs)
        self._chosen: dict[tuple[str, ...], tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}
        self._split(self.options.ignore)  # an unknown code fails here, before any report is read

    @classmethod
    def from_config(
        cls,
        config: Config | None = None,
        *,
        packs: Packs | None = None,
        input_format: str | None = None,
        baseline: Baseline | None = None,
    ) -> Checker:
        """A checker for ``config``; its baseline file is read unless ``baseline`` is given."""
        options = CheckOptions.from_config(config or Config(), input_format=input_format)
        if baseline is None and options.baseline is not None:
            baseline = Baseline.load(options.baseline)
        return cls(options, packs, baseline=baseline)

    def _split(self, ignore: tuple[str, ...]) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
        """The rules that run for reports with these ignores: (alone, cross-year)."""
        if ignore not in self._chosen:
            try:
                chosen = select_rules(self._rules, self.options.select, ignore)
            except RuleSelectionError as exc:
                raise ConfigError(str(exc)) from None
            self._chosen[ignore] = (tuple(r for r in chosen if not r.cross_year), tuple(r for r in chosen if r.cross_year))
        return self._chosen[ignore]

    def _lint(self, report: Report, rules: Sequence[Rule], previous: Report | None) -> LintResult:
        o = self.options
        return lint(
            report,
            rules=rules,
            previous=previous,
            packs=self.packs,
            township_deadline=o.township_deadline,
            agency_kind=o.agency_kind,
            format_override=o.format_version,
        )

    # ---------------------------------------------------------------- stage one

    def read(self, source: Source, name: str | None = None) -> Report:
        """The report in ``source``: a path, the report's text (``str``), or its bytes."""
        o = self.options
        if isinstance(source, os.PathLike):
            return parse(Path(source), packs=self.packs, input_format=o.input_format, agency_kind=o.agency_kind)
        return parse(source, packs=self.packs, input_format=o.input_format, agency_kind=o.agency_kind, source_name=name)

    def read_file_bytes(self, data: bytes, path: str) -> Report:
        """The report in ``data``, the bytes of the file ``path``, read as :meth:`read` reads that
        file: the format from the content, then the extension (batch mode reads each file once)."""
        o = self.options
        fmt = o.input_format or input_format_of(data, Path(path).suffix.lower(), path)
        return parse(data, packs=self.packs, input_format=fmt, agency_kind=o.agency_kind, source_name=path)

    def lint_alone(self, report: Report, name: str) -> LintResult:
        """The findings of every selected rule that needs only the report."""
        alone, _cross = self._split(self.options.ignores_for(name))
        return self._lint(report, alone, None)

    # ---------------------------------------------------------------- stage two

    def complete(
        self,
        name: str,
        first: LintResult,
        *,
        previous: Report | None = None,
        previous_name: str | None = None,
        error: str | None = None,
        verify_previous: Callable[[Report, Report], bool | None] | None = None,
    ) -> ReportOutcome:
        """The report's outcome: the cross-year rules against ``previous`` (last year's report of
        the same agency) merged in, then per-path ignores, severities, the suppression comments
        of the draft and the baseline. ``verify_previous`` (for ``--previous``, which names a file
        rather than a pair batch mode formed) tells whether the two reports are of the same
        agency (None: cannot tell); a mismatch is an X008 finding."""
        result = first
        alone, cross = self._split(self.options.ignores_for(name))
        if previous is not None and verify_previous is not None and any(r.spec.code == "X008" for r in alone):
            mismatch = previous_mismatch_finding(
                self.packs,
                first.report,
                previous,
                previous_name or previous.source_name or "",
                verify_previous(first.report, previous),
            )
            if mismatch is not None:
                first = attrs.evolve(first, findings=tuple(sorted((*first.findings, mismatch), key=finding_sort_key)))
                result = first
        if previous is not None and cross:
            extra = self._lint(first.report, cross, previous)
            ran = set(first.rules_run) | set(extra.rules_run)
            result = LintResult(
                report=first.report,
                findings=tuple(sorted((*first.findings, *extra.findings), key=finding_sort_key)),
                rules_run=tuple(
                    r.spec.code for r in self._rules if r.spec.code in ran
                ),  # catalogue order, as one lint would give
            )
        return self._configure(name, result, previous_name, error)

    def _configure(self, name: str, result: LintResult, previous: str | None, error: str | None) -> ReportOutcome:
        o = self.options
        ignored = o.ignores_for(name)
        findings = []
        for f in result.findings:
            if _matches(f.code, ignored):  # a finding no rule of this report made (X005)
                continue
            level = o.severity_for(f.code)
            findings.append(attrs.evolve(f, severity=Severity(level)) if level and level != f.severity.value else f)
        findings, suppressed = self._suppress(result.report, findings, ignored)
        result = attrs.evolve(result, findings=tuple(findings))
        if self.baseline is None:
            return ReportOutcome(
                path=name, result=result, findings=result.findings, previous=previous, error=error, suppressed=suppressed
            )
        m = self.baseline.match(name, result.findings)
        return ReportOutcome(
            path=name,
            result=result,
            findings=m.new,
            accepted=m.accepted,
            absent=m.absent,
            baseline_used=True,
            previous=previous,
            error=error,
            suppressed=suppressed,
        )

    def _suppress(
        self, report: Report, findings: list[Finding], ignored: tuple[str, ...]
    ) -> tuple[list[Finding], tuple[tuple[Finding, Suppression], ...]]:
        """The findings the draft's suppression comments leave, and those they suppress (with the
        comment); an unknown code in a comment is an X007 finding (never suppressed itself)."""
        if not report.suppressions:
            return findings, ()
        known = [r.spec.code for r in self._rules]
        kept: list[Finding] = []
        suppressed: list[tuple[Finding, Suppression]] = []
        valid: list[tuple[Suppression, tuple[str, ...]]] = []
        problems: list[Finding] = []
        for sup in report.suppressions:
            codes = tuple(c for c in sup.codes if _matches_any(c, known))
            for c in sup.codes:
                if c not in codes:
                    close = difflib.get_close_matches(c, known, n=1, cutoff=0.6)
                    problems.append(unknown_suppression_finding(self.packs, report, sup, c, close[0] if close else None))
            if not sup.codes:
                problems.append(unknown_suppression_finding(self.packs, report, sup, None, None))
            if codes:
                valid.append((sup, codes))
        for f in findings:
            by = next((sup for sup, codes in valid if _matches(f.code, codes) and sup.covers(f.location.span)), None)
            if by is None:
                kept.append(f)
            else:
                suppressed.append((f, by))
        if not _matches("X007", ignored) and (self.options.select is None or _matches_select("X007", self.options.select)):
            kept = sorted((*kept, *problems), key=finding_sort_key)
        return kept, tuple(suppressed)

    # ---------------------------------------------------------------- both

    def check(self, source: Source, name: str | None = None, *, previous: Report | None = None) -> ReportOutcome:
        """One report, both stages. ``name`` (default: the path) is used in outputs, per-path
        ignores and baselines."""
        if name is None:
            name = os.fspath(source) if isinstance(source, os.PathLike) else "<input>"
        first = self.lint_alone(self.read(source, name), name)
        return self.complete(name, first, previous=previous, previous_name=previous.source_name if previous is not None else None)

    def previous_report(self, previous: Report | str | os.PathLike[str] | None) -> Report | None:
        """``previous`` as a report: a path is read like any report of this run."""
        if previous is None or isinstance(previous, Report):
            return previous
        return self.read(Path(previous))


# ---------------------------------------------------------------- the Python API


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
    checker = Checker.from_config(config, packs=packs, input_format=input_format, baseline=baseline)
    return checker.check(Path(path), os.fspath(path), previous=checker.previous_report(previous))


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
    checker = Checker.from_config(config, packs=packs, baseline=baseline)
    return checker.check(text, name, previous=checker.previous_report(previous))


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
    checker = Checker.from_config(config, packs=packs, input_format=input_format, baseline=baseline)
    return checker.check(bytes(data), name, previous=checker.previous_report(previous))


def check(
    source: Source,
    config: Config | None = None,
    *,
    name: str | None = None,
    previous: Report | str | os.PathLike[str] | None = None,
    input_format: str | None = None,
    packs: Packs | None = None,
    baseline: Baseline | None = None,
) -> ReportOutcome:
    """``check_path`` for a ``Path``, ``check_text`` for a ``str``, ``check_bytes`` for bytes."""
    if isinstance(source, os.PathLike):
        return check_path(source, config, previous=previous, input_format=input_format, packs=packs, baseline=baseline)
    if isinstance(source, str):
        return check_text(source, config, name=name or "<text>", previous=previous, packs=packs, baseline=baseline)
    if isinstance(source, (bytes, bytearray)):
        return check_bytes(
            bytes(source),
            config,
            name=name or "<bytes>",
            input_format=input_format,
            previous=previous,
            packs=packs,
            baseline=baseline,
        )
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
    checker = Checker.from_config(config, packs=packs, input_format=input_format)
    prev = checker.previous_report(previous)
    return [checker.check(Path(p), os.fspath(p), previous=prev) for p in paths]


def exit_code(outcomes: Iterable[ReportOutcome], config: Config | None = None) -> int:
    """The exit contract: 0 nothing reported at or above ``fail-on``, 1 something is; always 0
    with ``exit-zero``. (2, usage or input errors, is the CLI's.)"""
    config = config or Config()
    if config.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(o.fails(config.fail_on) for o in outcomes) else EXIT_OK
