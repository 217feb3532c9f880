"""opengov-lint: checks Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) against the regulation and the State Council's unified format.

    >>> from opengov_lint import parse, lint
    >>> result = lint(parse(Path("report.txt")))
    >>> [f.code for f in result.findings]
"""

from __future__ import annotations

from ._version import __version__
from .checker import ReportOutcome, check, check_bytes, check_path, check_text
from .config import Config, load_config
from .engine import LintContext, LintResult, Rule, lint
from .errors import BaselineError, ConfigError, InputError, ModelError, OpengovLintError, PackError, RuleSelectionError
from .findings import Evidence, Finding, Location, Severity, Term
from .model import AgencyKind, Report
from .parsers import parse

__all__ = [
    "AgencyKind",
    "Config",
    "ConfigError",
    "ReportOutcome",
    "check",
    "check_bytes",
    "check_path",
    "check_text",
    "load_config",
    "Evidence",
    "Finding",
    "InputError",
    "BaselineError",
    "ModelError",
    "OpengovLintError",
    "PackError",
    "RuleSelectionError",
    "LintContext",
    "LintResult",
    "Location",
    "Report",
    "Rule",
    "Severity",
    "Term",
    "__version__",
    "lint",
    "parse",
]
