"""The Plan designer's "Paid over the year": the plan's schedule, one sentence per rule, and a worked year.

:func:`render` draws it for the plan being edited: how the periods are measured, the holdback, the cap per
period and the year end, each with what it means, then four quarters (or two halves, or twelve months) of
example actuals the leader can edit and what each period and the year end pay (:func:`compcore.plan.year.
year_table`). Widget keys name the plan; the example actuals are view state (``ui.year_actuals``), not
part of the plan.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from compcore.errors import PlanError
from compcore.plan.schedule import MEASURE_WORDS, YEAR_END_WORDS
from compcore.plan.units import from_typed, in_percent, to_typed
from compcore.plan.year import example_year, year_table
from compcore.simulation.calendar import period_labels
from ui import calculator
from ui.charts.base import money, pct
from ui.session import K_UI
from ui.state import bind, bind_editor, pct_in, pct_out, plan_id, plan_path, plan_prefix, show_problems, valid_plan
from ui.text import md

__all__ = ["render"]

MEASURES = ("period", "year_to_date")
YEAR_ENDS = ("none", "true_up", "true_up_and_clawback")


def measure_label(measure: str, period: str) -> str:
    return f"Each {period} on its own" if measure == "period" else "Year to date, with catch-up"


YEAR_END_LABELS = {"none": "Nothing more", "true_up": "True-up", "true_up_and_clawback": "True-up with clawback"}


def _choice(options: tuple[str, ...]) -> Any:
    return lambda v: v if v in options else options[0]


def _percent_or_none(v: Any) -> Any:
    return None if v is None else pct_out(v)


def schedule_bindings(pid: str) -> dict[str, dict[str, Any]]:
    """Kwargs of the four schedule widgets of plan ``pid`` (keys name the plan)."""
    return {
        "measure": bind(f"{pid}_schedule_measure", plan_path("schedule", "measure"), default="period",
                        to_widget=_choice(MEASURES), options=MEASURES),
        "holdback": bind(f"{pid}_schedule_holdback", plan_path("schedule", "holdback"), default=0.0,
                         to_widget=pct_in, from_widget=lambda v: pct_out(v or 0.0)),
        "cap": bind(f"{pid}_schedule_cap", plan_path("schedule", "period_cap"), to_widget=pct_in,
                    from_widget=_percent_or_none),
        "year_end": bind(f"{pid}_schedule_year_end", plan_path("schedule", "year_end"), default="none",
                         to_widget=_choice(YEAR_ENDS), options=YEAR_ENDS),
    }


# ---------------------------------------------------------------- the worked year


def _stored(plan: Any, value: Any) -> list[dict[str, float]]:
    """The example actuals kept for this plan, or the example year when none (or stale ones) are kept."""
    example = example_year(plan)
    if not isinstance(value, dict):
        return example
    out = []
    for t, default in enumerate(example):
        row = {}
        for m in plan.metrics:
            vals = value.get(m.id)
            v = vals[t] if isinstance(vals, list) and len(vals) == len(example) else None
            row[m.id] = float(v) if isinstance(v, int | float) and not isinstance(v, bool) else default[m.id]
        out.append(row)
    return out


def _rows(plan: Any, labels: list[str]) -> Any:
    def to_rows(value: Any) -> list[dict[str, Any]]:
        year = _stored(plan, value)
        return [{"metric": m.name, **{lab: to_typed(year[t][m.id], m.unit) for t, lab in enumerate(labels)}}
                for m in plan.metrics]
    return to_rows


def _number(value: Any, unit: str) -> float | None:
    """A typed cell in the metric's units; anything that is not a finite number is None (the example's
    value is shown again)."""
    try:
        out = from_typed(value, unit)
    except (TypeError, ValueError):
        return None
    return out if out is not None and math.isfinite(out) else None


def _from_rows(plan: Any, labels: list[str]) -> Any:
    def from_rows(rows: list[dict[str, Any]]) -> dict[str, list[float | None]]:
        out: dict[str, list[float | None]] = {}
        for m, row in zip(plan.metrics, rows, strict=False):
            out[m.id] = [_number(row.get(lab), m.unit) for lab in labels]
        return out
    return from_rows


def worked_year_editor(plan: Any) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """Rows, kwargs and column settings of the example actuals editor (one row per metric, a column per period)."""
    labels = period_labels(plan.period)
    pid = plan_id()
    rows, kw = bind_editor(f"{pid}_worked_year", (K_UI, "year_actuals", pid), _rows(plan, labels),
                           _from_rows(plan, labels))
    # the metric's name narrow and the periods small, so that four quarters fit a 390 px phone
    cols: dict[str, Any] = {"metric": st.column_config.TextColumn("Metric", disabled=True, width="small")}
    for lab in labels:
        cols[lab] = st.column_config.NumberColumn(lab, format="%.4g", required=True, width="small")
    return rows, kw, cols


def worked_year(plan: Any, salary: float | None = None) -> pd.DataFrame:
    """What the example year pays: per period end and the year end, as % of a period's target and in money."""
    year = _stored(plan, st.session_state[K_UI].get("year_actuals", {}).get(plan_id()))
    table = year_table(plan, year, labels=period_labels(plan.period))
    target = None if salary is None else float(plan.period_target_incentive(salary))
    out = pd.DataFrame({
        "Paid at": table["when"],
        "Payout measured": ["" if pd.isna(x) else pct(x) for x in table["fraction"]],
        "Earned so far": [pct(x) for x in table["earned"]],
        "Paid (share of a period's target)": [pct(x) for x in table["paid"]]})
    if target is not None:
        out[f"Paid on a {money(salary)} salary"] = [money(x * target) for x in table["paid"]]
    total = float(table["paid"].sum())
    out.loc[len(out)] = ["Total", "", "", pct(total), *([money(total * target)] if target is not None else [])]
    return out


