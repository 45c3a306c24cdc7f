"""Pricing: turn metric draws into payout fractions and cost, chunk by chunk.

Shared by :mod:`compcore.simulation.simulate` (the cost distribution) and
:mod:`compcore.simulation.sensitivity` (re-pricing with one metric frozen).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from compcore.plan.payout import payout_total
from compcore.plan.schema import TOLERANCE, Plan
from compcore.simulation.draws import roster_arrays
from compcore.simulation.roster import RosterRow, row_period_targets

__all__ = ["ChunkStats", "PriceContext", "cost_chunk", "price_chunk", "price_context"]

#: pricing works on row slices of this many trials (cache-sized arrays)
SUB_TRIALS = 2048


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


@dataclass(frozen=True)
class ChunkStats:
    cost: np.ndarray            # (n,)
    frac_sum: np.ndarray        # (U,) sum over trials of payout fractions
    n_above: float              # employee-periods paid above 100%
    n_zero: float               # employee-periods paid nothing
    sample: np.ndarray          # individual payout fractions of the chunk's first rows


def price_context(plan: Plan, roster: list[RosterRow], team_index: np.ndarray) -> PriceContext:
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
    return PriceContext(plan, level, slots, block_team, unit_target, unit_heads, emp_unit, emp_target, team_index)


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
        elif m.scope == "individual":
            full = np.zeros((len(v), len(ctx.unit_target)))
            full[:, ctx.emp_unit] = v  # empty slots stay 0: priced, but their target is 0
            out[m.id] = full.reshape(len(v), -1, ctx.slots)
        else:
            out[m.id] = v
    return out


def _totals(ctx: PriceContext, values: dict[str, np.ndarray]) -> np.ndarray:
    """Total payout fraction, shape ``(n, units)``."""
    n = len(next(iter(values.values())))
    total = payout_total(ctx.plan, _actuals(ctx, values))
    if ctx.level == "individual":
        total = np.broadcast_to(total, (n, len(ctx.block_team), ctx.slots)).reshape(n, -1)
    return np.broadcast_to(total, (n, len(ctx.unit_target)))


def _blocks_of(values: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """Row slices of :data:`SUB_TRIALS` trials: arrays that fit in cache price ~1.5x faster."""
    n = len(next(iter(values.values())))
    return [{k: v[s:s + SUB_TRIALS] for k, v in values.items()} for s in range(0, n, SUB_TRIALS)]


def price_chunk(ctx: PriceContext, values: dict[str, np.ndarray], sample_rows: int) -> ChunkStats:
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
    return ChunkStats(np.concatenate(costs), frac_sum, n_above, n_zero, np.concatenate(samples))


def cost_chunk(ctx: PriceContext, values: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([_totals(ctx, block) @ ctx.unit_target for block in _blocks_of(values)])
