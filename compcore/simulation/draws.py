"""Metric draws for the Monte Carlo: scopes, Gaussian copula, seeded chunks.

The draws depend only on the scenario's assumptions, correlations, roster,
the metrics' scopes, the number of trials and the seed, never on weights,
curves or targets. That is what lets the app cache them and re-price an edited
plan instantly (:func:`compcore.simulation.simulate.price`).

Trials are processed in chunks of :data:`CHUNK_TRIALS`, or fewer for a wide
roster so that a chunk holds at most :data:`CHUNK_ELEMENTS` drawn values
(:func:`chunk_trials`); chunk ``i`` draws from
``np.random.SeedSequence(seed).spawn(n_chunks)[i]``, so the draws are the same
with or without an executor and for any number of workers. The chunk size
depends only on the scenario (its metrics' scopes, teams and headcount), never
on the executor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from compcore.errors import PlanError
from compcore.simulation.allocator import tune_allocator
from compcore.simulation.distributions import Fixed, Lognormal, Normal
from compcore.simulation.limits import MAX_TRIALS as LIMIT_TRIALS
from compcore.simulation.limits import check_seed
from compcore.simulation.roster import RosterRow
from compcore.simulation.scenario import Scenario, correlation_matrix, load_scenario

__all__ = ["CHUNK_ELEMENTS", "CHUNK_TRIALS", "MAX_TRIALS", "MetricDraws", "chunk_trials", "draw_metrics",
           "roster_arrays", "rows_per_chunk"]

#: trials per chunk: bounds memory (a chunk of 50 people is a few MB per metric) ...
CHUNK_TRIALS = 20_000
#: ... and drawn values per chunk (32 MiB of float64): 20,000 trials of 4 individual metrics over
#: 50 people, so every roster up to that keeps chunks (and random numbers) of 20,000 trials, and a
#: wider one gets shorter chunks instead of bigger arrays (5,000 people x 4 metrics: 200 trials)
CHUNK_ELEMENTS = 4_000_000
#: more trials than this is a typo, not a plan question (DESIGN.md "Limits")
MAX_TRIALS = LIMIT_TRIALS
_SCOPE_ORDER = {"company": 0, "team": 1, "individual": 2}

Progress = Callable[[float], None]


@dataclass(frozen=True, eq=False)
class MetricDraws:
    """Drawn metric values, one array per metric, trials on axis 0.

    Attributes
    ----------
    values : {metric id: array}; shape ``(trials,)`` for a ``company`` metric,
        ``(trials, len(teams))`` for ``team``, ``(trials, n_employees)`` for ``individual``
    scopes : {metric id: "company" | "team" | "individual"}
    teams : team names in roster order (the columns of a team metric)
    team_index : ``(n_employees,)`` index into ``teams`` of each employee; employees are the
        roster rows expanded by headcount, in roster order
    trials, seed : what was drawn
    """

    values: dict[str, np.ndarray]
    scopes: dict[str, str]
    teams: tuple[str, ...]
    team_index: np.ndarray
    trials: int
    seed: int | None = None
    chunk_trials: int = field(default=CHUNK_TRIALS, repr=False)

    @property
    def n_employees(self) -> int:
        return int(len(self.team_index))

    def chunks(self) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
        """``(start, {metric id: rows of that chunk})`` per chunk of trials (views, no copy)."""
        for start in range(0, self.trials, self.chunk_trials):
            yield start, {k: v[start:start + self.chunk_trials] for k, v in self.values.items()}

    def head(self, n: int) -> MetricDraws:
        """The first ``n`` trials (views)."""
        n = min(n, self.trials)
        return MetricDraws({k: v[:n] for k, v in self.values.items()}, self.scopes, self.teams,
                           self.team_index, n, self.seed, self.chunk_trials)


def roster_arrays(roster: list[RosterRow]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """``(teams, team_index, row_index)``: teams in roster order and, per employee, its team and roster row."""
    teams = tuple(dict.fromkeys(r.team for r in roster))
    pos = {t: i for i, t in enumerate(teams)}
    counts = np.array([r.headcount for r in roster], dtype=np.intp)
    row_index = np.repeat(np.arange(len(roster)), counts)
    team_index = np.array([pos[r.team] for r in roster], dtype=np.intp)[row_index]
    return teams, team_index, row_index


@dataclass(frozen=True)
class DrawSpec:
    """Everything a worker needs to draw one chunk (picklable)."""

    order: tuple[str, ...]            # metric ids, coarse scope first (company, team, individual)
    scopes: tuple[str, ...]
    dists: tuple[object, ...]
    #: per metric: None, or ((columns, distribution), ...) of the teams with their own ``by_team`` marginal;
    #: columns index the team axis (team scope) or the employee axis (individual scope)
    team_dists: tuple[tuple[tuple[np.ndarray, object], ...] | None, ...]
    chol: np.ndarray                  # lower-triangular factor of the correlation matrix in `order`
    correlated: tuple[bool, ...]
    n_teams: int
    team_index: np.ndarray


def _cholesky_psd(c: np.ndarray) -> np.ndarray:
    """Lower-triangular L with L L' = C for a positive semi-definite C (zero pivots allowed)."""
    m = len(c)
    lower = np.zeros_like(c)
    for j in range(m):
        d = c[j, j] - lower[j, :j] @ lower[j, :j]
        if d <= 1e-12:
            continue  # this metric's normal is a combination of the earlier ones
        lower[j, j] = math.sqrt(d)
        for i in range(j + 1, m):
            lower[i, j] = (c[i, j] - lower[i, :j] @ lower[j, :j]) / lower[j, j]
    norms = np.sqrt(np.sum(lower**2, axis=1))
    return lower / norms[:, None]  # rows of unit length: each metric's normal stays standard


