"""ui.charts: the cost histogram's labels never cross (issue 14: "P90" and "Budget" overlapped); the cost
page's charts are templates over named datasets, so new numbers never rebuild a chart (issue 15)."""

from __future__ import annotations

import json

import pandas as pd

from ui import charts


def test_budget_and_percentile_labels_sit_on_their_own_rows_above_the_rules() -> None:
    bins = pd.DataFrame({"lo": [0.0, 1.0], "hi": [1.0, 2.0], "share": [0.4, 0.6]})
    layers = charts.cost_histogram("Cost per quarter").to_dict()["layer"]
    bars, q_rules, q_text, b_rule, b_text = layers
    assert bars["encoding"]["x"]["title"] == "Cost per quarter"
    # labels are drawn at their rows' "row" height, rules stop at their rows' "top"
    assert q_text["encoding"]["y"]["field"] == b_text["encoding"]["y"]["field"] == "row"
    assert q_rules["encoding"]["y2"]["field"] == b_rule["encoding"]["y2"]["field"] == "top"
    data = charts.cost_histogram_data(bins, {"P10": 0.5, "P90": 1.5}, 1.4)
    label_rows = {r["row"] for r in data["quantiles"]} | {r["row"] for r in data["budget"]}
    rule_top = max(r["top"] for r in data["quantiles"] + data["budget"])
    assert len(label_rows) == 2  # the budget label one row under the percentile labels
    assert min(label_rows) > rule_top  # no rule runs through a label
    assert rule_top > 0.6  # above the highest bar (share 60%)


def test_the_cost_page_charts_do_not_depend_on_the_numbers() -> None:
    specs = [charts.cost_histogram("Cost per quarter"), charts.team_chart(3), charts.payout_pct_chart(),
             charts.tornado_chart(4)]
    for spec in specs:
        text = json.dumps(spec.to_dict())
        assert '"values"' not in text and "datasets" not in text  # every row comes from a named dataset
    tornado = charts.tornado_data(pd.DataFrame({"metric": ["a", "b"], "low": [90.0, 99.0], "high": [120.0, 101.0],
                                                "base": [100.0, 100.0]}))
    assert tornado["base"] == [{"base": 100.0}]
    assert [(r["metric"], r["span"]) for r in tornado["bars"]][:2] == [("a", 30.0), ("b", 2.0)]


def test_tornado_metric_labels_are_short_enough_for_a_phone() -> None:
    spec = charts.tornado_chart(4, "Expected cost per quarter").to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["axis"]["labelLimit"] <= 160  # 390 px: labels + plot + legend must fit
    assert bars["encoding"]["color"]["legend"]["direction"] == "vertical"
