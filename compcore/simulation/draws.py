"""Metric draws for the Monte Carlo: scopes, Gaussian copula, seeded chunks.

The draws depend only on the scenario's assumptions, correlations, roster,
the metrics' scopes, the number of trials and the seed, never on weights,
curves or targets. That is what lets the app cache them and re-price an edited
plan instantly (:func:`compcore.simulation.simulate.price`).

Draws are keyed by metric id, not by position (:mod:`compcore.simulation.streams`): a metric's
numbers come from streams named by the seed, the chunk, the ids of the metrics it is correlated
with (its group), its own id and the unit drawn (the company, a team by name, the people of a
(team, role) in roster order). The order of plans, metrics, assumptions and correlations changes
nothing, and adding or changing a metric leaves every metric outside its group bit for bit.

Trials are processed in chunks of :data:`CHUNK_TRIALS`, or fewer for a wide
roster so that one metric's chunk holds at most :data:`CHUNK_METRIC_VALUES` values
(:func:`chunk_trials`); chunk ``i`` draws from
``np.random.SeedSequence(seed).spawn(n_chunks)[i]``, so the draws are the same
with or without an executor and for any number of workers. The chunk size
depends only on the roster (and, past 32 metrics of the widest scope, on the metrics), never
on the executor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from compcore.errors import PlanError
from compcore.simulation.allocator import tune_allocator
from compcore.simulation.distributions import Normal
from compcore.simulation.draw_layout import DrawSpec, Unit, draw_spec, roster_arrays
from compcore.simulation.limits import MAX_TRIALS as LIMIT_TRIALS
from compcore.simulation.limits import check_seed
from compcore.simulation.scenario import Scenario, load_scenario
from compcore.simulation.streams import stream_rng
from compcore.simulation.tasks import run_chunks

__all__ = ["Affine", "CHUNK_ELEMENTS", "CHUNK_MAX_VALUES", "CHUNK_METRIC_VALUES", "CHUNK_TRIALS", "DrawSpec",
           "MAX_TRIALS", "MetricDraws", "chunk_normals", "chunk_trials", "draw_chunk", "draw_chunk_scaled",
           "draw_metrics", "draw_spec", "roster_arrays", "rows_per_chunk", "scale_draws", "stream_key",
           "values_from_normals"]

#: trials per chunk: bounds memory (a chunk of 50 people is a few MB per metric) ...
CHUNK_TRIALS = 20_000
#: ... and drawn values of one metric per chunk (8 MiB of float64): 20,000 trials over 50 people, so
#: every roster up to that keeps chunks of 20,000 trials, and a wider one gets shorter chunks instead
#: of bigger arrays (5,000 people: 200 trials). Depends on the roster only, never on the metrics.
CHUNK_METRIC_VALUES = 1_000_000
#: the values of 4 metrics of the widest scope per chunk (the size rule before draws were keyed by metric)
CHUNK_ELEMENTS = 4 * CHUNK_METRIC_VALUES
#: all drawn values of a chunk (256 MiB): only a scenario with more than 32 metrics of the widest scope gets
#: shorter chunks than CHUNK_METRIC_VALUES gives
CHUNK_MAX_VALUES = 32 * CHUNK_METRIC_VALUES
#: more trials than this is a typo, not a plan question (DESIGN.md "Limits")
MAX_TRIALS = LIMIT_TRIALS

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


def _width(scope: str, spec: DrawSpec) -> int:
    return 1 if scope == "company" else spec.n_teams if scope == "team" else len(spec.team_index)


def _widen(w: np.ndarray, src: str, dst: str, spec: DrawSpec) -> np.ndarray:
    """Broadcast normals of scope ``src`` to the coarser-or-equal-to-finer scope ``dst``."""
    if src == dst:
        return w
    if src == "company":
        return w[:, None]
    return w[:, spec.team_index]  # team -> individual


def stream_key(spec: DrawSpec, m: int, unit: Unit, period: int = 0) -> tuple[str | int, ...]:
    """The key of metric ``m``'s stream for ``unit``: its correlated group, its id, the unit; and the period
    of a plan year (period 0 is the period ``simulate`` draws, so the year's first period is that one)."""
    when: tuple[str | int, ...] = ("period", int(period)) if period else ()
    return (*when, "group", *spec.groups[m], "metric", spec.order[m], *unit.key)


def _per_unit(spec: DrawSpec, m: int, n: int, seed: np.random.SeedSequence, period: int,
              draw: Callable[[Unit, np.random.Generator, np.ndarray], None]) -> np.ndarray:
    """Metric ``m``'s array ``(n,)`` or ``(n, width)``, each unit's columns from its own stream.

    ``draw(unit, rng, out)`` writes the unit's draws into ``out``, ``(people, trials)``: a person's
    trials are consecutive in the stream, so adding a person keeps the others. They land in a
    ``(width, n)`` buffer row by row (no scatter), returned transposed: an F-ordered ``(n, width)``
    array (pricing reads it in any layout; :func:`draw_metrics` hands out C-ordered arrays).
    """
    scope = spec.scopes[m]
    units = spec.units(scope)
    if scope == "company":
        out = np.empty(n)
        draw(units[0], stream_rng(seed, stream_key(spec, m, units[0], period)), out)
        return out
    width = _width(scope, spec)
    # a spec restricted to some units (compcore.simulation.draw_reuse) leaves the other columns at 0, never garbage
    buf = np.empty((width, n)) if sum(u.size for u in units) == width else np.zeros((width, n))
    for u in units:
        rng = stream_rng(seed, stream_key(spec, m, u, period))
        if isinstance(u.cols, slice):
            draw(u, rng, buf[u.cols])  # consecutive rows: drawn in place
        else:
            part = np.empty((u.size, n))
            draw(u, rng, part)
            buf[u.cols] = part
    return buf.T


def _normals(spec: DrawSpec, m: int, n: int, seed: np.random.SeedSequence, period: int) -> np.ndarray:
    return _per_unit(spec, m, n, seed, period, lambda u, rng, out: rng.standard_normal(out=out))


def chunk_normals(spec: DrawSpec, n: int, seed: np.random.SeedSequence, period: int = 0,
                  only: frozenset[str] | None = None) -> dict[str, np.ndarray]:
    """The copula normals ``Z_m`` of ``n`` trials of every metric (or of the group(s) of the ``only`` ids).

    ``Z_m = sum_j L[m, j] W_j`` over the metrics j of m's correlated group, ``W_j`` independent
    standard normals at j's own scope from j's streams of ``period``. Each ``Z_m`` is standard
    normal; an uncorrelated metric's is its own stream's normals. Values are
    :func:`values_from_normals`. For a plan year: ``chunk_normals(spec, n, chunk_seed, period=p)``
    are period p's innovations (one chunk seed for the whole year, the period in the keys).
    """
    wanted = None if only is None else {g for m in range(len(spec.order)) if spec.order[m] in only
                                        for g in spec.groups[m]}
    w: dict[int, np.ndarray] = {}
    out: dict[str, np.ndarray] = {}
    for m, (mid, scope) in enumerate(zip(spec.order, spec.scopes, strict=True)):
        if wanted is not None and mid not in wanted:
            continue
        w[m] = _normals(spec, m, n, seed, period)
        if not spec.correlated[m]:
            out[mid] = w[m]
            continue
        z = spec.chol[m, m] * w[m]
        for j in range(m):
            if j in w and spec.chol[m, j] != 0:
                z += spec.chol[m, j] * _widen(w[j], spec.scopes[j], scope, spec)  # z is ours
        out[mid] = z
    return out


def values_from_normals(spec: DrawSpec, mid: str, z: np.ndarray) -> np.ndarray:
    """Metric ``mid``'s values ``F^-1(Phi(z))`` of copula normals ``z`` (each team through its own ``by_team``
    marginal)."""
    m = spec.order.index(mid)
    own = spec.team_dists[m]
    dist = spec.dists[m]
    return dist.from_normal(z) if own is None else _by_team(dist, own, z)  # type: ignore[attr-defined]


def draw_chunk(spec: DrawSpec, n: int, seed: np.random.SeedSequence, period: int = 0,
               given: Mapping[str, np.ndarray] | None = None,
               only: frozenset[str] | None = None) -> dict[str, np.ndarray]:
    """Draw ``n`` trials of every metric (or of the ``only`` ids: whole correlated groups) from one chunk's
    seed, each metric from its own keyed streams.

    ``given``: arrays already drawn for some metrics from the same streams (whole correlated groups,
    :func:`~compcore.simulation.draw_reuse.reuse_plan`), used as they are instead of drawing them again.
    """
    return _draw_chunk(spec, n, seed, period, given, only, None)


#: {metric id: (sd, mean)} of the metrics :func:`draw_chunk_scaled` leaves as standard normals
Affine = dict[str, tuple[float, float]]


def draw_chunk_scaled(spec: DrawSpec, n: int, seed: np.random.SeedSequence) -> tuple[dict[str, np.ndarray], Affine]:
    """:func:`draw_chunk`, except that an uncorrelated normal metric (one marginal for every team) is left as
    the standard normals ``z`` its values are made of: ``(draws, {metric id: (sd, mean)})``, values
    ``z * sd + mean`` (:func:`scale_draws`), the same bits. The fused kernel scales them as it reads them:
    two passes over the draws fewer."""
    affine: Affine = {}
    return _draw_chunk(spec, n, seed, 0, None, None, affine), affine


def scale_draws(values: Mapping[str, np.ndarray], affine: Affine) -> dict[str, np.ndarray]:
    """The values of :func:`draw_chunk_scaled`'s draws: ``draw_chunk``'s, bit for bit."""
    return {k: v * affine[k][0] + affine[k][1] if k in affine else v for k, v in values.items()}


def _plain_normal(dist: object) -> bool:
    return isinstance(dist, Normal) and not dist.by_team


def _draw_chunk(spec: DrawSpec, n: int, seed: np.random.SeedSequence, period: int,
                given: Mapping[str, np.ndarray] | None, only: frozenset[str] | None,
                affine: Affine | None) -> dict[str, np.ndarray]:
    tune_allocator()  # a worker started by Dask's nanny would page-fault on every array otherwise
    given = given or {}
    out: dict[str, np.ndarray] = dict(given)
    wanted = [(m, mid) for m, mid in enumerate(spec.order) if only is None or mid in only]
    for m, mid in wanted:
        if spec.correlated[m] or mid in given:
            continue
        dist = spec.dists[m]
        if affine is not None and _plain_normal(dist):
            out[mid] = _normals(spec, m, n, seed, period)  # Normal.sample_into's numbers before its scaling
            affine[mid] = (dist.sd, dist.mean)  # type: ignore[attr-defined]
            continue
        # uncorrelated: straight from the (team's own) distribution, no normal CDF needed
        out[mid] = _per_unit(spec, m, n, seed, period, lambda u, rng, buf, d=dist: (
            d if u.team is None else d.for_team(u.team)).sample_into(rng, buf))  # type: ignore[attr-defined]
    live = frozenset(mid for m, mid in wanted if spec.correlated[m] and mid not in given)
    if live:
        for mid, z in chunk_normals(spec, n, seed, period, live).items():
            if mid in live:
                out[mid] = values_from_normals(spec, mid, z)
    return {mid: out[mid] for _, mid in wanted}


def _by_team(dist: object, own: tuple[tuple[np.ndarray, object], ...], z: np.ndarray) -> np.ndarray:
    """Values of the same normals ``z`` through each team's own marginal (the default for the other columns)."""
    out = np.empty(z.shape)
    mine = np.zeros(z.shape[1], dtype=bool)
    for cols, d in own:
        out[:, cols] = d.from_normal(z[:, cols])  # type: ignore[attr-defined]
        mine[cols] = True
    rest = np.flatnonzero(~mine)  # only the other columns go through the default marginal
    if len(rest):
        out[:, rest] = dist.from_normal(z[:, rest])  # type: ignore[attr-defined]
    return out


def values_per_trial(spec: DrawSpec) -> int:
    """Values drawn per trial: 1 per company metric, one per team per team metric, one per person per individual."""
    return sum(_width(scope, spec) for scope in spec.scopes)


def chunk_trials(spec: DrawSpec) -> int:
    """Trials per chunk: :data:`CHUNK_TRIALS`, fewer when one metric of the widest scope would draw more than
    :data:`CHUNK_METRIC_VALUES` values; fewer still only when all metrics together would pass
    :data:`CHUNK_MAX_VALUES`.

    The first rule depends on the roster alone, so adding, removing or changing a metric or a plan
    keeps the chunks (and every other metric's random numbers); only a scenario past the second
    bound (more than 32 metrics' worth of the widest scope) re-chunks when a metric is added.
    """
    widest = max(len(spec.team_index), spec.n_teams, 1)
    size = min(CHUNK_TRIALS, max(1, CHUNK_METRIC_VALUES // widest))
    total = max(values_per_trial(spec), 1)
    return size if size * total <= CHUNK_MAX_VALUES else max(1, CHUNK_MAX_VALUES // total)


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


def _c_ordered(parts: list[np.ndarray]) -> np.ndarray:
    """The chunks' rows as one C-ordered array, like every cached array before draws landed transposed."""
    if len(parts) == 1:
        return np.ascontiguousarray(parts[0])
    out = np.empty((sum(len(p) for p in parts), *parts[0].shape[1:]))
    return np.concatenate(parts, out=out)


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
    (metrics ordered company, team, individual, then by id, so a company normal
    only ever feeds finer scopes), value ``= F_m^-1(Phi(Z_m))``. Uncorrelated
    metrics draw directly from their distribution. Every W (or direct draw) of a
    unit comes from its own stream (:func:`stream_key`), so the result depends on
    the scenario's content, not on the order it lists things in.

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
    values = {mid: _c_ordered([p[mid] for p in parts]) for mid in spec.order}  # type: ignore[index]
    teams, team_index, _ = roster_arrays(scn.roster)
    return MetricDraws(values, dict(zip(spec.order, spec.scopes, strict=True)), teams, team_index,
                       int(trials), seed, size)

