"""Payout: actual metric values -> payout as a fraction of target incentive.

Order of evaluation (DESIGN.md): attainments -> component curves -> component
gates -> component modifiers -> weighted sum -> plan modifiers -> plan gates ->
plan cap. Everything broadcasts over numpy arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from compcore.plan.curves import evaluate_curve
from compcore.plan.schema import TOLERANCE, Metric, Plan, load_plan

__all__ = ["GateEffect", "PayoutParts", "PayoutResult", "actual_for", "attainment", "combine", "payout", "payout_parts",
           "payout_total"]


@dataclass(frozen=True)
class GateEffect:
    """A gate of the plan, where it fired, and where it actually cut pay (bool, or bool arrays).

    A gate can fire without cutting: OKRs at 50% fire a "cap at 100%" gate, but
    the payout is already below 100%.
    """

    index: int
    metric: str
    below: float
    cap: float
    applies_to: str | tuple[str, ...]
    fired: Any
    cut: Any = False


@dataclass(frozen=True)
class PayoutResult:
    """What a plan pays for given actuals.

    Attributes
    ----------
    total : payout as a fraction of target incentive (float or array)
    components : {component id: weight x its payout fraction}, the share of the total
    fractions : {component id: payout fraction after its gates and modifiers, unweighted}
    attainments : {metric id: attainment}
    gates : each gate and where it fired
    multiplier : product of the plan-level modifiers
    """

    total: Any
    components: dict[str, Any]
    fractions: dict[str, Any] = field(default_factory=dict)
    attainments: dict[str, Any] = field(default_factory=dict)
    gates: list[GateEffect] = field(default_factory=list)
    multiplier: Any = 1.0


def attainment(metric: Metric, value: Any) -> np.ndarray:
    """Attainment of a metric value: ``value / target`` or, lower-is-better, ``2 - value / target``.

    Examples
    --------
    >>> m = Metric(id="churn", name="Gross churn", target=0.05, direction="lower")
    >>> attainment(m, np.array([0.05, 0.025, 0.1])).tolist()
    [1.0, 1.5, 0.0]
    """
    ratio = np.asarray(value, dtype=float) / metric.target
    return ratio if metric.direction == "higher" else 2.0 - ratio


def actual_for(metric: Metric, attainment_value: Any) -> Any:
    """The actual value that gives this attainment (the inverse of :func:`attainment`).

    Examples
    --------
    >>> m = Metric(id="adoption_90d", name="Adopted within 90 days", target=0.9)
    >>> round(actual_for(m, 0.8), 6)
    0.72
    """
    a = np.asarray(attainment_value, dtype=float)
    out = metric.target * a if metric.direction == "higher" else metric.target * (2.0 - a)
    return float(out) if out.ndim == 0 else out


def _gate_fired(att: np.ndarray, below: float) -> np.ndarray:
    # strictly below, with tolerance: exactly-at (after float error) is not below
    return att < below - TOLERANCE


def _check_actuals(plan: Plan, actuals: Mapping[str, Any]) -> dict[str, np.ndarray]:
    values: dict[str, np.ndarray] = {}
    for m in plan.metrics:
        if m.id not in actuals:
            raise ValueError(f'missing actual for metric "{m.id}" ({m.name}); every plan metric needs one')
        try:
            v = np.asarray(actuals[m.id], dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f'actual for metric "{m.id}" must be a number, got {actuals[m.id]!r}') from None
        if v.size:
            lo, hi = v.min(), v.max()  # min/max propagate NaN and show an infinity: no boolean array
            if np.isnan(lo):
                raise ValueError(f'actual for metric "{m.id}" is NaN (not a number)')
            if not (np.isfinite(lo) and np.isfinite(hi)):
                raise ValueError(f'actual for metric "{m.id}" is infinite; give a finite number')
        values[m.id] = v
    return values


def payout(plan: Plan | dict[str, Any] | str, actuals: Mapping[str, Any]) -> PayoutResult:
    """Payout of a plan for actual metric values.

    Parameters
    ----------
    plan : Plan (or anything :func:`~compcore.plan.schema.load_plan` accepts)
    actuals : {metric id: value}, values as floats or numpy arrays (broadcast together)

    Returns
    -------
    PayoutResult
        ``total`` as a fraction of target incentive; floats if every actual is a
        scalar, else arrays of the broadcast shape.

    Notes
    -----
    ``total = min(cap, gates(mods(sum_c w_c * mods_c(gates_c(curve_c(a_c))))))``

    Examples
    --------
    Seed 000: OKRs at 90% and company at 120% pays 100%, because the OKR gate caps it.

    >>> plan = load_plan("sample_data/plans/cs_ops_enablement.json")
    >>> payout(plan, {"team_okr": 0.9, "company_arr": 1.2}).total
    1.0
    """
    plan = load_plan(plan)
    values = _check_actuals(plan, actuals)
    scalar = all(v.ndim == 0 for v in values.values())
    att = {m.id: attainment(m, values[m.id]) for m in plan.metrics}
    gates = [
        GateEffect(i, g.metric, g.below, g.cap,
                   g.applies_to if g.applies_to == "all" else tuple(g.applies_to),
                   _gate_fired(att[g.metric], g.below))
        for i, g in enumerate(plan.gates)
    ]
    cut: dict[int, Any] = {g.index: False for g in gates}
    fractions: dict[str, np.ndarray] = {}
    for c in plan.components:
        frac = evaluate_curve(c.curve, att[c.metric])
        for g in gates:
            if g.applies_to != "all" and c.id in g.applies_to:
                cut[g.index] = cut[g.index] | (g.fired & (frac > g.cap + TOLERANCE))
                frac = np.where(g.fired, np.minimum(frac, g.cap), frac)
        for mod in plan.modifiers:
            if mod.applies_to != "all" and c.id in mod.applies_to:
                frac = frac * evaluate_curve(mod.curve, att[mod.metric])
        fractions[c.id] = frac
    shares = {c.id: c.weight * fractions[c.id] for c in plan.components}
    parts = list(shares.values())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    multiplier: Any = 1.0
    for mod in plan.modifiers:
        if mod.applies_to == "all":
            multiplier = multiplier * evaluate_curve(mod.curve, att[mod.metric])
    if any(mod.applies_to == "all" for mod in plan.modifiers):
        total = total * multiplier
    for g in gates:
        if g.applies_to == "all":
            cut[g.index] = g.fired & (total > g.cap + TOLERANCE)
            total = np.where(g.fired, np.minimum(total, g.cap), total)
    gates = [replace(g, cut=cut[g.index]) for g in gates]
    if plan.cap is not None:
        total = np.minimum(total, plan.cap)
    if scalar:
        return PayoutResult(
            total=float(total),
            components={k: float(v) for k, v in shares.items()},
            fractions={k: float(v) for k, v in fractions.items()},
            attainments={k: float(v) for k, v in att.items()},
            gates=[replace(g, fired=bool(g.fired), cut=bool(g.cut)) for g in gates],
            multiplier=float(multiplier),
        )
    shape = np.broadcast_shapes(*(v.shape for v in values.values()))
    return PayoutResult(
        total=np.broadcast_to(total, shape),
        components={k: np.broadcast_to(v, shape) for k, v in shares.items()},
        fractions={k: np.broadcast_to(v, shape) for k, v in fractions.items()},
        attainments=att,
        gates=gates,
        multiplier=multiplier,
    )


def _limit(att: np.ndarray, below: float, cap: float) -> np.ndarray:
    """What a gate lets through: ``cap`` where it fired, unbounded elsewhere.

    ``min(x, limit)`` is the masked ``where(fired, min(x, cap), x)`` without the
    select (x is never NaN), one pass per gate however many parts it caps.
    """
    return np.where(_gate_fired(att, below), cap, np.inf)


@dataclass(frozen=True)
class PayoutParts:
    """Everything of a payout that reads attainments: each curve, gate and modifier evaluated once.

    :func:`combine` turns them into the total. Sensitivity re-pricing with one
    metric held fixed swaps in that metric's parts (:meth:`with_metric`) and
    recombines, instead of evaluating every curve again.
    """

    plan: Plan
    curves: dict[str, np.ndarray]   # component id -> payout fraction of its curve (with the curve's cap)
    limits: tuple[np.ndarray, ...]  # per gate: cap where it fired, inf elsewhere
    mods: tuple[np.ndarray, ...]    # per modifier: its multiplier
    shape: tuple[int, ...]          # broadcast shape of the actuals

    def with_metric(self, metric_id: str, value: Any) -> PayoutParts:
        """These parts with ``metric_id``'s actual replaced by ``value`` (everywhere); the rest reused."""
        plan = self.plan
        att = _attainments(plan, {metric_id: np.asarray(value, dtype=float)}, only=metric_id)
        a = att[metric_id]
        curves = {c.id: (np.asarray(evaluate_curve(c.curve, a), dtype=float) if c.metric == metric_id
                         else self.curves[c.id]) for c in plan.components}
        limits = tuple(_limit(a, g.below, g.cap) if g.metric == metric_id else old
                       for g, old in zip(plan.gates, self.limits, strict=True))
        mods = tuple(np.asarray(evaluate_curve(mod.curve, a), dtype=float) if mod.metric == metric_id else old
                     for mod, old in zip(plan.modifiers, self.mods, strict=True))
        return PayoutParts(plan, curves, limits, mods, self.shape)


