"""The built-in rules. Importing this package registers them with the engine."""

from . import citations, crossyear, dates, inputs, prose, prose_slips, structure, tables, withholding  # noqa: F401
