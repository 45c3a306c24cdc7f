"""Altair chart builders: pure functions from DataFrames (made by compcore) to charts.

Conventions: attainment and payout are fractions shown as %, money is shown
with thousands separators (``CURRENCY`` prefix), every mark has a tooltip,
axes are labelled, and colours come from :data:`PALETTE` in a stable order
(the n-th component, scenario or series always gets the same colour).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

#: currency prefix for money axes and labels (the plan has no currency field; see docs/app.md)
CURRENCY = "$"
MONEY = f"{CURRENCY},.0f"
PCT = ".0%"
#: colour-blind friendly categorical palette (Okabe-Ito), used in a fixed order
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BUDGET_COLOR = "#D55E00"
QUANTILE_COLOR = "#555555"
HEIGHT = 260
LEGEND = alt.Legend(orient="bottom", labelLimit=320, columns=3)


def money(x: float) -> str:
    """12345.6 -> '$12,346'."""
    return f"{'-' if x < 0 else ''}{CURRENCY}{abs(x):,.0f}"


def pct(x: float, digits: int = 0) -> str:
    """0.125 -> '12.5%' (digits=1)."""
    return f"{x * 100:.{digits}f}%"


def color_scale(domain: Sequence[str]) -> alt.Scale:
    """The palette mapped onto ``domain`` in order, so colours are stable across charts."""
    return alt.Scale(domain=list(domain), range=[PALETTE[i % len(PALETTE)] for i in range(len(domain))])


def _x_att(title: str = "Attainment (% of target)") -> alt.X:
    return alt.X("attainment:Q", title=title, axis=alt.Axis(format=PCT))


def _target_rule() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"attainment": [1.0]})).mark_rule(strokeDash=[4, 4], color="#999").encode(
        x="attainment:Q")


def curve_chart(df: pd.DataFrame, title: str = "", color: str = PALETTE[0]) -> alt.LayerChart:
    """One payout curve: columns ``attainment``, ``payout`` (fractions)."""
    line = alt.Chart(df).mark_line(color=color, strokeWidth=2.5, interpolate="linear").encode(
        x=_x_att(), y=alt.Y("payout:Q", title="Payout (% of target incentive)", axis=alt.Axis(format=PCT)),
        tooltip=[alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("payout:Q", title="Payout", format=".1%")])
    return (line + _target_rule()).properties(title=title, height=HEIGHT + 40)


def components_chart(df: pd.DataFrame, labels: Sequence[str]) -> alt.LayerChart:
    """Every component's curve: columns ``label``, ``attainment``, ``payout``."""
    line = alt.Chart(df).mark_line(strokeWidth=2.5).encode(
        x=_x_att(), y=alt.Y("payout:Q", title="Payout (% of target incentive)", axis=alt.Axis(format=PCT)),
        color=alt.Color("label:N", title="Component", scale=color_scale(labels), legend=LEGEND),
        tooltip=[alt.Tooltip("label:N", title="Component"),
                 alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("payout:Q", title="Payout", format=".1%")])
    return (line + _target_rule()).properties(height=HEIGHT + 40)


def records(df: pd.DataFrame) -> list[dict[str, object]]:
    """DataFrame -> JSON-ready rows for a named dataset (fast path for numeric frames)."""
    cols = list(df.columns)
    return [dict(zip(cols, row, strict=True)) for row in df.itertuples(index=False, name=None)]


def sweep_rows(df: pd.DataFrame, series: dict[str, str]) -> list[dict[str, object]]:
    """Rows of the named dataset ``sweep`` for :func:`sweep_chart`: attainment, series label, payout."""
    long = df.melt(id_vars=["attainment"], value_vars=list(series), var_name="series", value_name="payout")
    long["series"] = long["series"].map(series)
    return records(long[["attainment", "series", "payout"]])


