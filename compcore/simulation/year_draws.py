"""The draws of a plan year: P periods of every metric, persistent metrics following an AR(1).

A year is drawn chunk by chunk like one period (:mod:`compcore.simulation.draws`): the chunk's
seed draws period p with ``period=p`` in every stream's key, so the year's first period is the
period ``simulate`` draws. A metric with ``persistence`` rho > 0 carries its own standard normal
innovation from one period to the next, ``w_t = rho w_(t-1) + sqrt(1 - rho^2) e_t`` (``e_t`` period
t's fresh normals), before the Gaussian copula mixes the metrics of a period: each w_t is standard
normal, so each period keeps the metric's marginal and the within-period correlations exactly,
and a metric correlated with nothing has ``corr(z_t, z_(t+1)) = rho``. (A metric correlated with
others of a different persistence has a lag-1 correlation between theirs: the weighted mean of
the persistences of the innovations it mixes.)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from compcore.simulation.draws import (
    DrawSpec,
    MetricDraws,
    Progress,
    chunk_plan,
    chunk_trials,
    draw_chunk,
    draw_spec,
    roster_arrays,
    run_chunks,
    stream_key,
    values_from_normals,
)
from compcore.simulation.scenario import Scenario, load_scenario
from compcore.simulation.streams import stream_rng

__all__ = ["YEAR_CHUNK_VALUES", "ChunkYear", "YearDraws", "YearSpec", "draw_year", "year_chunk_trials", "year_spec"]

#: drawn values of one period of one chunk of years (64 MiB of float64): a year holds a few such arrays at
#: once (the period's draws, year-to-date sums, the persistent innovations), so 1,000,000 years stay bounded
YEAR_CHUNK_VALUES = 8_000_000


def year_chunk_trials(spec: DrawSpec) -> int:
    """Years per chunk: a period's chunk (:func:`~compcore.simulation.draws.chunk_trials`), fewer for a wide one."""
    per_trial = sum(1 if s == "company" else spec.n_teams if s == "team" else len(spec.team_index)
                    for s in spec.scopes)
    return max(1, min(chunk_trials(spec), YEAR_CHUNK_VALUES // max(per_trial, 1)))


def persistences(scn: Scenario) -> dict[str, float]:
    """Metric id -> its assumption's persistence, for the metrics that persist (rho > 0)."""
    return {mid: float(d.persistence) for mid, d in scn.assumptions.items() if d.persistence > 0}


@dataclass(frozen=True)
class YearSpec:
    """What a chunk of years needs beyond the period's :class:`DrawSpec` (picklable): each persistent metric's
    rho, and for an individual metric the employee columns a plan reads (its people on plans that have it)."""

    rho: dict[str, float]
    cols: dict[str, np.ndarray]  # individual metric id -> columns read (a metric every column reads: absent)


def year_spec(scn: Scenario) -> YearSpec:
    """The scenario's :class:`YearSpec`."""
    _, _, row_index = roster_arrays(list(scn.roster))
    cols: dict[str, np.ndarray] = {}
    for mid, m in scn.metrics.items():
        if m.scope != "individual":
            continue
        rows = [i for i, r in enumerate(scn.roster) if any(x.id == mid for x in scn.plan_of(r).metrics)]
        read = np.flatnonzero(np.isin(row_index, rows))
        if len(read) < len(row_index):
            cols[mid] = read
    return YearSpec(persistences(scn), cols)


def _persistent_group(spec: DrawSpec, rho: dict[str, float]) -> list[int]:
    """Positions (in ``spec.order``) of the persistent metrics and of every metric correlated with one."""
    live = {i for i, mid in enumerate(spec.order) if rho.get(mid, 0.0) > 0}
    return sorted({i for i, group in enumerate(spec.groups) for j in live if spec.order[j] in group})


def _innovation(spec: DrawSpec, m: int, n: int, seed: np.random.SeedSequence, period: int,
                read: np.ndarray | None = None) -> np.ndarray:
    """Metric ``m``'s independent standard normals of ``period`` (the ``W`` the period's copula mixes),
    each unit (the company, a team, a (team, role)) from its own keyed stream; with ``read`` (employee
    columns), only the units holding one of them are drawn (the others stay 0: no plan reads them)."""
    scope = spec.scopes[m]
    units = spec.units(scope)
    if scope == "company":
        return stream_rng(seed, stream_key(spec, m, units[0], period)).standard_normal(n)
    width = spec.n_teams if scope == "team" else len(spec.team_index)
    out = np.zeros((n, width)) if read is not None else np.empty((n, width))
    wanted = None if read is None else np.zeros(width, dtype=bool)
    if wanted is not None:
        wanted[read] = True
    for u in units:  # (people, trials), as the period draws them
        if wanted is not None and not wanted[u.cols].any():
            continue
        out[:, u.cols] = stream_rng(seed, stream_key(spec, m, u, period)).standard_normal((u.size, n)).T
    return out


def _widen(w: np.ndarray, src: str, dst: str, spec: DrawSpec) -> np.ndarray:
    if src == dst:
        return w
    return w[:, None] if src == "company" else w[:, spec.team_index]


def _marginal_of(spec: DrawSpec, m: int, z: np.ndarray, read: np.ndarray) -> np.ndarray:
    """``values_from_normals`` of metric ``m`` at the employee columns ``read`` only (by_team marginals kept)."""
    zr = z[:, read]
    own = spec.team_dists[m]
    if own is None:
        return spec.dists[m].from_normal(zr)  # type: ignore[attr-defined]
    out = np.empty(zr.shape)
    mine = np.zeros(len(read), dtype=bool)
    pos = {int(c): i for i, c in enumerate(read)}
    for cols, d in own:
        at = np.array([pos[int(c)] for c in cols if int(c) in pos], dtype=np.intp)
        if len(at):
            out[:, at] = d.from_normal(zr[:, at])  # type: ignore[attr-defined]
            mine[at] = True
    rest = np.flatnonzero(~mine)
    if len(rest):
        out[:, rest] = spec.dists[m].from_normal(zr[:, rest])  # type: ignore[attr-defined]
    return out


class ChunkYear:
    """One chunk of years, drawn period by period: ``period(p)`` gives ``{metric id: values}`` of period p.

    Period p is the period's own draws (``draw_chunk(..., period=p)``; period 0 is the one ``simulate``
    draws), except for the metrics that persist and those correlated with one: their period-p
    innovations ``e_t`` (the same streams the period's copula reads) carry
    ``w_t = rho w_(t-1) + sqrt(1 - rho^2) e_t`` and the copula's Cholesky factor mixes the ``w_t``.
    Periods must be asked for in order (the innovations carry from one to the next).
    """

    def __init__(self, spec: DrawSpec, n: int, seed: np.random.SeedSequence, year: YearSpec) -> None:
        self.spec, self.n, self.seed, self.rho, self.cols = spec, n, seed, year.rho, year.cols
        self.group = _persistent_group(spec, self.rho) if self.rho else []
        carried = {spec.order[m] for m in self.group}
        # the period's own draws of the other metrics only: the carried ones are drawn below, and drawing them
        # twice (the inverse CDF of a count is the costly step) made the org's year 1.44x four quarters
        self.others = frozenset(mid for mid in spec.order if mid not in carried) if carried else None
        self.w: dict[int, np.ndarray] = {}
        self._next = 0

    def period(self, p: int) -> dict[str, np.ndarray]:
        if p != self._next:
            raise ValueError(f"periods are drawn in order: expected period {self._next}, got {p}")
        self._next += 1
        spec = self.spec
        out = draw_chunk(spec, self.n, self.seed, period=p, only=self.others)
        for m in self.group:
            e = _innovation(spec, m, self.n, self.seed, p, self.cols.get(spec.order[m]))
            r = self.rho.get(spec.order[m], 0.0)
            if p == 0 or r == 0.0:
                self.w[m] = e
            else:
                w = self.w[m]
                w *= r
                e *= ar1_scale(r)
                w += e
        for m in self.group:
            z = spec.chol[m, m] * self.w[m]
            for j in self.group:
                if j < m and spec.chol[m, j] != 0:
                    z += spec.chol[m, j] * _widen(self.w[j], spec.scopes[j], spec.scopes[m], spec)
            mid = spec.order[m]
            read = self.cols.get(mid)
            if read is None:
                out[mid] = values_from_normals(spec, mid, z)
            else:  # only the columns a plan reads (the inverse CDF is the costly step); no plan reads the 0s
                out[mid] = np.zeros(z.shape)
                out[mid][:, read] = _marginal_of(spec, m, z, read)
        return {mid: out[mid] for mid in spec.order}  # the period's order, as draw_chunk gives it


@dataclass(frozen=True, eq=False)
class YearDraws:
    """Cached draws of a plan year: one :class:`~compcore.simulation.draws.MetricDraws` per period.

    Like ``MetricDraws`` they depend only on the assumptions (persistence included), correlations,
    roster, metric scopes, years and seed, never on the plans: an edited plan re-prices them.
    """

    periods: tuple[MetricDraws, ...]

    @property
    def trials(self) -> int:
        return self.periods[0].trials

    @property
    def seed(self) -> int | None:
        return self.periods[0].seed

    @property
    def chunk_trials(self) -> int:
        return self.periods[0].chunk_trials

    @property
    def nbytes(self) -> int:
        """Memory the draws hold."""
        return sum(v.nbytes for d in self.periods for v in d.values.values())

    def chunks(self) -> Iterator[tuple[int, list[dict[str, np.ndarray]]]]:
        """``(start, [period p's {metric id: rows of that chunk}])`` per chunk of years (views)."""
        step = self.chunk_trials
        for start in range(0, self.trials, step):
            yield start, [{k: v[start:start + step] for k, v in d.values.items()} for d in self.periods]


def _draw_year_chunk(spec: DrawSpec, n: int, seed: np.random.SeedSequence, year_: YearSpec,
                     periods: int) -> list[dict[str, np.ndarray]]:
    year = ChunkYear(spec, n, seed, year_)
    return [year.period(p) for p in range(periods)]


def draw_year(scn: Scenario | dict | str, trials: int = 10_000, seed: int | None = 0,
              executor: Executor | None = None, progress: Progress | None = None) -> YearDraws:
    """Draw every metric for ``trials`` years of the scenario's periods (kept, for re-pricing plans).

    The same numbers :func:`~compcore.simulation.year.simulate_year` draws chunk by chunk; memory is
    P times a period's :func:`~compcore.simulation.draws.draw_metrics`.
    """
    scn = load_scenario(scn)
    spec = draw_spec(scn)
    size = year_chunk_trials(spec)
    chunks = chunk_plan(trials, seed, size)
    n_periods = scn.periods_per_year
    ys = year_spec(scn)
    parts = run_chunks(_draw_year_chunk, [(spec, n, s, ys, n_periods) for n, s in chunks], executor, progress)
    teams, team_index, _ = roster_arrays(list(scn.roster))
    scopes = dict(zip(spec.order, spec.scopes, strict=True))
    out = []
    for p in range(n_periods):
        values = {mid: np.concatenate([part[p][mid] for part in parts]) if len(parts) > 1 else parts[0][p][mid]
                  for mid in spec.order}  # type: ignore[index]
        out.append(MetricDraws(values, scopes, teams, team_index, int(trials), seed, size))
    return YearDraws(tuple(out))


def ar1_scale(rho: float) -> float:
    """``sqrt(1 - rho^2)``: the weight of a period's fresh innovation, so the AR(1) stays standard normal."""
    return math.sqrt(1.0 - rho * rho)
