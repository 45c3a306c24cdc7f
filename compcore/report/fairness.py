"""Does every team have a fair chance at its target? Plain-words flags and what holds a team back.

:func:`fairness_flags` reads ``sim.fairness`` (DESIGN.md "Fairness") and names a team whose
chance of reaching its target is far from the other teams': "PMO reaches target in 11% of
quarters; the other teams 21-62%". :func:`team_breakdown` re-reads cached draws for one team
and shows, per component of its plan, how often the metric reaches its target and how much of
the component's weight it pays on average: the component with the biggest shortfall is the
metric that holds the team back.

:func:`small_cohorts` finds where a team's cohort is so small that a share target is all or
nothing: a share of n clients moves in steps of 1/n (6 clients a quarter: 83% or 100%), so a 90%
target on 6 clients is met only when all 6 are. :func:`cohort_steps` is the arithmetic, and
:func:`small_cohort_sentence` says it in words, for the fairness view and the plan designer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from compcore.plan.payout import attainment, payout
from compcore.plan.schema import TOLERANCE
from compcore.report.words import cohort_noun
from compcore.simulation.draws import MetricDraws
from compcore.simulation.scenario import Scenario

__all__ = ["FAR", "CohortSteps", "SmallCohort", "cohort_steps", "fairness_flags", "small_cohort_sentence",
           "small_cohorts", "team_chances", "team_breakdown"]

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


# ---------------------------------------------------------------- small cohorts: a share moves in steps of 1/n


@dataclass(frozen=True)
class CohortSteps:
    """A share target on a cohort of ``n``: ``needed`` clients meet it (``at`` = needed / n), one fewer
    (one more for a lower-is-better share) gives ``miss``; ``all_or_nothing`` when only the extreme meets it
    (every client, or none for lower is better)."""

    n: int
    target: float
    needed: int
    at: float
    miss: float | None
    all_or_nothing: bool


def cohort_steps(n: int, target: float, direction: str = "higher") -> CohortSteps:
    """What a share target means on a cohort of ``n`` clients, whose share can only be k / n.

    Higher is better: the fewest clients k with k / n >= target (the 1e-9 tolerance of a threshold);
    lower is better (e.g. churned clients): the most clients k with k / n <= target.

    Examples
    --------
    6 clients a quarter, a 90% target: 5 of 6 is 83.3% (misses), only 6 of 6 (100%) meets it.

    >>> s = cohort_steps(6, 0.9)
    >>> s.needed, round(s.miss, 4), s.at, s.all_or_nothing
    (6, 0.8333, 1.0, True)

    20 clients, 90%: 18 of 20 meets it exactly (90%), 17 of 20 is 85%: not all or nothing.

    >>> s = cohort_steps(20, 0.9)
    >>> s.needed, s.at, s.miss, s.all_or_nothing
    (18, 0.9, 0.85, False)
    """
    if direction == "lower":
        needed = min(n, math.floor(target * n + TOLERANCE))
        miss = (needed + 1) / n if needed < n else None
        return CohortSteps(n, target, needed, needed / n, miss, n > 0 and needed == 0)
    needed = max(0, math.ceil(target * n - TOLERANCE))
    if needed > n:  # a target above 100% is never met; say so as all or nothing at every client
        needed = n
    miss = (needed - 1) / n if needed > 0 else None
    return CohortSteps(n, target, needed, needed / n, miss, n > 1 and needed == n)


@dataclass(frozen=True)
class SmallCohort:
    """A team whose cohort makes a plan's share target all or nothing."""

    team: str
    plan: str
    plan_name: str
    metric: str
    name: str
    unit: str | None
    direction: str
    steps: CohortSteps


def small_cohorts(scn: Scenario) -> list[SmallCohort]:
    """Every (team, plan, metric) where the team's cohort makes the plan's share target all or nothing.

    A target that asks for every client already (100%; 0% for lower is better) is all or nothing by
    design and is not listed. A metric counts when the distribution that team's people draw from (its
    own ``by_team``, else the default) is a binomial share of a cohort of n clients; the target is that
    plan's. Teams with people on the plan, in roster order.
    """
    out = []
    for pid, rows in scn.plan_rows.items():
        plan = scn.plans[pid]
        teams = list(dict.fromkeys(scn.roster[i].team for i in rows if scn.roster[i].headcount > 0))
        for m in plan.metrics:
            a = scn.assumptions.get(m.id)
            if a is None:
                continue
            for team in teams:
                dist = (a.by_team or {}).get(team, a)
                if getattr(dist, "dist", None) != "binomial":
                    continue
                steps = cohort_steps(int(dist.n), m.target, m.direction)
                # a target of 100% (0% for lower is better) is all or nothing by design ("all go-lives live")
                by_design = m.target >= 1 - TOLERANCE if m.direction != "lower" else m.target <= TOLERANCE
                if steps.all_or_nothing and not by_design:
                    out.append(SmallCohort(team, pid, plan.name, m.id, m.name, m.unit, m.direction, steps))
    return out


def _share(x: float) -> str:
    return f"{x * 100:.3g}%"


def small_cohort_sentence(c: SmallCohort, period: str) -> str:
    """A small cohort in words, for the fairness view and under a metric's target in the designer.

    Examples
    --------
    >>> c = SmallCohort("PMO", "pmo", "PMO bonus", "go_live", "Go-lives on time", "share of due go-lives",
    ...                 "higher", cohort_steps(6, 0.9))
    >>> small_cohort_sentence(c, "quarter")
    'PMO: about 6 due go-lives a quarter, so Go-lives on time moves in steps of 16.7%: 5 of 6 is 83.3% and \
misses the 90% target; only 6 of 6 (100%) meets it. For PMO this target is all or nothing.'
    """
    s, noun = c.steps, cohort_noun(c.unit)
    head = (f"{c.team}: about {s.n} {noun} a {period}, so {c.name} moves in steps of {_share(1 / s.n)}: ")
    if c.direction == "lower":
        body = (f"1 of {s.n} is {_share(1 / s.n)} and misses the {_share(s.target)} target; only 0 of {s.n} "
                "meets it.")
    else:
        body = (f"{s.needed - 1} of {s.n} is {_share(s.miss or 0.0)} and misses the {_share(s.target)} target; "
                f"only {s.n} of {s.n} (100%) meets it.")
    return head + body + f" For {c.team} this target is all or nothing."
