"""A plan as flat arrays for the fused numba kernel, and the switch between it and the numpy path.

The Monte Carlo prices a plan either with numpy (:func:`compcore.plan.payout.payout_total`, always
there) or, when numba is installed, with one compiled pass over the draws
(:mod:`compcore.plan.fused_numba`) that does exactly the numpy path's float operations on each
value: the totals are the same bits either way (tested against each other over hypothesis plans),
so a cached result never depends on which path ran.

Which path runs: ``COMPCORE_KERNEL=numpy`` forces numpy; ``COMPCORE_KERNEL=numba`` compiles on first use
and waits for it (tests, benchmarks); by default (``auto``) the kernel is loaded or compiled in a
background thread on first use and numpy prices until it is ready, so the app's cold start does not
wait for a compiler (numba caches the compiled kernel on disk: later processes load it in well under a second).
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from compcore.plan.schema import MAX_METRICS, TOLERANCE, LinearCurve, Plan, StepsCurve, TiersCurve, load_plan

__all__ = ["BOUNDS", "FusedPlan", "fused_plan", "kernel", "kernel_mode", "kernel_problem", "load_kernel",
           "wait_for_kernel"]

#: how far past its last point an ``above="extend"`` line is drawn (the same as compcore.plan.curves)
_FAR = 1e6
_LINEAR, _MARGINAL, _RETROACTIVE, _STEPS = 0, 1, 2, 3

#: paid above target, nothing, at or above target (the tolerances of compcore.simulation.pricing's counts)
BOUNDS = np.array([1.0 + TOLERANCE, TOLERANCE, 1.0 - TOLERANCE])

#: what fills the kernel's unused metric slots
_PAD = np.empty((0, 0))

#: in a Streamlit server, the background load waits until pricing has been quiet this long (seconds) ...
IDLE_BEFORE_LOADING = 2.0
#: ... but no longer than this after the first pricing
MAX_DEFER = 30.0

_lock = threading.Lock()
_state: dict[str, Any] = {"fn": None, "thread": None, "failed": None, "last": 0.0, "wait": False}


def kernel_mode() -> str:
    """``"numpy"``, ``"numba"`` (compile and wait) or ``"auto"`` (compile in the background), from
    ``COMPCORE_KERNEL``."""
    mode = os.environ.get("COMPCORE_KERNEL", "auto").strip().lower()
    return mode if mode in ("numpy", "numba") else "auto"


def _defer() -> None:
    """Wait while the server is pricing: loading numba takes ~1.5 s of CPU, mostly holding the GIL, and the
    page that asked for the first pricing would wait for it; numpy prices meanwhile."""
    start = time.monotonic()
    while _state["wait"] and time.monotonic() - _state["last"] < IDLE_BEFORE_LOADING:
        if time.monotonic() - start > MAX_DEFER:
            break
        time.sleep(0.25)


def _load() -> None:
    _defer()
    try:
        # the module that needs numba (an optional dependency): imported only here, in the loading thread
        fused_numba = importlib.import_module("compcore.plan.fused_numba")
        _warm(fused_numba.plan_totals)
        _state["fn"] = fused_numba.plan_totals
    except Exception as e:  # noqa: BLE001 - no numba, or it cannot compile here: numpy prices, same numbers
        _state["failed"] = repr(e)


def _warm(fn: Any) -> None:
    """Compile (or load from numba's disk cache) the one signature pricing uses, on a tiny plan."""
    plan = load_plan({"name": "warm", "target_incentive": {"amount": 1.0},
                      "metrics": [{"id": "a", "name": "a", "target": 1.0}],
                      "components": [{"id": "c", "metric": "a", "weight": 1.0,
                                      "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    fp = fused_plan(plan)
    assert fp is not None
    fp.run(fn, [np.ones((2, 1))], np.zeros((1, 1), dtype=np.int64), np.empty((2, 1)), np.zeros((3, 1), dtype=np.int64))


def _start() -> threading.Thread:
    with _lock:
        if _state["thread"] is None:
            _state["thread"] = threading.Thread(target=_load, name="compcore-kernel", daemon=True)
            _state["thread"].start()
        return _state["thread"]


def kernel() -> Any | None:
    """The compiled kernel, or None while it loads, without numba, or with ``COMPCORE_KERNEL=numpy``.

    In a Streamlit server (``streamlit`` already imported: compcore never imports it) the load starts once
    pricing has been quiet for :data:`IDLE_BEFORE_LOADING` seconds, so that it does not slow the page that
    priced first; anywhere else (scripts, the CLI, executor workers) it starts at once, in the background.
    """
    mode = kernel_mode()
    if mode == "numpy":
        return None
    fn = _state["fn"]
    if fn is not None or _state["failed"] is not None:
        return fn
    _state["last"] = time.monotonic()
    _state["wait"] = mode == "auto" and "streamlit" in sys.modules
    thread = _start()
    if mode == "numba":
        thread.join()
    return _state["fn"]


def load_kernel() -> Any | None:
    """Load (or compile) the kernel now and wait for it, whatever ``COMPCORE_KERNEL`` says; None without numba."""
    _state["wait"] = False
    _start().join()
    return _state["fn"]


def kernel_problem() -> str | None:
    """Why the kernel could not load (numba missing or failing), or None."""
    return _state["failed"]


def wait_for_kernel() -> bool:
    """Wait for the kernel unless ``COMPCORE_KERNEL=numpy``; True when pricing will use it (benchmarks)."""
    return kernel_mode() != "numpy" and load_kernel() is not None


@dataclass(frozen=True, eq=False)
class FusedPlan:
    """A plan's curves, gates, modifiers and caps as the flat arrays :mod:`~compcore.plan.fused_numba` reads."""

    metric_ids: tuple[str, ...]
    target: np.ndarray      # (M,)
    lower: np.ndarray       # (M,) bool
    ckind: np.ndarray       # (C,) curve kind
    cstart: np.ndarray      # (C,) offset of its tables
    clen: np.ndarray        # (C,) points / bands / steps
    cpar: np.ndarray        # (C, 7) first x, last x, mask flag, mask at, threshold flag, threshold at, cap
    tables: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    comp: np.ndarray        # (K, 2) curve and metric of each component
    weight: np.ndarray      # (K,)
    comp_gate: np.ndarray   # (K, G) bool
    comp_mod: np.ndarray    # (K, D) bool
    gate_metric: np.ndarray
    gate_at: np.ndarray     # below - tolerance
    gate_cap: np.ndarray
    gate_all: np.ndarray
    mod_curve: np.ndarray
    mod_metric: np.ndarray
    mod_all: np.ndarray
    plan_cap: float

    def run(self, fn: Any, raws: list[np.ndarray], cols: np.ndarray, out: np.ndarray, counts: np.ndarray,
            affine: Mapping[str, tuple[float, float]] | None = None) -> bool:
        """``fn`` (the kernel) over ``raws`` (each metric's draws ``(n, columns)``, in :attr:`metric_ids` order):
        the totals into ``out``, and ``counts`` (3, units) incremented by the trials paid above target, nothing,
        at target (:data:`BOUNDS`); False when a draw is not finite. ``affine``: {metric id: (sd, mean)} of the
        metrics whose ``raws`` are standard normals (values ``z * sd + mean``)."""
        affine = affine or {}
        scaled = np.array([mid in affine for mid in self.metric_ids])
        params = np.array([affine.get(mid, (1.0, 0.0)) for mid in self.metric_ids], dtype=float).reshape(-1, 2)
        # a tuple of MAX_METRICS arrays (padded): one compiled signature for any plan, and no numba typed List
        # (whose own methods compile in every new process)
        arrays = tuple(np.ascontiguousarray(r.T) for r in raws) + (_PAD,) * (MAX_METRICS - len(raws))
        return bool(fn(arrays, cols, scaled, params, self.target, self.lower, self.ckind, self.cstart, self.clen,
                       self.cpar, *self.tables, self.comp, self.weight, self.comp_gate, self.comp_mod,
                       self.gate_metric, self.gate_at, self.gate_cap, self.gate_all, self.mod_curve, self.mod_metric,
                       self.mod_all, self.plan_cap, out, counts, BOUNDS))


def _curve_rows(curve: LinearCurve | TiersCurve | StepsCurve) -> tuple[int, list[float], list[list[float]]] | None:
    """``(kind, params, [t0, t1, t2, t3])`` of one curve, the numbers compcore.plan.curves computes with;
    None when the numpy path takes another route (a linear slope that overflows: np.interp)."""
    cap = np.inf if curve.cap is None else float(curve.cap)
    if isinstance(curve, LinearCurve):
        xs = np.array([p[0] for p in curve.points], dtype=float)
        ys = np.array([p[1] for p in curve.points], dtype=float)
        if curve.above == "extend":
            slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
            xs = np.append(xs, xs[-1] + _FAR)
            ys = np.append(ys, ys[-1] + slope * _FAR)
        with np.errstate(all="ignore"):
            slopes = np.concatenate([[0.0], (ys[1:] - ys[:-1]) / (xs[1:] - xs[:-1]), [0.0]])
        if not np.isfinite(slopes).all():
            return None
        mask = ys[0] != 0.0
        return (_LINEAR, [xs[0], xs[-1], float(mask), xs[0] - TOLERANCE, 0.0, 0.0, cap],
                [list(xs) + [0.0], list(np.concatenate([[xs[0]], xs])), list(slopes),
                 list(np.concatenate([[ys[0]], ys]))])
    if isinstance(curve, TiersCurve):
        starts = [b.start for b in curve.bands]
        rates = [b.rate for b in curve.bands]
        widths = [starts[i + 1] - starts[i] for i in range(len(starts) - 1)] + [0.0]
        thr = curve.threshold
        params = [0.0, 0.0, 0.0, 0.0, float(thr is not None), 0.0 if thr is None else thr - TOLERANCE, cap]
        kind = _MARGINAL if curve.mode == "marginal" else _RETROACTIVE
        return kind, params, [starts + [0.0], widths + [0.0], rates + [0.0], [0.0] * (len(starts) + 1)]
    xs = [s[0] for s in curve.steps]
    ys = [0.0] + [s[1] for s in curve.steps]
    return _STEPS, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, cap], [xs + [0.0], [0.0] * len(ys), [0.0] * len(ys), ys]


def fused_plan(plan: Plan) -> FusedPlan | None:
    """``plan`` as flat arrays for the fused kernel, or None where the numpy path takes another route.

    Examples
    --------
    >>> from compcore.plan.schema import load_plan
    >>> fp = fused_plan(load_plan("sample_data/plans/cs_ops_enablement.json"))
    >>> fp.metric_ids, fp.weight.tolist()
    (('team_okr', 'company_arr'), [0.7, 0.3])
    """
    assert TOLERANCE == 1e-9  # the kernel's steps and retroactive tiers compare a + 1e-9
    ids = tuple(m.id for m in plan.metrics)
    pos = {mid: i for i, mid in enumerate(ids)}
    curves = [c.curve for c in plan.components] + [mod.curve for mod in plan.modifiers]
    rows = [_curve_rows(c) for c in curves]
    if any(r is None for r in rows):
        return None
    starts, kinds, params = [], [], []
    tables: list[list[float]] = [[], [], [], []]
    for kind, par, tab in rows:  # type: ignore[misc]
        starts.append(len(tables[0]))
        kinds.append(kind)
        params.append(par)
        for t, col in zip(tables, tab, strict=True):
            t.extend(col)
    lens = [len(tab[0]) - 1 for _, _, tab in rows]  # type: ignore[misc]
    n_comp = len(plan.components)
    gates, mods = plan.gates, plan.modifiers

    def applies(applies_to: Any, cid: str) -> bool:
        return applies_to != "all" and cid in applies_to

    return FusedPlan(
        ids, np.array([m.target for m in plan.metrics], dtype=float),
        np.array([m.direction != "higher" for m in plan.metrics]),
        np.array(kinds, dtype=np.int64), np.array(starts, dtype=np.int64), np.array(lens, dtype=np.int64),
        np.array(params, dtype=float).reshape(len(rows), 7),
        tuple(np.array(t, dtype=float) for t in tables),  # type: ignore[arg-type]
        np.array([[i, pos[c.metric]] for i, c in enumerate(plan.components)], dtype=np.int64).reshape(n_comp, 2),
        np.array([c.weight for c in plan.components], dtype=float),
        np.array([[applies(g.applies_to, c.id) for g in gates] for c in plan.components], dtype=bool
                 ).reshape(n_comp, len(gates)),
        np.array([[applies(m.applies_to, c.id) for m in mods] for c in plan.components], dtype=bool
                 ).reshape(n_comp, len(mods)),
        np.array([pos[g.metric] for g in gates], dtype=np.int64), np.array([g.below - TOLERANCE for g in gates]),
        np.array([g.cap for g in gates], dtype=float), np.array([g.applies_to == "all" for g in gates], dtype=bool),
        np.array([n_comp + k for k in range(len(mods))], dtype=np.int64),
        np.array([pos[m.metric] for m in mods], dtype=np.int64),
        np.array([m.applies_to == "all" for m in mods], dtype=bool),
        np.inf if plan.cap is None else float(plan.cap),
    )
