"""The Cost simulation page's "Solve for a budget" charts (issue 13).

"Now" is always the first palette colour and "With the answer" the second.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts.base import (
    BUDGET_COLOR,
    HEIGHT,
    LEGEND,
    MONEY,
    PADDING,
    PCT,
    color_scale,
    legend_height,
    money_axis,
)

SOLVE_SERIES = ["Now", "With the answer"]


def value_axis(percent: bool, is_money: bool, **kwargs: object) -> alt.Axis:
    """The axis of a solved number: a percent, money or a plain number."""
    if is_money and not percent:
        return money_axis(**kwargs)
    return alt.Axis(format=PCT if percent else ",.3~g", **kwargs)


def cost_pair_chart(bins: pd.DataFrame, budget: float | None) -> alt.LayerChart:
    """Two cost histograms on the same bins (``lo``, ``hi``, ``share``, ``series``): now as bars, with the
    answer as a step line over them, the budget as a rule."""
    x = alt.X("lo:Q", title="Cost per period", axis=money_axis(tickCount=5), scale=alt.Scale(zero=False))
    y = alt.Y("share:Q", title="Share of trials", axis=alt.Axis(format=PCT))
    color = alt.Color("series:N", title=None, scale=color_scale(SOLVE_SERIES), legend=LEGEND)
    tips = [alt.Tooltip("series:N", title="Plan"), alt.Tooltip("lo:Q", title="From", format=MONEY),
            alt.Tooltip("hi:Q", title="To", format=MONEY),
            alt.Tooltip("share:Q", title="Share of trials", format=".1%")]
    bars = alt.Chart(bins[bins["series"] == SOLVE_SERIES[0]]).mark_rect(
        opacity=0.6, stroke="white", strokeWidth=0.3).encode(x=x, x2="hi:Q", y=y, y2=alt.datum(0), color=color,
                                                             tooltip=tips)
    line = alt.Chart(bins[bins["series"] == SOLVE_SERIES[1]]).mark_line(
        interpolate="step-after", strokeWidth=2.2).encode(x=x, y=y, color=color, tooltip=tips)
    layers: list[alt.Chart] = [bars, line]
    if budget is not None:
        layers.append(alt.Chart(pd.DataFrame({"cost": [float(budget)]})).mark_rule(
            color=BUDGET_COLOR, strokeWidth=2.5).encode(x="cost:Q", tooltip=[
                alt.Tooltip("cost:Q", title="Budget", format=MONEY)]))
    return alt.layer(*layers).properties(height=legend_height(HEIGHT - 60, SOLVE_SERIES), padding=PADDING)


def curve_pair_chart(df: pd.DataFrame, x_title: str, y_title: str, y_money: bool) -> alt.Chart:
    """The curve the knob changes, before and after: ``x`` (attainment), ``y``, ``series``."""
    y_fmt = MONEY if y_money else PCT
    return alt.Chart(df).mark_line(strokeWidth=2.5).encode(
        x=alt.X("x:Q", title=x_title, axis=alt.Axis(format=PCT)),
        y=alt.Y("y:Q", title=y_title, axis=money_axis() if y_money else alt.Axis(format=PCT)),
        color=alt.Color("series:N", title=None, scale=color_scale(SOLVE_SERIES), legend=LEGEND),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=SOLVE_SERIES, range=[[1, 0], [6, 3]]),
                                  legend=None),
        tooltip=[alt.Tooltip("series:N", title="Plan"), alt.Tooltip("x:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("y:Q", title="Payout", format=y_fmt.replace(".0%", ".1%"))],
    ).properties(height=legend_height(HEIGHT - 60, SOLVE_SERIES), padding=PADDING)


def frontier_chart(df: pd.DataFrame, x_title: str, x_percent: bool, x_money: bool, y_title: str,
                   y_percent: bool, goal: float) -> alt.LayerChart:
    """The goal's measure across the knob's range (``value``, ``measure``, ``point``), the goal as a dashed
    rule, the current value and the answer as points."""
    x_tip = ".2%" if x_percent else MONEY if x_money else ",.3~g"
    x = alt.X("value:Q", title=x_title, axis=value_axis(x_percent, x_money, tickCount=5), scale=alt.Scale(zero=False))
    y = alt.Y("measure:Q", title=y_title, axis=value_axis(y_percent, not y_percent), scale=alt.Scale(zero=False))
    tips = [alt.Tooltip("value:Q", title=x_title, format=x_tip),
            alt.Tooltip("measure:Q", title=y_title, format=".2%" if y_percent else MONEY)]
    line = alt.Chart(df[df["point"] == "across the range"]).mark_line(color="#888", point=True).encode(
        x=x, y=y, tooltip=tips)
    marks = alt.Chart(df[df["point"] != "across the range"]).mark_point(size=140, filled=True).encode(
        x=x, y=y, color=alt.Color("point:N", title=None, scale=color_scale(["now", "answer"]), legend=LEGEND),
        tooltip=[alt.Tooltip("point:N", title="Point"), *tips])
    rule = alt.Chart(pd.DataFrame({"measure": [goal]})).mark_rule(color=BUDGET_COLOR, strokeDash=[6, 4]).encode(
        y="measure:Q", tooltip=[alt.Tooltip("measure:Q", title="Goal", format=".2%" if y_percent else MONEY)])
    return alt.layer(line, rule, marks).properties(height=legend_height(HEIGHT - 60, ["now", "answer"]),
                                                   padding=PADDING)
