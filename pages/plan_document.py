"""Plan document: the plan in plain English, worked examples, curves, cost and assumptions; downloads.

With ``?hr=<token>`` (a read-only HR link, :mod:`ui.hr_links`) the page shows the
scenario version the token opens and nothing else: no editing widgets, no
sidebar, no share block, no ``?s=``/``?scenario=`` applied; only the document
and its downloads. Every name in it is shown as plain text (:func:`ui.text.md`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pandas as pd
import streamlit as st

from ui import charts, hr_links, org, page, saved, simulation_state, state
from ui.core import describe, document, excel, explore, export_csv, files, org_document, plan_document_html
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
choice = org.document_choice(saved.hr_document(), hr)


def share_with_hr() -> None:
    """Where read-only links to this document are made (the Scenarios page, for a saved version)."""
    st.subheader("Share with HR")
    which = (f" For this document add &doc={choice} to the link (the org summary is the default)."
             if whole.is_org else "")
    if saved.current_saved():
        st.caption("Make a read-only link to this saved version on the Scenarios page: it opens this document "
                   "and nothing else, can expire, and can be revoked there at any time." + which)
    else:
        st.caption("Save the scenario on the Scenarios page, then make a read-only HR link to that version there.")


if choice == org.ORG_SUMMARY:  # an org: every plan side by side, for HR
    org_sim = simulation_state.simulation()
    st.title(f"{md(whole.name)}: org summary")
    st.caption(f"{len(whole.plans)} plans, paid per {whole.period} · {md(stamp)}")
    summary_rows = org_document.org_summary(whole, org_sim)
    st.table(pd.DataFrame({  # a static table: "Who is on it" wraps instead of being cut off
        "Plan": summary_rows["name"], "Who is on it": summary_rows["teams"], "People": summary_rows["headcount"],
        f"Target per {whole.period}": [charts.money(x) for x in summary_rows["target"]],
        "Expected cost": [charts.money(x) for x in summary_rows["expected_cost"]],
        "% of target": [charts.pct(x) for x in summary_rows["pct_of_target"]]}), hide_index=True)
    st.text(f"Expected cost per {whole.period}: {charts.money(org_sim.expected)} for the whole org.")
    st.subheader("Does every team have a fair chance?")
    for flag in simulation_state.fairness_flags():
        st.text(flag)
    chances = simulation_state.team_chances()
    st.table(pd.DataFrame({
        "Team": chances["team"], "People": chances["headcount"],
        "Reaches target": [charts.pct(x) for x in chances["p_at_or_above_target"]],
        "Earns nothing": [charts.pct(x) for x in chances["p_zero"]],
        "Expected payout": [charts.pct(x) for x in chances["expected_payout"]]}), hide_index=True)
    st.download_button("Printable org summary (HTML)",
                       org_document.org_summary_html(whole, org_sim, stamp=stamp, currency=charts.CURRENCY),
                       "org_summary.html", "text/html", key="dl_org_html")
    if not hr:
        share_with_hr()
    st.stop()

scn = org.document_scenario(choice)
plan = scn.plan

st.title(md(scn.name))
st.caption(f"Plan “{md(plan.name)}”, measured and paid per {plan.period} · {md(stamp)}")
if hr:
    st.caption("Read-only view for HR. The numbers are computed live from the plan and its assumptions.")
elif state.problems():
    st.info("The plan being edited has errors; this document shows the last valid plan.", icon="ℹ️")

st.subheader("How the plan works")
st.markdown(md_lines(describe(plan)))

salary = document.reference_salary(scn)
examples = document.worked_examples(plan, base_salary=salary)
st.subheader("Worked examples")
per_period = plan.period_target_incentive(salary)
st.caption(f"What a person on the roster's average base salary ({charts.money(salary)}, target incentive "
           f"{charts.money(per_period)} per {plan.period}) earns. Other metrics at target unless stated; the "
           "gate rows show strong results elsewhere with the gate biting.")
shown = pd.DataFrame({
    "Example": examples["case"],
    "Payout (% of target)": [charts.pct(x, 1) for x in examples["payout"]],
    f"Pay per {plan.period}": [charts.money(x) for x in examples["pay"]],
    "Gates": examples["gates fired"],
})
# a static table wraps long cells ("others at target unless stated") where a grid cuts them off
st.table(shown, hide_index=True)

st.subheader("Payout curves")
st.caption("Each component's payout (% of its on-target amount) against attainment of its metric, "
           "before weights, gates and caps.")
st.altair_chart(charts.components_chart(explore.component_curves(plan), [c.name or c.id for c in plan.components]),
                width="stretch", key="doc_curves")

st.subheader("What it costs")
too_big = simulation_state.memory_message(scn, int(state.ui("trials")))
if too_big is not None and hr and simulation_state.fewer_trials(scn, int(state.ui("trials"))):
    simulation_state.use_fewer_trials()  # the HR view has no widgets: it simply runs what fits
    too_big = None
if too_big is not None:  # a session keeps at most 256 MiB of draws: say so and offer fewer trials
    st.warning(too_big)
    if simulation_state.fewer_trials(scn, int(state.ui("trials"))):
        st.button(f"Run {simulation_state.fewer_trials(scn, int(state.ui('trials'))):,} trials", key="fewer_trials",
                  on_click=simulation_state.use_fewer_trials)
    st.stop()
with st.spinner("Simulating the cost…"):
    # an org's plan: its people simulated on their own (same assumptions), cached by content
    sim = saved.simulation_of(scn) if whole.is_org else simulation_state.simulation()
summary = document.cost_summary(sim, scn.budget)
teams = document.team_costs(sim)
st.caption(f"Monte Carlo over {sim.trials:,} simulated {plan.period}s for the whole roster "
           f"({scn.headcount:,} people), cost per {plan.period}.")
cols = st.columns(5)
cols[0].metric("Expected cost", charts.money(sim.expected))
cols[1].metric(f"P10 (a cheap {plan.period})", charts.money(sim.quantile(0.1)))
cols[2].metric(f"P90 (a costly {plan.period})", charts.money(sim.quantile(0.9)))
cols[3].metric("Budget", charts.money(scn.budget) if scn.budget is not None else "none")
cols[4].metric("P(over budget)", charts.pct(sim.p_over_budget, 1) if scn.budget is not None else "—")
fmt = {"money": charts.money, "share": lambda v: charts.pct(v, 1), "count": lambda v: f"{v:,.0f}"}
left, right = st.columns(2)
left.table(pd.DataFrame({"Figure": summary["figure"],
                         "Value": [fmt[u](v) for v, u in zip(summary["value"], summary["unit"], strict=True)]}),
           hide_index=True)
if len(teams):
    right.table(pd.DataFrame({"Team": teams["team"], "Headcount": teams.get("headcount"),
                              f"Expected cost per {plan.period}": [charts.money(v) for v in teams["expected cost"]],
                              "% of on-target": [charts.pct(v) for v in teams.get("% of target", [])] or None}),
                hide_index=True)

st.subheader("Assumptions")
st.markdown(md_lines(document.assumption_lines(scn)))
roster = (pd.DataFrame([{"Team": r.team, "Role": r.role, "Headcount": r.headcount} for r in scn.roster])
          .groupby(["Team", "Role"], sort=False, as_index=False)["Headcount"].sum())
st.dataframe(roster, hide_index=True, width="stretch", key="doc_roster", height=min(35 * (len(roster) + 1) + 3, 420))

# ---------------------------------------------------------------- downloads
st.subheader("Download")
slug = "".join(ch if ch.isalnum() else "_" for ch in scn.name).strip("_").lower() or "scenario"
html = plan_document_html(scn, summary=summary, teams=teams, examples=examples, stamp=stamp,
                                 currency=charts.CURRENCY)
d = st.columns(6 if not hr else 4)
d[0].download_button("Printable document (HTML)", html, f"{slug}_plan.html", "text/html", key="dl_html",
                     help="Open it and print (or save as PDF) from the browser.")
d[1].download_button("Worked examples (CSV)", export_csv.safe_csv(examples), f"{slug}_examples.csv", "text/csv",
                     key="dl_examples")
d[2].download_button("Cost summary (CSV)", export_csv.safe_csv(document.cost_table(summary, teams)),
                     f"{slug}_cost.csv", "text/csv", key="dl_summary")
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
    share_with_hr()
