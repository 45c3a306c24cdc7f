"""Curves: attainment -> payout fraction, vectorised over numpy arrays.

1.0 is the on-target payout. Every function takes an array of attainments of
any shape and returns an array of the same shape; no Python loop per value.
Thresholds and band edges compare with :data:`~compcore.plan.schema.TOLERANCE` so
that float error (72% / 90% = 0.7999999999) never flips a rule.
"""

from __future__ import annotations

import numpy as np

from compcore.plan.schema import TOLERANCE, LinearCurve, StepsCurve, TiersCurve

__all__ = ["evaluate_curve", "linear", "steps", "tiers"]

#: how far past its last point an ``above="extend"`` line is drawn (attainment 1e6 = 100,000,000%)
_FAR = 1e6


def linear(curve: LinearCurve, attainment: np.ndarray) -> np.ndarray:
    """Piecewise-linear payout; 0 below the first point (the threshold).

    Notes
    -----
    ``y = interp(a, xs, ys)`` for ``a >= xs[0]``; above ``xs[-1]`` either flat or
    continuing the last segment's slope (``above="extend"``, drawn up to an attainment
    of 1,000,000 = 100,000,000%, far beyond any real result).

    Examples
    --------
    >>> c = LinearCurve(points=[(0.8, 0.5), (1.0, 1.0)])
    >>> linear(c, np.array([0.79, 0.8, 0.9, 1.2])).tolist()
    [0.0, 0.5, 0.75, 1.0]
    """
    xs = np.array([p[0] for p in curve.points], dtype=float)
    ys = np.array([p[1] for p in curve.points], dtype=float)
    a = np.asarray(attainment, dtype=float)
    if curve.above == "extend":
        # continue the last segment to a far point so one interp pass does it all (no extra where)
        slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        xs = np.append(xs, xs[-1] + _FAR)
        ys = np.append(ys, ys[-1] + slope * _FAR)
    out = np.interp(a, xs, ys)
    if ys[0] == 0.0:
        return out  # interp already pays ys[0] = 0 below the first point: skip a pass
    return np.where(a >= xs[0] - TOLERANCE, out, 0.0)


def tiers(curve: TiersCurve, attainment: np.ndarray) -> np.ndarray:
    """Rate bands, marginal (each rate pays inside its band) or retroactive.

    Notes
    -----
    Marginal: ``sum_i rate_i * clip(a - from_i, 0, from_{i+1} - from_i)``.
    Retroactive: ``rate_k * a`` where band k is the highest with ``from_k <= a``.

    Examples
    --------
    >>> c = TiersCurve.model_validate({"bands": [{"from": 0, "rate": 1.0},
    ...     {"from": 1.0, "rate": 1.4}, {"from": 1.2, "rate": 1.6}]})
    >>> [round(x, 6) for x in tiers(c, np.array([0.8, 1.1, 1.3])).tolist()]
    [0.8, 1.14, 1.44]
    """
    starts = np.array([b.start for b in curve.bands], dtype=float)
    rates = np.array([b.rate for b in curve.bands], dtype=float)
    a = np.asarray(attainment, dtype=float)
    if curve.mode == "marginal":
        widths = np.append(np.diff(starts), np.inf)
        inside = np.clip(a[..., None] - starts, 0.0, widths)
        out = (inside * rates).sum(axis=-1)
    else:
        band = np.searchsorted(starts, a + TOLERANCE, side="right") - 1
        out = np.where(band >= 0, rates[np.maximum(band, 0)] * np.maximum(a, 0.0), 0.0)
    if curve.threshold is not None:
        out = np.where(a >= curve.threshold - TOLERANCE, out, 0.0)
    return out


def steps(curve: StepsCurve, attainment: np.ndarray) -> np.ndarray:
    """Step table: the y of the highest step with x <= attainment; 0 below the first.

    Examples
    --------
    >>> c = StepsCurve(steps=[(0.8, 0.5), (0.9, 0.75), (1.0, 1.0)])
    >>> steps(c, np.array([0.5, 0.8, 0.93, 2.0])).tolist()
    [0.0, 0.5, 0.75, 1.0]
    """
    xs = np.array([s[0] for s in curve.steps], dtype=float)
    ys = np.array([s[1] for s in curve.steps], dtype=float)
    a = np.asarray(attainment, dtype=float)
    idx = np.searchsorted(xs, a + TOLERANCE, side="right") - 1
    return np.where(idx >= 0, ys[np.maximum(idx, 0)], 0.0)


_KINDS = {"linear": linear, "tiers": tiers, "steps": steps}


def evaluate_curve(curve: LinearCurve | TiersCurve | StepsCurve, attainment: np.ndarray) -> np.ndarray:
    """Payout fraction of any curve kind at ``attainment``, with the curve's own cap."""
    out = _KINDS[curve.kind](curve, attainment)
    if curve.cap is not None:
        out = np.minimum(out, curve.cap)
    return out
