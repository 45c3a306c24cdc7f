"""The designer's plan switcher: which plan is edited; add (blank, a copy, a sample), delete with confirmation.

Several plans live in one scenario (``plans``, an org); the plan being edited is the id
``ui["plan_id"]`` (:func:`ui.draft.plan_id`, validated on every read). A single-plan scenario
becomes an org when a second plan is added. Every change goes through
:mod:`compcore.simulation.org_editing` and revalidates; draws stay cached (a plan edit re-prices only).
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

from compcore.report.org_document import scenario_for_plan
from compcore.simulation import org_editing
from compcore.simulation.assumptions import reconcile_scenario
from ui.binding import bind
from ui.draft import draft, is_org, plan_id, plan_ids, revalidate, valid
from ui.samples import BLANK_PLAN, sample_plan, sample_plan_names
from ui.session import K_SCENARIO
from ui.state import set_notice
from ui.ui_state import BLANK_SOURCE, bump_editors, set_ui, ui

__all__ = ["BLANK_SOURCE", "ORG_SUMMARY", "add_plan", "adopt_period", "cancel_delete", "delete_plan",
           "document_choice", "document_label", "document_options", "document_scenario", "new_plan_label",
           "new_plan_options", "org_period", "pending_delete", "people_on", "plan_label", "plan_names", "plan_picker",
           "select_plan"]


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
    """Where a new plan can start from, as ids: ``blank``, ``copy:<plan id>``, ``sample:<sample id>``."""
    return [BLANK_SOURCE, *(f"copy:{pid}" for pid in plan_names()), *(f"sample:{s}" for s in sample_plan_names())]


def new_plan_label(source: str) -> str:
    """'Blank plan', 'Copy of <plan name>', '<sample plan name> (sample)'."""
    kind, _, ref = source.partition(":")
    if kind == "copy":
        return f"Copy of {plan_names().get(ref, ref)}"
    if kind == "sample":
        return f"{sample_plan_names().get(ref, ref)} (sample)"
    return "Blank plan"


def org_period() -> str | None:
    """The period the plans of the draft are paid per (the first plan's), if any."""
    d = draft()
    first = next(iter(d["plans"].values()), None) if is_org() else d.get("plan")
    return (first or {}).get("period") if isinstance(first, dict) else None


def adopt_period(plan: dict[str, Any], period: str | None) -> str | None:
    """Make ``plan`` paid per ``period`` (every plan of an org is paid per the same period).

    Returns a sentence saying so when the plan had another period, else None.

    >>> p = {"name": "Retention", "period": "half"}
    >>> adopt_period(p, "quarter")[:58], p["period"]
    ('“Retention” is paid every half in its sample; this org pay', 'quarter')
    """
    had = plan.get("period")
    if not period or had == period:
        return None
    plan["period"] = period
    return (f"“{plan.get('name') or 'The new plan'}” is paid every {had} in its sample; this org pays every "
            f"{period}, so the new plan is paid every {period} too. Check its targets: a target counted per "
            f"period (clients, EBRs) was set for a {had}.")


def _source_plan(source: str) -> dict[str, Any]:
    kind, _, ref = source.partition(":")
    d = draft()
    if kind == "copy" and ref in plan_ids():
        src = d["plans"][ref] if is_org() else d["plan"]
        return {**copy.deepcopy(src), "name": f"{plan_names()[ref]} (copy)"}
    if kind == "sample" and (plan := sample_plan(ref)) is not None:
        return plan
    blank = copy.deepcopy(BLANK_PLAN)
    # its own metric id, so a blank plan never shares "metric_1" with another plan by accident
    taken = {m.get("id") for p in (d["plans"].values() if is_org() else [d.get("plan") or {}])
             for m in (p or {}).get("metrics") or []}
    mid = org_editing.new_plan_id("new_metric", taken)
    blank["metrics"][0]["id"] = blank["components"][0]["metric"] = mid
    return blank


def add_plan() -> None:
    """Button callback: add a plan from the chosen source (``ui["new_plan_from"]``) and switch to it."""
    source = ui("new_plan_from")
    plan = _source_plan(source if source in new_plan_options() else BLANK_SOURCE)
    notice = adopt_period(plan, org_period())  # a sample paid per another period would make the org invalid
    data, pid = org_editing.add_plan(draft(), plan)
    st.session_state[K_SCENARIO] = reconcile_scenario(data)
    set_ui("plan_id", pid)
    set_ui("new_plan_from", BLANK_SOURCE)
    if notice:
        set_notice(notice, kind="info")
    bump_editors()
    revalidate()


def select_plan() -> None:
    """After the switcher changed: forget a pending delete."""
    set_ui("delete_plan", None)


def delete_plan(pid: str, confirmed: bool = False) -> None:
    """Delete plan ``pid`` after a confirmation; its people move to the first remaining plan."""
    if pid not in plan_ids() or len(plan_ids()) < 2:
        set_ui("delete_plan", None)
        return
    if not confirmed:
        set_ui("delete_plan", pid)
        return
    set_ui("delete_plan", None)
    st.session_state[K_SCENARIO] = reconcile_scenario(org_editing.delete_plan(draft(), pid))
    set_ui("plan_id", plan_ids()[0])
    bump_editors()
    revalidate()


def pending_delete() -> str | None:
    """The plan id waiting for "delete this plan?" to be confirmed."""
    pid = ui("delete_plan")
    return pid if pid in plan_ids() and len(plan_ids()) > 1 else None


def cancel_delete() -> None:
    set_ui("delete_plan", None)


def people_on(pid: str) -> int:
    """People on plan ``pid`` as typed (everyone in a single-plan scenario)."""
    rows = draft().get("roster") or []
    total = 0
    for r in rows:
        if isinstance(r, dict) and (not is_org() or r.get("plan") == pid):
            try:
                total += int(r.get("headcount") or 0)
            except (TypeError, ValueError):  # a headcount being typed
                continue
    return total


def plan_picker(label: str = "Plan", key: str = "plan_pick") -> str:
    """A picker of the plan being edited / shown (an org only; nothing for one plan); its id."""
    if not is_org():
        return plan_id()
    ids = plan_ids()
    labels = {pid: plan_label(pid) for pid in ids}  # a plain mapping: the format is fixed when drawn
    st.selectbox(label, ids, format_func=lambda pid: labels.get(pid, str(pid)),
                 **bind(key, ("ui", "plan_id"), default=plan_id(), options=ids, after=select_plan))
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
    if choice not in scn.plans:
        return str(choice)
    return scn.plans[choice].name if not scn.is_org else f"{scn.plans[choice].name} ({choice})"


def document_choice(asked: str | None, hr: bool) -> str:
    """Which document to show: an HR link's ``?doc=`` (read-only, no widget), else a picker (an org only)."""
    options = document_options()
    if hr or len(options) == 1:
        return asked if asked in options else options[0]
    labels = {o: document_label(o) for o in options}
    st.selectbox("Document", options, format_func=lambda o: labels.get(o, str(o)),
                 **bind("doc_pick", ("ui", "document"), default=options[0], options=options))
    got = ui("document")
    return got if got in options else options[0]


def document_scenario(choice: str) -> Any:
    """The scenario the document of ``choice`` describes: one plan and its people (an org), or the scenario."""
    scn = valid()
    return scenario_for_plan(scn, choice) if scn.is_org and choice != ORG_SUMMARY else scn
