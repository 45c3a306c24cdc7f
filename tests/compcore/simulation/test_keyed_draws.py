"""Draws keyed by metric id (DESIGN.md "Same scenario, same numbers", issue 20).

The order of plans, assumptions, correlations and metrics changes nothing, bit for bit; adding a
plan or a metric, or changing an assumption, leaves every metric outside the change's correlated
group bit for bit; people keep their numbers when a roster row is added elsewhere.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compcore
from compcore.simulation.draws import chunk_normals, chunk_plan, chunk_trials, draw_chunk, draw_metrics, draw_spec

ROOT = Path(__file__).resolve().parents[3]
ORG = ROOT / "sample_data/scenarios/cs_org_teams.json"


def org() -> dict[str, Any]:
    return json.loads(ORG.read_text())


def reversed_order(d: dict[str, Any]) -> dict[str, Any]:
    """The same scenario with plans, assumptions, correlations and every plan's metrics in reverse order."""
    out = copy.deepcopy(d)
    out["plans"] = dict(reversed(list(out["plans"].items())))
    for p in out["plans"].values():
        p["metrics"] = list(reversed(p["metrics"]))
    out["assumptions"] = dict(reversed(list(out["assumptions"].items())))
    out["correlations"] = [{"between": list(reversed(c["between"])), "rho": c["rho"]}
                           for c in reversed(out["correlations"])]
    return out


def assert_same_result(a: Any, b: Any) -> None:
    np.testing.assert_array_equal(a.cost, b.cost)
    assert set(a.plan_costs) == set(b.plan_costs)
    for pid in a.plan_costs:
        np.testing.assert_array_equal(a.plan_costs[pid], b.plan_costs[pid])
    assert a.cost_by_team.equals(b.cost_by_team)
    assert a.fairness.equals(b.fairness)
    assert a.p_over_budget == b.p_over_budget and a.percentiles == b.percentiles


def test_the_order_of_plans_assumptions_correlations_and_metrics_changes_no_bit() -> None:
    base = compcore.simulate(org(), trials=3_000, seed=4)
    assert_same_result(compcore.simulate(reversed_order(org()), trials=3_000, seed=4), base)


def test_a_json_file_with_sorted_keys_gives_the_original_numbers() -> None:
    text = json.dumps(compcore.dump_scenario(compcore.load_scenario(org())), sort_keys=True)
    assert_same_result(compcore.simulate(json.loads(text), trials=3_000, seed=4),
                       compcore.simulate(org(), trials=3_000, seed=4))


def test_draws_over_several_chunks_do_not_depend_on_the_order_either() -> None:
    scn = compcore.load_scenario(org())
    assert chunk_trials(draw_spec(scn)) == 20_000
    a = draw_metrics(org(), trials=20_500, seed=1)  # two chunks
    b = draw_metrics(reversed_order(org()), trials=20_500, seed=1)
    assert set(a.values) == set(b.values)
    for mid in a.values:
        np.testing.assert_array_equal(a.values[mid], b.values[mid])


