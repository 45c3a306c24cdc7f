"""ui.state: the canonical scenario, widget binding and inline problems, tested with tiny apps."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _cap_app() -> None:
    import streamlit as st

    from ui import page, state

    page.init()
    st.number_input("Plan cap %", **state.bind("cap", state.plan_path("cap"), to_widget=state.pct_in,
                                                from_widget=state.pct_out))
    st.text(f"valid cap={state.valid().plan.cap}")
    st.text(f"problems={state.problems()}")


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_a_bound_widget_writes_the_scenario_and_the_valid_plan_follows() -> None:
    at = AppTest.from_function(_cap_app, default_timeout=60)
    at.run()
    assert not at.exception
    at.number_input(key="cap").set_value(150.0).run()
    assert not at.exception
    assert "valid cap=1.5" in _texts(at)
    assert at.session_state["scenario"]["plan"]["cap"] == 1.5


def test_an_invalid_value_is_kept_as_typed_and_the_last_valid_plan_stays_in_use() -> None:
    at = AppTest.from_function(_cap_app, default_timeout=60)
    at.run()
    at.number_input(key="cap").set_value(150.0).run()
    at.number_input(key="cap").set_value(-10.0).run()
    assert not at.exception
    assert at.session_state["scenario"]["plan"]["cap"] == -0.1  # nothing typed is lost
    assert "valid cap=1.5" in _texts(at)  # the charts keep the last valid plan
    problems = next(t for t in _texts(at) if t.startswith("problems="))
    assert "plan.cap" in problems
    assert at.number_input(key="cap").value == -10.0  # the widget does not snap back
