"""The Plan designer's bindings and button callbacks: structure, weights, curves, thresholds, incentive.

Structural edits (add / remove a metric, component, gate or modifier; change a
curve's kind; start from a sample plan) change the draft plan in a button
callback and then call :func:`ui.state.commit_plan_change`, which keeps the
assumptions in step with the metrics and resets the data editors.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Hashable
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
from ui.session import K_CONFIRM, K_TI_KIND, K_TI_VALUE
from ui.state import (
    BLANK_PLAN,
    bind,
    bind_editor,
    bump_editors,
    commit_plan_change,
    draft,
    draft_plan,
    pct_in,
    pct_out,
    plan_changed,
    plan_id,
    plan_path,
    revalidate,
    sample_plans,
    set_scenario,
    set_ui,
    set_value_at,
    ui,
    value_at,
)

# ---------------------------------------------------------------- weights


def rebalance(changed: int | None = None) -> None:
    """Keep the weights in whole percents adding to exactly 100% (when the rebalance toggle is on).

    The rule is :func:`compcore.plan.editing.rebalance_weights`: the components
    to the right of the one moved share the difference.
    """
    comps = draft_plan()["components"]
    if not ui("rebalance") or not comps:
        return
    for c, w in zip(comps, curve_edit.rebalance_weights([c.get("weight") for c in comps], changed), strict=True):
        c["weight"] = w


def weight_binding(i: int) -> dict[str, Any]:
    """Kwargs for component ``i``'s weight widget (percent), rebalancing the others on change."""
    return bind(f"weight_{i}", plan_path("components", i, "weight"), to_widget=pct_in, from_widget=pct_out,
                after=lambda: rebalance(i))


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


