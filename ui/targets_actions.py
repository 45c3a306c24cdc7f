"""Button callbacks of the "Targets from data" page: what it writes into the canonical scenario.

One meaning per metric: every write from history checks, at the moment of the click, that the history's
definition is the metric's own (``definition_mismatch`` on the valid plan) and writes nothing otherwise,
so a stale button (the page changed under it) can never set a target from another definition. Measuring
a metric by another definition is its own action (:func:`measure_as`), which renames the metric after the
definition. Each write is one undo step (ui/history.py records the draft's changes).
"""

from __future__ import annotations

import copy
from typing import Any

from compcore.data.definitions import canonical, definition_mismatch, renamed_for
from ui.state import commit_plan_change, draft, draft_plan, plan_id, revalidate, set_value_at, valid, valid_plan
from ui.targets_state import explore, tfd, tfd_path


def _plans_having(metric_id: str) -> list[dict[str, Any]]:
    """The draft plans (dicts) that have ``metric_id``: every plan of an org, or the one plan."""
    d = draft()
    plans = list((d.get("plans") or {}).values()) if isinstance(d.get("plans"), dict) else [d.get("plan") or {}]
    return [p for p in plans if any(m.get("id") == metric_id for m in p.get("metrics", []))]


def _same(metric_id: str, spec: dict[str, Any]) -> bool:
    plan = valid_plan()
    return metric_id in {m.id for m in plan.metrics} and definition_mismatch(plan.metric(metric_id), spec) is None


def _write_metric(plan: dict[str, Any], metric_id: str, spec: dict[str, Any], *, target: float | None = None,
                  rename: bool = False) -> None:
    for m in plan.get("metrics", []):
        if m["id"] == metric_id:
            m["definition"] = canonical(spec)  # the definition is stored with the metric from now on
            if target is not None:
                m["target"] = round(float(target), 6)
            if rename:
                m["name"] = renamed_for(m.get("name") or metric_id, spec)


def set_metric_target(metric_id: str, target: float, spec: dict[str, Any], rename: bool = False) -> None:
    """Write the plan being edited's target for ``metric_id`` (from ``spec``'s history) and store the definition.

    ``rename``: the metric's name contradicted the definition (``definition_conflict``), so it is renamed.
    """
    if not _same(metric_id, spec):
        return
    _write_metric(draft_plan(), metric_id, spec, target=target, rename=rename)
    commit_plan_change()


def set_plan_targets(metric_id: str, targets_of: dict[str, float], spec: dict[str, Any], rename: bool = False) -> None:
    """Org: write each plan's target for ``metric_id`` (plan id -> target) and store the definition."""
    if not _same(metric_id, spec):
        return
    plans = draft().get("plans") or {}
    for pid, target in targets_of.items():
        if pid in plans and definition_mismatch(valid().plans[pid].metric(metric_id), spec) is None:
            _write_metric(plans[pid], metric_id, spec, target=target, rename=rename)
    commit_plan_change()


def measure_as(metric_id: str, spec: dict[str, Any]) -> None:
    """Measure ``metric_id`` by ``spec`` from now on, in every plan that has it, renamed after the definition.

    The target is not touched: it is set from the new definition's history as a separate, visible step.
    """
    for plan in _plans_having(metric_id):
        _write_metric(plan, metric_id, spec, rename=True)
    commit_plan_change()


def show_definition(spec: dict[str, Any]) -> None:
    """Explore ``spec`` (the plan metric's own definition) on the page instead of the one chosen."""
    explore(spec)


def set_assumption(metric_id: str, assumption: dict[str, Any], spec: dict[str, Any]) -> None:
    """Write a metric's assumption fitted on ``spec``'s history (kept: its by_team and persistence, set apart)."""
    if not _same(metric_id, spec):
        return
    assumptions = draft().setdefault("assumptions", {})
    keep = {k: v for k, v in (assumptions.get(metric_id) or {}).items() if k in ("persistence", "by_team")}
    assumptions[metric_id] = {**copy.deepcopy(assumption), **keep}
    revalidate()


def set_by_team(metric_id: str, fit: dict[str, Any], spec: dict[str, Any]) -> None:
    """Set the metric's ``by_team`` from a per-team fit; the default stays when there is one."""
    if not _same(metric_id, spec):
        return
    assumptions = draft().setdefault("assumptions", {})
    current = assumptions.get(metric_id)
    if current:
        current["by_team"] = copy.deepcopy(fit.get("by_team") or {})
        if not current["by_team"]:
            del current["by_team"]
    else:
        assumptions[metric_id] = copy.deepcopy(fit)
    revalidate()


def set_persistence(metric_id: str, value: float, spec: dict[str, Any]) -> None:
    """Write the persistence fitted on ``spec``'s history to ``assumptions.<metric>.persistence``."""
    if not _same(metric_id, spec):
        return
    current = draft().setdefault("assumptions", {}).get(metric_id)
    if current is None:
        return  # no assumption to carry it: fit one first (the page says so)
    if value > 0:
        current["persistence"] = float(value)
    else:
        current.pop("persistence", None)  # 0 is the default: nothing to write
    revalidate()


def hold_at_target(metric_id: str, hold: bool) -> None:
    """Back-test: hold ``metric_id`` at its target in every period (True) or measure it by its definition."""
    held = [m for m in (tfd("held") or []) if m != metric_id] + ([metric_id] if hold else [])
    set_value_at(tfd_path("held"), held)


__all__ = ["hold_at_target", "measure_as", "plan_id", "set_assumption", "set_by_team", "set_metric_target",
           "set_persistence", "set_plan_targets", "show_definition"]
