"""The built-in rules. Importing this package registers them with the engine."""

from . import citations, dates, inputs, prose, prose_slips, structure, tables, withholding  # noqa: F401  # noqa: F401  (issue 7)
