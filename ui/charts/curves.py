"""Payout curves (designer and Payout curves pages): a component's curve, every component, the plan along one
metric, the heatmap of two metrics."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ui.charts.base import (
    HEIGHT,
    LEGEND,
    PADDING,
    PALETTE,
    PCT,
    color_scale,
    legend_height,
    legend_labels,
    records,
    wrap,
)

PAYOUT_TITLE = "Payout (% of target incentive)"
#: characters per line of a metric's name as an axis title (fits the heatmap's height on a phone)
TITLE_WRAP = 32


def x_attainment(title: str = "Attainment (% of target)") -> alt.X:
    """The attainment axis of a payout curve."""
    return alt.X("attainment:Q", title=title, axis=alt.Axis(format=PCT))


def target_rule() -> alt.Chart:
    """The dashed line at 100% attainment (inline values: Altair converts a DataFrame slowly, the spec is the same)."""
    return alt.Chart(alt.Data(values=[{"attainment": 1.0}])).mark_rule(strokeDash=[4, 4], color="#999").encode(
        x="attainment:Q")


def curve_chart(df: pd.DataFrame, title: str = "", color: str = PALETTE[0]) -> alt.LayerChart:
    """One payout curve: columns ``attainment``, ``payout`` (fractions)."""
    line = alt.Chart(df).mark_line(color=color, strokeWidth=2.5, interpolate="linear").encode(
        x=x_attainment(), y=alt.Y("payout:Q", title=PAYOUT_TITLE, axis=alt.Axis(format=PCT)),
        tooltip=[alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("payout:Q", title="Payout", format=".1%")])
    return (line + target_rule()).properties(title=title, height=HEIGHT + 40, padding=PADDING)


def components_rows(df: pd.DataFrame, labels: Sequence[str]) -> dict[str, list[dict[str, object]]]:
    """Datasets of :func:`components_template`: every component's curve (columns ``label``, ``attainment``,
    ``payout``) with its legend name."""
    names = legend_labels(labels)
    return {"curves": records(df[["label", "attainment", "payout"]].assign(legend=df["label"].map(names)))}


def components_chart(df: pd.DataFrame, labels: Sequence[str]) -> alt.LayerChart:
    """Every component's curve: columns ``label``, ``attainment``, ``payout``."""
    chart = components_template(labels)
    chart.datasets = components_rows(df, labels)
    return chart


def components_template(labels: Sequence[str]) -> alt.LayerChart:
    """Every component's curve over the datasets of :func:`components_rows`: the spec depends on the component
    names only, so another plan with the same names, or an edited curve, swaps rows instead of a rebuild."""
    names = legend_labels(labels)
    line = alt.Chart(alt.NamedData(name="curves")).mark_line(strokeWidth=2.5).encode(
        x=x_attainment(), y=alt.Y("payout:Q", title=PAYOUT_TITLE, axis=alt.Axis(format=PCT)),
        color=alt.Color("legend:N", title="Component", scale=color_scale(list(names.values())), legend=LEGEND),
        tooltip=[alt.Tooltip("label:N", title="Component"),
                 alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("payout:Q", title="Payout", format=".1%")])
    return (line + target_rule()).properties(height=legend_height(HEIGHT, labels), padding=PADDING)


def sweep_rows(df: pd.DataFrame, series: dict[str, str]) -> list[dict[str, object]]:
    """Rows of the named dataset ``sweep`` for :func:`sweep_chart`: attainment, series label, payout."""
    names = legend_labels(list(series.values()))
    long = df.melt(id_vars=["attainment"], value_vars=list(series), var_name="series", value_name="payout")
    long["series"] = long["series"].map(series)
    long["legend"] = long["series"].map(names)
    return records(long[["attainment", "series", "legend", "payout"]])


def sweep_chart(labels: list[str], metric_name: str) -> alt.LayerChart:
    """The plan total (first label) and each component's weighted share as one metric varies.

    Data: the named dataset ``"sweep"`` (:func:`sweep_rows`), so moving a held
    value swaps data without rebuilding the chart.
    """
    names = list(legend_labels(labels).values())
    line = alt.Chart(alt.NamedData(name="sweep")).mark_line().encode(
        x=x_attainment(f"{metric_name} (% of target)"),
        y=alt.Y("payout:Q", title=PAYOUT_TITLE, axis=alt.Axis(format=PCT)),
        color=alt.Color("legend:N", title=None, scale=color_scale(names), legend=LEGEND),
        strokeWidth=alt.condition(alt.datum.series == labels[0], alt.value(3.5), alt.value(1.5)),
        tooltip=[alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
                 alt.Tooltip("payout:Q", title="Payout", format=".1%")])
    return (line + target_rule()).properties(height=legend_height(HEIGHT, labels), padding=PADDING)


def heatmap_rows(df: pd.DataFrame) -> tuple[list[dict[str, object]], list[float]]:
    """Rows of the named dataset ``heat`` for :func:`heatmap_chart` (cells with their far corner) and the domain."""
    step = float(df["x"].drop_duplicates().sort_values().diff().median())
    data = df.assign(x2=df["x"] + step, y2=df["y"] + step)
    return records(data), [float(df["x"].min()), float(df["x"].max()) + step]


def heatmap_chart(x_title: str, y_title: str, domain: list[float]) -> alt.Chart:
    """Total payout over two attainments (named dataset ``"heat"``); a gate shows as a colour edge."""
    return alt.Chart(alt.NamedData(name="heat")).mark_rect().encode(
        x=alt.X("x:Q", title=wrap(f"{x_title} (% of target)", TITLE_WRAP).split("\n"),
                axis=alt.Axis(format=PCT), scale=alt.Scale(domain=domain, nice=False)), x2="x2:Q",
        # a long metric name on the y axis is drawn on lines: the axis is only as tall as the chart
        y=alt.Y("y:Q", title=wrap(f"{y_title} (% of target)", TITLE_WRAP).split("\n"),
                axis=alt.Axis(format=PCT), scale=alt.Scale(domain=domain, nice=False)), y2="y2:Q",
        color=alt.Color("total:Q", title="Payout", scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(format=PCT)),
        tooltip=[alt.Tooltip("x:Q", title=x_title, format=".1%"), alt.Tooltip("y:Q", title=y_title, format=".1%"),
                 alt.Tooltip("total:Q", title="Payout", format=".1%")],
    ).properties(height=HEIGHT + 80, padding=PADDING)
