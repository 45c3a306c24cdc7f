"""The result of a simulation: the cost distribution, cost by team / role / plan, and fairness.

Built by :mod:`compcore.simulation.simulate` from what pricing kept of each plan
(:class:`PlanTally`). Fairness (DESIGN.md "Fairness") is per (team, plan) group of people:

- ``expected_payout``: mean payout fraction over the group's people and trials;
- ``p_at_or_above_target``: share of person-periods paid at least 100% of target (1e-9 tolerance);
- ``p_zero``: share of person-periods paid nothing;
- ``p10``, ``p90``: of the person-period payout fraction (``np.quantile``'s linear rule, exact over
  the trials kept: every trial up to :data:`FAIRNESS_VALUES` unit-periods, else the first rows of
  each chunk).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from compcore.simulation.pricing import PriceContext
from compcore.simulation.roster import RosterRow

__all__ = ["FAIRNESS_COLUMNS", "FAIRNESS_VALUES", "PlanTally", "SimulationResult", "weighted_quantile"]

#: unit payout fractions kept over all plans for the fairness p10 / p90 (32 MB of float64)
FAIRNESS_VALUES = 4_000_000
FAIRNESS_COLUMNS = ("team", "plan", "headcount", "expected_payout", "p_at_or_above_target", "p_zero", "p10", "p90")
PLAN_COLUMNS = ("plan", "headcount", "target", "expected_cost", "pct_of_target")
ROLE_COLUMNS = ("team", "role", "headcount", "plan", "expected_payout", "expected_cost", "p_at_or_above_target")


@dataclass(frozen=True, eq=False)
class PlanTally:
    """What pricing kept of the people on one plan (sums over trials, per pricing unit)."""

    ctx: PriceContext
    frac_sum: np.ndarray        # (U,) sum over trials of payout fractions
    at_target: np.ndarray       # (U,) trials paid >= 100% of target
    zero: np.ndarray            # (U,) trials paid nothing
    kept: np.ndarray            # (rows, U) payout fractions of the kept trials


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The cost distribution of a scenario's plans over simulated periods (money per plan period).

    Attributes
    ----------
    cost : ``(trials,)`` cost of each simulated period (every plan)
    plan_costs : ``{plan id: (trials,)}`` cost of the people on each plan; they add up to ``cost``.
        A single-plan scenario has the one key ``"plan"``; a plan nobody is on costs zeros.
    expected, std : mean and standard deviation of ``cost``
    percentiles : ``{"P10", "P50", "P90", "P95"}`` of ``cost`` (``np.quantile``, linear)
    budget : the scenario's budget per period, or None
    p_over_budget : share of trials with ``cost > budget``; None when there is no budget
    per_period_target : sum of everyone's per-period target incentive (cost at 100% payout)
    periods_per_year : 12, 4, 2 or 1
    annualised : ``expected * periods_per_year``
    cost_by_team : DataFrame ``team, headcount, target, expected_cost, pct_of_target`` (per period)
    cost_by_role : the same per ``team, role``
    cost_by_plan : DataFrame ``plan, headcount, target, expected_cost, pct_of_target``, plans with people
    fairness : DataFrame, one row per (team, plan) with people (see the module docstring)
    share_above_target : share of employee-periods paid above 100% of target
    share_zero : share of employee-periods paid nothing
    payout_pct : sample of individual payout fractions (at most PAYOUT_SAMPLE) for a histogram
    plan_names : ``{plan id: plan name}``
    trials, seed : what was simulated
    """

    cost: np.ndarray
    expected: float
    std: float
    percentiles: dict[str, float]
    budget: float | None
    p_over_budget: float | None
    per_period_target: float
    periods_per_year: int
    annualised: float
    share_above_target: float
    share_zero: float
    payout_pct: np.ndarray
    trials: int
    seed: int | None
    plan_costs: dict[str, np.ndarray] = field(default_factory=dict)
    plan_names: dict[str, str] = field(default_factory=dict)
    _rows: tuple[Any, ...] = field(default=(), repr=False)
    _tallies: dict[str, PlanTally | None] = field(default_factory=dict, repr=False)
    _teams: tuple[str, ...] = field(default=(), repr=False)
    _sens: Any = field(default=None, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def cost_by_team(self) -> pd.DataFrame:
        """Per team: ``team, headcount, target, expected_cost, pct_of_target`` (money per period)."""
        return group_rows(*self._rows, ("team",))

    @property
    def cost_by_role(self) -> pd.DataFrame:
        """Per team and role: ``team, role, headcount, target, expected_cost, pct_of_target``."""
        return group_rows(*self._rows, ("team", "role"))

    @property
    def cost_by_plan(self) -> pd.DataFrame:
        """Per plan with people: ``plan, headcount, target, expected_cost, pct_of_target`` (money per period)."""
        out = []
        for pid, t in self._tallies.items():
            if t is None:
                continue
            target = float(t.ctx.emp_target.sum())
            expected = float(self.plan_costs[pid].mean())
            out.append((pid, len(t.ctx.emp_target), target, expected, expected / target if target > 0 else 0.0))
        return pd.DataFrame(out, columns=list(PLAN_COLUMNS))

    @property
    def payout_by_role(self) -> pd.DataFrame:
        """Per (team, role) with people, in roster order: ``team, role, headcount, plan`` (plan ids, ", "-joined
        when its rows are on several), ``expected_payout`` (mean payout fraction over its people and trials),
        ``expected_cost`` (money per period), ``p_at_or_above_target`` (share of person-periods paid >= 100%)."""
        if "payout_by_role" not in self._memo:
            self._memo["payout_by_role"] = role_table(self._rows[0], self._tallies, self.trials)
        return self._memo["payout_by_role"].copy()

    @property
    def fairness(self) -> pd.DataFrame:
        """One row per (team, plan) with people: ``team, plan, headcount, expected_payout,
        p_at_or_above_target, p_zero, p10, p90`` (payout as a fraction of target incentive)."""
        if "fairness" not in self._memo:
            self._memo["fairness"] = fairness_table(self._tallies, self._teams, self.trials)
        return self._memo["fairness"].copy()

    def quantile(self, q: float | Sequence[float]) -> Any:
        """``np.quantile(cost, q)``: e.g. ``quantile(0.9)`` is the P90 cost per period."""
        return np.quantile(self.cost, q)

    def sensitivity(self) -> pd.DataFrame:
        """Which metric's uncertainty drives the cost variance (:func:`compcore.simulation.sensitivity.sensitivity`)."""
        if "sensitivity" not in self._memo:
            self._memo["sensitivity"] = self._sens()
        return self._memo["sensitivity"].copy()


def group_rows(roster: list[RosterRow], row_cost: np.ndarray, row_target: np.ndarray,
               keys: tuple[str, ...]) -> pd.DataFrame:
    """Headcount, target and expected cost per period per group of roster rows (e.g. per team)."""
    groups: dict[tuple[str, ...], list[float]] = {}
    for r, cost, target in zip(roster, row_cost, row_target, strict=True):
        g = groups.setdefault(tuple(getattr(r, k) for k in keys), [0, 0.0, 0.0])
        g[0] += r.headcount
        g[1] += target
        g[2] += cost
    out = pd.DataFrame([(*k, *v) for k, v in groups.items()],
                       columns=[*keys, "headcount", "target", "expected_cost"])
    out["pct_of_target"] = np.divide(out["expected_cost"], out["target"],
                                     out=np.zeros(len(out)), where=out["target"].to_numpy() > 0)
    return out


def role_table(roster: list[RosterRow], tallies: dict[str, PlanTally | None], trials: int) -> pd.DataFrame:
    """:attr:`SimulationResult.payout_by_role` from what pricing kept (per employee: its unit's sums)."""
    n = len(roster)
    frac, at, cost = np.zeros(n), np.zeros(n), np.zeros(n)
    plan_of: dict[int, str] = {}
    for pid, t in tallies.items():
        if t is None:
            continue
        ctx = t.ctx
        f = t.frac_sum[ctx.emp_unit] / trials
        frac += np.bincount(ctx.emp_row, weights=f, minlength=n)
        at += np.bincount(ctx.emp_row, weights=t.at_target[ctx.emp_unit] / trials, minlength=n)
        cost += np.bincount(ctx.emp_row, weights=f * ctx.emp_target, minlength=n)
        plan_of.update(dict.fromkeys(np.unique(ctx.emp_row).tolist(), pid))
    groups: dict[tuple[str, str], list[Any]] = {}
    for i, r in enumerate(roster):
        if r.headcount == 0:
            continue
        g = groups.setdefault((r.team, r.role), [0, [], 0.0, 0.0, 0.0])
        g[0] += r.headcount
        if plan_of[i] not in g[1]:
            g[1].append(plan_of[i])
        g[2], g[3], g[4] = g[2] + frac[i], g[3] + cost[i], g[4] + at[i]
    rows = [(team, role, heads, ", ".join(plans), fsum / heads, c, asum / heads)
            for (team, role), (heads, plans, fsum, c, asum) in groups.items()]
    return pd.DataFrame(rows, columns=list(ROLE_COLUMNS))


def weighted_quantile(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]) -> list[float]:
    """``np.quantile(np.repeat(values, weights), qs)`` (linear rule) without building the repeat.

    >>> weighted_quantile(np.array([0.0, 1.0, 2.0]), np.array([3, 1, 0]), [0.1, 0.9])
    [0.0, 0.7000000000000002]
    >>> [float(x) for x in np.quantile([0.0, 0.0, 0.0, 1.0], [0.1, 0.9])]
    [0.0, 0.7000000000000002]
    """
    if weights.size and weights.min() == 1 and weights.max() == 1:
        # every value counts once (one person per unit): numpy's own selection, no sort
        return [float(x) for x in np.quantile(values, list(qs))]
    keep = weights > 0
    order = np.argsort(values[keep], kind="stable")
    v, cum = values[keep][order], np.cumsum(weights[keep][order])
    n = cum[-1]
    out = []
    for q in qs:
        h = q * (n - 1)
        lo = int(np.floor(h))
        a = v[np.searchsorted(cum, lo, side="right")]
        b = v[np.searchsorted(cum, min(lo + 1, n - 1), side="right")]
        t = h - lo
        # numpy's lerp: from the nearer end, so the result is exact at t = 0 and t = 1
        out.append(float(b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t))
    return out


def fairness_table(tallies: dict[str, PlanTally | None], teams: Sequence[str], trials: int) -> pd.DataFrame:
    """The fairness DataFrame (see the module docstring), teams in roster order, then plans in order."""
    heads = {pid: t.ctx.unit_team_heads() for pid, t in tallies.items() if t is not None}
    out = []
    for k, team in enumerate(teams):
        for pid, t in tallies.items():
            if t is None:
                continue
            w = heads[pid][:, k]
            people = float(w.sum())
            if people == 0:
                continue
            periods = trials * people
            units = np.flatnonzero(w)
            kept = t.kept[:, units]
            p10, p90 = weighted_quantile(kept.ravel(), np.broadcast_to(w[units], kept.shape).ravel(), (0.1, 0.9))
            out.append((team, pid, int(people), float(t.frac_sum @ w) / periods, float(t.at_target @ w) / periods,
                        float(t.zero @ w) / periods, p10, p90))
    return pd.DataFrame(out, columns=list(FAIRNESS_COLUMNS))
