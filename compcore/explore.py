"""Exploring a plan: curve grids, sweeps, heatmaps, an earnings calculator and guardrails.

Everything the app draws is computed here, as pure functions returning pandas
DataFrames or plain values, so that pages only lay out widgets and charts and
every number is tested without a browser. Attainments are fractions (1.0 = on
target); payouts are fractions of target incentive (1.0 = on-target payout).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from compcore.curves import evaluate_curve
from compcore.errors import PlanError
from compcore.payout import payout
from compcore.plan import PERIODS_PER_YEAR, TOLERANCE, Curve, Metric, Plan, TargetIncentive

__all__ = [
    "Earnings",
    "Guardrail",
    "actual_for",
    "attainment_range",
    "component_curves",
    "curve_frame",
    "curve_or_none",
    "default_assumption",
    "earnings",
    "guardrails",
    "heatmap",
    "preview_samples",
    "reconcile_scenario",
    "sweep",
]

_CURVE = TypeAdapter(Curve)


def curve_or_none(data: Any) -> Any:
    """The curve object for a curve dict, or None when the dict is not a valid curve.

    The designer draws the curve being edited from what the user typed as soon as
    that curve alone is valid, even if the rest of the plan is not (yet).
    """
    try:
        return _CURVE.validate_python(data)
    except (ValidationError, PlanError, TypeError, ValueError):
        return None


def _breakpoints(curve: Any) -> list[float]:
    if curve.kind == "linear":
        return [p[0] for p in curve.points]
    if curve.kind == "steps":
        return [s[0] for s in curve.steps]
    xs = [b.start for b in curve.bands]
    return xs + ([curve.threshold] if curve.threshold is not None else [])


def attainment_range(plan_or_curves: Plan | list[Any], margin: float = 0.2) -> tuple[float, float]:
    """An attainment axis that shows every breakpoint: 0 to the last breakpoint + ``margin``, at least 150%.

    Examples
    --------
    >>> c = curve_or_none({"kind": "linear", "points": [[0.8, 0.5], [1.3, 2]]})
    >>> attainment_range([c])
    (0.0, 1.5)
    """
    if isinstance(plan_or_curves, Plan):
        curves = [c.curve for c in plan_or_curves.components] + [m.curve for m in plan_or_curves.modifiers]
        extra = [g.below for g in plan_or_curves.gates]
    else:
        curves, extra = list(plan_or_curves), []
    xs = [x for c in curves if c is not None for x in _breakpoints(c)] + extra + [1.0]
    hi = max(1.5, math.ceil((max(xs) + margin) * 20 - 1e-9) / 20)
    return 0.0, round(hi, 4)


def _grid(lo: float, hi: float, n: int, extra: list[float]) -> np.ndarray:
    # breakpoints are added on both sides so steps and thresholds draw as vertical edges, not slopes
    eps = 1e-6
    pts = [x for b in extra if lo <= b <= hi for x in (b - eps, b)]
    return np.unique(np.concatenate([np.linspace(lo, hi, n), np.array(pts, dtype=float)]))


def curve_frame(curve: Any, lo: float = 0.0, hi: float = 1.5, n: int = 301) -> pd.DataFrame:
    """Attainment -> payout fraction of one curve on a grid, columns ``attainment``, ``payout``.

    Examples
    --------
    >>> c = curve_or_none({"kind": "steps", "steps": [[0.8, 0.5], [1, 1]]})
    >>> df = curve_frame(c, 0, 1.2, 13)
    >>> float(df.loc[df.attainment == 0.9, "payout"].iloc[0])
    0.5
    """
    a = _grid(lo, hi, n, _breakpoints(curve))
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


def actual_for(metric: Metric, attainment: Any) -> Any:
    """The metric value that gives this attainment (inverse of :func:`compcore.payout.attainment`).

    Examples
    --------
    >>> actual_for(Metric(id="churn", name="Churn", target=0.05, direction="lower"), 1.5)
    0.025
    """
    a = np.asarray(attainment, dtype=float)
    out = a * metric.target if metric.direction == "higher" else (2.0 - a) * metric.target
    return float(out) if out.ndim == 0 else out


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
    extra = [x for c in plan.components if c.metric == metric_id for x in _breakpoints(c.curve)]
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


def _pct(x: float) -> str:
    return f"{x * 100:.4g}%"


def earnings(plan: Plan, actuals: Mapping[str, float], base_salary: float,
             target_incentive: Mapping[str, float] | TargetIncentive | None = None) -> Earnings:
    """The "what would someone earn" calculator.

    Money for component c = per-period target incentive x weight_c x payout_c;
    the plan-level modifiers, gates and cap then act on the sum, so the rows'
    money can add up to more than ``money`` when a plan gate or cap bites.

    Examples
    --------
    >>> from compcore.plan import load_plan
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
    per_period = float(ti.annual(base_salary)) / PERIODS_PER_YEAR[plan.period]
    res = payout(plan, {k: float(v) for k, v in actuals.items()})
    rows = pd.DataFrame([
        {"component": c.name or c.id, "metric": plan.metric(c.metric).name,
         "actual": float(actuals[c.metric]), "attainment": res.attainments[c.metric],
         "payout": res.fractions[c.id], "weight": c.weight, "share": res.components[c.id],
         "money": res.components[c.id] * per_period}
        for c in plan.components
    ])
    fired = []
    for g in res.gates:
        if not g.fired:
            continue
        name = plan.metric(g.metric).name
        where = "the total" if g.applies_to == "all" else ", ".join(g.applies_to)
        what = "pays nothing (circuit breaker)" if g.cap == 0 else f"is capped at {_pct(g.cap)}"
        fired.append(f"{name} at {_pct(res.attainments[g.metric])} is below {_pct(g.below)}: {where} {what}")
    return Earnings(rows=rows, total=float(res.total), target_per_period=per_period,
                    money=float(res.total) * per_period, gates_fired=fired, multiplier=float(res.multiplier))


