"""Monte Carlo of a plan year: what the year costs, paid when, with catch-up, holdback and true-ups.

``simulate_year(scn)``: one trial is one year of P periods (12, 4, 2 or 1); each person is paid by
:func:`~compcore.plan.year.pay_year` on the drawn values of each period, prorated by the share of each
period they are employed (roster ``start`` / ``end`` from the scenario's ``year_start``). The draws
(:mod:`compcore.simulation.year_draws`) carry each persistent metric's innovations from one period to
the next (AR(1)); pricing (:mod:`compcore.simulation.year_pricing`) runs the year's rule on
``(trials, people)`` arrays one period at a time. Chunked and seeded like ``simulate``: same seed,
same year, on any executor; memory bounded at 1,000,000 years.

``price_year(scn, draw_year(scn))`` gives exactly ``simulate_year(scn)``: the app and ``solve`` keep
the year's draws and re-price an edited plan on them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from compcore.errors import PlanError
from compcore.simulation.calendar import period_labels
from compcore.simulation.draws import (
    DrawSpec,
    Progress,
    chunk_groups,
    chunk_plan,
    draw_spec,
    roster_arrays,
    rows_per_chunk,
    run_chunks,
)
from compcore.simulation.results import FAIRNESS_VALUES, PlanTally, fairness_table
from compcore.simulation.scenario import Scenario, load_scenario
from compcore.simulation.year_draws import ChunkYear, YearDraws, YearSpec, year_chunk_trials, year_spec
from compcore.simulation.year_pricing import YearChunk, YearGroup, fold_year, price_year_chunk, year_groups

__all__ = ["YEAR_END", "PlanYear", "YearResult", "price_plan_year", "price_year", "simulate_year", "year_of_plans"]

#: the label of the last column of ``YearResult.paid``
YEAR_END = "Year end"
PLAN_COLUMNS = ("plan", "headcount", "target", "expected_cost", "pct_of_target", "expected_year_end")


@dataclass(frozen=True)
class _Heads:
    """The people of each team in each pricing unit of a plan's groups (for :func:`fairness_table`)."""

    heads: np.ndarray

    def unit_team_heads(self) -> np.ndarray:
        return self.heads


