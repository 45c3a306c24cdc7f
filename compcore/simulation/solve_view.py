"""What the app draws for a solve: the goal in words, before/after histograms and curves, the answer in sentences.

Pure functions of a :class:`~compcore.simulation.solve.Solution` (and the
scenarios in it) returning DataFrames and strings, so the Cost simulation page
only lays them out and every number is tested here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from compcore.plan.explore import actual_for, attainment_range, curve_frame, histogram_frame, sweep
from compcore.plan.payout import payout
from compcore.plan.schema import Plan
from compcore.report.format import money
from compcore.simulation.knobs import SCALE_KNOB, Knob, parse_path
from compcore.simulation.scenario import Scenario
from compcore.simulation.simulate import SimulationResult
from compcore.simulation.solve import Solution

__all__ = ["AFTER", "BEFORE", "GOAL_KINDS", "CurveView", "answer_lines", "cost_pair", "frontier_frame",
           "frontier_values", "goal_words", "knob_curves"]

BEFORE, AFTER = "Now", "With the answer"
#: points per drawn curve (breakpoints are added on both sides, so steps stay sharp)
_POINTS = 121
GOAL_KINDS = ("p_over_budget", "expected_cost", "quantile")


def goal_words(kind: str, period: str = "quarter") -> str:
    """A goal kind in the words a CS leader uses with Finance.

    >>> goal_words("quantile", "quarter")
    'The cost of a bad quarter (P90) equals ...'
    """
    return {"p_over_budget": "At most this chance of going over budget",
            "expected_cost": "Expected cost equals ...",
            "quantile": f"The cost of a bad {period} (P90) equals ..."}[kind]


def cost_pair(before: np.ndarray, after: np.ndarray, bins: int = 50) -> pd.DataFrame:
    """Two cost histograms on the same bins: ``lo``, ``hi``, ``share``, ``series`` (:data:`BEFORE` / :data:`AFTER`)."""
    lo = float(min(before.min(), after.min()))
    hi = float(max(np.quantile(before, 0.999), np.quantile(after, 0.999), lo + 1.0))
    frames = [histogram_frame(np.clip(c, lo, hi), bins, lo=lo, hi=hi).assign(series=s)
              for c, s in ((before, BEFORE), (after, AFTER))]
    return pd.concat(frames, ignore_index=True)[["lo", "hi", "share", "series"]]


@dataclass(frozen=True)
class CurveView:
    """A before/after curve: ``frame`` has ``x``, ``y``, ``series``; ``y_money`` says whether y is money."""

    frame: pd.DataFrame
    title: str
    x_title: str
    y_title: str
    y_money: bool


def _plan_of(scn: Scenario, k: Knob) -> Plan:
    return scn.plans[k.plan]  # a one-plan scenario reads as {"plan": plan}


def _both(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([a.assign(series=BEFORE), b.assign(series=AFTER)], ignore_index=True)[["x", "y", "series"]]


def _person(sim: SimulationResult, plan_id: str, plan: Plan, lo: float, hi: float, n: int = _POINTS) -> pd.DataFrame:
    """Payout per period (money) of an average person on the plan, with every metric at the same attainment."""
    a = np.linspace(lo, hi, n)
    total = payout(plan, {m.id: actual_for(m, a) for m in plan.metrics}).total
    row = sim.cost_by_plan.set_index("plan").loc[plan_id]
    return pd.DataFrame({"x": a, "y": np.asarray(total) * float(row["target"]) / max(float(row["headcount"]), 1.0)})


def _org_person(sim: SimulationResult, scn: Scenario, lo: float, hi: float, n: int = _POINTS) -> pd.DataFrame:
    """Payout per period (money) of an average person of the whole org, every metric at the same attainment:
    each plan's payout fraction times its on-target cost, over everyone's headcount."""
    a = np.linspace(lo, hi, n)
    rows = sim.cost_by_plan.set_index("plan")
    money_at = np.zeros(n)
    for pid, plan in scn.plans.items():
        if pid in rows.index and float(rows.loc[pid, "headcount"]) > 0:
            total = payout(plan, {m.id: actual_for(m, a) for m in plan.metrics}).total
            money_at += np.asarray(total) * float(rows.loc[pid, "target"])
    people = float(sim.cost_by_plan["headcount"].sum())
    return pd.DataFrame({"x": a, "y": money_at / max(people, 1.0)})


def knob_curves(sol: Solution) -> CurveView:
    """The curve the knob changes, before and after.

    A curve point, rate, threshold or cap: that component's (or modifier's) curve. A metric target: the plan's
    payout as that metric moves (others on target), against attainment of today's target, so a higher target
    shows as the curve moving right. Anything else (target incentive, plan cap, a gate): what an average person
    earns per period when every metric is at the same attainment.
    """
    k, old, new = sol.knob, sol.original, sol.scenario
    if k.path == SCALE_KNOB:  # every plan: what an average person of the org earns
        hi = max(attainment_range(p)[1] for p in old.plans.values())
        return CurveView(_both(_org_person(sol.base, old, 0.0, hi), _org_person(sol.sim, new, 0.0, hi)),
                         "What an average person of the org earns per period",
                         "Attainment of every metric (% of target)", "Payout per period", True)
    p0, p1 = _plan_of(old, k), _plan_of(new, k)
    parts = parse_path(k.path)[1 if k.plan == "plan" else 2:]
    lo, hi = 0.0, max(attainment_range(p0)[1], attainment_range(p1)[1])
    if parts[0] in ("components", "modifiers") and len(parts) > 2 and parts[2] == "curve":
        i = int(parts[1])
        item0, item1 = getattr(p0, parts[0])[i], getattr(p1, parts[0])[i]
        frames = [curve_frame(it.curve, lo, hi, _POINTS).rename(columns={"attainment": "x", "payout": "y"})
                  for it in (item0, item1)]
        who = (item0.name or item0.id) if parts[0] == "components" else f"modifier on {item0.metric}"
        y = "Payout (% of target incentive)" if parts[0] == "components" else "Multiplier"
        return CurveView(_both(*frames), f"{who}: curve", f"Attainment of {p0.metric(item0.metric).name}", y, False)
    if parts[0] == "metrics" or parts[0] == "gates":
        mid = p0.metrics[int(parts[1])].id if parts[0] == "metrics" else p0.gates[int(parts[1])].metric
        t0 = p0.metric(mid).target
        frames = [sweep(p, mid, lo=lo, hi=hi * (p.metric(mid).target / t0 if parts[0] == "metrics" else 1.0),
                        n=_POINTS)
                  for p in (p0, p1)]
        frames = [pd.DataFrame({"x": f["value"] / t0, "y": f["total"]}) for f in frames]
        name = p0.metric(mid).name
        return CurveView(_both(*frames), f"Plan payout as {name} moves (others on target)",
                         f"{name} (% of today's target)", "Payout (% of target incentive)", False)
    who = "" if k.plan == "plan" else f" on {p0.name}"
    return CurveView(_both(_person(sol.base, k.plan, p0, lo, hi), _person(sol.sim, k.plan, p1, lo, hi)),
                     f"What an average person{who} earns per period", "Attainment of every metric (% of target)",
                     "Payout per period", True)


def answer_lines(sol: Solution, period: str = "period", currency: str = "") -> list[str]:
    """The answer in sentences (plain text): the value, the goal's measure, how it was found; money with
    ``currency`` in front ("$84,000")."""
    k, g, c = sol.knob, sol.goal, currency
    lines = [f"{k.label}: {k.phrase(sol.value, c)} (now {k.phrase(k.value, c)}).",
             f"{g.measure_name[0].upper()}{g.measure_name[1:]}: {g.show(sol.achieved, c)} "
             f"(now {g.show(sol.before, c)}); goal: {g.describe(c)}."]
    if g.kind == "p_over_budget" and sol.past is not None:
        lines.append(f"The closest value that keeps {g.measure_name} at or under the goal; any more and it goes over.")
    elif g.kind == "p_over_budget":
        lines.append(f"The whole range {k.show(sol.lo, c)} to {k.show(sol.hi, c)} meets the goal; this is its end "
                     "nearest the budget.")
    lines.append(f"Expected cost {money(sol.sim.expected, c)} per {period} (now {money(sol.base.expected, c)}); "
                 f"P90 {money(sol.sim.percentiles['P90'], c)} (now {money(sol.base.percentiles['P90'], c)}). "
                 f"Found with {sol.evaluations} re-pricings of the same {sol.sim.trials:,} simulated {period}s.")
    return lines


def frontier_values(sol: Solution, n: int = 9) -> list[float]:
    """Values to draw the frontier at: around the current value and the answer, inside the searched range,
    leaving out those next to a value the solve already priced (``sol.tried`` fills them in)."""
    c, a = sol.knob.value, sol.value
    span = max(abs(a - c), 0.25 * max(abs(c), abs(a)), 1e-3 * (sol.hi - sol.lo))
    lo, hi = max(sol.lo, min(c, a) - span), min(sol.hi, max(c, a) + span)
    near = (hi - lo) / (2 * (n - 1))
    tried = sol.tried["value"].to_numpy()
    return [float(v) for v in np.linspace(lo, hi, n) if not np.any(np.abs(tried - v) < near)]


def frontier_frame(table: pd.DataFrame, sol: Solution) -> pd.DataFrame:
    """``value``, ``measure``, ``point`` (``"across the range"``, ``"now"``, ``"answer"``) for the frontier chart:
    ``table`` (from :func:`~compcore.simulation.solve.measure_at` at :func:`frontier_values`) and the values the
    solve priced inside that span."""
    c, a = sol.knob.value, sol.value
    lo, hi = min([c, a, *table["value"]]), max([c, a, *table["value"]])
    tried = sol.tried[(sol.tried["value"] >= lo) & (sol.tried["value"] <= hi)]
    line = pd.concat([table, tried]).drop_duplicates("value").sort_values("value", ignore_index=True)
    marks = pd.DataFrame({"value": [c, a], "measure": [sol.before, sol.achieved], "point": ["now", "answer"]})
    return pd.concat([line.assign(point="across the range"), marks], ignore_index=True)
