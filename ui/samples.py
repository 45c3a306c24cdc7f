"""The built-in samples: sample plans (by id: the file name without ``.json``), the scenario a session opens on.

Sample plans are chosen by id, never by name: a plan a person renames to a
sample's name is still their plan, and two samples may share a name.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import streamlit as st

from compcore.errors import PlanError
from compcore.plan.schema import load_plan
from compcore.simulation.assumptions import reconcile_scenario
from compcore.simulation.scenario import dump_scenario, load_scenario
from ui.settings import setting

__all__ = ["BLANK_PLAN", "DEFAULT_ROSTER", "DEFAULT_SCENARIO", "ROOT", "SAMPLE_PLANS", "SAMPLE_SCENARIOS",
           "default_scenario", "default_scenario_name", "sample_plan", "sample_plan_names"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLANS = ROOT / "sample_data" / "plans"
SAMPLE_SCENARIOS = ROOT / "sample_data" / "scenarios"
DEFAULT_SCENARIO = "cs_org_teams"  # seed 001: the CS org, each of its four groups on its own plan

BLANK_PLAN: dict[str, Any] = {
    "schema": "compcore.plan/v1", "name": "New plan", "period": "quarter",
    "target_incentive": {"percent_of_base": 0.1},
    "metrics": [{"id": "metric_1", "name": "Metric 1", "target": 1.0}],
    "components": [{"id": "component_1", "metric": "metric_1", "weight": 1.0, "name": "Component 1",
                    "curve": {"kind": "linear", "points": [[0.0, 0.0], [1.0, 1.0]]}}],
}
DEFAULT_ROSTER = [
    {"team": "PMO", "role": "Project manager", "headcount": 6, "base_salary": 105_000},
    {"team": "Implementation", "role": "Implementation consultant", "headcount": 14, "base_salary": 95_000},
    {"team": "Customer Success", "role": "CSM", "headcount": 22, "base_salary": 90_000},
    {"team": "Change & Enablement", "role": "Enablement lead", "headcount": 8, "base_salary": 98_000},
]


@st.cache_data(show_spinner=False)
def _sample_plans() -> dict[str, tuple[str, dict[str, Any]]]:
    out = {}
    for path in sorted(SAMPLE_PLANS.glob("*.json")):
        try:
            out[path.stem] = (load_plan(path).name, json.loads(path.read_text()))
        except (PlanError, ValueError):
            continue
    return out


def sample_plan_names() -> dict[str, str]:
    """``{sample id: plan name}`` of the sample plans (the id is the file name without ``.json``)."""
    return {sid: name for sid, (name, _) in _sample_plans().items()}


def sample_plan(sample_id: str) -> dict[str, Any] | None:
    """A fresh copy of sample plan ``sample_id`` as a JSON-ready dict; None for an unknown id."""
    got = _sample_plans().get(sample_id)
    return None if got is None else copy.deepcopy(got[1])


def default_scenario_name() -> str:
    """The sample scenario a new session opens on: ``COMPCORE_DEFAULT_SCENARIO`` (a file name in
    ``sample_data/scenarios/`` without ``.json``) when set, else :data:`DEFAULT_SCENARIO` (the seed-001 org)."""
    name = setting("COMPCORE_DEFAULT_SCENARIO")
    return name if name and (SAMPLE_SCENARIOS / f"{name}.json").is_file() else DEFAULT_SCENARIO


@st.cache_data(show_spinner=False)
def _default_scenario_data(name: str) -> dict[str, Any]:
    path = SAMPLE_SCENARIOS / f"{name}.json"
    if path.exists():
        return dump_scenario(load_scenario(path))
    plan = json.loads((SAMPLE_PLANS / f"{name}.json").read_text())
    data = {"schema": "compcore.scenario/v1", "name": "CS org quarterly (sample)", "plan": plan,
            "roster": DEFAULT_ROSTER, "budget": 125_000}
    return dump_scenario(load_scenario(reconcile_scenario(data)))


def default_scenario() -> dict[str, Any]:
    """The built-in sample scenario (seed 001: the CS org, a plan per group) as a fresh dict."""
    return copy.deepcopy(_default_scenario_data(default_scenario_name()))
