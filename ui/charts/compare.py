"""Charts that put plans or scenarios side by side: payout curves and cost distributions overlaid.

Same conventions as :mod:`ui.charts.base` (its palette, % and currency formats,
tooltips); the n-th compared scenario always gets the n-th colour, and legend
names are wrapped onto lines rather than cut.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ui.charts.base import HEIGHT, LEGEND, MONEY, PADDING, PCT, color_scale, legend_height, legend_labels, money_axis


def curves_overlay(df: pd.DataFrame, labels: Sequence[str], legend: str = "Scenario") -> alt.LayerChart:
    """Total payout with every metric at the same attainment: columns ``scenario``, ``attainment``, ``payout``
    (``scenario`` is a plan's name when the plans of one org are overlaid: ``legend="Plan"``)."""
    names = legend_labels(labels)
    line = alt.Chart(df.assign(legend=df["scenario"].map(names))).mark_line(strokeWidth=2.5).encode(
        x=alt.X("attainment:Q", title="Every metric at (% of target)", axis=alt.Axis(format=PCT)),
        y=alt.Y("payout:Q", title="Total payout (% of target)", axis=alt.Axis(format=PCT)),
        color=alt.Color("legend:N", title=legend, scale=color_scale(list(names.values())), legend=LEGEND),
        tooltip=[alt.Tooltip("scenario:N", title=legend),
                 alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("payout:Q", title="Payout", format=".1%")])
    rule = alt.Chart(pd.DataFrame({"attainment": [1.0]})).mark_rule(strokeDash=[4, 4], color="#999").encode(
        x="attainment:Q")
    return (line + rule).properties(height=legend_height(HEIGHT, labels), padding=PADDING)


def costs_overlay(df: pd.DataFrame, labels: Sequence[str], budgets: dict[str, float | None],
                  x_title: str = "Cost per period") -> alt.LayerChart:
    """Cost distributions on common bins (``scenario``, ``cost_from``, ``cost_to``, ``share``) with budget lines."""
    names = legend_labels(labels)
    scale = color_scale(list(names.values()))
    mid = df.assign(cost=(df["cost_from"] + df["cost_to"]) / 2, legend=df["scenario"].map(names))
    area = alt.Chart(mid).mark_area(opacity=0.35, interpolate="step").encode(
        x=alt.X("cost:Q", title=x_title, axis=money_axis()),
        y=alt.Y("share:Q", title="Share of trials", axis=alt.Axis(format=PCT), stack=None),
        color=alt.Color("legend:N", title="Scenario", scale=scale, legend=LEGEND),
        tooltip=[alt.Tooltip("scenario:N", title="Scenario"),
                 alt.Tooltip("cost_from:Q", title="From", format=MONEY),
                 alt.Tooltip("cost_to:Q", title="To", format=MONEY),
                 alt.Tooltip("share:Q", title="Share of trials", format=".1%")])
    line = alt.Chart(mid).mark_line(interpolate="step", strokeWidth=1.5).encode(
        x="cost:Q", y=alt.Y("share:Q", stack=None), color=alt.Color("legend:N", scale=scale))
    layers = [area, line]
    b = pd.DataFrame([{"scenario": k, "legend": names.get(k, k), "budget": v}
                      for k, v in budgets.items() if v is not None])
    if len(b):
        layers.append(alt.Chart(b).mark_rule(strokeDash=[6, 3], strokeWidth=2).encode(
            x="budget:Q", color=alt.Color("legend:N", scale=scale),
            tooltip=[alt.Tooltip("scenario:N", title="Budget of"), alt.Tooltip("budget:Q", title="Budget",
                                                                               format=MONEY)]))
    return alt.layer(*layers).properties(height=legend_height(HEIGHT, labels), padding=PADDING)
