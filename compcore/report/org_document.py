"""Documents of an org scenario: one plan's own document (for the people on it) and an org summary for HR.

:func:`scenario_for_plan` cuts one plan out of an org: that plan, the roster rows on it, the
assumptions and correlations of its metrics; every single-plan document (page, HTML, tables)
then works unchanged for that team's people. :func:`org_summary` and :func:`org_summary_html`
put every plan side by side with its cost and each team's chance of reaching its target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from compcore.plan.describe import describe
from compcore.report.document import assumption_lines
from compcore.report.fairness import fairness_flags, team_chances
from compcore.report.format import money, pct
from compcore.simulation.results import group_rows
from compcore.simulation.scenario import Scenario, dump_scenario, load_scenario

__all__ = ["PlanCost", "PlanSection", "org_summary", "org_summary_html", "plan_cost", "plan_sections",
           "scenario_for_plan"]


@dataclass(frozen=True)
class PlanSection:
    """One plan of an org as the org summary shows it: who is on it and its rules in plain words."""

    plan: str
    name: str
    teams: tuple[tuple[str, int], ...]  # (team, people on this plan), roster order
    rules: tuple[str, ...]

    @property
    def headcount(self) -> int:
        return sum(n for _, n in self.teams)

    @property
    def who(self) -> str:
        """'PMO (8 people)', 'PMO (3 people), CS Ops (1 person)' or 'nobody yet (a draft)'."""
        return ", ".join(f"{t} ({n} {'person' if n == 1 else 'people'})" for t, n in self.teams) or \
            "nobody yet (a draft)"


def plan_sections(scn: Scenario) -> list[PlanSection]:
    """Every plan of the scenario, in its order: its teams and headcount, and :func:`describe` of its rules.

    >>> from compcore.simulation.scenario import load_scenario
    >>> scn = load_scenario("sample_data/scenarios/cs_org_teams.json")  # doctest: +SKIP
    >>> plan_sections(scn)[0].who  # doctest: +SKIP
    'PMO (8 people)'
    """
    out = []
    for pid, plan in scn.plans.items():
        teams: dict[str, int] = {}
        for i in scn.plan_rows[pid]:
            row = scn.roster[i]
            if row.headcount > 0:
                teams[row.team] = teams.get(row.team, 0) + row.headcount
        out.append(PlanSection(pid, plan.name, tuple(teams.items()), tuple(describe(plan))))
    return out


@dataclass(frozen=True)
class PlanCost:
    """One plan's share of an org simulation, shaped like a simulation for the plan document's tables.

    The numbers are the org simulation's own (``sim.plan_costs[plan]``, its people's rows), so a plan's
    document shows exactly what the editor's cost by plan shows. ``budget`` is None: the budget is the org's.
    """

    plan: str
    cost: np.ndarray
    trials: int
    per_period_target: float
    cost_by_team: pd.DataFrame
    fairness: pd.DataFrame
    cost_by_plan: pd.DataFrame
    budget: None = None
    p_over_budget: None = None
    plan_costs: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def expected(self) -> float:
        return float(self.cost.mean())

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.cost, q))


def plan_cost(sim: Any, plan_id: str) -> PlanCost:
    """The part of an org simulation ``sim`` that plan ``plan_id`` costs: its cost per trial, its teams' costs.

    A team split over two plans counts here only with its people on this plan.
    """
    rows = getattr(sim, "_rows", ())
    teams = pd.DataFrame(columns=["team", "headcount", "target", "expected_cost", "pct_of_target"])
    if rows:
        roster, row_cost, row_target = rows
        mine = [i for i, r in enumerate(roster) if (getattr(r, "plan", None) or "plan") == plan_id]
        if mine:
            teams = group_rows([roster[i] for i in mine], np.asarray(row_cost)[mine], np.asarray(row_target)[mine],
                               ("team",))
    by_plan = sim.cost_by_plan
    by_plan = by_plan[by_plan["plan"] == plan_id].reset_index(drop=True)
    fair = sim.fairness
    fair = fair[fair["plan"] == plan_id].reset_index(drop=True)
    cost = np.asarray(sim.plan_costs[plan_id], dtype=float)
    target = float(by_plan["target"].iloc[0]) if len(by_plan) else 0.0
    return PlanCost(plan_id, cost, int(sim.trials), target, teams, fair, by_plan, plan_costs={plan_id: cost})


def scenario_for_plan(scn: Scenario, plan_id: str) -> Scenario:
    """A single-plan scenario of plan ``plan_id`` and the people on it (the org's budget left out).

    A draft plan nobody is on gets the whole roster, so its document still has salaries to show
    (its cost is then what the plan would cost if everyone were on it). ``by_team`` keeps the
    teams of the plan's people only.
    """
    if not scn.is_org:
        return scn
    data = dump_scenario(scn)
    plan = data["plans"][plan_id]
    rows = [{k: v for k, v in r.items() if k != "plan"} for r in data["roster"] if r.get("plan") == plan_id]
    if sum(r["headcount"] for r in rows) == 0:
        rows = [{k: v for k, v in r.items() if k != "plan"} for r in data["roster"]]
    teams = {r["team"] for r in rows}
    ids = {m["id"] for m in plan["metrics"]}
    assumptions = {}
    for mid in ids:
        a = dict(data["assumptions"][mid])
        own = {t: d for t, d in (a.pop("by_team", None) or {}).items() if t in teams}
        assumptions[mid] = {**a, "by_team": own} if own else a
    return load_scenario({"schema": data["schema"], "name": f"{scn.name}: {plan['name']}", "plan": plan,
                          "roster": rows, "assumptions": assumptions,
                          "correlations": [c for c in data.get("correlations", []) if set(c["between"]) <= ids],
                          **{k: data[k] for k in ("year_start",) if k in data}})  # roster dates need the year


def org_summary(scn: Scenario, sim: Any) -> pd.DataFrame:
    """One row per plan: ``plan, name, teams, headcount, target, expected_cost, pct_of_target`` (per period)."""
    by_plan = sim.cost_by_plan.set_index("plan")
    out = []
    for pid, plan in scn.plans.items():
        rows = [scn.roster[i] for i in scn.plan_rows[pid]]
        teams = ", ".join(dict.fromkeys(r.team for r in rows if r.headcount > 0)) or "nobody yet (a draft)"
        got = by_plan.loc[pid] if pid in by_plan.index else None
        out.append({"plan": pid, "name": plan.name, "teams": teams,
                    "headcount": int(got["headcount"]) if got is not None else 0,
                    "target": float(got["target"]) if got is not None else 0.0,
                    "expected_cost": float(got["expected_cost"]) if got is not None else 0.0,
                    "pct_of_target": float(got["pct_of_target"]) if got is not None else 0.0})
    return pd.DataFrame(out)


def org_summary_html(scn: Scenario, sim: Any, *, stamp: str | None = None, currency: str = "",
                     generated_at: datetime | None = None) -> str:
    """The org summary as a standalone printable HTML page (every name HTML-escaped)."""
    period = scn.period
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    plans = org_summary(scn, sim)
    chances = team_chances(sim.fairness)
    rows = "".join(
        f"<tr><td>{escape(r.name)}</td><td>{escape(r.teams)}</td><td class='n'>{r.headcount}</td>"
        f"<td class='n'>{escape(money(r.target, currency))}</td>"
        f"<td class='n'>{escape(money(r.expected_cost, currency))}</td>"
        f"<td class='n'>{escape(pct(r.pct_of_target))}</td></tr>" for r in plans.itertuples())
    fair = "".join(
        f"<tr><td>{escape(str(r.team))}</td><td class='n'>{int(r.headcount)}</td>"
        f"<td class='n'>{escape(pct(r.p_at_or_above_target))}</td><td class='n'>{escape(pct(r.p_zero))}</td>"
        f"<td class='n'>{escape(pct(r.expected_payout))}</td></tr>" for r in chances.itertuples())
    flags = "".join(f"<p class='flag'>{escape(f)}</p>" for f in fairness_flags(sim.fairness, period))
    rules = "".join(
        f"<h3>{escape(sec.name)}</h3><p class='who'>{escape(sec.who)}</p>"
        f"<ul>{''.join(f'<li>{escape(line)}</li>' for line in sec.rules)}</ul>" for sec in plan_sections(scn))
    assumptions = "".join(f"<li>{escape(line)}</li>" for line in assumption_lines(scn))
    p10, p90 = (escape(money(float(sim.quantile(q)), currency)) for q in (0.1, 0.9))
    label = escape(stamp or "Unsaved scenario")
    p_over = float(np.mean(np.asarray(sim.cost) > scn.budget)) if scn.budget is not None else None
    budget = (f"; budget {escape(money(scn.budget, currency))}, chance of going over it "
              f"{escape(pct(p_over))}" if p_over is not None else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(scn.name)}: org summary</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; text-align: left; }}
td.n, th.n {{ text-align: right; }}
.stamp, footer {{ color: #666; font-size: 0.9rem; }}
.flag {{ background: #fff4e5; padding: 0.5rem 0.75rem; border-left: 4px solid #f0a030; }}
</style></head><body>
<header><h1>{escape(scn.name)}: org summary</h1>
<div class="stamp">{len(scn.plans)} plans, paid per {escape(period)} · {label}</div></header>
<h2>Plans and what they cost</h2>
<p>Expected cost per {escape(period)}: {escape(money(sim.expected, currency))} (P10 {p10}, P90 {p90}){budget};
{sim.trials:,} simulated {escape(period)}s.</p>
<table><tr><th>Plan</th><th>Who is on it</th><th class="n">People</th><th class="n">Target per {escape(period)}</th>
<th class="n">Expected cost</th><th class="n">% of target</th></tr>{rows}</table>
<h2>Does every team have a fair chance?</h2>
{flags}
<table><tr><th>Team</th><th class="n">People</th><th class="n">Reaches target</th><th class="n">Earns nothing</th>
<th class="n">Expected payout</th></tr>{fair}</table>
<h2>How each plan works</h2>
{rules}
<h2>Assumptions</h2>
<ul>{assumptions}</ul>
<footer>Printed {escape(when)}. Each plan has its own document with its rules and worked examples.</footer>
</body></html>
"""
