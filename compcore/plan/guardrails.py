"""Plan guardrails: warnings about a plan that is valid but probably not what its designer wants.

They work on plan dicts as typed (drafts that do not validate yet included),
so the designer can show them while the user edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from compcore.plan.curves import evaluate_curve
from compcore.plan.editing import breakpoints, curve_or_none, number_or_none
from compcore.plan.schema import TOLERANCE
from compcore.plan.units import implausible_target
from compcore.report.format import pct

__all__ = ["Guardrail", "guardrails"]


@dataclass(frozen=True)
class Guardrail:
    """A warning about a plan that is valid but probably not what its designer wants."""

    path: str
    message: str



def guardrails(plan_data: Mapping[str, Any], max_metrics: int = 3) -> list[Guardrail]:
    """Design warnings for a plan dict (works on drafts that do not validate yet).

    Warns when there are more than ``max_metrics`` metrics, when a share
    metric's target is above 100%, when weights do not sum to 100%, when a
    threshold lies above target, when a curve pays more somewhere below target
    than at target, when a curve pays less after a point than before it (a
    typo such as 110% paying 0%), and when a cap is below 100%. Each warning's
    ``path`` is relative to the plan, so the designer shows it next to its field.

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
    for i, m in enumerate(metrics):
        if isinstance(m, Mapping) and isinstance(m.get("unit", ""), str):
            msg = implausible_target(number_or_none(m.get("target")), m.get("unit"))
            if msg:
                out.append(Guardrail(f"metrics[{i}].target", f"{m.get('name') or m.get('id')}: {msg}"))
    weights = [number_or_none(c.get("weight")) for c in components if isinstance(c, Mapping)]
    if components and all(w is not None for w in weights) and abs(sum(weights) - 1.0) > 1e-6:  # type: ignore[arg-type]
        out.append(Guardrail("components", f"weights sum to {sum(weights) * 100:.4g}%, not 100%"))  # type: ignore[arg-type]
    for i, c in enumerate(components):
        if not isinstance(c, Mapping):
            continue
        label = c.get("name") or c.get("id") or f"component {i + 1}"
        out += _curve_guardrails(c.get("curve"), f"components[{i}].curve", str(label))
    plan_cap = number_or_none(plan_data.get("cap"))
    if plan_cap is not None and plan_cap < 1.0 - TOLERANCE:
        out.append(Guardrail("cap", f"the plan cap ({pct(plan_cap)}) is below 100%: nobody can earn the "
                                    "on-target incentive"))
    return out


def _curve_guardrails(data: Any, path: str, label: str) -> list[Guardrail]:
    curve = curve_or_none(data)
    if curve is None:
        return []
    out = []
    xs = breakpoints(curve)
    if curve.kind == "tiers":
        threshold = curve.threshold or 0.0
    else:
        threshold = xs[0]  # the first point / step is where payout starts
    if threshold > 1.0 + TOLERANCE:
        out.append(Guardrail(path, f"{label}: the threshold ({pct(threshold)}) is above target, "
                                   "so on-target performance pays nothing"))
    a = np.unique(np.concatenate([np.linspace(0, 1, 201), [x for x in xs if x <= 1]]))
    below = evaluate_curve(curve, a[a < 1.0 - TOLERANCE])
    at = float(evaluate_curve(curve, np.array(1.0)))
    if below.size and below.max() > at + 1e-9:
        out.append(Guardrail(path, f"{label}: pays more below target ({pct(float(below.max()))}) than at "
                                   f"target ({pct(at)})"))
    if (drop := _first_drop(curve)) is not None:
        (xa, ya), (xb, yb) = drop
        out.append(Guardrail(path, f"{label}: pays less at {pct(xb)} ({pct(yb)}) than at {pct(xa)} ({pct(ya)}); "
                                   "more attainment should not pay less, check the table"))
    if curve.cap is not None and curve.cap < 1.0 - TOLERANCE:
        out.append(Guardrail(f"{path}.cap", f"{label}: its cap ({pct(curve.cap)}) is below 100%, so it never "
                                            "pays the on-target amount"))
    return out


def _first_drop(curve: Any) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The first pair of table rows where payout falls as attainment rises (linear points, steps), or None."""
    if curve.kind == "tiers":
        return None
    rows = [(float(x), float(y)) for x, y in (curve.points if curve.kind == "linear" else curve.steps)]
    for a, b in zip(rows, rows[1:], strict=False):
        if b[1] < a[1] - TOLERANCE:
            return a, b
    return None
