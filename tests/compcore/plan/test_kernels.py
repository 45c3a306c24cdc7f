"""The vectorised curve and payout kernels equal a per-value Python loop, bit for bit (hypothesis).

The Monte Carlo evaluates curves with table look-ups and in-place blends
(compcore/plan/curves.py) and totals with :func:`payout_total`; these tests pin
them to the plain definition, one value at a time, on random curves and plans:
``==`` on floats, not a tolerance, because "identical results" is the contract.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.plan.curves import evaluate_curve
from compcore.plan.payout import combine, payout, payout_parts, payout_total
from compcore.plan.schema import TOLERANCE, LinearCurve, StepsCurve, TiersCurve, load_plan
from tests.compcore.strategies import increasing_xs, monotone_plan

settings.register_profile("compcore", max_examples=150, deadline=None)
settings.load_profile("compcore")

FAR = 1e6  # how far an "extend" line is drawn (compcore.plan.curves)
values = st.floats(min_value=-1.0, max_value=4.0, allow_nan=False) | st.sampled_from(
    [0.0, 0.8, 0.9, 1.0, 1.1, 1.2, 1e7, math.inf, -math.inf])
pays = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)


@st.composite
def any_curve(draw: Any) -> LinearCurve | TiersCurve | StepsCurve:
    """Any valid curve, payouts not necessarily monotone (a falling step is a valid plan)."""
    kind = draw(st.sampled_from(["linear", "tiers", "steps"]))
    cap = draw(st.none() | st.floats(min_value=0.0, max_value=3.0))
    if kind == "linear":
        xs = draw(increasing_xs(n_max=6))
        ys = draw(st.lists(pays, min_size=len(xs), max_size=len(xs)))
        return LinearCurve(points=list(zip(xs, ys, strict=True)), cap=cap,
                           above=draw(st.sampled_from(["flat", "extend"])))
    if kind == "tiers":
        xs = [0.0] + draw(increasing_xs(n_min=1, n_max=4, start_min=0.05))
        rates = draw(st.lists(pays, min_size=len(xs), max_size=len(xs)))
        return TiersCurve.model_validate({
            "bands": [{"from": x, "rate": r} for x, r in zip(xs, rates, strict=True)], "cap": cap,
            "mode": draw(st.sampled_from(["marginal", "retroactive"])),
            "threshold": draw(st.none() | st.floats(min_value=0.0, max_value=1.2))})
    xs = draw(increasing_xs(n_min=1, n_max=6))
    ys = draw(st.lists(pays, min_size=len(xs), max_size=len(xs)))
    return StepsCurve(steps=list(zip(xs, ys, strict=True)), cap=cap)


def one_value(curve: LinearCurve | TiersCurve | StepsCurve, a: float) -> float:
    """The curve's definition for one attainment, in plain Python floats."""
    if curve.kind == "linear":
        xs, ys = [p[0] for p in curve.points], [p[1] for p in curve.points]
        if curve.above == "extend":
            slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
            xs, ys = [*xs, xs[-1] + FAR], [*ys, ys[-1] + slope * FAR]
        out = float(np.interp(a, xs, ys))  # numpy's own interpolation, one value at a time
        if a < xs[0] - TOLERANCE:
            out = 0.0
    elif curve.kind == "tiers":
        starts, rates = [b.start for b in curve.bands], [b.rate for b in curve.bands]
        if curve.mode == "marginal":
            out = 0.0
            for i, (s, r) in enumerate(zip(starts, rates, strict=True)):
                width = starts[i + 1] - s if i + 1 < len(starts) else math.inf
                out += r * min(max(a - s, 0.0), width)
        else:
            k = bisect.bisect_right(starts, a + TOLERANCE) - 1
            out = rates[k] * max(a, 0.0) if k >= 0 else 0.0
        if curve.threshold is not None and a < curve.threshold - TOLERANCE:
            out = 0.0
    else:
        k = bisect.bisect_right([s[0] for s in curve.steps], a + TOLERANCE) - 1
        out = curve.steps[k][1] if k >= 0 else 0.0
    return out if curve.cap is None else min(out, curve.cap)


@given(any_curve(), st.lists(values, min_size=1, max_size=40))
def test_each_curve_kind_equals_its_definition_value_by_value(curve: Any, att: list[float]) -> None:
    got = evaluate_curve(curve, np.array(att).reshape(-1, 1))
    assert got.shape == (len(att), 1)
    # assert_array_equal: exact, and NaN equals NaN (an infinite attainment on a zero rate is inf * 0, as before)
    np.testing.assert_array_equal(got.ravel(), [one_value(curve, a) for a in att])


