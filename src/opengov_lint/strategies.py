"""Former home of the Hypothesis strategies, kept so that existing imports keep working.

The strategies now live in :mod:`opengov_lint.generate.strategies` (valid reports and their parts)
and :mod:`opengov_lint.generate.breakers` (reports that break one rule); this module re-exports
their public names. Like them, it imports Hypothesis.
"""

from __future__ import annotations

from .generate.breakers import BREAKERS, NO_BREAKER, broken_reports
from .generate.strategies import (
    MAGNITUDES,
    agencies,
    dates,
    periods,
    prose_withholdings,
    publication_dates,
    reports,
    table2s,
    table3s,
    table4s,
    withholding_reasons,
)

__all__ = [
    "BREAKERS",
    "MAGNITUDES",
    "NO_BREAKER",
    "agencies",
    "broken_reports",
    "dates",
    "periods",
    "prose_withholdings",
    "publication_dates",
    "reports",
    "table2s",
    "table3s",
    "table4s",
    "withholding_reasons",
]
