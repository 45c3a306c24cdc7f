"""Benchmark of solve: 10,000 trials x 50 people, time and number of re-pricings, in one run.

Run from the repository root::

    python benchmarks/bench_solve.py [--quick]

For each scenario (the seed-001 sample org on one plan, the same org on four
plans (cs_org_teams), and the slowest shape: every metric an individual-scope
normal paid through tiers, steps, linear and extend curves with a gate) and
each knob and goal, prints the time of ``solve`` (draw once +
every re-pricing + the final simulation; best of 3), how many times it priced
the draws, and the ratio to one ``simulate`` of the same scenario. The contract:
<= 1 s (DESIGN.md, Performance).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compcore.simulation.scenario import Scenario, load_scenario  # noqa: E402
from compcore.simulation.simulate import simulate  # noqa: E402
from compcore.simulation.solve import solve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRIALS = 10_000
LIMIT = 1.0


def slowest_shape() -> Scenario:
    """Four individual normals through tiers, steps, linear and extend curves, a gate; 50 people."""
    metrics = [{"id": f"m{i}", "name": f"Metric {i}", "target": 1.0, "scope": "individual"} for i in range(4)]
    curves = [
        {"kind": "tiers", "bands": [{"from": 0, "rate": 0.5}, {"from": 0.8, "rate": 1.5}, {"from": 1.0, "rate": 2.0}]},
        {"kind": "steps", "steps": [[0.8, 0.5], [0.9, 0.75], [1.0, 1.0], [1.1, 1.25]]},
        {"kind": "linear", "points": [[0.7, 0.3], [1.0, 1.0], [1.3, 1.6]]},
        {"kind": "linear", "points": [[0, 0], [1, 1]], "above": "extend", "cap": 2.0},
    ]
    plan = {"name": "Slowest shape", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
            "metrics": metrics,
            "components": [{"id": f"c{i}", "metric": f"m{i}", "weight": 0.25, "curve": c}
                           for i, c in enumerate(curves)],
            "gates": [{"metric": "m0", "below": 0.8, "cap": 1.0, "applies_to": "all"}], "cap": 2.0}
    roster = [{"team": t, "role": "CSM", "headcount": n, "base_salary": 90_000}
              for t, n in (("A", 20), ("B", 15), ("C", 15))]
    return load_scenario({"schema": "compcore.scenario/v1", "plan": plan, "roster": roster, "budget": 118_000,
                          "assumptions": {m["id"]: {"dist": "normal", "mean": 0.97, "sd": 0.12} for m in metrics}})


CASES = [
    ("plan.target_incentive.percent_of_base", {"p_over_budget": 0.1}),
    ("plan.target_incentive.percent_of_base", {"expected_cost": 100_000}),
    ("plan.target_incentive.percent_of_base", {"quantile": 0.9, "cost": 110_000}),
    ("plan.metrics[1].target", {"p_over_budget": 0.1}),
    ("plan.cap", {"p_over_budget": 0.1}),
]

ORG_CASES = [
    ("plans.implementation.target_incentive.percent_of_base", {"p_over_budget": 0.1}),
    ("plans.pmo.metrics[0].target", {"p_over_budget": 0.2}),  # one plan of four: P(over) >= 10.2% at any target
    ("plans.customer_success.target_incentive.percent_of_base", {"expected_cost": 80_000}),
]


def best_of(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat, 2,000 trials (a smoke test)")
    args = parser.parse_args()
    trials, repeats = (2_000, 1) if args.quick else (TRIALS, 3)
    scenarios = {"sample org (cs_org_quarterly)": load_scenario(ROOT / "sample_data/scenarios/cs_org_quarterly.json"),
                 "org on 4 plans (cs_org_teams)": load_scenario(ROOT / "sample_data/scenarios/cs_org_teams.json"),
                 "slowest shape": slowest_shape()}
    worst = 0.0
    print(f"solve, {trials:,} trials x 50 people (best of {repeats})")
    print(f"{'scenario':<32}{'knob':<58}{'goal':<34}{'time':>8}{'pricings':>10}{'x simulate':>12}")
    for name, scn in scenarios.items():
        t_sim, _ = best_of(lambda scn=scn: simulate(scn, trials, 0), repeats)
        for path, goal in ORG_CASES if "plans" in name else CASES:
            t, sol = best_of(lambda scn=scn, path=path, goal=goal: solve(scn, path, goal, trials=trials), repeats)
            worst = max(worst, t)
            print(f"{name:<32}{path:<58}{str(goal):<34}{t:>7.3f}s{sol.evaluations:>10}{t / t_sim:>12.1f}")  # type: ignore[attr-defined]
    verdict = "ok" if worst <= LIMIT else "TOO SLOW"
    print(f"slowest solve {worst:.3f}s (limit {LIMIT:.1f}s): {verdict}")
    return 0 if worst <= LIMIT or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
