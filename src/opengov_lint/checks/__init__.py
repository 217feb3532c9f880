"""The built-in rules. Importing this package registers them with the engine."""

from . import citations, dates, input_problems, inputs, structure, tables, withholding  # noqa: F401
