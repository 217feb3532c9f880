"""Former home of the model builders, kept so that existing imports keep working.

They now live in :mod:`opengov_lint.generate.build`; this module re-exports its public names.
"""

from __future__ import annotations

from .generate.build import (
    DATE_STYLES,
    PERIOD_PHRASINGS,
    date_raw,
    date_text,
    number_cell,
    period,
    period_sentence,
    prose_withholding,
    report,
    table2,
    table3,
    table3_outcome_rows,
    table4,
    table_withholdings,
)

__all__ = [
    "DATE_STYLES",
    "PERIOD_PHRASINGS",
    "date_raw",
    "date_text",
    "number_cell",
    "period",
    "period_sentence",
    "prose_withholding",
    "report",
    "table2",
    "table3",
    "table3_outcome_rows",
    "table4",
    "table_withholdings",
]
