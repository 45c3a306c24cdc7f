"""Documents of an org scenario: one plan's own document (for the people on it) and an org summary for HR.

:func:`scenario_for_plan` cuts one plan out of an org: that plan, the roster rows on it, the
assumptions and correlations of its metrics; every single-plan document (page, HTML, tables)
then works unchanged for that team's people. :func:`org_summary` and :func:`org_summary_html`
put every plan side by side with its cost and each team's chance of reaching its target.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

import pandas as pd

from compcore.report.fairness import fairness_flags, team_chances
from compcore.report.format import money, pct
from compcore.simulation.scenario import Scenario, dump_scenario, load_scenario

__all__ = ["org_summary", "org_summary_html", "scenario_for_plan"]


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
                          "correlations": [c for c in data.get("correlations", []) if set(c["between"]) <= ids]})


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
    p10, p90 = (escape(money(sim.percentiles[q], currency)) for q in ("P10", "P90"))
    label = escape(stamp or "Unsaved scenario")
    budget = (f"; budget {escape(money(scn.budget, currency))}, P(over budget) {escape(pct(sim.p_over_budget))}"
              if scn.budget is not None and sim.p_over_budget is not None else "")
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
<footer>Printed {escape(when)}. Each plan has its own document with its rules and worked examples.</footer>
</body></html>
"""
