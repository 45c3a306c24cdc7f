"""What a simulation draws and from which streams: metrics in a canonical order, their correlated
groups, the Gaussian copula's factor, and the units (company, team, (team, role)) each stream covers.

Built once per scenario by :func:`draw_spec`; :mod:`compcore.simulation.draws` draws from it. Nothing
here depends on the order a scenario lists its plans, metrics, assumptions or correlations in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from compcore.simulation.distributions import Fixed
from compcore.simulation.roster import RosterRow
from compcore.simulation.scenario import Scenario, correlation_matrix

__all__ = ["DrawSpec", "Unit", "draw_spec", "roster_arrays"]

_SCOPE_ORDER = {"company": 0, "team": 1, "individual": 2}


def roster_arrays(roster: list[RosterRow]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """``(teams, team_index, row_index)``: teams in roster order and, per employee, its team and roster row."""
    teams = tuple(dict.fromkeys(r.team for r in roster))
    pos = {t: i for i, t in enumerate(teams)}
    counts = np.array([r.headcount for r in roster], dtype=np.intp)
    row_index = np.repeat(np.arange(len(roster)), counts)
    team_index = np.array([pos[r.team] for r in roster], dtype=np.intp)[row_index]
    return teams, team_index, row_index


@dataclass(frozen=True)
class Unit:
    """What one stream of a metric draws: the company (one value a trial), one team, or the people
    of one (team, role).

    ``cols`` are its columns in the metric's array (the team axis or the employee axis; None for
    the company). A (team, role) draws ``(people, trials)`` person by person, so the first k people
    of a group keep their numbers when the group grows.
    """

    key: tuple[str, ...]
    team: str | None
    cols: slice | np.ndarray | None
    size: int


@dataclass(frozen=True)
class DrawSpec:
    """Everything a worker needs to draw one chunk (picklable)."""

    order: tuple[str, ...]            # metric ids, coarse scope first (company, team, individual), then by id
    scopes: tuple[str, ...]
    dists: tuple[object, ...]
    #: per metric: the sorted ids of the metrics it is correlated with (itself included): part of its streams' keys
    groups: tuple[tuple[str, ...], ...]
    #: per metric: None, or ((columns, distribution), ...) of the teams with their own ``by_team`` marginal;
    #: columns index the team axis (team scope) or the employee axis (individual scope)
    team_dists: tuple[tuple[tuple[np.ndarray, object], ...] | None, ...]
    chol: np.ndarray                  # lower-triangular factor of the correlation matrix in `order`
    correlated: tuple[bool, ...]
    n_teams: int
    team_index: np.ndarray
    team_units: tuple[Unit, ...]      # one per team (roster order)
    people_units: tuple[Unit, ...]    # one per (team, role) (roster order of first appearance)

    def units(self, scope: str) -> tuple[Unit, ...]:
        if scope == "company":
            return (Unit(("company",), None, None, 1),)
        return self.team_units if scope == "team" else self.people_units


def _cholesky_psd(c: np.ndarray) -> np.ndarray:
    """Lower-triangular L with L L' = C for a positive semi-definite C (zero pivots allowed).

    For a C that is block-diagonal up to the order (groups of correlated metrics), L is too, and
    each group's block is the factor of that group's own matrix: other groups never enter it.
    """
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


def _columns(idx: np.ndarray) -> slice | np.ndarray:
    """A slice when the columns are consecutive (a plain block copy), else the index array."""
    if len(idx) and idx[-1] - idx[0] == len(idx) - 1:
        return slice(int(idx[0]), int(idx[-1]) + 1)
    return idx


def _units(roster: list[RosterRow], teams: tuple[str, ...],
           team_index: np.ndarray) -> tuple[tuple[Unit, ...], tuple[Unit, ...]]:
    """Streams of team metrics (one per team, keyed by its name) and of individual metrics (one per
    (team, role), keyed by both; its people in roster order)."""
    team_units = tuple(Unit(("team", t), t, slice(i, i + 1), 1) for i, t in enumerate(teams))
    _, _, row_index = roster_arrays(roster)
    group_of_row = [(r.team, r.role) for r in roster]
    groups = list(dict.fromkeys(group_of_row))
    pos = {g: i for i, g in enumerate(groups)}
    emp_group = np.array([pos[g] for g in group_of_row], dtype=np.intp)[row_index]
    people = []
    for i, (team, role) in enumerate(groups):
        idx = np.flatnonzero(emp_group == i)
        if len(idx):  # a row of headcount 0 draws nothing
            people.append(Unit(("people", team, role), team, _columns(idx), len(idx)))
    return team_units, tuple(people)


def _groups(order: tuple[str, ...], c: np.ndarray) -> tuple[tuple[str, ...], ...]:
    """Per metric, the sorted ids of its connected group in the correlation graph (itself included)."""
    parent = list(range(len(order)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(c), strict=True):
        parent[root(int(i))] = root(int(j))
    return tuple(tuple(sorted(order[j] for j in range(len(order)) if root(j) == root(i))) for i in range(len(order)))


def draw_spec(scn: Scenario) -> DrawSpec:
    """What to draw for ``scn``: metrics in a canonical order (scope, then id), whatever order the scenario
    lists them in."""
    ids, c = correlation_matrix(scn)
    scope_of = {mid: m.scope for mid, m in scn.metrics.items()}
    perm = sorted(range(len(ids)), key=lambda i: (_SCOPE_ORDER[scope_of[ids[i]]], ids[i]))
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
    team_units, people_units = _units(list(scn.roster), teams, team_index)
    return DrawSpec(order, tuple(scope_of[m] for m in order), dists, _groups(order, c), team_dists,
                    _cholesky_psd(c), correlated, len(teams), team_index, team_units, people_units)
