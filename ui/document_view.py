"""Pieces of the Plan document page (and its read-only HR view) that draw more than one element.

The page stays a list of sections; these are the ones with a rule: whether the simulation fits the
session's memory, the key cost figures with their words, where HR links are made, and how a person is
paid over the year. Every text from data goes through :func:`ui.text.md` or a static table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from compcore.report.words import figure_words
from compcore.report.year_document import has_year, worked_year, year_sentences, year_total
from compcore.simulation.scenario import Scenario
from ui import charts, saved, simulation_state, state
from ui.charts import cache as chart_cache
from ui.tables import static_table
from ui.text import md_lines

__all__ = ["key_figures", "share_with_hr", "simulation_fits", "year_line", "year_section"]


def simulation_fits(scn: Scenario, hr: bool) -> bool:
    """False (and a notice, or a button in the editor) when the trials would not fit the session's memory."""
    trials = int(state.ui("trials"))
    fit = simulation_state.fewer_trials(scn, trials)
    if fit and hr:
        simulation_state.use_fewer_trials()  # the HR view has no widgets: it simply runs what fits
        return True
    message = simulation_state.memory_message(scn, trials)
    if message is None:
        return True
    st.warning(message)
    if fit:
        st.button(f"Run {fit:,} trials", key="fewer_trials", on_click=simulation_state.use_fewer_trials)
    return False


def key_figures(sim: Any, period: str, budget: float | None, p_over: float | None, label: str = "Budget",
                over_label: str = "P(over budget)") -> None:
    """Expected cost, P10, P90, the budget and the chance of going over it, each with its words."""
    words = figure_words(period, budget, charts.CURRENCY)
    cols = st.columns(5)
    cols[0].metric("Expected cost", charts.money(sim.expected), help=words["Expected cost"].words)
    cols[1].metric(f"P10 (a cheap {period})", charts.money(sim.quantile(0.1)), help=words["P10"].words)
    cols[2].metric(f"P90 (a costly {period})", charts.money(sim.quantile(0.9)), help=words["P90"].words)
    cols[3].metric(label, charts.money(budget) if budget is not None else "none")
    shown = charts.pct(p_over, 1) if budget is not None and p_over is not None else "—"
    cols[4].metric(over_label, shown, help=words["P(over budget)"].words)


def share_with_hr(is_org: bool) -> None:
    """Where read-only links to this document are made (the Scenarios page, for a saved version)."""
    st.subheader("Share with HR")
    which = " An org's link opens the org summary, with a link to each plan's own document." if is_org else ""
    if saved.current_saved():
        st.caption("Make a read-only link to this saved version on the Scenarios page: it opens this document "
                   "and nothing else, with this session's trials and seed (the same numbers), can expire, and "
                   "can be revoked there at any time." + which)
    else:
        st.caption("Save the scenario on the Scenarios page, then make a read-only HR link to that version there.")


def year_line(plan: Any) -> str:
    """The plan's schedule in one line, for its box in the org summary ('' for a yearly plan)."""
    return "Over the year: " + " ".join(year_sentences(plan)) if has_year(plan) else ""


def year_section(plan: Any, salary: float, cache_key: Any = None) -> None:
    """'How you are paid over the year': the schedule in words and one person's worked year (not for a yearly
    plan: its worked examples are its year); ``cache_key`` (what ``plan`` and ``salary`` come from) keeps the
    worked year across reruns."""
    if not has_year(plan):
        return
    st.subheader("How you are paid over the year")
    st.markdown(md_lines(year_sentences(plan)))
    year = (chart_cache.memo("worked_year", cache_key, lambda: worked_year(plan, salary)) if cache_key is not None
            else worked_year(plan, salary))
    per = plan.period
    measured = "Year so far pays" if plan.schedule.measure == "year_to_date" else f"That {per} pays"
    shown = year.drop(columns=["measured", "paid_fraction", "paid"]).rename(columns={"when": "When"})
    shown[f"{measured} (% of target)"] = ["" if pd.isna(x) else charts.pct(x, 1) for x in year["measured"]]
    shown[f"Paid (% of a {per}'s target)"] = [charts.pct(x, 1) for x in year["paid_fraction"]]
    shown["Paid"] = [charts.money(x) for x in year["paid"]]
    st.caption(f"A worked year for a person on the average base salary ({charts.money(salary)}), with example "
               f"results: a slow first {per}, a strong one, one on target, one just short.")
    static_table(shown)
    money, targets = year_total(year)
    st.text(f"Over the year: {charts.money(money)}, {targets:.2f} {per}s' target incentive.")
