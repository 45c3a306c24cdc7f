"""What the HR plan document shows, as data: worked examples, cost summary, assumptions in words.

Every number comes from :func:`compcore.plan.payout.payout` or from a simulation
result, so the document, the app and the CSV exports always agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from compcore.plan.describe import explain_gates
from compcore.plan.payout import actual_for, payout
from compcore.plan.schema import Metric, Plan
from compcore.plan.units import unit_kind
from compcore.report.format import pct
from compcore.report.words import assumption_words, metric_value
from compcore.simulation.scenario import Scenario

__all__ = [
    "EXAMPLE_LEVELS",
    "assumption_lines",
    "cost_summary",
    "describe_assumption",
    "example_case",
    "example_levels",
    "possible_attainments",
    "reference_salary",
    "team_costs",
    "value_of",
    "worked_examples",
]

#: attainment levels of the worked examples (each metric varied, the others at target)
EXAMPLE_LEVELS = (0.5, 0.8, 1.0, 1.2, 1.5)
#: attainment of the other metrics in a "gate fires" example: strong elsewhere, so the gate visibly bites
GATE_OTHERS = 1.2


def reference_salary(scn: Scenario) -> float:
    """Headcount-weighted mean base salary of the roster (the "typical person" of the examples)."""
    heads = np.array([r.headcount for r in scn.roster], dtype=float)
    salaries = np.array([r.base_salary for r in scn.roster], dtype=float)
    return float((heads * salaries).sum() / heads.sum()) if heads.sum() > 0 else 0.0


def _period_target(plan: Plan, base_salary: float | None) -> float | None:
    ti = plan.target_incentive
    if ti.amount is None and base_salary is None:
        return None
    return float(plan.period_target_incentive(base_salary or 0.0))


def _row(plan: Plan, case: str, kind: str, metric_id: str, atts: Mapping[str, float],
         period_target: float | None) -> dict[str, Any]:
    actuals = {m: actual_for(plan.metric(m), a) for m, a in atts.items()}
    res = payout(plan, actuals)
    row: dict[str, Any] = {"case": case, "kind": kind, "metric": metric_id}
    for m in plan.metrics:
        row[f"{m.name} attainment"] = atts[m.id]
    for c in plan.components:
        row[f"{c.name or c.id} share"] = res.components[c.id]
    row["payout"] = res.total
    if period_target is not None:
        row["pay"] = period_target * res.total
    row["gates fired"] = "; ".join(explain_gates(plan, res))
    return row


def value_of(metric: Metric, attainment: float) -> float:
    """The metric value that gives ``attainment`` (the inverse of the attainment rule)."""
    if metric.direction == "lower":
        return (2.0 - attainment) * metric.target
    return attainment * metric.target


def possible_attainments(metric: Metric) -> tuple[float, float]:
    """The attainments a metric's values can reach: a share lies in 0..100%, any other value is at least 0.

    >>> from compcore.plan.schema import Metric
    >>> possible_attainments(Metric(id="a", name="Adopted", unit="share of new clients", target=0.9))
    (0.0, 1.1111111111111112)
    >>> possible_attainments(Metric(id="c", name="Churn", unit="share of ARR", target=0.05, direction="lower"))
    (-18.0, 2.0)
    """
    top = 1.0 if unit_kind(metric.unit) == "share" else math.inf
    if metric.direction == "lower":  # attainment 2 - value / target falls as the value rises
        return 2.0 - top / metric.target, 2.0
    return 0.0, top / metric.target


def example_levels(metric: Metric, levels: Sequence[float] = EXAMPLE_LEVELS) -> list[float]:
    """The levels a metric can reach; one beyond its reach is replaced by its limit (a share's 100%).

    >>> from compcore.plan.schema import Metric
    >>> [round(x, 4) for x in example_levels(Metric(id="a", name="Adopted", unit="share", target=0.9))]
    [0.5, 0.8, 1.0, 1.1111]
    """
    lo, hi = possible_attainments(metric)
    return sorted({min(max(float(x), lo), hi) for x in levels})


def example_case(metric: Metric, attainment: float) -> str:
    """'Clients adopted at 72% (80% of target)': the value a person sees, then its attainment (unless the same).

    >>> from compcore.plan.schema import Metric
    >>> example_case(Metric(id="a", name="Clients adopted", unit="share", target=0.9), 0.8)
    'Clients adopted at 72% (80% of target)'
    >>> example_case(Metric(id="o", name="OKR score", unit="share", target=1.0), 0.8)
    'OKR score at 80%'
    """
    value = metric_value(value_of(metric, attainment), metric.unit)
    of_target = pct(attainment)
    return f"{metric.name} at {value}" + (f" ({of_target} of target)" if of_target != value else "")


def worked_examples(plan: Plan, base_salary: float | None = None,
                    levels: Sequence[float] = EXAMPLE_LEVELS) -> pd.DataFrame:
    """What someone earns at each level of each metric (others at target), and with each gate firing.

    Parameters
    ----------
    plan : the plan
    base_salary : salary of the example person; needed for ``pay`` when the
        target incentive is a percent of base (a fixed amount needs none)
    levels : attainments to show for each metric; a level the metric cannot
        reach (a share above 100%) is replaced by the most it can reach

    Returns
    -------
    DataFrame, one row per example. Columns: ``case`` (in words), ``kind``
    (``metric`` or ``gate``), ``metric`` (id varied or gated), ``<metric name>
    attainment`` for every metric, ``<component> share`` (weight x payout
    fraction), ``payout`` (total as a fraction of target incentive, after
    gates, modifiers and cap), ``pay`` (money per plan period; only when it
    can be known) and ``gates fired`` (sentences).

    Notes
    -----
    A gate example puts the gate's metric 10 points below its threshold (or
    at 0) and the other metrics at 120% (or the most they can reach), the
    case where a gate matters most.

    Examples
    --------
    >>> from compcore.plan.schema import load_plan
    >>> plan = load_plan("sample_data/plans/cs_ops_enablement.json")  # doctest: +SKIP
    >>> worked_examples(plan, base_salary=100_000).query("kind == 'gate'")["payout"].tolist()  # doctest: +SKIP
    [1.0]
    """
    period_target = _period_target(plan, base_salary)
    at_target = {m.id: 1.0 for m in plan.metrics}
    rows = []
    others = ", others at target" if len(plan.metrics) > 1 else ""
    for m in plan.metrics:
        for level in example_levels(m, levels):
            atts = dict(at_target, **{m.id: level})
            rows.append(_row(plan, example_case(m, level) + others, "metric", m.id, atts, period_target))
    for g in plan.gates:
        gm = plan.metric(g.metric)
        lo, _ = possible_attainments(gm)
        level = max(lo, 0.0, round(g.below - 0.1, 6))
        atts = {m.id: min(GATE_OTHERS, possible_attainments(m)[1]) for m in plan.metrics}
        atts[g.metric] = level
        reach = "" if all(atts[m.id] == GATE_OTHERS for m in plan.metrics if m.id != g.metric) else \
            " or the most they can reach"
        strong = f", others at {pct(GATE_OTHERS)} of target{reach}" if len(plan.metrics) > 1 else ""
        case = f"Gate: {example_case(gm, level)}, below {pct(g.below)}{strong}"
        rows.append(_row(plan, case, "gate", g.metric, atts, period_target))
    return pd.DataFrame(rows)


def _percentile(sim: Any, q: float) -> float:
    return float(np.quantile(np.asarray(sim.cost, dtype=float), q))


def cost_summary(sim: Any, budget: float | None = None) -> pd.DataFrame:
    """Key figures of a simulated cost distribution, one row each.

    Columns: ``figure``, ``value``, ``unit`` (``money`` per plan period or
    ``share``). Rows: expected cost, P10, P50, P90, P95, budget and P(cost >
    budget) when there is a budget, and the share of trials over budget.
    Percentiles are ``np.quantile(sim.cost, q)``, the contract's ``sim.quantile``.
    """
    cost = np.asarray(sim.cost, dtype=float)
    rows: list[tuple[str, float, str]] = [("Expected cost", float(cost.mean()), "money")]
    rows += [(f"P{int(q * 100)} cost", _percentile(sim, q), "money") for q in (0.10, 0.50, 0.90, 0.95)]
    if budget is not None:
        rows.append(("Budget", float(budget), "money"))
        p_over = getattr(sim, "p_over_budget", None)
        p_over = float((cost > budget).mean()) if p_over is None else float(p_over)
        rows.append(("P(cost over budget)", p_over, "share"))
    on_target = getattr(sim, "per_period_target", None)
    if on_target is not None:
        rows.append(("Cost if everyone is paid exactly on target", float(on_target), "money"))
    above = getattr(sim, "share_above_target", None)
    if above is not None:
        rows.append(("People paid above 100% of target", float(above), "share"))
    rows.append(("Trials", float(cost.size), "count"))
    return pd.DataFrame(rows, columns=["figure", "value", "unit"])


def cost_table(summary: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """The key figures and each team's expected cost in one ``figure, value, unit`` table (the cost download).

    >>> summary = pd.DataFrame([("Expected cost", 100.0, "money")], columns=["figure", "value", "unit"])
    >>> cost_table(summary, pd.DataFrame({"team": ["PMO"], "expected cost": [40.0]})).values.tolist()
    [['Expected cost', 100.0, 'money'], ['PMO', 40.0, 'money']]
    """
    by_team = teams.assign(unit="money").rename(columns={"team": "figure", "expected cost": "value"})
    return pd.concat([summary, by_team[["figure", "value", "unit"]]], ignore_index=True)


def calculator_salary(roster: Sequence[Any]) -> float:
    """The base salary the "what would someone earn" calculator starts from: the roster's first row.

    The first row is the person the leader put at the top (the sample lists
    the PMO lead first); with no roster, 100,000.

    >>> from types import SimpleNamespace as Row
    >>> calculator_salary([Row(base_salary=125_000), Row(base_salary=90_000)]), calculator_salary([])
    (125000.0, 100000.0)
    """
    return float(roster[0].base_salary) if roster else 100_000.0


def team_costs(sim: Any) -> pd.DataFrame:
    """Expected cost per team per plan period, largest first.

    Columns ``team``, ``expected cost`` and, when the simulation reports them,
    ``headcount`` and ``% of target``. Accepts ``sim.cost_by_team`` as the
    simulation's DataFrame (``team, headcount, target, expected_cost, ...``), a
    mapping {team: cost array or number}, or a DataFrame with one column per
    team (rows = trials).
    """
    by_team = getattr(sim, "cost_by_team", None)
    if by_team is None or len(by_team) == 0:
        return pd.DataFrame(columns=["team", "expected cost"])
    if isinstance(by_team, pd.DataFrame) and {"team", "expected_cost"} <= set(by_team.columns):
        out = pd.DataFrame({"team": by_team["team"].astype(str), "expected cost": by_team["expected_cost"]})
        if "headcount" in by_team.columns:
            out["headcount"] = by_team["headcount"].to_numpy()
        if "pct_of_target" in by_team.columns:
            out["% of target"] = by_team["pct_of_target"].to_numpy()
    else:
        if isinstance(by_team, pd.DataFrame):
            means = by_team.mean(axis=0).to_dict()
        else:
            means = {str(k): float(np.mean(np.asarray(v, dtype=float))) for k, v in dict(by_team).items()}
        out = pd.DataFrame({"team": [str(k) for k in means], "expected cost": [float(v) for v in means.values()]})
    return out.sort_values("expected cost", ascending=False, kind="stable").reset_index(drop=True)


def _num(x: Any) -> str:
    """A parameter as a person reads it: 3 significant figures, thousands separated (0.84058 -> 0.841)."""
    if not isinstance(x, int | float):
        return str(x)
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def describe_assumption(dist: Mapping[str, Any]) -> str:
    """A distribution dict in words, e.g. 'normal, mean 0.95, sd 0.1'."""
    kind = str(dist.get("dist", "?"))
    if kind == "fixed":
        return f"fixed at {_num(dist.get('value'))}"
    if kind == "empirical":
        values = [float(v) for v in dist.get("values", [])]
        if not values:
            return "empirical (no values)"
        return f"empirical, {len(values)} past values from {min(values):g} to {max(values):g}"
    if kind == "binomial":
        p = dist.get("p")
        chance = pct(p) if isinstance(p, int | float) else str(p)
        return f"binomial: share of a cohort of {_num(dist.get('n'))} clients, each with chance {chance}"
    params = ", ".join(f"{k} {_num(v)}" for k, v in dist.items() if k != "dist")
    return f"{kind}, {params}" if params else kind


_SCOPE_WORDS = {"company": "one company-wide figure shared by everyone", "team": "one figure per team",
                "individual": "each person's own figure"}


def _teams_using(scn: Scenario, metric_id: str) -> list[str]:
    """The teams with people on a plan that measures ``metric_id``, in roster order."""
    plans = {pid for pid, p in scn.plans.items() if any(m.id == metric_id for m in p.metrics)}
    return list(dict.fromkeys(scn.roster[i].team for pid in plans for i in scn.plan_rows[pid]
                              if scn.roster[i].headcount > 0))


def assumption_lines(scn: Scenario) -> list[str]:
    """The assumptions in words: one line per metric (its target, who shares it, its typical value and range),
    one per team that has its own assumption, then one per correlation.

    Every plan's metrics for an org (a metric shared by two plans once, with its first plan's name and unit).
    A metric whose teams have their own assumptions says which applies to whom: each such team's line, then
    the other teams' (left out when every team has its own).
    """
    metrics = scn.metrics
    period = scn.period
    lines = []
    for mid, m in metrics.items():
        dist = scn.assumptions.get(mid)
        if dist is None:
            continue
        target = metric_value(m.target, m.unit) + (", lower is better" if m.direction == "lower" else "")
        unit = f" Measured as: {m.unit}." if m.unit else ""
        own = dict(dist.by_team or {})
        head = f"{m.name} (target {target}, {_SCOPE_WORDS[m.scope]})"
        if not own:
            lines.append(f"{head}: {assumption_words(dist, m.unit, period)}.{unit}")
            continue
        lines.append(f"{head}, assumed team by team.{unit}")
        lines += [f"{m.name} for {team}: {assumption_words(d, m.unit, period)}." for team, d in own.items()]
        others = [t for t in _teams_using(scn, mid) if t not in own]
        if others:
            lines.append(f"{m.name} for {', '.join(others)}: {assumption_words(dist, m.unit, period)}.")
    for c in scn.correlations:
        a, b = (metrics[x].name if x in metrics else x for x in c.between)
        how = "tend to move together" if c.rho > 0 else "tend to move in opposite directions"
        lines.append(f"{a} and {b} {how} (correlation {c.rho:g}).")
    return lines
