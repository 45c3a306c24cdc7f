"""Monte Carlo cost of a plan: price metric draws, summarise the cost distribution.

``simulate(scn) == price(scn.plan, draw_metrics(scn), scn.roster, scn.budget)``:
the draws (:mod:`compcore.simulation.draws`) depend only on assumptions, correlations,
roster, scopes, trials and seed; :func:`price` re-prices cached draws for an
edited plan in milliseconds. :func:`simulate` streams chunk by chunk (draw,
price, keep only the cost), so 1,000,000 trials run in bounded memory.

One trial is one plan period. ``cost[t] = sum_e target_e * payout_e[t]``, with
``target_e`` the per-period target incentive (annual / periods per year; a
roster override replaces the plan's) and ``payout_e[t]`` the total payout
fraction of employee e in trial t.
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
from compcore.plan.schema import Plan, load_plan
from compcore.simulation.draws import (
    CHUNK_TRIALS,
    DrawSpec,
    MetricDraws,
    Progress,
    chunk_plan,
    draw_chunk,
    draw_spec,
    roster_arrays,
    run_chunks,
)
from compcore.simulation.pricing import ChunkStats, PriceContext, price_chunk, price_context
from compcore.simulation.roster import RosterRow, roster_rows
from compcore.simulation.scenario import Scenario, load_scenario
from compcore.simulation.sensitivity import sensitivity

__all__ = ["PAYOUT_SAMPLE", "SENSITIVITY_TRIALS", "SimulationResult", "price", "simulate"]

#: at most this many individual payout fractions are kept for a histogram
PAYOUT_SAMPLE = 200_000
#: the sensitivity ranking re-prices at most this many trials (the first chunk)
SENSITIVITY_TRIALS = CHUNK_TRIALS


def _simulate_chunk(spec: DrawSpec, ctx: PriceContext, n: int, seed: np.random.SeedSequence,
                    sample_rows: int) -> ChunkStats:
    return price_chunk(ctx, draw_chunk(spec, n, seed), sample_rows)


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The cost distribution of a plan over simulated periods (money per plan period).

    Attributes
    ----------
    cost : ``(trials,)`` cost of each simulated period
    expected, std : mean and standard deviation of ``cost``
    percentiles : ``{"P10", "P50", "P90", "P95"}`` of ``cost`` (``np.quantile``, linear)
    budget : the scenario's budget per period, or None
    p_over_budget : share of trials with ``cost > budget``; None when there is no budget
    per_period_target : sum of everyone's per-period target incentive (cost at 100% payout)
    periods_per_year : 12, 4, 2 or 1
    annualised : ``expected * periods_per_year``
    cost_by_team : DataFrame ``team, headcount, target, expected_cost, pct_of_target`` (per period)
    cost_by_role : the same per ``team, role``
    share_above_target : share of employee-periods paid above 100% of target
    share_zero : share of employee-periods paid nothing
    payout_pct : sample of individual payout fractions (at most PAYOUT_SAMPLE) for a histogram
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
    _rows: tuple[Any, ...] = field(default=(), repr=False)
    _sens_input: tuple[Any, ...] = field(default=(), repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def cost_by_team(self) -> pd.DataFrame:
        """Per team: ``team, headcount, target, expected_cost, pct_of_target`` (money per period)."""
        return _group(*self._rows, ("team",))

    @property
    def cost_by_role(self) -> pd.DataFrame:
        """Per team and role: ``team, role, headcount, target, expected_cost, pct_of_target``."""
        return _group(*self._rows, ("team", "role"))

    def quantile(self, q: float | Sequence[float]) -> Any:
        """``np.quantile(cost, q)``: e.g. ``quantile(0.9)`` is the P90 cost per period."""
        return np.quantile(self.cost, q)

    def sensitivity(self) -> pd.DataFrame:
        """Which metric's uncertainty drives the cost variance (:func:`compcore.simulation.sensitivity.sensitivity`)."""
        if "sensitivity" not in self._memo:
            plan, roster, draws = self._sens_input[:3]
            if draws is None:  # from simulate(): redraw the first chunk (deterministic from its seed)
                spec, n, seed, teams = self._sens_input[3:]
                draws = MetricDraws(draw_chunk(spec, n, seed), dict(zip(spec.order, spec.scopes, strict=True)),
                                    teams, spec.team_index, n, self.seed)
            self._memo["sensitivity"] = sensitivity(plan, draws, roster, max_trials=SENSITIVITY_TRIALS)
        return self._memo["sensitivity"].copy()


def _sample_rows(trials: int, n_employees: int) -> int:
    n_chunks = math.ceil(trials / CHUNK_TRIALS)
    return max(1, math.ceil(PAYOUT_SAMPLE / (n_employees * n_chunks)))


