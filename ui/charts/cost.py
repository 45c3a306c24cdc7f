"""The Cost simulation page's charts: the cost histogram, cost by team or plan, individual payout, the
sensitivity tornado, each team's chance at target, an assumption's preview.

They are templates over named datasets: the spec depends only on the layout
(titles, number of rows), so new numbers after a plan edit swap data rows
instead of rebuilding a chart with Altair (20-75 ms each). ``*_data`` gives the
datasets for ``ui.charts.cache.chart(..., datasets=...)``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts.base import (
    BUDGET_COLOR,
    HEIGHT,
    MONEY,
    PADDING,
    PALETTE,
    PCT,
    QUANTILE_COLOR,
    bar_height,
    category_axis,
    color_scale,
    money_axis,
    rows,
    wrapped,
)


def budget_rows(budget: float | None, peak: float = 1.0) -> list[dict[str, object]]:
    """Rows of the named dataset ``budget`` that :func:`cost_histogram` draws as its budget line."""
    rule_top, budget_row, _ = label_rows(peak)
    return [] if budget is None else [{"label": "Budget", "cost": float(budget), "bottom": 0.0, "top": rule_top,
                                       "row": budget_row}]


def label_rows(peak: float) -> tuple[float, float, float]:
    """Heights (in the bars' share) where rules stop, the budget label sits, and the percentile labels sit."""
    return peak * 1.05, peak * 1.12, peak * 1.24


def cost_histogram_data(bins: pd.DataFrame, quantiles: dict[str, float],
                        budget: float | None) -> dict[str, list[dict[str, object]]]:
    """Datasets of :func:`cost_histogram`: ``bins`` (``lo``, ``hi``, ``share``), percentile markers, the budget."""
    peak = float(bins["share"].max()) if len(bins) else 1.0
    rule_top, _, quantile_row = label_rows(peak)
    return {"bins": rows(bins),
            "quantiles": [{"label": k, "cost": float(v), "bottom": 0.0, "top": rule_top, "row": quantile_row}
                          for k, v in quantiles.items()],
            "budget": budget_rows(budget, peak)}


def cost_histogram(x_title: str = "Cost per period") -> alt.LayerChart:
    """Cost distribution over the datasets of :func:`cost_histogram_data`: P10/P50/P90 markers and a budget line.

    A budget change swaps the ``budget`` rows only. The rules stop below the labels and
    the budget label sits one row under the percentile labels, so "P90" and "Budget"
    never cross however close they are.
    """
    y_axis = {"title": "Share of trials", "axis": alt.Axis(format=PCT)}
    bars = alt.Chart(alt.NamedData(name="bins")).mark_rect(
        color=PALETTE[0], opacity=0.85, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("lo:Q", title=x_title, axis=money_axis(), scale=alt.Scale(zero=False)),
        x2="hi:Q", y=alt.Y("share:Q", **y_axis), y2=alt.datum(0),
        tooltip=[alt.Tooltip("lo:Q", title="From", format=MONEY), alt.Tooltip("hi:Q", title="To", format=MONEY),
                 alt.Tooltip("share:Q", title="Share of trials", format=".1%")])
    q = alt.Chart(alt.NamedData(name="quantiles"))
    q_rules = q.mark_rule(color=QUANTILE_COLOR, strokeDash=[3, 3]).encode(
        x="cost:Q", y=alt.Y("bottom:Q", **y_axis), y2="top:Q",
        tooltip=[alt.Tooltip("label:N", title="Percentile"), alt.Tooltip("cost:Q", title="Cost", format=MONEY)])
    q_text = q.mark_text(color=QUANTILE_COLOR, fontSize=11).encode(
        x="cost:Q", y=alt.Y("row:Q", **y_axis), text="label:N")
    budget = alt.Chart(alt.NamedData(name="budget"))
    b_rule = budget.mark_rule(color=BUDGET_COLOR, strokeWidth=2.5).encode(
        x="cost:Q", y=alt.Y("bottom:Q", **y_axis), y2="top:Q",
        tooltip=[alt.Tooltip("cost:Q", title="Budget", format=MONEY)])
    b_text = budget.mark_text(color=BUDGET_COLOR, fontWeight="bold", fontSize=11).encode(
        x="cost:Q", y=alt.Y("row:Q", **y_axis), text="label:N")
    return alt.layer(bars, q_rules, q_text, b_rule, b_text).properties(height=HEIGHT + 40, padding=PADDING)


def team_chart_data(df: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Dataset of :func:`team_chart`: columns ``team`` (a team's or a plan's name), ``expected`` (money),
    optional ``p90``; the name is wrapped onto lines for the axis (``team_label``)."""
    return {"teams": rows(wrapped(df, "team"))}


def team_chart(n_teams: int, x_title: str = "Expected cost per period", with_p90: bool = False) -> alt.Chart:
    """Expected cost by team or plan (the named dataset of :func:`team_chart_data`): every bar labelled."""
    tips = [alt.Tooltip("team:N", title="Team"), alt.Tooltip("expected:Q", title="Expected cost", format=MONEY)]
    if with_p90:
        tips.append(alt.Tooltip("p90:Q", title="P90", format=MONEY))
    return alt.Chart(alt.NamedData(name="teams")).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("team_label:N", title=None, sort="-x", axis=category_axis()),
        x=alt.X("expected:Q", title=x_title, axis=money_axis()),
        tooltip=tips).properties(height=bar_height(n_teams), padding=PADDING)


def payout_pct_data(bins: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Dataset of :func:`payout_pct_chart`: ``bins`` with ``lo``, ``hi`` (fractions), ``share``."""
    return {"bins": rows(bins)}


def payout_pct_chart() -> alt.Chart:
    """Individual payout % distribution (the named dataset of :func:`payout_pct_data`)."""
    return alt.Chart(alt.NamedData(name="bins")).mark_rect(
        color=PALETTE[2], opacity=0.85, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("lo:Q", title="Individual payout (% of target incentive)", axis=alt.Axis(format=PCT)), x2="hi:Q",
        y=alt.Y("share:Q", title="Share of people x periods", axis=alt.Axis(format=PCT)), y2=alt.datum(0),
        tooltip=[alt.Tooltip("lo:Q", title="From", format=".0%"), alt.Tooltip("hi:Q", title="To", format=".0%"),
                 alt.Tooltip("share:Q", title="Share", format=".1%")]).properties(height=HEIGHT, padding=PADDING)


TORNADO_LOW, TORNADO_HIGH = "Metric low (its P10)", "Metric high (its P90)"


def tornado_data(df: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Datasets of :func:`tornado_chart` from ``metric``, ``low``, ``high`` (cost at its P10 / P90), ``base``."""
    base = float(df["base"].iloc[0]) if len(df) else 0.0
    span = (df["high"] - df["low"]).abs()
    long = pd.concat([df.assign(end=df["low"], side=TORNADO_LOW, span=span),
                      df.assign(end=df["high"], side=TORNADO_HIGH, span=span)])
    return {"bars": rows(wrapped(long, "metric")), "base": [{"base": base}]}


def tornado_chart(n_metrics: int, x_title: str = "Expected cost per period") -> alt.LayerChart:
    """Sensitivity bars over the datasets of :func:`tornado_data`, the widest swing on top.

    A metric's name is wrapped onto up to three lines (never cut at 1400 px, and narrow enough for a phone).
    """
    bars = alt.Chart(alt.NamedData(name="bars")).mark_bar().encode(
        y=alt.Y("metric_label:N", title=None, sort=alt.EncodingSortField(field="span", op="max", order="descending"),
                axis=category_axis(160)),
        x=alt.X("end:Q", title=x_title, axis=money_axis(), scale=alt.Scale(zero=False)),
        x2=alt.X2("base:Q"),
        # one legend entry per line: two short entries fit a 390 px phone without being cut
        color=alt.Color("side:N", title=None, scale=color_scale([TORNADO_LOW, TORNADO_HIGH]),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=240)),
        tooltip=[alt.Tooltip("metric:N", title="Metric"), alt.Tooltip("side:N", title="When"),
                 alt.Tooltip("end:Q", title="Expected cost", format=MONEY)])
    rule = alt.Chart(alt.NamedData(name="base")).mark_rule(color="#333").encode(x="base:Q")
    # the height includes axis and legend (Streamlit fits layered charts), hence the fixed 110 px
    return (bars + rule).properties(height=110 + 52 * n_metrics, padding=PADDING)


def preview_chart(bins: pd.DataFrame, unit_format: str = ",.3~g") -> alt.Chart:
    """A small histogram of one assumption: ``bins`` with ``lo``, ``hi``, ``share``."""
    return alt.Chart(bins).mark_rect(color=PALETTE[4], stroke="white", strokeWidth=0.3).encode(
        x=alt.X("lo:Q", title=None, axis=alt.Axis(format=unit_format, labelFontSize=9, tickCount=4),
                scale=alt.Scale(zero=False)), x2="hi:Q",
        y=alt.Y("share:Q", title=None, axis=None), y2=alt.datum(0),
        tooltip=[alt.Tooltip("lo:Q", title="From", format=unit_format),
                 alt.Tooltip("hi:Q", title="To", format=unit_format),
                 alt.Tooltip("share:Q", title="Share", format=".1%")]).properties(height=70, padding=PADDING)


def fairness_data(df: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Dataset of :func:`fairness_chart`: columns ``team``, ``p_at_or_above_target``, ``p_zero``,
    ``expected_payout`` (fractions)."""
    return {"fairness": rows(wrapped(df[["team", "p_at_or_above_target", "p_zero", "expected_payout"]], "team"))}


def fairness_chart(n_teams: int) -> alt.Chart:
    """Each team's chance of reaching target (the named dataset of :func:`fairness_data`): every bar labelled."""
    tips = [alt.Tooltip("team:N", title="Team"),
            alt.Tooltip("p_at_or_above_target:Q", title="Reaches target", format=".0%"),
            alt.Tooltip("p_zero:Q", title="Earns nothing", format=".1%"),
            alt.Tooltip("expected_payout:Q", title="Expected payout", format=".0%")]
    return alt.Chart(alt.NamedData(name="fairness")).mark_bar(color=PALETTE[1]).encode(
        y=alt.Y("team_label:N", title=None, sort=None, axis=category_axis()),
        x=alt.X("p_at_or_above_target:Q", title=["Share of periods paid", "at least 100% of target"],
                axis=alt.Axis(format=PCT), scale=alt.Scale(domain=[0, 1])),
        tooltip=tips).properties(height=bar_height(n_teams), padding=PADDING)
