"""Does every team have a fair chance at its target? Plain-words flags and what holds a team back.

:func:`fairness_flags` reads ``sim.fairness`` (DESIGN.md "Fairness") and names a team whose
chance of reaching its target is far from the other teams': "PMO reaches target in 11% of
quarters; the other teams 21-62%". :func:`team_breakdown` re-reads cached draws for one team
and shows, per component of its plan, how often the metric reaches its target and how much of
the component's weight it pays on average: the component with the biggest shortfall is the
metric that holds the team back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from compcore.plan.payout import attainment, payout
from compcore.plan.schema import TOLERANCE
from compcore.simulation.draws import MetricDraws
from compcore.simulation.scenario import Scenario

__all__ = ["FAR", "fairness_flags", "team_chances", "team_breakdown"]

#: a team is flagged when its chance of reaching target is outside the other teams' range, this far
#: (20 points) from their median and at least half as far (10 points) from the nearest other team
FAR = 0.2


def team_chances(fairness: pd.DataFrame) -> pd.DataFrame:
    """Per team (all its plans together, weighted by people): ``team, headcount, p_at_or_above_target,
    p_zero, expected_payout``."""
    cols = ["p_at_or_above_target", "p_zero", "expected_payout"]
    if fairness.empty:
        return pd.DataFrame(columns=["team", "headcount", *cols])
    w = fairness[cols].mul(fairness["headcount"], axis=0).assign(team=fairness["team"],
                                                                 headcount=fairness["headcount"])
    g = w.groupby("team", sort=False).sum()
    out = g[cols].div(g["headcount"], axis=0)
    out.insert(0, "headcount", g["headcount"].astype(int))
    return out.reset_index()


def fairness_flags(fairness: pd.DataFrame, period: str, far: float = FAR) -> list[str]:
    """One plain sentence per team whose chance of reaching target is far from the others'.

    Examples
    --------
    >>> f = pd.DataFrame({"team": ["PMO", "CS", "Impl"], "plan": ["a", "b", "c"], "headcount": [4, 10, 6],
    ...                   "p_at_or_above_target": [0.5, 0.12, 0.6], "p_zero": 0.0, "expected_payout": 1.0})
    >>> fairness_flags(f, "quarter")
    ['CS reaches target in 12% of quarters; the other teams 50-60%.']
    """
    teams = team_chances(fairness)
    if len(teams) < 2:
        return []
    out = []
    chance = dict(zip(teams["team"], teams["p_at_or_above_target"], strict=True))
    for team, p in chance.items():
        others = np.array([q for t, q in chance.items() if t != team])
        lo, hi, mid = float(others.min()), float(others.max()), float(np.median(others))
        outside = p < lo - TOLERANCE or p > hi + TOLERANCE  # a team in the middle is never "far from the others"
        if outside and abs(p - mid) > far + TOLERANCE and float(np.min(np.abs(others - p))) > far / 2 + TOLERANCE:
            rest = _whole(lo) if _whole(lo) == _whole(hi) else f"{_whole(lo).rstrip('%')}-{_whole(hi)}"
            other = "the other team" if len(others) == 1 else "the other teams"
            out.append(f"{team} reaches target in {_whole(p)} of {period}s; {other} {rest}.")
    return out


def _whole(x: float) -> str:
    """A share in whole percent for a sentence (12%, not 12.34%): a flag is read, not computed with."""
    return f"{x * 100:.0f}%"


def team_breakdown(scn: Scenario, draws: MetricDraws, team: str, max_trials: int = 5000) -> pd.DataFrame:
    """Which metric holds ``team`` back: per plan and component of the plans its people are on.

    Columns: ``plan, component, metric, name, weight, p_metric_at_target`` (share of person-periods
    whose attainment reaches 100%), ``expected_share`` (mean weighted payout of the component,
    after its curve, gates and modifiers), ``shortfall`` (``weight - expected_share``: what it
    pays below its weight on average). Sorted by shortfall, biggest first. Uses the first
    ``max_trials`` trials of the cached draws.
    """
    draws = draws.head(max_trials)
    k = draws.teams.index(team)
    rows_of = scn.plan_rows
    start = np.concatenate([[0], np.cumsum([r.headcount for r in scn.roster])])
    out = []
    for pid, plan in scn.plans.items():
        emps = [e for i in rows_of[pid] if scn.roster[i].team == team for e in range(start[i], start[i + 1])]
        if not emps:
            continue
        actuals = {}
        for m in plan.metrics:
            v = draws.values[m.id]
            actuals[m.id] = v[:, None] if m.scope == "company" else v[:, [k]] if m.scope == "team" else v[:, emps]
        res = payout(plan, actuals)
        for c in plan.components:
            metric = plan.metric(c.metric)
            att = np.broadcast_to(attainment(metric, actuals[c.metric]), (draws.trials, len(emps)))
            share = float(np.mean(np.broadcast_to(res.components[c.id], (draws.trials, len(emps)))))
            out.append({"plan": pid, "component": c.name or c.id, "metric": metric.id, "name": metric.name,
                        "weight": c.weight, "p_metric_at_target": float(np.mean(att >= 1.0 - TOLERANCE)),
                        "expected_share": share, "shortfall": c.weight - share})
    df = pd.DataFrame(out, columns=["plan", "component", "metric", "name", "weight", "p_metric_at_target",
                                    "expected_share", "shortfall"])
    return df.sort_values("shortfall", ascending=False, kind="stable", ignore_index=True)
