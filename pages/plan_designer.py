"""Plan designer: metrics, components and their curves, gates, modifiers; the curve redrawn live."""

from __future__ import annotations

import streamlit as st

from ui import charts, org, page, plan_editing, simulation_state, state, year_designer
from ui.charts import cache as chart_cache
from ui.core import curve_edit, describe, describe_curve, explore, guardrails
from ui.text import md, md_lines

page.setup()
d = state.draft()
plan_d = state.draft_plan()
plan = state.valid_plan()
pp = state.plan_prefix()  # problem paths of the plan being edited: "plan" or "plans.<id>"
metric_ids = [m["id"] for m in plan_d["metrics"]]
# labels a person reads: a name being typed blank reads as the last valid one, never as an internal id
metric_names = plan_editing.metric_labels(plan_d, plan)
comp_ids = [c["id"] for c in plan_d["components"]]
comp_names = plan_editing.component_labels(plan_d, plan, metric_names)
PCT = {"min_value": 0.0, "step": 5.0, "format": "%.4g"}
warnings = plan_editing.PlacedWarnings(guardrails(plan_d))

st.title("Plan designer")
banner = st.container()

# ---------------------------------------------------------------- the plans of the org
editing = f"Editing plan: {plan_d.get('name', '').strip() or plan.name}"
with st.sidebar:
    st.text(editing)  # the plan being edited stays in view (plain text: the name is typed by a person)
with st.container(border=True, key="plan_switcher"):
    st.subheader("Plans")
    if state.is_org():
        st.caption("Each group is paid by its own plan; the roster below says who is on which. Metrics with the "
                   "same id in two plans are one measured number (drawn once), each plan with its own target.")
        a, b = st.columns([3, 1], vertical_alignment="bottom")
        with a:
            org.plan_picker("Plan being edited")
        b.button("Delete this plan", key="delete_plan", on_click=org.delete_plan, args=(state.plan_id(),),
                 disabled=len(state.plan_ids()) < 2, width="stretch")
        if (gone := org.pending_delete()) is not None:
            with st.container(border=True, key="confirm_delete_box"):
                st.warning(f"Delete {org.plan_label(gone)}? The {org.people_on(gone)} people on it move to "
                           f"{org.plan_label([p for p in state.plan_ids() if p != gone][0])}. Undo brings it back.",
                           icon=":material/warning:")
                yes, no = st.columns(2)
                yes.button("Delete the plan", key="confirm_delete_yes", on_click=org.delete_plan, args=(gone, True),
                           type="primary", width="stretch")
                no.button("Keep it", key="confirm_delete_no", on_click=org.cancel_delete, width="stretch")
    else:
        st.caption("One plan for everyone. Add a plan to pay a group on its own goal (an org of several plans).")
    st.text(editing)
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    new_from = a.selectbox("New plan from", org.new_plan_options(),
                           **state.bind("new_plan_from", ("ui", "new_plan_from"), default=org.BLANK,
                                        to_widget=lambda v: v if v in org.new_plan_options() else org.BLANK))
    b.button("Add plan", key="add_plan", on_click=org.add_plan, args=(new_from,), width="stretch",
             help="Adds a plan (blank, a copy of one of these plans, or a sample) and switches to it.")

# ---------------------------------------------------------------- start from
left, right = st.columns([4, 1], vertical_alignment="bottom")
options = [*state.sample_plans(), "Blank plan"]
choice = left.selectbox("Replace this plan with a sample plan or a blank one" if state.is_org()
                        else "Start from a sample plan or a blank one", options,
                        **state.bind("start_from", ("ui", "start_from"),
                                     default=plan_d.get("name") if plan_d.get("name") in options else options[0]))
right.button("Load", key="load_plan", on_click=plan_editing.start_from, args=(choice,), width="stretch",
             help="Replaces the plan; roster, budget and assumptions of kept metrics stay.")
