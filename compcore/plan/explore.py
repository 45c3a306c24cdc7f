"""Exploring a plan: curve grids, sweeps, heatmaps, an earnings calculator and histograms.

Everything the app draws is computed here, as pure functions returning pandas
DataFrames or plain values, so that pages only lay out widgets and charts and
every number is tested without a browser. Attainments are fractions (1.0 = on
target); payouts are fractions of target incentive (1.0 = on-target payout).

Related helpers live next door: :mod:`compcore.plan.editing` (the designer's
curve conversions and thresholds), :mod:`compcore.plan.guardrails` (design
warnings) and :mod:`compcore.simulation.assumptions` (distribution defaults and previews).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from compcore.plan.curves import evaluate_curve
from compcore.plan.describe import explain_gates
from compcore.plan.editing import breakpoints
from compcore.plan.payout import actual_for, payout
from compcore.plan.schema import Plan, TargetIncentive

__all__ = [
    "Earnings",
    "actual_for",
    "attainment_range",
    "component_curves",
    "curve_frame",
    "earnings",
    "heatmap",
    "histogram_frame",
    "sweep",
]


def attainment_range(plan_or_curves: Plan | list[Any], margin: float = 0.2) -> tuple[float, float]:
    """An attainment axis that shows every breakpoint: 0 to the last breakpoint + ``margin``, at least 150%.

    Examples
    --------
    >>> from compcore.plan.editing import curve_or_none
    >>> c = curve_or_none({"kind": "linear", "points": [[0.8, 0.5], [1.3, 2]]})
    >>> attainment_range([c])
    (0.0, 1.5)
    """
    if isinstance(plan_or_curves, Plan):
        curves = [c.curve for c in plan_or_curves.components] + [m.curve for m in plan_or_curves.modifiers]
        extra = [g.below for g in plan_or_curves.gates]
    else:
        curves, extra = list(plan_or_curves), []
    xs = [x for c in curves if c is not None for x in breakpoints(c)] + extra + [1.0]
    hi = max(1.5, math.ceil((max(xs) + margin) * 20 - 1e-9) / 20)
    return 0.0, round(hi, 4)


def _grid(lo: float, hi: float, n: int, extra: list[float]) -> np.ndarray:
    # breakpoints are added on both sides so steps and thresholds draw as vertical edges, not slopes
    eps = 1e-6
    pts = [x for b in extra if lo <= b <= hi for x in (b - eps, b) if x >= lo]
    return np.unique(np.concatenate([np.linspace(lo, hi, n), np.array(pts, dtype=float)]))


def curve_frame(curve: Any, lo: float = 0.0, hi: float = 1.5, n: int = 301) -> pd.DataFrame:
    """Attainment -> payout fraction of one curve on a grid, columns ``attainment``, ``payout``.

    Examples
    --------
    >>> from compcore.plan.editing import curve_or_none
    >>> c = curve_or_none({"kind": "steps", "steps": [[0.8, 0.5], [1, 1]]})
    >>> df = curve_frame(c, 0, 1.2, 13)
    >>> float(df.loc[df.attainment.round(9) == 0.9, "payout"].iloc[0])
    0.5
    """
    a = _grid(lo, hi, n, breakpoints(curve))
    return pd.DataFrame({"attainment": a, "payout": evaluate_curve(curve, a)})


def component_curves(plan: Plan, lo: float | None = None, hi: float | None = None, n: int = 301) -> pd.DataFrame:
    """Every component's own curve (unweighted, before gates), long format.

    Columns: ``component`` (id), ``label`` (name or id), ``metric``, ``weight``,
    ``attainment``, ``payout``.
    """
    rlo, rhi = attainment_range(plan)
    lo, hi = (rlo if lo is None else lo), (rhi if hi is None else hi)
    frames = []
    for c in plan.components:
        df = curve_frame(c.curve, lo, hi, n)
        df.insert(0, "component", c.id)
        df.insert(1, "label", c.name or c.id)
        df.insert(2, "metric", c.metric)
        df.insert(3, "weight", c.weight)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def _held_actuals(plan: Plan, held: Mapping[str, float]) -> dict[str, Any]:
    return {m.id: actual_for(m, held.get(m.id, 1.0)) for m in plan.metrics}


def sweep(plan: Plan, metric_id: str, held: Mapping[str, float] | None = None,
          lo: float | None = None, hi: float | None = None, n: int = 301) -> pd.DataFrame:
    """The whole plan's payout as one metric's attainment varies, the others held.

    Parameters
    ----------
    held : {metric id: attainment} for the other metrics (default 1.0 = on target)

    Returns
    -------
    DataFrame with ``attainment`` (of ``metric_id``), ``value`` (the metric's
    actual), ``total`` (plan payout fraction, after gates, modifiers and cap)
    and one column per component id with its weighted share.
    """
    metric = plan.metric(metric_id)
    rlo, rhi = attainment_range(plan)
    lo, hi = (rlo if lo is None else lo), (rhi if hi is None else hi)
    extra = [x for c in plan.components if c.metric == metric_id for x in breakpoints(c.curve)]
    extra += [g.below for g in plan.gates if g.metric == metric_id]
    a = _grid(lo, hi, n, extra)
    actuals = _held_actuals(plan, held or {})
    actuals[metric_id] = actual_for(metric, a)
    res = payout(plan, actuals)
    df = pd.DataFrame({"attainment": a, "value": actuals[metric_id], "total": res.total})
    for cid, share in res.components.items():
        df[cid] = share
    return df


def heatmap(plan: Plan, x_metric: str, y_metric: str, held: Mapping[str, float] | None = None,
            lo: float | None = None, hi: float | None = None, n: int = 61) -> pd.DataFrame:
    """Total payout on an n x n grid of two metrics' attainments, the others held.

    Columns ``x``, ``y`` (attainments) and ``total``. A gate on either metric
    shows as a sharp edge in ``total``.
    """
    if x_metric == y_metric:
        raise ValueError("choose two different metrics for the heatmap")
    rlo, rhi = attainment_range(plan)
    lo, hi = (rlo if lo is None else lo), (rhi if hi is None else hi)
    axis = np.linspace(lo, hi, n)
    gx, gy = np.meshgrid(axis, axis)
    actuals = _held_actuals(plan, held or {})
    actuals[x_metric] = actual_for(plan.metric(x_metric), gx)
    actuals[y_metric] = actual_for(plan.metric(y_metric), gy)
    total = np.asarray(payout(plan, actuals).total)
    return pd.DataFrame({"x": gx.ravel(), "y": gy.ravel(), "total": total.ravel()})


@dataclass(frozen=True)
class Earnings:
    """What one person earns in one period for given actuals.

    Attributes
    ----------
    rows : one row per component: component, metric, actual, attainment,
        payout (fraction after its gates/modifiers), weight, share (weighted), money
    total : plan payout as a fraction of target incentive
    target_per_period : the person's target incentive for one period (money)
    money : total x target_per_period
    gates_fired : one sentence per gate that fired
    multiplier : product of plan-level modifiers
    """

    rows: pd.DataFrame
    total: float
    target_per_period: float
    money: float
    gates_fired: list[str] = field(default_factory=list)
    multiplier: float = 1.0



def earnings(plan: Plan, actuals: Mapping[str, float], base_salary: float,
             target_incentive: Mapping[str, float] | TargetIncentive | None = None) -> Earnings:
    """The "what would someone earn" calculator.

    Money for component c = per-period target incentive x weight_c x payout_c;
    the plan-level modifiers, gates and cap then act on the sum, so the rows'
    money can add up to more than ``money`` when a plan gate or cap bites.

    Examples
    --------
    >>> from compcore.plan.schema import load_plan
    >>> p = load_plan({"name": "x", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
    ...     "metrics": [{"id": "m", "name": "M", "target": 1}],
    ...     "components": [{"id": "c", "metric": "m", "weight": 1,
    ...                     "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    >>> earnings(p, {"m": 0.9}, 100_000).money
    2250.0
    """
    if not math.isfinite(base_salary) or base_salary < 0:
        raise ValueError("base salary must be a non-negative number")
    ti = plan.target_incentive
    if target_incentive is not None:
        ti = target_incentive if isinstance(target_incentive, TargetIncentive) \
            else TargetIncentive.model_validate(dict(target_incentive))
    per_period = float(plan.period_target_incentive(base_salary, ti))
    res = payout(plan, {k: float(v) for k, v in actuals.items()})
    rows = pd.DataFrame([
        {"component": c.name or c.id, "metric": plan.metric(c.metric).name,
         "actual": float(actuals[c.metric]), "attainment": res.attainments[c.metric],
         "payout": res.fractions[c.id], "weight": c.weight, "share": res.components[c.id],
         "money": res.components[c.id] * per_period}
        for c in plan.components
    ])
    return Earnings(rows=rows, total=float(res.total), target_per_period=per_period,
                    money=float(res.total) * per_period, gates_fired=explain_gates(plan, res),
                    multiplier=float(res.multiplier))


def histogram_frame(values: Any, bins: int = 40, lo: float | None = None, hi: float | None = None) -> pd.DataFrame:
    """Binned values for a bar chart: columns ``lo``, ``hi``, ``count``, ``share`` (of all values).

    Binning here keeps the chart small (a browser draws 40 bars, not 10,000 points).

    Examples
    --------
    >>> histogram_frame([0, 1, 1, 2], bins=2)["count"].tolist()
    [1, 3]
    """
    x = np.asarray(values, dtype=float).ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        return pd.DataFrame({"lo": [], "hi": [], "count": [], "share": []})
    a = float(x.min()) if lo is None else lo
    b = float(x.max()) if hi is None else hi
    if b <= a:
        b = a + (abs(a) * 0.01 or 1.0)
    counts, edges = np.histogram(x, bins=bins, range=(a, b))
    return pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "count": counts, "share": counts / x.size})

