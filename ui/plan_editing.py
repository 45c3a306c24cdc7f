"""The Plan designer's bindings and button callbacks: structure, weights, targets, incentive, starting plan.

Everything of a plan is addressed by id: the plan id, a metric id, a component
id (gates and modifiers have no id in the schema: they are addressed by their
position inside their plan). Widget keys name them (:func:`ui.binding.plan_key`),
and callbacks carry the plan id they were drawn for, so a click can never land
on another plan than the one it was drawn for. Structural edits (add / remove a
metric, component, gate or modifier; change a curve's kind; start from a sample
plan) change the draft plan in a callback and call :func:`ui.state.commit_plan_change`.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable
from typing import Any

import streamlit as st

from compcore.errors import PlanError
from compcore.io.files import import_json
from compcore.plan import editing as curve_edit
from compcore.plan.guardrails import Guardrail
from compcore.plan.schema import dump_plan
from compcore.plan.units import format_value, from_typed, in_percent, to_typed
from compcore.simulation.assumptions import reconcile_scenario
from compcore.simulation.org_editing import replace_plan
from compcore.simulation.scenario import dump_scenario
from ui.binding import ById, bind, pct_in, pct_out, plan_key, value_at
from ui.draft import draft, draft_plan, is_org, plan_id, plan_ids, plan_path, revalidate
from ui.org import adopt_period
from ui.samples import BLANK_PLAN, sample_plan, sample_plan_names
from ui.session import K_CONFIRM
from ui.state import commit_plan_change, plan_changed, set_notice, set_scenario
from ui.ui_state import set_ui, ui

__all__ = ["PlacedWarnings", "actual_binding", "actual_texts", "add_component", "add_gate", "add_metric",
           "add_modifier", "applies_binding", "cancel_replace", "component_labels", "import_upload",
           "incentive_bindings", "index_of", "metric_labels", "own_sample", "pending_replace", "rebalance",
           "remove_component", "remove_item", "remove_metric", "set_curve_kind", "start_choice", "start_from",
           "start_options", "target_binding", "weight_binding"]


def _plan(pid: str) -> dict[str, Any] | None:
    """The draft of plan ``pid`` (None when it no longer exists: a click drawn for a deleted plan does nothing)."""
    if pid not in plan_ids():
        return None
    d = draft()
    return d["plans"][pid] if is_org() else d["plan"]


def index_of(items: list[Any], item_id: str) -> int | None:
    """Position of the item whose ``id`` is ``item_id`` in a list of dicts, or None.

    >>> index_of([{"id": "a"}, {"id": "b"}], "b"), index_of([{"id": "a"}], "z")
    (1, None)
    """
    return next((i for i, x in enumerate(items) if isinstance(x, dict) and x.get("id") == item_id), None)


# ---------------------------------------------------------------- weights


def rebalance(changed: int | None = None, pid: str | None = None) -> None:
    """Keep the weights in whole percents adding to exactly 100% (when the rebalance toggle is on).

    The rule is :func:`compcore.plan.editing.rebalance_weights`: the components
    to the right of the one moved share the difference.
    """
    plan = _plan(pid) if pid is not None else draft_plan()
    comps = (plan or {}).get("components") or []
    if not ui("rebalance") or not comps:
        return
    for c, w in zip(comps, curve_edit.rebalance_weights([c.get("weight") for c in comps], changed), strict=True):
        c["weight"] = w


def weight_binding(cid: str) -> dict[str, Any]:
    """Kwargs for component ``cid``'s weight slider (percent), rebalancing the others on change."""
    pid = plan_id()
    return bind(plan_key(pid, "component", cid, "weight"), plan_path("components", ById(cid), "weight"),
                to_widget=lambda v: int(round(pct_in(v) or 0)), from_widget=pct_out,
                after=lambda: _rebalance_after(pid, cid))


def _rebalance_after(pid: str, cid: str) -> None:
    plan = _plan(pid)
    i = index_of((plan or {}).get("components") or [], cid)
    if i is not None:
        rebalance(i, pid)


# ---------------------------------------------------------------- metrics, components, gates, modifiers


