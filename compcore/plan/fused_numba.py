"""The fused whole-plan kernel, compiled by numba (imported only by :mod:`compcore.plan.kernel`, lazily).

One pass over the draws: per trial and pricing unit, every metric's attainment, every curve, gate and
modifier, the weighted sum and the caps, written into the total. Each value goes through exactly the
float operations of the numpy path (:func:`compcore.plan.payout.payout_total`), in the same order,
without fastmath, so the totals are the same bits; sums over trials stay in numpy.
"""

from __future__ import annotations

import numpy as np
from numba import njit

LINEAR, MARGINAL, RETROACTIVE, STEPS = 0, 1, 2, 3
#: trials per tile: a tile's rows of every unit stay in cache whatever the draws' layout
TILE = 2048


@njit(cache=True, nogil=True)
def _np_min(x: float, y: float) -> float:
    # np.minimum as numpy computes it (minpd): NaN if either is, y when they are equal (min(-0.0, 0.0) is 0.0)
    return x if (x < y) | (x != x) else y


@njit(cache=True, nogil=True)
def _np_max(x: float, y: float) -> float:
    return x if (x > y) | (x != x) else y  # np.maximum (maxpd), the same way


@njit(cache=True, nogil=True)
def _counts(t0: np.ndarray, s: int, n: int, a: np.ndarray, shift: float, size: int, cnt: np.ndarray) -> None:
    """``cnt[j] = #{i: t0[s + i] <= a[j] + shift}`` (``_count_at_or_below``), point by point: branch-free."""
    for i in range(n):
        x = t0[s + i]
        if i == 0:
            for j in range(size):
                cnt[j] = a[j] + shift >= x
        else:
            for j in range(size):
                cnt[j] += a[j] + shift >= x


@njit(cache=True, nogil=True)
def _curve(c: int, a: np.ndarray, size: int, out: np.ndarray, cnt: np.ndarray, ckind: np.ndarray,
           cstart: np.ndarray, clen: np.ndarray, cpar: np.ndarray, t0: np.ndarray, t1: np.ndarray, t2: np.ndarray,
           t3: np.ndarray) -> None:
    """``out[:size]`` = curve ``c`` at attainments ``a[:size]``, with its cap (``evaluate_curve``), one curve
    kind per loop (the kind is chosen once per tile, not per value)."""
    kind, s, n = ckind[c], cstart[c], clen[c]
    # cpar[c]: 0 first x, 1 last x, 2 mask flag, 3 mask at (x0 - tol), 4 threshold flag, 5 threshold - tol, 6 cap
    if kind == LINEAR:
        _counts(t0, s, n, a, 0.0, size, cnt)  # a + 0.0 is a (no attainment is -0.0 and NaN stays NaN)
        lo, hi = cpar[c, 0], cpar[c, 1]
        masked, at = cpar[c, 2] != 0.0, cpar[c, 3]
        for j in range(size):
            v = a[j]
            k = s + cnt[j]
            o = v if v > lo else lo  # np.clip: max then min
            o = o if o < hi else hi
            o -= t1[k]
            o *= t2[k]
            o += t3[k]
            if masked:
                o = o * (1.0 if v >= at else 0.0)
            out[j] = o
    elif kind == MARGINAL:
        for i in range(n):
            start, width, rate = t0[s + i], t1[s + i], t2[s + i]
            last = i + 1 == n
            for j in range(size):
                inside = _np_max(a[j] - start, 0.0)
                if not last:
                    inside = _np_min(inside, width)
                inside *= rate
                out[j] = (0.0 if i == 0 else out[j]) + inside  # numpy adds each band to zeros
    elif kind == RETROACTIVE:
        _counts(t0, s, n, a, 1e-9, size, cnt)
        for j in range(size):
            band = cnt[j]
            band = (band if band > 1 else 1) - 1
            out[j] = t2[s + band] * _np_max(a[j], 0.0)
    else:
        _counts(t0, s, n, a, 1e-9, size, cnt)
        for j in range(size):
            out[j] = t3[s + cnt[j]]
    if kind in (MARGINAL, RETROACTIVE) and cpar[c, 4] != 0.0:
        at = cpar[c, 5]
        for j in range(size):
            out[j] = out[j] * (1.0 if a[j] >= at else 0.0)
    cap = cpar[c, 6]
    if cap != np.inf:  # min(x, inf) is x
        for j in range(size):
            out[j] = _np_min(out[j], cap)


