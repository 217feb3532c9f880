"""Hypothesis plug-in: makes ``st.from_type`` work for the report model.

Hypothesis calls :func:`_hypothesis_setup_hook` (entry-point group ``hypothesis``) when it is
imported. The hook registers a strategy for each model class; the strategies module is imported
only when one of them is first drawn from, and opengov_lint never imports Hypothesis on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import DateText, Period, Report, Table, Withholding

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _hypothesis_setup_hook() -> None:
    # Imported here: Hypothesis runs this hook while it is itself being imported.
    from hypothesis import strategies as st

    st.register_type_strategy(Report, _reports)
    st.register_type_strategy(Table, _tables)
    st.register_type_strategy(Period, _periods)
    st.register_type_strategy(DateText, _dates)
    st.register_type_strategy(Withholding, _withholdings)


# Each resolver imports the strategies when first asked: the hook runs on every `import
# hypothesis`, and importing the strategies then would make every Hypothesis user pay for them.
def _reports(_type: type[Report]) -> SearchStrategy[Report]:
    from . import strategies

    return strategies.reports()


def _tables(_type: type[Table]) -> SearchStrategy[Table]:
    from hypothesis import strategies as st

    from . import strategies

    versions = st.sampled_from(["gb2021", "gb2019"])
    return st.one_of(versions.flatmap(strategies.table2s), versions.flatmap(strategies.table3s), strategies.table4s())


def _periods(_type: type[Period]) -> SearchStrategy[Period]:
    from . import strategies

    return strategies.periods()


def _dates(_type: type[DateText]) -> SearchStrategy[DateText]:
    from . import strategies

    return strategies.dates()


def _withholdings(_type: type[Withholding]) -> SearchStrategy[Withholding]:
    from . import strategies

    return strategies.prose_withholdings().map(lambda pw: pw[1])
