"""The Targets from data page's charts (issue 6): a metric's history, a back-test's payout and cost."""

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
    category_axis,
    color_scale,
    legend_height,
    legend_labels,
    money_axis,
)


def history_chart(df: pd.DataFrame, group: str, share: bool = True, target: float | None = None,
                  y_title: str = "Value") -> alt.LayerChart:
    """A metric's history: columns ``period``, ``group`` (its name in ``group``), ``value``, ``n``, ``complete``.

    One line per group; incomplete periods are hollow points; gaps (NaN) stay gaps; ``target`` is a dashed rule.
    """
    fmt = PCT if share else ",.3~g"
    groups = sorted(df[group].astype(str).unique())
    names = legend_labels(groups)
    data = df.assign(status=df["complete"].map({True: "complete", False: "not complete yet"}),
                     legend=df[group].astype(str).map(names))
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title=None, sort=sorted(df["period"].unique()), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt, labelLimit=200)),
        color=alt.Color("legend:N", title=group.capitalize(), scale=color_scale(list(names.values())),
                        legend=LEGEND),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip(f"{group}:N", title=group.capitalize()),
                 alt.Tooltip("value:Q", title=y_title, format=".1%" if share else ",.3~g"),
                 alt.Tooltip("n:Q", title="Cohort / headcount"), alt.Tooltip("status:N", title="Period")])
    lines = base.mark_line(strokeWidth=2)
    points = base.mark_point(size=60, filled=True).encode(
        fillOpacity=alt.condition(alt.datum.complete, alt.value(1.0), alt.value(0.0)))
    layers = [lines, points]
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(strokeDash=[6, 4], color="#333").encode(
            y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Plan target", format=".1%" if share else ",.3~g")]))
    return alt.layer(*layers).properties(height=legend_height(HEIGHT, groups), padding=PADDING)


def backtest_payout_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Payout by team and period: columns ``period``, ``team``, ``payout`` (NaN = missing), ``label``, ``money``."""
    data = df.assign(shown=df["payout"].fillna(-1.0))
    periods = sorted(df["period"].unique())
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title=None, sort=periods, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("team:N", title=None, sort=list(dict.fromkeys(df["team"])), axis=category_axis(220)))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.condition(alt.datum.shown < 0, alt.value("#e6e6e6"), alt.Color(
            "payout:Q", title="Payout", scale=alt.Scale(scheme="blues", domain=[0, 1.5], clamp=True),
            legend=alt.Legend(format=PCT, gradientLength=110))),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip("team:N", title="Team"),
                 alt.Tooltip("label:N", title="Payout"), alt.Tooltip("money:Q", title="Paid", format=MONEY)])
    text = base.mark_text(fontSize=11).encode(
        text="label:N", color=alt.condition(alt.datum.shown > 0.9, alt.value("white"), alt.value("#333")))
    return (rect + text).properties(height=60 + 36 * df["team"].nunique(), padding=PADDING)


def backtest_cost_chart(df: pd.DataFrame, cost: pd.DataFrame) -> alt.LayerChart:
    """Cost per period stacked by team (``period``, ``team``, ``money``) with the on-target cost
    (``cost``: ``period``, ``target_cost``) as a tick."""
    teams = list(dict.fromkeys(df["team"]))
    periods = sorted(cost["period"].unique())
    bars = alt.Chart(df.dropna(subset=["money"])).mark_bar().encode(
        x=alt.X("period:O", title=None, sort=periods, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("money:Q", title="Cost per period", axis=money_axis(), stack="zero"),
        color=alt.Color("team:N", title="Team", scale=color_scale(teams), legend=LEGEND),
        order=alt.Order("team:N"),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip("team:N", title="Team"),
                 alt.Tooltip("money:Q", title="Paid", format=MONEY)])
    ticks = alt.Chart(cost).mark_tick(color=BUDGET_COLOR, thickness=3, size=40).encode(
        x=alt.X("period:O", sort=periods), y="target_cost:Q",
        tooltip=[alt.Tooltip("period:O", title="Period"),
                 alt.Tooltip("target_cost:Q", title="On-target cost (whole roster)", format=MONEY)])
    return (bars + ticks).properties(height=legend_height(HEIGHT, teams), padding=PADDING)
