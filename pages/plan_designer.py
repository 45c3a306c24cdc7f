"""Plan designer: metrics, components and their curves, gates, modifiers; the curve redrawn live.

Every widget of the plan being edited has a key naming that plan (and its metric or component):
``plan.<plan id>.metric.<metric id>.target``, so switching plans never hands one plan's widget state to another.
"""

from __future__ import annotations

import streamlit as st

from ui import (
    charts,
    cohorts,
    curve_tables,
    designer_boxes,
    page,
    plan_editing,
    simulation_state,
    state,
    year_designer,
)
from ui.charts import cache as chart_cache
from ui.core import curve_edit, describe, describe_curve, explore, guardrails
from ui.text import md, md_lines

page.setup()
plan_d = state.draft_plan()
plan = state.valid_plan()
pid = state.plan_id()
pp = state.plan_prefix()  # problem paths of the plan being edited: "plan" or "plans.<id>"


def key(*parts: object) -> str:
    """The widget key of a field of the plan being edited (``plan.<id>.<parts>``)."""
    return state.plan_key(pid, *parts)


metric_ids = [m["id"] for m in plan_d["metrics"]]
# labels a person reads: a name being typed blank reads as the last valid one, never as an internal id
metric_names = plan_editing.metric_labels(plan_d, plan)
comp_ids = [c["id"] for c in plan_d["components"]]
comp_names = plan_editing.component_labels(plan_d, plan, metric_names)
PCT = {"min_value": 0.0, "step": 5.0, "format": "%.4g"}
warnings = plan_editing.PlacedWarnings(guardrails(plan_d))

st.title("Plan designer")
banner = st.container()

# ---------------------------------------------------------------- the plans of the org, where the plan starts from
designer_boxes.plans_box(pid, f"Editing plan: {plan_d.get('name', '').strip() or plan.name}")
designer_boxes.start_box(pid)

# ---------------------------------------------------------------- plan settings
with st.container(border=True):
    st.subheader("Plan")
    c1, c2, c3, c4, c5 = st.columns([3, 1.3, 1.6, 1.4, 1.2])
    c1.text_input("Name", **state.bind(key("name"), state.plan_path("name")))
    with c1:
        state.show_problems(f"{pp}.name", exact=True)
    periods = ["month", "quarter", "half", "year"]
    c2.selectbox("Paid every", periods, **state.bind(key("period"), state.plan_path("period"), default="year",
                                                       options=periods))
    kind_kw, value_kw, is_pct = plan_editing.incentive_bindings()
    c3.radio("Target incentive", ["% of base salary", "Fixed amount a year"], **kind_kw)
    c4.number_input("% of base" if is_pct else "Amount a year", min_value=0.0,
                    step=1.0 if is_pct else 500.0, format="%.4g" if is_pct else "%.0f", **value_kw)
    c5.number_input("Plan cap %", **PCT, placeholder="no cap",
                    help="Most the total can pay, as % of target incentive. Empty: no cap.",
                    **state.bind(key("cap"), state.plan_path("cap"), to_widget=state.pct_in, from_widget=state.pct_out))
    state.show_problems(f"{pp}.target_incentive")
    state.show_problems(f"{pp}.cap")

# ---------------------------------------------------------------- metrics
with st.container(border=True):
    st.subheader("Metrics")
    # each row in its own box: on a phone the columns stack, and the box keeps the remove button with its row
    for i, mid in enumerate(metric_ids):
        with st.container(border=True, key=key("metric", mid, "row")):
            cols = st.columns([3, 1.2, 2, 1.2, 1.3, 0.7], vertical_alignment="bottom")
            p = state.plan_path("metrics", state.ById(mid))
            cols[0].text_input("Metric", **state.bind(key("metric", mid, "name"), (*p, "name")))
            target_label, target_kw = plan_editing.target_binding(mid)
            cols[1].number_input(md(target_label), min_value=0.0, format="%.4g", **target_kw,
                                 help="A share (unit 'share of ...' or '%') is typed in percent: 85 for 85%.")
            cols[2].text_input("Unit", placeholder="e.g. share of new clients",
                               help="'share of ...', '%' or 'rate': typed and shown in percent; "
                                    "'ratio ...': percent, may pass 100%; anything else (EBRs, clients): a number.",
                               **state.bind(key("metric", mid, "unit"), (*p, "unit")))
            cols[3].selectbox("Better when", ["higher", "lower"], **state.bind(
                key("metric", mid, "direction"), (*p, "direction"), default="higher", options=["higher", "lower"]))
            scopes = ["individual", "team", "company"]
            cols[4].selectbox("Measured per", scopes, **state.bind(key("metric", mid, "scope"), (*p, "scope"),
                                                                   default="individual", options=scopes))
            used = [c["id"] for c in plan_d["components"] if c["metric"] == mid]
            cols[5].button(":material/close:", key=key("metric", mid, "remove"), on_click=plan_editing.remove_metric,
                           args=(pid, mid), disabled=bool(used) or len(metric_ids) == 1,
                           help=f"Used by {md(', '.join(used))}" if used else "Remove this metric")
            state.show_problems(f"{pp}.metrics[{i}]")
            cohorts.show_target_notes(mid)  # a team whose cohort makes this share target all or nothing
            for g in warnings.at(f"metrics[{i}]"):
                st.warning(md(g.message), icon=":material/lightbulb:")
    st.button("Add metric", key="add_metric", on_click=plan_editing.add_metric, args=(pid,))

