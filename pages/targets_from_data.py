"""Targets from data: CS records -> a metric's history -> a plan target, an assumption, a persistence; a back-test.

One meaning per control: a plan metric's target, assumption and persistence are set only from the history
of the metric's own definition; otherwise the page says so and offers to show that definition or to
measure the metric by the one explored (renaming it), never writing a number across definitions.
"""

from __future__ import annotations

import streamlit as st

from ui import page, state
from ui import targets_actions as act
from ui import targets_state as ts
from ui import targets_view as view
from ui.core import (
    FIT_KINDS,
    PlanError,
    definition_conflict,
    definition_mismatch,
    describe_assumption,
    metric_definition,
    persistence_words,
    round_target,
    scope_by,
    short_name,
    target_from_history,
    team_fit_lines,
)
from ui.text import md

page.setup()
ts.begin_run()
scn, plan, pid = state.valid(), state.valid_plan(), state.plan_id()
ids, names = [m.id for m in plan.metrics], {m.id: m.name for m in plan.metrics}
ts.ensure_spec(plan)
fmt = view.fmt

st.title("Targets from data")
st.caption("Your CS records -> metrics with written-down definitions -> last year's numbers -> plan targets, "
           "a back-test of the current plan and Monte Carlo assumptions.")
with st.expander("How each metric is defined"):
    st.markdown(ts.DEFINITIONS_HELP)

with st.container(border=True):
    st.subheader("1. Records")
    data = view.records()
with st.container(border=True):
    st.subheader("2. Metric definition")
    spec, period, by = view.definition()
share = spec["metric"] != "activities"
try:
    history, year = ts.history(spec, period, by), ts.last_year(spec, by)
except PlanError as e:
    st.error(f"This metric cannot be computed from these records. {md(e)}", icon=":material/error:")
    st.stop()
view.headline(data, spec, year, share)

mid = ts.plan_metric(plan, spec)
m = plan.metric(mid)
mismatch = definition_mismatch(m, spec)
view.history_section(history, spec, period, by, share,
                     m.target if mismatch is None and period == plan.period else None)


