"""Build the seed-001 org scenario ``sample_data/scenarios/cs_org_teams.json`` from the sample history.

Run ``python sample_data/org_scenario.py`` from the repository root. Four groups (seed 001: PMO,
Implementation, Customer Success, Change & Enablement), each on its own quarterly plan with its
own goal and at most 3 metrics, plus one company goal every plan shares (company gross revenue
retention). Team assumptions are fitted from ``sample_data/`` with :mod:`compcore.data`: each
team's own history (``by_team``), so the simulation shows whether each team has a fair chance.

The plan year (issue 21): the year starts 1 January 2027; PMO is paid per quarter up to its target with
the rest at the year end; the three plans on adoption, usage and activity measure the year to date, so
a slow quarter is caught up when the year recovers (EBRs and touchpoints are counts: summed); every plan
holds 25% back to the year end and trues up. Persistence is fitted from the quarterly history
(:data:`PERSISTENCE`), and two people join during the year (:data:`HIRES`).

The adoption definition, written down: a client is *adopted* in a week when at least 40% of its
licensed seats are active that week; *adopted within 90 days* counts clients that went live in
the quarter and were adopted in some week within 90 days of going live.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compcore.data.fit import fit_assumption  # noqa: E402
from compcore.data.records import load_cs_data  # noqa: E402
from compcore.data.targets import fit_by_team, metric_history  # noqa: E402
from compcore.plan.schema import load_plan  # noqa: E402
from compcore.simulation.roster import roster_from_csv  # noqa: E402
from compcore.simulation.scenario import dump_scenario, load_scenario  # noqa: E402

OUT = ROOT / "sample_data" / "scenarios" / "cs_org_teams.json"
TEAMS = ("PMO", "Implementation", "Customer Success", "Change & Enablement")

COMPANY = {"id": "company_grr", "name": "Company gross revenue retention", "unit": "share of ARR kept",
           "target": 0.9, "scope": "company"}
GO_LIVE = {"id": "go_live_on_time", "name": "Go-lives due this quarter that are live on time",
           "unit": "share of due go-lives", "target": 1.0, "scope": "team"}
ADOPTION = {"id": "adoption_90d", "name": "Clients adopted within 90 days",
            "unit": "share of new clients (adopted = 40% of licensed seats active in a week)",
            "target": 0.9, "scope": "team"}
USAGE = {"id": "continued_usage", "name": "Existing clients still adopted at quarter end",
         "unit": "share of live clients", "target": 0.75, "scope": "team"}
EBRS = {"id": "ebrs", "name": "Executive business reviews held", "unit": "EBRs per person per quarter",
        "target": 1.0, "scope": "individual", "accumulate": "sum"}
SESSIONS = {"id": "touchpoints", "name": "Enablement touchpoints with clients",
            "unit": "touchpoints per person per quarter", "target": 12.0, "scope": "individual", "accumulate": "sum"}

#: the first day of the plan year
YEAR_START = "2027-01-01"
#: each plan's year: adoption, usage and activity caught up year to date; go-lives per quarter, capped at target
YEAR_TO_DATE = {"measure": "year_to_date", "holdback": 0.25, "year_end": "true_up"}
SCHEDULES = {"pmo": {"measure": "period", "holdback": 0.25, "period_cap": 1.0, "year_end": "true_up"},
             "implementation": YEAR_TO_DATE, "customer_success": YEAR_TO_DATE, "change_enablement": YEAR_TO_DATE}
#: persistence of each metric: the lag-1 correlation of the quarterly values' normal scores, per team (per
#: person for the individual metrics) pooled, from the sample history (compcore.data.persistence's fit_persistence
#: on metric_history(..., period="quarter"), rounded to 2 decimals). A negative estimate is 0 (company GRR -0.27,
#: go-lives -0.28), and so is one below 0.1, where the history says next to nothing (EBRs 0.08)
PERSISTENCE = {"company_grr": 0.0, "go_live_on_time": 0.0, "adoption_90d": 0.1, "continued_usage": 0.33,
               "ebrs": 0.0, "touchpoints": 0.36}
#: two hires during the year: a consultant in April (Q2) and a CSM in July (Q3)
HIRES = [
    {"team": "Implementation", "role": "Implementation Consultant", "headcount": 1, "base_salary": 92000,
     "plan": "implementation", "start": "2027-04-15"},
    {"team": "Customer Success", "role": "Customer Success Manager", "headcount": 1, "base_salary": 88000,
     "plan": "customer_success", "start": "2027-07-01"},
]
#: what Finance signs for the year
ANNUAL_BUDGET = 400_000

#: how each metric is measured in the records (compcore.data.targets specs)
SPECS = {"company_grr": {"metric": "grr"}, "go_live_on_time": {"metric": "on_time_go_live"},
         "adoption_90d": {"metric": "adoption_within", "days": 90},
         "continued_usage": {"metric": "continued_adoption"},
         "ebrs": {"metric": "activities", "kind": "ebr"}, "touchpoints": {"metric": "activities", "kind": "touchpoint"}}


def _linear(*points: tuple[float, float], **extra: Any) -> dict[str, Any]:
    return {"kind": "linear", "points": [list(p) for p in points], **extra}


COMPANY_CURVE = _linear((0.8, 0.5), (1.0, 1.0), (1.1, 1.5))


def _plan(name: str, percent: float, parts: list[tuple[dict[str, Any], float, dict[str, Any], str]],
          gates: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    metrics = [m for m, _, _, _ in parts] + [COMPANY]
    components = [{"id": m["id"], "name": label, "metric": m["id"], "weight": w, "curve": c}
                  for m, w, c, label in parts]
    components.append({"id": "company", "name": "Company goal", "metric": "company_grr",
                       "weight": round(1 - sum(w for _, w, _, _ in parts), 6), "curve": COMPANY_CURVE})
    return {"schema": "compcore.plan/v1", "name": name, "period": "quarter",
            "target_incentive": {"percent_of_base": percent}, "metrics": metrics, "components": components,
            "gates": gates or [], "modifiers": [], "cap": 1.5}


def _with_schedules(plan_data: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {pid: {**p, "schedule": SCHEDULES[pid]} for pid, p in plan_data.items()}


def plans() -> dict[str, dict[str, Any]]:
    """The four plans: each group's own goal (<= 2 of its own metrics) and the shared company goal."""
    return {
        "pmo": _plan("PMO quarterly bonus", 0.10, [
            (GO_LIVE, 0.75, {"kind": "steps", "steps": [[0.8, 0.5], [0.9, 0.75], [1.0, 1.0]]}, "All go-lives live"),
        ]),
        "implementation": _plan("Implementation quarterly bonus", 0.10, [
            (ADOPTION, 0.75, _linear((0.7, 0.4), (1.0, 1.0), (1.1, 1.3)), "Adopted within 90 days"),
        ]),
        "customer_success": _plan("Customer Success quarterly bonus", 0.10, [
            (USAGE, 0.5, _linear((0.8, 0.5), (1.0, 1.0), (1.15, 1.3)), "Continued usage"),
            (EBRS, 0.25, _linear((0.0, 0.0), (1.0, 1.0), above="extend", cap=1.5), "Executive business reviews"),
        ]),
        "change_enablement": _plan("Change & Enablement quarterly bonus", 0.08, [
            ({**ADOPTION, "target": 0.8}, 0.5, _linear((0.6, 0.4), (1.0, 1.0), (1.1, 1.3)), "Adoption it enables"),
            (SESSIONS, 0.25, _linear((0.5, 0.25), (1.0, 1.0), (1.25, 1.25)), "Enablement touchpoints"),
        ]),
    }