if (pending := plan_editing.pending_replace()) is not None:
    with st.container(border=True, key="confirm_box"):
        st.warning(f"Loading “{md(pending)}” replaces the plan you have changed. Save it on the Scenarios page "
                   "first if you want to keep it; Undo also brings it back.",
                   icon=":material/warning:")
        yes, no = st.columns(2)
        yes.button("Replace my plan", key="confirm_replace_yes", on_click=plan_editing.start_from,
                   args=(pending, True), type="primary", width="stretch")
        no.button("Keep my plan", key="confirm_replace_no", on_click=plan_editing.cancel_replace, width="stretch")
st.file_uploader("Or open a plan or scenario JSON (as downloaded from the Plan document page)", type=["json"],
                 key="import_json", on_change=plan_editing.import_upload, args=("import_json",))
if result := state.ui("import_result"):
    (st.success if result[0] else st.error)(md(result[1]))

# ---------------------------------------------------------------- plan settings
with st.container(border=True):
    st.subheader("Plan")
    c1, c2, c3, c4, c5 = st.columns([3, 1.3, 1.6, 1.4, 1.2])
    c1.text_input("Name", **state.bind("plan_name", state.plan_path("name")))
    with c1:
        state.show_problems(f"{pp}.name", exact=True)
    c2.selectbox("Paid every", ["month", "quarter", "half", "year"],
                 **state.bind("plan_period", state.plan_path("period"), default="year"))
    kind_kw, value_kw, is_pct = plan_editing.incentive_bindings()
    c3.radio("Target incentive", ["% of base salary", "Fixed amount a year"], **kind_kw)
    c4.number_input("% of base" if is_pct else "Amount a year", min_value=0.0,
                    step=1.0 if is_pct else 500.0, format="%.4g" if is_pct else "%.0f", **value_kw)
    c5.number_input("Plan cap %", **PCT, placeholder="no cap",
                    help="Most the total can pay, as % of target incentive. Empty: no cap.",
                    **state.bind("plan_cap", state.plan_path("cap"), to_widget=state.pct_in,
                                 from_widget=state.pct_out))
    state.show_problems(f"{pp}.target_incentive")
    state.show_problems(f"{pp}.cap")

# ---------------------------------------------------------------- metrics
with st.container(border=True):
    st.subheader("Metrics")
    # each row in its own box: on a phone the columns stack, and the box keeps the remove button with its row
    for i, m in enumerate(plan_d["metrics"]):
        with st.container(border=True, key=f"metric_row_{i}"):
            cols = st.columns([3, 1.2, 2, 1.2, 1.3, 0.7], vertical_alignment="bottom")
            p = state.plan_path("metrics", i)
            cols[0].text_input("Metric", **state.bind(f"metric_{i}_name", (*p, "name")))
            target_label, target_kw = plan_editing.target_binding(i)
            cols[1].number_input(md(target_label), min_value=0.0, format="%.4g", **target_kw,
                                 help="A share (unit 'share of ...' or '%') is typed in percent: 85 for 85%.")
            cols[2].text_input("Unit", placeholder="e.g. share of new clients",
                               help="'share of ...', '%' or 'rate': typed and shown in percent; "
                                    "'ratio ...': percent, may pass 100%; anything else (EBRs, clients): a number.",
                               **state.bind(f"metric_{i}_unit", (*p, "unit")))
            cols[3].selectbox("Better when", ["higher", "lower"],
                              **state.bind(f"metric_{i}_direction", (*p, "direction"), default="higher"))
            cols[4].selectbox("Measured per", ["individual", "team", "company"],
                              **state.bind(f"metric_{i}_scope", (*p, "scope"), default="individual"))
            used = [c["id"] for c in plan_d["components"] if c["metric"] == m["id"]]
            cols[5].button(":material/close:", key=f"remove_metric_{i}", on_click=plan_editing.remove_metric, args=(i,),
                           disabled=bool(used) or len(metric_ids) == 1,
                           help=f"Used by {md(', '.join(used))}" if used else "Remove this metric")
            state.show_problems(f"{pp}.metrics[{i}]")
            for g in warnings.at(f"metrics[{i}]"):
                st.warning(md(g.message), icon=":material/lightbulb:")
    st.button("Add metric", key="add_metric", on_click=plan_editing.add_metric)

