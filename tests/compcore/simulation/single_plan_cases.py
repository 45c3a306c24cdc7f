"""Single-plan scenarios whose costs were stored before org plans existed (issue 11).

``expected_single_plan.json`` holds, per case, a SHA-256 of ``sim.cost`` (float64 bytes) and a few
summary numbers computed by the code before ``plans`` was added; the test checks that every
existing kind of scenario still gives bit-identical costs.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ROOT / "sample_data" / "scenarios"
EXPECTED = Path(__file__).parent / "data" / "expected_single_plan.json"
#: the same cases with draws keyed by metric id (issue 20): written once by this module's main
KEYED = Path(__file__).parent / "data" / "expected_keyed_draws.json"


def _individual_mix() -> dict[str, Any]:
    """Individual, team and company metrics, correlated, with overrides and an extend curve and a gate."""
    return {
        "name": "mix",
        "plan": {
            "name": "Mix", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
            "metrics": [
                {"id": "ind", "name": "Individual", "target": 1.0},
                {"id": "tm", "name": "Team", "target": 0.9, "scope": "team"},
                {"id": "co", "name": "Company", "target": 1.0, "scope": "company"},
                {"id": "churn", "name": "Churn", "target": 0.05, "direction": "lower", "scope": "team"},
            ],
            "components": [
                {"id": "a", "metric": "ind", "weight": 0.4,
                 "curve": {"kind": "tiers", "bands": [{"from": 0, "rate": 1}, {"from": 1, "rate": 1.5}]}},
                {"id": "b", "metric": "tm", "weight": 0.3,
                 "curve": {"kind": "linear", "points": [[0.5, 0.2], [1, 1], [1.2, 1.6]], "above": "extend"}},
                {"id": "c", "metric": "co", "weight": 0.2, "curve": {"kind": "steps", "steps": [[0.9, 0.5], [1, 1]]}},
                {"id": "d", "metric": "churn", "weight": 0.1, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}},
            ],
            "gates": [{"metric": "co", "below": 0.85, "cap": 0.5, "applies_to": "all"}],
            "cap": 2.0,
        },
        "roster": [
            {"team": "A", "role": "r1", "headcount": 7, "base_salary": 90000},
            {"team": "B", "role": "r2", "headcount": 3, "base_salary": 120000,
             "target_incentive": {"amount": 15000}},
            {"team": "A", "role": "r3", "headcount": 2, "base_salary": 70000},
            {"team": "C", "role": "r4", "headcount": 0, "base_salary": 70000},
            {"team": "C", "role": "r5", "headcount": 5, "base_salary": 80000},
        ],
        "assumptions": {
            "ind": {"dist": "normal", "mean": 1.0, "sd": 0.2},
            "tm": {"dist": "beta", "a": 9, "b": 2},
            "co": {"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2},
            "churn": {"dist": "lognormal", "mean": 0.05, "sd": 0.01},
        },
        "correlations": [{"between": ["ind", "tm"], "rho": 0.4}, {"between": ["co", "tm"], "rho": 0.3}],
        "budget": 40000,
    }


def cases() -> dict[str, tuple[Any, int, int]]:
    """name -> (scenario source, trials, seed)."""
    out: dict[str, tuple[Any, int, int]] = {}
    for f in sorted(SCENARIOS.glob("*.json")):
        data = json.loads(f.read_text())
        if "plans" in data:
            continue
        out[f"{f.stem}-10k"] = (str(f), 10_000, 0)
        out[f"{f.stem}-45k-seed7"] = (str(f), 45_000, 7)
    mix = _individual_mix()
    out["mix-30k"] = (mix, 30_000, 3)
    uncorrelated = copy.deepcopy(mix)
    uncorrelated["correlations"] = []
    out["mix-uncorrelated-5k"] = (uncorrelated, 5_000, 11)
    return out


def fingerprint(sim: Any) -> dict[str, Any]:
    cost = np.ascontiguousarray(sim.cost, dtype=np.float64)
    return {
        "sha256": hashlib.sha256(cost.tobytes()).hexdigest(),
        "expected": float(sim.expected),
        "share_above_target": float(sim.share_above_target),
        "share_zero": float(sim.share_zero),
        "team_expected_cost": [float(x) for x in sim.cost_by_team["expected_cost"]],
        "payout_sha256": hashlib.sha256(np.ascontiguousarray(sim.payout_pct, dtype=np.float64).tobytes()).hexdigest(),
    }


def sensitivity_fingerprint(sim: Any) -> list[list[Any]]:
    s = sim.sensitivity()
    return [[str(r.metric), float(r.variance_share), float(r.cost_at_p10), float(r.cost_at_p90)]
            for r in s.itertuples()]


if __name__ == "__main__":  # write KEYED (only ever from the code before a change that must keep costs)
    import compcore

    store = {}
    for name, (src, trials, seed) in cases().items():
        sim = compcore.simulate(src, trials=trials, seed=seed)
        dumped = json.dumps(compcore.dump_scenario(compcore.load_scenario(src)), sort_keys=True)
        store[name] = {**fingerprint(sim), "sensitivity": sensitivity_fingerprint(sim),
                       "dump_sha256": hashlib.sha256(dumped.encode()).hexdigest()}
    KEYED.write_text(json.dumps(store, indent=1) + "\n")
    print(f"wrote {len(store)} cases to {KEYED}")