def _team_columns(dist: object, scope: str, teams: tuple[str, ...],
                  team_index: np.ndarray) -> tuple[tuple[np.ndarray, object], ...] | None:
    """The columns drawn from each team's own marginal (``by_team``), or None when every team uses the default."""
    by_team = getattr(dist, "by_team", None)
    if not by_team:
        return None
    out = []
    for t, team in enumerate(teams):
        if team in by_team:
            cols = np.array([t]) if scope == "team" else np.flatnonzero(team_index == t)
            out.append((cols, by_team[team]))
    return tuple(out)


def draw_spec(scn: Scenario) -> DrawSpec:
    ids, c = correlation_matrix(scn)
    scope_of = {mid: m.scope for mid, m in scn.metrics.items()}
    perm = sorted(range(len(ids)), key=lambda i: (_SCOPE_ORDER[scope_of[ids[i]]], i))
    order = tuple(ids[i] for i in perm)
    c = c[np.ix_(perm, perm)]
    dists = tuple(scn.assumptions[m] for m in order)
    teams, team_index, _ = roster_arrays(scn.roster)
    team_dists = tuple(_team_columns(d, scope_of[m], teams, team_index) for m, d in zip(order, dists, strict=True))
    # a fixed metric has no randomness to correlate; the others keep their pairwise rho
    live = np.array([not isinstance(d, Fixed) or any(not isinstance(o, Fixed) for _, o in td or ())
                     for d, td in zip(dists, team_dists, strict=True)])
    c = np.where(np.outer(live, live) | np.eye(len(order), dtype=bool), c, 0.0)
    correlated = tuple(bool(np.any(c[i, np.arange(len(order)) != i] != 0)) for i in range(len(order)))
    return DrawSpec(order, tuple(scope_of[m] for m in order), dists, team_dists, _cholesky_psd(c), correlated,
                    len(teams), team_index)


def _shape(scope: str, n: int, spec: DrawSpec) -> tuple[int, ...]:
    if scope == "company":
        return (n,)
    if scope == "team":
        return (n, spec.n_teams)
    return (n, len(spec.team_index))