@given(any_curve(), values)
def test_a_single_attainment_gives_the_same_number_as_an_array(curve: Any, a: float) -> None:
    np.testing.assert_array_equal(evaluate_curve(curve, np.float64(a)), evaluate_curve(curve, np.array([a]))[0])


def test_a_curve_at_its_edges_pays_the_documented_values() -> None:
    # steps 80% -> 0.5, 90% -> 0.75: exactly at 80% (after float error, 72/90) pays the step; just below does not
    c = StepsCurve(steps=[(0.8, 0.5), (0.9, 0.75)])
    assert evaluate_curve(c, np.array([0.72 / 0.9, 0.7999, 0.9, 5.0])).tolist() == [0.5, 0.0, 0.75, 0.75]
    # marginal tiers 0..1 at 1.0, 1..1.2 at 2.0, above at 0.5: 1.3 pays 1 + 0.2 * 2 + 0.1 * 0.5 = 1.45
    t = TiersCurve.model_validate({"bands": [{"from": 0, "rate": 1}, {"from": 1, "rate": 2},
                                             {"from": 1.2, "rate": 0.5}]})
    assert evaluate_curve(t, np.array([1.3]))[0] == 1.0 + (1.2 - 1.0) * 2.0 + (1.3 - 1.2) * 0.5
    # a line from (0.8, 0.5) to (1, 1): flat beyond, nothing below, infinite attainment pays the end value
    line = LinearCurve(points=[(0.8, 0.5), (1.0, 1.0)])
    assert evaluate_curve(line, np.array([0.79, 0.9, 2.0, np.inf])).tolist() == [0.0, 0.75, 1.0, 1.0]


@st.composite
def plan_and_actuals(draw: Any) -> tuple[Any, dict[str, np.ndarray]]:
    """A random plan and actuals of mixed shapes broadcasting to (rows, cols), as pricing passes them."""
    plan = load_plan(draw(monotone_plan()))
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    actuals = {}
    for m in plan.metrics:
        shape = draw(st.sampled_from([(rows, cols), (rows, 1), (1, cols)]))
        n = shape[0] * shape[1]
        att = draw(st.lists(st.floats(min_value=-0.5, max_value=2.5, allow_nan=False), min_size=n, max_size=n))
        actuals[m.id] = m.target * np.array(att).reshape(shape)
    return plan, actuals


@given(plan_and_actuals())
def test_the_monte_carlo_total_is_payouts_total_bit_for_bit(case: tuple[Any, dict[str, np.ndarray]]) -> None:
    plan, actuals = case
    before = {k: v.copy() for k, v in actuals.items()}
    fast = payout_total(plan, actuals)
    slow = payout(plan, actuals).total
    assert fast.shape == slow.shape
    assert fast.tolist() == slow.tolist()
    assert all(np.array_equal(actuals[k], before[k]) for k in actuals)  # the draws are read, never written


@given(plan_and_actuals())
def test_the_total_equals_payout_called_once_per_value(case: tuple[Any, dict[str, np.ndarray]]) -> None:
    plan, actuals = case
    shape = np.broadcast_shapes(*(v.shape for v in actuals.values()))
    full = {k: np.broadcast_to(v, shape) for k, v in actuals.items()}
    fast = payout_total(plan, actuals)
    for idx in np.ndindex(shape):
        assert fast[idx] == payout(plan, {k: float(v[idx]) for k, v in full.items()}).total


@given(plan_and_actuals(), st.data())
def test_holding_one_metric_fixed_recombines_to_payout_with_that_value(case: Any, data: Any) -> None:
    """Sensitivity re-prices by swapping one metric's parts: the same numbers as pricing the held value."""
    plan, actuals = case
    parts = payout_parts(plan, actuals)
    base = combine(parts)
    m = data.draw(st.sampled_from(plan.metrics))
    held = m.target * data.draw(st.floats(min_value=-0.5, max_value=2.5, allow_nan=False))
    shape = np.broadcast_shapes(*(v.shape for v in actuals.values()))
    expected = payout(plan, {**actuals, m.id: np.full(shape, held)}).total
    assert combine(parts.with_metric(m.id, held)).tolist() == expected.tolist()
    assert combine(parts).tolist() == base.tolist() == payout(plan, actuals).total.tolist()  # parts reused intact
