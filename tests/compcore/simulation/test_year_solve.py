"""solve(..., horizon="year"): the same search against the year's cost and the annual budget."""

from __future__ import annotations

import numpy as np
import pytest

from compcore import PlanError, solve
from compcore.simulation.year import YearResult, simulate_year
from tests.compcore.scenario_data import sample_scenario

KNOB = "plan.target_incentive.percent_of_base"


def quarterly() -> dict:
    data = sample_scenario()
    data["plan"]["period"] = "quarter"
    data["plan"]["schedule"] = {"measure": "year_to_date", "holdback": 0.25, "year_end": "true_up"}
    data["annual_budget"] = 150_000
    return data


def test_solve_for_the_year_meets_the_goal_on_the_annual_budget() -> None:
    data = quarterly()
    sol = solve(data, KNOB, {"p_over_budget": 0.1}, trials=4_000, seed=0, horizon="year")
    assert isinstance(sol.sim, YearResult)
    assert sol.sim.budget == 150_000
    assert sol.achieved == sol.sim.p_over_budget <= 0.1
    # the answer is the year simulate_year gives for the solved scenario, same years
    again = simulate_year(sol.scenario, trials=4_000, seed=0)
    assert np.array_equal(again.cost, sol.sim.cost)
    assert np.mean(again.cost > 150_000) <= 0.1
    past = solve(data, KNOB, {"p_over_budget": 0.1}, trials=4_000, seed=0, horizon="year").past
    assert past is not None and past > sol.value


def test_solve_for_the_expected_year_cost() -> None:
    sol = solve(quarterly(), KNOB, {"expected_cost": 120_000}, trials=4_000, seed=0, horizon="year")
    assert sol.sim.expected == pytest.approx(120_000, rel=1e-3)


def test_the_period_horizon_is_the_default_and_differs_from_the_year() -> None:
    data = quarterly()
    data["budget"] = 150_000 / 4
    period = solve(data, KNOB, {"p_over_budget": 0.1}, trials=4_000, seed=0)
    year = solve(data, KNOB, {"p_over_budget": 0.1}, trials=4_000, seed=0, horizon="year")
    # four quarters average out: a year over 4 x the budget is rarer than one quarter over it
    assert year.value > period.value


def test_a_bad_horizon_or_no_budget_names_what_is_wrong() -> None:
    with pytest.raises(PlanError) as e:
        solve(quarterly(), KNOB, {"p_over_budget": 0.1}, trials=100, horizon="quarter")
    assert e.value.problems[0][0] == "horizon"
    data = quarterly()
    del data["annual_budget"], data["budget"]
    with pytest.raises(PlanError, match="annual_budget"):
        solve(data, KNOB, {"p_over_budget": 0.1}, trials=100, horizon="year")
