"""The fused numba kernel gives numpy's totals bit for bit, over hypothesis plans (every curve kind, gates,
modifiers, caps), and the switch between the two paths (``COMPCORE_KERNEL``).

numba is in the test extras: CI runs both paths. Without numba these tests skip locally and fail on CI.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.plan import kernel as kern
from compcore.plan.payout import payout_total
from compcore.plan.schema import TOLERANCE, load_plan
from tests.compcore.plan.test_kernels import any_curve

settings.register_profile("compcore", max_examples=150, deadline=None)
settings.load_profile("compcore")


def compiled() -> Any:
    """The compiled kernel whatever ``COMPCORE_KERNEL`` says (skips without numba, fails on CI)."""
    fn = kern.load_kernel()
    if fn is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"numba is in the test extras but the kernel did not load: {kern.kernel_problem()}")
        pytest.skip(f"numba not installed here: {kern.kernel_problem()}")
    return fn


@st.composite
def any_plan(draw: Any) -> dict[str, Any]:
    """Any valid plan of 1-4 metrics: every curve kind (payouts not necessarily monotone), gates on all or on
    some components, modifiers of both kinds on all or some components, caps, lower-is-better metrics."""
    n = draw(st.integers(1, 4))
    metrics = [{"id": f"m{i}", "name": f"m{i}", "target": draw(st.floats(min_value=0.05, max_value=50)),
                "direction": draw(st.sampled_from(["higher", "lower"]))} for i in range(n)]
    n_comp = draw(st.integers(n, n + 2))
    raw = draw(st.lists(st.integers(1, 10), min_size=n_comp, max_size=n_comp))
    weights = [w / sum(raw) for w in raw]
    weights[-1] = 1.0 - sum(weights[:-1])
    # component i < n reads metric i: every metric is read
    components = [{"id": f"c{i}", "metric": f"m{i if i < n else draw(st.integers(0, n - 1))}", "weight": weights[i],
                   "curve": draw(any_curve()).model_dump(by_alias=True, exclude_none=True)} for i in range(n_comp)]
    some = st.lists(st.sampled_from([c["id"] for c in components]), min_size=1, max_size=2, unique=True)
    gates = [{"metric": f"m{draw(st.integers(0, n - 1))}", "below": draw(st.floats(min_value=0.0, max_value=1.5)),
              "cap": draw(st.floats(min_value=0.0, max_value=1.5)), "applies_to": draw(st.just("all") | some)}
             for _ in range(draw(st.integers(0, 2)))]
    modifiers = []
    for _ in range(draw(st.integers(0, 2))):
        curve = draw(any_curve().filter(lambda c: c.kind != "tiers")).model_dump(by_alias=True, exclude_none=True)
        modifiers.append({"metric": f"m{draw(st.integers(0, n - 1))}", "curve": curve,
                          "applies_to": draw(st.just("all") | some)})
    plan: dict[str, Any] = {"name": "any", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
                            "metrics": metrics, "components": components, "gates": gates, "modifiers": modifiers}
    if draw(st.booleans()):
        plan["cap"] = draw(st.floats(min_value=0.0, max_value=3.0))
    return plan


def _breakpoints(plan: Any) -> list[float]:
    """Every attainment where some curve, gate or threshold changes: exactly at, and a tolerance either side."""
    xs: list[float] = []
    for c in [*(c.curve for c in plan.components), *(m.curve for m in plan.modifiers)]:
        if c.kind == "linear":
            xs += [p[0] for p in c.points]
        elif c.kind == "tiers":
            xs += [b.start for b in c.bands] + ([c.threshold] if c.threshold is not None else [])
        else:
            xs += [s[0] for s in c.steps]
    xs += [g.below for g in plan.gates]
    return [x + d for x in xs for d in (0.0, -TOLERANCE, TOLERANCE, -1e-12, 1e-12)]


@st.composite
def plan_and_values(draw: Any) -> tuple[Any, dict[str, np.ndarray]]:
    plan = load_plan(draw(any_plan()))
    n = draw(st.integers(1, 40))
    atts = st.floats(min_value=-1.0, max_value=4.0, allow_nan=False) | st.sampled_from(_breakpoints(plan) + [1e7])
    values = {}
    for m in plan.metrics:
        a = np.array(draw(st.lists(atts, min_size=n, max_size=n)))
        # the value whose attainment is a (lower is better: 2 - value / target)
        values[m.id] = m.target * (a if m.direction == "higher" else 2.0 - a)
    return plan, values


def fused_totals(plan: Any, values: dict[str, np.ndarray], columns: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's totals and counts with every metric's values as ``columns`` identical units."""
    fp = kern.fused_plan(plan)
    assert fp is not None
    n = len(next(iter(values.values())))
    raws = [np.repeat(values[mid][:, None], columns, axis=1) for mid in fp.metric_ids]
    out, counts = np.empty((n, columns)), np.zeros((3, columns), dtype=np.int64)
    cols = np.tile(np.arange(columns), (len(raws), 1))
    assert fp.run(compiled(), raws, cols, out, counts)
    return out, counts


