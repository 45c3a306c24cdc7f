"""Plan document: the plan in plain English, worked examples, curves, cost and assumptions; downloads.

With ``?hr=<token>`` (a read-only HR link, :mod:`ui.hr_links`) the page shows the
scenario version the token opens and nothing else: no editing widgets, no
sidebar, no share block, no ``?s=``/``?scenario=`` applied; only the document
and its downloads. An org's link opens the org summary (every plan's rules, who
is on which plan, the budget, cost by plan, each team's chance at target) and
links to each plan's own document (``&doc=<plan id>``). It simulates with the
trials and seed of the editor who made it, so HR reads the editor's numbers.
Every text from data goes through :func:`ui.text.md` (tables through
:func:`ui.tables.static_table`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pandas as pd
import streamlit as st

from ui import charts, document_view, hr_links, org, page, saved, simulation_state, state
from ui.charts import cache as chart_cache
from ui.core import describe, document, excel, explore, export_csv, files, org_document
from ui.core import plan_document_html as printable
from ui.tables import static_table
from ui.text import md, md_lines

hr = hr_links.is_hr_view()
if hr:
    opened = hr_links.open_hr_link()
    if opened is None:
        st.stop()
    stamp = hr_links.stamp(opened)
else:
    page.setup()
    stamp = saved.stamp(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
whole = state.valid()
choice = hr_links.hr_document(org.document_options(), whole.is_org) if hr else org.document_choice(None, False)


if not document_view.simulation_fits(whole, hr):
    st.stop()
with st.spinner("Simulating the cost…"):
    whole_sim = simulation_state.simulation()  # the editor's simulation: same trials, seed and draws

if choice == org.ORG_SUMMARY:  # an org: every plan side by side, for HR
    st.title(f"{md(whole.name)}: org summary")
    st.caption(f"{len(whole.plans)} plans, paid per {whole.period} · {md(stamp)}")
    if hr:
        st.caption("Read-only view for HR. Each plan's own document (worked examples, curves) is linked below.")
    st.subheader("What it costs")
    st.caption(f"Monte Carlo over {whole_sim.trials:,} simulated {whole.period}s for all "
               f"{whole.headcount:,} people, cost per {whole.period}.")
    document_view.key_figures(whole_sim, whole.period, whole.budget, whole_sim.p_over_budget)
    if hr:  # a version that replaced another: what it changes for each team
        hr_links.show_changes(opened, None, whole.period, charts.CURRENCY)
    st.subheader("Who is on which plan, and what each costs")
    rows = org_document.org_summary(whole, whole_sim)
    sections = {s.plan: s for s in org_document.plan_sections(whole)}
    static_table(pd.DataFrame({  # a static table: "Who is on it" wraps instead of being cut off
        "Plan": rows["name"], "Who is on it": [sections[p].who for p in rows["plan"]],
        f"Target per {whole.period}": [charts.money(x) for x in rows["target"]],
        # cost and its share of target in one cell: four columns fit a phone
        "Expected cost (% of target)": [f"{charts.money(x)} ({charts.pct(y)})"
                                        for x, y in zip(rows["expected_cost"], rows["pct_of_target"], strict=True)]}))
    st.subheader("Does every team have a fair chance?")
    for flag in simulation_state.fairness_flags():
        st.text(flag)
    chances = simulation_state.team_chances()
    static_table(pd.DataFrame({
        "Team": chances["team"], "People": chances["headcount"],
        "Reaches target": [charts.pct(x) for x in chances["p_at_or_above_target"]],
        "Earns nothing": [charts.pct(x) for x in chances["p_zero"]],
        "Expected payout": [charts.pct(x) for x in chances["expected_payout"]]}))
    st.subheader("How each plan works")
    for sec in sections.values():
        with st.container(border=True):
            st.markdown(f"**{md(sec.name)}**")
            st.caption(md(sec.who))
            year = document_view.year_line(whole.plans[sec.plan])
            st.markdown(md_lines([*sec.rules, *([year] if year else [])]))
            if hr:
                hr_links.document_link(sec.plan, "Its document: worked examples, curves and cost")
    if not hr:
        st.caption("Each plan's own document: pick it in Document above.")
    st.subheader("Assumptions")
    st.markdown(md_lines(document.assumption_lines(whole)))
    st.download_button("Printable org summary (HTML)",
                       partial(org_document.org_summary_html, whole, whole_sim, stamp=stamp,
                               currency=charts.CURRENCY),  # written when clicked
                       "org_summary.html", "text/html", key="dl_org_html")
    if not hr:
        document_view.share_with_hr(whole.is_org)
    st.stop()

scn = org.document_scenario(choice)
plan = scn.plan

st.title(md(scn.name))
st.caption(f"Plan “{md(plan.name)}”, measured and paid per {plan.period} · {md(stamp)}")
if hr:
    st.caption("Read-only view for HR. The numbers are computed live from the plan and its assumptions.")
    if whole.is_org:
        hr_links.document_link(org.ORG_SUMMARY, "Back to the org summary")
elif state.problems():
    st.info("The plan being edited has errors; this document shows the last valid plan.", icon="ℹ️")
if hr:  # what this version changes for the teams on this plan, against the version it replaced
    hr_links.show_changes(opened, list(dict.fromkeys(r.team for r in scn.roster)) if whole.is_org else None,
                          plan.period, charts.CURRENCY)

st.subheader("How the plan works")
st.markdown(md_lines(describe(plan)))

# everything below depends on the valid scenario, the simulation and the document picked: a rerun after another
# widget (or back to a document seen before) reuses what was worked out, shared with every session
doc_key = [simulation_state.sim_key(), chart_cache.scenario_key(), choice]
salary = document.reference_salary(scn)
examples = chart_cache.memo("doc_examples", doc_key, lambda: document.worked_examples(plan, base_salary=salary))
st.subheader("Worked examples")
per_period = plan.period_target_incentive(salary)
gates = (" The gate rows put the other metrics at strong results, to show the gate biting." if plan.gates else "")
st.caption(f"What a person on the roster's average base salary ({charts.money(salary)}, target incentive "
           f"{charts.money(per_period)} per {plan.period}) earns. Other metrics at target unless stated; a share "
           f"is never shown above 100%.{gates}")
shown = pd.DataFrame({
    "Example": examples["case"],
    "Payout (% of target)": [charts.pct(x, 1) for x in examples["payout"]],
    f"Pay per {plan.period}": [charts.money(x) for x in examples["pay"]],
})
if plan.gates:
    shown["Gates"] = examples["gates fired"]
# a static table wraps long cells ("others at target") where a grid cuts them off
static_table(shown)
document_view.year_section(plan, salary, cache_key=doc_key)

st.subheader("Payout curves")
st.caption("Each component's payout (% of its on-target amount) against attainment of its metric, before "
           + ("weights, gates and caps." if plan.gates else "weights and caps."))
doc_labels = [c.name or c.id for c in plan.components]
chart_cache.chart(charts.components_template, doc_labels, key="doc_curves", cache_key=["components", doc_labels],
                  datasets=chart_cache.memo("doc_components", doc_key, lambda: charts.components_rows(
                      explore.component_curves(plan), doc_labels)))

st.subheader("What it costs")
# an org's plan: its people's share of the org's own simulation (the numbers of the editor's cost by plan)
sim = chart_cache.memo("doc_sim", doc_key, lambda: org_document.plan_cost(whole_sim, choice)) if whole.is_org \
    else whole_sim
summary, teams = chart_cache.memo("doc_cost", doc_key, lambda: (document.cost_summary(sim, scn.budget),
                                                                document.team_costs(sim)))
if whole.is_org:
    st.caption(f"Monte Carlo over {sim.trials:,} simulated {plan.period}s of the whole org: "
               f"the cost of the {scn.headcount:,} people on this plan, per {plan.period}. The budget and the "
               "chance of going over it are the whole org's.")
    document_view.key_figures(sim, whole.period, whole.budget, whole_sim.p_over_budget, "Org budget (all plans)",
                              "P(org over budget)")
else:
    st.caption(f"Monte Carlo over {sim.trials:,} simulated {plan.period}s for the whole roster "
               f"({scn.headcount:,} people), cost per {plan.period}.")
    document_view.key_figures(sim, whole.period, scn.budget, whole_sim.p_over_budget)
fmt = {"money": charts.money, "share": lambda v: charts.pct(v, 1), "count": lambda v: f"{v:,.0f}"}
left, right = st.columns(2)
static_table(pd.DataFrame({"Figure": summary["figure"],
                           "Value": [fmt[u](v) for v, u in zip(summary["value"], summary["unit"], strict=True)]}),
             left)
if len(teams):
    static_table(pd.DataFrame({"Team": teams["team"], "Headcount": teams.get("headcount"),
                               f"Expected cost per {plan.period}": [charts.money(v) for v in teams["expected cost"]],
                               "% of on-target": [charts.pct(v) for v in teams.get("% of target", [])] or None}),
                 right)

st.subheader("Assumptions")
st.markdown(md_lines(document.assumption_lines(scn)))
roster = (pd.DataFrame([{"Team": r.team, "Role": r.role, "Headcount": r.headcount} for r in scn.roster])
          .groupby(["Team", "Role"], sort=False, as_index=False)["Headcount"].sum())
if len(roster) <= 30:  # a short roster wraps on a phone; a long one scrolls in a grid
    static_table(roster)
else:
    st.dataframe(roster, hide_index=True, width="stretch", key="doc_roster", height=420)

# ---------------------------------------------------------------- downloads
st.subheader("Download")
slug = "".join(ch if ch.isalnum() else "_" for ch in scn.name).strip("_").lower() or "scenario"
# the files are written when clicked (a callable), not on every rerun
html = partial(printable, scn, summary=summary, teams=teams, examples=examples, stamp=stamp, currency=charts.CURRENCY)
examples_csv = partial(export_csv.safe_csv, examples)
cost_csv = partial(export_csv.safe_csv, document.cost_table(summary, teams))
d = st.columns(6 if not hr else 4)
d[0].download_button("Printable document (HTML)", html, f"{slug}_plan.html", "text/html", key="dl_html",
                     help="Open it and print (or save as PDF) from the browser.")
d[1].download_button("Worked examples (CSV)", examples_csv, f"{slug}_examples.csv", "text/csv",
                     key="dl_examples")
d[2].download_button("Cost summary (CSV)", cost_csv, f"{slug}_cost.csv", "text/csv", key="dl_summary")
# built only when clicked: writing the workbook is too slow for every rerun
d[3].download_button("All tables (Excel)", partial(excel.plan_document_workbook, examples, summary, teams, sim,
                                                   charts.CURRENCY), f"{slug}_tables.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx",
                     help="Worked examples, cost summary, cost by plan and team, fairness: a sheet each, "
                          "numbers as numbers.")
if not hr:
    d[4].download_button("Plan (JSON)", files.plan_json(plan), f"{slug}_plan.json", "application/json",
                         key="dl_plan", help="Re-import it on the Plan designer page.")
    d[5].download_button("Scenario (JSON)", files.scenario_json(scn), f"{slug}_scenario.json",
                         "application/json", key="dl_scenario", help="Plan, roster, assumptions and budget.")
    document_view.share_with_hr(whole.is_org)
