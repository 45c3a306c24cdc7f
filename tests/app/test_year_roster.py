"""Roster dates on the Cost page: the year's start, join and leave dates kept through edits, proration shown."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from compcore import load_scenario
from tests.app.conftest import page, run_ok

ORG = "sample_data/scenarios/cs_org_teams.json"


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the org


def test_the_roster_editor_keeps_join_and_leave_dates() -> None:
    from ui import simulation_state, state

    scn = load_scenario(ORG)
    rows = [r.model_dump(mode="json", exclude_none=True) for r in scn.roster]
    labels = simulation_state.plan_labels({pid: {"name": p.name} for pid, p in scn.plans.items()})
    shown = simulation_state.roster_rows(rows, labels)
    assert shown[-1]["start"] == date(2027, 7, 1) and shown[0]["start"] is None
    assert simulation_state.roster_from_rows(shown, labels) == rows
    # an edit of another cell keeps the dates; a date typed in the editor (ISO text) is written as one
    delta = {"edited_rows": {0: {"headcount": 2, "end": "2027-09-30T00:00:00"}}, "added_rows": [], "deleted_rows": []}
    back = simulation_state.roster_from_rows(state.apply_delta(shown, delta), labels)
    assert back[0]["end"] == "2027-09-30" and back[0]["headcount"] == 2
    assert back[-1]["start"] == "2027-07-01"


def test_the_cost_page_shows_the_year_start_and_who_is_paid_for_part_of_it() -> None:
    at = AppTest.from_file(page("cost_simulation"), default_timeout=120)
    at.session_state["cost_inputs"] = "Roster"  # the Roster tab open: only the open tab is drawn
    run_ok(at, 120)
    assert at.date_input(key="year_start").value == date(2027, 1, 1)
    table = next(t.value for t in at.table if "Share of the year" in t.value.columns)
    assert list(table["Role"]) == ["Implementation Consultant", "Customer Success Manager"]
    assert table["Q3"].tolist() == ["100%", "100%"] and table["Q2"].iloc[1] == "0%"
    assert table["Share of the year"].iloc[1] == "50%"  # from 1 July: Q3 and Q4
    # clearing the year's start with dates in the roster: a problem next to the field, the last valid year stays
    at.date_input(key="year_start").set_value(None)
    run_ok(at, 120)
    assert any("year_start" in e.value or "needed because" in e.value for e in at.error)
    assert at.session_state["scenario_valid"].year_start == date(2027, 1, 1)