def sweep_chart(labels: list[str], metric_name: str) -> alt.LayerChart:
    """The plan total (first label) and each component's weighted share as one metric varies.

    Data: the named dataset ``"sweep"`` (:func:`sweep_rows`), so moving a held
    value swaps data without rebuilding the chart.
    """
    line = alt.Chart(alt.NamedData(name="sweep")).mark_line().encode(
        x=_x_att(f"{metric_name} (% of target)"),
        y=alt.Y("payout:Q", title="Payout (% of target incentive)", axis=alt.Axis(format=PCT)),
        color=alt.Color("series:N", title=None, scale=color_scale(labels), legend=LEGEND),
        strokeWidth=alt.condition(alt.datum.series == labels[0], alt.value(3.5), alt.value(1.5)),
        tooltip=[alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("payout:Q", title="Payout", format=".1%")])
    return (line + _target_rule()).properties(height=HEIGHT + 40)


def heatmap_rows(df: pd.DataFrame) -> tuple[list[dict[str, object]], list[float]]:
    """Rows of the named dataset ``heat`` for :func:`heatmap_chart` (cells with their far corner) and the domain."""
    step = float(df["x"].drop_duplicates().sort_values().diff().median())
    data = df.assign(x2=df["x"] + step, y2=df["y"] + step)
    return records(data), [float(df["x"].min()), float(df["x"].max()) + step]


def heatmap_chart(x_title: str, y_title: str, domain: list[float]) -> alt.Chart:
    """Total payout over two attainments (named dataset ``"heat"``); a gate shows as a colour edge."""
    return alt.Chart(alt.NamedData(name="heat")).mark_rect().encode(
        x=alt.X("x:Q", title=f"{x_title} (% of target)", axis=alt.Axis(format=PCT),
                scale=alt.Scale(domain=domain, nice=False)), x2="x2:Q",
        y=alt.Y("y:Q", title=f"{y_title} (% of target)", axis=alt.Axis(format=PCT),
                scale=alt.Scale(domain=domain, nice=False)), y2="y2:Q",
        color=alt.Color("total:Q", title="Payout", scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(format=PCT)),
        tooltip=[alt.Tooltip("x:Q", title=x_title, format=".1%"), alt.Tooltip("y:Q", title=y_title, format=".1%"),
                 alt.Tooltip("total:Q", title="Payout", format=".1%")],
    ).properties(height=HEIGHT + 80)


def budget_rows(budget: float | None, peak: float = 1.0) -> list[dict[str, object]]:
    """Rows of the named dataset ``budget`` that :func:`cost_histogram` draws as its budget line."""
    rule_top, budget_row, _ = _label_rows(peak)
    return [] if budget is None else [{"label": "Budget", "cost": float(budget), "bottom": 0.0, "top": rule_top,
                                       "row": budget_row}]


def _label_rows(peak: float) -> tuple[float, float, float]:
    """Heights (in the bars' share) where rules stop, the budget label sits, and the percentile labels sit."""
    return peak * 1.05, peak * 1.12, peak * 1.24


def _rows(df: pd.DataFrame) -> list[dict[str, object]]:
    """``df.to_dict("records")`` with plain Python values, column by column (a few times faster)."""
    cols = [str(c) for c in df.columns]
    return [dict(zip(cols, row, strict=True)) for row in zip(*(df[c].tolist() for c in df.columns), strict=True)]


# The cost page's charts are templates over named datasets: the spec depends only on the layout
# (titles, number of rows), so new numbers after a plan edit swap data rows instead of rebuilding
# a chart with Altair (20-75 ms each). ``*_data`` gives the datasets for
# ``ui.chart_cache.chart(..., datasets=...)``.


