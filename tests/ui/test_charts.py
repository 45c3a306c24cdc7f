"""ui.charts: the cost histogram's labels never cross (issue 14: "P90" and "Budget" overlapped)."""

from __future__ import annotations

import pandas as pd

from ui import charts


def test_budget_and_percentile_labels_sit_on_their_own_rows_above_the_rules() -> None:
    bins = pd.DataFrame({"lo": [0.0, 1.0], "hi": [1.0, 2.0], "share": [0.4, 0.6]})
    layers = charts.cost_histogram(bins, {"P10": 0.5, "P90": 1.5}, "Cost per quarter").to_dict()["layer"]
    bars, q_rules, q_text, b_rule, b_text = layers
    assert bars["encoding"]["x"]["title"] == "Cost per quarter"
    label_rows = {q_text["encoding"]["y"]["datum"], b_text["encoding"]["y"]["datum"]}
    rule_top = max(q_rules["encoding"]["y2"]["datum"], b_rule["encoding"]["y2"]["datum"])
    assert len(label_rows) == 2  # the budget label one row under the percentile labels
    assert min(label_rows) > rule_top  # no rule runs through a label
