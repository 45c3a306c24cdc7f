"""The Cost page's Year view: what the plan year costs against the annual budget, and when the cash goes out.

Drawn by :func:`render` from the Cost page when its "Quarter | Year" switch is on Year. Every number comes
from :func:`ui.year_state.year_simulation` (the year's draws cached apart from the plans; an edited plan
re-prices its own year only). Names a person typed are shown as plain text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from compcore.errors import PlanError
from compcore.plan.explore import histogram_frame
from compcore.plan.schedule import schedule_sentences
from compcore.simulation.year import YearResult
from ui import state, year_state
from ui.charts import cache as chart_cache
from ui.charts.base import money, pct
from ui.charts.cost import budget_rows, cost_histogram, cost_histogram_data
from ui.charts.year import cash_chart, cash_data

__all__ = ["render"]


def _figures(yr: YearResult, period: str, ppy: int) -> None:
    with st.container(key="year_figures"):
        k = st.columns(5)
        over = "no budget" if yr.p_over_budget is None else pct(yr.p_over_budget, 1)
        k[0].metric("Expected cost of the year", money(yr.expected),
                    help=f"On-target cost of the year {money(yr.annual_target)} (everyone, for the time employed).")
        for col, q in zip(k[1:4], ("P10", "P50", "P90"), strict=True):
            col.metric(f"{q} of the year", money(yr.percentiles[q]))
        k[4].metric("Chance the year goes over", over)
        budget = "no annual budget" if yr.budget is None else f"the annual budget of {money(yr.budget)}"
        st.caption(f"Each trial is a whole year of {ppy} {period}s, paid by each plan's rules over the year "
                   f"(catch-up, holdback, year-end true-up), hires and leavers prorated; compared with {budget}. "
                   f"P90: 9 years in 10 cost less than {money(yr.percentiles['P90'])}.")


def _tables(yr: YearResult) -> dict[str, Any]:
    """Everything the Year view draws from ``yr`` besides its figures: chart rows and tables, worked out once per
    year (:func:`ui.year_state.year_key`) and shared; read-only."""
    scn = state.valid()
    bp = yr.by_period
    bins = histogram_frame(yr.cost, 50, hi=float(max(yr.cost.max(), yr.percentiles["P95"] * 1.15)))
    out: dict[str, Any] = {
        # the budget line is drawn per rerun (budget_rows): a budget edit does not rebuild these
        "hist": cost_histogram_data(bins, {q: yr.percentiles[q] for q in ("P10", "P50", "P90")}, None),
        "peak": float(bins["share"].max()) if len(bins) else 1.0,
        "cash": cash_data(bp),
        "cash_table": pd.DataFrame({"Paid at": bp["when"], "Expected": [money(x) for x in bp["expected"]],
                                    "P10": [money(x) for x in bp["p10"]], "P90": [money(x) for x in bp["p90"]]}),
        "settlement": None,
    }
    settle = yr.settlement
    if float(abs(settle).max()) != 0.0:
        lo = float(min(settle.min(), 0.0))
        qs = {q: float(v) for q, v in zip(("P10", "P50", "P90"), pd.Series(settle).quantile([0.1, 0.5, 0.9]),
                                          strict=True)}
        recovered = float((settle < 0).mean())
        out["settlement"] = (cost_histogram_data(histogram_frame(settle, 40, lo=lo), qs, None), recovered,
                             float(-settle[settle < 0].mean()) if recovered > 0 else 0.0)
    by_plan = yr.cost_by_plan
    out["plans"] = pd.DataFrame({
        "Plan": [yr.plan_names.get(p, p) for p in by_plan["plan"]], "People": by_plan["headcount"],
        "Target for the year": [money(x) for x in by_plan["target"]],
        "Expected cost": [money(x) for x in by_plan["expected_cost"]],
        "% of target": [pct(x) for x in by_plan["pct_of_target"]],
        "Paid at the year end": [money(x) for x in by_plan["expected_year_end"]],
        "Paid over the year": [" ".join(schedule_sentences(scn.plans[p].schedule)) for p in by_plan["plan"]]})
    f = yr.fairness
    out["fairness"] = pd.DataFrame({
        "Team": f["team"], "Plan": [yr.plan_names.get(p, p) for p in f["plan"]], "People": f["headcount"],
        "Reaches target for the year": [pct(x) for x in f["p_at_or_above_target"]],
        "Earns nothing": [pct(x) for x in f["p_zero"]],
        "Expected payout": [pct(x) for x in f["expected_payout"]],
        "P10-P90": [f"{pct(a)}-{pct(b)}" for a, b in zip(f["p10"], f["p90"], strict=True)]})
    return out


def _cash(yr: YearResult, view: dict[str, Any]) -> None:
    st.markdown("**Cash paid at each period end and at the year end** (expected, bars from P10 to P90)")
    chart_cache.chart(cash_chart, len(yr.when), key="year_cash", cache_key=["year_cash", len(yr.when)],
                      datasets=view["cash"])
    st.dataframe(view["cash_table"], hide_index=True, width="stretch")


def _settlement(view: dict[str, Any]) -> None:
    st.markdown("**The year-end settlement** (held-back money, true-ups; clawbacks below zero)")
    if view["settlement"] is None:
        st.caption("Nothing is paid at the year end: no plan holds money back or trues up.")
        return
    rows, recovered, clawback = view["settlement"]
    chart_cache.chart(cost_histogram, "Paid at the year end", key="year_settlement",
                      cache_key=["year_settlement"], datasets=rows)
    if recovered > 0:
        st.caption(f"In {pct(recovered, 1)} of years the year end recovers money (a clawback): on average "
                   f"{money(clawback)} in those years.")


def _plans(view: dict[str, Any]) -> None:
    st.markdown("**Each plan's year**")
    st.dataframe(view["plans"], hide_index=True, width="stretch")


def _fairness(view: dict[str, Any]) -> None:
    with st.container(key="year_fairness"):
        st.markdown("**Does every team have a fair chance over the year?** (per person-year, for the time employed)")
        st.dataframe(view["fairness"], hide_index=True, width="stretch")


def render() -> None:
    """The Year view: annual budget, the year's distribution and figures, cash by period, settlement, plans,
    fairness per person-year. A scenario too large for the session's memory says so and offers fewer trials."""
    scn = state.valid()
    period, ppy = scn.period, scn.periods_per_year
    trials, seed = int(state.ui("trials")), int(state.ui("seed"))
    default = "no budget" if scn.budget is None else f"{money(scn.budget * ppy)} ({ppy} x the {period} budget)"
    st.number_input("Annual budget", min_value=0.0, step=10_000.0, format="%.0f", placeholder=default,
                    **year_state.annual_budget_binding())
    state.show_problems("annual_budget")
    message = year_state.year_memory_message(scn, trials)
    if message is not None:
        st.warning(message)
        st.button(f"Run {year_state.fewer_year_trials(scn):,} trials", key="fewer_year_trials",
                  on_click=year_state.use_fewer_year_trials)
        return
    progress = None
    if not year_state.is_year_drawn(scn, trials, seed):
        bar = st.progress(0.0, text=f"Simulating {trials:,} years...")
        progress = lambda f: bar.progress(min(float(f), 1.0), text=f"Simulating {trials:,} years...")  # noqa: E731
    try:
        yr = year_state.year_simulation(progress)
    except PlanError as e:  # compcore's own errors only: said in words, never a traceback
        st.error(str(e).replace("trials: ", ""), icon=":material/block:")
        return
    if progress is not None:
        bar.empty()
    _figures(yr, period, ppy)
    view = chart_cache.memo("year_view", year_state.year_key(budgets=False), lambda: _tables(yr))
    chart_cache.chart(cost_histogram, "Cost of the year", key="year_hist", cache_key=["year_hist"],
                      datasets={**view["hist"], "budget": budget_rows(yr.budget, view["peak"])})
    _cash(yr, view)
    left, right = st.columns(2)
    with left:
        _settlement(view)
    with right:
        _fairness(view)
    _plans(view)
