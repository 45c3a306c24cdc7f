"""Targets from data: CS records -> a metric's history -> a plan target, an assumption, a persistence; a back-test.

One meaning per control: a plan metric's target, assumption and persistence are set only from the history
of the metric's own definition; otherwise the page says so and offers to show that definition or to
measure the metric by the one explored (renaming it), never writing a number across definitions.
"""

from __future__ import annotations

import streamlit as st

from ui import page, state
from ui import targets_state as ts
from ui import targets_use as use
from ui import targets_view as view
from ui.core import (
    PlanError,
    definition_mismatch,
    metric_definition,
    scope_by,
    short_name,
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


# ---------------------------------------------------------------- 3. use it in the plan
with st.container(border=True, key="tfd_use"):
    st.subheader("3. Use it in the plan")
    view.plan_picker()
    st.selectbox("Plan metric", ids, format_func=names.get,
                 **ts.bind(f"tfd_plan_metric_{pid}", ts.plan_metric_path(), default=mid, options=ids))
    own = metric_definition(m)
    st.caption(f"{md(m.name)} is a **{m.scope}** metric paid every **{plan.period}**, measured as: "
               + (md(short_name(own)) if own else "not from CS records") + ". Its targets and fits use "
               f"{plan.period}ly values by **{scope_by(m.scope)}**, complete periods only.")
    if mismatch:
        view.mismatch(m, spec, mismatch)
    else:
        use.use_history(scn, plan, m, spec, share)
    state.show_problems(f"assumptions.{mid}")

with st.container(border=True):
    st.subheader("4. Back-test: what the current plan would have paid")
    view.backtest(plan, mid)
