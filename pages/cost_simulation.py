"""Cost simulation: assumptions, correlations, roster, budget -> the Monte Carlo cost distribution."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import (
    assumption_inputs,
    charts,
    cohorts,
    cost_view,
    page,
    session,
    simulation_state,
    solve_state,
    state,
    tables,
    year_state,
    year_view,
)
from ui.charts import cache as chart_cache
from ui.core import (
    DIST_KINDS,
    PlanError,
    assumptions,
    cost_axis_title,
    explore,
    figure_words,
    sensitivity_sentence,
    units,
)
from ui.text import md

page.setup()
scn = state.valid()
period = scn.period
d = state.draft()

st.title("Cost simulation")
if state.problems():
    st.info("Some inputs have errors (marked below); the results use the last valid scenario.", icon=":material/info:")

# ---------------------------------------------------------------- run settings
c1, c2, c3, c4 = st.columns([1.4, 1, 1, 2.6], vertical_alignment="bottom")
c1.number_input(f"Budget per {period}", min_value=0.0, step=1000.0, format="%.0f", placeholder="no budget",
                **state.bind("budget", (session.K_SCENARIO, "budget")))
c2.selectbox("Trials", sorted({*state.TRIAL_CHOICES, int(state.ui("trials"))}), format_func="{:,}".format,
             **state.bind("trials", ("ui", "trials"), default=10_000))
c3.number_input("Seed", min_value=0, max_value=2**32 - 1, step=1, help="Same seed, same draws, same numbers.",
                **state.bind("seed", ("ui", "seed"), default=0))
c4.caption(f"{scn.headcount} people in {len(scn.roster)} roster rows; one trial is one {period}. "
           "Plan edits re-price the cached draws instantly; assumptions, roster, trials or seed draw again.")
state.show_problems("budget")

trials, seed = int(state.ui("trials")), int(state.ui("seed"))
st.radio("View", year_state.HORIZONS, horizontal=True, label_visibility="collapsed",
         format_func=lambda h: year_state.horizon_label(h, period), **year_state.horizon_binding())
if year_state.horizon() == "year":  # the plan year: annual cost against the annual budget, cash by period
    year_view.render()
else:
    too_big = simulation_state.memory_message(scn, trials)
    if too_big is not None:  # a session keeps at most 256 MiB of draws: say so and offer fewer trials
        st.warning(too_big)
        if simulation_state.fewer_trials(scn, trials):
            st.button(f"Run {simulation_state.fewer_trials(scn, trials):,} trials", key="fewer_trials",
                      on_click=simulation_state.use_fewer_trials)
        st.stop()
    progress = None
    if not simulation_state.is_drawn(scn, trials, seed):
        bar = st.progress(0.0, text=f"Simulating {trials:,} {period}s...")
        progress = lambda f: bar.progress(min(float(f), 1.0), text=f"Simulating {trials:,} {period}s...")  # noqa: E731
    sim = simulation_state.simulation(progress)
    if progress is not None:
        bar.empty()

    # ---------------------------------------------------------------- key figures
    words = figure_words(period, sim.budget, charts.CURRENCY)
    with st.container(key="cost_figures"):
        k = st.columns(6)
        figures = [
            ("Expected cost", charts.money(sim.expected), f"{charts.money(sim.annualised)} a year; "
                                                          f"on-target cost {charts.money(sim.per_period_target)}."),
            ("P10", charts.money(sim.percentiles["P10"]), None),
            ("P50", charts.money(sim.percentiles["P50"]), None),
            ("P90", charts.money(sim.percentiles["P90"]), None),
            ("P(over budget)", "no budget" if sim.p_over_budget is None else charts.pct(sim.p_over_budget, 1), None),
        ]
        for col, (name, value, tip) in zip(k, figures, strict=False):
            col.metric(words[name].label, value, help=tip)
            col.caption(words[name].words)
        k[5].metric("Paid above target", charts.pct(sim.share_above_target))
        k[5].caption(f"of person-{period}s pay above 100% of target; {charts.pct(sim.share_zero)} pay nothing")

    quant = {q: sim.percentiles[q] for q in ("P10", "P50", "P90")}
    hi = float(max(sim.cost.max(), sim.percentiles["P95"] * 1.15))
    # the charts' rows depend on the priced simulation (and the budget line): worked out once, shared
    sk = [simulation_state.sim_key(), period]
    # the charts are templates (cached by layout): new numbers after a plan edit only swap their data rows
    chart_cache.chart(charts.cost_histogram, cost_axis_title(period), key="cost_hist",
                      cache_key=cost_axis_title(period),
                      datasets=chart_cache.memo("cost_hist", [sk, sim.budget], lambda: charts.cost_histogram_data(
                          explore.histogram_frame(sim.cost, 50, hi=hi), quant, sim.budget)))

    if scn.is_org:
        with st.container(key="cost_by_plan"):
            st.markdown(f"**Cost by plan** (expected per {period})")
            by_plan, plans_shown = cost_view.plans_table(sim, sk)
            chart_cache.chart(charts.team_chart, len(by_plan), f"Expected cost per {period}", key="cost_plans",
                              cache_key=[len(by_plan), period, "plans"],
                              datasets=chart_cache.memo("cost_plans", sk, lambda: charts.team_chart_data(
                                  by_plan[["team", "expected"]])))
            st.dataframe(plans_shown, hide_index=True, width="stretch")

    left, right = st.columns(2)
    with left:
        st.markdown(f"**Cost by team** (expected per {period})")
        teams = sim.cost_by_team.rename(columns={"expected_cost": "expected"})
        chart_cache.chart(charts.team_chart, len(teams), f"Expected cost per {period}", key="cost_teams",
                          cache_key=[len(teams), period],
                          datasets=chart_cache.memo("cost_teams", sk, lambda: charts.team_chart_data(teams)))
    with right:
        st.markdown("**Individual payout** (% of target incentive)")
        chart_cache.chart(charts.payout_pct_chart, key="cost_payout_pct", cache_key="template",
                          datasets=chart_cache.memo("cost_payout_pct", sk, lambda: charts.payout_pct_data(
                              explore.histogram_frame(sim.payout_pct, 40, lo=0.0))))

    st.markdown("**What drives the cost**")
    sens = simulation_state.sensitivity()
    tornado = pd.DataFrame({"metric": sens["name"], "low": sens["cost_at_p10"], "high": sens["cost_at_p90"],
                            "base": sim.expected})
    chart_cache.chart(charts.tornado_chart, len(tornado), f"Expected cost per {period}", key="cost_tornado",
                      cache_key=[len(tornado), period],
                      datasets=chart_cache.memo("cost_tornado", sk, lambda: charts.tornado_data(tornado)))
    st.caption(sensitivity_sentence(period))

    # ---------------------------------------------------------------- fairness: a fair chance for every team
    with st.container(key="fairness"):
        st.subheader("Does every team have a fair chance?")
        st.caption(f"For each team: how often its people are paid at least 100% of target in a {period}, how often "
                   "nothing, and the expected payout (as % of target incentive).")
        for flag in simulation_state.fairness_flags():
            st.warning(solve_state.plain(flag), icon=":material/balance:")
        for line in cohorts.fairness_lines():  # a share of n clients moves in steps of 1/n
            st.info(md(line), icon=":material/groups:")
        chances = simulation_state.team_chances()
        f1, f2 = st.columns([1, 1.25])  # the table's five columns fit at 1400 px
        with f1:
            chart_cache.chart(charts.fairness_chart, len(chances), key="cost_fairness", cache_key=[len(chances)],
                              datasets=chart_cache.memo("cost_fairness", sk, lambda: charts.fairness_data(chances)))
        with f2:
            st.dataframe(cost_view.chances_table(chances, sk), hide_index=True, width="stretch")
        team_list = list(chances["team"])
        if team_list:
            team = st.selectbox("Which metric holds a team back?", team_list,
                                **state.bind("fair_team", ("ui", "fair_team"), default=team_list[0],
                                             to_widget=lambda v: v if v in team_list else team_list[0]))
            team = team if team in team_list else team_list[0]
            parts = simulation_state.team_breakdown(team)
            if len(parts):
                worst = parts.iloc[0]
                st.text(f"{team}: {worst['component']} ({worst['name']}) pays {charts.pct(worst['expected_share'])} of "
                        f"its {charts.pct(worst['weight'])} weight on average; its metric reaches target in "
                        f"{charts.pct(worst['p_metric_at_target'])} of {period}s.")
                st.dataframe(cost_view.breakdown_table(parts, team, sk), hide_index=True, width="stretch")

    # ---------------------------------------------------------------- solve for a budget (issue 13)
    st.divider()
    with st.container(key="solve"):
        solve_state.section(trials)

# ---------------------------------------------------------------- inputs
st.divider()
# only the open tab is built and sent (clicking another reruns): the three held about 30% of what a browser
# does to switch to this page; a problem in a closed tab is listed at the bottom (unshown problems)
tab_a, tab_c, tab_r = st.tabs(["Assumptions", "Correlations", "Roster"], key="cost_inputs", on_change="rerun")
with tab_a:
    if tab_a.open:
        st.caption(f"What you expect each metric's actual value to be in a {period}: the numbers you edit, then what "
                   "they mean in words. A share is typed in percent, like its target.")
        for m in scn.metrics.values():
            a = d["assumptions"].get(m.id) or {}
            cols = st.columns([2.2, 1.6, 3, 2], vertical_alignment="bottom")
            cols[0].markdown(f"**{md(m.name)}**  \ntarget {md(units.format_value(m.target, m.unit))}, "
                             f"{assumption_inputs.SCOPE_WORDS[m.scope]}")
            dist = cols[1].selectbox("Distribution", DIST_KINDS, format_func=assumption_inputs.DIST_WORDS.get,
                                     help=assumption_inputs.DIST_HELP, **assumption_inputs.dist_binding(m.id))
            pcols = cols[2].columns(max(len(assumptions.DIST_PARAMS[dist]), 1))
            for pc, param in zip(pcols, assumptions.DIST_PARAMS[dist], strict=False):
                label, kw = assumption_inputs.param_widget(m.id, param, m.unit)
                if param == "values":
                    pc.text_input(label, **kw)
                else:
                    pc.number_input(label, format="%.4g", **kw)
            with cols[3]:
                try:  # the preview's 2,000 draws only when this assumption's chart is not cached yet
                    fmt = charts.PCT if units.in_percent(m.unit) else ",.3~g"
                    chart_cache.lazy_chart(charts.preview_chart, lambda a=a, fmt=fmt: (explore.histogram_frame(
                        assumptions.preview_samples(a, 2000, seed=seed), 24), fmt), key=f"preview_{m.id}",
                        cache_key=[a, seed, m.unit])
                except PlanError:  # shown below as an inline problem
                    st.caption("No preview until the parameters are valid.")
            st.text(assumption_inputs.words(m.id))
            for line in assumption_inputs.team_lines(m.id):
                st.text(line)
            state.show_problems(f"assumptions.{m.id}")

with tab_c:
    if tab_c.open:
        st.caption("Correlation (rho, -1 to 1) between metrics that move together, e.g. adoption and usage.")
        rows, kw = simulation_state.bind_correlations()
        st.data_editor(rows, num_rows="dynamic", hide_index=True, width="stretch",
                       column_config=simulation_state.correlation_columns(), **kw)
        state.show_problems("correlations")

with tab_r:
    if tab_r.open:
        st.caption("Groups of people, not names: team, role, headcount, base salary; an incentive here overrides "
                   "the plan's target incentive for that row.")
        rows, kw = simulation_state.bind_roster()
        st.data_editor(rows, num_rows="dynamic", hide_index=True, width="stretch",
                       column_config=simulation_state.roster_columns(), **kw)
        state.show_problems("roster")
        st.date_input("Plan year starts on (needed for join and leave dates)", format="YYYY-MM-DD",
                      **year_state.year_start_binding())
        state.show_problems("year_start")
        if len(prorated := year_state.proration_cells()):
            st.caption("Joining or leaving during the year: the share of each period they are paid for")
            tables.plain_table(prorated)
        u, dl = st.columns([3, 1], vertical_alignment="bottom")
        u.file_uploader("Replace the roster from a CSV (team, role, headcount, base_salary)", type=["csv"],
                        **simulation_state.roster_upload_binding())
        dl.download_button("Download roster CSV", simulation_state.roster_csv(), file_name="roster.csv",
                           mime="text/csv", key="roster_download")

rest = state.unshown_problems()
if rest:
    st.error("Other problems: " + md("; ".join(rest)), icon=":material/error:")
