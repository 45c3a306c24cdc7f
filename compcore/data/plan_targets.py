"""Org scenarios and history: a target per plan from the teams on it, and per-team fits in plain words.

In an org, two plans may set different bars on the same metric id. Setting "the target from history"
for one plan from the whole org's history would give a team the bar of teams that do the job
differently, so each plan's target comes from the history of the teams on that plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from compcore.data.definitions import round_target
from compcore.data.fit import target_from_history
from compcore.data.metrics import CSData
from compcore.data.targets import describe_spec, plan_history
from compcore.errors import PlanError
from compcore.plan.schema import Plan

__all__ = ["describe_team_fit", "plan_targets_from_history", "targets_by_plan", "team_fit_lines"]


def _team_column(history: pd.DataFrame, team_of: Mapping[str, str] | None) -> pd.Series | None:
    """Each history row's team: the ``team`` column, or owners mapped through ``team_of`` (None: no teams)."""
    if "team" in history.columns:
        return history["team"]
    if "owner" in history.columns and team_of is not None:
        return history["owner"].map(dict(team_of))
    return None


def plan_targets_from_history(history: pd.DataFrame, plan_teams: Mapping[str, Sequence[str]], percentile: float,
                              share: bool, team_of: Mapping[str, str] | None = None) -> dict[str, float]:
    """Plan id -> the ``percentile`` of the past values of the teams on that plan, rounded as a target is written.

    ``history`` is a metric table (``value``, ``complete``, and ``team`` or ``owner``); ``team_of`` maps owners
    to teams for an individual metric. A history with no team (a company metric) gives every plan the same
    target. A plan whose teams have no usable period is left out (it keeps its target).

    >>> h = pd.DataFrame({"team": ["PMO", "PMO", "CS"], "value": [0.7, 0.8, 1.0], "complete": True})
    >>> plan_targets_from_history(h, {"pmo": ["PMO"], "cs": ["CS"]}, 50, share=True)
    {'pmo': 0.75, 'cs': 1.0}
    """
    teams = _team_column(history, team_of)
    out = {}
    for pid, names in plan_teams.items():
        rows = history if teams is None else history[teams.isin(list(names)).to_numpy()]
        try:
            out[pid] = round_target(target_from_history(rows, percentile), share)
        except PlanError:
            continue  # no usable period for this plan's teams
    return out


def targets_by_plan(data: CSData, spec: Mapping[str, Any], plans: Mapping[str, Plan],
                    plan_teams: Mapping[str, Sequence[str]], metric_id: str, percentile: float,
                    share: bool) -> dict[str, float]:
    """Plan id -> target for every plan that has ``metric_id`` and people on it, from its teams' history.

    The history is at the plans' period and broken down by the metric's scope (owners matched to teams
    through ``people`` for an individual metric).
    """
    having = {pid: p for pid, p in plans.items() if metric_id in {m.id for m in p.metrics} and plan_teams.get(pid)}
    if not having:
        return {}
    history = plan_history(data, spec, next(iter(having.values())), metric_id)
    team_of = None
    if data.people is not None:
        team_of = dict(zip(data.people["owner"], data.people["team"], strict=True))
    return plan_targets_from_history(history, {pid: plan_teams[pid] for pid in having}, percentile, share, team_of)


def describe_team_fit(team: str, dist: Mapping[str, Any], spec: Mapping[str, Any], what: str | None = None) -> str:
    """One team's fitted distribution in words, e.g. 'Customer Success: about 60% adopted within 90 days
    (binomial, 14 clients)'. ``what`` names the quantity instead of the definition (e.g. the plan metric's name).

    >>> describe_team_fit("CS", {"dist": "binomial", "n": 14, "p": 0.6}, {"metric": "adoption_within", "days": 90})
    'CS: about 60% adopted within 90 days (binomial, 14 clients)'
    """
    what = describe_spec(spec).split(" (")[0] if what is None else what
    if what[1:2].islower():  # "Adopted ..." reads "about 60% adopted ..."; an acronym like "GRR" stays
        what = what[:1].lower() + what[1:]
    kind = dist.get("dist")
    if kind == "binomial":
        return f"{team}: about {dist['p'] * 100:.0f}% {what} (binomial, {dist['n']:,} clients)"
    if kind == "empirical":
        values = [float(v) for v in dist.get("values", [])]
        return f"{team}: {what}, {len(values)} past values from {min(values):.3g} to {max(values):.3g} (empirical)"
    if "mean" in dist:
        sd = f", sd {dist['sd']:.3g}" if "sd" in dist else ""
        return f"{team}: about {dist['mean']:.3g} on average, {what} ({kind}{sd})"
    params = ", ".join(f"{k} {v:.3g}" if isinstance(v, int | float) else f"{k} {v}"
                       for k, v in dist.items() if k != "dist")
    return f"{team}: {what} ({kind}{', ' + params if params else ''})"


def team_fit_lines(by_team: Mapping[str, Mapping[str, Any]], spec: Mapping[str, Any],
                   teams: Sequence[str], what: str | None = None) -> list[str]:
    """A line per team of ``teams`` (roster order): its fit, or that it keeps the default (no history)."""
    return [describe_team_fit(t, by_team[t], spec, what) if t in by_team
            else f"{t}: no usable history, keeps the default" for t in teams]
