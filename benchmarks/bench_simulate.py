"""Benchmark of the Monte Carlo: three figures measured in one run.

Run from the repository root::

    python benchmarks/bench_simulate.py [--quick]

1. simulate 10,000 trials x 50 employees x 4 metrics (the seed-001 quarterly
   plan: three team metrics, one individual) / time numpy takes to draw
   10,000 * 50 * 4 standard normals. Goal <= 1.5, must be <= 3.
2. speed-up of ``simulate`` over a plain per-trial Python loop (one ``payout``
   call per trial with arrays over employees) computing the same costs from the
   same draws (asserted equal). Must be >= 50.
3. peak memory (tracemalloc) of ``simulate`` at 1,000,000 trials. Must be < 1 GiB.

Time ratios use the best of several repeats. ``--quick`` shrinks the loop and
the 1,000,000-trial run for a smoke test (the figures are then not the ones to quote).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compcore.plan.payout import payout  # noqa: E402
from compcore.simulation.draws import MetricDraws, draw_metrics, roster_arrays  # noqa: E402
from compcore.simulation.scenario import Scenario, load_scenario  # noqa: E402
from compcore.simulation.simulate import simulate  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1] / "sample_data" / "scenarios" / "cs_org_quarterly.json"
TRIALS, EMPLOYEES, METRICS = 10_000, 50, 4


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def per_trial_loop(scn: Scenario, draws: MetricDraws, trials: int) -> np.ndarray:
    """The plain way: for each trial, build everyone's actuals and call payout once."""
    plan = scn.plan
    _, team_index, row_index = roster_arrays(scn.roster)
    targets = np.array([
        (r.target_incentive or plan.target_incentive).annual(r.base_salary) / plan.periods_per_year
        for r in scn.roster
    ])[row_index]
    cost = np.empty(trials)
    for t in range(trials):
        actuals = {}
        for m in plan.metrics:
            v = draws.values[m.id][t]
            if m.scope == "company":
                actuals[m.id] = np.full(len(targets), v)
            elif m.scope == "team":
                actuals[m.id] = v[team_index]
            else:
                actuals[m.id] = v
        cost[t] = np.sum(payout(plan, actuals).total * targets)
    return cost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: small loop and 100,000 trials for memory")
    args = parser.parse_args()
    scn = load_scenario(SCENARIO)
    assert scn.headcount == EMPLOYEES and len(scn.plan.metrics) == METRICS
    rng = np.random.default_rng(0)

    simulate(scn, TRIALS, seed=1)  # warm up imports and caches
    t_sim = best_of(lambda: simulate(scn, TRIALS, seed=1), 7)
    t_normals = best_of(lambda: rng.standard_normal(TRIALS * EMPLOYEES * METRICS), 7)
    ratio = t_sim / t_normals

    loop_trials = 1_000 if args.quick else TRIALS
    sim = simulate(scn, TRIALS, seed=1)
    draws = draw_metrics(scn, TRIALS, seed=1)
    start = time.perf_counter()
    draw_metrics(scn, TRIALS, seed=1)
    loop_cost = per_trial_loop(scn, draws, loop_trials)
    t_loop = (time.perf_counter() - start) * TRIALS / loop_trials
    np.testing.assert_allclose(loop_cost, sim.cost[:loop_trials], rtol=1e-12, atol=1e-9)
    speedup = t_loop / t_sim

    big = 100_000 if args.quick else 1_000_000
    tracemalloc.start()
    simulate(scn, big, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"scenario: {SCENARIO.name} ({TRIALS:,} trials x {EMPLOYEES} employees x {METRICS} metrics)")
    print(f"simulate {t_sim * 1e3:.1f} ms, numpy {TRIALS * EMPLOYEES * METRICS:,} standard normals "
          f"{t_normals * 1e3:.1f} ms, per-trial loop {t_loop * 1e3:,.0f} ms")
    print(f"1. simulate / numpy normals: {ratio:.2f}x  (goal <= 1.5, must be <= 3)")
    print(f"2. speed-up over the per-trial loop: {speedup:.0f}x  (must be >= 50; costs asserted equal)")
    print(f"3. peak memory at {big:,} trials: {peak / 2**20:.0f} MiB  (must be < 1024 MiB)")
    ok = ratio <= 3 and speedup >= 50 and peak < 2**30
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
