"""A scenario dict (schema v1) for tests of share links, the store, exports and comparisons."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def sample_scenario(name: str = "FY27 base case") -> dict[str, Any]:
    """The seed-000 plan with a small roster, assumptions for both metrics and a budget."""
    plan = json.loads((ROOT / "sample_data/plans/cs_ops_enablement.json").read_text())
    return copy.deepcopy({
        "schema": "compcore.scenario/v1",
        "name": name,
        "plan": plan,
        "roster": [
            {"team": "CS Ops", "role": "Analyst", "headcount": 3, "base_salary": 80000},
            {"team": "Enablement", "role": "Lead", "headcount": 2, "base_salary": 100000,
             "target_incentive": {"amount": 9000}},
        ],
        "assumptions": {
            "team_okr": {"dist": "normal", "mean": 0.95, "sd": 0.1},
            "company_arr": {"dist": "triangular", "low": 0.85, "mode": 1.0, "high": 1.15},
        },
        "correlations": [{"between": ["team_okr", "company_arr"], "rho": 0.5}],
        "budget": 40000,
    })
