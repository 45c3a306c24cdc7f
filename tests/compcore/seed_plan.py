"""The seed-000 plan dict (two metrics, a gate, a plan cap) shared by the explore, guardrail and assumption tests."""

from __future__ import annotations

SEED_000 = {
    "name": "CS Ops & Enablement FY27", "period": "year", "target_incentive": {"percent_of_base": 0.08},
    "metrics": [{"id": "team_okr", "name": "Team OKR score", "target": 1.0},
                {"id": "company_arr", "name": "Company ARR vs plan", "target": 1.0, "scope": "company"}],
    "components": [
        {"id": "okr", "metric": "team_okr", "weight": 0.7, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}},
        {"id": "company", "metric": "company_arr", "weight": 0.3,
         "curve": {"kind": "linear", "points": [[0.8, 0.5], [1, 1], [1.2, 2]]}}],
    "gates": [{"metric": "team_okr", "below": 1.0, "cap": 1.0, "applies_to": "all"}],
    "cap": 2.0,
}