def actual_binding(metric: Any) -> tuple[str, dict[str, Any], float]:
    """(label, kwargs, current actual) of the calculator's input for a (valid) plan metric, in its typed unit."""
    unit = metric.unit
    path = ("ui", "actuals", metric.id)
    kwargs = bind(f"actual_{metric.id}", path, default=metric.target, to_widget=lambda v: to_typed(v, unit),
                  from_widget=lambda v: from_typed(v, unit))
    label = metric.name + (f" ({unit}, %)" if in_percent(unit) else f" ({unit})" if unit else "")
    return label, kwargs, float(value_at(path, metric.target))


def actual_texts(plan: Any, actuals: Any) -> list[str]:
    """The calculator table's actuals (one per component, in plan order) in their metric's unit ('90% share ...')."""
    return [format_value(float(a), plan.metric(c.metric).unit)
            for a, c in zip(actuals, plan.components, strict=True)]


class PlacedWarnings:
    """Design warnings (guardrails) shown next to their field once; the rest go at the bottom of the page."""

    def __init__(self, items: list[Guardrail]) -> None:
        self.items = items
        self.shown: set[int] = set()

    def at(self, prefix: str) -> list[Guardrail]:
        """The warnings about the field at ``prefix`` (a plan path such as ``metrics[0]``), marked shown."""
        hits = [i for i, g in enumerate(self.items)
                if g.path == prefix or g.path.startswith((prefix + ".", prefix + "["))]
        self.shown.update(hits)
        return [self.items[i] for i in hits]

    def rest(self) -> list[Guardrail]:
        """The warnings no field has shown."""
        return [g for i, g in enumerate(self.items) if i not in self.shown]


def target_binding(mid: str) -> tuple[str, dict[str, Any]]:
    """(label, kwargs) of metric ``mid``'s target input: in percent for a share or ratio unit, else as it is.

    The unit is read when the value is written, so a unit changed a moment ago
    decides how the next typed target is read (docs/plans.md, "Units").
    """
    unit_path = plan_path("metrics", ById(mid), "unit")
    unit = value_at(unit_path, "")
    kwargs = bind(plan_key(plan_id(), "metric", mid, "target"), plan_path("metrics", ById(mid), "target"),
                  to_widget=lambda v: to_typed(v, value_at(unit_path, "")),
                  from_widget=lambda v: from_typed(v, value_at(unit_path, "")))
    return ("Target %" if in_percent(unit) else "Target"), kwargs


def metric_labels(plan_d: dict[str, Any], plan: Any) -> dict[str, str]:
    """Metric id -> the name a person reads: as typed, else the last valid plan's, else "Metric N"."""
    valid = {m.id: m.name for m in plan.metrics}
    return {m["id"]: str(m.get("name") or "").strip() or valid.get(m["id"]) or f"Metric {i + 1}"
            for i, m in enumerate(plan_d["metrics"])}


def component_labels(plan_d: dict[str, Any], plan: Any, metric_names: dict[str, str]) -> dict[str, str]:
    """Component id -> its label: as typed, else the last valid name, else its metric's name, else "Component N"."""
    valid = {c.id: c.name.strip() for c in plan.components}
    return {c["id"]: (str(c.get("name") or "").strip() or valid.get(c["id"]) or metric_names.get(c.get("metric"))
                      or f"Component {i + 1}") for i, c in enumerate(plan_d["components"])}


def _unique(prefix: str, taken: list[str]) -> str:
    n = 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"


def add_metric(pid: str) -> None:
    if (plan := _plan(pid)) is None:
        return
    metrics = plan["metrics"]
    mid = _unique("metric", [m["id"] for m in metrics])
    names = {str(m.get("name") or "").strip() for m in metrics}
    k = len(metrics) + 1  # "Metric 5" for a fifth metric, whatever the ids are
    while f"Metric {k}" in names:
        k += 1
    metrics.append({"id": mid, "name": f"Metric {k}", "target": 1.0})
    commit_plan_change()


def remove_metric(pid: str, mid: str) -> None:
    plan = _plan(pid)
    i = index_of((plan or {}).get("metrics") or [], mid)
    used = any(c.get("metric") == mid for c in (plan or {}).get("components") or [])
    if plan is None or i is None or used or len(plan["metrics"]) < 2:
        return
    del plan["metrics"][i]
    commit_plan_change()