def _attainments(plan: Plan, values: Mapping[str, np.ndarray], only: str | None = None) -> dict[str, np.ndarray]:
    att = {}
    for m in plan.metrics:
        if only is not None and m.id != only:
            continue
        ratio = np.divide(values[m.id], m.target, out=np.empty(np.shape(values[m.id])))
        att[m.id] = ratio if m.direction == "higher" else np.subtract(2.0, ratio, out=ratio)
    return att


def payout_parts(plan: Plan | dict[str, Any] | str, actuals: Mapping[str, Any]) -> PayoutParts:
    """Each curve, gate and modifier of the plan evaluated at ``actuals`` (see :func:`combine`)."""
    plan = load_plan(plan)
    values = _check_actuals(plan, actuals)
    att = _attainments(plan, values)
    return PayoutParts(
        plan,
        {c.id: np.asarray(evaluate_curve(c.curve, att[c.metric]), dtype=float) for c in plan.components},
        tuple(_limit(att[g.metric], g.below, g.cap) for g in plan.gates),
        tuple(np.asarray(evaluate_curve(mod.curve, att[mod.metric]), dtype=float) for mod in plan.modifiers),
        np.broadcast_shapes(*(v.shape for v in values.values())),
    )


def _op(ufunc: Any, x: np.ndarray, y: Any, mine: bool) -> np.ndarray:
    """``ufunc(x, y)``, written into ``x`` when x is ours to overwrite and already has the broadcast shape."""
    if mine and (np.shape(y) == () or np.broadcast_shapes(x.shape, np.shape(y)) == x.shape):
        return ufunc(x, y, out=x)
    return np.asarray(ufunc(x, y))  # a 0-d result comes back as a numpy scalar: keep it an array


