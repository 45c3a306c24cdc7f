"""Targets from data: CS records -> a metric's history, a plan target from a percentile, a back-test, an assumption."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from ui import charts, data_import, page, state, targets_state
from ui.charts import cache as chart_cache
from ui.core import (
    ACTIVITY_KINDS,
    FIT_KINDS,
    LABELS,
    PlanError,
    definition_conflict,
    describe_assumption,
    describe_spec,
    fit_assumption,
    round_target,
    scope_by,
    target_from_history,
    team_fit_lines,
)
from ui.text import md

page.setup()
scn = state.valid()
plan = state.valid_plan()
ids = [m.id for m in plan.metrics]
names = {m.id: m.name for m in plan.metrics}
t = targets_state.tfd_path


def fmt(v: float, share: bool) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "missing"
    return charts.pct(v, 1) if share else f"{v:,.3g}"


st.title("Targets from data")
st.caption("Your CS records -> metrics with written-down definitions -> last year's numbers -> plan targets, "
           "a back-test of the current plan and Monte Carlo assumptions.")
with st.expander("How each metric is defined"):
    st.markdown(targets_state.DEFINITIONS_HELP)

# ---------------------------------------------------------------- 1. records
with st.container(border=True):
    st.subheader("1. Records")
    source = st.radio("Use", ["sample", "upload", "export"], horizontal=True, label_visibility="collapsed",
                      format_func={"sample": "Sample data (a fictional CS org)", "upload": "Upload CSV files",
                                   "export": "Your own export (CSV or Excel, any column names)"}.get,
                      **state.bind("tfd_source", t("source"), default="sample"))
    if source == "export":
        data_import.export_section()  # upload and column mapping; stops here until the records can be used
    if source == "upload":
        st.file_uploader("clients.csv (required), usage_weekly.csv, activities.csv, people.csv", type="csv",
                         accept_multiple_files=True, **targets_state.cs_upload_binding())
        files = targets_state.tfd("files")
        if not files:
            st.info("Upload at least clients.csv. The columns each file needs are listed under "
                    "“How each metric is defined” above.", icon=":material/upload:")
            st.stop()
        st.caption("Using: " + md(", ".join(sorted(files))))
    try:
        data = targets_state.cs_data()
    except PlanError as e:
        st.error(f"These records cannot be used yet. {md(e)}", icon=":material/error:")
        st.stop()
    counts = [f"{len(data.clients):,} clients"] + [f"{len(f):,} {n}" for n, f in (
        ("usage weeks", data.usage), ("activities", data.activities), ("people", data.people)) if f is not None]
    st.caption(", ".join(counts) + f"; records run to {data.as_of():%Y-%m-%d}.")

# ---------------------------------------------------------------- 2. definition
with st.container(border=True):
    st.subheader("2. Metric definition")
    c = st.columns(3)
    metric = c[0].selectbox("Metric", list(LABELS), format_func=LABELS.get,
                            **state.bind("tfd_metric", t("spec", "metric"), default="adoption_within"))
    period = c[1].selectbox("Period", ["month", "quarter", "half", "year"],
                            **state.bind("tfd_period", t("period"), default="quarter"))
    by = c[2].selectbox("Broken down by", ["team", "owner", "company"],
                        **state.bind("tfd_by", t("by"), default="team"))
    spec: dict = {"metric": metric}
    o = st.columns(4)
    if metric == "adoption_within":
        spec["days"] = o[0].number_input("Within N days of go-live", 0, 730, step=15,
                                         **state.bind("tfd_days", t("spec", "days"), default=90))
    if metric in ("adoption_within", "continued_adoption"):
        rule = o[1].selectbox("Adopted when a week has", ["seats", "users", "both"],
                              format_func={"seats": "a share of licensed seats active", "users": "K active users",
                                           "both": "both"}.get,
                              **state.bind("tfd_rule", t("spec", "rule"), default="seats"))
        if rule in ("seats", "both"):
            spec["min_seat_share"] = state.pct_out(o[2].number_input(
                "Min % of seats active", 1.0, 100.0, step=5.0, format="%.0f",
                **state.bind("tfd_share", t("spec", "min_seat_share"), default=0.4, to_widget=state.pct_in,
                             from_widget=state.pct_out)) or 40)
        if rule in ("users", "both"):
            spec["min_active_users"] = o[3].number_input(
                "Min active users", 1, 10_000, **state.bind("tfd_users", t("spec", "min_active_users"), default=5))
    if metric == "continued_adoption":
        spec["last_weeks"] = o[0].number_input("Average of the last N weeks", 1, 13,
                                               **state.bind("tfd_weeks", t("spec", "last_weeks"), default=4))
    if metric == "on_time_go_live":
        spec["grace_days"] = o[0].number_input("Grace days after period end", 0, 90,
                                               **state.bind("tfd_grace", t("spec", "grace_days"), default=0))
    if metric == "activities":
        spec["kind"] = o[0].selectbox("Kind", ACTIVITY_KINDS, format_func=lambda k: k.replace("_", " "),
                                      **state.bind("tfd_kind", t("spec", "kind"), default="ebr"))
    share = metric != "activities"
    st.caption(f"**Definition:** {md(describe_spec(spec))}.")

try:
    history = targets_state.tfd_compute("metric_history", spec, period=period, by=by)
    year = targets_state.tfd_compute("last_year", spec, by)
except PlanError as e:
    st.error(f"This metric cannot be computed from these records. {md(e)}", icon=":material/error:")
    st.stop()

# ---------------------------------------------------------------- headline and history
with st.container(key="tfd_headline"):
    if year.empty:
        st.info("No complete calendar year in the records yet; see the history below.")
    else:
        total = year.iloc[-1]
        unit = "people" if metric == "activities" else "clients"
        st.markdown(f"#### {year['year'].iloc[0]}: {fmt(total['value'], share)} — {describe_spec(spec)}, "
                    f"{int(total['n']):,} {unit}")
        st.caption(f"{year['year'].iloc[0]} is the last complete calendar year; the records run to "
                   f"{data.as_of():%Y-%m-%d}, and the history below includes the months since.")
        cols = st.columns(min(len(year), 6))
        for i, (_, row) in enumerate(year.iloc[:-1].head(len(cols)).iterrows()):
            cols[i].metric(md(row["group"]), fmt(row["value"], share), delta=f"{int(row['n']):,} {unit}",
                           delta_color="off", delta_arrow="off")

st.subheader(f"History by {period} and {by}")
mapped = [mid for mid, s in targets_state.tfd_mapping().items() if s.get("metric") == metric and mid in ids]
target_line = plan.metric(mapped[0]).target if mapped and period == plan.period else None
chart_cache.chart(charts.history_chart, history[["period", by, "value", "n", "complete"]], by, share, target_line,
                  describe_spec(spec).split(" (")[0], key="tfd_history_chart")
shown = history.assign(cell=[f"{fmt(v, share)} (n={int(n)})" if n else "no cohort"
                             for v, n in zip(history["value"], history["n"], strict=True)])
table = shown.pivot(index="period", columns=by, values="cell")
table.insert(0, "complete", history.groupby("period")["complete"].all())
st.dataframe(table, width="stretch", key="tfd_history_table")
excluded = history.attrs.get("excluded") or {}
notes = ["Hollow points: the period (or its window) has not ended yet; it is not used for targets or fits."]
reasons = {c.removeprefix("excluded_").replace("_", " "): int(history[c].sum())
           for c in history.columns if c.startswith("excluded_") and history[c].sum()}
if reasons:
    notes.append("Left out by the definition: " + ", ".join(f"{k} {v:,}" for k, v in reasons.items()) + ".")
if excluded:
    notes.append("Not placed in any period: "
                 + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in excluded.items()) + ".")
st.caption(md(" ".join(notes)))

# ---------------------------------------------------------------- 3. use it in the plan
with st.container(border=True):
    st.subheader("3. Use it in the plan")
    guess = mapped[0] if mapped else ids[0]
    mid = st.selectbox("Plan metric this definition measures", ids, format_func=names.get,
                       **state.bind("tfd_plan_metric", t("plan_metric"), default=guess))
    mid = mid if mid in ids else ids[0]
    m = plan.metric(mid)
    st.caption(f"{md(m.name)} is a **{m.scope}** metric paid every **{plan.period}**: targets and fits use "
               f"{plan.period}ly values by **{scope_by(m.scope)}**, complete periods only.")
    plan_hist = targets_state.tfd_compute("metric_history", spec, period=plan.period, by=scope_by(m.scope))
    left, right = st.columns(2)
    with left, st.container(key="tfd_target"):
        pct = st.slider("Set the target at this percentile of history", 0, 100, step=5,
                        **state.bind("tfd_pct", t("percentile"), default=50))
        # an org: each plan that has the metric gets the target from the history of the teams on it
        org_targets = targets_state.tfd_plan_targets(spec, mid, pct, share) if scn.is_org else {}
        try:
            target = org_targets.get(state.plan_id()) or round_target(target_from_history(plan_hist, pct), share)
        except PlanError as e:
            st.warning(md(e))
        else:
            st.metric(f"P{pct} of history", fmt(target, share),
                      help=f"Rounded as a target is written. Current target: {fmt(m.target, share)}.")
            whose = "of the teams on this plan " if state.plan_id() in org_targets else ""
            st.caption(f"Current target {fmt(m.target, share)}. P{pct}: about {100 - pct}% of past "
                       f"{scope_by(m.scope)}-{plan.period}s {whose}did better.")
            conflict = definition_conflict(m.name, spec)
            if conflict:
                st.warning(conflict + ". Setting this target renames the plan metric after the definition, "
                           "so the plan says what it measures.", icon=":material/warning:")
            if scn.is_org:
                teams_on = targets_state.plan_teams(scn, mid)
                lines = [f"{scn.plans[p].name} ({', '.join(teams_on[p])}): {fmt(v, share)}, now "
                         f"{fmt(scn.plans[p].metric(mid).target, share)}" for p, v in org_targets.items()]
                lines += [f"{scn.plans[p].name}: no history for its teams, keeps "
                          f"{fmt(scn.plans[p].metric(mid).target, share)}" for p in teams_on if p not in org_targets]
                with st.container(key="tfd_plan_targets"):
                    st.caption(f"P{pct} of each plan's own teams' history:")
                    st.text("\n".join(lines))
                n = len(org_targets)
                st.button(f"Set the target of {n} plan{'s' if n != 1 else ''} from its teams' history"
                          + (" and rename the metric" if conflict else ""), key="tfd_set_target", type="primary",
                          on_click=targets_state.set_plan_targets, args=(mid, org_targets, spec, bool(conflict)),
                          disabled=not org_targets or min(org_targets.values()) <= 0,
                          help="Writes each plan's target for this metric; the back-test below also measures "
                               "the metric this way.")
            else:
                st.button(f"Set target to {fmt(target, share)}" + (" and rename the metric" if conflict else ""),
                          key="tfd_set_target", type="primary", on_click=targets_state.set_metric_target,
                          args=(mid, target, spec, bool(conflict)), disabled=target <= 0,
                          help="Writes the plan's target; the back-test below also measures the metric this way.")
    with right, st.container(key="tfd_fit"):
        kind = st.radio("Fit an assumption", FIT_KINDS, horizontal=True,
                        **state.bind("tfd_fit_kind", t("fit_kind"), default="auto"))
        now_by_team: dict = {}
        try:
            fit = fit_assumption(plan_hist, kind)
        except PlanError as e:
            st.warning(md(e))
        else:
            st.markdown("From the history: " + describe_assumption(fit) + ".")
            now = scn.assumptions.get(mid)
            now_dict = now.model_dump(exclude_none=True) if now else {}
            now_by_team = now_dict.pop("by_team", None) or {}
            st.caption("In the scenario now: " + (describe_assumption(now_dict) if now else "none") + ".")
            st.button("Use as the assumption for Cost simulation", key="tfd_set_fit",
                      on_click=targets_state.set_assumption, args=(mid, fit, spec))
        if m.scope != "company":
            teams = targets_state.fit_teams(scn, mid)
            try:
                team_fit = targets_state.tfd_fit_by_team(spec, plan, mid, teams, kind)
            except PlanError as e:
                st.warning(md(e))
            else:
                with st.container(key="tfd_team_fits"):
                    st.caption("Each team's own history:")
                    st.text("\n".join(team_fit_lines(team_fit.get("by_team") or {}, spec, teams)))
                    if now_by_team:
                        st.caption("Per team in the scenario now:")
                        st.text("\n".join(team_fit_lines(now_by_team, spec, list(now_by_team), what=m.name)))
                st.button("Fit per team from history", key="tfd_fit_by_team", on_click=targets_state.set_by_team,
                          args=(mid, team_fit, spec), disabled=not team_fit.get("by_team"),
                          help="Sets this metric's per-team assumptions (by_team) from each team's own records; "
                               "the default for other teams stays. Undo reverts it.")
    state.show_problems(f"assumptions.{mid}")

# ---------------------------------------------------------------- 4. back-test
with st.container(border=True):
    st.subheader("4. Back-test: what the current plan would have paid")
    mapping = targets_state.tfd_mapping()

    def is_share(i: str) -> bool:
        return mapping[i]["metric"] != "activities" if i in mapping else plan.metric(i).target <= 1.0

    rows = [{"Plan metric": names[i], "Measured by": describe_spec(mapping[i]) if i in mapping
             else "no history: held at target", "Target": fmt(plan.metric(i).target, is_share(i))} for i in ids]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="tfd_mapping")
    b1, b2, b3 = st.columns([1.2, 1, 1.4])
    b1.button("Back-test it with the definition above", key="tfd_map", on_click=targets_state.map_metric,
              args=(mid, spec), help=f"{md(names[mid])} will be measured as: {md(describe_spec(spec))}.")
    b2.button("Hold it at target", key="tfd_unmap", on_click=targets_state.map_metric, args=(mid, None),
              help=f"{md(names[mid])} is then held at its target in every period.")
    fill = b3.toggle("Hold missing values at target", help="Off: a team-period without a value is reported as "
                     "missing and not priced. On: the value is held at target and flagged.",
                     **state.bind("tfd_fill", t("fill_missing"), default=False))
    try:
        bt = targets_state.tfd_backtest("target" if fill else "none")
    except PlanError as e:
        st.error(f"The back-test cannot run. {md(e)}", icon=":material/error:")
        st.stop()
    if bt.teams.empty:
        st.info("Map at least one plan metric to a definition to back-test the plan.")
        st.stop()
    cost = bt.cost
    k = st.columns(4, border=True)
    k[0].metric(f"Average cost per {plan.period}", "n/a" if bt.average_cost is None else charts.money(bt.average_cost),
                help="Complete periods; teams with a missing value are not priced.")
    k[1].metric("On-target cost", charts.money(cost["target_cost"].iloc[-1]), help="Whole roster, per period.")
    k[2].metric("Average payout", "n/a" if bt.average_payout is None else charts.pct(bt.average_payout),
                help="Cost over on-target cost of the teams priced, complete periods.")
    k[3].metric("Team-periods missing", f"{int(cost['teams_missing'].sum())} of {len(bt.teams)}")
    st.caption("Why this can differ from the Cost simulation: the back-test pays the past periods' actual "
               "results through today's plan, while the Cost simulation draws each metric from the assumptions "
               "on its page. If the simulation expects a much higher payout than this, its assumptions are more "
               "optimistic than the history: fit them to the history with “Use as the assumption” above.")
    teams = bt.teams.assign(label=[fmt(v, True) for v in bt.teams["payout"]])
    chart_cache.chart(charts.backtest_cost_chart, teams[["period", "team", "money"]],
                      cost[["period", "target_cost"]], key="tfd_cost_chart")
    st.caption("Bars: what each team would have been paid; orange tick: on-target cost of the whole roster.")
    chart_cache.chart(charts.backtest_payout_chart, teams[["period", "team", "payout", "label", "money"]],
                      key="tfd_payout_chart")
    for note in bt.notes:
        st.caption(md(note))
    out = pd.DataFrame({"Period": bt.teams["period"], "Team": bt.teams["team"]})
    for i in ids:
        out[names[i]] = [fmt(v, is_share(i)) for v in bt.teams[f"value_{i}"]]
    out["Payout"] = teams["label"]
    out["Paid"] = [charts.money(v) if not math.isnan(v) else "missing" for v in bt.teams["money"]]
    out["Missing"] = bt.teams["missing"]
    if fill:
        out["Held at target"] = bt.teams["filled"]
    st.dataframe(out, hide_index=True, width="stretch", key="tfd_backtest_table")
