"""The comparison's "what changed" in words and units a meeting reads, and differences of the key figures.

:func:`compcore.report.compare.diff_scenarios` gives field paths and raw values
(``plan.components[adoption].curve.above``, ``flat`` / ``extend``); this module
turns each row into a label ("Adopted within 90 days: above the last point") and
values in the unit a person reads ("stays flat" / "keeps rising"; weights, caps and
share targets in %, money with separators).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from compcore.plan.units import format_value
from compcore.report.assumption_use import DIST_WORDS
from compcore.report.compare import diff_scenarios, flatten, plan_names
from compcore.report.format import money, pct
from compcore.simulation.scenario import Scenario, dump_scenario

__all__ = ["change_label", "figure_differences", "readable_diff"]

_PLAN_FIELDS = {
    "name": "plan name", "period": "paid every", "cap": "plan cap",
    "target_incentive.percent_of_base": "target incentive (% of base salary)",
    "target_incentive.amount": "target incentive (amount a year)",
}
_ITEM_FIELDS = {
    "weight": "weight", "metric": "paid on metric", "name": "name", "target": "target", "unit": "unit",
    "direction": "better when", "scope": "measured per", "below": "applies below", "cap": "caps at",
    "applies_to": "applies to", "curve.kind": "curve kind", "curve.points": "curve", "curve.steps": "steps",
    "curve.bands": "tiers", "curve.above": "above the last point", "curve.cap": "cap",
    "curve.threshold": "threshold", "curve.mode": "tier mode",
}
_PCT_FIELDS = {"weight", "below", "cap", "curve.cap", "curve.threshold", "percent_of_base",
               "target_incentive.percent_of_base"}
_MONEY_FIELDS = {"budget", "base_salary", "amount", "target_incentive.amount"}
_WORDS = {"flat": "stays flat", "extend": "keeps rising (accelerator)", "all": "the total",
          "linear": "linear points", "tiers": "rate tiers", "steps": "steps",
          "marginal": "marginal (each rate inside its band)", "retroactive": "retroactive (reached rate pays all)"}
#: an assumption's parameters in words (the Cost page's labels, whatever the distribution)
_PARAM_WORDS = {"dist": "distribution", "n": "clients in a cohort", "p": "chance each one counts", "mean": "average",
                "sd": "spread (sd)", "low": "lowest", "mode": "likeliest", "high": "highest", "a": "shape a",
                "b": "shape b", "scale": "highest possible", "value": "always", "values": "past values",
                "persistence": "persistence from one period to the next"}
#: parameters that are values of the metric (shown in its unit: a share in %)
_METRIC_VALUES = {"mean", "sd", "low", "mode", "high", "scale", "value"}
_ASSUMPTION = re.compile(r"^assumptions\.([^.]+)\.(?:by_team\.(.+)\.)?([a-z_]+)$")
_ITEM = re.compile(r"^(metrics|components|gates|modifiers)\[([^\]]+)\]\.(.+)$")


def _names(data: Mapping[str, Any]) -> dict[str, str]:
    """Metric and component ids -> the names people read, over every plan of a scenario dict."""
    plans = list((data.get("plans") or {}).values()) or [data.get("plan") or {}]
    out: dict[str, str] = {}
    for plan in plans:
        for item in [*(plan.get("metrics") or []), *(plan.get("components") or [])]:
            if isinstance(item, Mapping) and item.get("id"):
                out.setdefault(str(item["id"]), str(item.get("name") or item["id"]))
    return out


def change_label(path: str, names: Mapping[str, str], period: str = "period",
                 plans: Mapping[str, str] | None = None) -> str:
    """A diff path in words: ``plan.components[adoption].curve.above`` -> 'Adopted...: above the last point'.

    An org's plan is named by its name (``plans``: plan id -> name), never by its id.

    >>> change_label("plan.components[adoption].curve.above", {"adoption": "Adopted within 90 days"})
    'Adopted within 90 days: above the last point'
    >>> change_label("plan.cap", {}), change_label("budget", {}, "quarter")
    ('Plan cap', 'Budget per quarter')
    >>> change_label("plans.pmo.cap", {}, plans={"pmo": "PMO bonus"})
    'PMO bonus: plan cap'
    """
    prefix = ""
    m = re.match(r"^plans\.([^.]+)\.(.*)$", path)
    if m:
        prefix, path = f"{(plans or {}).get(m.group(1), m.group(1))}: ", "plan." + m.group(2)
    if path == "budget":
        return f"Budget per {period}"
    if path.startswith("plan."):
        rest = path.removeprefix("plan.")
        if rest in _PLAN_FIELDS:
            return prefix + _PLAN_FIELDS[rest] if prefix else _PLAN_FIELDS[rest].capitalize()
        item = _ITEM.match(rest)
        if item:
            kind, key, field = item.groups()
            if kind in ("gates", "modifiers"):
                metric, _, n = key.partition(" #")
                what = f"{'Gate' if kind == 'gates' else 'Multiplier'} {n} on {names.get(metric, metric)}"
            else:
                what = names.get(key, key)
            return f"{prefix}{what}: {_ITEM_FIELDS.get(field, field.replace('.', ' ').replace('_', ' '))}"
    roster = re.match(r"^roster\[([^\]]+)\]\.(.+)$", path)
    if roster:
        return f"Roster, {roster.group(1)}: {roster.group(2).replace('_', ' ')}"
    assumption = _ASSUMPTION.match(path)
    if assumption:
        mid, team, param = assumption.groups()
        whose = f"{team}'s own assumption" if team else "assumption"
        return f"{names.get(mid, mid)}, {whose}: {_PARAM_WORDS.get(param, param.replace('_', ' '))}"
    assumption = re.match(r"^assumptions\.([^.]+)\.(.+)$", path)
    if assumption:
        mid = assumption.group(1)
        return f"Assumption for {names.get(mid, mid)}: {assumption.group(2).replace('.', ' ').replace('_', ' ')}"
    if path.startswith("correlations["):
        pair = path[len("correlations["):].split("]")[0]
        return "Correlation of " + " and ".join(names.get(x.strip(), x.strip()) for x in pair.split("~"))
    return path.replace("_", " ").capitalize()


def _in_unit(value: float, unit: str) -> str:
    """A metric's value for a table cell, in its unit without the definition in brackets: "90% share of new
    clients", not "... (adopted = 40% of licensed seats active in a week)" (the cell stays narrow)."""
    return format_value(value, re.sub(r"\s*\([^)]*\)", "", unit or "").strip())


