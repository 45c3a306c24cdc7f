"""Monte Carlo cost of a scenario's plans: price metric draws, summarise the cost distribution.

``simulate(scn) == price_scenario(scn, draw_metrics(scn))``: the draws
(:mod:`compcore.simulation.draws`) depend only on assumptions, correlations, roster, scopes,
trials and seed; :func:`price_scenario` (or :func:`price` for one edited plan) re-prices cached
draws in milliseconds. :func:`simulate` streams chunk by chunk (draw, price every plan, keep
only the cost), so 1,000,000 trials run in bounded memory; both go through the same
:func:`_price_chunks`.

One trial is one plan period. ``cost[t] = sum_e target_e * payout_e[t]``, with ``target_e`` the
per-period target incentive (annual / periods per year; a roster override replaces the plan's)
and ``payout_e[t]`` the total payout fraction of employee e in trial t under the plan e is on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np

from compcore.errors import PlanError
from compcore.plan.kernel import kernel
from compcore.plan.schema import Plan, load_plan
from compcore.simulation.draw_reuse import Reuse, draw_after, reuse_plan
from compcore.simulation.draws import (
    CHUNK_TRIALS,
    Affine,
    DrawSpec,
    MetricDraws,
    Progress,
    chunk_groups,
    chunk_plan,
    chunk_trials,
    draw_chunk,
    draw_chunk_scaled,
    draw_spec,
    roster_arrays,
    rows_per_chunk,
    run_chunks,
)
from compcore.simulation.org import SINGLE_PLAN_ID, is_single, org_problems, shared_metrics
from compcore.simulation.pricing import ChunkStats, PlanContexts, fold_stats, plan_contexts, price_chunk
from compcore.simulation.results import FAIRNESS_VALUES, PlanTally, SimulationResult
from compcore.simulation.roster import RosterRow, roster_rows
from compcore.simulation.scenario import Scenario, load_scenario
from compcore.simulation.sensitivity import rank_metrics

__all__ = ["PAYOUT_SAMPLE", "SENSITIVITY_TRIALS", "SimulationResult", "price", "price_scenario", "simulate",
           "simulate_pair"]

#: at most this many individual payout fractions are kept for a histogram
PAYOUT_SAMPLE = 200_000
#: the sensitivity ranking re-prices at most this many trials (the first chunk) ...
SENSITIVITY_TRIALS = CHUNK_TRIALS
#: ... from at most this many chunks (a wide roster's chunks are short: 4 x 4,000,000 values at most)
SENSITIVITY_CHUNKS = 4

PlansLike = Plan | dict[str, Any] | str | Mapping[str, Plan | dict[str, Any]]


def _price_chunks(ctxs: PlanContexts, values: dict[str, np.ndarray], sample_rows: int,
                  keep_rows: int, affine: Affine | None = None) -> dict[str, ChunkStats]:
    """Every plan with people priced over one chunk of draws."""
    return {pid: price_chunk(ctx, values, sample_rows, keep_rows, affine)
            for pid, ctx in ctxs.items() if ctx is not None}


def _draw_for(ctxs: PlanContexts, spec: DrawSpec, n: int, seed: np.random.SeedSequence
              ) -> tuple[dict[str, np.ndarray], Affine | None]:
    """One chunk's draws for pricing: normals left unscaled when the fused kernel prices every plan (it scales
    them as it reads them), else the values."""
    if kernel() is not None and all(c is None or c.fused is not None for c in ctxs.values()):
        return draw_chunk_scaled(spec, n, seed)
    return draw_chunk(spec, n, seed), None


def _fold(parts: list[dict[str, ChunkStats]]) -> dict[str, ChunkStats]:
    return {pid: fold_stats([p[pid] for p in parts]) for pid in parts[0]}


def _simulate_group(spec: DrawSpec, ctxs: PlanContexts,
                    group: list[tuple[int, np.random.SeedSequence, int, int]]) -> dict[str, ChunkStats]:
    """Draw and price consecutive chunks ``(size, seed, sample rows, kept rows)``: one task."""
    parts = []
    for n, seed, r, k in group:
        values, affine = _draw_for(ctxs, spec, n, seed)
        parts.append(_price_chunks(ctxs, values, r, k, affine))
    return _fold(parts)


def _sample_rows(n_chunks: int, n_employees: int) -> list[int]:
    return rows_per_chunk(PAYOUT_SAMPLE, n_employees, n_chunks)


def _keep_rows(ctxs: PlanContexts, n_chunks: int) -> list[int]:
    return rows_per_chunk(FAIRNESS_VALUES, sum(len(c.unit_target) for c in ctxs.values() if c is not None), n_chunks)


def _row_costs(roster: list[RosterRow], tallies: dict[str, PlanTally | None],
               trials: int) -> tuple[np.ndarray, np.ndarray]:
    """Expected cost and target per period of each roster row."""
    cost, target = np.zeros(len(roster)), np.zeros(len(roster))
    for t in tallies.values():
        if t is None:
            continue
        ctx = t.ctx
        emp_cost = (t.frac_sum / trials)[ctx.emp_unit] * ctx.emp_target
        cost = cost + np.bincount(ctx.emp_row, weights=emp_cost, minlength=len(roster))
        target = target + np.bincount(ctx.emp_row, weights=ctx.emp_target, minlength=len(roster))
    return cost, target


def _result(ctxs: PlanContexts, plans: Mapping[str, Plan], roster: list[RosterRow],
            stats: list[dict[str, ChunkStats]], trials: int, budget: float | None, seed: int | None,
            teams: tuple[str, ...], sens: Any) -> SimulationResult:
    plan_costs: dict[str, np.ndarray] = {}
    tallies: dict[str, PlanTally | None] = {}
    for pid, ctx in ctxs.items():
        if ctx is None:
            plan_costs[pid], tallies[pid] = np.zeros(trials), None
            continue
        mine = [s[pid] for s in stats]
        plan_costs[pid] = np.concatenate([s.cost for s in mine]) if len(mine) > 1 else mine[0].cost
        tallies[pid] = PlanTally(ctx, np.sum([s.frac_sum for s in mine], axis=0),
                                 np.sum([s.at_target for s in mine], axis=0), np.sum([s.zero for s in mine], axis=0),
                                 mine[0].kept if len(mine) == 1 else np.concatenate([s.kept for s in mine]))
    costs = iter(plan_costs[pid] for pid in sorted(plan_costs))  # by id: the plans' order changes no bit
    cost = next(costs)
    for c in costs:
        cost = cost + c
    employee_periods = trials * sum(len(c.emp_target) for c in ctxs.values() if c is not None)
    expected = float(cost.mean())
    pcts = np.quantile(cost, [0.10, 0.50, 0.90, 0.95])
    ppy = next(iter(plans.values())).periods_per_year
    return SimulationResult(
        cost=cost,
        expected=expected,
        std=float(cost.std()),
        percentiles=dict(zip(("P10", "P50", "P90", "P95"), map(float, pcts), strict=True)),
        budget=budget,
        p_over_budget=None if budget is None else float(np.mean(cost > budget)),
        per_period_target=float(sum(c.emp_target.sum() for c in ctxs.values() if c is not None)),
        periods_per_year=ppy,
        annualised=expected * ppy,
        share_above_target=sum(x.n_above for s in stats for x in s.values()) / employee_periods,
        share_zero=sum(x.n_zero for s in stats for x in s.values()) / employee_periods,
        payout_pct=np.concatenate([s[pid].sample for s in stats for pid in sorted(s)])[:PAYOUT_SAMPLE],
        trials=trials,
        seed=seed,
        plan_costs=plan_costs,
        plan_names={pid: p.name for pid, p in plans.items()},
        _rows=(roster, *_row_costs(roster, tallies, trials)),
        _tallies=tallies,
        _teams=teams,
        _sens=sens,
    )


def _as_plans(plan: PlansLike) -> tuple[dict[str, Plan], bool]:
    """``({plan id: Plan}, single)`` from one plan or a mapping of plan id -> plan."""
    if isinstance(plan, Mapping) and plan and all(isinstance(v, Plan | Mapping) for v in plan.values()) \
            and not {"metrics", "components"} & set(plan):
        plans: dict[str, Plan] = {}
        problems: list[tuple[str, str]] = []
        for pid, p in plan.items():
            try:
                plans[str(pid)] = load_plan(p)  # type: ignore[arg-type]
            except PlanError as e:
                problems.extend((f"plans.{pid}.{path}".rstrip("."), m) for path, m in e.problems)
        if problems:
            raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
        return plans, False
    return {SINGLE_PLAN_ID: load_plan(plan)}, True  # type: ignore[arg-type]


def _check_draws(plans: Mapping[str, Plan], draws: MetricDraws, rows: list[RosterRow]) -> None:
    for m in shared_metrics(plans).values():
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


def price(plan: PlansLike, draws: MetricDraws, roster: Sequence[RosterRow | dict[str, Any]],
          budget: float | None = None) -> SimulationResult:
    """Price cached metric draws: the cost distribution, no new randomness.

    Parameters
    ----------
    plan : the (possibly edited) plan everyone is on, or an org's ``{plan id: plan}`` (every roster
        row naming its ``plan``), or any ``scenario.plans``; their metrics must be in ``draws``
        with the same scopes
    draws : from :func:`~compcore.simulation.draws.draw_metrics`
    roster : the roster the draws were made for (``scenario.roster``)
    budget : money per period, for ``p_over_budget``

    Notes
    -----
    ``cost[t] = sum_e target_e * payout(plan of e, draws[t, e]).total``; each plan is priced only
    over its own people.

    Examples
    --------
    >>> draws = draw_metrics(scn, trials=10_000, seed=0)  # doctest: +SKIP
    >>> price(edited_plan, draws, scn.roster, scn.budget).expected  # doctest: +SKIP
    """
    plans, single = _as_plans(plan)
    rows = roster_rows(roster)
    single = single or is_single(plans, rows)  # scn.plans of a single-plan scenario: {"plan": plan}
    problems = org_problems(plans, rows, single)
    if problems:
        raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    return _price(plans, draws, rows, budget)


def price_scenario(scn: Scenario | dict[str, Any] | str, draws: MetricDraws) -> SimulationResult:
    """Price every plan of a scenario over cached draws (its roster and budget): ``simulate`` without drawing.

    This is the entry point for re-pricing an edited scenario (one plan changed, a target moved,
    a knob being solved for) against draws made once with
    :func:`~compcore.simulation.draws.draw_metrics`: the draws must be of the same assumptions,
    correlations, roster and metric scopes. ``price_scenario(scn, draw_metrics(scn, trials, seed))``
    gives exactly ``simulate(scn, trials, seed)``.

    Examples
    --------
    >>> draws = draw_metrics(scn, trials=10_000, seed=0)  # doctest: +SKIP
    >>> price_scenario(edited_scn, draws).cost_by_plan  # doctest: +SKIP
    """
    scn = load_scenario(scn)
    return _price(scn.plans, draws, list(scn.roster), scn.budget)


def _price(plans: dict[str, Plan], draws: MetricDraws, rows: list[RosterRow], budget: float | None) -> SimulationResult:
    _check_draws(plans, draws, rows)
    ctxs = plan_contexts(plans, rows, draws.team_index, len(draws.teams))
    n_chunks = math.ceil(draws.trials / draws.chunk_trials)
    r, k = _sample_rows(n_chunks, draws.n_employees), _keep_rows(ctxs, n_chunks)
    chunks = list(draws.chunks())
    stats = [_fold([_price_chunks(ctxs, chunks[i][1], r[i], k[i]) for i in group])
             for group in chunk_groups(n_chunks, draws.chunk_trials)]
    metrics = list(shared_metrics(plans).values())
    return _result(ctxs, plans, rows, stats, draws.trials, budget, draws.seed, draws.teams,
                   lambda: rank_metrics(ctxs, metrics, draws, SENSITIVITY_TRIALS))


def simulate(scn: Scenario | dict[str, Any] | str, trials: int = 10_000, seed: int | None = 0,
             executor: Executor | None = None, progress: Progress | None = None) -> SimulationResult:
    """Monte Carlo cost of a scenario's plans over ``trials`` simulated periods.

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
        with ``plan_costs`` (``{"plan": cost}`` for a single plan), ``cost_by_plan`` and ``fairness``.

    Notes
    -----
    ``cost[t] = sum_e (annual target_e / periods per year) * payout_e[t]``; a ``company`` metric is
    drawn once per trial, ``team`` once per team, ``individual`` once per employee, and a metric
    id shared by several plans is drawn once and seen by all of them.

    Examples
    --------
    >>> sim = simulate("sample_data/scenarios/cs_ops_enablement.json", trials=10_000, seed=0)  # doctest: +SKIP
    >>> sim.quantile(0.9) == np.quantile(sim.cost, 0.9)  # doctest: +SKIP
    True
    """
    run = _prepare(scn, trials, seed)
    jobs = [(run.spec, run.ctxs, run.group(g)) for g in run.groups()]
    return run.result(run_chunks(_simulate_group, jobs, executor, progress))  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False)
class _Run:
    """One scenario's simulation, planned: its draws, chunks and pricing contexts."""

    scn: Scenario
    spec: DrawSpec
    size: int
    chunks: list[tuple[int, np.random.SeedSequence]]
    ctxs: PlanContexts
    teams: tuple[str, ...]
    trials: int
    seed: int | None

    def groups(self) -> list[range]:
        return chunk_groups(len(self.chunks), self.size)

    def group(self, g: range) -> list[tuple[int, np.random.SeedSequence, int, int]]:
        """``(size, seed, sample rows, kept rows)`` of the chunks of one task."""
        r = _sample_rows(len(self.chunks), len(self.spec.team_index))
        k = _keep_rows(self.ctxs, len(self.chunks))
        return [(*self.chunks[i], r[i], k[i]) for i in g]

    def result(self, stats: list[dict[str, ChunkStats]]) -> SimulationResult:
        spec, size, chunks, ctxs, teams = self.spec, self.size, self.chunks, self.ctxs, self.teams
        metrics = list(self.scn.metrics.values())

        def sens() -> Any:  # redraw the first chunks (deterministic from their seeds) only when asked
            first = chunks[:min(len(chunks), SENSITIVITY_CHUNKS, math.ceil(SENSITIVITY_TRIALS / size))]
            parts = [draw_chunk(spec, n, s) for n, s in first]
            values = {mid: np.concatenate([p[mid] for p in parts]) for mid in spec.order}
            draws = MetricDraws(values, dict(zip(spec.order, spec.scopes, strict=True)), teams, spec.team_index,
                                sum(n for n, _ in first), self.seed, size)
            return rank_metrics(ctxs, metrics, draws, SENSITIVITY_TRIALS)

        return _result(ctxs, self.scn.plans, list(self.scn.roster), stats, self.trials, self.scn.budget, self.seed,
                       teams, sens)


