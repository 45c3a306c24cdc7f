"""The Targets from data page's charts (issue 6): a metric's history, a back-test's payout and cost."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

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
    rows,
)


def _json_rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    """:func:`rows` with NaN as None: the rows go to the browser inside the spec's JSON, where NaN is no value
    (a gap in a line, a missing payout), as Altair wrote it."""
    return [{k: None if isinstance(v, float) and v != v else v for k, v in r.items()} for r in rows(df)]


def history_groups(df: pd.DataFrame, group: str) -> tuple[str, ...]:
    """The groups a history chart draws (its legend and colours): sorted names of ``df[group]``."""
    return tuple(sorted(df[group].astype(str).unique()))


def history_datasets(df: pd.DataFrame, group: str, target: float | None = None) -> dict[str, list[dict[str, Any]]]:
    """Datasets of :func:`history_template`: the history's rows (columns ``period``, ``group`` (its name in
    ``group``), ``value``, ``n``, ``complete``) and the target line (none without a target)."""
    names = legend_labels(history_groups(df, group))
    data = df[["period", group, "value", "n", "complete"]].assign(
        status=df["complete"].map({True: "complete", False: "not complete yet"}),
        legend=df[group].astype(str).map(names))
    return {"history": _json_rows(data), "target": [] if target is None else [{"target": float(target)}]}


def history_template(group: str, groups: Sequence[str], share: bool = True, y_title: str = "Value") -> alt.LayerChart:
    """A metric's history over the datasets of :func:`history_datasets`: one line per group (``groups``, from
    :func:`history_groups`), incomplete periods as hollow points, gaps (NaN) as gaps, the target a dashed rule.

    The spec depends on the layout only (the groups, the unit, the title): a new definition or target swaps
    the rows instead of rebuilding the chart with Altair. Periods are sorted as text, which is their order
    (``2025-Q1`` < ``2025-Q2``, ``2025-04`` < ``2025-05``, ``2025-H1`` < ``2026-H1``).
    """
    fmt = PCT if share else ",.3~g"
    names = legend_labels(list(groups))
    base = alt.Chart(alt.NamedData(name="history")).encode(
        x=alt.X("period:O", title=None, sort="ascending", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt, labelLimit=200)),
        color=alt.Color("legend:N", title=group.capitalize(), scale=color_scale(list(names.values())),
                        legend=LEGEND),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip(f"{group}:N", title=group.capitalize()),
                 alt.Tooltip("value:Q", title=y_title, format=".1%" if share else ",.3~g"),
                 alt.Tooltip("n:Q", title="Cohort / headcount"), alt.Tooltip("status:N", title="Period")])
    lines = base.mark_line(strokeWidth=2)
    points = base.mark_point(size=60, filled=True).encode(
        fillOpacity=alt.condition(alt.datum.complete, alt.value(1.0), alt.value(0.0)))
    rule = alt.Chart(alt.NamedData(name="target")).mark_rule(strokeDash=[6, 4], color="#333").encode(
        y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Plan target", format=".1%" if share else ",.3~g")])
    return alt.layer(lines, points, rule).properties(height=legend_height(HEIGHT, list(groups)), padding=PADDING)


def history_chart(df: pd.DataFrame, group: str, share: bool = True, target: float | None = None,
                  y_title: str = "Value") -> alt.LayerChart:
    """:func:`history_template` with its datasets filled from ``df`` (columns ``period``, ``group`` (its name in
    ``group``), ``value``, ``n``, ``complete``) and ``target``."""
    chart = history_template(group, history_groups(df, group), share, y_title)
    chart.datasets = history_datasets(df, group, target)
    return chart


def backtest_datasets(teams: pd.DataFrame, cost: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Datasets of the back-test charts: ``teams`` (``period``, ``team``, ``payout`` (NaN = missing), ``label``,
    ``money``) and ``cost`` (``period``, ``target_cost``)."""
    t = teams[["period", "team", "payout", "label", "money"]]
    return {"payout": _json_rows(t.assign(shown=t["payout"].fillna(-1.0))),
            "paid": _json_rows(t[["period", "team", "money"]].dropna(subset=["money"])),
            "target_cost": _json_rows(cost[["period", "target_cost"]])}


