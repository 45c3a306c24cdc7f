"""The Scenarios page's "Who wins, who loses": two scenarios on common random numbers, and on history.

One call from the page, :func:`section`. The maths is compcore's (:func:`compcore.simulation.impact.impact`,
:mod:`compcore.report.impact`, :mod:`compcore.report.impact_history`); this module picks the two
scenarios, caches what they cost to compute and draws the tables.

Caching (the policy of :mod:`ui.lru`): impacts are keyed on both scenarios' JSON, trials and seed;
back-tests on both scenarios' JSON, the records in use and the metric mapping; the metric histories of
the records are shared by every back-test of the same records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from compcore.errors import PlanError
from compcore.report.impact import cost_sentence, plan_table, who_sentence, who_table
from compcore.report.impact_history import history_impact, history_sentence
from compcore.simulation.impact import Impact, impact
from compcore.simulation.scenario import Scenario, dump_scenario
from ui import charts, state, targets_state
from ui.lru import Lru
from ui.text import md

__all__ = ["cached_history", "cached_impact", "cached_view", "section"]

#: the keys of this section's widgets (each only identifies its widget)
KEY_HISTORY = "impact_history"


@st.cache_resource(show_spinner=False)
def _impacts() -> Lru:
    return Lru(4)  # two simulations each; a meeting flips between a few pairs


@st.cache_resource(show_spinner=False)
def _histories() -> Lru:
    return Lru(4)


def _key(*parts: Any) -> str:
    return json.dumps(parts, sort_keys=True, default=str)


def cached_impact(before: Scenario, after: Scenario, trials: int, seed: int) -> Impact:
    """``impact(before, after, trials, seed)``, cached on the scenarios' content."""
    key = _key(dump_scenario(before), dump_scenario(after), trials, seed)
    hit = _impacts().get(key)
    if hit is None:
        hit = impact(before, after, trials=trials, seed=seed)
        _impacts().put(key, hit)
    return hit


def _history_frame(h: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Period": h["period"], "Team": h["team"], "Before (% of target)": _pct(h["payout_before"]),
        "After (% of target)": _pct(h["payout_after"]), "Change (points)": _points(h["change_points"]),
        "Paid before": _money(h["money_before"]), "Paid after": _money(h["money_after"]),
        "Difference": _money(h["money_change"], signed=True)})


def cached_history(before: Scenario, after: Scenario) -> tuple[str, pd.DataFrame]:
    """Both scenarios back-tested on the CS records in use (the Targets page's source and metric mapping):
    the sentence and the table, cached."""
    mapping = targets_state.tfd("mapping") or {}
    key = _key(dump_scenario(before), dump_scenario(after), targets_state.data_token(), mapping)
    hit = _histories().get(key)
    if hit is None:
        h = history_impact(before, after, targets_state.cs_data(), mapping)
        hit = (history_sentence(h), _history_frame(h))
        _histories().put(key, hit)
    return hit


def _pct(x: pd.Series) -> list[str]:
    """Fractions as "94.4%"; a missing value (one side only, a gap in the records) as an empty cell."""
    return ["" if pd.isna(v) else charts.pct(float(v), 1) for v in x]


def _points(x: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else "0.0" if round(float(v), 1) == 0 else f"{float(v):+.1f}" for v in x]


def _money(x: pd.Series, signed: bool = False) -> list[str]:
    return ["" if pd.isna(v) else ("+" if signed and v > 0.5 else "") + charts.money(float(v)) for v in x]


def _who_frame(imp: Impact) -> pd.DataFrame:
    t = who_table(imp)
    moved = t["plan_before"] != t["plan_after"]
    plan = [a if not m else f"{b or '—'} → {a or '—'}" for a, b, m in zip(t["plan_after"], t["plan_before"], moved,
                                                                           strict=True)]
    return pd.DataFrame({
        "Team": t["team"], "Role": t["role"], "People": t["people"],
        "Before": _pct(t["expected_before"]), "After": _pct(t["expected_after"]),
        "Change (points)": _points(t["change_points"]),
        "At target before": _pct(t["p_at_target_before"]), "At target after": _pct(t["p_at_target_after"]),
        # the plan last: a long name never pushes the numbers off the screen
        "Cost change": _money(t["cost_change"], signed=True), "Plan": plan,
    })


