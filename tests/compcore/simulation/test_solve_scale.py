"""The org-wide knob "scale.target_incentive" (DESIGN.md "Solve for a budget"): one factor on every plan's target
incentive and every roster override, solved by hand on a scenario whose cost is the same in every trial."""

from __future__ import annotations

import pytest

from compcore.simulation.knobs import SCALE_KNOB, knob, knobs, with_value
from compcore.simulation.scenario import load_scenario
from compcore.simulation.solve import solve
from compcore.simulation.solve_view import answer_lines, knob_curves


def _plan(name: str, ti: dict) -> dict:
    return {"schema": "compcore.plan/v1", "name": name, "period": "quarter", "target_incentive": ti,
            "metrics": [{"id": "m", "name": "Company goal", "target": 1.0, "scope": "company"}],
            "components": [{"id": "c", "metric": "m", "weight": 1.0,
                            "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]}


#: every trial: the metric at target (fixed), every plan pays 100%.
#: plan a: 2 people x 100,000 x 10% / 4 quarters = 5,000; plan b: 1 person whose override is 8,000 a year
#: = 2,000 a quarter (plan b's own 4,000 a year applies to nobody). Cost 7,000 a quarter in every trial.
ORG = {"schema": "compcore.scenario/v1", "name": "two plans",
       "plans": {"a": _plan("Plan A", {"percent_of_base": 0.1}), "b": _plan("Plan B", {"amount": 4000})},
       "roster": [{"team": "A", "role": "r", "headcount": 2, "base_salary": 100000, "plan": "a"},
                  {"team": "B", "role": "r", "headcount": 1, "base_salary": 80000, "plan": "b",
                   "target_incentive": {"amount": 8000}}],
       "assumptions": {"m": {"dist": "fixed", "value": 1.0}}, "budget": 6300}


def test_the_org_lists_the_scale_knob_first_in_words() -> None:
    scn = load_scenario(ORG)
    first = knobs(scn)[0]
    assert first.path == SCALE_KNOB == "scale.target_incentive"
    assert first.label == "Every plan's target incentive x one factor"
    assert (first.value, first.lo, first.hi, first.kind) == (1.0, 0.0, 2.0, "percent")
    assert first.phrase(0.8) == "80% of today's target incentive"
    assert knob(scn, SCALE_KNOB) == first


def test_the_factor_multiplies_every_plan_and_every_override() -> None:
    out = with_value(load_scenario(ORG), SCALE_KNOB, 0.5)
    assert out.plans["a"].target_incentive.percent_of_base == pytest.approx(0.05)
    assert out.plans["b"].target_incentive.amount == pytest.approx(2000)
    assert out.roster[1].target_incentive.amount == pytest.approx(4000)
    assert out.per_period_target == pytest.approx(3500)  # 7,000 x 0.5


def test_expected_cost_goal_finds_the_factor_by_hand() -> None:
    # cost = 7,000 x f; a goal of 5,600 is f = 0.8, met within 0.1% of 5,600 (5.6): |f - 0.8| <= 0.0008
    sol = solve(ORG, SCALE_KNOB, {"expected_cost": 5600}, trials=200)
    assert abs(sol.value - 0.8) <= 0.0008
    assert abs(sol.achieved - 5600) <= 5.6
    assert sol.scenario.plans["a"].target_incentive.percent_of_base == pytest.approx(0.1 * sol.value)
    assert sol.scenario.roster[1].target_incentive.amount == pytest.approx(8000 * sol.value)


def test_p_over_budget_goal_stops_where_the_cost_reaches_the_budget() -> None:
    # budget 6,300: every trial costs 7,000 f, so P(over) is 0 for f <= 0.9 and 1 above; the answer is the
    # largest factor that keeps every trial at or under 6,300: 0.9 (to 1e-7 of the 0..2 range)
    sol = solve(ORG, SCALE_KNOB, {"p_over_budget": 0.1}, trials=200)
    assert 0.9 - 2e-7 <= sol.value <= 0.9 + 2e-7 and sol.achieved == 0.0
    assert sol.past is not None and sol.value < sol.past <= 0.9 + 2e-7  # just beyond: every trial over


def test_the_answer_reads_with_the_currency_and_draws_the_orgs_average_person() -> None:
    sol = solve(ORG, SCALE_KNOB, {"expected_cost": 5600}, trials=200)
    lines = answer_lines(sol, "quarter", "$")
    assert lines[0].startswith("Every plan's target incentive x one factor: 80")
    assert "goal: the expected cost equals $5,600." in lines[1]
    assert "Expected cost $5,6" in lines[-1] and "(now $7,000)" in lines[-1]
    view = knob_curves(sol)
    now = view.frame[(view.frame["series"] == "Now") & (view.frame["x"] == 1.0)]["y"]
    # an average person of the org at target: 7,000 over 3 people
    assert float(now.iloc[0]) == pytest.approx(7000 / 3)