def _value_text(path: str, value: Any, units: Mapping[str, str], plans: Mapping[str, str] | None = None,
                currency: str = "") -> str:
    if value is None:
        return "—"
    if re.match(r"^roster\[[^\]]+\]\.plan$", path) and isinstance(value, str):
        return (plans or {}).get(value, value)  # a roster row's plan by its name, not its id
    assumption = _ASSUMPTION.match(path)
    if assumption and not isinstance(value, bool):
        mid, _, param = assumption.groups()
        if param == "dist" and isinstance(value, str):
            return DIST_WORDS.get(value, value)
        if param == "p" and isinstance(value, int | float):
            return pct(float(value))
        if param in _METRIC_VALUES and isinstance(value, int | float):
            return _in_unit(float(value), units.get(mid, ""))
    field = path.rsplit("].", 1)[-1] if "]." in path else path.removeprefix("plan.")
    last = path.rsplit(".", 1)[-1]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if field == "target":
            mid = re.search(r"metrics\[([^\]]+)\]", path)
            return _in_unit(float(value), units.get(mid.group(1), "") if mid else "")
        if field in _PCT_FIELDS or last in ("percent_of_base",):
            return pct(float(value))
        if field in _MONEY_FIELDS or last in _MONEY_FIELDS:
            return money(float(value), currency)
        return f"{value:,.4g}"
    if isinstance(value, str):
        return _WORDS.get(value, value)
    if field in ("curve.points", "curve.steps") and isinstance(value, list):
        return ", ".join(f"{pct(p[0])} pays {pct(p[1])}" for p in value if isinstance(p, list | tuple) and len(p) == 2)
    if field == "curve.bands" and isinstance(value, list):
        return ", ".join(f"from {pct(b.get('from', 0))}: {b.get('rate', 0):g}x" for b in value if isinstance(b, dict))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _as_dict(s: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    return dump_scenario(s) if isinstance(s, Scenario) else dict(s)


def readable_diff(scenarios: Mapping[str, Scenario | Mapping[str, Any]], currency: str = "") -> pd.DataFrame:
    """:func:`~compcore.report.compare.diff_scenarios` in words: ``What changed`` then one column per scenario.

    The rows and their order are those of ``diff_scenarios`` (a ``field`` column keeps the path), except
    that a plan of an org present in some scenarios only is one row ("Plan X": "in this scenario" / "—")
    ahead of the others instead of a row per field, plans are matched by id (a renamed plan is one plan whose
    name changed) and named by their names, and a roster row's plan reads as the plan's name. Money has
    ``currency`` in front; a metric's value has its unit without the definition in brackets.

    Examples
    --------
    >>> plan = {"name": "p", "cap": 1.5, "metrics": [], "components": []}
    >>> readable_diff({"A": {"plan": plan}, "B": {"plan": dict(plan, cap=2.0)}}).iloc[0].tolist()
    ['Plan cap', '150%', '200%', 'plan.cap']
    """
    data = {label: _as_dict(s) for label, s in scenarios.items()}
    raw = diff_scenarios(data)
    names: dict[str, str] = {}
    units: dict[str, str] = {}
    for d in data.values():
        for k, v in _names(d).items():
            names.setdefault(k, v)
        for path, unit in flatten(d).items():
            m = re.search(r"metrics\[([^\]]+)\]\.unit$", path)
            if m and isinstance(unit, str):
                units.setdefault(m.group(1), unit)
    ids = {label: list(d.get("plans") or {}) for label, d in data.items()}
    own = {label: {pid: str(p.get("name") or pid) for pid, p in (d.get("plans") or {}).items()
                   if isinstance(p, Mapping)} for label, d in data.items()}
    plans = plan_names(list(own.values()))
    # a change is labelled with the plan's name in the first scenario that has it (the baseline's, if any)
    label_names = {pid: next(o[pid] for o in own.values() if pid in o) for pid in plans}
    partial = {pid for pid in plans if any(pid not in i for i in ids.values())}  # a plan not in every scenario
    first = next(iter(data.values()), {})
    period = (first.get("plan") or next(iter((first.get("plans") or {}).values()), {})).get("period", "period")
    flats = {label: flatten(d) for label, d in data.items()}
    rows = []
    for pid in [p for p in plans if p in partial]:  # one row "is it in this scenario?", not one per field
        rows.append({"What changed": f"Plan {label_names[pid]}",
                     **{label: "in this scenario" if pid in ids[label] else "—" for label in data},
                     "field": f"plans.{pid}"})
    for path in raw["field"]:
        m = re.match(r"^plans\.([^.]+)\.", path)
        if m and m.group(1) in partial:
            continue
        rows.append({"What changed": change_label(path, names, period, label_names),
                     **{label: _value_text(path, flats[label].get(path), units, own[label], currency)
                        for label in data},
                     "field": path})
    return pd.DataFrame(rows, columns=["What changed", *data, "field"])


def figure_differences(figures: pd.DataFrame) -> pd.DataFrame:
    """Key figures (:func:`~compcore.report.compare.key_figures`) with a difference column per scenario after the first.

    ``<label> vs <baseline>`` holds that scenario's value minus the baseline's for money,
    count and share rows (None for text rows or a missing value).

    >>> kf = pd.DataFrame({"figure": ["Budget"], "unit": ["money"], "A": [100.0], "B": [130.0]})
    >>> figure_differences(kf)["B vs A"].tolist()
    [30.0]
    """
    labels = [c for c in figures.columns if c not in ("figure", "unit")]
    out = figures.copy()
    if len(labels) < 2:
        return out
    base = labels[0]
    for label in labels[1:]:
        diffs = []
        for unit, a, b in zip(figures["unit"], figures[base], figures[label], strict=True):
            ok = unit != "text" and isinstance(a, int | float) and isinstance(b, int | float) and a == a and b == b
            diffs.append(float(b) - float(a) if ok else None)
        out[f"{label} vs {base}"] = diffs
    return out