@dataclass(frozen=True)
class Guardrail:
    """A warning about a plan that is valid but probably not what its designer wants."""

    path: str
    message: str


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def guardrails(plan_data: Mapping[str, Any], max_metrics: int = 3) -> list[Guardrail]:
    """Design warnings for a plan dict (works on drafts that do not validate yet).

    Warns when there are more than ``max_metrics`` metrics, when weights do not
    sum to 100%, when a threshold lies above target, when a curve pays more
    somewhere below target than at target, and when a cap is below 100%.

    Examples
    --------
    >>> [g.message for g in guardrails({"metrics": [{}, {}, {}, {}], "components": []})][0]
    '4 metrics: plans with more than 3 are hard to explain and to manage; keep the equation simple'
    """
    out: list[Guardrail] = []
    metrics = plan_data.get("metrics") or []
    components = plan_data.get("components") or []
    if len(metrics) > max_metrics:
        out.append(Guardrail("metrics", f"{len(metrics)} metrics: plans with more than {max_metrics} are hard "
                                        "to explain and to manage; keep the equation simple"))
    weights = [_num(c.get("weight")) for c in components if isinstance(c, Mapping)]
    if components and all(w is not None for w in weights) and abs(sum(weights) - 1.0) > 1e-6:  # type: ignore[arg-type]
        out.append(Guardrail("components", f"weights sum to {sum(weights) * 100:.4g}%, not 100%"))  # type: ignore[arg-type]
    for i, c in enumerate(components):
        if not isinstance(c, Mapping):
            continue
        label = c.get("name") or c.get("id") or f"component {i + 1}"
        out += _curve_guardrails(c.get("curve"), f"components[{i}].curve", str(label))
    plan_cap = _num(plan_data.get("cap"))
    if plan_cap is not None and plan_cap < 1.0 - TOLERANCE:
        out.append(Guardrail("cap", f"the plan cap ({_pct(plan_cap)}) is below 100%: nobody can earn the "
                                    "on-target incentive"))
    return out