@dataclass(frozen=True, eq=False)
class YearResult:
    """The cost of a plan year over simulated years (money per year).

    Attributes
    ----------
    cost : ``(trials,)`` money paid for each year (every period end and the year end)
    paid : ``(trials, P + 1)`` paid at each period end, the last column at the year end
        (negative where a clawback recovers more than the year end pays)
    plan_costs : ``{plan id: (trials,)}`` each plan's year; they add up to ``cost``
    when : labels of ``paid``'s columns (``Q1 .. Q4, Year end``)
    budget : the year's budget (``annual_budget``, else ``budget`` x periods per year), or None
    annual_target : everyone's target incentive for the time they are employed (the year at 100% payout)
    trials, seed : what was simulated
    """

    cost: np.ndarray
    paid: np.ndarray
    plan_costs: dict[str, np.ndarray]
    when: tuple[str, ...]
    budget: float | None
    annual_target: float
    trials: int
    seed: int | None
    periods_per_year: int
    plan_names: dict[str, str] = field(default_factory=dict)
    _plans: dict[str, tuple[int, float]] = field(default_factory=dict, repr=False)
    _tallies: dict[str, PlanTally | None] = field(default_factory=dict, repr=False)
    _teams: tuple[str, ...] = field(default=(), repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def expected(self) -> float:
        """Mean cost of a year."""
        return float(self.cost.mean())

    @property
    def std(self) -> float:
        return float(self.cost.std())

    @property
    def percentiles(self) -> dict[str, float]:
        """``P10, P50, P90, P95`` of the year's cost."""
        qs = np.quantile(self.cost, [0.10, 0.50, 0.90, 0.95])
        return dict(zip(("P10", "P50", "P90", "P95"), map(float, qs), strict=True))

    @property
    def p_over_budget(self) -> float | None:
        """Share of years costing more than the year's budget; None without a budget."""
        return None if self.budget is None else float(np.mean(self.cost > self.budget))

    @property
    def settlement(self) -> np.ndarray:
        """``(trials,)`` the year-end payment of each year (``paid[:, -1]``)."""
        return self.paid[:, -1]

    def quantile(self, q: float | Sequence[float]) -> Any:
        """``np.quantile(cost, q)``: e.g. ``quantile(0.9)`` is the P90 cost of a year."""
        return np.quantile(self.cost, q)

    @property
    def by_period(self) -> pd.DataFrame:
        """One row per column of ``paid``: ``when, expected, p10, p90`` (money paid then)."""
        p10, p90 = np.quantile(self.paid, [0.10, 0.90], axis=0)
        return pd.DataFrame({"when": list(self.when), "expected": self.paid.mean(axis=0), "p10": p10, "p90": p90})

    @property
    def cost_by_plan(self) -> pd.DataFrame:
        """Per plan with people: ``plan, headcount, target, expected_cost, pct_of_target, expected_year_end``."""
        out = []
        for pid, (heads, target) in self._plans.items():
            expected = float(self.plan_costs[pid].mean())
            year_end = float(self._memo.get("year_end", {}).get(pid, 0.0))
            out.append((pid, heads, target, expected, expected / target if target > 0 else 0.0, year_end))
        return pd.DataFrame(out, columns=list(PLAN_COLUMNS))

    @property
    def fairness(self) -> pd.DataFrame:
        """One row per (team, plan) with people employed in the year: the columns of ``sim.fairness``, per
        person-year (payout as a fraction of the person's target incentive for the periods employed)."""
        if "fairness" not in self._memo:
            self._memo["fairness"] = fairness_table(self._tallies, self._teams, self.trials)
        return self._memo["fairness"].copy()


def _tallies(groups: list[YearGroup], stats: YearChunk) -> dict[str, PlanTally | None]:
    """Each plan's groups (people employed some time in the year) as one tally over their units."""
    out: dict[str, PlanTally | None] = {}
    for pid in dict.fromkeys(g.pid for g in groups):
        mine = [i for i, g in enumerate(groups) if g.pid == pid and g.worked > 0]
        if not mine:
            out[pid] = None
            continue
        heads = np.concatenate([groups[i].ctx.unit_team_heads() for i in mine])
        out[pid] = PlanTally(_Heads(heads), np.concatenate([stats.frac_sum[i] for i in mine]),  # type: ignore[arg-type]
                             np.concatenate([stats.at_target[i] for i in mine]),
                             np.concatenate([stats.zero[i] for i in mine]),
                             np.concatenate([stats.kept[i] for i in mine], axis=1))
    return out


def _result(scn: Scenario, groups: list[YearGroup], parts: list[YearChunk], trials: int, seed: int | None,
            teams: tuple[str, ...]) -> YearResult:
    stats = fold_year(parts)
    plan_costs = {pid: stats.plan_costs.get(pid, np.zeros(trials)) for pid in scn.plans}
    plans: dict[str, tuple[int, float]] = {}
    for g in groups:
        heads, target = plans.get(g.pid, (0, 0.0))
        plans[g.pid] = (heads + len(g.ctx.emp_target), target + float(g.ctx.unit_target.sum()) * g.worked)
    memo: dict[str, Any] = {"year_end": {pid: v / trials for pid, v in stats.year_end.items()}}
    n_periods = scn.periods_per_year
    when = (*period_labels(scn.period), YEAR_END)
    result = YearResult(
        cost=stats.paid.sum(axis=1), paid=stats.paid, plan_costs=plan_costs, when=when, budget=scn.year_budget,
        annual_target=sum(t for _, t in plans.values()), trials=int(trials), seed=seed, periods_per_year=n_periods,
        plan_names={pid: p.name for pid, p in scn.plans.items()}, _plans=plans,
        _tallies=_tallies(groups, stats) if groups else {}, _teams=teams, _memo=memo)
    return result


def _keep_rows(groups: list[YearGroup], n_chunks: int) -> list[int]:
    return rows_per_chunk(FAIRNESS_VALUES, sum(len(g.ctx.unit_target) for g in groups), n_chunks)


def _simulate_year_group(spec: DrawSpec, groups: list[YearGroup], year: YearSpec, n_periods: int,
                         jobs: list[tuple[int, np.random.SeedSequence, int]]) -> YearChunk:
    """Draw and price consecutive chunks of years ``(size, seed, kept rows)``: one task."""
    return fold_year([price_year_chunk(groups, ChunkYear(spec, n, seed, year).period, n, n_periods, keep)
                      for n, seed, keep in jobs])


def simulate_year(scn: Scenario | dict[str, Any] | str, trials: int = 10_000, seed: int | None = 0,
                  executor: Executor | None = None, progress: Progress | None = None) -> YearResult:
    """Monte Carlo cost of a plan year: ``trials`` years of the scenario's periods, paid by each plan's schedule.

    Parameters
    ----------
    scn : Scenario (or anything :func:`~compcore.simulation.scenario.load_scenario` accepts)
    trials : years to simulate (1,000,000 run in bounded memory, chunk by chunk)
    seed : same seed, same years
    executor : any ``concurrent.futures.Executor`` to run chunks on; identical result without one
    progress : called with the fraction done after each task

    Returns
    -------
    YearResult
        ``cost`` (trials,), ``paid`` (trials, P + 1), ``quantile``, ``expected``, ``p_over_budget``
        (against ``annual_budget``, else ``budget`` x P), ``plan_costs``, ``by_period``, ``fairness``.

    Notes
    -----
    ``cost[t] = sum_e target_e x (sum_p paid_e,p[t] + settlement_e[t])`` with ``target_e`` the per-period
    target incentive and the year's payments of :func:`~compcore.plan.year.pay_year` in fractions of it.
    With no persistence and the default schedule a year is P independent periods.

    Examples
    --------
    >>> yr = simulate_year("sample_data/scenarios/cs_org_teams.json", trials=2_000)  # doctest: +SKIP
    >>> yr.paid.shape  # doctest: +SKIP
    (2000, 5)
    """
    scn = load_scenario(scn)
    spec = draw_spec(scn)
    size = year_chunk_trials(spec)
    chunks = chunk_plan(trials, seed, size)
    teams, team_index, _ = roster_arrays(list(scn.roster))
    groups = year_groups(scn, team_index, len(teams))
    keep = _keep_rows(groups, len(chunks))
    ys = year_spec(scn)
    n_periods = scn.periods_per_year
    jobs = [(spec, groups, ys, n_periods, [(*chunks[i], keep[i]) for i in grp])
            for grp in chunk_groups(len(chunks), size)]
    parts = run_chunks(_simulate_year_group, jobs, executor, progress)
    return _result(scn, groups, parts, int(trials), seed, teams)  # type: ignore[arg-type]


def _check_draws(scn: Scenario, draws: YearDraws) -> None:
    first = draws.periods[0]
    problems = []
    if len(draws.periods) != scn.periods_per_year:
        problems.append(("period", f"the draws hold {len(draws.periods)} periods, a {scn.period} plan's year "
                                   f"{scn.periods_per_year}; draw the year again"))
    for mid, m in scn.metrics.items():
        if first.scopes.get(mid) != m.scope:
            problems.append(("metrics", f'no draws of "{mid}" at its {m.scope} scope; draw the year again'))
    teams, team_index, _ = roster_arrays(list(scn.roster))
    if teams != first.teams or not np.array_equal(team_index, first.team_index):
        problems.append(("roster", "does not match the roster the year was drawn for; draw it again"))
    if problems:
        raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)


