"""The built-in rules. Importing this package registers them with the engine."""

from . import batch_input, citations, crossyear, dates, input_problems, inputs, prose, prose_slips, structure, tables, withholding  # noqa: F401
