"""Scenario comparison: the diff names what changed, key figures and overlays agree with the engine."""

from __future__ import annotations

import numpy as np
import pytest

from compcore.plan.payout import payout
from compcore.report.compare import (
    combined_curves,
    cost_histograms,
    diff_scenarios,
    flatten,
    key_figures,
    unique_labels,
)
from compcore.simulation.scenario import load_scenario
from compcore.simulation.simulate import simulate
from tests.compcore.scenario_data import sample_scenario


def _variant():
    b = sample_scenario("Stretch")
    b["plan"]["components"][0]["weight"] = 0.6
    b["plan"]["components"][1]["weight"] = 0.4
    b["plan"]["gates"] = []
    b["budget"] = 45000
    b["roster"].append({"team": "PMO", "role": "PM", "headcount": 1, "base_salary": 120000})
    return b


def test_identical_scenarios_have_no_diff():
    a = sample_scenario("A")
    b = sample_scenario("B")  # only the name differs
    assert diff_scenarios({"A": a, "B": b}).empty


def test_diff_names_each_change():
    diff = diff_scenarios({"Base": sample_scenario(), "Stretch": _variant()}).set_index("field")
    assert diff.loc["plan.components[okr].weight"].tolist() == ["0.7", "0.6"]
    assert diff.loc["plan.components[company].weight"].tolist() == ["0.3", "0.4"]
    assert diff.loc["budget"].tolist() == ["40,000", "45,000"]
    assert diff.loc["roster[PMO / PM].headcount"].tolist() == ["—", "1"]
    assert diff.loc["plan.gates[team_okr #1].below"].tolist() == ["1", "—"]
    assert "name" not in diff.index
    assert not any(f.startswith("assumptions") for f in diff.index)


def test_reordering_components_is_not_a_change():
    a = sample_scenario()
    b = sample_scenario()
    b["plan"]["components"].reverse()
    b["roster"].reverse()
    assert diff_scenarios({"a": a, "b": b}).empty


def test_diff_of_three_accepts_scenario_objects():
    c = sample_scenario()
    c["assumptions"]["team_okr"]["mean"] = 0.9
    diff = diff_scenarios({"a": load_scenario(sample_scenario()), "b": load_scenario(_variant()),
                           "c": load_scenario(c)})
    assert list(diff.columns) == ["field", "a", "b", "c"]
    assert diff.set_index("field").loc["assumptions.team_okr.mean"].tolist() == ["0.95", "0.95", "0.9"]


def test_flatten_keeps_curve_points_as_one_leaf():
    flat = flatten(sample_scenario())
    assert flat["plan.components[company].curve.points"] == [[0.8, 0.5], [1.0, 1.0], [1.2, 2.0]]
    assert flat["correlations[company_arr ~ team_okr].rho"] == 0.5


def test_key_figures():
    a, b = load_scenario(sample_scenario()), load_scenario(_variant())
    sims = {"Base": simulate(a, trials=2000, seed=0), "Stretch": simulate(b, trials=2000, seed=0)}
    kf = key_figures({"Base": a, "Stretch": b}, sims).set_index("figure")
    on_target = (3 * 80000 * 0.08 + 2 * 9000) / 1
    assert kf.loc["Cost at 100% payout", "Base"] == pytest.approx(on_target)
    assert kf.loc["Cost at 100% payout", "Base"] == pytest.approx(sims["Base"].per_period_target)
    assert kf.loc["Headcount"].tolist()[1:] == [5, 6]
    assert kf.loc["Gates", "Stretch"] == 0
    assert kf.loc["Expected cost", "Stretch"] == pytest.approx(sims["Stretch"].expected)
    assert kf.loc["P90 cost", "Base"] == pytest.approx(sims["Base"].quantile(0.9))
    assert kf.loc["P(over budget)", "Base"] == pytest.approx(sims["Base"].p_over_budget)
    no_sim = key_figures({"Base": a})
    assert no_sim.set_index("figure").loc["Expected cost", "Base"] is None


def test_combined_curves_match_payout():
    a, b = load_scenario(sample_scenario()), load_scenario(_variant())
    df = combined_curves({"Base": a.plan, "Stretch": b.plan}, 0, 1.5, 31)
    assert set(df.scenario) == {"Base", "Stretch"} and len(df) == 62
    row = df[(df.scenario == "Base") & np.isclose(df.attainment, 1.2)].iloc[0]
    assert row.payout == pytest.approx(payout(a.plan, {"team_okr": 1.2, "company_arr": 1.2}).total)
    at_target = df[np.isclose(df.attainment, 1.0)].payout.tolist()
    assert at_target == pytest.approx([1.0, 1.0])


def test_cost_histograms_share_bins():
    class S:
        def __init__(self, c):
            self.cost = np.asarray(c, dtype=float)

    df = cost_histograms({"a": S([1, 2, 3, 4]), "b": S([3, 4, 5, 6, 7, 8])}, bins=7)
    for _, g in df.groupby("scenario"):
        assert g.share.sum() == pytest.approx(1.0)
        assert g.cost_from.min() == 1 and g.cost_to.max() == 8
    assert cost_histograms({}).empty


def test_unique_labels():
    assert unique_labels(["Base", "Base", "X", "Base"]) == ["Base", "Base (2)", "X", "Base (3)"]