@dataclass(frozen=True, eq=False)
class PlanYear:
    """One plan's priced year: its groups (people by employment pattern) and what they were paid in every
    trial. The app keeps one per plan, so an edit of one plan re-prices that plan's year only."""

    pid: str
    groups: list[YearGroup]
    stats: YearChunk | None  # None for a plan nobody is on


def _priced_groups(scn: Scenario, draws: YearDraws, groups: list[YearGroup], keep: list[int]) -> YearChunk | None:
    if not groups:
        return None
    n_periods = scn.periods_per_year
    chunks = list(draws.chunks())

    def priced(i: int) -> YearChunk:
        values = chunks[i][1]
        n = len(next(iter(values[0].values())))
        return price_year_chunk(groups, lambda p: values[p], n, n_periods, keep[i])

    n_chunks = len(chunks)
    return fold_year([fold_year([priced(i) for i in grp]) for grp in chunk_groups(n_chunks, draws.chunk_trials)])


def price_plan_year(scn: Scenario | dict[str, Any] | str, draws: YearDraws, pid: str) -> PlanYear:
    """The year of the people on plan ``pid`` priced on cached draws (see :func:`year_of_plans`)."""
    scn = load_scenario(scn)
    _check_draws(scn, draws)
    first = draws.periods[0]
    everyone = year_groups(scn, first.team_index, len(first.teams))
    keep = _keep_rows(everyone, math.ceil(draws.trials / draws.chunk_trials))  # as simulate_year keeps them
    groups = [g for g in everyone if g.pid == pid]
    return PlanYear(pid, groups, _priced_groups(scn, draws, groups, keep))


def year_of_plans(scn: Scenario | dict[str, Any] | str, draws: YearDraws, parts: dict[str, PlanYear]) -> YearResult:
    """The scenario's year from each plan's priced year (:func:`price_plan_year`), bit for bit
    :func:`price_year`: the plans' payments are added in plan order, as one pricing adds its groups."""
    scn = load_scenario(scn)
    first = draws.periods[0]
    groups: list[YearGroup] = []
    paid: np.ndarray | None = None
    costs: dict[str, np.ndarray] = {}
    lists: tuple[list[np.ndarray], ...] = ([], [], [], [])
    year_end: dict[str, float] = {}
    for pid in scn.plans:
        part = parts[pid]
        if part.stats is None:
            continue
        st = part.stats
        groups += part.groups
        paid = st.paid.copy() if paid is None else paid + st.paid
        costs.update(st.plan_costs)
        year_end.update(st.year_end)
        for out, src in zip(lists, (st.frac_sum, st.at_target, st.zero, st.kept), strict=True):
            out.extend(src)
    if paid is None:
        paid = np.zeros((draws.trials, scn.periods_per_year + 1))
    merged = YearChunk(paid, costs, *lists, year_end)
    return _result(scn, groups, [merged], draws.trials, draws.seed, first.teams)


def price_year(scn: Scenario | dict[str, Any] | str, draws: YearDraws) -> YearResult:
    """Price a scenario's year on cached draws (:func:`~compcore.simulation.year_draws.draw_year`).

    ``price_year(scn, draw_year(scn, trials, seed))`` is ``simulate_year(scn, trials, seed)`` exactly; an
    edited plan (a weight, a target, the schedule) re-prices the same years in a fraction of the time.
    """
    scn = load_scenario(scn)
    return year_of_plans(scn, draws, {pid: price_plan_year(scn, draws, pid) for pid in scn.plans})
