"""Editing helpers for the plan designer: typed curves, thresholds, curve kinds, weights that add to 100%.

They work on curve *dicts* as the user typed them (a draft may not validate
yet) and return plain dicts, so the app can write them back into the scenario.
Attainments are fractions (1.0 = on target); payouts are fractions of target
incentive (1.0 = on-target payout).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import TypeAdapter, ValidationError

from compcore.errors import PlanError
from compcore.plan.curves import evaluate_curve
from compcore.plan.schema import NO_NAME, Curve, Plan

__all__ = [
    "breakpoints",
    "rebalance_weights",
    "convert_curve",
    "curve_or_none",
    "number_or_none",
    "prefill_bands",
    "prefill_points",
    "erased_component_names",
    "threshold_of",
    "with_threshold",
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


def breakpoints(curve: Any) -> list[float]:
    """The attainments where a (valid) curve changes: its points, its steps, its bands and threshold."""
    if curve.kind == "linear":
        return [p[0] for p in curve.points]
    if curve.kind == "steps":
        return [s[0] for s in curve.steps]
    xs = [b.start for b in curve.bands]
    return xs + ([curve.threshold] if curve.threshold is not None else [])


def number_or_none(x: Any) -> float | None:
    """``x`` as a finite float, or None when it is not a number (or is NaN / infinite)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def threshold_of(curve: Mapping[str, Any]) -> float:
    """Where a curve dict starts paying: the first point / step, or a tiers curve's threshold (0 if none)."""
    if curve.get("kind") == "tiers":
        return number_or_none(curve.get("threshold")) or 0.0
    pts = curve.get("points" if curve.get("kind") == "linear" else "steps") or []
    return (number_or_none(pts[0][0]) or 0.0) if pts and isinstance(pts[0], list | tuple) and pts[0] else 0.0


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
    cap = {"cap": curve["cap"]} if number_or_none(curve.get("cap")) is not None else {}
    if old is None:
        defaults = {
            "linear": {"kind": "linear", "points": [[0.0, 0.0], [1.0, 1.0]]},
            "steps": {"kind": "steps", "steps": [[0.8, 0.5], [1.0, 1.0]]},
            "tiers": {"kind": "tiers", "bands": [{"from": 0.0, "rate": 1.0}, {"from": 1.0, "rate": 1.5}]},
        }
        return {**defaults[kind], **cap}
    xs = sorted(set(breakpoints(old)) | {1.0})
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


def _apportion(total: int, shares: Sequence[float], minimum: int) -> list[int]:
    """``total`` whole units split in proportion to ``shares``, each at least ``minimum`` (largest remainder)."""
    n = len(shares)
    spare = total - n * minimum
    pos = [max(float(x), 0.0) for x in shares]
    basis = sum(pos)
    ideal = [spare * x / basis for x in pos] if basis > 0 else [spare / n] * n
    units = [math.floor(x) for x in ideal]
    # the leftover units go to the largest remainders; ties to the earlier component, so the result is stable
    for i in sorted(range(n), key=lambda i: (-(ideal[i] - units[i]), i))[: spare - sum(units)]:
        units[i] += 1
    return [u + minimum for u in units]


def rebalance_weights(weights: Sequence[float], changed: int | None = None, *, decimals: int = 0) -> list[float]:
    """Weights (fractions) in whole percents (or ``decimals`` places) adding to exactly 100%.

    When component ``changed`` was just set, it keeps that value (rounded, and
    kept between 1 step and 100% less 1 step for each other component), the
    components *to its right* share what is left in proportion to their
    weights, and those to its left keep theirs; when it is the last one, the
    components to its left share the rest. If the ones to the right cannot
    absorb the change (each keeps at least one step), every other component
    shares it. So setting the weights left to right reaches any combination a
    person can type (30/30/20/20 -> 40/30/15/15 in two moves). ``changed=None``
    rescales all of them (after adding or removing a component).

    Examples
    --------
    >>> rebalance_weights([0.4, 0.3, 0.2, 0.2], changed=0)
    [0.4, 0.26, 0.17, 0.17]
    >>> rebalance_weights([0.4, 0.3, 0.17, 0.17], changed=1)
    [0.4, 0.3, 0.15, 0.15]
    >>> rebalance_weights([0.3, 0.3, 0.4], changed=None)
    [0.3, 0.3, 0.4]
    """
    n = len(weights)
    if n == 0:
        return []
    per_pct = 10 ** decimals
    total = 100 * per_pct
    typed = [number_or_none(w) or 0.0 for w in weights]
    if n == 1:
        return [1.0]
    if changed is None:
        units = _apportion(total, typed, 1)
    else:
        fixed = min(max(round(typed[changed] * total), 1), total - (n - 1))
        right = list(range(changed + 1, n)) if changed < n - 1 else list(range(changed))
        keep = [i for i in range(n) if i != changed and i not in right]
        kept = {i: max(round(typed[i] * total), 1) for i in keep}
        if total - fixed - sum(kept.values()) < len(right):  # the right side cannot absorb it: all others share
            right, kept = [i for i in range(n) if i != changed], {}
        units = [0] * n
        units[changed] = fixed
        for i, u in kept.items():
            units[i] = u
        for i, u in zip(right, _apportion(total - fixed - sum(kept.values()), [typed[i] for i in right], 1),
                        strict=True):
            units[i] = u
    return [round(u / total, decimals + 2) for u in units]


