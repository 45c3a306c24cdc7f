"""Persistence from history: does a good period follow a good one more often than chance?

A metric persists when a team that does badly one quarter tends to do badly the next. The scenario's
``persistence`` (rho, 0 <= rho < 1) says how much: each period's underlying normal follows
z_t = rho z_(t-1) + sqrt(1 - rho^2) e_t. :func:`fit_persistence` estimates rho from a metric's history:
each group's (team, person) complete period values are turned into normal scores *within that group*
(so a team that is always better than another does not look persistent), and rho is the correlation of
each score with the next period's, over the pairs of consecutive periods of every group pooled, measured
from what independent periods would give (:func:`lag1_normal_scores`).
:func:`persistence_words` says what rho means in words a comp designer checks against experience.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from compcore.errors import PlanError

__all__ = ["Persistence", "chance_good_follows_good", "fit_persistence", "lag1_normal_scores", "persistence_words"]

#: fewest pairs of consecutive periods a fit needs (fewer say nothing about persistence)
MIN_PAIRS = 4
#: shortest run of consecutive periods used (two periods alone carry no information on their order)
MIN_RUN = 3
#: the largest persistence a fit writes (the scenario needs rho < 1; near 1 a plan year never varies)
MAX_WRITTEN = 0.95


@dataclass(frozen=True)
class Persistence:
    """A fitted persistence: ``rho`` as estimated (may be < 0), the ``pairs`` and ``groups`` it used.

    ``value`` is what goes into the scenario: rho rounded to 2 decimals, kept in 0..0.95 (a negative
    estimate means no persistence for the simulation, which has none below 0).
    """

    rho: float
    pairs: int
    groups: int

    @property
    def value(self) -> float:
        return float(min(max(round(self.rho, 2), 0.0), MAX_WRITTEN))


def normal_scores(values: np.ndarray) -> np.ndarray:
    """Van der Waerden normal scores: Phi^-1(rank / (n + 1)), ties sharing their average rank.

    >>> normal_scores(np.array([0.2, 0.9, 0.5])).round(3).tolist()
    [-0.674, 0.674, 0.0]
    """
    values = np.asarray(values, dtype=float)
    # imported here: scipy.stats costs about 1 s of the app's first request, and only a history needs it
    from scipy.special import ndtri
    from scipy.stats import rankdata

    return ndtri(rankdata(values) / (len(values) + 1))


def lag1_normal_scores(series: list[np.ndarray]) -> tuple[float, int]:
    """Lag-1 correlation of normal scores, each series scored on its own and the pairs pooled; (rho, pairs).

    Each series is one group's values in consecutive periods (a gap splits a group). With z the scores of a
    series, r = sum z_t z_(t+1) / sqrt(sum z_t^2 sum z_(t+1)^2) over every pair of every series. Scoring
    within a short series pulls r below 0 even when periods are independent (two periods always score
    (-s, s): r = -1), so r is measured from what independent periods would give: with S = sum z^2 and
    Z = sum z of a series of T values, a random order gives sum z_t z_(t+1) = (T - 1)(Z^2 - S) / (T (T - 1))
    on average and sum z_t^2 = (T - 1) S / T, so e0 = sum (Z^2 - S) / T / sum (T - 1) S / T (pooled), and
    rho = (r - e0) / (1 - e0): 0 when the order of the periods carries nothing, 1 when it carries all.

    >>> rho, n = lag1_normal_scores([np.array([1.0, 2, 3, 4, 5]), np.array([5.0, 4, 3, 2, 1])])
    >>> round(rho, 4), n
    (0.7101, 8)
    """
    sxy = sxx = syy = null_xy = null_xx = 0.0
    pairs = 0
    for values in series:
        t = len(values)
        if t < 2:
            continue
        z = normal_scores(values)
        sxy += float(z[:-1] @ z[1:])
        sxx += float(z[:-1] @ z[:-1])
        syy += float(z[1:] @ z[1:])
        total, squares = float(z.sum()), float(z @ z)
        null_xy += (total**2 - squares) / t
        null_xx += (t - 1) * squares / t
        pairs += t - 1
    if pairs == 0 or sxx == 0 or syy == 0 or null_xx == 0:
        return math.nan, pairs
    r = sxy / math.sqrt(sxx * syy)
    e0 = null_xy / null_xx
    return (r - e0) / (1 - e0), pairs


def _runs(history: pd.DataFrame, group: str | None) -> tuple[list[np.ndarray], int]:
    """Each group's values over runs of consecutive periods (complete periods with a value); (runs, groups)."""
    rows = history[history["value"].notna()]
    if "complete" in rows.columns:
        rows = rows[rows["complete"].astype(bool)]
    order = {p: i for i, p in enumerate(sorted(history["period"].unique(), key=str))}
    if "period_start" in history.columns:
        starts = history.drop_duplicates("period").sort_values("period_start")["period"]
        order = {p: i for i, p in enumerate(starts)}
    out, groups = [], 0
    for _, g in (rows.groupby(group, sort=True) if group else [(None, rows)]):
        idx = g["period"].map(order).to_numpy()
        sort = np.argsort(idx, kind="stable")
        idx, vals = idx[sort], g["value"].to_numpy(dtype=float)[sort]
        breaks = np.flatnonzero(np.diff(idx) != 1) + 1
        runs = [v for v in np.split(vals, breaks) if len(v) >= MIN_RUN]
        groups += bool(runs)
        out += runs
    return out, groups


