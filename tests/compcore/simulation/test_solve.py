"""Solve for a budget: exact answers where the cost is proportional to the knob, direction, the
P(over budget) boundary, out-of-reach goals, bad knobs, determinism."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.errors import PlanError
from compcore.report.format import pct
from compcore.simulation.draws import draw_metrics
from compcore.simulation.knobs import knobs, with_value
from compcore.simulation.scenario import load_scenario
from compcore.simulation.simulate import price, simulate
from compcore.simulation.solve import COST_TOLERANCE, X_TOLERANCE, _costs, _OtherPlans, solve
from tests.compcore.scenario_data import ROOT

TRIALS = 4000
PCT = "plan.target_incentive.percent_of_base"


def scenario(budget: float | None = 30_000, overrides: bool = False) -> dict[str, Any]:
    """Two team metrics, linear curves with a threshold, a plan cap; 10 people on a percent of base."""
    roster = [{"team": "PMO", "role": "PM", "headcount": 4, "base_salary": 100_000},
              {"team": "Impl", "role": "Consultant", "headcount": 6, "base_salary": 90_000}]
    if overrides:
        roster.append({"team": "Impl", "role": "Lead", "headcount": 2, "base_salary": 120_000,
                       "target_incentive": {"amount": 40_000}})
    data = {
        "schema": "compcore.scenario/v1", "name": "solve test",
        "plan": {
            "name": "Quarterly", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
            "metrics": [{"id": "adoption", "name": "Adoption", "unit": "share of clients", "target": 0.9,
                         "scope": "team"},
                        {"id": "usage", "name": "Usage", "target": 1.0, "scope": "team"}],
            "components": [
                {"id": "adopt", "name": "Adoption", "metric": "adoption", "weight": 0.6,
                 "curve": {"kind": "linear", "points": [[0.8, 0.5], [1.0, 1.0], [1.2, 1.6]]}},
                {"id": "use", "name": "Usage", "metric": "usage", "weight": 0.4,
                 "curve": {"kind": "tiers", "bands": [{"from": 0, "rate": 1.0}, {"from": 1.0, "rate": 2.0}]}},
            ],
            "cap": 2.0,
        },
        "roster": roster,
        "assumptions": {"adoption": {"dist": "normal", "mean": 0.88, "sd": 0.08},
                        "usage": {"dist": "normal", "mean": 1.0, "sd": 0.12}},
    }
    if budget is not None:
        data["budget"] = budget
    return data


@pytest.fixture(scope="module")
def base() -> Any:
    return simulate(scenario(), trials=TRIALS, seed=0)


# ---------------------------------------------------------------- cost proportional to the knob: exact answers


def test_expected_cost_of_a_proportional_knob_is_exact_from_one_simulation(base) -> None:
    # cost = sum_e (k x base_e / 4) x payout_e: doubling k doubles every trial's cost, so the k that
    # gives a cost C is k0 x C / E0, with E0 the expected cost at k0 = 0.1
    goal = 0.8 * base.expected
    sol = solve(scenario(), PCT, {"expected_cost": goal}, trials=TRIALS, seed=0)
    assert sol.value == pytest.approx(0.1 * goal / base.expected, rel=COST_TOLERANCE)
    assert abs(sol.achieved - goal) <= COST_TOLERANCE * goal
    assert sol.sim.expected == sol.achieved
    assert sol.before == base.expected


def test_quantile_of_a_proportional_knob_is_exact(base) -> None:
    p90 = float(np.quantile(base.cost, 0.9))
    sol = solve(scenario(), PCT, {"quantile": 0.9, "cost": 25_000}, trials=TRIALS, seed=0)
    assert sol.value == pytest.approx(0.1 * 25_000 / p90, rel=COST_TOLERANCE)
    assert abs(float(np.quantile(sol.sim.cost, 0.9)) - 25_000) <= COST_TOLERANCE * 25_000


def test_p_over_budget_of_a_proportional_knob_lands_on_the_boundary(base) -> None:
    # P(cost > B) <= 10% allows m = 400 of 4,000 trials over; at k the (m+1)-th largest cost is
    # k / 0.1 x that cost at 0.1, so the boundary is k* = 0.1 x B / (the 401st largest base cost)
    c401 = np.sort(base.cost)[::-1][400]
    k_star = 0.1 * 30_000 / c401
    sol = solve(scenario(), PCT, {"p_over_budget": 0.1}, trials=TRIALS, seed=0)
    assert sol.value == pytest.approx(k_star, rel=1e-8)
    assert sol.achieved <= 0.1
    assert sol.past is not None and sol.value < sol.past <= sol.value + 2 * X_TOLERANCE
    assert price(with_value(scenario(), PCT, sol.past).plan, draw_metrics(scenario(), TRIALS, 0),
                 sol.scenario.roster, 30_000).p_over_budget > 0.1


@settings(max_examples=8, deadline=None)
@given(st.floats(0.3, 1.7))
def test_any_expected_cost_goal_in_reach_gives_k0_times_goal_over_e0(share: float) -> None:
    sim = simulate(scenario(), trials=1000, seed=3)
    sol = solve(scenario(), PCT, {"expected_cost": share * sim.expected}, trials=1000, seed=3)
    assert sol.value == pytest.approx(0.1 * share, rel=COST_TOLERANCE)


# ---------------------------------------------------------------- direction


@pytest.mark.parametrize("path", ["plan.metrics[0].target", "plan.components[0].curve.points[0][0]"])
def test_a_knob_that_lowers_cost_is_raised_to_spend_less(base, path: str) -> None:
    goal = 0.9 * base.expected
    sol = solve(scenario(), path, {"expected_cost": goal}, trials=TRIALS, seed=0)
    assert sol.value > sol.knob.value  # a higher target / threshold pays less
    assert abs(sol.achieved - goal) <= COST_TOLERANCE * goal


def test_a_knob_that_lowers_cost_is_lowered_to_spend_more(base) -> None:
    goal = 1.1 * base.expected
    sol = solve(scenario(), "plan.metrics[0].target", {"expected_cost": goal}, trials=TRIALS, seed=0)
    assert sol.value < 0.9
    assert abs(sol.achieved - goal) <= COST_TOLERANCE * goal


@pytest.mark.parametrize("path", ["plan.cap", "plan.components[1].curve.bands[1].rate", "plan.metrics[1].target"])
def test_p_over_budget_boundary_on_non_linear_knobs(path: str) -> None:
    data = scenario(budget=26_000)
    draws = draw_metrics(data, TRIALS, 0)
    sol = solve(data, path, {"p_over_budget": 0.1}, trials=TRIALS, seed=0)
    assert sol.achieved <= 0.1
    assert sol.past is not None and abs(sol.past - sol.value) <= 2 * X_TOLERANCE * (sol.hi - sol.lo)
    past = price(with_value(data, path, sol.past).plan, draws, sol.scenario.roster, 26_000)
    assert past.p_over_budget > 0.1


def test_a_goal_met_over_the_whole_range_gives_the_end_nearest_the_boundary() -> None:
    sol = solve(scenario(budget=10_000_000), PCT, {"p_over_budget": 0.1}, trials=1000)
    assert sol.value == 1.0 and sol.past is None and sol.achieved == 0.0


# ---------------------------------------------------------------- out of reach, bad input


def test_p_over_budget_out_of_reach_says_what_the_range_reaches() -> None:
    # two leads on a fixed 40,000 a year (10,000 a quarter each) cost at least 0 and usually ~20,000:
    # with a 12,000 budget even a 0% target incentive for everyone else goes over in most quarters
    data = scenario(budget=12_000, overrides=True)
    at_zero = simulate(with_value(data, PCT, 0.0), trials=TRIALS, seed=0).p_over_budget
    with pytest.raises(PlanError) as e:
        solve(data, PCT, {"p_over_budget": 0.1}, trials=TRIALS, seed=0)
    assert str(e.value).startswith(f"{PCT}: P(over budget) is at least {pct(at_zero)} for any percent_of_base in 0..1")


def test_expected_cost_out_of_reach_gives_the_range_of_costs() -> None:
    with pytest.raises(PlanError, match=r"the expected cost is between 0 and .* for any percent_of_base in 0\.\.1"):
        solve(scenario(), PCT, {"expected_cost": 10_000_000}, trials=1000)


def test_a_jump_over_the_goal_is_named() -> None:
    data = scenario()
    data["assumptions"]["adoption"] = {"dist": "binomial", "n": 5, "p": 0.8}  # 0, 20%, ... 100% adopted
    data["assumptions"]["usage"] = {"dist": "fixed", "value": 1.0}
    data["roster"] = data["roster"][:1]
    # 80% adopted against a target t is 0.8 / t attainment: it meets the 80% threshold up to t = 1, then pays 0
    sims = [simulate(with_value(data, "plan.metrics[0].target", t), trials=1000).expected for t in (0.95, 1.05)]
    with pytest.raises(PlanError, match="the expected cost jumps from .* at target = 100%"):
        solve(data, "plan.metrics[0].target", {"expected_cost": sum(sims) / 2}, lo=0.95, hi=1.05, trials=1000)


@pytest.mark.parametrize(("path", "words"), [
    ("plan.components[0].weight", "plan.components[0].weight: is a component weight"),
    ("plan.components[5].curve.cap", "plan.components[5].curve.cap: plan.components has 2 entries ([0] to [1])"),
    ("plan.components[0].curve", "plan.components[0].curve: is not a number (it is an object)"),
    ("plan.metrics[0].name", "plan.metrics[0].name: is not a number (it is text)"),
    ("plan.nope", 'plan.nope: plan has no field "nope"'),
    ("budget", "budget: a knob is a number of a plan"),
    ("plans.x.cap", "plans.x.cap: this scenario has one plan"),
    ("plan..cap", "knob: 'plan..cap' is not a field path"),
    ("plan.components[1].curve.bands[0].from", "where the first tier starts, which must stay 0"),
])
def test_bad_knobs_are_plan_errors_naming_the_path(path: str, words: str) -> None:
    with pytest.raises(PlanError) as e:
        solve(scenario(), path, {"expected_cost": 1000}, trials=100)
    assert words in str(e.value)


@pytest.mark.parametrize(("goal", "budget", "words"), [
    ({"p_over_budget": 0.1}, None, "goal.p_over_budget: needs a budget"),
    ({"p_over_budget": 1.5}, 30_000, "goal.p_over_budget: must be a number from 0 to 1"),
    ({"p_over_budget": True}, 30_000, "goal.p_over_budget: must be a number"),
    ({"quantile": 0.9}, 30_000, "goal: must be one of"),
    ({"expected_cost": "100"}, 30_000, "goal.expected_cost: must be a number"),
])
def test_bad_goals_are_plan_errors(goal: dict[str, Any], budget: float | None, words: str) -> None:
    with pytest.raises(PlanError, match=words.replace("(", r"\(").replace(")", r"\)")):
        solve(scenario(budget=budget), PCT, goal, trials=100)


def test_a_range_outside_the_fields_valid_values_names_lo_or_hi() -> None:
    with pytest.raises(PlanError, match=r"^lo: -10% is not a valid value of plan\.target_incentive\.percent_of_base"):
        solve(scenario(), PCT, {"expected_cost": 20_000}, lo=-0.1, trials=100)
    with pytest.raises(PlanError, match="hi: 130% is not a valid value of plan.components"):
        solve(scenario(), "plan.components[0].curve.points[1][0]", {"expected_cost": 20_000}, hi=1.3, trials=100)
    with pytest.raises(PlanError, match="lo < hi"):
        solve(scenario(), PCT, {"expected_cost": 20_000}, lo=0.5, hi=0.2, trials=100)


def test_a_knob_that_does_not_move_the_cost_says_so() -> None:
    data = scenario()
    data["plan"]["cap"] = 10.0  # never binds between 10 and 100
    with pytest.raises(PlanError, match="does not move the cost"):
        solve(data, "plan.cap", {"expected_cost": 20_000}, lo=10, hi=100, trials=500)


# ---------------------------------------------------------------- determinism, the solved scenario


def test_same_inputs_same_answer_and_sim_is_the_solved_scenarios_simulation() -> None:
    a = solve(scenario(), "plan.cap", {"p_over_budget": 0.2}, trials=3000, seed=5)
    b = solve(copy.deepcopy(scenario()), "plan.cap", {"p_over_budget": 0.2}, trials=3000, seed=5)
    assert a.value == b.value and np.array_equal(a.sim.cost, b.sim.cost)
    assert a.scenario.plan.cap == a.value
    assert np.array_equal(a.sim.cost, simulate(a.scenario, trials=3000, seed=5).cost)
    assert a.sim.p_over_budget == a.achieved
    assert a.evaluations >= 3


def test_frontier_spans_the_range_and_agrees_with_the_answer(base) -> None:
    sol = solve(scenario(), PCT, {"expected_cost": base.expected}, trials=TRIALS, seed=0, frontier=11)
    assert list(sol.frontier["value"]) == pytest.approx([i / 10 for i in range(11)])
    # proportional: the measure at 10% is the base expected cost, at 50% five times it
    assert sol.frontier["measure"].iloc[1] == pytest.approx(base.expected)
    assert sol.frontier["measure"].iloc[5] == pytest.approx(5 * base.expected)
    assert sol.value == pytest.approx(0.1, rel=COST_TOLERANCE)


# ---------------------------------------------------------------- an org: one plan's knob, the other plans untouched


def org() -> dict[str, Any]:
    """Two plans on the same adoption metric: PMO on a percent of base, Implementation on a fixed amount."""
    data = scenario()
    plan = data.pop("plan")
    impl = copy.deepcopy(plan) | {"name": "Implementation", "target_incentive": {"amount": 8000}}
    data["plans"] = {"pmo": plan | {"name": "PMO"}, "impl": impl}
    data["roster"][0]["plan"], data["roster"][1]["plan"] = "pmo", "impl"
    return data


def test_solving_one_plans_knob_leaves_the_other_plans_costs_unchanged() -> None:
    base = simulate(org(), trials=TRIALS, seed=0)
    e_pmo, e_impl = (float(base.plan_costs[p].mean()) for p in ("pmo", "impl"))
    goal = e_impl + 0.5 * e_pmo  # PMO's cost is proportional to its percent: half the cost at half the percent
    sol = solve(org(), "plans.pmo.target_incentive.percent_of_base", {"expected_cost": goal}, trials=TRIALS, seed=0)
    assert sol.value == pytest.approx(0.05, rel=2 * COST_TOLERANCE * goal / e_pmo)
    assert np.array_equal(sol.sim.plan_costs["impl"], base.plan_costs["impl"])
    assert sol.scenario.plans["impl"] == sol.original.plans["impl"]
    assert sol.knob.label == "Target incentive, % of base (PMO)"
    assert abs(sol.achieved - goal) <= COST_TOLERANCE * goal


@pytest.mark.parametrize("name", ["cs_org_quarterly", "cs_org_teams", "accelerators"])
def test_the_search_sees_exactly_the_costs_of_the_answers_simulation(name: str) -> None:
    # the search prices only costs (cheaper); the answer's full simulation must agree with it to the bit,
    # or P(over budget) at the boundary could differ by one trial
    scn = ROOT / "sample_data" / "scenarios" / f"{name}.json"
    path = next(k.path for k in knobs(load_scenario(scn)) if "target_incentive" in k.path)
    sol = solve(scn, path, {"p_over_budget": 0.2}, trials=3000)
    at_value = sol.tried.loc[sol.tried["value"] == sol.value, "measure"]
    assert list(at_value) == [sol.achieved] and sol.achieved <= 0.2


@pytest.mark.parametrize("path, values", [
    ("plans.pmo.metrics[0].target", [0.5, 0.9, 1.3]),
    ("plans.customer_success.target_incentive.percent_of_base", [0.02, 0.1]),
])
def test_a_plan_knob_reprices_only_its_plan_and_gets_the_whole_orgs_costs_to_the_bit(path: str,
                                                                                     values: list[float]) -> None:
    # the search keeps the other plans' costs per chunk and adds them in the org's order: the same floats
    data = load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_teams.json")
    draws = draw_metrics(data, trials=45_000, seed=3)  # three chunks of 20,000 trials at most
    assert draws.trials > 2 * draws.chunk_trials
    plan = path.split(".")[1]
    others = _OtherPlans(data, plan, draws)
    for v in values:
        at = with_value(data, path, v)
        assert np.array_equal(others.costs(at), _costs(at, draws))


def test_a_plan_nobody_is_on_costs_nothing_when_its_knob_moves() -> None:
    data = org()
    data["plans"]["draft"] = copy.deepcopy(data["plans"]["pmo"]) | {"name": "Draft"}
    scn = load_scenario(data)
    draws = draw_metrics(scn, trials=2000, seed=1)
    others = _OtherPlans(scn, "draft", draws)
    at = with_value(scn, "plans.draft.target_incentive.percent_of_base", 0.3)
    assert np.array_equal(others.costs(at), _costs(scn, draws))
