"""The designer's "Paid over the year": schedule widgets keyed by plan, a worked year priced by compcore."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import run_ok


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the org


def _section() -> None:
    from ui import page, year_designer

    page.setup()
    year_designer.render(100_000.0)


def _table(at: AppTest):
    return next(d.value for d in at.dataframe if "Paid at" in d.value.columns)


def _open() -> AppTest:
    return run_ok(AppTest.from_function(_section, default_timeout=120), 120)


def test_the_schedule_of_the_plan_being_edited_and_its_worked_year() -> None:
    at = _open()
    # the org's first plan (PMO): each quarter on its own, 25% held back, at most 100% a quarter, true-up
    assert at.radio(key="pmo_schedule_measure").value == "period"
    assert at.number_input(key="pmo_schedule_holdback").value == 25.0
    assert at.number_input(key="pmo_schedule_cap").value == 100.0
    assert at.radio(key="pmo_schedule_year_end").value == "true_up"
    table = _table(at)
    assert list(table["Paid at"]) == ["Q1", "Q2", "Q3", "Q4", "Year end", "Total"]
    # switch to year to date: written to the plan (by id), the worked year re-priced
    at.radio(key="pmo_schedule_measure").set_value("year_to_date")
    run_ok(at)
    plan = at.session_state["scenario_valid"].plans["pmo"]
    assert plan.schedule.measure == "year_to_date"
    assert at.session_state["scenario"]["plans"]["pmo"]["schedule"]["measure"] == "year_to_date"
    at.number_input(key="pmo_schedule_holdback").set_value(0.0)
    at.number_input(key="pmo_schedule_cap").set_value(150.0)
    run_ok(at)
    schedule = at.session_state["scenario_valid"].plans["pmo"].schedule
    assert (schedule.holdback, schedule.period_cap) == (0.0, 1.5)


def test_an_emptied_cap_means_no_cap() -> None:
    from ui import year_designer

    assert year_designer._percent_or_none(None) is None  # the empty box: the entry is removed, no cap
    assert year_designer._percent_or_none(120.0) == 1.2


def test_the_worked_year_pays_what_pay_year_says() -> None:
    from compcore import pay_year
    from compcore.plan.year import example_year

    at = _open()
    plan = at.session_state["scenario_valid"].plans["pmo"]
    yp = pay_year(plan, example_year(plan))
    table = _table(at)
    assert table["Paid (share of a period's target)"].iloc[4] == f"{yp.settlement * 100:.0f}%"
    target = plan.period_target_incentive(100_000.0)
    assert table["Paid on a $100,000 salary"].iloc[5] == f"${yp.total * target:,.0f}"


def test_a_bad_holdback_is_shown_next_to_the_field_and_the_last_valid_plan_stays() -> None:
    at = _open()
    at.session_state["scenario"]["plans"]["pmo"]["schedule"]["holdback"] = 1.5  # as if typed past the widget's max
    at.radio(key="pmo_schedule_year_end").set_value("none")
    run_ok(at)
    assert any("holdback" in e.value for e in at.error)
    assert at.session_state["scenario_valid"].plans["pmo"].schedule.holdback == 0.25


def test_the_designer_page_has_the_section_for_the_plan_being_edited() -> None:
    from tests.app.conftest import page

    at = run_ok(AppTest.from_file(page("plan_designer"), default_timeout=120), 120)
    assert at.radio(key="pmo_schedule_measure").value == "period"
    assert any(s.value == "Paid over the year" for s in at.subheader)
    # switching the plan being edited shows that plan's schedule under keys naming it
    at.session_state["ui"]["plan_id"] = "implementation"
    run_ok(at, 120)
    assert at.radio(key="implementation_schedule_measure").value == "year_to_date"


def test_a_cell_that_is_not_a_number_falls_back_to_the_example() -> None:
    from compcore import load_scenario
    from ui import year_designer

    plan = load_scenario("sample_data/scenarios/cs_org_teams.json").plans["pmo"]
    rows = year_designer._rows(plan, ["Q1", "Q2", "Q3", "Q4"])(None)
    rows[0]["Q2"], rows[1]["Q3"] = "abc", float("nan")
    stored = year_designer._from_rows(plan, ["Q1", "Q2", "Q3", "Q4"])(rows)
    assert stored["go_live_on_time"][1] is None and stored["company_grr"][2] is None
    again = year_designer._rows(plan, ["Q1", "Q2", "Q3", "Q4"])(stored)
    assert again[0]["Q2"] == 110.0  # the example: 110% of the 100% target


@pytest.mark.parametrize("key", ["pmo_schedule_measure", "pmo_schedule_year_end"])
def test_a_label_the_browser_sends_back_leaves_the_schedule_valid(key: str) -> None:
    # BUGS.md W6: a browser sends back the label a radio showed ("Each quarter on its own"); stored as the
    # value it made the plan invalid by itself (plan.schedule.measure). The stored id stays instead.
    from tests.app.conftest import browser_sends

    at = _open()
    before = at.radio(key=key).value
    browser_sends(at, at.radio(key=key), "Each quarter on its own")
    run_ok(at, 120)
    assert at.radio(key=key).value == before
    assert not at.session_state["problems"]
