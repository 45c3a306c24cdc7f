"""Comparing 2-4 scenarios side by side: what changed, key figures, overlaid curves and costs.

Pure functions returning DataFrames; the Scenarios page only draws them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from compcore.plan.payout import actual_for, payout
from compcore.plan.schema import Plan
from compcore.simulation.scenario import Scenario, dump_scenario

__all__ = ["combined_curves", "compare_groups", "cost_histograms", "diff_scenarios", "flatten", "key_figures",
           "plan_names", "plans_by_id", "scenario_plans", "unique_labels"]

#: list fields whose items are matched by a key rather than by position
_KEYS = {"metrics": ("id",), "components": ("id",), "roster": ("team", "role")}


def _item_key(field: str, item: Any, index: int) -> str:
    if isinstance(item, dict):
        if field in _KEYS and all(k in item for k in _KEYS[field]):
            return " / ".join(str(item[k]) for k in _KEYS[field])
        if field == "correlations" and isinstance(item.get("between"), list | tuple):
            return " ~ ".join(sorted(str(x) for x in item["between"]))
        if field in ("gates", "modifiers") and "metric" in item:
            return f"{item['metric']} #{index + 1}"
    return str(index)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """A nested scenario dict as ``{path: leaf value}``.

    Lists of metrics, components and roster rows are keyed by id (team / role),
    so reordering is not a change: ``plan.components[okr].weight``. Lists of
    numbers (curve points, empirical values) and curve bands stay one leaf.

    Examples
    --------
    >>> flatten({"plan": {"components": [{"id": "okr", "weight": 0.7}]}})
    {'plan.components[okr].id': 'okr', 'plan.components[okr].weight': 0.7}
    """
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v) and k not in ("bands",):
                for i, item in enumerate(v):
                    out.update(flatten(item, f"{path}[{_item_key(str(k), item, i)}]"))
            elif isinstance(v, dict) and v:
                out.update(flatten(v, path))
            else:
                out[path] = v
    else:
        out[prefix] = data
    return out


def _show(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, int | float) and not isinstance(v, bool):
        if abs(v) >= 10_000:
            return f"{v:,.0f}" if abs(v - round(v)) < 1e-6 else f"{v:,.2f}"
        return f"{v:g}"
    if isinstance(v, list | dict):
        return json.dumps(v, separators=(", ", ": "))
    return str(v)


def _as_dict(s: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    return dump_scenario(s) if isinstance(s, Scenario) else dict(s)


def diff_scenarios(scenarios: Mapping[str, Scenario | Mapping[str, Any]]) -> pd.DataFrame:
    """What differs between scenarios: one row per field whose value is not the same in all.

    Parameters
    ----------
    scenarios : {column label (e.g. scenario name): Scenario or scenario dict}, 2-4 of them;
        the first is the baseline

    Returns
    -------
    DataFrame with ``field`` (path such as ``plan.components[okr].weight``)
    and one column per scenario holding its value as text ("—" where absent).
    The scenario ``name`` itself is not listed, nor any ``schema`` version (the same for every file of a
    version: a plan present in one scenario only is not "a different schema"). Empty when they are the same.
    """
    flat = {label: flatten(_as_dict(s)) for label, s in scenarios.items()}
    paths: list[str] = []
    seen: set[str] = set()
    for f in flat.values():
        for p in f:
            if p not in seen and p != "name" and p.rsplit(".", 1)[-1] != "schema":
                seen.add(p)
                paths.append(p)
    rows = []
    for p in paths:
        values = [f.get(p) for f in flat.values()]
        if any(v != values[0] for v in values[1:]):
            rows.append({"field": p, **{label: _show(v) for label, v in zip(flat, values, strict=True)}})
    return pd.DataFrame(rows, columns=["field", *flat])


def key_figures(scenarios: Mapping[str, Scenario], sims: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Key figures per scenario, one column each: plan shape, on-target cost and simulated cost.

    Rows (``figure``, ``unit`` then one column per scenario): period, metrics,
    components, gates, headcount, cost at 100% payout per period, budget, and,
    for scenarios with a simulation in ``sims``: expected cost, P10, P50, P90,
    P(over budget), share of people above 100%, expected cost as % of on-target.
    """
    sims = sims or {}
    figures: list[tuple[str, str]] = [
        ("Paid per", "text"), ("Metrics", "count"), ("Components", "count"), ("Gates", "count"),
        ("Headcount", "count"), ("Cost at 100% payout", "money"), ("Budget", "money"),
        ("Expected cost", "money"), ("P10 cost", "money"), ("P50 cost", "money"), ("P90 cost", "money"),
        ("P(over budget)", "share"), ("People above 100%", "share"), ("Expected vs on-target", "share"),
    ]
    table: dict[str, list[Any]] = {"figure": [f for f, _ in figures], "unit": [u for _, u in figures]}
    for label, scn in scenarios.items():
        sim = sims.get(label)
        on_target = scn.per_period_target
        col: dict[str, Any] = {
            # an org counts every plan's components and gates; a metric shared by plans counts once
            "Paid per": scn.period, "Metrics": len(scn.metrics),
            "Components": sum(len(p.components) for p in scn.plans.values()),
            "Gates": sum(len(p.gates) for p in scn.plans.values()), "Headcount": scn.headcount,
            "Cost at 100% payout": on_target,
            "Budget": scn.budget,
        }
        if sim is not None:
            # the simulation's own figures: it was priced against this scenario's budget
            col.update({"Expected cost": sim.expected, "P10 cost": sim.percentiles["P10"],
                        "P50 cost": sim.percentiles["P50"], "P90 cost": sim.percentiles["P90"],
                        "P(over budget)": sim.p_over_budget, "People above 100%": sim.share_above_target,
                        "Expected vs on-target": sim.expected / on_target if on_target > 0 else None})
        table[label] = [col.get(f) for f, _ in figures]
    return pd.DataFrame(table)


