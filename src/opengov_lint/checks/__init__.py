"""The built-in rules. Importing this package registers them with the engine."""

from . import batch_input, citations, crossyear, dates, inputs, structure, tables, withholding  # noqa: F401