def combine(parts: PayoutParts, reuse: bool = True) -> np.ndarray:
    """The total payout fraction from evaluated parts: ``payout(plan, actuals).total``, bit for bit.

    The same operations in the same order as :func:`payout`. With ``reuse``
    the parts are left untouched (they can be combined again); without, their
    arrays are overwritten in place (one pass less per step).
    """
    plan = parts.plan
    total: np.ndarray | None = None
    for c in plan.components:
        frac, mine = parts.curves[c.id], not reuse
        for g, limit in zip(plan.gates, parts.limits, strict=True):
            if g.applies_to != "all" and c.id in g.applies_to:
                frac, mine = _op(np.minimum, frac, limit, mine), True
        for mod, value in zip(plan.modifiers, parts.mods, strict=True):
            if mod.applies_to != "all" and c.id in mod.applies_to:
                frac, mine = _op(np.multiply, frac, value, mine), True
        frac = _op(np.multiply, frac, c.weight, mine)
        total = frac if total is None else _op(np.add, total, frac, True)
    assert total is not None  # a plan has at least one component
    multiplier: Any = 1.0
    for mod, value in zip(plan.modifiers, parts.mods, strict=True):
        if mod.applies_to == "all":
            multiplier = multiplier * value
    if any(mod.applies_to == "all" for mod in plan.modifiers):
        total = _op(np.multiply, total, multiplier, True)
    for g, limit in zip(plan.gates, parts.limits, strict=True):
        if g.applies_to == "all":
            total = _op(np.minimum, total, limit, True)
    if plan.cap is not None:
        total = _op(np.minimum, total, plan.cap, True)
    return total if total.shape == parts.shape else np.broadcast_to(total, parts.shape)


def payout_total(plan: Plan | dict[str, Any] | str, actuals: Mapping[str, Any]) -> np.ndarray:
    """``payout(plan, actuals).total`` as an array, bit for bit, with less work: the Monte Carlo's kernel.

    The same operations in the same order as :func:`payout`, but nothing that
    only the breakdown needs (which gate cut where, each component's share),
    and each array is updated in place once made.

    Examples
    --------
    >>> plan = load_plan("sample_data/plans/cs_ops_enablement.json")
    >>> total = payout_total(plan, {"team_okr": np.array([0.9, 1.0]), "company_arr": 1.2})
    >>> [round(x, 6) for x in total.tolist()]
    [1.0, 1.3]
    """
    return combine(payout_parts(plan, actuals), reuse=False)