def draft_plan_with_a_new_metric() -> dict[str, Any]:
    return {"schema": "compcore.plan/v1", "name": "Draft", "period": "quarter",
            "target_incentive": {"percent_of_base": 0.05},
            "metrics": [{"id": "nps", "name": "NPS", "target": 40.0, "scope": "team"}],
            "components": [{"id": "nps", "metric": "nps", "weight": 1.0,
                            "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]}


def test_a_draft_plan_with_a_new_metric_moves_nothing() -> None:
    d = org()
    d["plans"] = {"aaa_draft": draft_plan_with_a_new_metric(), **d["plans"]}  # first, to move any position
    d["assumptions"]["nps"] = {"dist": "normal", "mean": 38.0, "sd": 5.0}
    assert_same_result(_without_draft(d), compcore.simulate(org(), trials=2_000, seed=0))


def _without_draft(d: dict[str, Any]) -> Any:
    sim = compcore.simulate(d, trials=2_000, seed=0)
    assert not sim.plan_costs["aaa_draft"].any()  # nobody on it: costs nothing
    del sim.plan_costs["aaa_draft"]
    return sim


def test_a_new_metric_on_a_team_moves_no_other_metric_and_no_plan_without_it() -> None:
    d = org()
    d["plans"]["pmo"]["metrics"].append({"id": "nps", "name": "NPS", "target": 40.0, "scope": "team"})
    d["plans"]["pmo"]["components"][0]["weight"] = 0.5
    d["plans"]["pmo"]["components"].append({"id": "nps", "metric": "nps", "weight": 0.25,
                                            "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}})
    d["assumptions"]["nps"] = {"dist": "normal", "mean": 38.0, "sd": 5.0}
    before, after = draw_metrics(org(), trials=2_000, seed=2), draw_metrics(d, trials=2_000, seed=2)
    assert set(after.values) - set(before.values) == {"nps"}
    for mid, v in before.values.items():
        np.testing.assert_array_equal(after.values[mid], v)
    a, b = compcore.simulate(org(), trials=2_000, seed=2), compcore.simulate(d, trials=2_000, seed=2)
    for pid in ("implementation", "customer_success", "change_enablement"):
        np.testing.assert_array_equal(a.plan_costs[pid], b.plan_costs[pid])
    assert not np.array_equal(a.plan_costs["pmo"], b.plan_costs["pmo"])


def test_a_changed_assumption_moves_only_that_metric_and_its_correlated_group() -> None:
    d = org()
    d["assumptions"]["company_grr"] = {"dist": "normal", "mean": 0.95, "sd": 0.05}
    scn = compcore.load_scenario(org())
    # company_grr is correlated with continued_usage, itself correlated with adoption_90d: one group
    group = {"company_grr", "continued_usage", "adoption_90d"}
    assert {c for corr in scn.correlations for c in corr.between} == group
    before, after = draw_metrics(org(), trials=2_000, seed=3), draw_metrics(d, trials=2_000, seed=3)
    for mid, v in before.values.items():
        same = np.array_equal(after.values[mid], v)
        assert same == (mid != "company_grr"), mid  # the group's normals are the same: only its value moves
    d["correlations"] = [c for c in d["correlations"] if "company_grr" not in c["between"]]
    uncorrelated = draw_metrics(d, trials=2_000, seed=3)
    for mid, v in before.values.items():  # a changed correlation redraws its group and nothing else
        assert np.array_equal(uncorrelated.values[mid], v) == (mid not in group), mid


def test_a_changed_target_or_plan_changes_no_draw() -> None:
    d = org()
    d["plans"]["implementation"]["metrics"][0]["target"] *= 0.9
    d["plans"]["pmo"]["target_incentive"] = {"percent_of_base": 0.2}
    d["roster"][0]["target_incentive"] = {"amount": 24000.0}  # the PMO lead's override: 12,000 -> 24,000
    a, b = compcore.simulate(org(), trials=2_000, seed=5), compcore.simulate(d, trials=2_000, seed=5)
    for pid in ("customer_success", "change_enablement"):
        np.testing.assert_array_equal(a.plan_costs[pid], b.plan_costs[pid])
    # the PMO pays the same fractions on twice the target: exactly twice the cost in every trial
    np.testing.assert_array_equal(b.plan_costs["pmo"], 2 * a.plan_costs["pmo"])


def test_people_keep_their_draws_when_a_row_is_added_elsewhere_or_their_group_grows() -> None:
    d = org()
    d["roster"].insert(0, {"team": "CS Ops", "role": "Analyst", "headcount": 2, "base_salary": 80000, "plan": "pmo"})
    grown = org()
    grown["roster"][1]["headcount"] += 1  # PMO project managers: 3 -> 4 (the first of their two rows)
    base = draw_metrics(org(), trials=1_000, seed=6)
    added = draw_metrics(d, trials=1_000, seed=6)
    more = draw_metrics(grown, trials=1_000, seed=6)
    for mid, scope in base.scopes.items():
        if scope == "company":
            np.testing.assert_array_equal(added.values[mid], base.values[mid])
        elif scope == "team":  # the new team is a new column at its place in roster order
            np.testing.assert_array_equal(added.values[mid][:, 1:], base.values[mid])
            np.testing.assert_array_equal(more.values[mid], base.values[mid])
        else:
            np.testing.assert_array_equal(added.values[mid][:, 2:], base.values[mid])
            # the PMO lead (1), then the project managers of both rows (3 + 4 -> 4 + 4): the 7 kept are first
            np.testing.assert_array_equal(more.values[mid][:, :8], base.values[mid][:, :8])
            np.testing.assert_array_equal(more.values[mid][:, 9:], base.values[mid][:, 8:])


def test_the_same_scenario_draws_the_same_numbers_from_the_same_chunk_seed_and_period_zero() -> None:
    scn = compcore.load_scenario(org())
    spec = draw_spec(scn)
    (n, seed), = chunk_plan(500, 8, chunk_trials(spec))
    first, again = draw_chunk(spec, n, seed), draw_chunk(spec, n, seed, period=0)
    later = draw_chunk(spec, n, seed, period=2)
    for mid in spec.order:
        np.testing.assert_array_equal(first[mid], again[mid])
        assert not np.array_equal(first[mid], later[mid]), mid  # another period: other numbers
    z = chunk_normals(spec, n, seed, period=2)
    assert set(z) == set(spec.order)
    assert z["adoption_90d"].shape == (n, 4) and z["ebrs"].shape == (n, scn.headcount)


@pytest.mark.parametrize("trials", [1, 2_000])
def test_cached_draws_price_to_exactly_simulate(trials: int) -> None:
    sim = compcore.simulate(org(), trials=trials, seed=9)
    cached = compcore.price_scenario(org(), compcore.draw_metrics(org(), trials=trials, seed=9))
    assert_same_result(cached, sim)
