"""Draw once what two scenarios draw alike: the common random numbers of :func:`compcore.impact`.

Draws are keyed by metric id and unit (:mod:`compcore.simulation.streams`), so a metric whose
correlated group has the same assumptions and correlations in both scenarios has the very same
values in every unit (the company, a team by name, a (team, role) of the same headcount) in both,
wherever the rosters put those units. :func:`reuse_plan` finds those metrics and units;
:func:`draw_after` draws the second scenario's chunk from the first's: the shared metrics' kept
units copied, their new units and every other metric drawn. The result is bit for bit what
:func:`~compcore.simulation.draws.draw_chunk` gives (tested through ``impact == two simulate calls``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from compcore.simulation.draw_layout import DrawSpec, Unit
from compcore.simulation.draws import draw_chunk

__all__ = ["Reuse", "draw_after", "reuse_plan", "shared_streams"]


def shared_streams(a: DrawSpec, b: DrawSpec) -> frozenset[str]:
    """Metric ids whose correlated group is drawn alike under ``a`` and ``b`` (whole groups): for every
    metric of the group the same scope, assumption and correlations within the group."""
    pos_a = {mid: i for i, mid in enumerate(a.order)}
    pos_b = {mid: i for i, mid in enumerate(b.order)}
    out = set()
    for mid in set(a.order) & set(b.order):
        group = a.groups[pos_a[mid]]
        if group != b.groups[pos_b[mid]] or not set(group) <= set(b.order):
            continue
        ia, ib = [pos_a[g] for g in group], [pos_b[g] for g in group]
        if all(a.scopes[i] == b.scopes[j] and a.dists[i] == b.dists[j] and a.correlated[i] == b.correlated[j]
               for i, j in zip(ia, ib, strict=True)) and np.array_equal(a.chol[np.ix_(ia, ia)], b.chol[np.ix_(ib, ib)]):
            out.add(mid)
    return frozenset(out)


def _block(idx: np.ndarray) -> slice | np.ndarray:
    """A slice for consecutive columns (a block copy, not a gather), else the columns."""
    return slice(int(idx[0]), int(idx[-1]) + 1) if idx[-1] - idx[0] == len(idx) - 1 and \
        bool(np.all(np.diff(idx) == 1)) else idx


def _cols(u: Unit) -> np.ndarray:
    return np.arange(u.cols.start, u.cols.stop) if isinstance(u.cols, slice) else np.asarray(u.cols)


@dataclass(frozen=True)
class Reuse:
    """How to draw ``after`` from ``before``'s draws of the same chunk (picklable).

    shared : metrics drawn alike (:func:`shared_streams`)
    same_layout : the rosters have the same units in the same columns: shared arrays are taken whole
    copies : per scope ("team", "individual"), ``(after columns, before columns)`` of the units both have
    todo : ``after`` restricted to the units to draw for the shared metrics (new teams, new or resized
        (team, role)s, and the teams of those), or None with the same layout
    """

    shared: frozenset[str]
    same_layout: bool
    copies: dict[str, tuple[np.ndarray, np.ndarray]]
    todo: DrawSpec | None


def _layout(spec: DrawSpec) -> tuple[object, ...]:
    units = tuple((u.key, u.size, repr(u.cols)) for u in (*spec.team_units, *spec.people_units))
    return spec.n_teams, spec.team_index.tobytes(), units


def reuse_plan(before: DrawSpec, after: DrawSpec) -> Reuse:
    """What ``after`` can take from ``before``'s draws (see :class:`Reuse`)."""
    shared = shared_streams(before, after)
    if _layout(before) == _layout(after):
        return Reuse(shared, True, {}, None)
    copies: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    todo: dict[str, list[Unit]] = {}
    for scope, units_a, units_b in (("team", after.team_units, before.team_units),
                                    ("individual", after.people_units, before.people_units)):
        old = {(u.key, u.size): u for u in units_b}
        kept = [(u, old[(u.key, u.size)]) for u in units_a if (u.key, u.size) in old]
        todo[scope] = [u for u in units_a if (u.key, u.size) not in old]
        ca = np.concatenate([_cols(u) for u, _ in kept]) if kept else np.zeros(0, dtype=np.intp)
        cb = np.concatenate([_cols(v) for _, v in kept]) if kept else np.zeros(0, dtype=np.intp)
        copies[scope] = (ca, cb)
    # a new (team, role) widens its team's normals: that team is drawn again too (same stream, same numbers)
    teams = {u.team for u in todo["individual"]} | {u.team for u in todo["team"]}
    todo_spec = dataclasses.replace(after, team_units=tuple(u for u in after.team_units if u.team in teams),
                                    people_units=tuple(todo["individual"]))
    return Reuse(shared, False, copies, todo_spec)


def draw_after(reuse: Reuse, after: DrawSpec, n: int, seed: np.random.SeedSequence,
               drawn_before: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``draw_chunk(after, n, seed)``, taking what ``reuse`` says from ``drawn_before`` (the same chunk)."""
    if reuse.same_layout:
        return draw_chunk(after, n, seed, given={m: drawn_before[m] for m in reuse.shared})
    rest = frozenset(after.order) - reuse.shared
    out = draw_chunk(after, n, seed, only=rest) if rest else {}
    if reuse.shared:
        assert reuse.todo is not None
        part = draw_chunk(reuse.todo, n, seed, only=reuse.shared)
        for mid, arr in part.items():
            scope = after.scopes[after.order.index(mid)]
            if scope == "company":
                part[mid] = drawn_before[mid]
                continue
            ca, cb = reuse.copies[scope]
            if len(ca):
                arr[:, _block(ca)] = drawn_before[mid][:, _block(cb)]
        out.update(part)
    return {mid: out[mid] for mid in after.order}