@given(plan_and_values())
def test_the_kernel_total_is_numpys_bit_for_bit(case: tuple[Any, dict[str, np.ndarray]]) -> None:
    plan, values = case
    want = payout_total(plan, values)
    got, counts = fused_totals(plan, values)
    # the same bytes: every value, and the sign of every zero
    assert got[:, 0].tobytes() == np.ascontiguousarray(want, dtype=float).tobytes()
    hi, lo, at = kern.BOUNDS
    assert counts[:, 0].tolist() == [np.count_nonzero(want > hi), np.count_nonzero(want <= lo),
                                     np.count_nonzero(want >= at)]


def test_the_kernel_reads_each_units_column_and_pays_an_empty_slot_its_actual_of_zero() -> None:
    compiled()
    plan = load_plan({"name": "p", "target_incentive": {"amount": 1.0},
                      "metrics": [{"id": "a", "name": "a", "target": 2.0}, {"id": "b", "name": "b", "target": 1.0}],
                      "components": [{"id": "x", "metric": "a", "weight": 0.5, "curve": {"kind": "linear",
                                      "points": [[0, 0], [1, 1]], "above": "extend"}},
                                     {"id": "y", "metric": "b", "weight": 0.5, "curve": {"kind": "linear",
                                      "points": [[0, 0.5], [1, 1]]}}]})
    fp = kern.fused_plan(plan)
    a = np.array([[1.0, 3.0], [2.0, 4.0]])  # 2 trials x 2 people: attainments 0.5 1.5 / 1.0 2.0
    b = np.array([[0.5], [1.0]])             # one team's value per trial
    out, counts = np.empty((2, 3)), np.zeros((3, 3), dtype=np.int64)
    # unit 0: person 1 and the team; unit 1: person 0 and the team; unit 2: an empty slot (a = 0) and the team
    assert fp.run(compiled(), [a, b], np.array([[1, 0, -1], [0, 0, 0]]), out, counts)
    # 0.5 * a + 0.5 * (0.5 + 0.5 b): trial 0 b = 0.5 pays 0.375 from b; trial 1 b = 1 pays 0.5
    assert out.tolist() == [[0.5 * 1.5 + 0.375, 0.5 * 0.5 + 0.375, 0.5 * 0.0 + 0.375],
                            [0.5 * 2.0 + 0.5, 0.5 * 1.0 + 0.5, 0.0 + 0.5]]
    assert counts.tolist() == [[2, 0, 0], [0, 0, 0], [2, 1, 0]]


def test_a_draw_that_is_not_finite_leaves_it_to_numpy() -> None:
    plan = load_plan("sample_data/plans/cs_ops_enablement.json")
    fp = kern.fused_plan(plan)
    raws = [np.array([[0.9], [np.inf]]), np.array([[1.0], [1.0]])]
    assert not fp.run(compiled(), raws, np.zeros((2, 1), dtype=np.int64), np.empty((2, 1)),
                      np.zeros((3, 1), dtype=np.int64))


def test_a_line_whose_slope_overflows_is_left_to_numpy() -> None:
    plan = load_plan({"name": "p", "target_incentive": {"amount": 1.0},
                      "metrics": [{"id": "a", "name": "a", "target": 1.0}],
                      "components": [{"id": "x", "metric": "a", "weight": 1.0, "curve": {"kind": "linear",
                                      "points": [[0, 0], [5e-324, 1.0]]}}]})
    assert kern.fused_plan(plan) is None


def test_the_numpy_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPCORE_KERNEL", "numpy")
    assert kern.kernel_mode() == "numpy" and kern.kernel() is None
    monkeypatch.setenv("COMPCORE_KERNEL", "anything else")
    assert kern.kernel_mode() == "auto"
    monkeypatch.setenv("COMPCORE_KERNEL", "numba")
    assert kern.kernel() is compiled()


@given(plan_and_values(), st.data())
def test_standard_normals_scaled_in_the_kernel_are_numpys_values(case: tuple[Any, dict[str, np.ndarray]],
                                                                 data: Any) -> None:
    """``draw_chunk_scaled`` leaves a normal metric as z: the kernel's ``z * sd + mean`` is numpy's, bit for bit."""
    plan, values = case
    fp = kern.fused_plan(plan)
    n = len(next(iter(values.values())))
    affine, raws = {}, []
    for mid in fp.metric_ids:
        if data.draw(st.booleans()):
            sd, mean = data.draw(st.floats(0.0, 5.0)), data.draw(st.floats(-5.0, 5.0))
            z = np.array(data.draw(st.lists(st.floats(-8.0, 8.0), min_size=n, max_size=n)))
            affine[mid] = (sd, mean)
            values[mid] = z * sd + mean  # what Normal.sample_into leaves in the array
            raws.append(z[:, None])
        else:
            raws.append(values[mid][:, None])
    out, counts = np.empty((n, 1)), np.zeros((3, 1), dtype=np.int64)
    assert fp.run(compiled(), raws, np.zeros((len(raws), 1), dtype=np.int64), out, counts, affine)
    assert out[:, 0].tobytes() == np.ascontiguousarray(payout_total(plan, values), dtype=float).tobytes()


def test_a_server_defers_loading_until_pricing_has_been_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(kern, "IDLE_BEFORE_LOADING", 0.3)
    monkeypatch.setitem(kern._state, "wait", True)
    monkeypatch.setitem(kern._state, "last", time.monotonic())
    start = time.monotonic()
    kern._defer()
    assert time.monotonic() - start >= 0.3
    monkeypatch.setitem(kern._state, "wait", False)  # a script, a worker: no wait
    start = time.monotonic()
    kern._defer()
    assert time.monotonic() - start < 0.3
