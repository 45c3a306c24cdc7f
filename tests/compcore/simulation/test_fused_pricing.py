"""Pricing with the fused kernel gives every figure numpy gives, bit for bit: simulate, cached draws, the plan
year, impact, sensitivity (``COMPCORE_KERNEL=numba`` against ``COMPCORE_KERNEL=numpy``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compcore
from compcore.simulation.draws import draw_metrics
from compcore.simulation.impact import impact
from compcore.simulation.pricing import held_costs, org_cost_chunk, price_chunk, price_context
from compcore.simulation.simulate import _prepare, price_scenario
from compcore.simulation.year import simulate_year
from tests.compcore.plan.test_fused_kernel import compiled

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = sorted((ROOT / "sample_data" / "scenarios").glob("*.json"))


def both(monkeypatch: pytest.MonkeyPatch, fn: Callable[[], Any]) -> tuple[Any, Any]:
    """``fn()`` priced by numpy, then by the fused kernel."""
    compiled()
    monkeypatch.setenv("COMPCORE_KERNEL", "numpy")
    plain = fn()
    monkeypatch.setenv("COMPCORE_KERNEL", "numba")
    return plain, fn()


def same_result(a: Any, b: Any) -> None:
    assert a.cost.tobytes() == b.cost.tobytes()
    assert {k: v.tobytes() for k, v in a.plan_costs.items()} == {k: v.tobytes() for k, v in b.plan_costs.items()}
    assert a.payout_pct.tobytes() == b.payout_pct.tobytes()
    assert (a.share_above_target, a.share_zero) == (b.share_above_target, b.share_zero)
    for pid, t in a._tallies.items():
        u = b._tallies[pid]
        if t is None:
            assert u is None
            continue
        for f in ("frac_sum", "at_target", "zero", "kept"):
            assert getattr(t, f).tobytes() == getattr(u, f).tobytes(), (pid, f)
    assert a.fairness.equals(b.fairness)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_simulate_and_cached_draws_price_the_same_bits(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    # the samples cover team-level plans, individual blocks with empty slots, and org plans over some people
    a, b = both(monkeypatch, lambda: compcore.simulate(str(path), trials=1_500, seed=4))
    same_result(a, b)
    draws = draw_metrics(str(path), trials=1_500, seed=4)  # C-ordered, as the app caches them
    c, d = both(monkeypatch, lambda: price_scenario(str(path), draws))
    same_result(c, d)
    same_result(a, d)


def test_the_slowest_shape_prices_the_same_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.bench_simulate import slowest_shape

    a, b = both(monkeypatch, lambda: compcore.simulate(slowest_shape(), trials=3_000, seed=2))
    same_result(a, b)


def test_the_plan_year_and_impact_price_the_same_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    org = str(ROOT / "sample_data" / "scenarios" / "cs_org_teams.json")
    a, b = both(monkeypatch, lambda: simulate_year(org, trials=500, seed=3))
    assert a.cost.tobytes() == b.cost.tobytes() and a.paid.tobytes() == b.paid.tobytes()
    after = compcore.load_scenario(org).model_dump(by_alias=True)
    after["budget"] = None
    c, d = both(monkeypatch, lambda: impact(org, after, trials=800, seed=1))
    assert c.before.cost.tobytes() == d.before.cost.tobytes() and c.after.cost.tobytes() == d.after.cost.tobytes()


def test_sensitivity_recombines_to_the_kernels_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled()
    monkeypatch.setenv("COMPCORE_KERNEL", "numba")
    run = _prepare(str(ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json"), 2_000, 5)
    values = draw_metrics(run.scn, 2_000, 5).values
    held = held_costs(run.ctxs, values, [("ebrs", 1.0)])
    assert held[0].tobytes() == org_cost_chunk(run.ctxs, values).tobytes()


def test_a_draw_that_is_not_finite_says_which_metric_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    scn = compcore.load_scenario(str(ROOT / "sample_data" / "scenarios" / "cs_ops_enablement.json"))
    run = _prepare(scn, 10, 0)
    values = {k: v.copy() for k, v in draw_metrics(scn, 10, 0).values.items()}
    values["company_arr"][3] = np.inf
    ctx = price_context(scn.plan, list(scn.roster), run.spec.team_index)
    for mode in ("numpy", "numba"):
        monkeypatch.setenv("COMPCORE_KERNEL", mode)
        with pytest.raises(ValueError, match='"company_arr" is infinite'):
            price_chunk(ctx, values, 0)


def test_a_plan_swapped_into_a_context_is_the_one_the_kernel_prices() -> None:
    scn = compcore.load_scenario(str(ROOT / "sample_data" / "scenarios" / "cs_ops_enablement.json"))
    ctx = price_context(scn.plan, list(scn.roster), _prepare(scn, 10, 0).spec.team_index)
    doubled = scn.plan.model_copy(update={"metrics": [m.model_copy(update={"target": 2 * m.target})
                                                      for m in scn.plan.metrics]})
    from dataclasses import replace

    assert replace(ctx, plan=doubled).fused.target.tolist() == [2 * m.target for m in scn.plan.metrics]


@pytest.mark.parametrize("path", [*SAMPLES, None], ids=lambda p: "slowest_shape" if p is None else p.stem)
def test_scaled_draws_scale_to_draw_chunks_values(path: Path | None) -> None:
    from benchmarks.bench_simulate import slowest_shape
    from compcore.simulation.draws import draw_chunk, draw_chunk_scaled, scale_draws

    run = _prepare(slowest_shape() if path is None else str(path), 700, 9)
    plain = draw_chunk(run.spec, 700, run.chunks[0][1])
    drawn, affine = draw_chunk_scaled(run.spec, 700, run.chunks[0][1])
    assert (path is None) == bool(affine)  # only the slowest shape has uncorrelated normal metrics
    scaled = scale_draws(drawn, affine)
    assert {k: v.tobytes() for k, v in scaled.items()} == {k: v.tobytes() for k, v in plain.items()}


def test_a_scaled_chunk_prices_the_same_on_the_numpy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.bench_simulate import slowest_shape
    from compcore.simulation.draws import draw_chunk, draw_chunk_scaled

    run = _prepare(slowest_shape(), 900, 2)
    ctx = run.ctxs["plan"]
    plain = draw_chunk(run.spec, 900, run.chunks[0][1])
    drawn, affine = draw_chunk_scaled(run.spec, 900, run.chunks[0][1])
    compiled()
    for mode in ("numpy", "numba"):
        monkeypatch.setenv("COMPCORE_KERNEL", mode)
        a, b = price_chunk(ctx, plain, 100, 100), price_chunk(ctx, drawn, 100, 100, affine)
        assert a.cost.tobytes() == b.cost.tobytes() and a.kept.tobytes() == b.kept.tobytes()


@pytest.mark.parametrize("measure", ["period", "year_to_date"])
def test_the_slowest_shapes_year_in_several_slices_prices_the_same_bits(monkeypatch: pytest.MonkeyPatch,
                                                                       measure: str) -> None:
    # 50 people of individual metrics: the year prices 5,242 rows at a time, so 12,000 years are three slices; the
    # kernel prices the chunk once and hands each slice a view, numpy prices slice by slice
    from benchmarks.bench_simulate import slowest_shape

    data = compcore.dump_scenario(slowest_shape())
    data["plan"]["period"] = "quarter"
    data["plan"]["schedule"] = {"measure": measure, "holdback": 0.25, "year_end": "true_up"}
    a, b = both(monkeypatch, lambda: simulate_year(data, trials=12_000, seed=6))
    assert a.paid.tobytes() == b.paid.tobytes()
    assert a.fairness.equals(b.fairness)
