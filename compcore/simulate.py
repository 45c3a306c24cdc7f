"""Monte Carlo cost of a plan: price metric draws, summarise the cost distribution.

``simulate(scn) == price(scn.plan, draw_metrics(scn), scn.roster, scn.budget)``:
the draws (:mod:`compcore.draws`) depend only on assumptions, correlations,
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

from compcore.draws import (
    CHUNK_TRIALS,
    MetricDraws,
    Progress,
    _draw_chunk,
    _DrawSpec,
    _spec,
    chunk_plan,
    roster_arrays,
    run_chunks,
)
from compcore.errors import PlanError
from compcore.payout import payout
from compcore.plan import TOLERANCE, Plan, load_plan
from compcore.scenario import RosterRow, Scenario, load_scenario, roster_rows, row_period_targets

__all__ = ["PAYOUT_SAMPLE", "SENSITIVITY_TRIALS", "SimulationResult", "price", "simulate"]

#: at most this many individual payout fractions are kept for a histogram
PAYOUT_SAMPLE = 200_000
#: pricing works on row slices of this many trials (cache-sized arrays)
SUB_TRIALS = 2048
#: the sensitivity ranking re-prices at most this many trials (the first chunk)
SENSITIVITY_TRIALS = CHUNK_TRIALS


@dataclass(frozen=True)
class _PriceCtx:
    """What pricing a chunk needs (picklable, for executors).

    Pricing runs per *unit*, at the finest scope among the plan's metrics. With
    no individual metric, everyone in a team gets the same payout fraction, so
    a team is priced once with its summed target incentive (same cost, a
    fraction of the work). With individual metrics, each team is cut into
    blocks of ``slots`` people, shape ``(n, blocks, slots)``: team metrics
    broadcast as ``(n, blocks, 1)`` so their curves run once per block, not
    once per person; a block's empty slots carry a zero target. ``slots`` = 1
    is one unit per person; the cheapest size is chosen (:func:`_blocks`).
    """

    plan: Plan
    level: str                  # "individual" | "team" | "company"
    slots: int                  # individual level: people per block
    block_team: np.ndarray      # individual level: (blocks,) team of each block
    unit_target: np.ndarray     # (U,) summed per-period target incentive of each unit (0 for an empty slot)
    unit_heads: np.ndarray      # (U,) people in each unit
    emp_unit: np.ndarray        # (E,) unit of each employee
    emp_target: np.ndarray      # (E,) per-period target incentive of each employee
    team_index: np.ndarray      # (E,) team of each employee


@dataclass(frozen=True)
class _ChunkStats:
    cost: np.ndarray            # (n,)
    frac_sum: np.ndarray        # (U,) sum over trials of payout fractions
    n_above: float              # employee-periods paid above 100%
    n_zero: float               # employee-periods paid nothing
    sample: np.ndarray          # individual payout fractions of the chunk's first rows


def _context(plan: Plan, roster: list[RosterRow], team_index: np.ndarray) -> _PriceCtx:
    _, _, row_index = roster_arrays(roster)
    row_target = np.array(row_period_targets(plan, roster), dtype=float)
    emp_target = row_target[row_index]
    n_emp, n_teams = len(emp_target), int(team_index.max()) + 1
    scopes = [m.scope for m in plan.metrics]
    level = "individual" if "individual" in scopes else "team" if "team" in scopes else "company"
    slots, block_team = 1, np.zeros(0, dtype=np.intp)
    if level == "company":
        emp_unit, n_units = np.zeros(n_emp, dtype=np.intp), 1
    elif level == "team":
        emp_unit, n_units = team_index, n_teams
    else:
        slots, block_team, emp_unit = _blocks(team_index, n_teams, scopes.count("team"), scopes.count("individual"))
        n_units = len(block_team) * slots
    unit_target = np.bincount(emp_unit, weights=emp_target, minlength=n_units)
    unit_heads = np.bincount(emp_unit, minlength=n_units).astype(float)
    return _PriceCtx(plan, level, slots, block_team, unit_target, unit_heads, emp_unit, emp_target, team_index)


def _blocks(team_index: np.ndarray, n_teams: int, n_team: int, n_ind: int) -> tuple[int, np.ndarray, np.ndarray]:
    """``(slots, block_team, emp_unit)``: teams cut into blocks of ``slots`` people, the cheapest size.

    Cost model in full-size array passes per trial: individual curves ~6, the
    weighted sum, gates and cap ~3 over every slot; team curves ~6 per block.
    """
    sizes = np.bincount(team_index, minlength=n_teams)
    best = None
    for b in range(1, int(sizes.max()) + 1):
        n_blocks = int(np.sum(-(-sizes // b)))
        cost = n_blocks * b * (6 * n_ind + n_team + 3) + n_blocks * 6 * n_team + len(team_index) * n_ind
        if best is None or cost < best[0]:
            best = (cost, b)
    slots = best[1]  # type: ignore[index]
    per_team = -(-sizes // slots)
    block_team = np.repeat(np.arange(n_teams), per_team)
    first_block = np.concatenate([[0], np.cumsum(per_team)[:-1]])
    order = np.argsort(team_index, kind="stable")
    rank = np.empty(len(team_index), dtype=np.intp)  # position of each employee inside its team
    rank[order] = np.arange(len(team_index)) - np.concatenate([[0], np.cumsum(sizes)[:-1]])[team_index[order]]
    emp_unit = (first_block[team_index] + rank // slots) * slots + rank % slots
    return slots, block_team, emp_unit


def _actuals(ctx: _PriceCtx, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each metric's draws shaped to broadcast to ``(n, units)``, or ``(n, blocks, slots)`` with individual metrics."""
    out = {}
    blocks = ctx.level == "individual"
    for m in ctx.plan.metrics:
        v = values[m.id]
        if m.scope == "company":
            out[m.id] = v[:, None, None] if blocks else v[:, None]
        elif m.scope == "team" and blocks:
            out[m.id] = v[:, ctx.block_team, None]
        elif m.scope == "individual":
            full = np.zeros((len(v), len(ctx.unit_target)))
            full[:, ctx.emp_unit] = v  # empty slots stay 0: priced, but their target is 0
            out[m.id] = full.reshape(len(v), -1, ctx.slots)
        else:
            out[m.id] = v
    return out


