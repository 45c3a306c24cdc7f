"""Properties every plan must keep, whatever its numbers (hypothesis)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore import dump_plan, load_plan, payout
from compcore.plan.curves import evaluate_curve
from compcore.plan.schema import Plan
from tests.compcore.strategies import attainments, monotone_curve, monotone_plan

settings.register_profile("compcore", max_examples=150, deadline=None)
settings.load_profile("compcore")

GRID = np.linspace(-0.5, 3.0, 701)


def actuals_at(plan: Plan, att: dict[str, Any]) -> dict[str, Any]:
    """Actual values giving these attainments (inverse of compcore.attainment)."""
    out = {}
    for m in plan.metrics:
        a = np.asarray(att[m.id], dtype=float)
        out[m.id] = m.target * a if m.direction == "higher" else m.target * (2.0 - a)
    return out


def sweep(plan: Plan, metric_id: str, others: float) -> np.ndarray:
    att = {m.id: others for m in plan.metrics}
    att[metric_id] = GRID
    return payout(plan, actuals_at(plan, att)).total


@given(monotone_curve())
def test_a_monotone_curve_never_pays_less_for_more_attainment(curve: dict[str, Any]) -> None:
    plan = load_plan({"name": "x", "target_incentive": {"amount": 1},
                      "metrics": [{"id": "m", "name": "m", "target": 1}],
                      "components": [{"id": "c", "metric": "m", "weight": 1, "curve": curve}]})
    y = evaluate_curve(plan.components[0].curve, GRID)
    assert np.all(np.diff(y) >= -1e-12)
    assert np.all(y >= 0)


@given(monotone_plan(), st.floats(min_value=0.0, max_value=2.0))
def test_more_attainment_on_any_metric_never_lowers_the_total(data: dict[str, Any], others: float) -> None:
    plan = load_plan(data)
    for m in plan.metrics:
        assert np.all(np.diff(sweep(plan, m.id, others)) >= -1e-9), m.id


@given(monotone_plan(), st.lists(attainments, min_size=4, max_size=4))
def test_plan_cap_and_curve_caps_hold(data: dict[str, Any], att: list[float]) -> None:
    plan = load_plan(data)
    res = payout(plan, actuals_at(plan, {m.id: a for m, a in zip(plan.metrics, att, strict=False)}))
    if plan.cap is not None:
        assert res.total <= plan.cap + 1e-12
    for c in plan.components:
        assert res.fractions[c.id] >= 0
        if c.curve.cap is not None and not plan.modifiers:
            assert res.fractions[c.id] <= c.curve.cap + 1e-12


@given(monotone_plan(), st.lists(attainments, min_size=4, max_size=4))
def test_gates_only_ever_cut_pay(data: dict[str, Any], att: list[float]) -> None:
    gated = load_plan(data)
    ungated = load_plan({**data, "gates": []})
    actuals = actuals_at(gated, {m.id: a for m, a in zip(gated.metrics, att, strict=False)})
    assert payout(gated, actuals).total <= payout(ungated, actuals).total + 1e-12


@given(monotone_plan(), st.lists(st.lists(attainments, min_size=4, max_size=4), min_size=1, max_size=6))
def test_array_input_gives_the_same_numbers_as_one_scalar_at_a_time(data: dict[str, Any],
                                                                   rows: list[list[float]]) -> None:
    plan = load_plan(data)
    table = np.array(rows)
    arrays = actuals_at(plan, {m.id: table[:, i] for i, m in enumerate(plan.metrics)})
    res = payout(plan, arrays)
    assert isinstance(res.total, np.ndarray) and res.total.shape == (len(rows),)
    for k, row in enumerate(rows):
        one = payout(plan, actuals_at(plan, {m.id: row[i] for i, m in enumerate(plan.metrics)}))
        assert isinstance(one.total, float)
        assert one.total == res.total[k]
        for cid, share in one.components.items():
            assert share == res.components[cid][k]


@given(monotone_plan())
def test_dump_then_load_gives_the_same_plan(data: dict[str, Any]) -> None:
    plan = load_plan(data)
    assert load_plan(dump_plan(plan)) == plan
    assert dump_plan(load_plan(dump_plan(plan))) == dump_plan(plan)


def test_broadcasting_a_company_value_against_individual_values() -> None:
    plan = load_plan("sample_data/plans/cs_ops_enablement.json")
    res = payout(plan, {"team_okr": np.array([[0.9], [1.0]]), "company_arr": np.array([1.0, 1.2])})
    assert res.total.shape == (2, 2)
    np.testing.assert_allclose(res.total, [[0.93, 1.0], [1.0, 1.3]])
