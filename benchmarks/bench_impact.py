"""Benchmark of impact (DESIGN.md "Impact of a change"): impact / one simulate, a ratio measured in one run.

Run from the repository root::

    python benchmarks/bench_impact.py [--quick] [--runs 5]

For each scenario (the sample org on four plans ``cs_org_teams``, the seed-001 org on one plan
``cs_org_quarterly``, and the slowest shape: four individual normals through tiers, linear, steps and
extend curves with a gate) and each kind of change, prints the median time of
``impact(before, after, 10_000, 0)`` over the median time of ``simulate(before, 10_000, 0)``, run
interleaved (A B A B ...). The contract: within 2.2x. Changes:

- ``plan edit``: a plan's target incentive (every metric drawn once, priced twice);
- ``assumption``: one metric's assumption (its correlated group drawn twice, the rest once);
- ``roster``: two people added in a new team (the worst case: only that team's units drawn again, but both
  sides priced on different rosters; 50 -> 52 people also changes the chunk size, not the one chunk of 10,000).
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_simulate import interleaved, slowest_shape  # noqa: E402
from compcore.simulation.impact import impact  # noqa: E402
from compcore.simulation.scenario import dump_scenario, load_scenario  # noqa: E402
from compcore.simulation.simulate import simulate  # noqa: E402

TRIALS = 10_000
LIMIT = 2.2


def scenarios() -> dict[str, dict[str, Any]]:
    out = {name: dump_scenario(load_scenario(str(ROOT / "sample_data/scenarios" / f"{name}.json")))
           for name in ("cs_org_teams", "cs_org_quarterly")}
    out["slowest shape"] = dump_scenario(slowest_shape())
    return out


def changes(before: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The three kinds of change of one scenario."""
    plan_edit, assumption, roster = (copy.deepcopy(before) for _ in range(3))
    first = next(iter(plan_edit["plans"].values())) if "plans" in plan_edit else plan_edit["plan"]
    first["target_incentive"] = {"percent_of_base": 0.2}
    mid = sorted(assumption["assumptions"])[0]
    assumption["assumptions"][mid] = {"dist": "fixed", "value": 1.0}
    row = copy.deepcopy(roster["roster"][-1])
    row.update(team="Benchmark team", role="Analyst", headcount=2)
    roster["roster"].append(row)
    return {"plan edit": plan_edit, "assumption": assumption, "roster": roster}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 trials, 2 runs: a smoke test")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    trials, runs = (1_000, 2) if args.quick else (TRIALS, args.runs)
    worst = 0.0
    print(f"impact / simulate, {trials:,} trials, median of {runs} interleaved runs (limit {LIMIT}x)")
    for name, before in scenarios().items():
        for kind, after in changes(before).items():
            t = interleaved({"simulate": lambda b=before: simulate(b, trials, 0),
                             "impact": lambda b=before, a=after: impact(b, a, trials, 0)}, runs)
            ratio = t["impact"] / t["simulate"]
            worst = max(worst, ratio)
            print(f"  {name:<18} {kind:<11} simulate {t['simulate'] * 1e3:7.1f} ms  impact "
                  f"{t['impact'] * 1e3:7.1f} ms  ratio {ratio:4.2f}x")
    print(f"worst ratio {worst:.2f}x ({'ok' if worst <= LIMIT else 'OVER'} against {LIMIT}x)")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