def render(salary: float | None = None) -> None:
    """The "Paid over the year" section of the plan being edited (see the module docstring); money for
    ``salary``, by default the calculator's salary of the plan (its median person's, or the one typed)."""
    plan = valid_plan()
    pid, period = plan_id(), plan.period
    salary = calculator.salary(pid) if salary is None else salary
    b = schedule_bindings(pid)
    with st.container(key=f"{pid}_paid_over_the_year", border=True):
        st.subheader("Paid over the year")
        c1, c2 = st.columns(2)
        c1.radio("How each payment is measured", MEASURES, format_func=lambda m: measure_label(m, period),
                 **b["measure"])
        c1.caption(MEASURE_WORDS[plan.schedule.measure])
        c2.radio("At the year end", YEAR_ENDS, format_func=YEAR_END_LABELS.get, **b["year_end"])
        c2.caption(YEAR_END_WORDS[plan.schedule.year_end])
        c3, c4 = st.columns(2)
        c3.number_input("Held back to the year end (%)", min_value=0.0, max_value=100.0, step=5.0, format="%g",
                        **b["holdback"])
        c3.caption("The share of each payment kept until the year end (paid then, or used for the true-up).")
        c4.number_input(f"Most a {period} pays (% of its target)", min_value=0.0, step=10.0, format="%g",
                        placeholder="no cap", **b["cap"])
        c4.caption(f"Above it, a {period} pays nothing more; a true-up pays the rest at the year end.")
        show_problems(f"{plan_prefix()}.schedule")
        st.markdown(f"**A worked year** (example actuals for each {period}: edit them)")
        rows, kw, cols = worked_year_editor(plan)
        st.data_editor(rows, hide_index=True, width="stretch", column_config=cols, **kw)
        try:
            st.dataframe(worked_year(plan, salary), hide_index=True, width="stretch")
        except (PlanError, ValueError) as e:  # compcore's errors in words (an actual left empty)
            st.caption(md(f"The worked year needs every actual: {e}"))
        if any(in_percent(m.unit) for m in plan.metrics):
            st.caption("Shares are typed in percent (90 = 90%).")