def _row_costs(roster: list[RosterRow], ctx: PriceContext, frac_mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected cost and target per period of each roster row."""
    _, _, row_index = roster_arrays(roster)
    emp_cost = frac_mean[ctx.emp_unit] * ctx.emp_target
    return (np.bincount(row_index, weights=emp_cost, minlength=len(roster)),
            np.bincount(row_index, weights=ctx.emp_target, minlength=len(roster)))


def _group(roster: list[RosterRow], row_cost: np.ndarray, row_target: np.ndarray,
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


def _result(ctx: PriceContext, roster: list[RosterRow], stats: list[ChunkStats], trials: int,
            budget: float | None, seed: int | None, sens_input: tuple[Any, ...]) -> SimulationResult:
    cost = np.concatenate([s.cost for s in stats]) if len(stats) > 1 else stats[0].cost
    frac_mean = np.sum([s.frac_sum for s in stats], axis=0) / trials
    employee_periods = trials * len(ctx.emp_target)
    expected = float(cost.mean())
    pcts = np.quantile(cost, [0.10, 0.50, 0.90, 0.95])
    return SimulationResult(
        cost=cost,
        expected=expected,
        std=float(cost.std()),
        percentiles=dict(zip(("P10", "P50", "P90", "P95"), map(float, pcts), strict=True)),
        budget=budget,
        p_over_budget=None if budget is None else float(np.mean(cost > budget)),
        per_period_target=float(ctx.emp_target.sum()),
        periods_per_year=ctx.plan.periods_per_year,
        annualised=expected * ctx.plan.periods_per_year,
        _rows=(roster, *_row_costs(roster, ctx, frac_mean)),
        share_above_target=sum(s.n_above for s in stats) / employee_periods,
        share_zero=sum(s.n_zero for s in stats) / employee_periods,
        payout_pct=np.concatenate([s.sample for s in stats])[:PAYOUT_SAMPLE],
        trials=trials,
        seed=seed,
        _sens_input=sens_input,
    )


def price(plan: Plan | dict[str, Any] | str, draws: MetricDraws, roster: Sequence[RosterRow | dict[str, Any]],
          budget: float | None = None) -> SimulationResult:
    """Price cached metric draws for a plan: the cost distribution, no new randomness.

    Parameters
    ----------
    plan : the (possibly edited) plan; its metrics must be in ``draws`` with the same scopes
    draws : from :func:`~compcore.simulation.draws.draw_metrics`
    roster : the roster the draws were made for (``scenario.roster``)
    budget : money per period, for ``p_over_budget``

    Notes
    -----
    ``cost[t] = sum_e target_e * payout(plan, draws[t, e]).total``.

    Examples
    --------
    >>> draws = draw_metrics(scn, trials=10_000, seed=0)  # doctest: +SKIP
    >>> price(edited_plan, draws, scn.roster, scn.budget).expected  # doctest: +SKIP
    """
    plan = load_plan(plan)
    rows = roster_rows(roster)
    for m in plan.metrics:
        if m.id not in draws.values:
            raise PlanError(f'metrics: no draws for metric "{m.id}"; draw the metrics again for this plan',
                            problems=[("metrics", f'no draws for metric "{m.id}"')])
        if draws.scopes[m.id] != m.scope:
            raise PlanError(f'metrics: "{m.id}" is now {m.scope}-scoped but was drawn {draws.scopes[m.id]}-scoped; '
                            "draw the metrics again", problems=[("metrics", f'scope of "{m.id}" changed')])
    teams, team_index, _ = roster_arrays(rows)
    if teams != draws.teams or not np.array_equal(team_index, draws.team_index):
        raise PlanError("roster: does not match the roster the metrics were drawn for; draw them again",
                        problems=[("roster", "does not match the draws")])
    ctx = price_context(plan, rows, team_index)
    r = _sample_rows(draws.trials, draws.n_employees)
    stats = [price_chunk(ctx, vals, r) for _, vals in draws.chunks()]
    return _result(ctx, rows, stats, draws.trials, budget, draws.seed, (plan, rows, draws))


def simulate(scn: Scenario | dict[str, Any] | str, trials: int = 10_000, seed: int | None = 0,
             executor: Executor | None = None, progress: Progress | None = None) -> SimulationResult:
    """Monte Carlo cost of a scenario's plan over ``trials`` simulated periods.

    Parameters
    ----------
    scn : Scenario (or anything :func:`~compcore.simulation.scenario.load_scenario` accepts)
    trials : periods to simulate (1,000,000 runs in bounded memory, chunk by chunk)
    seed : same seed, same result
    executor : any ``concurrent.futures.Executor`` (process pool, Dask, Ray) to run chunks on;
        the result is identical without one and for any number of workers
    progress : called with the fraction done after each chunk

    Returns
    -------
    SimulationResult

    Notes
    -----
    ``cost[t] = sum_e (annual target_e / periods per year) * payout_e[t]``; a
    ``company`` metric is drawn once per trial, ``team`` once per team,
    ``individual`` once per employee.

    Examples
    --------
    >>> sim = simulate("sample_data/scenarios/cs_ops_enablement.json", trials=10_000, seed=0)  # doctest: +SKIP
    >>> sim.quantile(0.9) == np.quantile(sim.cost, 0.9)  # doctest: +SKIP
    True
    """
    scn = load_scenario(scn)
    spec = draw_spec(scn)
    chunks = chunk_plan(trials, seed)
    ctx = price_context(scn.plan, list(scn.roster), spec.team_index)
    r = _sample_rows(int(trials), len(spec.team_index))
    stats = run_chunks(_simulate_chunk, [(spec, ctx, n, s, r) for n, s in chunks], executor, progress)
    teams, _, _ = roster_arrays(scn.roster)
    sens = (scn.plan, list(scn.roster), None, spec, chunks[0][0], chunks[0][1], teams)
    return _result(ctx, list(scn.roster), stats, int(trials), scn.budget, seed, sens)  # type: ignore[arg-type]