def cost_histogram_data(bins: pd.DataFrame, quantiles: dict[str, float],
                        budget: float | None) -> dict[str, list[dict[str, object]]]:
    """Datasets of :func:`cost_histogram`: ``bins`` (``lo``, ``hi``, ``share``), percentile markers, the budget."""
    peak = float(bins["share"].max()) if len(bins) else 1.0
    rule_top, _, quantile_row = _label_rows(peak)
    return {"bins": _rows(bins),
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
        x=alt.X("lo:Q", title=x_title, axis=alt.Axis(format=MONEY), scale=alt.Scale(zero=False)),
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
    return alt.layer(bars, q_rules, q_text, b_rule, b_text).properties(height=HEIGHT + 40)


def team_chart_data(df: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Dataset of :func:`team_chart`: columns ``team``, ``expected`` (money), optional ``p90``."""
    return {"teams": _rows(df)}


def team_chart(n_teams: int, x_title: str = "Expected cost per period", with_p90: bool = False) -> alt.Chart:
    """Expected cost by team (the named dataset of :func:`team_chart_data`)."""
    tips = [alt.Tooltip("team:N", title="Team"), alt.Tooltip("expected:Q", title="Expected cost", format=MONEY)]
    if with_p90:
        tips.append(alt.Tooltip("p90:Q", title="P90", format=MONEY))
    return alt.Chart(alt.NamedData(name="teams")).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("team:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
        x=alt.X("expected:Q", title=x_title, axis=alt.Axis(format=MONEY)),
        tooltip=tips).properties(height=max(120, 36 * n_teams))


def payout_pct_data(bins: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Dataset of :func:`payout_pct_chart`: ``bins`` with ``lo``, ``hi`` (fractions), ``share``."""
    return {"bins": _rows(bins)}


def payout_pct_chart() -> alt.Chart:
    """Individual payout % distribution (the named dataset of :func:`payout_pct_data`)."""
    return alt.Chart(alt.NamedData(name="bins")).mark_rect(
        color=PALETTE[2], opacity=0.85, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("lo:Q", title="Individual payout (% of target incentive)", axis=alt.Axis(format=PCT)), x2="hi:Q",
        y=alt.Y("share:Q", title="Share of people x periods", axis=alt.Axis(format=PCT)), y2=alt.datum(0),
        tooltip=[alt.Tooltip("lo:Q", title="From", format=".0%"), alt.Tooltip("hi:Q", title="To", format=".0%"),
                 alt.Tooltip("share:Q", title="Share", format=".1%")]).properties(height=HEIGHT)


TORNADO_LOW, TORNADO_HIGH = "Metric low (its P10)", "Metric high (its P90)"


def tornado_data(df: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Datasets of :func:`tornado_chart` from ``metric``, ``low``, ``high`` (cost at its P10 / P90), ``base``."""
    base = float(df["base"].iloc[0]) if len(df) else 0.0
    span = (df["high"] - df["low"]).abs()
    long = pd.concat([df.assign(end=df["low"], side=TORNADO_LOW, span=span),
                      df.assign(end=df["high"], side=TORNADO_HIGH, span=span)])
    return {"bars": _rows(long), "base": [{"base": base}]}


def tornado_chart(n_metrics: int, x_title: str = "Expected cost per period") -> alt.LayerChart:
    """Sensitivity bars over the datasets of :func:`tornado_data`, the widest swing on top."""
    bars = alt.Chart(alt.NamedData(name="bars")).mark_bar().encode(
        y=alt.Y("metric:N", title=None, sort=alt.EncodingSortField(field="span", op="max", order="descending"),
                axis=alt.Axis(labelLimit=150)),  # a long name ends in "…" (the tooltip has it all), so a phone fits
        x=alt.X("end:Q", title=x_title, axis=alt.Axis(format=MONEY), scale=alt.Scale(zero=False)),
        x2=alt.X2("base:Q"),
        # one legend entry per line: two short entries fit a 390 px phone without being cut
        color=alt.Color("side:N", title=None, scale=color_scale([TORNADO_LOW, TORNADO_HIGH]),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=240)),
        tooltip=[alt.Tooltip("metric:N", title="Metric"), alt.Tooltip("side:N", title="When"),
                 alt.Tooltip("end:Q", title="Expected cost", format=MONEY)])
    rule = alt.Chart(alt.NamedData(name="base")).mark_rule(color="#333").encode(x="base:Q")
    # the height includes axis and legend (Streamlit fits layered charts), hence the fixed 110 px
    return (bars + rule).properties(height=110 + 44 * n_metrics)


def preview_chart(bins: pd.DataFrame, unit_format: str = ",.3~g") -> alt.Chart:
    """A small histogram of one assumption: ``bins`` with ``lo``, ``hi``, ``share``."""
    return alt.Chart(bins).mark_rect(color=PALETTE[4], stroke="white", strokeWidth=0.3).encode(
        x=alt.X("lo:Q", title=None, axis=alt.Axis(format=unit_format, labelFontSize=9, tickCount=4),
                scale=alt.Scale(zero=False)), x2="hi:Q",
        y=alt.Y("share:Q", title=None, axis=None), y2=alt.datum(0),
        tooltip=[alt.Tooltip("lo:Q", title="From", format=unit_format),
                 alt.Tooltip("hi:Q", title="To", format=unit_format),
                 alt.Tooltip("share:Q", title="Share", format=".1%")]).properties(height=70)


# ---------------------------------------------------------------- targets from data (issue 6)


def history_chart(df: pd.DataFrame, group: str, share: bool = True, target: float | None = None,
                  y_title: str = "Value") -> alt.LayerChart:
    """A metric's history: columns ``period``, ``group`` (its name in ``group``), ``value``, ``n``, ``complete``.

    One line per group; incomplete periods are hollow points; gaps (NaN) stay gaps; ``target`` is a dashed rule.
    """
    fmt = PCT if share else ",.3~g"
    groups = sorted(df[group].astype(str).unique())
    data = df.assign(status=df["complete"].map({True: "complete", False: "not complete yet"}))
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title=None, sort=sorted(df["period"].unique()), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt, labelLimit=200)),
        color=alt.Color(f"{group}:N", title=group.capitalize(), scale=color_scale(groups),
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
    return alt.layer(*layers).properties(height=HEIGHT + 40)


def backtest_payout_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Payout by team and period: columns ``period``, ``team``, ``payout`` (NaN = missing), ``label``, ``money``."""
    data = df.assign(shown=df["payout"].fillna(-1.0))
    periods = sorted(df["period"].unique())
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title=None, sort=periods, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("team:N", title=None, sort=list(dict.fromkeys(df["team"])),
                axis=alt.Axis(labelLimit=220, labelOverlap=False)))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.condition(alt.datum.shown < 0, alt.value("#e6e6e6"), alt.Color(
            "payout:Q", title="Payout", scale=alt.Scale(scheme="blues", domain=[0, 1.5], clamp=True),
            legend=alt.Legend(format=PCT, gradientLength=110))),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip("team:N", title="Team"),
                 alt.Tooltip("label:N", title="Payout"), alt.Tooltip("money:Q", title="Paid", format=MONEY)])
    text = base.mark_text(fontSize=11).encode(
        text="label:N", color=alt.condition(alt.datum.shown > 0.9, alt.value("white"), alt.value("#333")))
    return (rect + text).properties(height=60 + 36 * df["team"].nunique())


