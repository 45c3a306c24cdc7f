"""One person's plan year: what each period earns, credits and pays, and the year-end settlement.

The rules of DESIGN.md "A plan year", in fractions of one full period's target incentive, with
``T_t`` the share of period t the person was employed and ``f`` the plan's payout fraction (gates,
modifiers and cap included):

- ``measure: period``: ``e_t = T_t f(period t)``, earned ``E_t = e_1 + ... + e_t``, credit ``c_t = e_t``;
- ``measure: year_to_date``: ``E_t = (T_1 + ... + T_t) f(year to date)``,
  ``c_t = max(E_t - (c_1 + ... + c_(t-1)), 0)`` (a missed period is caught up);
- ``period_cap`` k: ``c_t = min(c_t, k T_t)``; paid at the period end ``p_t = (1 - holdback) c_t``;
- year end: ``none`` pays ``holdback x sum c_t``, ``true_up`` pays ``max(E_P - sum p_t, 0)``,
  ``true_up_and_clawback`` pays ``E_P - sum p_t`` (negative = recovered).

The year to date of a metric (``accumulate``): ``mean``, the average of the periods so far weighted
by the share of each the person was employed, against the same target; ``sum``, the total of the
periods employed so far against the target x the periods employed (``T_1 + ... + T_t``).

:class:`YearLedger` is the same rule as a running state over arrays: the Monte Carlo of a year
(:mod:`compcore.simulation.year`) feeds it one period at a time for every trial and person at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from compcore.errors import PlanError
from compcore.plan.payout import payout
from compcore.plan.schedule import Schedule
from compcore.plan.schema import Plan, load_plan

__all__ = ["EXAMPLE_ATTAINMENTS", "YearLedger", "YearPay", "example_year", "pay_year", "year_table", "year_to_date"]


@dataclass(frozen=True)
class YearPay:
    """What one person's year pays, in fractions of one full period's target incentive.

    Attributes
    ----------
    earned : ``E_t`` per period: what the year has earned by each period end
    paid : ``p_t`` per period: paid at each period end
    settlement : paid at the year end (negative = recovered by a clawback)
    total : ``sum(paid) + settlement``
    credited : ``c_t`` per period: credited at each period end before the holdback
    fraction : the payout fraction measured at each period end (the period's own, or the year to date's)

    Lists of floats (and floats) for scalar actuals; arrays with the period on axis 0 for array actuals.
    """

    earned: Any
    paid: Any
    settlement: Any
    total: Any
    credited: Any = None
    fraction: Any = None


class YearLedger:
    """The year's rule (module docstring) as a running state: feed it each period, then settle.

    Works on floats or arrays of any shape (every trial and person at once). ``period`` takes the
    payout fraction measured at that period end (the period's own, or the year to date's) and
    the share of the period employed; it returns ``(E_t, p_t, c_t)``.

    >>> led = YearLedger(Schedule(measure="year_to_date"))
    >>> [round(float(led.period(f, 1.0)[1]), 6) for f in (0.0, 0.95, 2.9 / 3, 0.95)]
    [0.0, 1.9, 1.0, 0.9]
    """

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.earned: Any = 0.0      # E_t so far
        self.credited: Any = 0.0    # c_1 + ... + c_t
        self.worked: Any = 0.0      # T_1 + ... + T_t

    def period(self, fraction: Any, employed: Any = 1.0) -> tuple[Any, Any, Any]:
        """Add one period: ``fraction`` measured at its end, ``employed`` its share worked; ``(E_t, p_t, c_t)``."""
        s = self.schedule
        self.worked = self.worked + employed
        if s.measure == "period":
            credit = fraction * employed if _not_one(employed) else fraction
            self.earned = self.earned + credit
        else:
            self.earned = self.worked * fraction
            credit = np.maximum(self.earned - self.credited, 0.0)
        if s.period_cap is not None:
            credit = np.minimum(credit, s.period_cap * employed)
        self.credited = self.credited + credit
        paid = credit * (1.0 - s.holdback) if s.holdback else credit
        return self.earned, paid, credit

    @property
    def paid(self) -> Any:
        """Paid at the period ends so far: ``(1 - holdback) x credited``."""
        h = self.schedule.holdback
        return self.credited * (1.0 - h) if h else self.credited

    def settle(self) -> Any:
        """The year-end payment (negative = recovered)."""
        s = self.schedule
        if s.year_end == "none":
            return self.credited * s.holdback
        rest = self.earned - self.paid
        return np.maximum(rest, 0.0) if s.year_end == "true_up" else rest


def _not_one(x: Any) -> bool:
    return not (np.ndim(x) == 0 and float(x) == 1.0)


def year_to_date(plan: Plan, actuals: Sequence[Mapping[str, Any]], employed: Sequence[Any], t: int) -> dict[str, Any]:
    """Each metric's year-to-date value at the end of period ``t`` (0-based), by its ``accumulate``.

    ``mean``: ``sum(T_s v_s) / sum(T_s)``; ``sum``: ``sum(v_s for T_s > 0) / sum(T_s)``, which against the
    same target is the total against target x periods employed. Before any period employed: 0 (it earns 0).

    >>> plan = load_plan({"name": "x", "target_incentive": {"amount": 1}, "metrics": [
    ...     {"id": "ebrs", "name": "EBRs", "target": 3, "accumulate": "sum"}], "components": [
    ...     {"id": "c", "metric": "ebrs", "weight": 1, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    >>> year_to_date(plan, [{"ebrs": 0}, {"ebrs": 2}, {"ebrs": 3}], [0, 0.5, 1], 2)  # 5 EBRs in 1.5 quarters
    {'ebrs': 3.3333333333333335}
    """
    worked = sum(employed[s] for s in range(t + 1))
    out: dict[str, Any] = {}
    for m in plan.metrics:
        if m.accumulate == "sum":
            total = sum(np.where(np.asarray(employed[s]) > 0, actuals[s][m.id], 0.0) for s in range(t + 1))
        else:
            total = sum(employed[s] * np.asarray(actuals[s][m.id], dtype=float) for s in range(t + 1))
        value = np.divide(total, worked, out=np.zeros(np.broadcast(total, worked).shape), where=np.asarray(worked) > 0)
        out[m.id] = float(value) if value.ndim == 0 else value
    return out


def _employed(employed: Sequence[Any] | None, n: int) -> list[Any]:
    if employed is None:
        return [1.0] * n
    if isinstance(employed, str | bytes) or not isinstance(employed, Sequence | np.ndarray) or len(employed) != n:
        raise PlanError(f"employed: needs one share (0..1) per period of the year, {n} for this plan",
                        problems=[("employed", f"needs one share (0..1) per period, {n} for this plan")])
    out = []
    for i, e in enumerate(employed):
        arr = np.asarray(e, dtype=float) if isinstance(e, int | float | np.ndarray | np.number) else None
        if arr is None or isinstance(e, bool) or not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
            raise PlanError(f"employed[{i}]: must be a share of the period from 0 to 1, got {e!r}",
                            problems=[(f"employed[{i}]", "must be a share of the period from 0 to 1")])
        out.append(float(arr) if arr.ndim == 0 else arr)
    return out


def _fraction(plan: Plan, actuals: Mapping[str, Any], t: int) -> Any:
    try:
        return payout(plan, actuals).total
    except PlanError:
        raise
    except ValueError as e:
        raise ValueError(f"actuals[{t}]: {e}") from None


def pay_year(plan: Plan | dict[str, Any] | str, actuals: Sequence[Mapping[str, Any]],
             employed: Sequence[Any] | None = None) -> YearPay:
    """One person's year under the plan's ``schedule``: what each period pays and the year-end settlement.

    Parameters
    ----------
    plan : Plan (or anything :func:`~compcore.plan.schema.load_plan` accepts)
    actuals : one ``{metric id: value}`` per period of the year (12, 4, 2 or 1); values are floats
        or arrays (broadcast, as in :func:`~compcore.plan.payout.payout`)
    employed : the share of each period the person was employed (0..1); default all 1

    Returns
    -------
    YearPay
        ``earned``, ``paid``, ``settlement``, ``total`` in fractions of one full period's target
        incentive (multiply by the per-period target incentive for money).

    Notes
    -----
    See the module docstring for the rule. A ``year_to_date`` plan pays each period what the year so
    far has earned minus what was already credited, never less than 0 before the year end.

    Examples
    --------
    The worked example of DESIGN.md: quarterly, adoption target 90%, curve [[0.9, 0.9], [1, 1], [1.5, 2]],
    adoption 72% / 99% / 90% / 81% (attainment 0.8 / 1.1 / 1.0 / 0.9):

    >>> plan = {"name": "Adoption", "period": "quarter", "target_incentive": {"amount": 8000},
    ...     "metrics": [{"id": "adoption", "name": "Adopted within 90 days", "target": 0.9}],
    ...     "components": [{"id": "a", "metric": "adoption", "weight": 1,
    ...         "curve": {"kind": "linear", "points": [[0.9, 0.9], [1, 1], [1.5, 2]]}}]}
    >>> year = [{"adoption": v} for v in (0.72, 0.99, 0.90, 0.81)]
    >>> yp = pay_year(plan, year)
    >>> [round(p, 6) for p in yp.paid], round(yp.total, 6)
    ([0.0, 1.2, 1.0, 0.9], 3.1)
    >>> ytd = pay_year({**plan, "schedule": {"measure": "year_to_date"}}, year)
    >>> [round(p, 6) for p in ytd.paid], round(ytd.total, 6)
    ([0.0, 1.9, 1.0, 0.9], 3.8)
    """
    plan = load_plan(plan)
    n = plan.periods_per_year
    if isinstance(actuals, Mapping | str | bytes) or not isinstance(actuals, Sequence) or len(actuals) != n:
        got = len(actuals) if isinstance(actuals, Sequence) and not isinstance(actuals, str | bytes) else "not a list"
        raise PlanError(f"actuals: needs one {{metric: value}} per period of the year, {n} for a {plan.period} "
                        f"plan (got {got})", problems=[("actuals", f"needs {n} periods, one per {plan.period}")])
    for t, a in enumerate(actuals):
        if not isinstance(a, Mapping):
            raise PlanError(f"actuals[{t}]: must be {{metric id: value}}", problems=[(f"actuals[{t}]", "not a dict")])
    shares = _employed(employed, n)
    ledger = YearLedger(plan.schedule)
    earned, paid, credited, fraction = [], [], [], []
    for t in range(n):
        measured = actuals[t] if plan.schedule.measure == "period" else year_to_date(plan, actuals, shares, t)
        f = _fraction(plan, measured, t)
        e, p, c = ledger.period(f, shares[t])
        earned.append(e)
        paid.append(p)
        credited.append(c)
        fraction.append(f)
    settlement = ledger.settle()
    total = sum(paid) + settlement
    if all(np.ndim(x) == 0 for x in (*paid, settlement)):
        return YearPay([float(x) for x in earned], [float(x) for x in paid], float(settlement), float(total),
                       [float(x) for x in credited], [float(x) for x in fraction])
    shape = np.broadcast_shapes(*(np.shape(x) for x in (*earned, *paid, *credited, *fraction)))
    stack = lambda xs: np.stack([np.broadcast_to(x, shape) for x in xs])  # noqa: E731
    return YearPay(stack(earned), stack(paid), np.broadcast_to(settlement, shape), np.broadcast_to(total, shape),
                   stack(credited), stack(fraction))



#: a year's example attainments, one per period (a slow first quarter, a strong second, on target, just short)
EXAMPLE_ATTAINMENTS = {1: (1.0,), 2: (0.9, 1.05), 4: (0.8, 1.1, 1.0, 0.9),
                       12: (0.8, 0.85, 0.9, 1.1, 1.15, 1.05, 1.0, 1.0, 0.95, 0.9, 0.95, 0.85)}


def example_year(plan: Plan | dict[str, Any] | str) -> list[dict[str, float]]:
    """A worked year's actuals: each metric at :data:`EXAMPLE_ATTAINMENTS` of its target, period by period.

    >>> plan = load_plan({"name": "x", "period": "quarter", "target_incentive": {"amount": 1}, "metrics": [
    ...     {"id": "adoption", "name": "Adoption", "target": 0.9}], "components": [
    ...     {"id": "c", "metric": "adoption", "weight": 1, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    >>> [round(a["adoption"], 4) for a in example_year(plan)]
    [0.72, 0.99, 0.9, 0.81]
    """
    plan = load_plan(plan)
    out = []
    for att in EXAMPLE_ATTAINMENTS[plan.periods_per_year]:
        out.append({m.id: float(m.target * att if m.direction == "higher" else m.target * (2 - att))
                    for m in plan.metrics})
    return out


def year_table(plan: Plan | dict[str, Any] | str, actuals: Sequence[Mapping[str, Any]],
               employed: Sequence[Any] | None = None, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """A worked year as a table: one row per period end and one for the year end.

    Columns ``when``, ``fraction`` (the payout fraction measured then: the period's own or the year to date's),
    ``earned`` (E_t), ``paid`` (p_t; the year end's row: the settlement), all in fractions of one full
    period's target incentive; the year-end row has ``earned`` = E_P and no fraction.

    >>> plan = {"name": "A", "period": "quarter", "target_incentive": {"amount": 8000}, "schedule": {
    ...     "measure": "year_to_date"}, "metrics": [{"id": "a", "name": "Adoption", "target": 0.9}],
    ...     "components": [{"id": "c", "metric": "a", "weight": 1,
    ...                     "curve": {"kind": "linear", "points": [[0.9, 0.9], [1, 1], [1.5, 2]]}}]}
    >>> year_table(plan, example_year(plan))["paid"].round(6).tolist()
    [0.0, 1.9, 1.0, 0.9, 0.0]
    """
    plan = load_plan(plan)
    yp = pay_year(plan, actuals, employed)
    when = list(labels) if labels is not None else [f"Period {i + 1}" for i in range(plan.periods_per_year)]
    return pd.DataFrame({"when": [*when, "Year end"], "fraction": [*yp.fraction, np.nan],
                         "earned": [*yp.earned, yp.earned[-1]], "paid": [*yp.paid, yp.settlement]})
