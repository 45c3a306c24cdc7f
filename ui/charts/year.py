"""The plan year's charts on the Cost page: cash paid at each period end and at the year end, with P10-P90.

The annual cost and the year-end settlement are drawn by :func:`ui.charts.cost.cost_histogram` (the same
template, another axis title). Like the page's other charts, these are templates over named datasets.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts.base import HEIGHT, MONEY, PADDING, PALETTE, QUANTILE_COLOR, money_axis, rows

__all__ = ["cash_chart", "cash_data"]


def cash_data(by_period: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """The ``cash`` dataset: ``when, expected, p10, p90, order`` (one row per period end and the year end)."""
    df = by_period[["when", "expected", "p10", "p90"]].assign(order=range(len(by_period)))
    return {"cash": rows(df)}


def cash_chart(n_columns: int) -> alt.LayerChart:
    """Expected cash paid at each period end and at the year end (bars) with its P10-P90 range (whiskers)."""
    base = alt.Chart(alt.NamedData(name="cash"))
    x = alt.X("when:N", title=None, sort=alt.EncodingSortField("order"), axis=alt.Axis(labelAngle=0))
    tips = [alt.Tooltip("when:N", title="Paid at"), alt.Tooltip("expected:Q", title="Expected", format=MONEY),
            alt.Tooltip("p10:Q", title="P10", format=MONEY), alt.Tooltip("p90:Q", title="P90", format=MONEY)]
    bars = base.mark_bar(color=PALETTE[0], opacity=0.85).encode(
        x=x, y=alt.Y("expected:Q", title="Paid (expected, P10-P90)", axis=money_axis()), tooltip=tips)
    whiskers = base.mark_rule(color=QUANTILE_COLOR, strokeWidth=2).encode(x=x, y="p10:Q", y2="p90:Q", tooltip=tips)
    ticks = base.mark_tick(color=QUANTILE_COLOR, thickness=2, size=14)
    return alt.layer(bars, whiskers, ticks.encode(x=x, y="p10:Q"), ticks.encode(x=x, y="p90:Q")).properties(
        height=HEIGHT, padding=PADDING, width="container")
