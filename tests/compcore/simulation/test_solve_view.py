"""What the app draws for a solve: histograms on shared bins, curves before/after, sentences, the frontier's range."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compcore.simulation.solve import solve
from compcore.simulation.solve_view import (
    AFTER,
    BEFORE,
    answer_lines,
    cost_pair,
    frontier_frame,
    frontier_values,
    goal_words,
    knob_curves,
)
from tests.compcore.simulation.test_solve import PCT, scenario


@pytest.fixture(scope="module")
def sol():
    return solve(scenario(), PCT, {"p_over_budget": 0.1}, trials=2000, seed=0)


def test_histograms_share_bins_and_each_sums_to_one(sol) -> None:
    df = cost_pair(sol.base.cost, sol.sim.cost, bins=30)
    now, after = df[df.series == BEFORE], df[df.series == AFTER]
    assert list(now.lo) == list(after.lo) and len(now) == 30
    assert now.share.sum() == pytest.approx(1.0) and after.share.sum() == pytest.approx(1.0)


def test_a_target_incentive_scales_what_an_average_person_earns(sol) -> None:
    view = knob_curves(sol)
    assert view.y_money and view.title == "What an average person earns per period"
    now, after = (view.frame[view.frame.series == s].y.to_numpy() for s in (BEFORE, AFTER))
    # 10 people on 10% of 96,000 average base a year: 2,400 a quarter at 100% payout, scaled by value / 10%
    assert now.max() > 0
    np.testing.assert_allclose(after, now * sol.value / 0.1)


def test_a_curve_point_shows_that_components_curve_before_and_after() -> None:
    s = solve(scenario(), "plan.components[0].curve.points[2][1]", {"expected_cost": 22_000}, trials=1000)
    view = knob_curves(s)
    assert view.title == "Adoption: curve" and not view.y_money
    f = view.frame
    top = np.isclose(f.x, 1.2, rtol=0, atol=1e-9)  # the third point, [1.2, 1.6] now
    at = {series: float(f[(f.series == series) & top].y.iloc[0]) for series in (BEFORE, AFTER)}
    assert at[BEFORE] == pytest.approx(1.6) and at[AFTER] == pytest.approx(s.value)


def test_a_metric_target_moves_the_plans_curve_along_todays_target() -> None:
    s = solve(scenario(), "plan.metrics[0].target", {"expected_cost": 20_000}, trials=1000)
    view = knob_curves(s)
    f = view.frame
    # usage on target pays 0.4; adoption adds from 80% attainment: 0.72 adopted today, 0.8 x the new target after
    first = {series: float(f[(f.series == series) & (f.y > 0.4 + 1e-6)].x.min()) for series in (BEFORE, AFTER)}
    assert first[BEFORE] == pytest.approx(0.8, abs=0.01)
    assert first[AFTER] == pytest.approx(0.8 * s.value / 0.9, abs=0.01)


def test_answer_in_sentences(sol) -> None:
    lines = answer_lines(sol, "quarter")
    assert lines[0] == f"Target incentive, % of base: {sol.knob.phrase(sol.value)} (now 10% of base)."
    assert lines[1].startswith("P(over budget): ") and "goal: P(over budget) at most 10%." in lines[1]
    assert "any more and it goes over" in lines[2]
    assert f"{sol.evaluations} re-pricings of the same 2,000 simulated quarters" in lines[3]


def test_frontier_spans_the_current_value_and_the_answer(sol) -> None:
    values = frontier_values(sol, 11)
    assert 0 < len(values) <= 11 and all(sol.lo <= v <= sol.hi for v in values)
    # values next to one the solve priced are left out: sol.tried fills them in
    assert all(abs(v - t) >= 1e-12 for v in values for t in sol.tried["value"])
    df = frontier_frame(pd.DataFrame({"value": values, "measure": np.zeros(len(values))}), sol)
    line = df[df.point == "across the range"]
    assert line.value.is_monotonic_increasing and line.value.min() <= min(0.1, sol.value)
    assert line.value.max() >= max(0.1, sol.value)
    assert list(df.point.iloc[-2:]) == ["now", "answer"] and df.measure.iloc[-1] == sol.achieved


def test_goal_words() -> None:
    assert goal_words("p_over_budget") == "At most this chance of going over budget"
    assert goal_words("expected_cost") == "Expected cost equals ..."
