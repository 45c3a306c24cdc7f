"""Section 3 of "Targets from data": a plan metric's target, assumption and persistence from its history.

Drawn only when the history shown is the metric's own definition's (the page checks it first); every
button writes through :mod:`ui.targets_actions`, which checks it again at the click.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from compcore.data.definitions import definition_conflict, round_target
from compcore.data.fit import FIT_KINDS, target_from_history
from compcore.data.persistence import persistence_words
from compcore.data.plan_targets import team_fit_lines
from compcore.data.targets import scope_by
from compcore.errors import PlanError
from compcore.plan.schema import Plan
from compcore.report.document import describe_assumption
from compcore.simulation.scenario import Scenario
from ui import targets_actions as act
from ui import targets_state as ts
from ui.state import plan_id
from ui.targets_view import fmt
from ui.text import md


def use_history(scn: Scenario, plan: Plan, m: Any, spec: dict[str, Any], share: bool) -> None:
    """The target, the assumption and the persistence from the history of the metric's own definition."""
    mid, pid = m.id, plan_id()
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
                        **ts.bind("tfd_fit_kind", ts.tfd_path("fit_kind"), default="auto", options=FIT_KINDS))
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
                now_rho = now.persistence if now is not None else 0.0
                st.caption(f"From one {plan.period} to the next (persistence in the scenario now: {now_rho:.2f}):")
                st.markdown(md(persistence_words(persist.rho, plan.period)))
                ready = ts.persistence_supported() and now is not None
                st.button(f"Use persistence {persist.value:.2f} for the plan year", key=f"tfd_persist_{mid}",
                          on_click=act.set_persistence, args=(mid, persist.value, spec), disabled=not ready,
                          help=f"From {persist.pairs} pairs of consecutive {plan.period}s of {persist.groups} "
                               f"{scope_by(m.scope)}s: writes assumptions.{mid}.persistence (undo reverts it)."
                               + ("" if ready else " Needs an assumption for this metric and the plan year."))