_STEP_X = 0.1  # a new row sits 10 points of attainment after the last one


def prefill_points(points: Sequence[Sequence[Any]], kind: str = "linear") -> list[list[float]]:
    """Curve table rows (in the order typed) with blank cells filled in, so a new row is never an error.

    A blank attainment goes 10 points after the highest one above it; a blank payout
    continues the curve: a linear curve keeps its last slope (a new point
    above the last one is an accelerator, not a cliff), a step adds 25 points.
    The first row of an empty table is on target, paying 100%.

    Examples
    --------
    >>> prefill_points([[0.8, 0.5], [1.0, 1.0], [None, None]])
    [[0.8, 0.5], [1.0, 1.0], [1.1, 1.25]]
    >>> prefill_points([[0.8, 0.5], [1.0, 1.0], [None, None]], kind="steps")
    [[0.8, 0.5], [1.0, 1.0], [1.1, 1.25]]
    >>> prefill_points([[0.8, 0.5], [1.0, None]])
    [[0.8, 0.5], [1.0, 0.5]]
    """
    out: list[list[float]] = []
    for row in points:
        row = list(row) + [None] * (2 - len(row))
        x, y = number_or_none(row[0]), number_or_none(row[1])
        if x is None:
            x = round(max(p[0] for p in out) + _STEP_X, 10) if out else 1.0
        if y is None:
            if not out:
                y = 1.0
            elif kind == "linear" and len(out) >= 2 and out[-1][0] > out[-2][0]:
                (xa, ya), (xb, yb) = out[-2], out[-1]
                y = round(max(yb + (yb - ya) / (xb - xa) * (x - xb), 0.0), 10)
            elif kind == "steps" and x > out[-1][0]:
                y = round(out[-1][1] + 0.25, 10)
            else:
                y = out[-1][1]
        out.append([x, y])
    return out


def prefill_bands(bands: Sequence[Mapping[str, Any]]) -> list[dict[str, float]]:
    """Tier rows (in the order typed) with blank cells filled in: a new tier is an accelerator.

    A blank ``from`` goes 10 points after the band above it (at 100% when that
    band starts at 0); a blank ``rate`` is the band above's rate plus 0.5.

    Examples
    --------
    >>> prefill_bands([{"from": 0.0, "rate": 1.0}, {"from": None, "rate": None}])
    [{'from': 0.0, 'rate': 1.0}, {'from': 1.0, 'rate': 1.5}]
    """
    out: list[dict[str, float]] = []
    for band in bands:
        start, rate = number_or_none(band.get("from")), number_or_none(band.get("rate"))
        if start is None:
            start = 0.0 if not out else (1.0 if out[-1]["from"] < 1.0 else round(out[-1]["from"] + _STEP_X, 10))
        if rate is None:
            rate = 1.0 if not out else round(out[-1]["rate"] + 0.5, 10)
        out.append({"from": start, "rate": rate})
    return out


def erased_component_names(data: Mapping[str, Any], valid_plans: Mapping[str, Plan]) -> list[tuple[str, str]]:
    """Problems for components whose name was erased: blank in the draft ``data``, named in the valid plan.

    A component's name is optional in a file (it then reads as its metric's
    name), but a person who clears the name field gets a problem next to it and
    the last valid plan stays in use, so no label falls back to an id.
    Paths are the scenario's: ``plan.components[0].name`` or ``plans.<id>.components[0].name``.

    >>> from compcore.plan.schema import load_plan
    >>> p = load_plan({"name": "x", "target_incentive": {"amount": 1000},
    ...     "metrics": [{"id": "m", "name": "M", "target": 1}],
    ...     "components": [{"id": "c", "name": "Go-lives", "metric": "m", "weight": 1,
    ...                     "curve": {"kind": "steps", "steps": [[1, 1]]}}]})
    >>> erased_component_names({"plan": {"components": [{"id": "c", "name": " "}]}}, {"plan": p})
    [('plan.components[0].name', 'needs a name a person can read')]
    >>> erased_component_names({"plan": {"components": [{"id": "c", "name": "Go"}]}}, {"plan": p})
    []
    """
    drafts = {"plan": data["plan"]} if "plan" in data else dict(data.get("plans") or {})
    out = []
    for pid, plan_d in drafts.items():
        old = valid_plans.get(pid)
        named = {c.id for c in old.components if c.name.strip()} if old is not None else set()
        prefix = "plan" if pid == "plan" and "plan" in data else f"plans.{pid}"
        for i, comp in enumerate((plan_d or {}).get("components") or []):
            if isinstance(comp, Mapping) and comp.get("id") in named and not str(comp.get("name") or "").strip():
                out.append((f"{prefix}.components[{i}].name", NO_NAME))
    return out