def backtest_layout(teams: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(teams in the order of their rows, periods sorted): what the back-test charts' layout depends on."""
    return tuple(str(t) for t in dict.fromkeys(teams["team"])), tuple(sorted(str(p) for p in teams["period"].unique()))


def backtest_payout_template(teams: Sequence[str], periods: Sequence[str]) -> alt.LayerChart:
    """Payout by team and period over the ``payout`` dataset of :func:`backtest_datasets`."""
    base = alt.Chart(alt.NamedData(name="payout")).encode(
        x=alt.X("period:O", title=None, sort=list(periods), axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("team:N", title=None, sort=list(teams), axis=category_axis(220)))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.condition(alt.datum.shown < 0, alt.value("#e6e6e6"), alt.Color(
            "payout:Q", title="Payout", scale=alt.Scale(scheme="blues", domain=[0, 1.5], clamp=True),
            legend=alt.Legend(format=PCT, gradientLength=110))),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip("team:N", title="Team"),
                 alt.Tooltip("label:N", title="Payout"), alt.Tooltip("money:Q", title="Paid", format=MONEY)])
    text = base.mark_text(fontSize=11).encode(
        text="label:N", color=alt.condition(alt.datum.shown > 0.9, alt.value("white"), alt.value("#333")))
    return (rect + text).properties(height=60 + 36 * len(teams), padding=PADDING)


def backtest_payout_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Payout by team and period: columns ``period``, ``team``, ``payout`` (NaN = missing), ``label``, ``money``."""
    chart = backtest_payout_template(*backtest_layout(df))
    chart.datasets = {"payout": backtest_datasets(df, pd.DataFrame({"period": [], "target_cost": []}))["payout"]}
    return chart


def backtest_cost_template(teams: Sequence[str], periods: Sequence[str]) -> alt.LayerChart:
    """Cost per period stacked by team over the ``paid`` dataset of :func:`backtest_datasets`, with the on-target
    cost (``target_cost``) as a tick. ``periods``: those of the on-target cost, sorted."""
    bars = alt.Chart(alt.NamedData(name="paid")).mark_bar().encode(
        x=alt.X("period:O", title=None, sort=list(periods), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("money:Q", title="Cost per period", axis=money_axis(), stack="zero"),
        color=alt.Color("team:N", title="Team", scale=color_scale(list(teams)), legend=LEGEND),
        order=alt.Order("team:N"),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip("team:N", title="Team"),
                 alt.Tooltip("money:Q", title="Paid", format=MONEY)])
    ticks = alt.Chart(alt.NamedData(name="target_cost")).mark_tick(color=BUDGET_COLOR, thickness=3, size=40).encode(
        x=alt.X("period:O", sort=list(periods)), y="target_cost:Q",
        tooltip=[alt.Tooltip("period:O", title="Period"),
                 alt.Tooltip("target_cost:Q", title="On-target cost (whole roster)", format=MONEY)])
    return (bars + ticks).properties(height=legend_height(HEIGHT, list(teams)), padding=PADDING)


def backtest_cost_chart(df: pd.DataFrame, cost: pd.DataFrame) -> alt.LayerChart:
    """Cost per period stacked by team (``period``, ``team``, ``money``) with the on-target cost
    (``cost``: ``period``, ``target_cost``) as a tick."""
    teams = tuple(str(t) for t in dict.fromkeys(df["team"]))
    chart = backtest_cost_template(teams, tuple(sorted(cost["period"].unique())))
    full = df.assign(payout=float("nan"), label="") if "payout" not in df else df
    data = backtest_datasets(full, cost)
    chart.datasets = {"paid": data["paid"], "target_cost": data["target_cost"]}
    return chart


# One spec of each back-test chart, built by Altair once; a plan's layout (its teams and periods) is written into a
# copy. Altair builds each in 30-40 ms and the layout is only sort orders, a colour domain and the height.
_GENERIC: dict[str, dict[str, Any]] = {}


def _generic(name: str) -> dict[str, Any]:
    if name not in _GENERIC:
        template = backtest_payout_template if name == "payout" else backtest_cost_template
        _GENERIC[name] = template(("team",), ("period",)).to_dict(validate=False)
    return copy.deepcopy(_GENERIC[name])


def backtest_payout_spec(teams: Sequence[str], periods: Sequence[str]) -> dict[str, Any]:
    """The Vega-Lite spec of :func:`backtest_payout_template` for ``teams`` and ``periods`` (tested equal)."""
    spec = _generic("payout")
    for layer in spec["layer"]:
        layer["encoding"]["x"]["sort"] = list(periods)
        layer["encoding"]["y"]["sort"] = list(teams)
    spec["height"] = 60 + 36 * len(teams)
    return spec


def backtest_cost_spec(teams: Sequence[str], periods: Sequence[str]) -> dict[str, Any]:
    """The Vega-Lite spec of :func:`backtest_cost_template` for ``teams`` and ``periods`` (tested equal)."""
    spec = _generic("cost")
    for layer in spec["layer"]:
        layer["encoding"]["x"]["sort"] = list(periods)
    scale = color_scale(list(teams))
    spec["layer"][0]["encoding"]["color"]["scale"] = {"domain": list(scale.domain), "range": list(scale.range)}
    spec["height"] = legend_height(HEIGHT, list(teams))
    return spec
