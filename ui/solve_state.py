"""The Cost simulation page's "Solve for a budget" section: the knob and goal widgets, solve, apply, undo.

The solve re-prices the page's cached draws (same trials and seed as the
histogram above it), so it costs re-pricings only. Its answer is kept in
``K_SOLVE`` with a key of what was solved (plan, draws, knob, goal, budget);
when any of those changes the answer is no longer shown. "Apply" writes the one
number into the scenario as typed (nothing else the user typed changes): an
edit like any other, so the app's undo (:mod:`ui.history`) takes it back; the
section offers that Undo while the applied answer is still the last edit.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from compcore.errors import PlanError
from compcore.simulation.knobs import SCALE_KNOB, Knob, knobs, parse_path, scale_target_incentive
from compcore.simulation.solve import Solution, measure_at, solve
from compcore.simulation.solve_view import (
    GOAL_KINDS,
    CurveView,
    answer_lines,
    cost_pair,
    frontier_frame,
    frontier_values,
    goal_words,
    knob_curves,
)
from ui import charts, history
from ui.charts import CURRENCY, pct
from ui.charts import cache as chart_cache
from ui.session import K_SCENARIO, K_SOLVE
from ui.simulation_state import cached_draws, sim_key
from ui.state import bind, draft, revalidate, set_ui, set_value_at, ui, valid
from ui.text import md

__all__ = ["GOAL_KINDS", "amount_binding", "amount_label", "answer", "apply_binding", "error", "flash", "solve_binding",
           "goal", "goal_binding", "goal_words", "knob_binding", "knob_options", "plain", "undo_binding",
           "section", "undo_label", "view"]

def plain(text: str) -> str:
    """Text shown as typed, never as markdown (the app's one escaping rule, :func:`ui.text.md`)."""
    return md(text)


def _store() -> dict[str, Any]:
    return st.session_state.setdefault(K_SOLVE, {})


# ---------------------------------------------------------------- widgets


def knob_options() -> list[Knob]:
    """Every number of the valid scenario's plan(s) a solve can move, labelled in words (once per scenario)."""
    return chart_cache.memo("knobs", chart_cache.scenario_key(), lambda: knobs(valid()))


def knob_binding(options: list[Knob]) -> dict[str, Any]:
    """Kwargs of the "Solve for" selectbox (options: knob paths); a knob no longer in the plan falls back."""
    paths = [k.path for k in options]
    if ui("solve_knob") not in paths:
        # an org: every plan's target incentive by one factor (the org-wide answer); one plan: its target incentive
        preferred = [p for p in paths if p == SCALE_KNOB or p.endswith("target_incentive.percent_of_base")]
        set_ui("solve_knob", (preferred or paths)[0])
    return bind("solve_knob", ("ui", "solve_knob"))


def goal_binding() -> dict[str, Any]:
    return bind("solve_goal", ("ui", "solve_goal"), default="p_over_budget")


def _kind() -> str:
    kind = ui("solve_goal") or "p_over_budget"
    return kind if kind in GOAL_KINDS else "p_over_budget"


def amount_label() -> str:
    """The label of the goal's number, in the unit it is typed in."""
    period = valid().period
    return {"p_over_budget": "Chance, at most (%)", "expected_cost": f"Expected cost per {period} ({CURRENCY})",
            "quantile": f"P90 cost per {period} ({CURRENCY})"}[_kind()]


def _default_amount(kind: str) -> float:
    if kind == "p_over_budget":
        return 10.0
    budget = valid().budget
    return float(budget) if budget else round(valid().per_period_target, -3)


def amount_binding() -> dict[str, Any]:
    """Kwargs of the goal's number input: a percent for P(over budget), money otherwise."""
    kind = _kind()
    kw = bind(f"solve_amount_{kind}", ("ui", f"solve_amount_{kind}"), default=_default_amount(kind))
    if kind == "p_over_budget":
        return {**kw, "min_value": 0.0, "max_value": 99.9, "step": 1.0, "format": "%.4g"}
    return {**kw, "min_value": 0.0, "step": 1000.0, "format": "%.0f"}


def goal() -> dict[str, float]:
    """The goal the widgets say, as :func:`compcore.solve` takes it."""
    kind = _kind()
    amount = ui(f"solve_amount_{kind}")
    amount = _default_amount(kind) if amount is None else float(amount)
    if kind == "p_over_budget":
        return {"p_over_budget": amount / 100}
    if kind == "expected_cost":
        return {"expected_cost": amount}
    return {"quantile": 0.9, "cost": amount}


# ---------------------------------------------------------------- solve, apply, undo


def _request() -> str:
    """What an answer depends on: the plan and the draws (``sim_key``), the budget, the knob and the goal."""
    return sim_key() + json.dumps([valid().budget, ui("solve_knob"), goal()], sort_keys=True)


def _run() -> None:
    scn = valid()
    knob, g = ui("solve_knob"), goal()
    store = _store()
    store.update(key=_request(), solution=None, frontier=None, view=None, error=None, flash=None)
    try:
        draws = cached_draws(scn, int(ui("trials")), int(ui("seed")))
        sol = solve(scn, knob, g, draws=draws)
        store["frontier"] = frontier_frame(measure_at(scn, knob, g, frontier_values(sol), draws), sol)
        store["solution"] = sol
    except PlanError as e:
        store["error"] = str(e)


def solve_binding() -> dict[str, Any]:
    return {"key": "solve_run", "on_click": _run}


def _current() -> dict[str, Any] | None:
    store = _store()
    return store if store.get("key") == _request() else None


def answer() -> tuple[Solution, pd.DataFrame] | None:
    """The answer for the knob and goal on screen, or None (not solved yet, or something changed since)."""
    cur = _current()
    if cur is None or cur.get("solution") is None:
        return None
    return cur["solution"], cur["frontier"]


@dataclass(frozen=True)
class AnswerView:
    """What the page draws for an answer (built once per answer): sentences and the three charts' data."""

    key: str                 # a cache key for the charts
    solution: Solution
    lines: list[str]         # the answer in sentences (plain text: escape before markdown)
    hist: pd.DataFrame       # cost before / after on the same bins
    curve: CurveView         # the curve the knob changes, before / after
    frontier: pd.DataFrame   # the goal's measure across the knob's range, now and the answer marked
    x_title: str             # the knob in words, with its unit
    y_title: str             # the goal's measure


def view() -> AnswerView | None:
    """The answer on screen as sentences and chart data, or None."""
    cur = _current()
    if cur is None or cur.get("solution") is None:
        return None
    if cur.get("view") is None:
        sol = cur["solution"]
        name = sol.goal.measure_name
        cur["view"] = AnswerView(
            key=cur["key"] + "|solve", solution=sol, lines=answer_lines(sol, valid().period, CURRENCY),
            hist=cost_pair(sol.base.cost, sol.sim.cost), curve=knob_curves(sol), frontier=cur["frontier"],
            x_title=sol.knob.label if sol.knob.kind != "number" or not sol.knob.unit else
            f"{sol.knob.label} ({sol.knob.unit})",
            y_title=name[0].upper() + name[1:])
    return cur["view"]


def error() -> str | None:
    """Why the last solve for these inputs found no answer (a goal out of reach, ...), or None."""
    cur = _current()
    return None if cur is None else cur.get("error")


def flash() -> str | None:
    """What the last Apply or Undo did."""
    return _store().get("flash")


def _apply() -> None:
    hit = answer()
    if hit is None:
        return
    sol = hit[0]
    try:
        if sol.knob.path == SCALE_KNOB:  # every plan's target incentive and every roster override, as typed
            scaled = scale_target_incentive(draft(), sol.value)
            draft().update(scaled)
        else:
            set_value_at((K_SCENARIO, *parse_path(sol.knob.path)), sol.value)
    except (KeyError, IndexError, TypeError):
        _store()["flash"] = "The plan changed since this answer; solve again."
        return
    revalidate()
    k, c = sol.knob, CURRENCY
    if k.path == SCALE_KNOB:
        flash = (f"Applied: every plan's target incentive and every roster override is now {pct(sol.value)} of what "
                 "it was.")
        undo = "Undo: every plan's target incentive back to what it was"
    else:
        flash = f"Applied: {k.label} is now {k.phrase(sol.value, c)} (was {k.phrase(k.value, c)})."
        undo = f"Undo: {k.label} back to {k.phrase(k.value, c)}"
    _store().update(key=None, flash=flash, applied={"draft": copy.deepcopy(draft()), "label": undo})


def apply_binding() -> dict[str, Any]:
    return {"key": "solve_apply", "on_click": _apply}


def undo_label() -> str | None:
    """The Undo button's words while the applied answer is still the last edit, else None."""
    applied = _store().get("applied")
    if not applied or applied["draft"] != draft() or not history.can_undo():
        return None
    return applied["label"]


def _undo_last() -> None:
    applied = _store().pop("applied", None)
    history.undo()
    if applied:
        _store()["flash"] = applied["label"].replace("Undo: ", "Undone: ", 1) + "."


def undo_binding() -> dict[str, Any]:
    return {"key": "solve_undo_button", "on_click": _undo_last}


# ---------------------------------------------------------------- the section, drawn


def section(trials: int) -> None:
    """The Cost page's "Solve for a budget" section: the knob and goal, Solve, the answer with Apply and its
    three charts, Undo."""
    period = valid().period
    st.subheader("Solve for a budget")
    st.caption("Pick one number of the plan (or every plan's target incentive at once) and a cost goal: the app "
               f"tries values of that number on the same {trials:,} simulated {period}s and finds the one that "
               "meets the goal.")
    options = knob_options()
    labels = {o.path: o.label for o in options}
    s1, s2, s3, s4 = st.columns([3, 2.4, 1.4, 0.8], vertical_alignment="bottom")
    s1.selectbox("Solve for", list(labels), format_func=labels.get, **knob_binding(options))
    s2.selectbox("Goal", GOAL_KINDS, format_func=lambda g: goal_words(g, period), **goal_binding())
    s3.number_input(amount_label(), **amount_binding())
    s4.button("Solve", type="primary", **solve_binding())
    if flash():
        st.caption(plain(flash()))
    if error():
        st.error(plain(error()), icon=":material/block:")
    answer = view()
    if answer is not None:
        _answer(answer, period)
    if undo_label():
        st.button(plain(undo_label()), icon=":material/undo:", **undo_binding())


def _answer(answer: AnswerView, period: str) -> None:
    with st.container(key="solve_answer", border=True):
        for line in answer.lines:
            st.markdown(plain(line))
        a1, a2 = st.columns([1, 3])
        a1.button("Apply to the plan", type="primary", **apply_binding())
        a2.caption("Apply writes this answer into the plan (every plan for the org-wide factor); Undo puts it back.")
    h1, h2, h3 = st.columns(3)
    with h1:
        st.markdown(f"**Cost per {period}**, now and with the answer")
        chart_cache.chart(charts.cost_pair_chart, answer.hist, answer.solution.sim.budget, key="solve_hist",
                          cache_key=answer.key)
    with h2:
        st.markdown(f"**{plain(answer.curve.title)}**")
        chart_cache.chart(charts.curve_pair_chart, answer.curve.frame, answer.curve.x_title, answer.curve.y_title,
                          answer.curve.y_money, key="solve_curve", cache_key=answer.key)
    with h3:
        st.markdown(f"**{plain(answer.y_title)} across the range**")
        knob = answer.solution.knob
        chart_cache.chart(charts.frontier_chart, answer.frontier, answer.x_title, knob.kind == "percent",
                          knob.kind == "money", answer.y_title, answer.solution.goal.kind == "p_over_budget",
                          answer.solution.goal.target, key="solve_frontier", cache_key=answer.key)
