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


def _linear(*points: tuple[float, float]) -> dict[str, Any]:
    return {"kind": "linear", "points": [list(p) for p in points]}


def org_scenario(name: str = "CS org Q3") -> dict[str, Any]:
    """A two-plan org with fixed assumptions, so every trial costs the same (worked by hand in test_org.py).

    - ``pmo`` (10% of base): go_live (team, target 1.0) 70% on linear 0,0 / 1,1 / 1.5,2;
      company_arr (company, target 1.0) 30% on linear 0.8,0.5 / 1,1 / 1.2,2.
    - ``impl`` (12,000 a year): adoption_90d (team, target 0.9) 80% on linear 0,0 / 1,1;
      company_arr (target 1.1: a higher bar on the same number) 20% on steps 1 -> 1.
    - ``cs``: a draft plan nobody is on.
    Fixed values: go_live 0.9, company_arr 1.1, adoption_90d 0.72 (Implementation East: 0.81).
    """
    pmo = {"name": "PMO Q3", "period": "quarter", "target_incentive": {"percent_of_base": 0.10},
           "metrics": [{"id": "go_live", "name": "Go-lives on time", "target": 1.0, "scope": "team"},
                       {"id": "company_arr", "name": "Company ARR vs plan", "target": 1.0, "scope": "company"}],
           "components": [{"id": "go", "metric": "go_live", "weight": 0.7, "curve": _linear((0, 0), (1, 1), (1.5, 2))},
                          {"id": "co", "metric": "company_arr", "weight": 0.3,
                           "curve": _linear((0.8, 0.5), (1, 1), (1.2, 2))}]}
    impl = {"name": "Implementation Q3", "period": "quarter", "target_incentive": {"amount": 12000},
            "metrics": [{"id": "adoption_90d", "name": "Adopted within 90 days", "target": 0.9, "scope": "team"},
                        {"id": "company_arr", "name": "Company ARR (stretch)", "target": 1.1, "scope": "company"}],
            "components": [{"id": "adopt", "metric": "adoption_90d", "weight": 0.8, "curve": _linear((0, 0), (1, 1))},
                           {"id": "co", "metric": "company_arr", "weight": 0.2,
                            "curve": {"kind": "steps", "steps": [[1, 1]]}}]}
    cs = copy.deepcopy(impl)
    cs["name"] = "Customer Success draft"
    return copy.deepcopy({
        "schema": "compcore.scenario/v1",
        "name": name,
        "plans": {"pmo": pmo, "impl": impl, "cs": cs},
        "roster": [
            {"team": "PMO", "role": "PM", "headcount": 4, "base_salary": 100000, "plan": "pmo"},
            {"team": "Implementation", "role": "Consultant", "headcount": 3, "base_salary": 90000, "plan": "impl"},
            {"team": "Implementation East", "role": "Consultant", "headcount": 2, "base_salary": 80000,
             "target_incentive": {"amount": 8000}, "plan": "impl"},
            {"team": "Implementation", "role": "Lead", "headcount": 1, "base_salary": 120000, "plan": "pmo"},
        ],
        "assumptions": {
            "go_live": {"dist": "fixed", "value": 0.9},
            "company_arr": {"dist": "fixed", "value": 1.1},
            "adoption_90d": {"dist": "fixed", "value": 0.72,
                             "by_team": {"Implementation East": {"dist": "fixed", "value": 0.81}}},
        },
        "correlations": [],
        "budget": 25000,
    })
