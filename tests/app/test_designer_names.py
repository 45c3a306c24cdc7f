"""AppTest: names a person reads are required; a blank one is a problem next to its field, never an id."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import run_ok

PAGE = "plan_designer"
NO_NAME = "needs a name a person can read"


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _slider_labels(at: AppTest) -> list[str]:
    return [s.label for s in at.slider]


def test_a_blank_plan_name_is_a_problem_and_the_last_valid_plan_stays(at):
    before = at.session_state["scenario_valid"].plan.name
    at.text_input(key="plan.plan.name").set_value("   ")
    run_ok(at)
    assert ("plan.name", NO_NAME) in at.session_state["problems"]
    assert any(NO_NAME in e for e in _errors(at))
    assert at.session_state["scenario_valid"].plan.name == before
    assert at.session_state["scenario"]["plan"]["name"] == "   "  # what was typed is kept
    at.text_input(key="plan.plan.name").set_value("Q3 bonus")
    run_ok(at)
    assert at.session_state["problems"] == []
    assert at.session_state["scenario_valid"].plan.name == "Q3 bonus"


def test_a_blank_metric_name_is_a_problem_and_labels_keep_a_readable_name(at):
    plan = at.session_state["scenario_valid"].plan
    at.text_input(key="plan.plan.metric.go_live_on_time.name").set_value("")
    run_ok(at)
    assert ("plan.metrics[0].name", NO_NAME) in at.session_state["problems"]
    assert at.session_state["scenario_valid"].plan.metrics[0].name == plan.metrics[0].name
    ids = {m.id for m in plan.metrics} | {c.id for c in plan.components}
    assert not any(label.split(" weight")[0] in ids for label in _slider_labels(at))


def test_an_erased_component_name_is_a_problem_and_the_slider_keeps_its_label(at):
    plan = at.session_state["scenario_valid"].plan
    at.text_input(key="plan.plan.component.golive.name").set_value(" ")
    run_ok(at)
    assert ("plan.components[0].name", NO_NAME) in at.session_state["problems"]
    assert any(NO_NAME in e for e in _errors(at))
    assert at.session_state["scenario_valid"].plan.components[0].name == plan.components[0].name
    assert _slider_labels(at)[0] == f"{plan.components[0].name} weight %"  # not "<id> weight %"


def test_new_items_get_readable_default_names(at):
    n = len(at.session_state["scenario_valid"].plan.metrics)
    at.button(key="add_metric").click()
    run_ok(at)
    assert at.session_state["scenario_valid"].plan.metrics[-1].name == f"Metric {n + 1}"
    at.button(key="add_component").click()
    run_ok(at)
    comps = at.session_state["scenario_valid"].plan.components
    assert comps[-1].name == f"Metric {n + 1}"  # named after the unused metric it pays on
    assert at.session_state["problems"] == []
