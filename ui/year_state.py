"""The plan year in the app: roster dates, the year's start, the cached year's draws and its pricing.

Pages call these for widgets' kwargs and for what to draw; every session key lives in ui.session.
The year's draws are cached apart from the plans, like a period's (:mod:`ui.simulation_state`): they
depend on the assumptions (persistence included), correlations, roster (dates included), the year's
start, trials and seed. Each plan's priced year is cached on its own, so a plan edit re-prices only
the plan edited (:func:`compcore.simulation.year.price_plan_year`).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from compcore.plan.schema import dump_plan
from compcore.simulation.calendar import proration_table
from compcore.simulation.scenario import Scenario, dump_scenario
from ui.session import K_SCENARIO
from ui.state import bind, draft, valid

__all__ = ["date_cell", "date_text", "proration", "year_start_binding"]


def date_cell(value: Any) -> date | None:
    """A roster date as the data editor shows it (a date), None when blank or not a date (the text is kept
    by :func:`date_text` until it is fixed)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_text(value: Any) -> str | None:
    """A date from the data editor (a date, or the ISO text it sends) as the scenario's ``YYYY-MM-DD``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text[:10] if date_cell(text) is not None else text


def _year_start_in(value: Any) -> date | None:
    return date_cell(value)


def _year_start_out(value: Any) -> str | None:
    return date_text(value)


def year_start_binding() -> dict[str, Any]:
    """Kwargs for the "Year starts" date input (the scenario's ``year_start``; empty = none)."""
    return bind("year_start", (K_SCENARIO, "year_start"), to_widget=_year_start_in, from_widget=_year_start_out)


def proration() -> pd.DataFrame:
    """The roster rows that join or leave during the year, with the share of each period they are paid for."""
    return proration_table(valid())


def draws_inputs(scn: Scenario) -> dict[str, Any]:
    """What a year's draws depend on besides trials and seed (never the plans)."""
    data = dump_scenario(scn)
    return {"assumptions": data["assumptions"], "correlations": data.get("correlations", []),
            "roster": data["roster"], "scopes": {mid: m.scope for mid, m in scn.metrics.items()},
            "period": scn.period, "year_start": data.get("year_start")}


def plan_key(scn: Scenario, pid: str) -> str:
    return json.dumps(dump_plan(scn.plans[pid]), sort_keys=True)


def has_dates() -> bool:
    """True when a roster row of the draft has a start or end date."""
    return any(isinstance(r, dict) and (r.get("start") or r.get("end")) for r in draft().get("roster") or [])


def proration_columns() -> dict[str, Any]:
    """Column settings of the proration table (shares as %)."""
    scn = valid()
    labels = [c for c in proration_table(scn).columns if c not in ("team", "role", "headcount", "start", "end")]
    cols: dict[str, Any] = {"start": st.column_config.TextColumn("Joins on"),
                            "end": st.column_config.TextColumn("Leaves after")}
    for c in labels:
        cols[c] = st.column_config.ProgressColumn("Year" if c == "year" else c, format="percent", min_value=0.0,
                                                  max_value=1.0)
    return cols
