"""Pricing: turn metric draws into payout fractions and cost, chunk by chunk.

Shared by :mod:`compcore.simulation.simulate` (the cost distribution) and
:mod:`compcore.simulation.sensitivity` (re-pricing with one metric frozen).

An org prices each plan only over the people on it: :func:`plan_contexts` gives one
:class:`PriceContext` per plan (None for a plan nobody is on), and the cost of a trial is
the sum over plans (:func:`org_cost_chunk`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from compcore.plan.kernel import FusedPlan, fused_plan, kernel
from compcore.plan.payout import combine, payout_parts, payout_total
from compcore.plan.schema import TOLERANCE, Plan
from compcore.simulation.draws import Affine, roster_arrays, scale_draws
from compcore.simulation.org import plan_rows
from compcore.simulation.roster import RosterRow, row_period_targets

__all__ = ["ChunkStats", "PlanContexts", "PriceContext", "cost_chunk", "fold_stats", "held_costs", "org_cost_chunk",
           "plan_contexts", "price_chunk", "price_context", "slice_totals", "sub_rows"]

#: pricing works on row slices of this many trials (cache-sized arrays) ...
SUB_TRIALS = 2048
#: ... or fewer, so that a slice holds at most this many unit-trials: with a wide roster the rows
#: shrink instead of the arrays growing (2 MiB of float64; 128 units or fewer keep SUB_TRIALS rows)
SUB_ELEMENTS = SUB_TRIALS * 128


@dataclass(frozen=True)
class PriceContext:
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
    emp_row: np.ndarray         # (E,) roster row of each employee
    emp_cols: np.ndarray | None = None  # (E,) columns of these employees in the draws; None: every employee
    n_teams: int = 0            # teams of the whole roster (columns of a team metric's draws)
    identity: bool = False      # units are the draws' employee columns in order: no scatter needed
    #: the plan for the fused kernel (None: numpy prices it) and ``(metrics, U)`` the draws' column each unit
    #: reads per metric (-1: an empty slot); made from the fields above, so ``replace(ctx, plan=...)`` remakes them
    fused: FusedPlan | None = field(init=False, default=None, repr=False)
    cols: np.ndarray | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        fused = _fused(self.plan)
        object.__setattr__(self, "fused", fused)
        if fused is not None:
            object.__setattr__(self, "cols", _unit_columns(self.plan, self.level, self.slots, self.block_team,
                                                           self.emp_unit, self.emp_cols, len(self.unit_target)))

    def unit_team_heads(self) -> np.ndarray:
        """``(U, n_teams)`` people of each team in each unit (a company-level unit holds every team)."""
        out = np.zeros((len(self.unit_target), self.n_teams))
        np.add.at(out, (self.emp_unit, self.team_index), 1.0)
        return out


@dataclass(frozen=True)
class ChunkStats:
    cost: np.ndarray            # (n,)
    frac_sum: np.ndarray        # (U,) sum over trials of payout fractions
    n_above: float              # employee-periods paid above 100%
    n_zero: float               # employee-periods paid nothing
    sample: np.ndarray          # individual payout fractions of the chunk's first rows
    at_target: np.ndarray | None = None  # (U,) trials paid at or above 100% of target (1e-9 tolerance)
    zero: np.ndarray | None = None       # (U,) trials paid nothing
    kept: np.ndarray | None = None       # (rows, U) unit payout fractions of the chunk's first rows (fairness p10/p90)


#: {plan id: its pricing context, or None for a plan nobody is on}
PlanContexts = dict[str, "PriceContext | None"]


def plan_contexts(plans: Mapping[str, Plan], roster: list[RosterRow], team_index: np.ndarray,
                  n_teams: int) -> PlanContexts:
    """One :class:`PriceContext` per plan over the people on it (None for a draft plan nobody is on).

    ``plans`` is ``{"plan": plan}`` for a single plan (everyone on it, exactly as before org plans)
    or an org's plans, each roster row naming one (:func:`compcore.simulation.org.plan_rows`).
    """
    rows = plan_rows(plans, roster)
    if len(plans) == 1 and len(next(iter(rows.values()))) == len(roster):
        pid = next(iter(plans))
        return {pid: price_context(plans[pid], roster, team_index, n_teams=n_teams)}
    return {pid: price_context(plan, roster, team_index, rows=rows[pid], n_teams=n_teams)
            if sum(roster[i].headcount for i in rows[pid]) > 0 else None
            for pid, plan in plans.items()}


def price_context(plan: Plan, roster: list[RosterRow], team_index: np.ndarray, *,
                  rows: list[int] | None = None, n_teams: int | None = None) -> PriceContext:
    """How to price ``plan`` over the people of ``rows`` (roster row indices; None: everyone).

    ``team_index`` is every employee's team (:func:`~compcore.simulation.draws.roster_arrays`);
    ``n_teams`` the number of teams of the draws (default: the highest team index + 1).
    """
    _, _, row_index = roster_arrays(roster)
    emp_cols = None if rows is None else np.flatnonzero(np.isin(row_index, rows))
    emp_row = row_index if emp_cols is None else row_index[emp_cols]
    team_index = team_index if emp_cols is None else team_index[emp_cols]
    row_target = np.array(row_period_targets(plan, roster), dtype=float)
    emp_target = row_target[emp_row]
    n_emp = len(emp_target)
    n_teams = int(team_index.max()) + 1 if n_teams is None else n_teams
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
    identity = emp_cols is None and n_units == n_emp and bool(np.array_equal(emp_unit, np.arange(n_emp)))
    return PriceContext(plan, level, slots, block_team, unit_target, unit_heads, emp_unit, emp_target, team_index,
                        emp_row, emp_cols, n_teams, identity)


def _fused(plan: Plan) -> FusedPlan | None:
    """The plan for the fused kernel, or None when numpy must price it: a metric nothing reads leaves the numpy
    total narrower than the units (a broadcast view, which BLAS would sum in another order)."""
    used = {c.metric for c in plan.components} | {g.metric for g in plan.gates} | {m.metric for m in plan.modifiers}
    return fused_plan(plan) if all(m.id in used for m in plan.metrics) else None


def _unit_columns(plan: Plan, level: str, slots: int, block_team: np.ndarray, emp_unit: np.ndarray,
                  emp_cols: np.ndarray | None, n_units: int) -> np.ndarray:
    """``(metrics, U)``: the column of each metric's draws that each pricing unit reads (what :func:`_actuals`
    broadcasts or scatters); -1 for an empty slot of a block, whose actual is 0."""
    out = np.zeros((len(plan.metrics), n_units), dtype=np.int64)
    people = np.full(n_units, -1, dtype=np.int64)
    people[emp_unit] = np.arange(len(emp_unit)) if emp_cols is None else emp_cols
    for i, m in enumerate(plan.metrics):
        if m.scope == "team":
            out[i] = block_team[np.arange(n_units) // slots] if level == "individual" else np.arange(n_units)
        elif m.scope == "individual":
            out[i] = people
    return out


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


def _actuals(ctx: PriceContext, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each metric's draws shaped to broadcast to ``(n, units)``, or ``(n, blocks, slots)`` with individual metrics."""
    out = {}
    blocks = ctx.level == "individual"
    for m in ctx.plan.metrics:
        v = values[m.id]
        if m.scope == "company":
            out[m.id] = v[:, None, None] if blocks else v[:, None]
        elif m.scope == "team" and blocks:
            out[m.id] = v[:, ctx.block_team, None]
        elif m.scope == "individual" and ctx.identity:
            out[m.id] = v.reshape(len(v), -1, ctx.slots)  # a view: the scatter below would copy v as it is
        elif m.scope == "individual":
            full = np.zeros((len(v), len(ctx.unit_target)))
            # empty slots stay 0: priced, but their target is 0
            full[:, ctx.emp_unit] = v if ctx.emp_cols is None else v[:, ctx.emp_cols]
            out[m.id] = full.reshape(len(v), -1, ctx.slots)
        else:
            out[m.id] = v
    return out