@dataclass(frozen=True)
class _View:
    """What the section shows of one impact, computed once (a rerun only draws it)."""

    who: str
    cost: str
    table: pd.DataFrame
    plans: pd.DataFrame


def _view(imp: Impact, period: str) -> _View:
    p = plan_table(imp)
    p.loc[len(p)] = ["Total", imp.before.expected, imp.after.expected, imp.expected_change,
                     *(float(x) for x in imp.quantile([0.1, 0.9]))]
    plans = pd.DataFrame({"Plan": p["plan"], "Before": _money(p["cost_before"]), "After": _money(p["cost_after"]),
                          **{label: _money(p[col], signed=True) for label, col in (
                              ("Change", "change"), ("Change P10", "change_p10"), ("Change P90", "change_p90"))}})
    return _View(who_sentence(imp), cost_sentence(imp, period), _who_frame(imp), plans)


def cached_view(before: Scenario, after: Scenario, trials: int, seed: int) -> _View:
    """The section's sentences and tables for ``impact(before, after, trials, seed)``, cached with it."""
    key = _key("view", dump_scenario(before), dump_scenario(after), trials, seed)
    hit = _impacts().get(key)
    if hit is None:
        hit = _view(cached_impact(before, after, trials, seed), before.period)
        _impacts().put(key, hit)
    return hit


def _draw_who(view: _View, period: str) -> None:
    st.markdown(f"**{md(view.who)}**")
    st.markdown(md(view.cost))
    frame = view.table
    st.container(key="impact_who").dataframe(frame, hide_index=True, width="stretch",
                                             height=35 * (len(frame) + 1) + 3)
    st.caption(f"Before / After: expected payout as % of target incentive over the simulated {period}s, per "
               f"person; At target: the chance of being paid at least 100% of target in a {period}; the cost "
               f"change is the expected change per {period}. Biggest losers first.")
    st.markdown(f"**Cost per {period} by plan**")
    st.container(key="impact_plans").dataframe(view.plans, hide_index=True, width="stretch")
    st.caption(f"The change is a distribution too: P10 and P90 of after − before over the same simulated {period}s.")


def _draw_history(before: Scenario, after: Scenario) -> None:
    try:
        with st.spinner("Back-testing both scenarios on the CS records…"):
            sentence, shown = cached_history(before, after)
    except PlanError as e:
        st.error(md(e))
        return
    st.markdown(md(sentence))
    st.container(key="impact_history_table").dataframe(shown, hide_index=True, width="stretch")
    st.caption("What each plan would have paid each team in each past period of the CS records in use (the "
               "Targets page's data and metric definitions). An empty cell: a value the records lack, never 0.")


def section(scenarios: dict[str, Scenario], labels: dict[str, str] | None = None) -> None:
    """The "Who wins, who loses" section for any two of ``scenarios`` (id -> scenario; ``labels``: id -> the
    name shown, the ids themselves when not given). The picks are stored by id (``ui.impact_before``,
    ``ui.impact_after``), so a label a browser sends back is never taken for a scenario."""
    st.subheader("Who wins, who loses")
    ids = list(scenarios)
    if len(ids) < 2:
        st.caption("Choose two scenarios above to see who gains and who loses from one to the other.")
        return
    names = {i: (labels or {}).get(i, str(i)) for i in ids}  # a plain mapping: the format is fixed when drawn
    a, b = st.columns(2)
    for col, label, name, default in ((a, "Before", "impact_before", ids[0]), (b, "After", "impact_after", ids[1])):
        col.selectbox(label, ids, format_func=lambda i: names.get(i, str(i)),
                      **state.bind(name, ("ui", name), default=default, options=ids))
    before, after = (got if (got := state.ui(name)) in ids else default
                     for name, default in (("impact_before", ids[0]), ("impact_after", ids[1])))
    if before == after:
        st.caption("Pick two different scenarios.")
        return
    trials, seed = int(state.ui("trials")), int(state.ui("seed"))
    with st.spinner("Simulating both on the same draws…"):
        view = cached_view(scenarios[before], scenarios[after], trials, seed)
    period = scenarios[before].period
    st.caption(f"Both simulated on the same {trials:,} draws (seed {seed}): the difference is the change, "
               "not noise.")
    _draw_who(view, period)
    if st.toggle("Also on history: back-test both on the CS records", key=KEY_HISTORY):
        _draw_history(scenarios[before], scenarios[after])
