"""Pricing a plan year: every person's year under their plan's schedule, for every trial at once.

People are priced in *groups*: the people of one plan with the same employed share of each period
(rows without dates are one group; a hire in August is another). Within a group everyone has the
same ``T_t``, so the plan's pricing units (:class:`~compcore.simulation.pricing.PriceContext`) carry
through the year unchanged and :class:`~compcore.plan.year.YearLedger` runs on ``(trials, units)``
arrays, one period at a time: the rule of :func:`~compcore.plan.year.pay_year`, vectorised.

A year-to-date plan measures the employed-weighted sum of each metric's draws so far,
``S_t = sum_s T_s v_s``, against the target x ``W_t = T_1 + ... + T_t`` (the plan's targets are
scaled by ``W_t`` for period t, so attainment is the year-to-date mean against the target). A draw
is a full period's value, so a ``sum`` metric's count in a partly employed period is ``T_s v_s``:
both ``accumulate`` rules read the same from a simulation (they differ only for actuals typed by hand).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from compcore.plan.schema import TOLERANCE, Plan
from compcore.plan.year import YearLedger
from compcore.simulation.calendar import employed_shares
from compcore.simulation.draws import roster_arrays
from compcore.simulation.pricing import SUB_ELEMENTS, PriceContext, price_context, slice_totals
from compcore.simulation.scenario import Scenario

__all__ = ["YearChunk", "YearGroup", "fold_year", "price_year_chunk", "year_groups"]


@dataclass(frozen=True)
class YearGroup:
    """The people of one plan employed the same share of each period (picklable, for executors)."""

    pid: str
    ctx: PriceContext           # their pricing units; an individual metric in the group's own columns
    cols: np.ndarray | None     # the group's columns of an individual metric's draws (None: all, in order)
    shares: tuple[float, ...]   # T_t: employed share of each period
    plans: tuple[Plan, ...]     # the plan measured at each period end (year to date: targets x W_t)

    @property
    def worked(self) -> float:
        """``W_P``: the periods worked in the year (full-period equivalents)."""
        return float(sum(self.shares))

    @property
    def ytd(self) -> bool:
        return self.ctx.plan.schedule.measure == "year_to_date"


def _scaled(plan: Plan, w: float) -> Plan:
    """The plan with every metric's target x ``w``: attainment of a sum of ``w`` periods' values = of their mean."""
    if w == 1.0 or w == 0.0:
        return plan
    return plan.model_copy(update={"metrics": [m.model_copy(update={"target": m.target * w}) for m in plan.metrics]})


def year_groups(scn: Scenario, team_index: np.ndarray, n_teams: int) -> list[YearGroup]:
    """The groups of the scenario's people (plans in order, then employment patterns in roster order)."""
    roster = list(scn.roster)
    shares = [tuple(employed_shares(scn.year_start, scn.period, r.start, r.end)) for r in roster]
    _, _, row_index = roster_arrays(roster)
    n_emp = len(row_index)
    out = []
    for pid, rows in scn.plan_rows.items():
        plan = scn.plans[pid]
        patterns: dict[tuple[float, ...], list[int]] = {}
        for i in rows:
            if roster[i].headcount > 0:
                patterns.setdefault(shares[i], []).append(i)
        for pattern, rs in patterns.items():
            cols = np.flatnonzero(np.isin(row_index, rs))
            ctx = price_context(plan, [roster[i] for i in rs], team_index[cols], n_teams=n_teams)
            worked = np.cumsum(pattern)
            plans = tuple(_scaled(plan, float(w)) for w in worked) if plan.schedule.measure == "year_to_date" \
                else (plan,) * len(pattern)
            whole = len(cols) == n_emp  # every employee, in order: no gather
            out.append(YearGroup(pid, ctx, None if whole else cols, pattern, plans))
    return out


@dataclass(frozen=True)
class YearChunk:
    """What pricing kept of one chunk of years."""

    paid: np.ndarray                    # (n, P + 1) money paid at each period end and at the year end
    plan_costs: dict[str, np.ndarray]   # plan id -> (n,) money for the year
    frac_sum: list[np.ndarray]          # per group: (U,) sum over years of the person-year payout fraction
    at_target: list[np.ndarray]         # per group: (U,) years paid >= 100% of the target for the time worked
    zero: list[np.ndarray]              # per group: (U,) years paid nothing
    kept: list[np.ndarray]              # per group: (rows, U) person-year fractions of the chunk's first rows
    year_end: dict[str, float]          # plan id -> year-end money summed over the chunk's years