def backtest_cost_chart(df: pd.DataFrame, cost: pd.DataFrame) -> alt.LayerChart:
    """Cost per period stacked by team (``period``, ``team``, ``money``) with the on-target cost
    (``cost``: ``period``, ``target_cost``) as a tick."""
    teams = list(dict.fromkeys(df["team"]))
    periods = sorted(cost["period"].unique())
    bars = alt.Chart(df.dropna(subset=["money"])).mark_bar().encode(
        x=alt.X("period:O", title=None, sort=periods, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("money:Q", title="Cost per period", axis=alt.Axis(format=MONEY), stack="zero"),
        color=alt.Color("team:N", title="Team", scale=color_scale(teams), legend=LEGEND),
        order=alt.Order("team:N"),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip("team:N", title="Team"),
                 alt.Tooltip("money:Q", title="Paid", format=MONEY)])
    ticks = alt.Chart(cost).mark_tick(color=BUDGET_COLOR, thickness=3, size=40).encode(
        x=alt.X("period:O", sort=periods), y="target_cost:Q",
        tooltip=[alt.Tooltip("period:O", title="Period"),
                 alt.Tooltip("target_cost:Q", title="On-target cost (whole roster)", format=MONEY)])
    return (bars + ticks).properties(height=HEIGHT + 40)


# ---------------------------------------------------------------- solve for a budget (issue 13)
# "Now" is always the first palette colour and "With the answer" the second.

SOLVE_SERIES = ["Now", "With the answer"]


def _value_format(percent: bool, is_money: bool) -> str:
    return PCT if percent else MONEY if is_money else ",.3~g"


