"""The built-in rules. Importing this package registers them with the engine."""

from . import citations, dates, inputs, structure, tables, withholding  # noqa: F401
from . import prose, prose_slips  # noqa: F401  (issue 7)