def add_component(pid: str) -> None:
    """A new component on the first metric no component pays on yet (else the first), rebalanced in."""
    if (plan := _plan(pid)) is None:
        return
    comps = plan["components"]
    cid = _unique("component", [c["id"] for c in comps])
    n = len(comps)
    used = {c.get("metric") for c in comps}
    metric = next((m["id"] for m in plan["metrics"] if m["id"] not in used), plan["metrics"][0]["id"])
    name = next((m.get("name") for m in plan["metrics"] if m["id"] == metric), None) or f"Component {n + 1}"
    comps.append({"id": cid, "name": name, "metric": metric,
                  "weight": round(1.0 / (n + 1), 2), "curve": {"kind": "linear", "points": [[0.0, 0.0], [1.0, 1.0]]}})
    rebalance(n, pid)
    set_ui("component", {**ui("component"), pid: cid})
    commit_plan_change()


def remove_component(pid: str, cid: str) -> None:
    plan = _plan(pid)
    i = index_of((plan or {}).get("components") or [], cid)
    if plan is None or i is None or len(plan["components"]) < 2:
        return
    del plan["components"][i]
    for item in plan.get("gates", []) + plan.get("modifiers", []):
        if isinstance(item.get("applies_to"), list) and cid in item["applies_to"]:
            item["applies_to"].remove(cid)
            item["applies_to"] = item["applies_to"] or "all"
    rebalance(None, pid)
    commit_plan_change()


def add_gate(pid: str) -> None:
    if (plan := _plan(pid)) is not None:
        plan.setdefault("gates", []).append({"metric": plan["metrics"][0]["id"], "below": 0.8, "cap": 1.0,
                                             "applies_to": "all"})
        commit_plan_change()


def add_modifier(pid: str) -> None:
    if (plan := _plan(pid)) is not None:
        plan.setdefault("modifiers", []).append({
            "metric": plan["metrics"][0]["id"], "applies_to": "all",
            "curve": {"kind": "steps", "steps": [[0.0, 0.9], [1.0, 1.0], [1.1, 1.1]]}})
        commit_plan_change()


def remove_item(pid: str, kind: str, i: int) -> None:
    plan = _plan(pid)
    if plan is not None and 0 <= i < len(plan.get(kind) or []):
        del plan[kind][i]
        commit_plan_change()


def set_curve_kind(pid: str, key: str, where: str, ref: str | int) -> None:
    """Convert the curve of component ``ref`` (an id) or modifier ``ref`` (a position) to the kind picked."""
    plan = _plan(pid)
    items = (plan or {}).get(where) or []
    i = index_of(items, ref) if isinstance(ref, str) else ref
    kind = st.session_state.get(key)
    if plan is None or i is None or not 0 <= i < len(items) or kind not in ("linear", "tiers", "steps"):
        return
    items[i]["curve"] = curve_edit.convert_curve(items[i].get("curve") or {}, kind)
    commit_plan_change()


# ---------------------------------------------------------------- starting plan, JSON import


def _fit_period(plan: dict[str, Any]) -> None:
    """In an org of several plans, a plan brought in is paid per the org's period (said in a notice)."""
    if is_org() and len(plan_ids()) > 1:
        others = [p for p in plan_ids() if p != plan_id()]
        period = (draft()["plans"][others[0]] or {}).get("period")
        if (notice := adopt_period(plan, period)) is not None:
            set_notice(notice, kind="info")


def import_upload(key: str) -> None:
    """Load a downloaded plan or scenario JSON (designer upload): a plan replaces the plan, a scenario everything.

    A bad file changes nothing and its message (file name, field path) is kept for the page to show.
    """
    upload = st.session_state.get(key)
    if upload is None:
        return
    try:
        got = import_json(upload.getvalue(), upload.name)
    except PlanError as e:
        set_ui("import_result", (False, str(e)))
        return
    if got.scenario is not None:
        set_scenario(dump_scenario(got.scenario))
    else:  # a plan replaces the plan being edited (one plan of an org)
        plan = dump_plan(got.plan)
        _fit_period(plan)
        set_scenario(reconcile_scenario(replace_plan(draft(), plan_id(), plan)))
    set_ui("import_result", (True, f"Imported the {got.kind} “{got.plan.name}” from {upload.name}."))