def _curve_guardrails(data: Any, path: str, label: str) -> list[Guardrail]:
    curve = curve_or_none(data)
    if curve is None:
        return []
    out = []
    xs = _breakpoints(curve)
    if curve.kind == "tiers":
        threshold = curve.threshold or 0.0
    else:
        threshold = xs[0]  # the first point / step is where payout starts
    if threshold > 1.0 + TOLERANCE:
        out.append(Guardrail(path, f"{label}: the threshold ({_pct(threshold)}) is above target, "
                                   "so on-target performance pays nothing"))
    a = np.unique(np.concatenate([np.linspace(0, 1, 201), [x for x in xs if x <= 1]]))
    below = evaluate_curve(curve, a[a < 1.0 - TOLERANCE])
    at = float(evaluate_curve(curve, np.array(1.0)))
    if below.size and below.max() > at + 1e-9:
        out.append(Guardrail(path, f"{label}: pays more below target ({_pct(float(below.max()))}) than at "
                                   f"target ({_pct(at)})"))
    if curve.cap is not None and curve.cap < 1.0 - TOLERANCE:
        out.append(Guardrail(f"{path}.cap", f"{label}: its cap ({_pct(curve.cap)}) is below 100%, so it never "
                                            "pays the on-target amount"))
    return out


def default_assumption(metric: Mapping[str, Any]) -> dict[str, Any]:
    """A starting assumption for a new metric: normal around its target with a 10% spread."""
    target = _num(metric.get("target")) or 1.0
    return {"dist": "normal", "mean": target, "sd": round(0.1 * target, 6)}


def reconcile_scenario(data: Mapping[str, Any]) -> dict[str, Any]:
    """A scenario dict whose assumptions and correlations match its plan's metrics.

    After a plan edit that adds or removes a metric, a new metric gets
    :func:`default_assumption`, a removed one loses its assumption and any
    correlation that names it. Everything else is kept as it was.
    """
    out = dict(data)
    plan = out.get("plan") or {}
    metrics = [m for m in plan.get("metrics") or [] if isinstance(m, Mapping)]
    ids = [m.get("id") for m in metrics]
    old = dict(out.get("assumptions") or {})
    out["assumptions"] = {m["id"]: old.get(m["id"]) or default_assumption(m) for m in metrics if m.get("id")}
    out["correlations"] = [c for c in out.get("correlations") or []
                           if isinstance(c, Mapping) and all(x in ids for x in c.get("between", []))]
    return out


def preview_samples(assumption: Mapping[str, Any], n: int = 2000, seed: int = 0) -> np.ndarray:
    """Samples of one metric assumption, for a small preview of its distribution.

    Same parameterisation as the simulation (DESIGN.md): ``normal`` (mean, sd),
    ``triangular`` (low, mode, high), ``binomial`` (n, p; the share k/n),
    ``poisson`` (mean), ``empirical`` (values), ``fixed`` (value), ``beta``
    (a, b, optional scale), ``lognormal`` (mean, sd of the value).

    Raises
    ------
    PlanError
        for an unknown distribution or parameters it cannot draw from.
    """
    rng = np.random.default_rng(seed)
    d = dict(assumption)
    kind = d.get("dist")
    try:
        if kind == "normal":
            return rng.normal(float(d["mean"]), float(d["sd"]), n)
        if kind == "triangular":
            return rng.triangular(float(d["low"]), float(d["mode"]), float(d["high"]), n)
        if kind == "binomial":
            k = int(d["n"])
            return rng.binomial(k, float(d["p"]), n) / k
        if kind == "poisson":
            return rng.poisson(float(d["mean"]), n).astype(float)
        if kind == "empirical":
            return rng.choice(np.asarray(d["values"], dtype=float), n)
        if kind == "fixed":
            return np.full(n, float(d["value"]))
        if kind == "beta":
            return rng.beta(float(d["a"]), float(d["b"]), n) * float(d.get("scale", 1.0))
        if kind == "lognormal":
            mean, sd = float(d["mean"]), float(d["sd"])
            sigma2 = math.log1p((sd / mean) ** 2)
            return rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), n)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as e:
        raise PlanError(f"{kind}: cannot draw from these parameters ({e})") from None
    raise PlanError(f"unknown distribution {kind!r}")
