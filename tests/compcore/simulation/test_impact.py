"""compcore.impact: two scenarios on common random numbers (DESIGN.md "Impact of a change", issue 20)."""

from __future__ import annotations

import copy
import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import compcore
from compcore.simulation.impact import GROUP_COLUMNS

ROOT = Path(__file__).resolve().parents[3]
ORG = ROOT / "sample_data/scenarios/cs_org_teams.json"
TRIALS = 2_000


def org() -> dict[str, Any]:
    return json.loads(ORG.read_text())


def test_no_change_is_exactly_zero_everywhere() -> None:
    imp = compcore.impact(org(), org(), trials=TRIALS, seed=1)
    assert list(imp.by_group.columns) == list(GROUP_COLUMNS)
    assert not imp.cost_change.any()
    g = imp.by_group
    assert len(g) == 8 and not g.isna().any().any()
    assert (g["change"] == 0).all()
    assert (g["cost_before"] == g["cost_after"]).all() and (g["plan_before"] == g["plan_after"]).all()
    assert (g["p_at_target_before"] == g["p_at_target_after"]).all()
    assert (imp.by_plan[["change", "change_p10", "change_p90"]] == 0).all().all()
    assert imp.expected_change == 0.0


def test_doubling_one_plans_target_incentive_doubles_exactly_that_plans_cost_and_nothing_else() -> None:
    after = org()
    after["plans"]["pmo"]["target_incentive"] = {"percent_of_base": 0.2}  # 10% of base -> 20%
    after["roster"][0]["target_incentive"] = {"amount": 24000.0}          # the PMO lead's override 12,000 -> 24,000
    imp = compcore.impact(org(), after, trials=TRIALS, seed=2)
    np.testing.assert_array_equal(imp.after.plan_costs["pmo"], 2 * imp.before.plan_costs["pmo"])
    for pid in ("implementation", "customer_success", "change_enablement"):
        np.testing.assert_array_equal(imp.after.plan_costs[pid], imp.before.plan_costs[pid])
    np.testing.assert_allclose(imp.cost_change, imp.before.plan_costs["pmo"], rtol=1e-12)
    g = imp.by_group.set_index("team")
    assert (imp.by_group["change"] == 0).all()  # the same payout fractions, on twice the money
    assert (g.loc["PMO", "cost_after"] == 2 * g.loc["PMO", "cost_before"]).all()
    others = imp.by_group[imp.by_group["team"] != "PMO"]
    assert (others["cost_after"] == others["cost_before"]).all()
    plan = imp.by_plan.set_index("plan")
    assert plan.loc["pmo", "cost_after"] == pytest.approx(2 * plan.loc["pmo", "cost_before"], rel=1e-12)
    assert (plan.drop("pmo")["change"] == 0).all()


@pytest.mark.parametrize("change", ["assumption", "roster", "nothing"])
def test_cost_change_is_exactly_two_simulate_calls_with_the_same_seed(change: str) -> None:
    after = org()
    if change == "assumption":  # shared streams drawn once, the changed group drawn for each side
        after["assumptions"]["company_grr"] = {"dist": "normal", "mean": 0.95, "sd": 0.05}
    elif change == "roster":  # another roster: nothing drawn once
        after["roster"].append({"team": "CS Ops", "role": "Analyst", "headcount": 2, "base_salary": 80000,
                                "plan": "change_enablement"})
    imp = compcore.impact(org(), after, trials=TRIALS, seed=3)
    before_sim = compcore.simulate(org(), trials=TRIALS, seed=3)
    after_sim = compcore.simulate(after, trials=TRIALS, seed=3)
    np.testing.assert_array_equal(imp.cost_change, after_sim.cost - before_sim.cost)
    np.testing.assert_array_equal(imp.before.cost, before_sim.cost)
    assert imp.after.fairness.equals(after_sim.fairness)
    with ThreadPoolExecutor(2) as pool:
        pooled = compcore.impact(org(), after, trials=TRIALS, seed=3, executor=pool)
    np.testing.assert_array_equal(pooled.cost_change, imp.cost_change)


def test_cost_change_over_several_chunks_is_exactly_two_simulate_calls() -> None:
    after = org()
    after["assumptions"]["ebrs"] = {"dist": "poisson", "mean": 5}
    imp = compcore.impact(org(), after, trials=20_100, seed=4)  # two chunks of the org's 20,000 trials
    np.testing.assert_array_equal(imp.cost_change, compcore.simulate(after, trials=20_100, seed=4).cost
                                  - compcore.simulate(org(), trials=20_100, seed=4).cost)