def _widen(w: np.ndarray, src: str, dst: str, spec: DrawSpec) -> np.ndarray:
    """Broadcast normals of scope ``src`` to the coarser-or-equal-to-finer scope ``dst``."""
    if src == dst:
        return w
    if src == "company":
        return w[:, None]
    return w[:, spec.team_index]  # team -> individual


def draw_chunk(spec: DrawSpec, n: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """Draw ``n`` trials of every metric from one chunk's seed."""
    tune_allocator()  # a worker started by Dask's nanny would page-fault on every array otherwise
    rng = np.random.default_rng(seed)
    normals: dict[int, np.ndarray] = {}
    out: dict[str, np.ndarray] = {}
    for m, (mid, scope, dist) in enumerate(zip(spec.order, spec.scopes, spec.dists, strict=True)):
        shape = _shape(scope, n, spec)
        own = spec.team_dists[m]
        if not spec.correlated[m] and own is None:
            out[mid] = dist.sample(rng, shape)  # type: ignore[attr-defined]
            continue
        if not spec.correlated[m] and not any(isinstance(d, Normal | Lognormal) for d in (dist, *(o for _, o in own))):
            # uncorrelated with teams of their own: uniforms through each marginal (no normal CDF needed)
            out[mid] = _by_team(dist, own, rng.random(shape), "from_uniform")
            continue
        normals[m] = rng.standard_normal(shape)
        z = spec.chol[m, m] * normals[m]
        for j in range(m):
            if j in normals and spec.chol[m, j] != 0:
                z += spec.chol[m, j] * _widen(normals[j], spec.scopes[j], scope, spec)  # z is ours
        out[mid] = dist.from_normal(z) if own is None else _by_team(dist, own, z)  # type: ignore[attr-defined]
    return out


def _by_team(dist: object, own: tuple[tuple[np.ndarray, object], ...], z: np.ndarray,
             through: str = "from_normal") -> np.ndarray:
    """Values of the same normals ``z`` (or uniforms, ``through="from_uniform"``) through each team's own
    marginal (the default for the other columns)."""
    out = np.empty(z.shape)
    mine = np.zeros(z.shape[1], dtype=bool)
    for cols, d in own:
        out[:, cols] = getattr(d, through)(z[:, cols])
        mine[cols] = True
    rest = np.flatnonzero(~mine)  # only the other columns go through the default marginal
    if len(rest):
        out[:, rest] = getattr(dist, through)(z[:, rest])
    return out


def values_per_trial(spec: DrawSpec) -> int:
    """Values drawn per trial: 1 per company metric, one per team per team metric, one per person per individual."""
    return sum(int(np.prod(_shape(scope, 1, spec))) for scope in spec.scopes)


def chunk_trials(spec: DrawSpec) -> int:
    """Trials per chunk: :data:`CHUNK_TRIALS`, fewer when that would draw more than :data:`CHUNK_ELEMENTS` values."""
    return min(CHUNK_TRIALS, max(1, CHUNK_ELEMENTS // max(values_per_trial(spec), 1)))


def chunk_plan(trials: int, seed: int | None, size: int = CHUNK_TRIALS) -> list[tuple[int, np.random.SeedSequence]]:
    """``(size, seed sequence)`` of each chunk of ``trials``, chunks of ``size`` trials (the last one shorter)."""
    if isinstance(trials, bool) or not isinstance(trials, int | np.integer) or not 1 <= trials <= MAX_TRIALS:
        raise PlanError(f"trials: must be a whole number from 1 to {MAX_TRIALS:,}, got {trials!r}",
                        problems=[("trials", f"must be a whole number from 1 to {MAX_TRIALS:,}")])
    trials = int(trials)
    seed = check_seed(seed)
    n_chunks = math.ceil(trials / size)
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    return [(min(size, trials - i * size), s) for i, s in enumerate(seeds)]


def chunk_groups(n_chunks: int, size: int) -> list[range]:
    """Consecutive chunks run as one task: about :data:`CHUNK_TRIALS` trials' worth, so a wide roster's
    short chunks do not become thousands of tasks (each shipping the pricing context to a worker)."""
    per = max(1, CHUNK_TRIALS // size)
    return [range(i, min(i + per, n_chunks)) for i in range(0, n_chunks, per)]


def rows_per_chunk(limit: int, width: int, n_chunks: int) -> list[int]:
    """Rows of each chunk to keep so that ``width`` values per row over every chunk stay near ``limit``.

    Each chunk keeps the same number of its first rows; when even one row per chunk would be
    more than ``limit`` values (a wide roster in many short chunks), only the first chunks keep one.
    """
    width = max(width, 1)
    rows = max(1, math.ceil(limit / (width * n_chunks)))
    if rows > 1 or width * n_chunks <= limit:
        return [rows] * n_chunks
    keep = math.ceil(limit / width)
    return [1 if i < keep else 0 for i in range(n_chunks)]


def run_chunks(fn: Callable[..., object], jobs: list[tuple[object, ...]], executor: Executor | None,
               progress: Progress | None) -> list[object]:
    """``[fn(*job) for job in jobs]``, on ``executor`` if given, reporting progress after each chunk."""
    out: list[object] = []
    if executor is None:
        for i, job in enumerate(jobs):
            out.append(fn(*job))
            if progress is not None:
                progress((i + 1) / len(jobs))
        return out
    futures = [executor.submit(fn, *job) for job in jobs]
    for i, fut in enumerate(futures):
        out.append(fut.result())
        if progress is not None:
            progress((i + 1) / len(jobs))
    return out


def draw_metrics(scn: Scenario | dict | str, trials: int = 10_000, seed: int | None = 0,
                 executor: Executor | None = None, progress: Progress | None = None) -> MetricDraws:
    """Draw every plan metric's value for ``trials`` periods.

    Parameters
    ----------
    scn : Scenario (or anything :func:`~compcore.simulation.scenario.load_scenario` accepts)
    trials : number of plan periods to simulate
    seed : seed of ``np.random.SeedSequence``; same seed, same draws
    executor : any ``concurrent.futures.Executor`` to draw chunks on; same result without
    progress : called with the fraction done (0..1] after each chunk

    Returns
    -------
    MetricDraws
        ``company`` metrics ``(trials,)``, ``team`` ``(trials, n_teams)``,
        ``individual`` ``(trials, n_employees)``.

    Notes
    -----
    Correlated metrics use a Gaussian copula: independent standard normals W
    at each metric's own scope, ``Z_m = sum_j L[m, j] W_j`` with ``L L' = C``
    (metrics ordered company, team, individual, so a company normal only ever
    feeds finer scopes), value ``= F_m^-1(Phi(Z_m))``. Uncorrelated metrics draw
    directly from their distribution.

    Examples
    --------
    >>> d = draw_metrics("sample_data/scenarios/cs_org_quarterly.json", trials=1000)  # doctest: +SKIP
    >>> d.values["ebrs"].shape  # doctest: +SKIP
    (1000, 50)
    """
    scn = load_scenario(scn)
    spec = draw_spec(scn)
    size = chunk_trials(spec)
    plan_chunks = chunk_plan(trials, seed, size)
    parts = run_chunks(draw_chunk, [(spec, n, s) for n, s in plan_chunks], executor, progress)
    values = {mid: np.concatenate([p[mid] for p in parts]) if len(parts) > 1 else parts[0][mid]  # type: ignore[index]
              for mid in spec.order}
    teams, team_index, _ = roster_arrays(scn.roster)
    return MetricDraws(values, dict(zip(spec.order, spec.scopes, strict=True)), teams, team_index,
                       int(trials), seed, size)