def start_options() -> list[str]:
    """What "Replace this plan with" offers: the sample plans' ids, then ``blank``."""
    return [*sample_plan_names(), "blank"]


def own_sample() -> str | None:
    """The sample the plan being edited came from (same name), or None: nothing is chosen for the person."""
    name = draft_plan().get("name")
    return next((sid for sid, n in sample_plan_names().items() if n == name), None)


def start_choice(pid: str) -> str | None:
    """What "Replace this plan with" holds for plan ``pid``: the person's pick, else the plan's own sample."""
    got = ui("start_from").get(pid)
    return got if got in start_options() else own_sample()


def start_from(pid: str, confirmed: bool = False) -> None:
    """Replace plan ``pid`` (the one being edited) with the sample (by id) or blank plan picked for it.

    Roster and budget stay. When the plan has changes of the person's own (it
    differs from what was last loaded), nothing is replaced until they confirm
    (:func:`pending_replace`).
    """
    choice = st.session_state.get(K_CONFIRM) if confirmed else start_choice(pid)
    if choice not in start_options() or pid != plan_id():
        st.session_state[K_CONFIRM] = None
        return
    if not confirmed and plan_changed():
        st.session_state[K_CONFIRM] = choice
        return
    st.session_state[K_CONFIRM] = None
    plan = sample_plan(choice) if choice != "blank" else copy.deepcopy(BLANK_PLAN)
    if plan is None:
        return
    _fit_period(plan)
    set_scenario(reconcile_scenario(replace_plan(draft(), plan_id(), plan)))


def pending_replace() -> str | None:
    """The sample id (or ``blank``) waiting for the person to confirm replacing their changed plan."""
    got = st.session_state.get(K_CONFIRM)
    return got if got in start_options() else None


def cancel_replace() -> None:
    st.session_state[K_CONFIRM] = None


# ---------------------------------------------------------------- target incentive and applies-to

_PCT, _AMOUNT = "% of base salary", "Fixed amount a year"


def _on_incentive(pid: str, key_kind: str, key_value: str) -> None:
    kind, value = st.session_state.get(key_kind), st.session_state.get(key_value)
    plan = _plan(pid)
    if plan is None or kind not in (_PCT, _AMOUNT):
        return
    value = value if isinstance(value, (int, float)) else None
    if kind == _PCT:
        plan["target_incentive"] = {"percent_of_base": pct_out(value if value is not None and value <= 100 else 10)}
    else:
        plan["target_incentive"] = {"amount": float(value if value is not None and value > 100 else 10_000)}
    revalidate()


def _on_incentive_value(pid: str, key_kind: str, key_value: str) -> None:
    value, plan = st.session_state.get(key_value), _plan(pid)
    if plan is None or not isinstance(value, (int, float, type(None))):
        return
    if "amount" not in (plan.get("target_incentive") or {}):
        plan["target_incentive"] = {"percent_of_base": pct_out(value)}
    else:
        plan["target_incentive"] = {"amount": value}
    revalidate()


def incentive_bindings() -> tuple[dict[str, Any], dict[str, Any], bool]:
    """Kwargs for the target-incentive kind radio and value input; True when it is a % of base."""
    pid = plan_id()
    ti = draft_plan().get("target_incentive") or {}
    is_pct = "amount" not in ti
    key_kind, key_value = plan_key(pid, "incentive", "kind"), plan_key(pid, "incentive", "value")
    for key, seeded in ((key_kind, _PCT if is_pct else _AMOUNT),
                        (key_value, pct_in(ti.get("percent_of_base")) if is_pct else ti.get("amount"))):
        if st.session_state.get(key) != seeded:
            st.session_state[key] = seeded
    args = (pid, key_kind, key_value)
    return ({"key": key_kind, "on_change": _on_incentive, "args": args},
            {"key": key_value, "on_change": _on_incentive_value, "args": args}, is_pct)


def applies_binding(key: str, path: tuple[Hashable, ...], options: list[str]) -> dict[str, Any]:
    """Kwargs for an 'applies to' multiselect of component ids: empty means the plan total ("all")."""
    return bind(key, path, default=[], options=options,
                to_widget=lambda v: [] if v in (None, "all") or not isinstance(v, list) else list(v),
                from_widget=lambda v: list(v) if v else "all")

