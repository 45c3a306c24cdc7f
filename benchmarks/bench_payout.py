"""Payout engine speed: 1,000,000 attainments through a 4-component plan with gates.

Run: ``python benchmarks/bench_payout.py``. Prints figures measured in one run:
the absolute time (goal: well under a second), the ratio to one ``np.interp``
over the same 1,000,000 values per component (the floor any vectorised engine
pays), and the speed-up over calling ``payout`` once per value in a Python loop
(measured on 2,000 values and scaled).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # runs from a checkout without an install, like the other benchmarks

from compcore import load_plan, payout  # noqa: E402

N = 1_000_000
PLAN = load_plan(ROOT / "sample_data/plans/cs_org_quarterly.json")  # 4 components, steps/linear, a component gate


def best_of(fn: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(7)
    actuals = {m.id: m.target * rng.uniform(0.5, 1.3, N) for m in PLAN.metrics}
    t_engine = best_of(lambda: payout(PLAN, actuals))
    xs, ys = np.array([0.0, 1.0]), np.array([0.0, 1.0])
    t_interp = best_of(lambda: [np.interp(actuals[m.id], xs, ys) for m in PLAN.metrics])
    n_loop = 2_000
    scalars = [{k: float(v[i]) for k, v in actuals.items()} for i in range(n_loop)]
    t_loop = best_of(lambda: [payout(PLAN, a).total for a in scalars], repeats=2) * (N / n_loop)
    print(f"payout of {N:,} attainments x {len(PLAN.components)} components with a gate: {t_engine * 1000:.0f} ms")
    print(f"ratio to {len(PLAN.metrics)} x np.interp over the same values: {t_engine / t_interp:.1f}x")
    print(f"speed-up over a per-value Python loop (scaled from {n_loop:,}): {t_loop / t_engine:,.0f}x")


if __name__ == "__main__":
    main()