def use_history() -> None:
    """The target, the assumption and the persistence from the history of the metric's own definition."""
    hist_key = ts.history_key(spec, plan.period, scope_by(m.scope))
    plan_hist = ts.history(spec, plan.period, scope_by(m.scope))
    left, right = st.columns(2)
    with left, st.container(key="tfd_target"):
        pct = st.slider("Set the target at this percentile of history", 0, 100, step=5,
                        **ts.bind("tfd_pct", ts.tfd_path("percentile"), default=50))
        # an org: each plan that has the metric gets the target from the history of the teams on it
        org_targets = ts.plan_targets(spec, mid, pct, share) if scn.is_org else {}
        try:
            target = org_targets.get(pid) or round_target(target_from_history(plan_hist, pct), share)
        except PlanError as e:
            st.warning(md(e))
        else:
            st.metric(f"P{pct} of history", fmt(target, share),
                      help=f"Rounded as a target is written. Current target: {fmt(m.target, share)}.")
            whose = "of the teams on this plan " if pid in org_targets else ""
            st.caption(f"Current target {fmt(m.target, share)}. P{pct}: about {100 - pct}% of past "
                       f"{scope_by(m.scope)}-{plan.period}s {whose}did better.")
            conflict = definition_conflict(m.name, spec)
            if conflict:
                st.warning(md(conflict) + ". Setting this target renames the plan metric after the definition, "
                           "so the plan says what it measures.", icon=":material/warning:")
            rename = " and rename the metric" if conflict else ""
            if scn.is_org:
                teams_on = ts.plan_teams(scn, mid)
                lines = [f"{scn.plans[p].name} ({', '.join(teams_on[p])}): {fmt(v, share)}, now "
                         f"{fmt(scn.plans[p].metric(mid).target, share)}" for p, v in org_targets.items()]
                lines += [f"{scn.plans[p].name}: no history for its teams, keeps "
                          f"{fmt(scn.plans[p].metric(mid).target, share)}" for p in teams_on if p not in org_targets]
                with st.container(key="tfd_plan_targets"):
                    st.caption(f"P{pct} of each plan's own teams' history:")
                    st.text("\n".join(lines))
                n = len(org_targets)
                st.button(f"Set the target of {n} plan{'s' if n != 1 else ''} from its teams' history{rename}",
                          key=f"tfd_set_target_{mid}", type="primary", on_click=act.set_plan_targets,
                          args=(mid, org_targets, spec, bool(conflict)),
                          disabled=not org_targets or min(org_targets.values()) <= 0,
                          help="Writes each plan's target for this metric and stores its definition with it.")
            else:
                st.button(f"Set target to {fmt(target, share)}{rename}", key=f"tfd_set_target_{mid}",
                          type="primary", on_click=act.set_metric_target, args=(mid, target, spec, bool(conflict)),
                          disabled=target <= 0, help="Writes the plan's target and stores its definition with it.")
    with right, st.container(key="tfd_fit"):
        kind = st.radio("Fit an assumption", FIT_KINDS, horizontal=True,
                        **ts.bind("tfd_fit_kind", ts.tfd_path("fit_kind"), default="auto"))
        now = scn.assumptions.get(mid)
        now_dict = now.model_dump(exclude_none=True) if now else {}
        now_by_team = now_dict.pop("by_team", None) or {}
        try:
            fit = ts.fit(plan_hist, hist_key, kind)
        except PlanError as e:
            st.warning(md(e))
        else:
            st.markdown("From the history: " + describe_assumption(fit) + ".")
            st.caption("In the scenario now: " + (describe_assumption(now_dict) if now else "none") + ".")
            st.button("Use as the assumption for Cost simulation", key=f"tfd_set_fit_{mid}",
                      on_click=act.set_assumption, args=(mid, fit, spec))
        if m.scope != "company":
            teams = ts.fit_teams(scn, mid)
            try:
                team_fit = ts.fit_by_team(spec, plan, mid, teams, kind)
            except PlanError as e:
                st.warning(md(e))
            else:
                with st.container(key="tfd_team_fits"):
                    st.caption("Each team's own history:")
                    st.text("\n".join(team_fit_lines(team_fit.get("by_team") or {}, spec, teams)))
                    if now_by_team:
                        st.caption("Per team in the scenario now:")
                        st.text("\n".join(team_fit_lines(now_by_team, spec, list(now_by_team), what=m.name)))
                st.button("Fit per team from history", key=f"tfd_fit_by_team_{mid}", on_click=act.set_by_team,
                          args=(mid, team_fit, spec), disabled=not team_fit.get("by_team"),
                          help="Sets this metric's per-team assumptions (by_team) from each team's own records; "
                               "the default for other teams stays. Undo reverts it.")
        with st.container(key="tfd_persistence"):
            try:
                persist = ts.persistence(plan_hist, hist_key)
            except PlanError as e:
                st.caption(f"Persistence: {md(e)}")
            else:
                st.markdown(md(persistence_words(persist.rho, plan.period)))
                ready = ts.persistence_supported() and now is not None
                st.button(f"Use persistence {persist.value:.2f} for the plan year", key=f"tfd_persist_{mid}",
                          on_click=act.set_persistence, args=(mid, persist.value, spec), disabled=not ready,
                          help=f"From {persist.pairs} pairs of consecutive {plan.period}s of {persist.groups} "
                               f"{scope_by(m.scope)}s: writes assumptions.{mid}.persistence (undo reverts it)."
                               + ("" if ready else " Needs an assumption for this metric and the plan year."))


# ---------------------------------------------------------------- 3. use it in the plan
with st.container(border=True, key="tfd_use"):
    st.subheader("3. Use it in the plan")
    st.selectbox("Plan metric", ids, format_func=names.get,
                 **ts.bind(f"tfd_plan_metric_{pid}", ts.plan_metric_path(), default=mid))
    own = metric_definition(m)
    st.caption(f"{md(m.name)} is a **{m.scope}** metric paid every **{plan.period}**, measured as: "
               + (md(short_name(own)) if own else "not from CS records") + ". Its targets and fits use "
               f"{plan.period}ly values by **{scope_by(m.scope)}**, complete periods only.")
    if mismatch:
        view.mismatch(m, spec, mismatch)
    else:
        use_history()
    state.show_problems(f"assumptions.{mid}")

with st.container(border=True):
    st.subheader("4. Back-test: what the current plan would have paid")
    view.backtest(plan, mid)