def _local(g: YearGroup, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The group's metrics of one period, an individual metric cut to the group's columns."""
    out = {}
    for m in g.ctx.plan.metrics:
        v = values[m.id]
        out[m.id] = v[:, g.cols] if g.cols is not None and m.scope == "individual" else v
    return out


def _accumulate(acc: dict[str, np.ndarray], g: YearGroup, values: Mapping[str, np.ndarray], share: float) -> None:
    """``S_t = S_(t-1) + T_t v_t`` for each of the group's metrics (arrays owned by ``acc``)."""
    for mid, v in _local(g, values).items():
        if mid not in acc:
            acc[mid] = v * share  # a copy: the draws themselves are never written
        elif share == 1.0:
            acc[mid] += v
        elif share > 0.0:
            acc[mid] += share * v


def _rows(g: YearGroup) -> int:
    """Years per pricing slice: cache-sized arrays of units (a team-level plan's few units take a whole chunk
    at once, where a period's pricing would cut it in slices of 2,048 and pay Python's overhead per slice)."""
    return max(1, SUB_ELEMENTS // max(len(g.ctx.unit_target), 1))


def _money(x: np.ndarray | float, target: np.ndarray) -> np.ndarray | float:
    return x * float(target.sum()) if np.ndim(x) == 0 else x @ target


def price_year_chunk(groups: list[YearGroup], period: Callable[[int], Mapping[str, np.ndarray]], n: int,
                     n_periods: int, keep_rows: int) -> YearChunk:
    """Price ``n`` years whose period p draws are ``period(p)`` (asked for in order, once each)."""
    # each plan's payments apart, added in plan order at the end: the same sums whether the plans are priced
    # together (simulate_year) or one by one (the app re-pricing one edited plan)
    plan_paid = {g.pid: np.zeros((n, n_periods + 1)) for g in groups}
    costs = {g.pid: np.zeros(n) for g in groups}
    slices = [[(a, min(a + _rows(g), n)) for a in range(0, n, _rows(g))] for g in groups]
    ledgers = [[YearLedger(g.ctx.plan.schedule) for _ in s] for g, s in zip(groups, slices, strict=True)]
    acc: list[dict[str, np.ndarray]] = [{} for _ in groups]
    for p in range(n_periods):
        values = period(p)
        for gi, g in enumerate(groups):
            share = g.shares[p]
            if g.ytd:
                _accumulate(acc[gi], g, values, share)
                measured, ctx = acc[gi], replace(g.ctx, plan=g.plans[p])
                nothing = sum(g.shares[:p + 1]) == 0.0
            else:
                measured, ctx, nothing = _local(g, values), g.ctx, share == 0.0
            totals: Iterable[np.ndarray | float] = [0.0] * len(slices[gi]) if nothing else \
                slice_totals(ctx, measured, slices[gi])
            for (a, b), ledger, f in zip(slices[gi], ledgers[gi], totals, strict=True):
                money = _money(ledger.period(f, share)[1], g.ctx.unit_target)
                plan_paid[g.pid][a:b, p] += money
                costs[g.pid][a:b] += money
    frac_sum, at_target, zero, kept = [], [], [], []
    year_end = {g.pid: 0.0 for g in groups}
    for g, sl, lg in zip(groups, slices, ledgers, strict=True):
        units = len(g.ctx.unit_target)
        fs, at, zr, kp = np.zeros(units), np.zeros(units), np.zeros(units), []
        rows_left = keep_rows
        for (a, b), ledger in zip(sl, lg, strict=True):
            settle = ledger.settle()
            money = _money(settle, g.ctx.unit_target)
            plan_paid[g.pid][a:b, n_periods] += money
            costs[g.pid][a:b] += money
            year_end[g.pid] += float(np.sum(money)) * (1 if np.ndim(money) else b - a)
            worked = g.worked
            year = np.broadcast_to((ledger.paid + settle) / worked if worked > 0 else 0.0, (b - a, units))
            fs += year.sum(axis=0)
            at += np.count_nonzero(year >= 1.0 - TOLERANCE, axis=0)
            zr += np.count_nonzero(year <= TOLERANCE, axis=0)
            if rows_left > 0:
                kp.append(np.array(year[:rows_left]))
                rows_left -= b - a
        frac_sum.append(fs)
        at_target.append(at)
        zero.append(zr)
        kept.append(np.concatenate(kp) if kp else np.zeros((0, units)))
    paid: np.ndarray | None = None
    for one in plan_paid.values():
        paid = one if paid is None else paid + one
    return YearChunk(np.zeros((n, n_periods + 1)) if paid is None else paid, costs, frac_sum, at_target, zero, kept,
                     year_end)


def fold_year(parts: list[YearChunk]) -> YearChunk:
    """Consecutive chunks as one (rows in order, sums summed in chunk order)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return YearChunk(
        np.concatenate([p.paid for p in parts]),
        {pid: np.concatenate([p.plan_costs[pid] for p in parts]) for pid in first.plan_costs},
        [np.sum([p.frac_sum[i] for p in parts], axis=0) for i in range(len(first.frac_sum))],
        [np.sum([p.at_target[i] for p in parts], axis=0) for i in range(len(first.at_target))],
        [np.sum([p.zero[i] for p in parts], axis=0) for i in range(len(first.zero))],
        [np.concatenate([p.kept[i] for p in parts]) for i in range(len(first.kept))],
        {pid: sum(p.year_end[pid] for p in parts) for pid in first.year_end},
    )
