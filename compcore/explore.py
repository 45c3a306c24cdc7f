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
from compcore.distributions import Distribution
from compcore.errors import PlanError
from compcore.payout import payout
from compcore.plan import PERIODS_PER_YEAR, TOLERANCE, Curve, Metric, Plan, TargetIncentive, plan_error_from

__all__ = [
    "DIST_PARAMS",
    "Earnings",
    "Guardrail",
    "actual_for",
    "attainment_range",
    "component_curves",
    "convert_curve",
    "curve_frame",
    "curve_or_none",
    "default_assumption",
    "earnings",
    "guardrails",
    "heatmap",
    "histogram_frame",
    "preview_samples",
    "reconcile_scenario",
    "sweep",
    "threshold_of",
    "with_threshold",
]

_CURVE = TypeAdapter(Curve)
_DIST: TypeAdapter[Any] = TypeAdapter(Distribution)


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
    pts = [x for b in extra if lo <= b <= hi for x in (b - eps, b) if x >= lo]
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
        by_id = {c.id: c.name or c.id for c in plan.components}
        where = "the total" if g.applies_to == "all" else " and ".join(by_id.get(x, x) for x in g.applies_to)
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


def threshold_of(curve: Mapping[str, Any]) -> float:
    """Where a curve dict starts paying: the first point / step, or a tiers curve's threshold (0 if none)."""
    if curve.get("kind") == "tiers":
        return _num(curve.get("threshold")) or 0.0
    pts = curve.get("points" if curve.get("kind") == "linear" else "steps") or []
    return (_num(pts[0][0]) or 0.0) if pts and isinstance(pts[0], list | tuple) and pts[0] else 0.0


def with_threshold(curve: Mapping[str, Any], threshold: float) -> dict[str, Any]:
    """A copy of a curve dict starting to pay at ``threshold`` (moves the first point / step)."""
    out = dict(curve)
    if out.get("kind") == "tiers":
        out["threshold"] = threshold if threshold > 0 else None
        if out["threshold"] is None:
            del out["threshold"]
        return out
    field_name = "points" if out.get("kind") == "linear" else "steps"
    pts = [list(p) for p in out.get(field_name) or []]
    if pts:
        pts[0][0] = threshold
    out[field_name] = pts
    return out


def convert_curve(curve: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The curve dict re-expressed as another kind, paying as close to the same as that kind allows.

    linear <-> steps keep the points; linear -> tiers uses each segment's slope
    as a marginal rate (exactly the same payout); anything -> linear / steps
    samples the old curve at its breakpoints. The cap is kept. An invalid
    curve becomes the default curve of the new kind.

    Examples
    --------
    >>> convert_curve({"kind": "linear", "points": [[0.8, 0.5], [1, 1]]}, "steps")
    {'kind': 'steps', 'steps': [[0.8, 0.5], [1.0, 1.0]]}
    """
    if curve.get("kind") == kind:
        return dict(curve)
    old = curve_or_none(curve)
    cap = {"cap": curve["cap"]} if _num(curve.get("cap")) is not None else {}
    if old is None:
        defaults = {
            "linear": {"kind": "linear", "points": [[0.0, 0.0], [1.0, 1.0]]},
            "steps": {"kind": "steps", "steps": [[0.8, 0.5], [1.0, 1.0]]},
            "tiers": {"kind": "tiers", "bands": [{"from": 0.0, "rate": 1.0}, {"from": 1.0, "rate": 1.5}]},
        }
        return {**defaults[kind], **cap}
    xs = sorted(set(_breakpoints(old)) | {1.0})
    if old.kind == "tiers":
        xs.append(xs[-1] + 0.25)
    xs_arr = np.array(xs, dtype=float)
    ys = evaluate_curve(old.model_copy(update={"cap": None}), xs_arr)
    pts = [[float(x), float(y)] for x, y in zip(xs_arr, ys, strict=True)]
    if old.kind == "linear":
        pts = [[float(x), float(y)] for x, y in old.points]
    if kind == "steps":
        return {"kind": "steps", "steps": [p for p in pts if p[1] > 0 or p[0] > 0] or [[1.0, 1.0]], **cap}
    if kind == "linear":
        if len(pts) < 2:
            pts.append([pts[-1][0] + 0.25, pts[-1][1]])
        return {"kind": "linear", "points": pts, **cap}
    # tiers: marginal rates equal to the slopes, first band from 0 reaching the first point's payout
    (x0, y0) = pts[0]
    bands = [{"from": 0.0, "rate": y0 / x0}] if x0 > 0 else []
    for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
        bands.append({"from": xa, "rate": (yb - ya) / (xb - xa)})
    if not (old.kind == "linear" and old.above == "extend"):
        bands.append({"from": pts[-1][0], "rate": 0.0})
    out: dict[str, Any] = {"kind": "tiers", "bands": bands, "mode": "marginal"}
    if x0 > 0:
        out["threshold"] = x0
    return {**out, **cap}


#: parameters of each distribution, in the order a form shows them
DIST_PARAMS: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "sd"), "lognormal": ("mean", "sd"), "triangular": ("low", "mode", "high"),
    "beta": ("a", "b", "scale"), "binomial": ("n", "p"), "poisson": ("mean",), "fixed": ("value",),
    "empirical": ("values",),
}


def default_assumption(metric: Mapping[str, Any], dist: str = "normal") -> dict[str, Any]:
    """A starting assumption of kind ``dist`` for a metric, centred on its target (10% spread).

    Examples
    --------
    >>> default_assumption({"target": 0.9})
    {'dist': 'normal', 'mean': 0.9, 'sd': 0.09}
    >>> default_assumption({"target": 6}, "triangular")
    {'dist': 'triangular', 'low': 4.8, 'mode': 6.0, 'high': 6.6}
    """
    t = _num(metric.get("target")) or 1.0
    r = lambda x: round(x, 6)  # noqa: E731
    shapes: dict[str, dict[str, Any]] = {
        "normal": {"mean": t, "sd": r(0.1 * t)},
        "lognormal": {"mean": t, "sd": r(0.1 * t)},
        "triangular": {"low": r(0.8 * t), "mode": r(t), "high": r(1.1 * t)},
        "beta": {"a": 9.0, "b": 1.0, "scale": r(t / 0.9)},
        "binomial": {"n": 20, "p": r(min(max(t, 0.01), 0.99))},
        "poisson": {"mean": t},
        "fixed": {"value": t},
        "empirical": {"values": [r(0.9 * t), t, r(1.1 * t)]},
    }
    if dist not in shapes:
        raise PlanError(f"unknown distribution {dist!r}; use one of: {', '.join(shapes)}")
    return {"dist": dist, **shapes[dist]}


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


def preview_samples(assumption: Mapping[str, Any], n: int = 2000, seed: int = 0) -> np.ndarray:
    """Samples of one metric assumption, for a small preview of its distribution.

    Uses the simulation's own distributions (:mod:`compcore.distributions`), so
    the preview shows exactly what the Monte Carlo draws from.

    Raises
    ------
    PlanError
        for an unknown distribution or invalid parameters.
    """
    try:
        dist = _DIST.validate_python(dict(assumption))
    except ValidationError as e:
        raise plan_error_from(e) from None
    return np.asarray(dist.sample(np.random.default_rng(seed), (n,)), dtype=float)
