"""Issue 19's chart traps, checked on the Vega-Lite specs: every bar labelled, money axes that read "$30k"
and stay inside the chart, names and legends wrapped instead of cut at Streamlit's 100 px label limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ui import charts
from ui.charts import base

LONG = ["Change & Enablement quarterly bonus", "Customer Success quarterly bonus", "Implementation quarterly bonus",
        "PMO quarterly bonus"]


def _walk(node: Any, key: str) -> Iterator[dict[str, Any]]:
    """Every dict held under ``key`` anywhere in a spec (axes, legends)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, dict):
                yield v
            yield from _walk(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)


def _specs() -> dict[str, dict[str, Any]]:
    """Every builder's spec on small data (validated against the Vega-Lite schema by ``to_dict``)."""
    curve = pd.DataFrame({"attainment": [0.0, 1.0, 1.5], "payout": [0.0, 1.0, 1.5]})
    comps = pd.concat([curve.assign(label=name) for name in LONG[:2]])
    bins = pd.DataFrame({"lo": [1.0, 2.0], "hi": [2.0, 3.0], "share": [0.5, 0.5]})
    pair = pd.concat([bins.assign(series=s) for s in charts.SOLVE_SERIES])
    overlay = pd.concat([curve.assign(scenario=name) for name in LONG])
    costs = pd.DataFrame({"scenario": LONG[:2], "cost_from": [0.0, 0.0], "cost_to": [1.0, 1.0], "share": [1.0, 1.0]})
    frontier = pd.DataFrame({"value": [0.1, 0.2, 0.15, 0.18], "measure": [1.0, 2.0, 1.5, 1.8],
                             "point": ["across the range", "across the range", "now", "answer"]})
    hist = pd.DataFrame({"period": ["Q1", "Q2"], "team": ["PMO", "CS"], "value": [0.8, 0.9], "n": [5, 6],
                         "complete": [True, False]})
    bt = pd.DataFrame({"period": ["Q1", "Q1"], "team": ["PMO", "CS"], "payout": [1.0, np.nan], "label": ["100%", "-"],
                       "money": [1000.0, np.nan]})
    return {
        "curve": charts.curve_chart(curve).to_dict(),
        "components": charts.components_chart(comps, LONG[:2]).to_dict(),
        "sweep": charts.sweep_chart(["Total payout", *LONG[:2]], "Clients adopted within 90 days").to_dict(),
        "heatmap": charts.heatmap_chart("a", "b", [0.0, 1.5]).to_dict(),
        "cost_histogram": charts.cost_histogram("Cost per quarter").to_dict(),
        "team": charts.team_chart(4, "Expected cost per quarter").to_dict(),
        "payout_pct": charts.payout_pct_chart().to_dict(),
        "tornado": charts.tornado_chart(4).to_dict(),
        "fairness": charts.fairness_chart(4).to_dict(),
        "preview": charts.preview_chart(bins).to_dict(),
        "cost_pair": charts.cost_pair_chart(pair, 2.5).to_dict(),
        "curve_pair": charts.curve_pair_chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0], "series": "Now"}),
                                              "Attainment", "Payout", True).to_dict(),
        "frontier": charts.frontier_chart(frontier, "Target incentive", True, False, "Expected cost", False,
                                          1.5).to_dict(),
        "history": charts.history_chart(hist, "team", True, 0.9).to_dict(),
        "backtest_payout": charts.backtest_payout_chart(bt).to_dict(),
        "backtest_cost": charts.backtest_cost_chart(bt, pd.DataFrame({"period": ["Q1"], "target_cost": [900.0]}))
        .to_dict(),
        "curves_overlay": charts.curves_overlay(overlay, LONG, "Plan").to_dict(),
        "costs_overlay": charts.costs_overlay(costs, LONG[:2], {LONG[0]: 1.0, LONG[1]: None}).to_dict(),
    }


SPECS = _specs()


def test_every_bar_of_cost_by_plan_team_and_fairness_is_labelled() -> None:
    # Streamlit's theme hides axis labels that would overlap: the cost-by-plan chart showed 2 of its 4 names
    for name in ("team", "fairness", "tornado"):
        spec = SPECS[name]
        bars = spec["layer"][0] if "layer" in spec else spec
        axis = bars["encoding"]["y"]["axis"]
        assert axis["labelOverlap"] is False, name
        assert axis["labelExpr"] == base.LINES, name  # a wrapped name is drawn on its lines
    # and each bar has room for a name on two lines: Streamlit fits the axis and its title into the height
    assert SPECS["team"]["height"] >= 64 + 4 * 36
    assert SPECS["fairness"]["height"] >= 64 + 4 * 36