def combined_curves(plans: Mapping[str, Plan], lo: float = 0.0, hi: float = 1.5, n: int = 151) -> pd.DataFrame:
    """Each plan's total payout when every metric is at the same attainment (long format).

    Plans with different metrics become comparable on one axis: "if the team
    hits x% of every target, the plan pays y% of target incentive" (gates,
    modifiers and caps included). Columns ``scenario``, ``attainment``, ``payout``.
    """
    a = np.linspace(lo, hi, n)
    frames = []
    for label, plan in plans.items():
        actuals = {m.id: actual_for(m, a) for m in plan.metrics}
        total = np.asarray(payout(plan, actuals).total, dtype=float)
        frames.append(pd.DataFrame({"scenario": label, "attainment": a, "payout": total}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["scenario", "attainment", "payout"])


def cost_histograms(sims: Mapping[str, Any], bins: int = 40) -> pd.DataFrame:
    """Cost distributions on common bins, for overlaid histograms.

    Columns ``scenario``, ``cost_from``, ``cost_to``, ``share`` (share of that
    scenario's trials in the bin; each scenario's shares sum to 1).
    """
    costs = {label: np.asarray(sim.cost, dtype=float) for label, sim in sims.items()}
    if not costs:
        return pd.DataFrame(columns=["scenario", "cost_from", "cost_to", "share"])
    lo = min(float(c.min()) for c in costs.values())
    hi = max(float(c.max()) for c in costs.values())
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    frames = []
    for label, c in costs.items():
        counts, _ = np.histogram(c, bins=edges)
        frames.append(pd.DataFrame({"scenario": label, "cost_from": edges[:-1], "cost_to": edges[1:],
                                    "share": counts / max(1, c.size)}))
    return pd.concat(frames, ignore_index=True)


def unique_labels(names: Sequence[str]) -> list[str]:
    """Column labels for scenarios, made unique ('Base', 'Base (2)') so two versions can sit side by side."""
    out: list[str] = []
    for n in names:
        label, k = n, 2
        while label in out:
            label, k = f"{n} ({k})", k + 1
        out.append(label)
    return out


def scenario_plans(scenarios: Mapping[str, Scenario]) -> dict[str, Plan]:
    """Every plan of every scenario by label: the scenario's label for one plan, 'label: plan name' in an org."""
    out: dict[str, Plan] = {}
    for label, scn in scenarios.items():
        if not scn.is_org:
            out[label] = scn.plan
            continue
        for pid, plan in scn.plans.items():
            key = f"{label}: {plan.name}"
            out[key if key not in out else f"{key} ({pid})"] = plan
    return out


def plan_names(names_by_scenario: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """Each plan id (first-seen order) -> the name a comparison shows: its name, or every name it has in the
    scenarios joined by " / " when it was renamed (a renamed plan is the same plan: matched by id).

    >>> plan_names([{"pmo": "PMO Q3", "cs": "CS"}, {"pmo": "PMO quarterly", "cs": "CS", "new": "New"}])
    {'pmo': 'PMO Q3 / PMO quarterly', 'cs': 'CS', 'new': 'New'}
    """
    seen: dict[str, list[str]] = {}
    for names in names_by_scenario:
        for pid, name in names.items():
            if str(name) not in seen.setdefault(pid, []):
                seen[pid].append(str(name))
    return {pid: " / ".join(names) for pid, names in seen.items()}


def plans_by_id(scenarios: Mapping[str, Scenario]) -> dict[str, dict[str, Plan]]:
    """Each plan id (first-seen order) -> {scenario label: that scenario's version of the plan}, for one
    chart per plan with every scenario in it. A one-plan scenario's plan has the id ``plan``."""
    out: dict[str, dict[str, Plan]] = {}
    for label, scn in scenarios.items():
        for pid, plan in scn.plans.items():
            out.setdefault(pid, {})[label] = plan
    return out


def compare_groups(sims: Mapping[str, Any], by: str) -> pd.DataFrame:
    """Expected cost per period of each plan (``by="plan"``) or team (``by="team"``), one column per scenario
    (NaN where a scenario has no such group); the rows in first-seen order.

    Plans are matched by id, so a renamed plan stays one row; the ``plan`` column shows its name (both
    names, "old / new", when it was renamed, :func:`plan_names`). Two org scenarios are compared by plan and
    by team, not only in total.
    """
    cols: dict[str, dict[str, float]] = {}
    for label, sim in sims.items():
        df = sim.cost_by_plan if by == "plan" else sim.cost_by_team
        keys = list(df["plan"]) if by == "plan" else list(df["team"])
        cols[label] = dict(zip(keys, df["expected_cost"].astype(float), strict=True))
    rows = list(dict.fromkeys(k for c in cols.values() for k in c))
    shown = rows
    if by == "plan":
        names = plan_names([{p: sim.plan_names.get(p, p) for p in cols[label]} for label, sim in sims.items()])
        shown = [names.get(k, k) for k in rows]
    return pd.DataFrame({by: shown, **{label: [c.get(k, float("nan")) for k in rows] for label, c in cols.items()}})
