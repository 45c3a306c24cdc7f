"""The designer's plan switcher: which plan is edited; add (blank, a copy, a sample), delete with confirmation.

Several plans live in one scenario (``plans``, an org); the plan being edited is ``ui["plan_id"]``
(:func:`ui.state.plan_id`). A single-plan scenario becomes an org when a second plan is added.
Every change goes through :mod:`compcore.simulation.org_editing` and revalidates; draws stay
cached (a plan edit re-prices only).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import streamlit as st

from compcore.report.org_document import scenario_for_plan
from compcore.simulation import org_editing
from compcore.simulation.assumptions import reconcile_scenario
from ui.session import K_SCENARIO
from ui.state import (
    BLANK_PLAN,
    bind,
    bump_editors,
    draft,
    is_org,
    plan_id,
    plan_ids,
    revalidate,
    sample_plans,
    set_ui,
    ui,
    valid,
)

__all__ = ["BLANK", "add_plan", "cancel_delete", "delete_plan", "new_plan_options", "pending_delete",
           "ORG_SUMMARY", "document_choice", "document_label", "document_options", "document_scenario", "people_on",
           "plan_label", "plan_names", "plan_picker", "select_plan"]

BLANK = "Blank plan"
_COPY = "Copy of "


def plan_names() -> dict[str, str]:
    """``{plan id: name as typed}`` of the draft."""
    d = draft()
    plans = d["plans"] if is_org() else {"plan": d.get("plan") or {}}
    return {pid: str((p or {}).get("name") or pid) for pid, p in plans.items()}


def plan_label(pid: str) -> str:
    """How a plan is named in a picker: its name, and its id when that differs."""
    name = plan_names().get(pid, pid)
    return name if not is_org() else f"{name} ({pid})"


def new_plan_options() -> list[str]:
    """Where a new plan can start from: blank, a copy of a plan of this scenario, a sample plan."""
    return [BLANK, *(f"{_COPY}{n}" for n in plan_names().values()), *sample_plans()]


def _source_plan(choice: str) -> dict[str, Any]:
    names = plan_names()
    d = draft()
    for pid, name in names.items():
        if choice == f"{_COPY}{name}":
            src = d["plans"][pid] if is_org() else d["plan"]
            return {**copy.deepcopy(src), "name": f"{name} (copy)"}
    samples = sample_plans()
    if choice in samples:
        return json.loads(samples[choice].read_text())
    blank = copy.deepcopy(BLANK_PLAN)
    # its own metric id, so a blank plan never shares "metric_1" with another plan by accident
    taken = {m.get("id") for p in (d["plans"].values() if is_org() else [d.get("plan") or {}])
             for m in (p or {}).get("metrics") or []}
    mid = org_editing.new_plan_id("new_metric", taken)
    blank["metrics"][0]["id"] = blank["components"][0]["metric"] = mid
    period = next(iter(d["plans"].values())).get("period") if is_org() else (d.get("plan") or {}).get("period")
    blank["period"] = period or blank["period"]  # every plan of an org is paid per the same period
    return blank


def add_plan(choice: str) -> None:
    """Add a plan from ``choice`` (see :func:`new_plan_options`) and switch to it."""
    data, pid = org_editing.add_plan(draft(), _source_plan(choice))
    st.session_state[K_SCENARIO] = reconcile_scenario(data)
    set_ui("plan_id", pid)
    set_ui("component", 0)
    bump_editors()
    revalidate()


def select_plan() -> None:
    """After the switcher changed: show the chosen plan's fields (editors re-seeded)."""
    set_ui("component", 0)
    set_ui("delete_plan", None)
    bump_editors()


def delete_plan(pid: str, confirmed: bool = False) -> None:
    """Delete plan ``pid`` after a confirmation; its people move to the first remaining plan."""
    if not confirmed:
        set_ui("delete_plan", pid)
        return
    set_ui("delete_plan", None)
    st.session_state[K_SCENARIO] = reconcile_scenario(org_editing.delete_plan(draft(), pid))
    set_ui("plan_id", plan_ids()[0])
    set_ui("component", 0)
    bump_editors()
    revalidate()


def pending_delete() -> str | None:
    """The plan id waiting for "delete this plan?" to be confirmed."""
    pid = ui("delete_plan")
    return pid if pid in plan_ids() else None


def cancel_delete() -> None:
    set_ui("delete_plan", None)


def people_on(pid: str) -> int:
    """People on plan ``pid`` as typed (everyone in a single-plan scenario)."""
    rows = draft().get("roster") or []
    return int(sum(r.get("headcount") or 0 for r in rows if not is_org() or r.get("plan") == pid))



def plan_picker(label: str = "Plan", key: str = "plan_pick") -> str:
    """A picker of the plan being edited / shown (an org only; nothing for one plan); its id."""
    if not is_org():
        return plan_id()
    ids = plan_ids()
    labels = {pid: plan_label(pid) for pid in ids}  # a plain mapping: the format is fixed when drawn
    st.selectbox(label, ids, format_func=labels.__getitem__,
                 **bind(key, ("ui", "plan_id"), to_widget=lambda v: v if v in ids else plan_id(), after=select_plan))
    return plan_id()


#: the org summary's entry in the plan document's picker (plan ids are lowercase, so it never clashes)
ORG_SUMMARY = "org"


def document_options() -> list[str]:
    """What the plan document can show for the valid scenario: each plan, then (an org) the org summary."""
    scn = valid()
    return [*scn.plans, ORG_SUMMARY] if scn.is_org else list(scn.plans)


def document_label(choice: str) -> str:
    scn = valid()
    if choice == ORG_SUMMARY:
        return "Org summary (every plan, for HR)"
    return scn.plans[choice].name if not scn.is_org else f"{scn.plans[choice].name} ({choice})"


def document_choice(asked: str | None, hr: bool) -> str:
    """Which document to show: an HR link's ``?doc=`` (read-only, no widget), else a picker (an org only)."""
    options = document_options()
    if hr or len(options) == 1:
        return asked if asked in options else options[0]
    labels = {o: document_label(o) for o in options}
    st.selectbox("Document", options, format_func=labels.__getitem__,
                 **bind("doc_pick", ("ui", "document"), to_widget=lambda v: v if v in options else options[0]))
    got = ui("document")
    return got if got in options else options[0]


def document_scenario(choice: str) -> Any:
    """The scenario the document of ``choice`` describes: one plan and its people (an org), or the scenario."""
    scn = valid()
    return scenario_for_plan(scn, choice) if scn.is_org and choice != ORG_SUMMARY else scn
