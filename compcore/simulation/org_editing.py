"""Editing the plans of a scenario dict (the app's draft): one plan -> an org, add, copy, replace, delete.

Pure functions on JSON-ready scenario dicts (``plan`` or ``plans``), each returning a new dict;
nothing is validated here (the caller validates, so a half-typed plan is never lost).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["add_plan", "delete_plan", "new_plan_id", "plan_ids", "reorder_plans", "replace_plan", "to_org"]

Data = dict[str, Any]


def plan_ids(data: Mapping[str, Any]) -> list[str]:
    """The plan ids of a scenario dict: ``["plan"]`` for one plan for everyone."""
    plans = data.get("plans")
    return list(plans) if isinstance(plans, Mapping) else ["plan"]


def new_plan_id(name: str, taken: Iterable[str]) -> str:
    """A plan id from a name (lowercase letters, digits, ``_``), unique among ``taken``.

    >>> new_plan_id("Customer Success Q3", ["pmo"])
    'customer_success_q3'
    >>> new_plan_id("PMO!", ["pmo", "pmo_2"])
    'pmo_3'
    """
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:30] or "plan"
    taken = set(taken)
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    return out


def to_org(data: Mapping[str, Any]) -> Data:
    """A single-plan scenario dict as an org of one plan (its id from its name), every row on it."""
    out = copy.deepcopy(dict(data))
    if isinstance(out.get("plans"), Mapping):
        return out
    plan = out.pop("plan", None) or {}
    pid = new_plan_id(str(plan.get("name") or "plan"), [])
    out["plans"] = {pid: plan}
    out["roster"] = [{**r, "plan": pid} for r in out.get("roster") or []]
    # keep the usual key order: schema, name, plans, roster, ...
    order = ["schema", "name", "plans", "roster"]
    return {k: out[k] for k in [*[k for k in order if k in out], *[k for k in out if k not in order]]}


def add_plan(data: Mapping[str, Any], plan: Mapping[str, Any]) -> tuple[Data, str]:
    """``(scenario dict with plan added, its new id)``; a single-plan scenario becomes an org first."""
    out = to_org(data)
    pid = new_plan_id(str(plan.get("name") or "plan"), out["plans"])
    out["plans"][pid] = copy.deepcopy(dict(plan))
    return out, pid


def replace_plan(data: Mapping[str, Any], pid: str, plan: Mapping[str, Any]) -> Data:
    """The scenario dict with plan ``pid`` (``"plan"`` for a single plan) replaced by ``plan``."""
    out = copy.deepcopy(dict(data))
    if isinstance(out.get("plans"), Mapping):
        out["plans"][pid] = copy.deepcopy(dict(plan))
    else:
        out["plan"] = copy.deepcopy(dict(plan))
    return out


def delete_plan(data: Mapping[str, Any], pid: str) -> Data:
    """The org without plan ``pid``; its roster rows move to the first remaining plan.

    >>> d = {"plans": {"a": {}, "b": {}}, "roster": [{"team": "T", "plan": "a"}, {"team": "U", "plan": "b"}]}
    >>> delete_plan(d, "a")
    {'plans': {'b': {}}, 'roster': [{'team': 'T', 'plan': 'b'}, {'team': 'U', 'plan': 'b'}]}
    """
    out = copy.deepcopy(dict(data))
    plans = out.get("plans")
    if not isinstance(plans, Mapping) or pid not in plans or len(plans) < 2:
        return out
    del plans[pid]
    to = next(iter(plans))
    out["roster"] = [{**r, "plan": to} if r.get("plan") == pid else r for r in out.get("roster") or []]
    return out


def reorder_plans(data: Mapping[str, Any], order: Iterable[str]) -> Data:
    """The scenario dict with its plans in ``order`` (ids not in it keep their place after those that are;
    unknown ids are ignored). A single-plan scenario is returned as it is.

    >>> reorder_plans({"plans": {"a": {}, "b": {}, "c": {}}}, ["c", "x", "a"])
    {'plans': {'c': {}, 'a': {}, 'b': {}}}
    """
    out = copy.deepcopy(dict(data))
    plans = out.get("plans")
    if not isinstance(plans, Mapping):
        return out
    first = [p for p in dict.fromkeys(order) if p in plans]
    out["plans"] = {p: plans[p] for p in [*first, *(p for p in plans if p not in first)]}
    return out
