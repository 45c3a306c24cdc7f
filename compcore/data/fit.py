"""Turn a metric's history into a plan target or a Monte Carlo assumption.

:func:`fit_assumption` returns an assumption dict in the scenario schema v1
(``{"dist": "binomial", "n": 40, "p": 0.88}`` and the like) and
:func:`target_from_history` a percentile of past values. Both use only complete
periods with a value (NaN rows, i.e. periods with an empty cohort, are skipped).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from compcore.errors import PlanError

__all__ = ["FIT_KINDS", "fit_assumption", "history_values", "target_from_history"]

#: distributions :func:`fit_assumption` can fit
FIT_KINDS: tuple[str, ...] = ("auto", "binomial", "poisson", "empirical", "normal")


def _usable(history: pd.DataFrame) -> pd.DataFrame:
    if "value" not in history.columns:
        raise PlanError("history: needs a 'value' column (the output of a metric function)")
    rows = history[history["value"].notna()]
    if "complete" in rows.columns:
        rows = rows[rows["complete"].astype(bool)]
    if "kind" in rows.columns and rows["kind"].nunique() > 1:
        raise PlanError("history: holds several activity kinds; filter to one kind first")
    return rows


def history_values(history: pd.DataFrame | Any) -> np.ndarray:
    """The usable past values: complete periods with a value, as a float array.

    Examples
    --------
    >>> history_values([0.8, float("nan"), 0.9]).tolist()
    [0.8, 0.9]
    """
    if isinstance(history, pd.DataFrame):
        values = _usable(history)["value"].to_numpy(dtype=float)
    else:
        try:
            values = np.asarray(history, dtype=float).ravel()
        except (TypeError, ValueError):
            raise PlanError("history: values must be numbers") from None
        values = values[~np.isnan(values)]
    return values


def target_from_history(values: pd.DataFrame | Any, percentile: float) -> float:
    """The ``percentile`` (0..100) of past values, e.g. 75 = beaten in 1 of 4 periods.

    Parameters
    ----------
    values : DataFrame or array-like
        A metric's output (its complete periods' ``value``) or plain numbers.
    percentile : float
        In [0, 100]; linear interpolation between observations (numpy default).

    Examples
    --------
    >>> target_from_history([0.70, 0.80, 0.90, 1.00], 50)
    0.85
    """
    if not 0 <= percentile <= 100:
        raise PlanError(f"percentile: must be in [0, 100], not {percentile}")
    vals = history_values(values)
    if vals.size == 0:
        raise PlanError("history: no complete period with a value to set a target from")
    return round(float(np.percentile(vals, percentile)), 12)


def fit_assumption(history: pd.DataFrame | Any, kind: str = "auto") -> dict[str, Any]:
    """Fit a scenario assumption (scenario schema v1) to a metric's history.

    Parameters
    ----------
    history : DataFrame or array-like
        A metric function's output, grouped the way the plan metric is scoped
        (``by="company"`` for a company metric, ``team`` for team, ``owner`` for
        individual), or plain values (``empirical``/``normal``/``poisson`` only).
    kind : {"auto", "binomial", "poisson", "empirical", "normal"}
        ``binomial``: ``n`` = median cohort size of the non-empty periods,
        ``p`` = pooled rate sum(numerator) / sum(denominator). ``poisson``:
        ``mean`` = mean count. ``empirical``: the values, for a bootstrap.
        ``normal``: mean and sample sd. ``auto``: poisson for activity counts,
        binomial for shares of a client cohort, empirical otherwise (GRR/NRR).

    Examples
    --------
    >>> h = pd.DataFrame({"n": [10, 12, 8], "numerator": [9, 10, 8],
    ...                   "denominator": [10, 12, 8], "value": [0.9, 10 / 12, 1.0]})
    >>> fit_assumption(h)
    {'dist': 'binomial', 'n': 10, 'p': 0.9}
    >>> fit_assumption([3, 5, 4], "poisson")
    {'dist': 'poisson', 'mean': 4.0}
    """
    if kind not in FIT_KINDS:
        raise PlanError(f"kind: must be one of {', '.join(FIT_KINDS)}, not {kind!r}")
    frame = history if isinstance(history, pd.DataFrame) else None
    if kind == "auto":
        if frame is not None and "count" in frame.columns:
            kind = "poisson"
        elif frame is not None and {"n", "numerator", "denominator"} <= set(frame.columns) \
                and np.allclose(frame["n"], frame["denominator"]):
            kind = "binomial"
        else:
            kind = "empirical"
    vals = history_values(history)
    if vals.size == 0:
        raise PlanError("history: no complete period with a value to fit")
    if kind == "binomial":
        if frame is None or not {"n", "numerator", "denominator"} <= set(frame.columns):
            raise PlanError("history: binomial needs a metric table with n, numerator, denominator")
        rows = _usable(frame)
        n = int(max(1, round(float(np.median(rows["n"])))))
        p = float(rows["numerator"].sum() / rows["denominator"].sum())
        if not 0 <= p <= 1:
            raise PlanError("history: binomial needs shares between 0 and 1 (use empirical)")
        return {"dist": "binomial", "n": n, "p": round(p, 6)}
    if kind == "poisson":
        if (vals < 0).any():
            raise PlanError("history: poisson needs counts >= 0")
        return {"dist": "poisson", "mean": round(float(vals.mean()), 6)}
    if kind == "normal":
        if vals.size < 2:
            raise PlanError("history: normal needs at least 2 periods")
        return {"dist": "normal", "mean": round(float(vals.mean()), 6),
                "sd": round(float(vals.std(ddof=1)), 6)}
    return {"dist": "empirical", "values": [round(float(v), 6) for v in vals]}
