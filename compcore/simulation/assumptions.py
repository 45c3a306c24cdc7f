"""Metric assumptions as the app edits them: each distribution's parameters, defaults, previews.

A new metric gets a default assumption around its target; a removed one loses
its assumption and correlations (:func:`reconcile_scenario`); a preview samples
one assumption with the simulation's own distributions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import TypeAdapter, ValidationError

from compcore.errors import PlanError
from compcore.plan.editing import number_or_none
from compcore.plan.schema import plan_error_from
from compcore.simulation.distributions import Distribution

__all__ = ["DIST_PARAMS", "default_assumption", "preview_samples", "reconcile_scenario"]

_DIST: TypeAdapter[Any] = TypeAdapter(Distribution)


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
    t = number_or_none(metric.get("target")) or 1.0
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
    """A scenario dict whose assumptions and correlations match its plans' metrics (``plan`` or ``plans``).

    After a plan edit that adds or removes a metric, a new metric gets
    :func:`default_assumption`, a removed one loses its assumption and any
    correlation that names it. Everything else is kept as it was.
    """
    out = dict(data)
    plans = out.get("plans") if isinstance(out.get("plans"), Mapping) else {"plan": out.get("plan") or {}}
    metrics: list[Mapping[str, Any]] = []
    for plan in plans.values():  # an org: every plan's metrics, a shared id once (its first definition)
        if isinstance(plan, Mapping):
            metrics.extend(m for m in plan.get("metrics") or [] if isinstance(m, Mapping))
    ids = list(dict.fromkeys(m.get("id") for m in metrics))
    metrics = [next(m for m in metrics if m.get("id") == i) for i in ids]
    old = dict(out.get("assumptions") or {})
    out["assumptions"] = {m["id"]: old.get(m["id"]) or default_assumption(m) for m in metrics if m.get("id")}
    out["correlations"] = [c for c in out.get("correlations") or []
                           if isinstance(c, Mapping) and all(x in ids for x in c.get("between", []))]
    return out



def preview_samples(assumption: Mapping[str, Any], n: int = 2000, seed: int = 0) -> np.ndarray:
    """Samples of one metric assumption, for a small preview of its distribution.

    Uses the simulation's own distributions (:mod:`compcore.simulation.distributions`), so
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
