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


def _count_at_or_below(xs: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``#{i: xs[i] <= v}`` per value (= ``np.searchsorted(xs, v, side="right")``), as small integers.

    A few vector comparisons beat a binary search per value (which mispredicts
    on random attainments) by 3-4x for the handful of points a curve has.
    """
    small = np.uint8 if len(xs) < 255 else np.intp
    count = np.asarray(np.greater_equal(v, xs[0])).astype(small)
    hit = np.empty(count.shape, dtype=bool)
    for x in xs[1:]:
        np.greater_equal(v, x, out=hit)
        np.add(count, hit, out=count, casting="unsafe")
    return count


def linear(curve: LinearCurve, attainment: np.ndarray) -> np.ndarray:
    """Piecewise-linear payout; 0 below the first point (the threshold).

    Notes
    -----
    ``y = interp(a, xs, ys)`` for ``a >= xs[0]``; above ``xs[-1]`` either flat or
    continuing the last segment's slope (``above="extend"``, drawn up to an attainment
    of 1,000,000 = 100,000,000%, far beyond any real result).

    The values are ``np.interp``'s bit for bit: the same segment, the same
    precomputed slope and the same ``slope * (a - x_j) + y_j``, computed with
    table look-ups instead of a search per value.

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
        # continue the last segment to a far point so one pass does it all (no extra where)
        slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        xs = np.append(xs, xs[-1] + _FAR)
        ys = np.append(ys, ys[-1] + slope * _FAR)
    slopes = np.concatenate([[0.0], (ys[1:] - ys[:-1]) / (xs[1:] - xs[:-1]), [0.0]])
    if a.ndim == 0 or not np.isfinite(slopes).all():
        out = np.interp(a, xs, ys)  # a single value, or points so close that a slope overflows
    else:
        # segment j = count - 1; below the first point (count 0) and from the last on
        # (count n), interp pays the end value: slope 0 there, so the same formula pays it
        # (a is clipped first so that an infinite attainment gives 0 * finite, not 0 * inf)
        count = _count_at_or_below(xs, a)
        out = np.clip(a, xs[0], xs[-1])
        out -= np.concatenate([[xs[0]], xs]).take(count)
        out *= slopes.take(count)
        out += np.concatenate([[ys[0]], ys]).take(count)
    if ys[0] == 0.0:
        return out  # interp already pays ys[0] = 0 below the first point: skip a pass
    # branch-free: a payout times 1.0 or 0.0 (payouts are finite and >= 0, so this is the masked select)
    return out * (a >= xs[0] - TOLERANCE)


def tiers(curve: TiersCurve, attainment: np.ndarray) -> np.ndarray:
    """Rate bands, marginal (each rate pays inside its band) or retroactive.

    Notes
    -----
    Marginal: ``sum_i rate_i * clip(a - from_i, 0, from_{i+1} - from_i)``, summed
    band by band in band order.
    Retroactive: ``rate_k * a`` where band k is the highest with ``from_k <= a``.

    Examples
    --------
    >>> c = TiersCurve.model_validate({"bands": [{"from": 0, "rate": 1.0},
    ...     {"from": 1.0, "rate": 1.4}, {"from": 1.2, "rate": 1.6}]})
    >>> [round(x, 6) for x in tiers(c, np.array([0.8, 1.1, 1.3])).tolist()]
    [0.8, 1.14, 1.44]
    """
    starts = [b.start for b in curve.bands]
    rates = [b.rate for b in curve.bands]
    a = np.asarray(attainment, dtype=float)
    if curve.mode == "marginal":
        out = np.zeros(a.shape)
        inside = np.empty(a.shape)
        for i, (start, rate) in enumerate(zip(starts, rates, strict=True)):
            np.subtract(a, start, out=inside)
            np.maximum(inside, 0.0, out=inside)
            if i + 1 < len(starts):
                np.minimum(inside, starts[i + 1] - start, out=inside)
            inside *= rate
            out += inside
    else:
        # the first band starts at 0, so below it max(a, 0) = 0 pays 0 whatever rate is looked up
        band = np.maximum(_count_at_or_below(np.array(starts), a + TOLERANCE), 1) - 1
        out = np.array(rates).take(band) * np.maximum(a, 0.0)
    if curve.threshold is not None:
        out = out * (a >= curve.threshold - TOLERANCE)
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
    ys = np.array([0.0] + [s[1] for s in curve.steps], dtype=float)  # ys[k]: pay with k steps reached
    a = np.asarray(attainment, dtype=float)
    return ys.take(_count_at_or_below(xs, a + TOLERANCE))


_KINDS = {"linear": linear, "tiers": tiers, "steps": steps}


def evaluate_curve(curve: LinearCurve | TiersCurve | StepsCurve, attainment: np.ndarray) -> np.ndarray:
    """Payout fraction of any curve kind at ``attainment``, with the curve's own cap."""
    out = _KINDS[curve.kind](curve, attainment)
    if curve.cap is not None:
        out = np.minimum(out, curve.cap, out=out if isinstance(out, np.ndarray) and out.ndim else None)
    return out
