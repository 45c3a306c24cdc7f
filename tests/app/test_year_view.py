"""The Cost page's Year view: the switch by id, the year's figures from compcore, a plan edit re-prices one plan."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from compcore.simulation.year import simulate_year
from tests.app.conftest import page, run_ok


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the org


def _year() -> AppTest:
    at = run_ok(AppTest.from_file(page("cost_simulation"), default_timeout=180), 180)
    at.radio(key="cost_horizon").set_value("year")
    return run_ok(at, 180)


def test_the_year_view_shows_the_years_figures_against_the_annual_budget() -> None:
    at = _year()
    scn = at.session_state["scenario_valid"]
    yr = simulate_year(scn, trials=10_000, seed=0)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Expected cost of the year"] == f"${yr.expected:,.0f}"
    assert metrics["P90 of the year"] == f"${yr.percentiles['P90']:,.0f}"
    assert metrics["Chance the year goes over"] == f"{100 * yr.p_over_budget:.1f}%"
    assert at.session_state["ui"]["horizon"] == "year"
    cash = next(d.value for d in at.dataframe if "Paid at" in d.value.columns)
    assert list(cash["Paid at"]) == ["Q1", "Q2", "Q3", "Q4", "Year end"]
    assert cash["Expected"].iloc[4] == f"${yr.paid[:, 4].mean():,.0f}"
    # the annual budget: a new one changes the chance only
    at.number_input(key="annual_budget").set_value(350_000.0)
    run_ok(at, 180)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Chance the year goes over"] == f"{100 * np.mean(yr.cost > 350_000):.1f}%"
    assert metrics["Expected cost of the year"] == f"${yr.expected:,.0f}"


def test_a_plan_edit_reprices_only_that_plans_year(monkeypatch) -> None:
    from compcore.simulation import year as year_module
    from ui import year_state

    at = _year()
    calls: list[str] = []
    real = year_module.price_plan_year
    monkeypatch.setattr(year_state, "price_plan_year", lambda scn, draws, pid: calls.append(pid) or real(scn, draws,
                                                                                                         pid))
    at.session_state["scenario"]["plans"]["pmo"]["target_incentive"]["percent_of_base"] = 0.12
    at.number_input(key="annual_budget").set_value(410_000.0)  # any widget: the page revalidates the draft
    run_ok(at, 180)
    assert calls == ["pmo"]
    scn = at.session_state["scenario_valid"]
    assert scn.plans["pmo"].target_incentive.percent_of_base == 0.12
    yr = simulate_year(scn, trials=10_000, seed=0)
    assert {m.label: m.value for m in at.metric}["Expected cost of the year"] == f"${yr.expected:,.0f}"


def test_a_stale_horizon_falls_back_to_the_period_view() -> None:
    at = run_ok(AppTest.from_file(page("cost_simulation"), default_timeout=180), 180)
    at.session_state["ui"]["horizon"] = "decade"
    run_ok(at, 180)
    assert any(m.label.startswith("Expected cost") and "year" not in m.label for m in at.metric)


def test_a_year_too_large_for_the_session_says_so_and_offers_fewer_trials() -> None:
    from ui import year_state

    at = _year()
    scn = at.session_state["scenario_valid"]
    at.session_state["ui"]["trials"] = 100_000  # 4 quarters of the org's draws: more than 256 MiB
    at.number_input(key="annual_budget").set_value(401_000.0)
    run_ok(at, 180)
    assert any("this app keeps at most 256 MiB per session" in w.value for w in at.warning)
    fewer = year_state.fewer_year_trials(scn)
    assert 0 < fewer < 100_000
    assert any(b.key == "fewer_year_trials" and f"{fewer:,}" in b.label for b in at.button)
    assert not [m for m in at.metric if m.label == "P90 of the year"]  # nothing drawn
