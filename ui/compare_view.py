"""The Scenarios page's comparison charts: payout curves plan by plan, and the costs; their specs cached.

Two orgs compared in one chart drew every plan of every scenario (eight lines, eight legend entries that
Streamlit's theme cut to the same words). Plans are matched by id across the scenarios (a renamed plan is
the same plan), one plan is shown at a time (picked by id, its key names the comparison), and the legend
holds the scenarios only.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from compcore.plan.schema import dump_plan
from compcore.report.compare import combined_curves, cost_histograms, plan_names, plans_by_id
from compcore.simulation.scenario import dump_scenario
from ui import charts
from ui.charts.cache import lazy_chart
from ui.state import bind
from ui.text import md

__all__ = ["costs", "curves"]


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
    # the spec is cached under the plans as JSON: a rerun neither computes the curves nor rebuilds the chart
    ck = ["cmp_curves", [(label, dump_plan(p)) for label, p in plans.items()]]
    lazy_chart(charts.curves_overlay, lambda: (combined_curves(plans), list(plans)), key="cmp_curves", cache_key=ck)


def costs(scenarios: dict[str, Any], sims: dict[str, Any], trials: int, seed: int) -> None:
    """The compared scenarios' cost distributions on common bins, with their budgets; the spec cached under the
    scenarios (as JSON), trials and seed, so a rerun rebuilds nothing."""
    ck = ["cmp_costs", [(label, dump_scenario(s)) for label, s in scenarios.items()], trials, seed]
    period = next(iter(scenarios.values())).period
    lazy_chart(charts.costs_overlay, lambda: (cost_histograms(sims), list(scenarios),
                                              {k: s.budget for k, s in scenarios.items()}, f"Cost per {period}"),
               key="cmp_costs", cache_key=ck)