def cost_pair_chart(bins: pd.DataFrame, budget: float | None) -> alt.LayerChart:
    """Two cost histograms on the same bins (``lo``, ``hi``, ``share``, ``series``): now as bars, with the
    answer as a step line over them, the budget as a rule."""
    x = alt.X("lo:Q", title="Cost per period", axis=alt.Axis(format=MONEY, tickCount=5), scale=alt.Scale(zero=False))
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
    return alt.layer(*layers).properties(height=HEIGHT)


def curve_pair_chart(df: pd.DataFrame, x_title: str, y_title: str, y_money: bool) -> alt.Chart:
    """The curve the knob changes, before and after: ``x`` (attainment), ``y``, ``series``."""
    y_fmt = MONEY if y_money else PCT
    return alt.Chart(df).mark_line(strokeWidth=2.5).encode(
        x=alt.X("x:Q", title=x_title, axis=alt.Axis(format=PCT)),
        y=alt.Y("y:Q", title=y_title, axis=alt.Axis(format=y_fmt)),
        color=alt.Color("series:N", title=None, scale=color_scale(SOLVE_SERIES), legend=LEGEND),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=SOLVE_SERIES, range=[[1, 0], [6, 3]]),
                                  legend=None),
        tooltip=[alt.Tooltip("series:N", title="Plan"), alt.Tooltip("x:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("y:Q", title="Payout", format=y_fmt.replace(".0%", ".1%"))],
    ).properties(height=HEIGHT)


def frontier_chart(df: pd.DataFrame, x_title: str, x_percent: bool, x_money: bool, y_title: str,
                   y_percent: bool, goal: float) -> alt.LayerChart:
    """The goal's measure across the knob's range (``value``, ``measure``, ``point``), the goal as a dashed
    rule, the current value and the answer as points."""
    x_fmt, y_fmt = _value_format(x_percent, x_money), PCT if y_percent else MONEY
    x = alt.X("value:Q", title=x_title, axis=alt.Axis(format=x_fmt, tickCount=5), scale=alt.Scale(zero=False))
    y = alt.Y("measure:Q", title=y_title, axis=alt.Axis(format=y_fmt), scale=alt.Scale(zero=False))
    tips = [alt.Tooltip("value:Q", title=x_title, format=x_fmt if x_fmt != PCT else ".2%"),
            alt.Tooltip("measure:Q", title=y_title, format=".2%" if y_percent else MONEY)]
    line = alt.Chart(df[df["point"] == "across the range"]).mark_line(color="#888", point=True).encode(
        x=x, y=y, tooltip=tips)
    marks = alt.Chart(df[df["point"] != "across the range"]).mark_point(size=140, filled=True).encode(
        x=x, y=y, color=alt.Color("point:N", title=None, scale=color_scale(["now", "answer"]), legend=LEGEND),
        tooltip=[alt.Tooltip("point:N", title="Point"), *tips])
    rule = alt.Chart(pd.DataFrame({"measure": [goal]})).mark_rule(color=BUDGET_COLOR, strokeDash=[6, 4]).encode(
        y="measure:Q", tooltip=[alt.Tooltip("measure:Q", title="Goal", format=".2%" if y_percent else MONEY)])
    return alt.layer(line, rule, marks).properties(height=HEIGHT)



def fairness_data(df: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Dataset of :func:`fairness_chart`: columns ``team``, ``p_at_or_above_target``, ``p_zero``,
    ``expected_payout`` (fractions)."""
    return {"fairness": _rows(df[["team", "p_at_or_above_target", "p_zero", "expected_payout"]])}


def fairness_chart(n_teams: int) -> alt.Chart:
    """Each team's chance of reaching target (the named dataset of :func:`fairness_data`)."""
    tips = [alt.Tooltip("team:N", title="Team"),
            alt.Tooltip("p_at_or_above_target:Q", title="Reaches target", format=".0%"),
            alt.Tooltip("p_zero:Q", title="Earns nothing", format=".1%"),
            alt.Tooltip("expected_payout:Q", title="Expected payout", format=".0%")]
    return alt.Chart(alt.NamedData(name="fairness")).mark_bar(color=PALETTE[1]).encode(
        y=alt.Y("team:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("p_at_or_above_target:Q", title="Share of periods paid at least 100% of target",
                axis=alt.Axis(format=PCT), scale=alt.Scale(domain=[0, 1])),
        tooltip=tips).properties(height=max(120, 36 * n_teams))
