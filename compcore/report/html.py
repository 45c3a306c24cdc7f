"""The printable standalone HTML plan document.

- :func:`plan_document_html` is one self-contained HTML file (inline CSS and
  SVG, no scripts, no external requests) with print CSS; every piece of user
  text goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from compcore.plan.describe import describe
from compcore.plan.explore import attainment_range, curve_frame
from compcore.report.document import assumption_lines, reference_salary, worked_examples
from compcore.report.format import money, pct
from compcore.report.year_document import has_year, worked_year, year_sentences, year_total
from compcore.simulation.scenario import Scenario

__all__ = ["plan_document_html"]

_e = html.escape

_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #1f77b4; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       max-width: 960px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; font-size: 14px; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
.stamp, .note { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.gate td { background: #fff8e6; }
.curves { display: flex; flex-wrap: wrap; gap: 1rem; }
.curve { flex: 0 0 290px; }
.curve figcaption { font-size: .85rem; font-weight: 600; margin-bottom: .2rem; }
svg text { font-size: 10px; fill: var(--muted); }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, li { break-inside: avoid; page-break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .noprint { display: none; }
}
"""


def _svg_curve(curve: Any, lo: float, hi: float) -> str:
    """A small line chart of one curve: attainment (x) -> payout % (y), as inline SVG."""
    df = curve_frame(curve, lo, hi, 151)
    w, h, left, bottom, top, right = 290, 170, 38, 24, 8, 18
    ymax = max(1.0, float(np.ceil(df["payout"].max() * 4) / 4))

    def sx(a: float) -> float:
        return left + (a - lo) / (hi - lo) * (w - left - right)

    def sy(p: float) -> float:
        return h - bottom - p / ymax * (h - bottom - top)

    pts = " ".join(f"{sx(a):.1f},{sy(p):.1f}" for a, p in zip(df["attainment"], df["payout"], strict=True))
    parts = [f'<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="payout curve">']
    for yv in np.linspace(0, ymax, 5):
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{sy(yv):.1f}" y2="{sy(yv):.1f}" stroke="#e4e7eb"/>')
        parts.append(f'<text x="{left - 4}" y="{sy(yv) + 3:.1f}" text-anchor="end">{pct(yv)}</text>')
    step = 0.25 if hi - lo <= 2 else 0.5
    for xv in np.arange(lo, hi + 1e-9, step):
        parts.append(f'<text x="{sx(xv):.1f}" y="{h - 8}" text-anchor="middle">{pct(xv)}</text>')
    parts.append(f'<line x1="{sx(1):.1f}" x2="{sx(1):.1f}" y1="{top}" y2="{h - bottom}" stroke="#9aa5b1" '
                 'stroke-dasharray="3 3"/>')
    parts.append(f'<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="{pts}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _examples_table(df: pd.DataFrame, currency: str, gates: bool = True) -> str:
    """The worked examples; the Gates column only for a plan that has a gate."""
    has_pay = "pay" in df.columns
    head = ("<tr><th>Example</th><th class='num'>Payout (% of target)</th>"
            + ("<th class='num'>Pay per period</th>" if has_pay else "") + ("<th>Gates</th>" if gates else "")
            + "</tr>")
    rows = []
    for r in df.to_dict("records"):
        cls = " class='gate'" if r.get("kind") == "gate" else ""
        pay = f"<td class='num'>{_e(money(r['pay'], currency))}</td>" if has_pay else ""
        fired = f"<td>{_e(str(r.get('gates fired') or ''))}</td>" if gates else ""
        rows.append(f"<tr{cls}><td>{_e(str(r['case']))}</td><td class='num'>{_e(pct(r['payout']))}</td>"
                    f"{pay}{fired}</tr>")
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _year_section(plan: Any, salary: float, currency: str) -> str:
    """How one person is paid over the year: the schedule in words and a worked year (none for a yearly plan)."""
    if not has_year(plan):
        return ""
    year = worked_year(plan, salary)
    names = [m.name for m in plan.metrics]
    head = ("<tr><th>When</th>" + "".join(f"<th>{_e(n)}</th>" for n in names)
            + f"<th class='num'>Paid (% of a {_e(plan.period)}'s target)</th><th class='num'>Paid</th></tr>")
    rows = "".join(
        f"<tr><td>{_e(r['when'])}</td>" + "".join(f"<td>{_e(str(r[n]))}</td>" for n in names)
        + f"<td class='num'>{_e(pct(r['paid_fraction']))}</td><td class='num'>{_e(money(r['paid'], currency))}</td>"
        "</tr>" for r in year.to_dict("records"))
    total, targets = year_total(year)
    return ("<h2>How you are paid over the year</h2><ul>"
            + "".join(f"<li>{_e(line)}</li>" for line in year_sentences(plan)) + "</ul>"
            f"<table><thead>{head}</thead><tbody>{rows}</tbody></table><p class='note'>A worked year for a person "
            f"on the average base salary: {_e(money(total, currency))} over the year ({targets:.2f} "
            f"{_e(plan.period)}s' target incentive).</p>")


def _figures_table(summary: pd.DataFrame, currency: str) -> str:
    rows = []
    for r in summary.to_dict("records"):
        v = r["value"]
        text = (money(v, currency) if r["unit"] == "money" else pct(v) if r["unit"] == "share" else f"{v:,.0f}")
        rows.append(f"<tr><td>{_e(str(r['figure']))}</td><td class='num'>{_e(text)}</td></tr>")
    return f"<table><tbody>{''.join(rows)}</tbody></table>"


def _teams_table(teams: pd.DataFrame, currency: str) -> str:
    extra = [c for c in ("headcount", "% of target") if c in teams.columns]
    head = "".join(f"<th class='num'>{_e(c.capitalize())}</th>" for c in extra)
    rows = []
    for r in teams.to_dict("records"):
        cells = "".join(f"<td class='num'>{r[c]:,.0f}</td>" if c == "headcount" else
                        f"<td class='num'>{_e(pct(r[c]))}</td>" for c in extra)
        rows.append(f"<tr><td>{_e(str(r['team']))}</td>{cells}"
                    f"<td class='num'>{_e(money(r['expected cost'], currency))}</td></tr>")
    return (f"<table><thead><tr><th>Team</th>{head}<th class='num'>Expected cost per period</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _roster_table(scn: Scenario) -> str:
    rows = "".join(f"<tr><td>{_e(r.team)}</td><td>{_e(r.role)}</td><td class='num'>{r.headcount}</td></tr>"
                   for r in scn.roster)
    return ("<table><thead><tr><th>Team</th><th>Role</th><th class='num'>Headcount</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def plan_document_html(scn: Scenario, *, summary: pd.DataFrame | None = None, teams: pd.DataFrame | None = None,
                       examples: pd.DataFrame | None = None, stamp: str | None = None, currency: str = "",
                       generated_at: datetime | None = None) -> str:
    """A standalone, printable HTML document of a scenario's plan for HR.

    Parameters
    ----------
    scn : the scenario (name, plan, roster, assumptions, budget)
    summary : :func:`compcore.report.document.cost_summary` of a simulation, if one was run
    teams : :func:`compcore.report.document.team_costs` of that simulation
    examples : :func:`compcore.report.document.worked_examples`; computed for the
        roster's average salary when not given
    stamp : version line, e.g. a saved scenario's label ('FY27 v3 · 2026-01-31 by Ana')
    currency : prefix for money, e.g. '$' or '€' (default none)
    generated_at : time printed in the footer (default now, UTC)

    Returns
    -------
    str
        ``<!doctype html>`` text; all scenario, plan, metric, team and author
        text is HTML-escaped.
    """
    plan = scn.plan
    salary = reference_salary(scn)
    if examples is None:
        examples = worked_examples(plan, base_salary=salary)
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    stamp_text = stamp or "Unsaved scenario"
    per_period = float(plan.period_target_incentive(salary))
    example_note = (f"For a person on the roster's average base salary of {money(salary, currency)} "
                    f"(target incentive {money(per_period, currency)} per {plan.period}). Other metrics at "
                    "target unless stated; a share is never shown above 100%."
                    + (" Gate rows show strong results elsewhere and the gate biting." if plan.gates else ""))
    lo, hi = attainment_range(plan)
    curves = "".join(
        f"<figure class='curve'><figcaption>{_e(c.name or c.id)} ({_e(pct(c.weight))} on "
        f"{_e(plan.metric(c.metric).name)})</figcaption>{_svg_curve(c.curve, lo, hi)}</figure>"
        for c in plan.components)
    cost = "<p class='note'>No simulation was run for this document.</p>"
    if summary is not None:
        cost = _figures_table(summary, currency)
        if teams is not None and len(teams):
            cost += _teams_table(teams, currency)
    budget = (f"<p>Budget: {_e(money(scn.budget, currency))} per {_e(plan.period)}.</p>"
              if scn.budget is not None else "")
    body = f"""
<header>
  <h1>{_e(scn.name)}</h1>
  <div class="stamp">Plan “{_e(plan.name)}”, paid per {_e(plan.period)} · {_e(stamp_text)} · printed {_e(when)}</div>
</header>
<h2>How the plan works</h2>
<ul>{"".join(f"<li>{_e(line)}</li>" for line in describe(plan))}</ul>
<h2>Worked examples</h2>
<p class="note">{_e(example_note)}</p>
{_examples_table(examples, currency, bool(plan.gates))}
{_year_section(plan, salary, currency)}
<h2>Payout curves</h2>
<p class="note">Payout as % of the on-target amount (y) against attainment of the metric (x); the dashed line
is target (100%). Curves before {"gates and " if plan.gates else ""}caps.</p>
<div class="curves">{curves}</div>
<h2>What it costs</h2>
<p class="note">Monte Carlo cost per {_e(plan.period)} for the whole roster, from the assumptions below.</p>
{budget}{cost}
<h2>Assumptions</h2>
<ul>{"".join(f"<li>{_e(line)}</li>" for line in assumption_lines(scn))}</ul>
{_roster_table(scn)}
<footer class="stamp">Generated by compcore from scenario “{_e(scn.name)}” · {_e(stamp_text)} · {_e(when)}.
No individual names are included.</footer>"""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(scn.name)} · plan document</title><style>{_CSS}</style></head>"
            f"<body>{body}\n</body></html>\n")