def target_binding(i: int) -> tuple[str, dict[str, Any]]:
    """(label, kwargs) of metric ``i``'s target input: in percent for a share or ratio unit, else as it is.

    The unit is read when the value is written, so a unit changed a moment ago
    decides how the next typed target is read (docs/plans.md, "Units").
    """
    unit_path = plan_path("metrics", i, "unit")
    unit = value_at(unit_path, "")
    kwargs = bind(f"metric_{i}_target", plan_path("metrics", i, "target"),
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


def add_metric() -> None:
    metrics = draft_plan()["metrics"]
    mid = _unique("metric", [m["id"] for m in metrics])
    names = {str(m.get("name") or "").strip() for m in metrics}
    k = len(metrics) + 1  # "Metric 5" for a fifth metric, whatever the ids are
    while f"Metric {k}" in names:
        k += 1
    metrics.append({"id": mid, "name": f"Metric {k}", "target": 1.0})
    commit_plan_change()


def remove_metric(i: int) -> None:
    del draft_plan()["metrics"][i]
    commit_plan_change()


def add_component() -> None:
    """A new component on the first metric no component pays on yet (else the first), rebalanced in."""
    plan = draft_plan()
    comps = plan["components"]
    cid = _unique("component", [c["id"] for c in comps])
    n = len(comps)
    used = {c.get("metric") for c in comps}
    metric = next((m["id"] for m in plan["metrics"] if m["id"] not in used), plan["metrics"][0]["id"])
    name = next((m.get("name") for m in plan["metrics"] if m["id"] == metric), None) or f"Component {n + 1}"
    comps.append({"id": cid, "name": name, "metric": metric,
                  "weight": round(1.0 / (n + 1), 2), "curve": {"kind": "linear", "points": [[0.0, 0.0], [1.0, 1.0]]}})
    rebalance(n)
    set_ui("component", n)
    commit_plan_change()


def remove_component(i: int) -> None:
    plan = draft_plan()
    cid = plan["components"][i]["id"]
    del plan["components"][i]
    for item in plan.get("gates", []) + plan.get("modifiers", []):
        if isinstance(item.get("applies_to"), list) and cid in item["applies_to"]:
            item["applies_to"].remove(cid)
            item["applies_to"] = item["applies_to"] or "all"
    rebalance(None)
    set_ui("component", 0)
    commit_plan_change()


def add_gate() -> None:
    draft_plan().setdefault("gates", []).append({"metric": draft_plan()["metrics"][0]["id"], "below": 0.8, "cap": 1.0,
                                            "applies_to": "all"})
    commit_plan_change()


def add_modifier() -> None:
    draft_plan().setdefault("modifiers", []).append({
        "metric": draft_plan()["metrics"][0]["id"], "applies_to": "all",
        "curve": {"kind": "steps", "steps": [[0.0, 0.9], [1.0, 1.0], [1.1, 1.1]]}})
    commit_plan_change()


def remove_item(kind: str, i: int) -> None:
    del draft_plan()[kind][i]
    commit_plan_change()


# ---------------------------------------------------------------- curve kind, starting plan


def set_curve_kind(i: int, key: str, where: str = "components") -> None:
    curve = draft_plan()[where][i]["curve"]
    draft_plan()[where][i]["curve"] = curve_edit.convert_curve(curve, st.session_state[key])
    commit_plan_change()


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
        set_scenario(reconcile_scenario(replace_plan(draft(), plan_id(), dump_plan(got.plan))))
    set_ui("import_result", (True, f"Imported the {got.kind} “{got.plan.name}” from {upload.name}."))


def start_from(choice: str, confirmed: bool = False) -> None:
    """Replace the plan with a sample plan (by name) or the blank plan, keeping roster and budget.

    When the plan has changes of the person's own (it differs from what was
    last loaded), nothing is replaced until they confirm (:func:`pending_replace`).
    """
    if not confirmed and plan_changed():
        st.session_state[K_CONFIRM] = choice
        return
    st.session_state[K_CONFIRM] = None
    plans = sample_plans()
    plan = json.loads(plans[choice].read_text()) if choice in plans else copy.deepcopy(BLANK_PLAN)
    set_scenario(reconcile_scenario(replace_plan(draft(), plan_id(), plan)))


def pending_replace() -> str | None:
    """The sample (or "Blank plan") waiting for the person to confirm replacing their changed plan."""
    return st.session_state.get(K_CONFIRM)


def cancel_replace() -> None:
    st.session_state[K_CONFIRM] = None


# ---------------------------------------------------------------- target incentive and applies-to


def _on_incentive(key_kind: str, key_value: str) -> None:
    kind, value = st.session_state[key_kind], st.session_state[key_value]
    plan = draft_plan()
    if kind == "% of base salary":
        plan["target_incentive"] = {"percent_of_base": pct_out(value if value is not None and value <= 100 else 10)}
    else:
        plan["target_incentive"] = {"amount": float(value if value is not None and value > 100 else 10_000)}
    revalidate()


def _on_incentive_value(key_kind: str, key_value: str) -> None:
    value = st.session_state[key_value]
    if st.session_state[key_kind] == "% of base salary":
        draft_plan()["target_incentive"] = {"percent_of_base": pct_out(value)}
    else:
        draft_plan()["target_incentive"] = {"amount": value}
    revalidate()


def incentive_bindings() -> tuple[dict[str, Any], dict[str, Any], bool]:
    """Kwargs for the target-incentive kind radio and value input; True when it is a % of base."""
    ti = draft_plan().get("target_incentive") or {}
    is_pct = "amount" not in ti
    st.session_state[K_TI_KIND] = "% of base salary" if is_pct else "Fixed amount a year"
    st.session_state[K_TI_VALUE] = pct_in(ti.get("percent_of_base")) if is_pct else ti.get("amount")
    args = (K_TI_KIND, K_TI_VALUE)
    return ({"key": K_TI_KIND, "on_change": _on_incentive, "args": args},
            {"key": K_TI_VALUE, "on_change": _on_incentive_value, "args": args}, is_pct)


def applies_binding(key: str, path: tuple[Hashable, ...]) -> dict[str, Any]:
    """Kwargs for an 'applies to' multiselect of component ids: empty means the plan total ("all")."""
    return bind(key, path, default="all", to_widget=lambda v: [] if v in (None, "all") else list(v),
                from_widget=lambda v: list(v) if v else "all")


# ---------------------------------------------------------------- curve tables and thresholds


_TABLES: dict[str, tuple[str, ...]] = {
    "linear": ("points", "Attainment %", "Payout %"),
    "steps": ("steps", "From attainment %", "Payout %"),
}


def _num_or_none(v: Any, scale: float = 100.0) -> Any:
    try:
        return None if v is None or v == "" else float(v) / scale
    except (TypeError, ValueError):
        return None


def curve_table(kind: str) -> tuple[str, Callable[[Any], list[dict[str, Any]]], Callable[[list[dict[str, Any]]], Any]]:
    """(field, to_rows, from_rows) turning a curve's points / steps / bands into editor rows in % and back.

    Blank cells (a row just added) are prefilled with a sensible value
    (:func:`compcore.plan.editing.prefill_points`), so a new row is never a red
    error; rows are sorted by attainment when written back, so a point typed at
    the bottom lands in its place.
    """
    if kind == "tiers":
        def to_rows(bands: Any) -> list[dict[str, Any]]:
            return [{"From attainment %": pct_in(b.get("from")), "Rate (x)": b.get("rate")} for b in bands or []]

        def from_rows(rows: list[dict[str, Any]]) -> Any:
            typed = [{"from": _num_or_none(r.get("From attainment %")), "rate": _num_or_none(r.get("Rate (x)"), 1.0)}
                     for r in rows]
            return sorted(curve_edit.prefill_bands(typed), key=lambda b: b["from"])
        return "bands", to_rows, from_rows
    field, xcol, ycol = _TABLES[kind]

    def to_rows_xy(points: Any) -> list[dict[str, Any]]:
        return [{xcol: pct_in(p[0]), ycol: pct_in(p[1])} for p in points or []]

    def from_rows_xy(rows: list[dict[str, Any]]) -> Any:
        typed = [[_num_or_none(r.get(xcol)), _num_or_none(r.get(ycol))] for r in rows]
        return sorted(curve_edit.prefill_points(typed, kind), key=lambda p: p[0])
    return field, to_rows_xy, from_rows_xy


def bind_curve_editor(name: str, path: tuple[Hashable, ...], kind: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows and kwargs for the data editor of the curve at ``path`` (a component's or modifier's)."""
    field, to_rows, from_rows = curve_table(kind)
    return bind_editor(f"{name}_{kind}", (*path, field), to_rows, from_rows)


def threshold_binding(key: str, path: tuple[Hashable, ...]) -> dict[str, Any]:
    """Kwargs for a threshold input (%) of the curve at ``path``."""
    curve = value_at(path, {}) or {}
    st.session_state[key] = pct_in(curve_edit.threshold_of(curve))
    return {"key": key, "on_change": _on_threshold, "args": (key, path)}


def _on_threshold(key: str, path: tuple[Hashable, ...]) -> None:
    set_value_at(path, curve_edit.with_threshold(value_at(path, {}), pct_out(st.session_state[key] or 0.0)))
    bump_editors()
    revalidate()

