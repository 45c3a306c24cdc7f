"""The canonical scenario: as typed (the draft), its last valid version, its problems; the plan being edited.

- ``K_SCENARIO`` is the scenario *as the person typed it* (a JSON-ready dict; it
  may be invalid while they type, nothing is lost). ``K_VALID`` is the last valid
  :class:`compcore.simulation.scenario.Scenario`; every chart and number uses it.
- The plan being edited and the component being edited are ids in the UI state
  (:mod:`ui.ui_state`), checked against the draft on every read: an id that no
  longer exists reads as the first plan / component, never raises.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import streamlit as st

from compcore.errors import PlanError
from compcore.plan.editing import erased_component_names
from compcore.plan.schema import load_plan
from compcore.simulation.scenario import Scenario, load_scenario
from ui.session import K_PROBLEMS, K_SCENARIO, K_VALID
from ui.ui_state import ui

__all__ = ["component_id", "draft", "draft_plan", "is_org", "plan_id", "plan_ids", "plan_path", "plan_prefix",
           "problems", "revalidate", "valid", "valid_plan"]


def draft() -> dict[str, Any]:
    """The scenario as typed (do not mutate it outside callbacks)."""
    return st.session_state[K_SCENARIO]


def valid() -> Scenario:
    """The last valid scenario."""
    return st.session_state[K_VALID]


def problems() -> list[tuple[str, str]]:
    """``(path, message)`` of what is wrong with the draft (paths relative to the scenario)."""
    return st.session_state[K_PROBLEMS]


def revalidate() -> None:
    """Validate the draft; keep the last valid scenario when it fails, and record the problems.

    Problem paths are relative to the scenario (``plan.components[0].weight``,
    ``roster[2].headcount``). When only the non-plan part is invalid, the new
    plan is still used (with the last valid roster and assumptions), because a
    designer editing the plan expects the charts to follow.
    """
    ss = st.session_state
    data = ss[K_SCENARIO]
    try:
        new = load_scenario(data)
    except PlanError as e:
        ss[K_PROBLEMS] = list(e.problems)
    else:  # a valid file, but a name a person erased keeps the last valid plan (and says so next to the field)
        ss[K_PROBLEMS] = erased_component_names(data, ss[K_VALID].plans)
        if not ss[K_PROBLEMS]:
            ss[K_VALID] = new
        return
    if any(p in ("plan", "plans") or p.startswith(("plan.", "plan[", "plans.")) for p, _ in ss[K_PROBLEMS]):
        return
    old = ss[K_VALID]
    try:
        if "plans" in data:
            plans = {pid: load_plan(p) for pid, p in dict(data["plans"]).items()}
        else:
            plans = {"plan": load_plan(data.get("plan"))}
    except (PlanError, TypeError, ValueError):
        return
    same = list(plans) == list(old.plans) and all(
        [m.id for m in plans[pid].metrics] == [m.id for m in old.plans[pid].metrics] for pid in plans)
    if same:
        update = {"org_plans": plans} if old.is_org else {"single_plan": plans["plan"]}
        ss[K_VALID] = old.model_copy(update=update)


# ---------------------------------------------------------------- the plan being edited


def is_org() -> bool:
    """True when the scenario as typed has several plans (``plans``)."""
    return isinstance(st.session_state[K_SCENARIO].get("plans"), dict)


def plan_ids() -> list[str]:
    """The plan ids as typed: ``["plan"]`` for one plan for everyone."""
    return list(st.session_state[K_SCENARIO]["plans"]) if is_org() else ["plan"]


def plan_id() -> str:
    """The id of the plan being edited (the designer's switcher; the first plan when unset or gone)."""
    ids = plan_ids()
    pid = ui("plan_id")
    return pid if pid in ids else ids[0]


def plan_prefix() -> str:
    """The problem-path prefix of the plan being edited: ``plan`` or ``plans.<id>``."""
    return f"plans.{plan_id()}" if is_org() else "plan"


def plan_path(*parts: Hashable) -> tuple[Hashable, ...]:
    """The session-state path of a field of the plan being edited."""
    if is_org():
        return (K_SCENARIO, "plans", plan_id(), *parts)
    return (K_SCENARIO, "plan", *parts)


def draft_plan() -> dict[str, Any]:
    """The plan being edited as typed (mutate it only in callbacks, then revalidate)."""
    data = st.session_state[K_SCENARIO]
    return data["plans"][plan_id()] if is_org() else data["plan"]


def valid_plan() -> Any:
    """The last valid version of the plan being edited (the first plan while a new one is not valid yet)."""
    plans = valid().plans
    return plans.get(plan_id()) or next(iter(plans.values()))


def component_id() -> str | None:
    """The id of the component being edited in the plan being edited (its first component by default)."""
    ids = [c.get("id") for c in draft_plan().get("components") or [] if isinstance(c, dict)]
    got = ui("component").get(plan_id())
    return got if got in ids else (ids[0] if ids else None)