def _prepare(scn: Scenario | dict[str, Any] | str, trials: int, seed: int | None) -> _Run:
    scn = load_scenario(scn)
    spec = draw_spec(scn)
    size = chunk_trials(spec)
    chunks = chunk_plan(trials, seed, size)
    rows = list(scn.roster)
    teams, _, _ = roster_arrays(rows)
    ctxs = plan_contexts(scn.plans, rows, spec.team_index, len(teams))
    return _Run(scn, spec, size, chunks, ctxs, teams, int(trials), seed)


def _pair_group(b: tuple[DrawSpec, PlanContexts], a: tuple[DrawSpec, PlanContexts], reuse: Reuse,
                group: list[tuple[int, np.random.SeedSequence, int, int, int, int]]
                ) -> tuple[dict[str, ChunkStats], dict[str, ChunkStats]]:
    """Draw and price consecutive chunks for two scenarios: what both draw alike is drawn once."""
    before, after = [], []
    for n, seed, rb, kb, ra, ka in group:
        drawn = draw_chunk(b[0], n, seed)
        before.append(_price_chunks(b[1], drawn, rb, kb))
        after.append(_price_chunks(a[1], draw_after(reuse, a[0], n, seed, drawn), ra, ka))
    return _fold(before), _fold(after)


def simulate_pair(before: Scenario | dict[str, Any] | str, after: Scenario | dict[str, Any] | str,
                  trials: int = 10_000, seed: int | None = 0, executor: Executor | None = None,
                  progress: Progress | None = None) -> tuple[SimulationResult, SimulationResult]:
    """``(simulate(before, trials, seed), simulate(after, trials, seed))``, bit for bit, drawing once what both draw.

    The metrics drawn alike in both (same assumptions and correlations in their group,
    :func:`~compcore.simulation.draw_reuse.reuse_plan`) are drawn once per chunk, in every unit (company,
    team, (team, role)) both rosters have, and priced under each scenario's plans; the rest is drawn for
    each. Rosters whose trials are cut into different chunks simply run twice.

    Examples
    --------
    >>> b, a = simulate_pair("sample_data/scenarios/cs_ops_enablement.json",
    ...                      "sample_data/scenarios/cs_ops_enablement.json", trials=500)
    >>> bool((a.cost == b.cost).all())
    True
    """
    b, a = _prepare(before, trials, seed), _prepare(after, trials, seed)
    # chunk sizes follow the roster, but the draws of a chunk depend only on its trials and seed: rosters of 50 and
    # 52 people cut 10,000 trials alike (one chunk), and only rosters cut differently run twice
    if [n for n, _ in b.chunks] != [n for n, _ in a.chunks] or b.groups() != a.groups():
        return simulate(b.scn, trials, seed, executor, progress), simulate(a.scn, trials, seed, executor, progress)
    reuse = reuse_plan(b.spec, a.spec)
    jobs = [((b.spec, b.ctxs), (a.spec, a.ctxs), reuse,
             [(*x, *y[2:]) for x, y in zip(b.group(g), a.group(g), strict=True)]) for g in b.groups()]
    parts = run_chunks(_pair_group, jobs, executor, progress)
    return b.result([p[0] for p in parts]), a.result([p[1] for p in parts])  # type: ignore[index]
