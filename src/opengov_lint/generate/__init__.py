"""The generate wing: report models built, rendered and drawn at random, for tests and tools.

- :mod:`.build`: models from plain values (balanced tables, dates, periods, whole reports);
- :mod:`.render`: a model written back as published text, HTML, DOCX or PDF;
- :mod:`.strategies`: Hypothesis strategies for valid reports and their parts;
- :mod:`.breakers`: Hypothesis strategies for reports that break exactly one rule;
- :mod:`._hypothesis`: the plug-in that makes ``st.from_type(Report)`` work.

Opt-in: ``import opengov_lint`` imports none of it, and only the strategies and the breakers
import Hypothesis. Nothing outside this package imports it.
"""
