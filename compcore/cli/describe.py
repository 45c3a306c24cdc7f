"""``python -m compcore describe PLAN_OR_SCENARIO``: the plan in plain English, or every plan of a scenario.

A scenario file (it has a ``roster``) is described plan by plan, each under its name and id
with who is on it; an org scenario thus reads as one short document per team's plan.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from compcore.plan.describe import describe
from compcore.plan.schema import load_plan, read_source
from compcore.simulation.scenario import Scenario, load_scenario

__all__ = ["describe_json", "describe_scenario", "register"]


def describe_scenario(scn: Scenario) -> list[str]:
    """Lines describing every plan of a scenario: a heading (name, id, who is on it), then the plan."""
    out: list[str] = []
    for pid, plan in scn.plans.items():
        rows = [scn.roster[i] for i in scn.plan_rows[pid]]
        people = sum(r.headcount for r in rows)
        teams = ", ".join(dict.fromkeys(r.team for r in rows)) or "nobody yet (a draft)"
        heading = plan.name if not scn.is_org else f"{plan.name} (plan {pid})"
        if out:
            out.append("")
        out.extend([heading, "=" * len(heading), f"Who is on it: {teams}; {people} people.", ""])
        out.extend(describe(plan))
    return out


def describe_json(data: dict[str, Any], source: Any) -> dict[str, Any]:
    """The description as a JSON-ready dict: ``{"plans": [{"id", "name", "teams", "people", "lines"}]}``.

    A plan file gives one entry with id ``"plan"`` and no people.
    """
    if "roster" in data or "plans" in data:
        scn = load_scenario(source)
        out = []
        for pid, plan in scn.plans.items():
            rows = [scn.roster[i] for i in scn.plan_rows[pid]]
            out.append({"id": pid, "name": plan.name, "teams": list(dict.fromkeys(r.team for r in rows)),
                        "people": sum(r.headcount for r in rows), "lines": describe(plan)})
        return {"scenario": scn.name, "plans": out}
    plan = load_plan(data)
    return {"plans": [{"id": "plan", "name": plan.name, "teams": [], "people": 0, "lines": describe(plan)}]}


def _run_describe(args: argparse.Namespace) -> int:
    data = read_source(args.plan, "plan or scenario")
    if args.json:
        print(json.dumps(describe_json(data, args.plan), indent=2))
    elif "roster" in data or "plans" in data:
        print("\n".join(describe_scenario(load_scenario(args.plan))))
    else:
        print("\n".join(describe(load_plan(data))))
    return 0


def register(subparsers: Any) -> None:
    """Add the ``describe`` subcommand to an argparse subparsers object."""
    d = subparsers.add_parser("describe", help="a plan, or every plan of a scenario, in plain English")
    d.add_argument("plan", help="plan or scenario JSON file")
    d.add_argument("--json", action="store_true", help="print the sentences as JSON, one entry per plan")
    d.set_defaults(func=_run_describe)