def fit_persistence(history: pd.DataFrame) -> Persistence:
    """Persistence of a metric from its history (a metric table: ``period``, ``value``, ``complete`` and
    ``team``, ``owner`` or ``company``): lag-1 correlation of normal scores, per group, pairs pooled.

    Raises
    ------
    PlanError
        with fewer than :data:`MIN_PAIRS` pairs of consecutive complete periods, or values that never vary.

    Examples
    --------
    >>> h = pd.DataFrame({"period": ["Q1", "Q2", "Q3", "Q4", "Q5"] * 2, "team": ["A"] * 5 + ["B"] * 5,
    ...                   "value": [1, 2, 3, 4, 5, 5, 4, 3, 2, 1], "complete": True})
    >>> p = fit_persistence(h)
    >>> round(p.rho, 4), p.pairs, p.groups, p.value
    (0.7101, 8, 2, 0.71)
    """
    group = next((c for c in ("team", "owner", "company") if c in history.columns), None)
    if "value" not in history.columns or "period" not in history.columns:
        raise PlanError("history: needs 'period' and 'value' columns (the output of a metric function)")
    runs, groups = _runs(history, group)
    rho, pairs = lag1_normal_scores(runs)
    if pairs < MIN_PAIRS:
        raise PlanError(f"history: {pairs} pair(s) of consecutive complete periods; persistence needs at least "
                        f"{MIN_PAIRS}")
    if math.isnan(rho):
        raise PlanError("history: the values never vary from one period to the next; no persistence to fit")
    return Persistence(rho=rho, pairs=pairs, groups=groups)


def chance_good_follows_good(rho: float) -> float:
    """P(next period above its median | this period above its median) for normals with correlation rho.

    For a bivariate normal, P(both above 0) = 1/4 + arcsin(rho) / (2 pi), so the conditional chance is
    1/2 + arcsin(rho) / pi: 50% with no persistence, 2 in 3 at rho = 0.5.

    >>> round(chance_good_follows_good(0.5), 4), chance_good_follows_good(0.0)
    (0.6667, 0.5)
    """
    return 0.5 + math.asin(max(-1.0, min(1.0, rho))) / math.pi


def persistence_words(rho: float, period: str = "quarter") -> str:
    """What a persistence means, in a comp designer's words.

    >>> persistence_words(0.5)
    'A good quarter is followed by a good one 67% of the time, against 50% by chance (persistence 0.50).'
    >>> persistence_words(0.02, "month")  # doctest: +ELLIPSIS
    'A good month says next to nothing about the next one: a good one follows 51% of the time, against 50%...'
    """
    chance = chance_good_follows_good(rho)
    tail = f"{chance:.0%} of the time, against 50% by chance (persistence {rho:.2f})."
    if rho < -0.05:
        return (f"A good {period} is followed by a weaker one more often than chance: a good one follows only "
                f"{tail} The simulation uses no persistence (0).")
    if rho < 0.1:
        return f"A good {period} says next to nothing about the next one: a good one follows {tail}"
    return f"A good {period} is followed by a good one {tail}"