# ---------------------------------------------------------------- weights
with st.container(border=True):
    st.subheader("Components and weights")
    cols = st.columns(max(len(comp_ids), 1))
    for i, cid in enumerate(comp_ids):
        cols[i].slider(f"{md(comp_names[cid])} weight %", 0.0, 100.0, step=1.0, format="%.0f%%",
                       **plan_editing.weight_binding(i))
        with cols[i]:
            state.show_problems(f"{pp}.components[{i}].weight")
    st.toggle("Keep weights at 100% (moving one rescales the others)",
              **state.bind("rebalance", ("ui", "rebalance"), default=True))
    state.show_problems(f"{pp}.components", exact=True)

    # ------------------------------------------------------------ the component being edited
    sel = min(int(state.ui("component") or 0), len(comp_ids) - 1)
    state.set_ui("component", sel)
    st.radio("Edit component", list(range(len(comp_ids))), horizontal=True,
             format_func=lambda i: md(comp_names[comp_ids[i]]), **state.bind("component_pick", ("ui", "component")))
    comp = plan_d["components"][sel]
    cp = state.plan_path("components", sel)
    form, chart_col = st.columns([1.1, 1])
    with form:
        a, b = st.columns(2)
        a.text_input("Component name", **state.bind(f"comp_{sel}_name", (*cp, "name")))
        with a:
            state.show_problems(f"{pp}.components[{sel}].name", exact=True)
        b.selectbox("Paid on metric", metric_ids, format_func=lambda x: metric_names.get(x, x),
                    **state.bind(f"comp_{sel}_metric", (*cp, "metric")))
        state.show_problems(f"{pp}.components[{sel}].metric")
        kind = comp["curve"].get("kind", "linear")
        a, b, c = st.columns(3)
        st.session_state[f"comp_{sel}_kind"] = kind
        a.selectbox("Curve", ["linear", "tiers", "steps"], key=f"comp_{sel}_kind",
                    on_change=plan_editing.set_curve_kind, args=(sel, f"comp_{sel}_kind"),
                    format_func={"linear": "Linear points", "tiers": "Rate tiers", "steps": "Steps"}.get)
        b.number_input("Threshold %", **PCT, help="Below this attainment the component pays nothing.",
                       **plan_editing.threshold_binding(f"comp_{sel}_threshold", (*cp, "curve")))
        c.number_input("Cap %", **PCT, placeholder="no cap", help="Most this component can pay. Empty: no cap.",
                       **state.bind(f"comp_{sel}_cap", (*cp, "curve", "cap"), to_widget=state.pct_in,
                                    from_widget=state.pct_out))
        if kind == "linear":
            st.selectbox("Above the last point", ["flat", "extend"],
                         format_func={"flat": "stay flat", "extend": "keep rising (accelerator)"}.get,
                         **state.bind(f"comp_{sel}_above", (*cp, "curve", "above"), default="flat"))
        elif kind == "tiers":
            st.selectbox("Tier mode", ["marginal", "retroactive"],
                         format_func={"marginal": "marginal (each rate pays inside its band)",
                                      "retroactive": "retroactive (reached rate pays all)"}.get,
                         **state.bind(f"comp_{sel}_mode", (*cp, "curve", "mode"), default="marginal"))
        rows, kw = plan_editing.bind_curve_editor(f"comp_{sel}_table", (*cp, "curve"), kind)
        st.data_editor(rows, num_rows="dynamic", width="stretch", hide_index=True, **kw)
        state.show_problems(f"{pp}.components[{sel}].curve")
        for g in warnings.at(f"components[{sel}].curve"):
            st.warning(md(g.message), icon=":material/lightbulb:")
        st.button("Remove this component", key="remove_component", on_click=plan_editing.remove_component, args=(sel,),
                  disabled=len(comp_ids) == 1)
    with chart_col:
        curve = curve_edit.curve_or_none(comp["curve"])
        if curve is None and sel < len(plan.components):
            curve = plan.components[sel].curve
            st.caption("Showing the last valid curve until the table is fixed.")
        if curve is not None:
            lo, hi = explore.attainment_range([curve])
            st.markdown(f"**{md(comp_names[comp['id']])}**: payout by attainment")
            chart_cache.chart(charts.curve_chart, explore.curve_frame(curve, lo, hi),
                              key="designer_curve", cache_key=[curve.model_dump(mode="json")])
            st.caption(md(describe_curve(curve).capitalize() + "."))
    st.button("Add component", key="add_component", on_click=plan_editing.add_component)

