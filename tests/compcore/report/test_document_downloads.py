"""The plan document's download tables and the calculator's starting salary."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from compcore.report.document import calculator_salary, cost_table


def test_the_cost_download_lists_the_key_figures_then_each_team_in_money() -> None:
    summary = pd.DataFrame([("Expected cost", 1000.0, "money"), ("P(cost over budget)", 0.1, "share")],
                           columns=["figure", "value", "unit"])
    teams = pd.DataFrame({"team": ["PMO", "CS"], "expected cost": [600.0, 400.0], "headcount": [4, 12]})
    got = cost_table(summary, teams)
    assert got.to_dict("records") == [
        {"figure": "Expected cost", "value": 1000.0, "unit": "money"},
        {"figure": "P(cost over budget)", "value": 0.1, "unit": "share"},
        {"figure": "PMO", "value": 600.0, "unit": "money"},
        {"figure": "CS", "value": 400.0, "unit": "money"},
    ]


def test_the_calculator_starts_from_the_first_roster_row() -> None:
    rows = [SimpleNamespace(base_salary=125_000, headcount=1), SimpleNamespace(base_salary=97_000, headcount=12)]
    assert calculator_salary(rows) == 125_000.0
    assert calculator_salary([]) == 100_000.0