def roster() -> list[dict[str, Any]]:
    """The four groups of ``roster.csv`` (CS Ops is the seed-000 sample's team), each on its plan."""
    plan_of = {"PMO": "pmo", "Implementation": "implementation", "Customer Success": "customer_success",
               "Change & Enablement": "change_enablement"}
    rows = roster_from_csv(ROOT / "sample_data" / "roster.csv")
    return [{**r.model_dump(exclude_none=True), "plan": plan_of[r.team]} for r in rows if r.team in plan_of] + HIRES


def assumptions(plan_data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each metric fitted on the sample history at the plans' period; team metrics by team."""
    data = load_cs_data(ROOT / "sample_data")
    out: dict[str, Any] = {}
    company = metric_history(data, SPECS["company_grr"], period="quarter", by="company")
    out["company_grr"] = fit_assumption(company, "normal")
    team_of_plan = dict(zip(plan_data, TEAMS, strict=True))
    for p in plan_data.values():
        plan = load_plan(p)
        for m in plan.metrics:
            if m.id in out:
                continue
            # by_team for the teams whose plan pays on this metric
            users = [team_of_plan[q] for q, other in plan_data.items() if m.id in {x["id"] for x in other["metrics"]}]
            out[m.id] = fit_by_team(data, SPECS[m.id], plan, m.id, users)
    for mid, rho in PERSISTENCE.items():
        if rho:
            out[mid] = {**out[mid], "persistence": rho}
    return out


def build() -> dict[str, Any]:
    """The org scenario as written to :data:`OUT` (validated)."""
    plan_data = plans()
    data = {"schema": "compcore.scenario/v1", "name": "CS org by team: Q3 base case",
            "plans": _with_schedules(plan_data), "roster": roster(), "assumptions": assumptions(plan_data),
            "correlations": [{"between": ["adoption_90d", "continued_usage"], "rho": 0.4},
                             {"between": ["company_grr", "continued_usage"], "rho": 0.3}],
            "budget": 100_000, "year_start": YEAR_START, "annual_budget": ANNUAL_BUDGET}
    return dump_scenario(load_scenario(data))


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