@njit(cache=True, nogil=True)
def plan_totals(raws, cols: np.ndarray, scaled: np.ndarray, affine: np.ndarray,  # noqa: ANN001 (a tuple of arrays)
                target: np.ndarray, lower: np.ndarray,
                ckind: np.ndarray, cstart: np.ndarray, clen: np.ndarray, cpar: np.ndarray,
                t0: np.ndarray, t1: np.ndarray, t2: np.ndarray, t3: np.ndarray,
                comp: np.ndarray, weight: np.ndarray, comp_gate: np.ndarray, comp_mod: np.ndarray,
                gate_metric: np.ndarray, gate_at: np.ndarray, gate_cap: np.ndarray, gate_all: np.ndarray,
                mod_curve: np.ndarray, mod_metric: np.ndarray, mod_all: np.ndarray,
                plan_cap: float, out: np.ndarray, counts: np.ndarray, bounds: np.ndarray) -> bool:
    """Write each unit's total payout fraction into ``out`` ``(n, units)``; False if a draw is not finite.

    ``counts[0, u]``, ``counts[1, u]``, ``counts[2, u]`` are incremented by unit u's trials paid above
    ``bounds[0]``, at most ``bounds[1]`` and at least ``bounds[2]`` (1 + tol, tol, 1 - tol: above target,
    nothing, at target): exact integers, so the same numbers as counting the totals with numpy.

    ``raws[m]``: metric m's draws transposed, ``(columns, n)`` C-ordered; ``cols[m, u]``: the column unit u
    reads (-1: an empty slot, actual 0); where ``scaled[m]``, ``raws[m]`` are standard normals ``z`` of a
    normal metric and its values are ``z * affine[m, 0] + affine[m, 1]`` (``Normal.sample``'s operations).
    ``comp[c]`` = (curve, metric) of component c. Works on tiles of :data:`TILE` trials of one unit: every
    temporary stays in cache, each step is a tight loop of one kind.
    """
    n, units = out.shape
    above, nothing, reached = bounds[0], bounds[1], bounds[2]
    n_metrics, n_gates, n_mods = len(target), len(gate_metric), len(mod_curve)
    att = np.empty((n_metrics, TILE))
    mods = np.empty((n_mods, TILE))
    limit = np.empty((n_gates, TILE))
    frac = np.empty(TILE)
    total = np.empty(TILE)
    mult = np.empty(TILE)
    cnt = np.empty(TILE, dtype=np.int64)
    any_all = False
    for k in range(n_mods):
        any_all = any_all or mod_all[k]
    for first in range(0, n, TILE):
        size = min(TILE, n - first)
        for u in range(units):
            for m in range(n_metrics):
                col, tm = cols[m, u], target[m]
                row = att[m]
                if col < 0:  # an empty slot of a block: actual 0
                    for j in range(size):
                        row[j] = 0.0 / tm
                else:
                    a = raws[m][col, first:first + size]
                    bad = False
                    if scaled[m]:
                        sd, mean = affine[m, 0], affine[m, 1]
                        for j in range(size):
                            r = (a[j] * sd + mean) / tm
                            row[j] = r
                            bad |= r - r != 0.0
                    else:
                        for j in range(size):
                            r = a[j] / tm
                            row[j] = r
                            bad |= r - r != 0.0  # inf or NaN (in the same pass, vectorised, unlike isfinite)
                    if bad:
                        return False  # numpy prices it and says which metric (or pays an overflow the same)
                if lower[m]:
                    for j in range(size):
                        row[j] = 2.0 - row[j]
            for g in range(n_gates):  # np.where(fired, cap, inf)
                gm, at, cap = gate_metric[g], gate_at[g], gate_cap[g]
                for j in range(size):
                    limit[g, j] = cap if att[gm, j] < at else np.inf
            for k in range(n_mods):
                _curve(mod_curve[k], att[mod_metric[k]], size, mods[k], cnt, ckind, cstart, clen, cpar,
                       t0, t1, t2, t3)
            for c in range(len(weight)):
                _curve(comp[c, 0], att[comp[c, 1]], size, frac, cnt, ckind, cstart, clen, cpar, t0, t1, t2, t3)
                for g in range(n_gates):
                    if comp_gate[c, g]:
                        for j in range(size):
                            frac[j] = _np_min(frac[j], limit[g, j])
                for k in range(n_mods):
                    if comp_mod[c, k]:
                        for j in range(size):
                            frac[j] = frac[j] * mods[k, j]
                w = weight[c]
                if c == 0:
                    for j in range(size):
                        total[j] = frac[j] * w
                else:
                    for j in range(size):
                        total[j] = total[j] + frac[j] * w
            if any_all:
                for j in range(size):
                    mult[j] = 1.0
                for k in range(n_mods):
                    if mod_all[k]:
                        for j in range(size):
                            mult[j] = mult[j] * mods[k, j]
                for j in range(size):
                    total[j] = total[j] * mult[j]
            for g in range(n_gates):
                if gate_all[g]:
                    for j in range(size):
                        total[j] = _np_min(total[j], limit[g, j])
            n_above = n_nothing = n_reached = 0
            for j in range(size):
                t = _np_min(total[j], plan_cap)
                out[first + j, u] = t
                n_above += t > above
                n_nothing += t <= nothing
                n_reached += t >= reached
            counts[0, u] += n_above
            counts[1, u] += n_nothing
            counts[2, u] += n_reached
    return True