def test_a_team_moved_to_another_plan_shows_both_plans() -> None:
    after = org()
    for row in after["roster"]:
        if row["team"] == "Implementation":
            row["plan"] = "customer_success"
    imp = compcore.impact(org(), after, trials=TRIALS, seed=5)
    moved = imp.by_group[imp.by_group["team"] == "Implementation"]
    assert len(moved) == 2
    assert (moved["plan_before"] == "implementation").all() and (moved["plan_after"] == "customer_success").all()
    stayed = imp.by_group[imp.by_group["team"] != "Implementation"]
    assert (stayed["plan_before"] == stayed["plan_after"]).all() and (stayed["change"] == 0).all()
    plans = imp.by_plan.set_index("plan")
    assert plans.loc["implementation", "cost_after"] == 0.0  # nobody left on it: a draft
    assert plans.loc["implementation", "name"] == "Implementation quarterly bonus"


def fixed_scenario(target: float, roster: list[dict[str, Any]]) -> dict[str, Any]:
    """Quarterly, 4,000 a year (1,000 a quarter) on one linear curve; adoption always 0.9."""
    return {"schema": "compcore.scenario/v1", "name": "fixed",
            "plan": {"name": "Adoption", "period": "quarter", "target_incentive": {"amount": 4000},
                     "metrics": [{"id": "adoption", "name": "Adoption", "target": target}],
                     "components": [{"id": "A", "metric": "adoption", "weight": 1.0,
                                     "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]},
            "roster": roster, "assumptions": {"adoption": {"dist": "fixed", "value": 0.9}}}


def test_worked_example_by_hand_with_a_group_on_one_side_only() -> None:
    cs = {"team": "CS", "role": "CSM", "headcount": 2, "base_salary": 90000}
    pmo = {"team": "PMO", "role": "PM", "headcount": 1, "base_salary": 90000}
    before = fixed_scenario(1.0, [cs, pmo])
    after = fixed_scenario(0.9, [cs, {**cs, "role": "Lead", "headcount": 1}])
    imp = compcore.impact(before, after, trials=10, seed=0)
    g = imp.by_group.set_index(["team", "role"])
    # before: attainment 0.9 / 1.0 = 0.9 -> pays 0.9 of 1,000 a quarter; after: 0.9 / 0.9 = 1.0 -> 1,000
    csm = g.loc[("CS", "CSM")]
    assert (csm["expected_before"], csm["expected_after"]) == (pytest.approx(0.9), pytest.approx(1.0))
    assert csm["change"] == pytest.approx(0.1)
    assert (csm["cost_before"], csm["cost_after"]) == (pytest.approx(1800.0), pytest.approx(2000.0))
    assert (csm["p_at_target_before"], csm["p_at_target_after"]) == (0.0, 1.0)
    gone, new = g.loc[("PMO", "PM")], g.loc[("CS", "Lead")]
    assert pd.isna(gone["plan_after"]) and math.isnan(gone["expected_after"])
    assert gone["cost_before"] == pytest.approx(900.0)
    assert pd.isna(new["plan_before"]) and math.isnan(new["cost_before"]) and new["headcount"] == 1
    assert new["plan_after"] == "plan"  # a single plan's id
    # before 2 x 900 + 900 = 2,700; after 2 x 1,000 + 1,000 = 3,000: +300 in every trial
    np.testing.assert_allclose(imp.cost_change, 300.0)
    assert imp.quantile([0.1, 0.9]) == pytest.approx([300.0, 300.0])


def test_invalid_scenarios_raise_plan_errors_naming_the_field() -> None:
    bad = copy.deepcopy(org())
    bad["roster"][0]["plan"] = "nope"
    with pytest.raises(compcore.PlanError, match=r"roster\[0\]\.plan"):
        compcore.impact(org(), bad, trials=10)


@pytest.mark.parametrize("trials", [2_000, 40_000])
def test_a_roster_past_50_people_is_two_simulate_calls_and_draws_once_when_its_trials_fit_one_chunk(
        trials: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import compcore.simulation.simulate as sim_mod

    before = compcore.dump_scenario(compcore.load_scenario(ROOT / "sample_data/scenarios/cs_org_quarterly.json"))
    assert sum(r["headcount"] for r in before["roster"]) == 50
    after = copy.deepcopy(before)
    after["roster"].append({**after["roster"][-1], "team": "New team", "headcount": 2})  # 52: chunks of 19,230
    calls: list[int] = []
    plain = sim_mod.simulate
    monkeypatch.setattr(sim_mod, "simulate", lambda *a, **k: calls.append(1) or plain(*a, **k))
    imp = compcore.impact(before, after, trials=trials, seed=5)
    # 2,000 trials are one chunk of 2,000 on either roster: drawn once; 40,000 are 20,000 x 2 vs 19,230 x 3
    assert len(calls) == (0 if trials == 2_000 else 2)
    np.testing.assert_array_equal(imp.before.cost, plain(before, trials=trials, seed=5).cost)
    np.testing.assert_array_equal(imp.after.cost, plain(after, trials=trials, seed=5).cost)
