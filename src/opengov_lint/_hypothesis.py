"""Hypothesis plug-in: makes ``st.from_type`` work for the report model.

Hypothesis calls :func:`_hypothesis_setup_hook` (entry-point group ``hypothesis``) when it is
imported. The hook registers a strategy for each model class; the strategies module itself is
imported only when one of them is first drawn from, and opengov_lint never imports Hypothesis
on its own.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from . import model

    def lazy(name: str, **kwargs):
        def resolve(_type: type):
            from . import strategies

            return getattr(strategies, name)(**kwargs)

        return resolve

    st.register_type_strategy(model.Report, lazy("reports"))
    st.register_type_strategy(model.Table, lambda _t: _tables())
    st.register_type_strategy(model.Period, lazy("periods"))
    st.register_type_strategy(model.DateText, lazy("dates"))
    st.register_type_strategy(model.Withholding, lambda _t: _withholdings())


def _tables():
    from hypothesis import strategies as st

    from .strategies import table2s, table3s, table4s

    versions = st.sampled_from(["gb2021", "gb2019"])
    return st.one_of(versions.flatmap(table2s), versions.flatmap(table3s), table4s())


def _withholdings():
    from .strategies import prose_withholdings

    return prose_withholdings().map(lambda pw: pw[1])
