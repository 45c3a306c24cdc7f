"""The Scenarios page's comparison charts that need a choice: payout curves plan by plan.

Two orgs compared in one chart drew every plan of every scenario (eight lines, eight legend entries that
Streamlit's theme cut to the same words). Plans are matched by id across the scenarios (a renamed plan is
the same plan), one plan is shown at a time (picked by id, its key names the comparison), and the legend
holds the scenarios only.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from compcore.report.compare import combined_curves, plan_names, plans_by_id
from ui import charts
from ui.state import bind
from ui.text import md

__all__ = ["curves"]


def curves(scenarios: dict[str, Any]) -> None:
    """Total payout of the compared scenarios, every metric at the same attainment; an org: one plan at a time."""
    by_id = plans_by_id(scenarios)
    names = plan_names([{pid: p.name for pid, p in s.plans.items()} for s in scenarios.values()])
    ids = list(by_id)
    pick = ids[0]
    if len(ids) > 1:
        pick = st.selectbox("Plan", ids, format_func=lambda i: names.get(i, i),
                            help="Plans are matched by id: a plan renamed in one scenario is still the same plan.",
                            **bind("cmp_plan", ("ui", "cmp_plan"), to_widget=lambda v: v if v in ids else ids[0]))
        pick = pick if pick in by_id else ids[0]
    plans = by_id[pick]
    missing = [label for label in scenarios if label not in plans]
    if missing:
        st.caption(md("Not in " + ", ".join(missing) + "."))  # scenario names are data: never markdown
    st.altair_chart(charts.curves_overlay(combined_curves(plans), list(plans)), width="stretch", key="cmp_curves")