# ---------------------------------------------------------------- weights
with st.container(border=True):
    st.subheader("Components and weights")
    cols = st.columns(max(len(comp_ids), 1))
    for i, cid in enumerate(comp_ids):
        cols[i].slider(f"{md(comp_names[cid])} weight %", 0, 100, step=1, format="%d%%",
                       **plan_editing.weight_binding(cid))
        with cols[i]:
            state.show_problems(f"{pp}.components[{i}].weight")
    st.toggle("Keep weights at 100% (moving one rescales the others)",
              **state.bind("rebalance", ("ui", "rebalance"), default=True))
    state.show_problems(f"{pp}.components", exact=True)

    # ------------------------------------------------------------ the component being edited (by id, per plan)
    cid = state.component_id()
    st.radio("Edit component", comp_ids, horizontal=True, format_func=lambda c: md(comp_names.get(c, str(c))),
             **state.bind(key("component_pick"), ("ui", "component", pid), default=cid, options=comp_ids))
    sel = comp_ids.index(cid)
    comp = plan_d["components"][sel]
    cp = state.plan_path("components", state.ById(cid))
    ck = ("component", cid)
    form, chart_col = st.columns([1.1, 1])
    with form:
        a, b = st.columns(2)
        a.text_input("Component name", **state.bind(key(*ck, "name"), (*cp, "name")))
        with a:
            state.show_problems(f"{pp}.components[{sel}].name", exact=True)
        b.selectbox("Paid on metric", metric_ids, format_func=lambda x: metric_names.get(x, str(x)),
                    **state.bind(key(*ck, "metric"), (*cp, "metric"), options=metric_ids))
        state.show_problems(f"{pp}.components[{sel}].metric")
        kind = comp["curve"].get("kind", "linear")
        a, b, c = st.columns(3)
        kinds = {"linear": "Linear points", "tiers": "Rate tiers", "steps": "Steps"}
        if st.session_state.get(key(*ck, "kind")) != kind:
            st.session_state[key(*ck, "kind")] = kind
        a.selectbox("Curve", list(kinds), key=key(*ck, "kind"), format_func=lambda k: kinds.get(k, str(k)),
                    on_change=plan_editing.set_curve_kind, args=(pid, key(*ck, "kind"), "components", cid))
        b.number_input("Threshold %", **PCT, help="Below this attainment the component pays nothing.",
                       **curve_tables.threshold_binding(key(*ck, "threshold"), (*cp, "curve")))
        c.number_input("Cap %", **PCT, placeholder="no cap", help="Most this component can pay. Empty: no cap.",
                       **state.bind(key(*ck, "cap"), (*cp, "curve", "cap"), to_widget=state.pct_in,
                                    from_widget=state.pct_out))
        if kind == "linear":
            above = {"flat": "stay flat", "extend": "keep rising (accelerator)"}
            st.selectbox("Above the last point", list(above), format_func=lambda k: above.get(k, str(k)),
                         **state.bind(key(*ck, "above"), (*cp, "curve", "above"), default="flat", options=list(above)))
        elif kind == "tiers":
            modes = {"marginal": "marginal (each rate pays inside its band)",
                     "retroactive": "retroactive (reached rate pays all)"}
            st.selectbox("Tier mode", list(modes), format_func=lambda k: modes.get(k, str(k)),
                         **state.bind(key(*ck, "mode"), (*cp, "curve", "mode"), default="marginal",
                                      options=list(modes)))
        rows, kw = curve_tables.bind_curve_editor(key(*ck, "curve"), (*cp, "curve"), kind)
        st.data_editor(rows, num_rows="dynamic", width="stretch", hide_index=True, **kw)
        state.show_problems(f"{pp}.components[{sel}].curve")
        for g in warnings.at(f"components[{sel}].curve"):
            st.warning(md(g.message), icon=":material/lightbulb:")
        st.button("Remove this component", key="remove_component", on_click=plan_editing.remove_component,
                  args=(pid, cid), disabled=len(comp_ids) == 1)
    with chart_col:
        curve = curve_edit.curve_or_none(comp["curve"])
        if curve is None and sel < len(plan.components):
            curve = plan.components[sel].curve
            st.caption("Showing the last valid curve until the table is fixed.")
        if curve is not None:
            lo, hi = explore.attainment_range([curve])
            st.markdown(f"**{md(comp_names[cid])}**: payout by attainment")
            chart_cache.chart(charts.curve_chart, explore.curve_frame(curve, lo, hi),
                              key="designer_curve", cache_key=[curve.model_dump(mode="json")])
            st.caption(md(describe_curve(curve).capitalize() + "."))
    st.button("Add component", key="add_component", on_click=plan_editing.add_component, args=(pid,))

