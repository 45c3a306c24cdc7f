"""Payout curves: each component's curve, the whole plan along one metric, a 2-D heatmap, an earnings calculator."""

from __future__ import annotations

import streamlit as st

from ui import calculator, charts, org, page, plan_editing, state
from ui.charts import cache as chart_cache
from ui.core import TOLERANCE, compare, explore, units
from ui.text import md

page.setup()
scn = state.valid()
plan = state.valid_plan()
ids = [m.id for m in plan.metrics]
names = {m.id: m.name for m in plan.metrics}
labels = [c.name or c.id for c in plan.components]
pk = chart_cache.plan_key()

st.title("Payout curves")
if state.problems():
    st.info("The plan being edited has errors; these charts use the last valid plan.", icon=":material/info:")
if scn.is_org:
    with st.container(key="org_curves"):
        st.subheader("Every plan at the same attainment")
        st.caption("Total payout of each plan when every one of its metrics is at the same % of target "
                   "(gates, modifiers and caps included): which team's plan pays more for the same result.")
        by_name = {p.name: p for p in scn.plans.values()}
        chart_cache.lazy_chart(charts.curves_overlay,
                               lambda: (compare.combined_curves(by_name), list(by_name), "Plan"),
                               key="org_curves_chart", cache_key=chart_cache.plans_key())
    org.plan_picker("Plan shown below")

st.subheader("Each component")
st.caption("Attainment of the component's metric -> payout of that component, before weights and gates.")
# templates by layout (names): another plan or an edit swaps the rows, worked out once per plan
chart_cache.chart(charts.components_template, labels, key="curves_components", cache_key=["components", labels],
                  datasets=chart_cache.memo("components", pk, lambda: charts.components_rows(
                      explore.component_curves(plan), labels)))

# ---------------------------------------------------------------- the other metrics held
with st.sidebar:
    st.markdown("**Hold the other metrics at**")
    for mid in ids:
        st.slider(md(names[mid]), 0.0, 200.0, step=1.0, format="%.0f%%",
                  **state.bind(f"held_{mid}", ("ui", "held", mid), default=1.0, to_widget=state.pct_in,
                               from_widget=state.pct_out))
held = {mid: float(state.ui("held").get(mid, 1.0)) for mid in ids}

st.subheader("The whole plan along one metric")
metric = st.selectbox("Vary", ids, format_func=names.get,
                      **state.bind("sweep_metric", ("ui", "sweep_metric"), default=ids[0]))
metric = metric if metric in ids else ids[0]
others = ", ".join(f"{names[m]} {held[m]:.0%}" for m in ids if m != metric)
st.caption(f"Others held at: {md(others) or 'none'} (attainment; change them in the sidebar).")
series = {"total": "Total payout", **{c.id: f"{c.name or c.id} (weighted)" for c in plan.components}}
sweep_rows = chart_cache.memo("sweep", [pk, metric, held],
                              lambda: charts.sweep_rows(explore.sweep(plan, metric, held), series))
chart_cache.chart(charts.sweep_chart, list(series.values()), names[metric], key="curves_sweep",
                  cache_key=[list(series.values()), names[metric]], datasets={"sweep": sweep_rows})

st.subheader("Two metrics at once")
if len(ids) < 2:
    st.caption("The heatmap needs a plan with two metrics or more.")
else:
    a, b = st.columns(2)
    x = a.selectbox("Across", ids, format_func=names.get, **state.bind("heat_x", ("ui", "heat_x"), default=ids[0]))
    y_opts = [m for m in ids if m != x]
    y = b.selectbox("Up", y_opts, format_func=names.get,
                    **state.bind("heat_y", ("ui", "heat_y"),
                                 default=y_opts[0] if state.ui("heat_y") not in y_opts else state.ui("heat_y")))
    if state.ui("heat_y") not in y_opts:
        y = y_opts[0]
    gates = [g for g in plan.gates if g.metric in (x, y)]
    st.caption("Colour is the total payout; a sharp colour edge is a gate or a threshold."
               + (f" Gates here: {len(gates)}." if gates else ""))
    rows, domain = chart_cache.memo("heatmap", [pk, x, y, held],
                                    lambda: charts.heatmap_rows(explore.heatmap(plan, x, y, held, n=41)))
    chart_cache.chart(charts.heatmap_chart, names[x], names[y], domain, key="curves_heatmap",
                      cache_key=[names[x], names[y], domain],
                      datasets={"heat": rows})

# ---------------------------------------------------------------- calculator
st.subheader("What would someone earn?")
plan_id = state.plan_id()
cols = st.columns(min(len(ids), 4) + 1)
actuals = {}
for i, m in enumerate(plan.metrics):
    with cols[i % (len(cols) - 1)]:
        label, kw, actual = plan_editing.actual_binding(m)
        st.number_input(md(label), min_value=0.0, format="%.4g", **kw,
                        help=f"Target {md(units.format_value(m.target, m.unit))}; "
                             f"{'lower' if m.direction == 'lower' else 'higher'} is better.")
        actuals[m.id] = actual
with cols[-1]:
    st.number_input("Base salary a year", min_value=0.0, step=1000.0, format="%.0f",
                    help="Starts at the salary of the middle person on this plan's roster.",
                    **calculator.salary_binding(plan_id))
e = explore.earnings(plan, actuals, calculator.salary(plan_id))
m1, m2, m3 = st.container(key="calc_result").columns(3)
m1.metric(f"Payout this {plan.period}", charts.money(e.money))
m2.metric("Of target incentive", charts.pct(e.total, 1))
m3.metric(f"Target incentive per {plan.period}", charts.money(e.target_per_period))
st.dataframe(calculator.earnings_table(plan, e), hide_index=True, width="stretch", key="calc_table")
if e.multiplier != 1.0:
    st.caption(f"Plan multiplier applied: x{e.multiplier:.3g}.")
for line in e.gates_fired:
    st.warning(f"Gate fired: {md(line)}.", icon=":material/block:")
if not e.gates_fired and plan.gates:
    st.caption("No gate fired.")
if plan.cap is not None and e.total >= plan.cap - TOLERANCE:
    st.caption(f"The plan cap of {charts.pct(plan.cap)} applies.")
