"""opengov-lint: checks Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) against the regulation and the State Council's unified format.

    >>> from opengov_lint import parse, lint
    >>> result = lint(parse(Path("report.txt")))
    >>> [f.code for f in result.findings]
"""

from __future__ import annotations

from .engine import LintContext, LintResult, Rule, lint
from .findings import Evidence, Finding, Location, Severity, Term
from .model import AgencyKind, Report
from .parsers import InputError, parse

__version__ = "0.1.0"

from .api import ReportOutcome, check, check_bytes, check_path, check_text  # noqa: E402
from .config import Config, ConfigError, load_config  # noqa: E402

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