# ---------------------------------------------------------------- gates and modifiers (no ids: by position)
with st.container(border=True):
    st.subheader("Gates")
    st.caption("When a metric's attainment is below a level, cap the payout (0% = circuit breaker).")
    for i, _g in enumerate(plan_d.get("gates", [])):
        with st.container(border=True, key=key("gate", i, "row")):
            gp = state.plan_path("gates", i)
            cols = st.columns([2.2, 0.9, 0.9, 3.6, 0.7], vertical_alignment="bottom")
            cols[0].selectbox("If metric", metric_ids, format_func=lambda x: metric_names.get(x, str(x)),
                              **state.bind(key("gate", i, "metric"), (*gp, "metric"), options=metric_ids))
            cols[1].number_input("is below %", **PCT, **state.bind(key("gate", i, "below"), (*gp, "below"),
                                                                   to_widget=state.pct_in, from_widget=state.pct_out))
            cols[2].number_input("cap at %", **PCT, **state.bind(key("gate", i, "cap"), (*gp, "cap"),
                                                                 to_widget=state.pct_in, from_widget=state.pct_out))
            cols[3].multiselect("Applies to (empty: the total)", comp_ids, format_func=lambda x: comp_names.get(x, x),
                                **plan_editing.applies_binding(key("gate", i, "applies"), (*gp, "applies_to"),
                                                               comp_ids))
            cols[4].button(":material/close:", key=key("gate", i, "remove"), on_click=plan_editing.remove_item,
                           args=(pid, "gates", i), help="Remove this gate")
            state.show_problems(f"{pp}.gates[{i}]")
    st.button("Add gate", key="add_gate", on_click=plan_editing.add_gate, args=(pid,))

with st.container(border=True):
    st.subheader("Modifiers")
    st.caption("Multiply payout by a factor that depends on a metric (a kicker or a decelerator).")
    for i, mod in enumerate(plan_d.get("modifiers", [])):
        with st.container(border=True, key=key("modifier", i, "row")):
            mp = state.plan_path("modifiers", i)
            cols = st.columns([2.2, 1.3, 3.6, 0.7], vertical_alignment="bottom")
            cols[0].selectbox("Metric", metric_ids, format_func=lambda x: metric_names.get(x, str(x)),
                              **state.bind(key("modifier", i, "metric"), (*mp, "metric"), options=metric_ids))
            mkind = mod["curve"].get("kind", "steps")
            if st.session_state.get(key("modifier", i, "kind")) != mkind:
                st.session_state[key("modifier", i, "kind")] = mkind
            cols[1].selectbox("Factor curve", ["steps", "linear"], key=key("modifier", i, "kind"),
                              on_change=plan_editing.set_curve_kind, args=(pid, key("modifier", i, "kind"),
                                                                           "modifiers", i))
            cols[2].multiselect("Applies to (empty: the total)", comp_ids, format_func=lambda x: comp_names.get(x, x),
                                **plan_editing.applies_binding(key("modifier", i, "applies"), (*mp, "applies_to"),
                                                               comp_ids))
            cols[3].button(":material/close:", key=key("modifier", i, "remove"), on_click=plan_editing.remove_item,
                           args=(pid, "modifiers", i), help="Remove this modifier")
            rows, kw = curve_tables.bind_curve_editor(key("modifier", i, "curve"), (*mp, "curve"), mkind)
            st.data_editor(rows, num_rows="dynamic", hide_index=True, **kw)
            state.show_problems(f"{pp}.modifiers[{i}]")
    st.button("Add modifier", key="add_modifier", on_click=plan_editing.add_modifier, args=(pid,))

year_designer.render()  # paid over the year: the plan's schedule and a worked year (issue 21)

# ---------------------------------------------------------------- who is on which plan
with st.container(border=True, key="who_is_on"):
    st.subheader("Who is on which plan" if state.is_org() else "Who is on the plan")
    st.caption("Groups of people, not names. An incentive here overrides the plan's target incentive for that row.")
    rows, kw = simulation_state.bind_roster("roster_designer")
    st.data_editor(rows, num_rows="dynamic", hide_index=True, width="stretch",
                   column_config=simulation_state.roster_columns(), **kw)
    state.show_problems("roster")

# ---------------------------------------------------------------- description and warnings
st.subheader("In plain English")
st.markdown(md_lines(describe(plan)))
for g in warnings.rest():
    st.warning(md(g.message), icon=":material/lightbulb:")

with banner:
    rest = state.unshown_problems()
    if state.problems():
        st.error("The plan as typed is not valid yet, so the charts and costs use the last valid plan. "
                 "Fix the fields marked below." + "".join(f"\n- {md(x)}" for x in rest), icon=":material/error:")
