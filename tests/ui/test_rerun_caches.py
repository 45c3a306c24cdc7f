"""Caches a rerun reuses give what the uncached code gives, and an edit gives new numbers (never a stale one)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

SCENARIOS = pytest.mark.parametrize("scenario", ["cs_org_teams", "cs_org_quarterly"])


def _histories_app() -> None:
    import pandas as pd
    import streamlit as st

    from compcore.data.targets import backtest_histories
    from ui import page, state
    from ui import targets_state as ts

    page.init()
    scn = state.valid()
    for pid, plan in scn.plans.items():
        mapping = ts.measured_by(plan)
        cached, plain = ts.plan_histories(plan, mapping), backtest_histories(ts.cs_data(), mapping, plan)
        assert list(cached) == list(plain) and cached, pid
        for mid in plain:
            pd.testing.assert_frame_equal(cached[mid], plain[mid])
            assert cached[mid].attrs == plain[mid].attrs
    st.text("same")


@SCENARIOS
def test_a_back_test_reads_the_cached_histories_the_same_as_computing_them(monkeypatch, scenario) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COMPCORE_DEFAULT_SCENARIO", scenario)
    at = AppTest.from_function(_histories_app, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.text] == ["same"]


def _year_app() -> None:
    import numpy as np
    import streamlit as st

    from compcore.simulation.year import simulate_year
    from ui import page, state, year_state

    page.init()
    st.number_input("budget", key="budget_in", value=None)
    st.text_input("plan name", key="name_in", value="")
    state.set_ui("trials", 500)
    if st.session_state.get("budget_in") is not None:
        state.draft()["annual_budget"] = float(st.session_state["budget_in"])
    if st.session_state.get("name_in"):
        d = state.draft()
        first = next(iter(d["plans"].values())) if d.get("plans") else d["plan"]
        first["name"] = st.session_state["name_in"]
    state.revalidate()
    yr = year_state.year_simulation()
    again = year_state.year_simulation()
    plain = simulate_year(state.valid(), trials=500, seed=int(state.ui("seed")))
    assert again is yr  # the second call in a run is the cached year
    assert np.array_equal(yr.cost, plain.cost) and yr.budget == plain.budget
    assert yr.p_over_budget == plain.p_over_budget  # a budget edit swaps the budget of the cached year
    assert yr.fairness.equals(plain.fairness) and yr.by_period.equals(plain.by_period)
    assert yr.plan_names == plain.plan_names
    st.text(f"{yr.budget} {sorted(yr.plan_names.values())[0]} {len(year_state.year_key())}")


@SCENARIOS
def test_the_cached_year_is_the_simulated_year_and_an_edit_gives_a_new_one(monkeypatch, scenario) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COMPCORE_DEFAULT_SCENARIO", scenario)
    at = AppTest.from_function(_year_app, default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    first = at.text[0].value
    at.number_input(key="budget_in").set_value(123456.0).run()
    assert not at.exception, at.exception
    assert at.text[0].value.split()[0] != first.split()[0]  # the budget changed; the app compared it uncached
    at.text_input(key="name_in").set_value("AAA renamed plan").run()
    assert not at.exception, at.exception
    assert "AAA renamed plan" in at.text[0].value  # a name only: the year's names follow (no stale result)


def _cost_tables_app() -> None:
    import streamlit as st

    from ui import cost_view, page, simulation_state, state

    page.init()
    state.set_ui("trials", 500)
    st.checkbox("rename", key="rename")
    chances = simulation_state.team_chances()
    team = str(chances["team"].iloc[0])
    if st.session_state.get("rename"):  # rename the plan the first team is on
        pid = str(simulation_state.team_breakdown(team)["plan"].iloc[0])
        d = state.draft()
        (d["plans"][pid] if d.get("plans") else d["plan"])["name"] = "AAA renamed plan"
        state.revalidate()
        chances = simulation_state.team_chances()
    sim = simulation_state.simulation()
    sk = [simulation_state.sim_key(), state.valid().period]
    shown = cost_view.chances_table(chances, sk)
    assert cost_view.chances_table(chances, sk) is shown  # the second call is the cached table
    assert list(shown["Team"]) == list(chances["team"])
    table = cost_view.breakdown_table(simulation_state.team_breakdown(team), team, sk)
    names = " | ".join(sorted(set(table["Plan"])))
    if state.valid().is_org:
        by_plan, plans_shown = cost_view.plans_table(sim, sk)
        assert list(plans_shown["Plan"]) == [state.valid().plans[p].name for p in by_plan["plan"]]
        names += " / " + " | ".join(plans_shown["Plan"])
    st.text(names)


@SCENARIOS
def test_the_cost_tables_follow_a_renamed_plan(monkeypatch, scenario) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COMPCORE_DEFAULT_SCENARIO", scenario)
    at = AppTest.from_function(_cost_tables_app, default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    assert "AAA renamed plan" not in at.text[0].value
    at.checkbox(key="rename").check().run()
    assert not at.exception, at.exception
    assert at.text[0].value.startswith("AAA renamed plan")  # the team's breakdown names its plan anew
    if scenario == "cs_org_teams":
        assert "/ " in at.text[0].value and "AAA renamed plan" in at.text[0].value.split("/ ")[1]