def _totals(ctx: PriceContext, values: dict[str, np.ndarray]) -> np.ndarray:
    """Total payout fraction, shape ``(n, units)``: the fused kernel's when it is ready, else numpy's (same bits)."""
    fused = _fused_totals(ctx, values)
    if fused is not None:
        return fused[0]
    n = len(next(iter(values.values())))
    return _per_unit(ctx, payout_total(ctx.plan, _actuals(ctx, values)), n)


def _fused_totals(ctx: PriceContext, values: dict[str, np.ndarray],
                  affine: Affine | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """``(totals, counts)`` from the fused kernel: ``(n, units)`` totals (C-ordered, like numpy's) and ``(3, units)``
    trials paid above target, nothing, at target; None without a kernel, or for a draw that is not finite
    (numpy then says which metric). ``affine``: the metrics drawn as standard normals
    (:func:`~compcore.simulation.draws.draw_chunk_scaled`)."""
    if ctx.fused is None:
        return None
    fn = kernel()
    if fn is None:
        return None
    raws = [values[mid] for mid in ctx.fused.metric_ids]
    n = len(raws[0])
    out = np.empty((n, len(ctx.unit_target)))
    counts = np.zeros((3, len(ctx.unit_target)), dtype=np.int64)
    ok = ctx.fused.run(fn, [r if r.ndim == 2 else r.reshape(n, 1) for r in raws], ctx.cols, out, counts,  # type: ignore[arg-type]
                       affine)
    return (out, counts) if ok else None


def slice_totals(ctx: PriceContext, values: dict[str, np.ndarray],
                 bounds: list[tuple[int, int]]) -> Iterator[np.ndarray]:
    """Total payout fraction of each pricing unit, ``(b - a, units)``, for each row slice ``(a, b)`` of ``bounds``:
    the fused kernel prices the whole chunk in one pass (it needs no slicing to stay in cache, and a row slice of a
    transposed draw would be copied for every call) and each slice is a view of it; numpy prices slice by slice,
    cache-sized arrays ~1.5x faster. The same bits either way (read-only when units share one value)."""
    fused = _fused_totals(ctx, values)
    if fused is None:
        yield from (_totals(ctx, {k: v[a:b] for k, v in values.items()}) for a, b in bounds)
    else:
        yield from (fused[0][a:b] for a, b in bounds)


def _per_unit(ctx: PriceContext, total: np.ndarray, n: int) -> np.ndarray:
    """A total of the actuals' broadcast shape as ``(n, units)``."""
    if ctx.level == "individual":
        total = np.broadcast_to(total, (n, len(ctx.block_team), ctx.slots)).reshape(n, -1)
    return np.broadcast_to(total, (n, len(ctx.unit_target)))


def sub_rows(units: int) -> int:
    """Trials per pricing slice for ``units`` units: :data:`SUB_TRIALS`, fewer for a wide roster."""
    return min(SUB_TRIALS, max(1, SUB_ELEMENTS // max(units, 1)))


def _blocks_of(values: dict[str, np.ndarray], units: int) -> list[dict[str, np.ndarray]]:
    """Row slices of :func:`sub_rows` trials: arrays that fit in cache price ~1.5x faster."""
    n, step = len(next(iter(values.values()))), sub_rows(units)
    return [{k: v[s:s + step] for k, v in values.items()} for s in range(0, n, step)]


def _block_totals(ctx: PriceContext, values: dict[str, np.ndarray]) -> Iterator[np.ndarray]:
    """:func:`slice_totals` of the row slices of :func:`_blocks_of` (:func:`sub_rows` trials)."""
    n, step = len(next(iter(values.values()))), sub_rows(len(ctx.unit_target))
    return slice_totals(ctx, values, [(s, min(s + step, n)) for s in range(0, n, step)])


def _slices(whole: np.ndarray, units: int) -> Iterator[np.ndarray]:
    step = sub_rows(units)
    return (whole[s:s + step] for s in range(0, len(whole), step))


def price_chunk(ctx: PriceContext, values: dict[str, np.ndarray], sample_rows: int, keep_rows: int = 0,
                affine: Affine | None = None) -> ChunkStats:
    """Cost and payout statistics of one chunk of trials; ``keep_rows`` unit payouts are kept for fairness.

    ``affine``: the metrics of ``values`` that are standard normals still to scale
    (:func:`~compcore.simulation.draws.draw_chunk_scaled`): the kernel scales them as it reads them, numpy first.
    """
    fused = _fused_totals(ctx, values, affine)
    if fused is not None:
        return _fused_stats(ctx, *fused, sample_rows, keep_rows)
    if affine:
        values = scale_draws(values, affine)
    costs, samples, kept = [], [], []
    n_units = len(ctx.unit_target)
    frac_sum, at_target, zero = np.zeros(n_units), np.zeros(n_units), np.zeros(n_units)
    n_above = n_zero = 0.0
    for block in _blocks_of(values, n_units):
        total = _totals(ctx, block)
        costs.append(total @ ctx.unit_target)
        frac_sum += total.sum(axis=0)
        n_above += float(np.count_nonzero(total > 1.0 + TOLERANCE, axis=0) @ ctx.unit_heads)
        zeros = np.count_nonzero(total <= TOLERANCE, axis=0)
        n_zero += float(zeros @ ctx.unit_heads)
        zero += zeros
        at_target += np.count_nonzero(total >= 1.0 - TOLERANCE, axis=0)
        if sample_rows > 0:
            samples.append(total[:sample_rows][:, ctx.emp_unit].ravel())
            sample_rows -= len(total)
        if keep_rows > 0:
            kept.append(np.array(total[:keep_rows]))
            keep_rows -= len(total)
    sample = np.concatenate(samples) if samples else np.zeros(0)  # a late chunk of a wide roster keeps none
    return ChunkStats(np.concatenate(costs), frac_sum, n_above, n_zero, sample, at_target, zero,
                      np.concatenate(kept) if kept else np.zeros((0, n_units)))


def _fused_stats(ctx: PriceContext, whole: np.ndarray, counts: np.ndarray, sample_rows: int,
                 keep_rows: int) -> ChunkStats:
    """:func:`price_chunk`'s statistics from the fused kernel's totals and counts, the same bits: costs and
    sums block by block (:func:`sub_rows` trials, the same BLAS calls and sum order), counts whole numbers."""
    n_units = len(ctx.unit_target)
    costs, frac_sum = [], np.zeros(n_units)
    for total in _slices(whole, n_units):
        costs.append(total @ ctx.unit_target)
        frac_sum += total.sum(axis=0)
    above, zeros, reached = counts
    # every row kept (one chunk of a short run): the totals themselves, else a copy of the first rows
    keep_all = keep_rows >= len(whole)
    kept = whole if keep_all else whole[:max(keep_rows, 0)].copy()
    rows = whole[:max(sample_rows, 0)]
    sample = (rows if ctx.identity else rows[:, ctx.emp_unit]).ravel()
    if ctx.identity and not keep_all:
        sample = sample.copy()  # a view would keep the whole chunk's totals alive
    return ChunkStats(np.concatenate(costs), frac_sum, float(above @ ctx.unit_heads), float(zeros @ ctx.unit_heads),
                      sample, reached.astype(float), zeros.astype(float), kept)


def cost_chunk(ctx: PriceContext, values: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([total @ ctx.unit_target for total in _block_totals(ctx, values)])


def org_cost_chunk(ctxs: PlanContexts, values: dict[str, np.ndarray]) -> np.ndarray:
    """Cost of one chunk of trials summed over every plan with people (plan order)."""
    n = len(next(iter(values.values())))
    out = np.zeros(n)
    for ctx in ctxs.values():
        if ctx is not None:
            out = out + cost_chunk(ctx, values)
    return out


def held_costs(ctxs: PlanContexts, values: dict[str, np.ndarray], held: list[tuple[str, float]]) -> np.ndarray:
    """Cost of each trial, then again with each ``(metric id, value)`` of ``held`` holding that metric there.

    Row 0 is :func:`org_cost_chunk`; row ``i`` is what it gives for draws whose metric
    ``held[i - 1][0]`` is ``held[i - 1][1]`` in every trial and unit, bit for bit. Each slice
    evaluates the plan's curves once (:func:`~compcore.plan.payout.payout_parts`) and
    recombines them per held value, re-evaluating only the held metric's curves, on one number.
    """
    n = len(next(iter(values.values())))
    out = np.zeros((len(held) + 1, n))
    for ctx in ctxs.values():
        if ctx is None:
            continue
        used = {m.id for m in ctx.plan.metrics}
        cols = []
        for block in _blocks_of(values, len(ctx.unit_target)):
            rows = len(next(iter(block.values())))
            parts = payout_parts(ctx.plan, _actuals(ctx, block))
            base = _per_unit(ctx, combine(parts), rows)
            costs = [base @ ctx.unit_target]
            for mid, value in held:
                if mid not in used:
                    costs.append(costs[0])  # this plan does not read the metric: its cost is unchanged
                    continue
                units = _per_unit(ctx, combine(parts.with_metric(mid, value)), rows)
                if base.flags.c_contiguous and not units.flags.c_contiguous:
                    units = np.ascontiguousarray(units)  # the same memory layout, so the same BLAS sum order
                costs.append(units @ ctx.unit_target)
            cols.append(np.stack(costs))
        out = out + np.concatenate(cols, axis=1)
    return out


def fold_stats(parts: list[ChunkStats]) -> ChunkStats:
    """Consecutive chunks' statistics as one (costs and samples in order, sums summed in chunk order)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    frac_sum, at_target, zero = first.frac_sum.copy(), first.at_target, first.zero
    n_above, n_zero = first.n_above, first.n_zero
    for p in parts[1:]:
        frac_sum += p.frac_sum
        at_target = at_target + p.at_target  # type: ignore[operator]
        zero = zero + p.zero  # type: ignore[operator]
        n_above += p.n_above
        n_zero += p.n_zero
    return ChunkStats(np.concatenate([p.cost for p in parts]), frac_sum, n_above, n_zero,
                      np.concatenate([p.sample for p in parts]), at_target, zero,
                      np.concatenate([p.kept for p in parts]))  # type: ignore[misc]
