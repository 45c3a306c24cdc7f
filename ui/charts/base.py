"""What every chart shares: number formats, the palette, and axes and legends that fit 1400 and 390 px.

Streamlit's chart theme cuts every axis and legend label at 100 px and hides
labels that would overlap, and its "fit" layout lets an x-axis label that
sits near the right edge run out of the chart ("$30,000" drawn as "$30,00").
The helpers here undo that for every chart: names are wrapped onto lines
instead of cut (:func:`wrap`, :data:`LINES`), a bar chart labels every bar
(:func:`category_axis`), money axes read "$30k" (:func:`money_axis`), and
:data:`PADDING` leaves room at the right edge.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import altair as alt
import pandas as pd

#: currency prefix for money axes and labels (the plan has no currency field; see docs/app.md). Vega's
#: number formats read "$" as the locale's currency sign, so the formats below are written with "$" itself.
CURRENCY = "$"
MONEY = "$,.0f"
PCT = ".0%"
#: colour-blind friendly categorical palette (Okabe-Ito), used in a fixed order
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BUDGET_COLOR = "#D55E00"
QUANTILE_COLOR = "#555555"
HEIGHT = 260
#: room (px) at the chart's right edge for the half of the last x label that lies past the plot
PADDING = {"left": 5, "top": 5, "right": 24, "bottom": 5}
#: a label that holds wrapped lines ("\n" between them) is drawn as those lines
LINES = "split(datum.label, '\\n')"
#: money on an axis: "$800", "$30k", "$1.2M" (short, so the last label fits and none is hidden as overlapping)
MONEY_LABEL = ("abs(datum.value) < 1000 ? format(datum.value, '$,.0f') "
               ": replace(format(datum.value, '$.3~s'), 'G', 'B')")
#: legends list one entry per line: a long plan or metric name then fits a 390 px phone and is never cut
LEGEND = alt.Legend(orient="bottom", direction="vertical", labelLimit=340, labelExpr=LINES)
#: characters per line of a wrapped name (a bar's label, a legend entry)
AXIS_WRAP, LEGEND_WRAP = 22, 44


def money(x: float) -> str:
    """12345.6 -> '$12,346'."""
    return f"{'-' if x < 0 else ''}{CURRENCY}{abs(x):,.0f}"


def pct(x: float, digits: int = 0) -> str:
    """0.125 -> '12.5%' (digits=1)."""
    return f"{x * 100:.{digits}f}%"


def wrap(text: object, width: int = AXIS_WRAP, max_lines: int = 3) -> str:
    """A name as lines of at most ``width`` characters joined by "\\n" (drawn as lines by :data:`LINES`).

    >>> wrap("Change & Enablement quarterly bonus")
    'Change & Enablement\\nquarterly bonus'
    >>> wrap("PMO")
    'PMO'
    """
    lines = textwrap.wrap(str(text), width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], textwrap.shorten(" ".join(lines[max_lines - 1:]), width, placeholder="…")]
    return "\n".join(lines)


def wrapped(df: pd.DataFrame, column: str, width: int = AXIS_WRAP) -> pd.DataFrame:
    """``df`` with ``<column>_label``: the column's names wrapped for an axis or a legend."""
    return df.assign(**{f"{column}_label": [wrap(v, width) for v in df[column]]})


def color_scale(domain: Sequence[str]) -> alt.Scale:
    """The palette mapped onto ``domain`` in order, so colours are stable across charts."""
    return alt.Scale(domain=list(domain), range=[PALETTE[i % len(PALETTE)] for i in range(len(domain))])


def money_axis(**kwargs: object) -> alt.Axis:
    """An axis of money: "$30k" labels, the last one kept inside the chart."""
    return alt.Axis(format=MONEY, labelExpr=MONEY_LABEL, labelFlush=True, **kwargs)


def category_axis(label_limit: int = 180) -> alt.Axis:
    """The axis of a bar per team, plan or metric: every bar labelled (no label hidden as overlapping),
    names on up to three lines instead of cut."""
    return alt.Axis(labelLimit=label_limit, labelOverlap=False, labelExpr=LINES)


def bar_height(n: int, per_bar: int = 40, axes: int = 64) -> int:
    """Height of a horizontal bar chart: Streamlit fits the whole chart (axis and its title too) into it."""
    return axes + per_bar * max(n, 1)


def records(df: pd.DataFrame) -> list[dict[str, object]]:
    """DataFrame -> JSON-ready rows for a named dataset (fast path for numeric frames)."""
    cols = list(df.columns)
    return [dict(zip(cols, row, strict=True)) for row in df.itertuples(index=False, name=None)]


def rows(df: pd.DataFrame) -> list[dict[str, object]]:
    """``df.to_dict("records")`` with plain Python values, column by column (a few times faster)."""
    cols = [str(c) for c in df.columns]
    return [dict(zip(cols, row, strict=True)) for row in zip(*(df[c].tolist() for c in df.columns), strict=True)]


def legend_labels(labels: Sequence[str]) -> dict[str, str]:
    """Each legend name -> the same name wrapped onto lines (the colour scale's domain holds the wrapped names)."""
    return {str(label): wrap(label, LEGEND_WRAP) for label in labels}


def legend_height(plot: int, labels: Sequence[str]) -> int:
    """Height of a chart with a vertical legend below it: the plot, the x axis, and one row per legend line."""
    lines = sum(len(w.split("\n")) for w in legend_labels(labels).values())
    return plot + 70 + 18 * lines