# ---------------------------------------------------------------- gates and modifiers
with st.container(border=True):
    st.subheader("Gates")
    st.caption("When a metric's attainment is below a level, cap the payout (0% = circuit breaker).")
    for i, _g in enumerate(plan_d.get("gates", [])):
        with st.container(border=True, key=f"gate_row_{i}"):
            gp = state.plan_path("gates", i)
            cols = st.columns([2.2, 0.9, 0.9, 3.6, 0.7], vertical_alignment="bottom")
            cols[0].selectbox("If metric", metric_ids, format_func=lambda x: metric_names.get(x, x),
                              **state.bind(f"gate_{i}_metric", (*gp, "metric")))
            cols[1].number_input("is below %", **PCT, **state.bind(f"gate_{i}_below", (*gp, "below"),
                                                                   to_widget=state.pct_in, from_widget=state.pct_out))
            cols[2].number_input("cap at %", **PCT, **state.bind(f"gate_{i}_cap", (*gp, "cap"),
                                                                 to_widget=state.pct_in, from_widget=state.pct_out))
            cols[3].multiselect("Applies to (empty: the total)", comp_ids, format_func=lambda x: comp_names.get(x, x),
                                **plan_editing.applies_binding(f"gate_{i}_applies", (*gp, "applies_to")))
            cols[4].button(":material/close:", key=f"remove_gate_{i}", on_click=plan_editing.remove_item,
                           args=("gates", i), help="Remove this gate")
            state.show_problems(f"{pp}.gates[{i}]")
    st.button("Add gate", key="add_gate", on_click=plan_editing.add_gate)

with st.container(border=True):
    st.subheader("Modifiers")
    st.caption("Multiply payout by a factor that depends on a metric (a kicker or a decelerator).")
    for i, mod in enumerate(plan_d.get("modifiers", [])):
        with st.container(border=True, key=f"mod_row_{i}"):
            mp = state.plan_path("modifiers", i)
            cols = st.columns([2.2, 1.3, 3.6, 0.7], vertical_alignment="bottom")
            cols[0].selectbox("Metric", metric_ids, format_func=lambda x: metric_names.get(x, x),
                              **state.bind(f"mod_{i}_metric", (*mp, "metric")))
            mkind = mod["curve"].get("kind", "steps")
            st.session_state[f"mod_{i}_kind"] = mkind
            cols[1].selectbox("Factor curve", ["steps", "linear"], key=f"mod_{i}_kind",
                              on_change=plan_editing.set_curve_kind, args=(i, f"mod_{i}_kind", "modifiers"))
            cols[2].multiselect("Applies to (empty: the total)", comp_ids, format_func=lambda x: comp_names.get(x, x),
                                **plan_editing.applies_binding(f"mod_{i}_applies", (*mp, "applies_to")))
            cols[3].button(":material/close:", key=f"remove_mod_{i}", on_click=plan_editing.remove_item,
                           args=("modifiers", i), help="Remove this modifier")
            rows, kw = plan_editing.bind_curve_editor(f"mod_{i}_table", (*mp, "curve"), mkind)
            st.data_editor(rows, num_rows="dynamic", hide_index=True, **kw)
            state.show_problems(f"{pp}.modifiers[{i}]")
    st.button("Add modifier", key="add_modifier", on_click=plan_editing.add_modifier)

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