def test_a_long_plan_name_is_wrapped_onto_lines_not_cut() -> None:
    data = charts.team_chart_data(pd.DataFrame({"team": LONG, "expected": [1.0, 2.0, 3.0, 4.0]}))["teams"]
    labels = [r["team_label"] for r in data]
    assert labels[0] == "Change & Enablement\nquarterly bonus"
    assert labels[3] == "PMO quarterly bonus"
    assert all(len(line) <= base.AXIS_WRAP for label in labels for line in label.split("\n"))
    assert [r["team"] for r in data] == LONG  # the tooltip keeps the name as typed
    tornado = charts.tornado_data(pd.DataFrame({"metric": ["Go-lives due this quarter that are live on time"],
                                                "low": [1.0], "high": [2.0], "base": [1.5]}))["bars"]
    assert tornado[0]["metric_label"] == "Go-lives due this\nquarter that are live\non time"


def test_wrap_keeps_every_word_up_to_three_lines_then_ends_in_an_ellipsis() -> None:
    assert base.wrap("PMO") == "PMO"
    assert base.wrap("a b", 1) == "a\nb"
    long = base.wrap("one two three four five six seven eight nine ten", 9)
    assert long.split("\n")[:2] == ["one two", "three"] and long.endswith("…")
    assert len(long.split("\n")) == 3


@pytest.mark.parametrize("name", ["cost_histogram", "team", "tornado", "cost_pair", "costs_overlay",
                                  "backtest_cost"])
def test_money_axes_read_short_and_the_last_label_stays_inside_the_chart(name: str) -> None:
    # "$30,000" ran past the right edge of the cost-by-team chart and read "$30,00C"
    money_axes = [a for a in _walk(SPECS[name], "axis") if a.get("format") == base.MONEY]
    assert money_axes, f"{name} has no money axis"
    for axis in money_axes:
        assert axis["labelExpr"] == base.MONEY_LABEL  # "$30k", "$800", "$1.2M"
        assert axis["labelFlush"] is True
    assert SPECS[name]["padding"]["right"] >= 20  # half a "$130k" label past the last tick fits


def test_the_money_label_expression_is_the_short_form() -> None:
    # the expression uses d3-format's SI prefix for thousands and up, plain dollars below 1,000
    assert "format(datum.value, '$,.0f')" in base.MONEY_LABEL
    assert "format(datum.value, '$.3~s')" in base.MONEY_LABEL
    assert "abs(datum.value) < 1000" in base.MONEY_LABEL


def test_no_legend_is_cut_at_the_themes_100_px() -> None:
    # Streamlit's theme cuts legend labels at 100 px: "Implementation quarterl…"; every legend sets its own limit
    for name, spec in SPECS.items():
        for legend in _walk(spec, "legend"):
            if "gradientLength" in legend or legend.get("format") == base.PCT:
                continue  # a colour gradient (numbers), not names
            assert legend.get("labelLimit", 0) >= 240, name
            assert legend.get("direction") == "vertical", name  # one name per line: fits a 390 px phone


def test_legend_names_are_wrapped_and_the_chart_grows_with_its_legend() -> None:
    overlay = SPECS["curves_overlay"]
    values = overlay["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert values == [base.wrap(n, base.LEGEND_WRAP) for n in LONG]
    assert all(len(line) <= base.LEGEND_WRAP for v in values for line in v.split("\n"))
    # four plans' names below the plot do not squeeze it: the chart is taller than with two
    two = charts.curves_overlay(pd.DataFrame({"scenario": LONG[:2], "attainment": [1.0, 1.0], "payout": [1.0, 1.0]}),
                                LONG[:2]).to_dict()
    assert overlay["height"] - two["height"] == 2 * 18


def test_the_heatmaps_metric_names_are_axis_titles_on_lines() -> None:
    spec = charts.heatmap_chart("Go-lives due this quarter that are live on time",
                                "Company gross revenue retention", [0.0, 1.5]).to_dict()
    y_title = spec["encoding"]["y"]["title"]
    assert y_title == ["Company gross revenue retention", "(% of target)"]  # not cut at the chart's height
    assert all(len(line) <= 32 for line in spec["encoding"]["x"]["title"])