def _totals(ctx: _PriceCtx, values: dict[str, np.ndarray]) -> np.ndarray:
    """Total payout fraction, shape ``(n, units)``."""
    n = len(next(iter(values.values())))
    total = np.asarray(payout(ctx.plan, _actuals(ctx, values)).total)
    if ctx.level == "individual":
        total = np.broadcast_to(total, (n, len(ctx.block_team), ctx.slots)).reshape(n, -1)
    return np.broadcast_to(total, (n, len(ctx.unit_target)))


def _blocks_of(values: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """Row slices of :data:`SUB_TRIALS` trials: arrays that fit in cache price ~1.5x faster."""
    n = len(next(iter(values.values())))
    return [{k: v[s:s + SUB_TRIALS] for k, v in values.items()} for s in range(0, n, SUB_TRIALS)]


def _price_chunk(ctx: _PriceCtx, values: dict[str, np.ndarray], sample_rows: int) -> _ChunkStats:
    costs, samples = [], []
    frac_sum = np.zeros(len(ctx.unit_target))
    n_above = n_zero = 0.0
    for block in _blocks_of(values):
        total = _totals(ctx, block)
        costs.append(total @ ctx.unit_target)
        frac_sum += total.sum(axis=0)
        n_above += float(np.count_nonzero(total > 1.0 + TOLERANCE, axis=0) @ ctx.unit_heads)
        n_zero += float(np.count_nonzero(total <= TOLERANCE, axis=0) @ ctx.unit_heads)
        if sample_rows > 0:
            samples.append(total[:sample_rows][:, ctx.emp_unit].ravel())
            sample_rows -= len(total)
    return _ChunkStats(np.concatenate(costs), frac_sum, n_above, n_zero, np.concatenate(samples))


def _cost_chunk(ctx: _PriceCtx, values: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([_totals(ctx, block) @ ctx.unit_target for block in _blocks_of(values)])


def _simulate_chunk(spec: _DrawSpec, ctx: _PriceCtx, n: int, seed: np.random.SeedSequence,
                    sample_rows: int) -> _ChunkStats:
    return _price_chunk(ctx, _draw_chunk(spec, n, seed), sample_rows)


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
        """Which metric's uncertainty drives the cost variance; see :func:`compcore.sensitivity.sensitivity`."""
        if "sensitivity" not in self._memo:
            from compcore.sensitivity import sensitivity

            plan, roster, draws = self._sens_input[:3]
            if draws is None:  # from simulate(): redraw the first chunk (deterministic from its seed)
                spec, n, seed, teams = self._sens_input[3:]
                draws = MetricDraws(_draw_chunk(spec, n, seed), dict(zip(spec.order, spec.scopes, strict=True)),
                                    teams, spec.team_index, n, self.seed)
            self._memo["sensitivity"] = sensitivity(plan, draws, roster, max_trials=SENSITIVITY_TRIALS)
        return self._memo["sensitivity"].copy()


def _sample_rows(trials: int, n_employees: int) -> int:
    n_chunks = math.ceil(trials / CHUNK_TRIALS)
    return max(1, math.ceil(PAYOUT_SAMPLE / (n_employees * n_chunks)))


def _row_costs(roster: list[RosterRow], ctx: _PriceCtx, frac_mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _result(ctx: _PriceCtx, roster: list[RosterRow], stats: list[_ChunkStats], trials: int,
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
    draws : from :func:`~compcore.draws.draw_metrics`
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
    ctx = _context(plan, rows, team_index)
    r = _sample_rows(draws.trials, draws.n_employees)
    stats = [_price_chunk(ctx, vals, r) for _, vals in draws.chunks()]
    return _result(ctx, rows, stats, draws.trials, budget, draws.seed, (plan, rows, draws))


def simulate(scn: Scenario | dict[str, Any] | str, trials: int = 10_000, seed: int | None = 0,
             executor: Executor | None = None, progress: Progress | None = None) -> SimulationResult:
    """Monte Carlo cost of a scenario's plan over ``trials`` simulated periods.

    Parameters
    ----------
    scn : Scenario (or anything :func:`~compcore.scenario.load_scenario` accepts)
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
    spec = _spec(scn)
    chunks = chunk_plan(trials, seed)
    ctx = _context(scn.plan, list(scn.roster), spec.team_index)
    r = _sample_rows(int(trials), len(spec.team_index))
    stats = run_chunks(_simulate_chunk, [(spec, ctx, n, s, r) for n, s in chunks], executor, progress)
    teams, _, _ = roster_arrays(scn.roster)
    sens = (scn.plan, list(scn.roster), None, spec, chunks[0][0], chunks[0][1], teams)
    return _result(ctx, list(scn.roster), stats, int(trials), scn.budget, seed, sens)  # type: ignore[arg-type]
