"""AppTest: switching the plan being edited, stale widget state from a browser, impossible UI state (issue 19).

A browser sends every widget's last state on every rerun (AppTest does not): after a switch to another plan
the component radio sent back the label it showed for the first plan ("All go-lives live"), which reached a
slot holding an index (``int('All go-lives live')``) and broke the page. These tests find the widgets by
label, so they ran against the code before the fix too (and failed there).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import browser_sends, page, run_ok


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the seed-001 org


def _open() -> AppTest:
    return run_ok(AppTest.from_file(page("plan_designer"), default_timeout=120), 120)


def _by_label(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def _switch(at: AppTest, pid: str) -> AppTest:
    at.selectbox(key="plan_pick").set_value(pid)
    return run_ok(at, 120)


def test_switch_plan_then_edit_a_target_with_the_old_plans_component_label_sent_back():
    at = _open()
    assert _by_label(at.radio, "Edit component").value in ("go_live_on_time", 0)
    _switch(at, "implementation")
    browser_sends(at, _by_label(at.radio, "Edit component"), "All go-lives live")  # PMO's component's label
    target = next(n for n in at.number_input if n.label.startswith("Target"))
    target.set_value(80.0)
    run_ok(at, 120)
    assert at.session_state["scenario"]["plans"]["implementation"]["metrics"][0]["target"] == 0.8
    assert at.session_state["scenario"]["plans"]["pmo"]["metrics"][0]["target"] != 0.8
    assert _by_label(at.radio, "Edit component").value in ("adoption_90d", 0)  # still a valid component
    run_ok(at, 120)  # and every later run


def test_after_paid_every_changes_on_an_added_plan_a_target_edit_does_not_break_the_page():
    at = _open()
    at.button(key="add_plan").click()
    run_ok(at, 120)
    _by_label(at.selectbox, "Paid every").set_value("month")
    run_ok(at, 120)
    browser_sends(at, _by_label(at.radio, "Edit component"), "All go-lives live")
    next(n for n in at.number_input if n.label.startswith("Target")).set_value(3.0)
    run_ok(at, 120)
    assert at.session_state["scenario"]["plans"]["new_plan"]["metrics"][0]["target"] == 3.0


def test_a_stale_plan_label_from_the_plan_picker_keeps_the_plan_being_edited():
    at = _open()
    _switch(at, "customer_success")
    _by_label(at.text_input, "Name").set_value("CS bonus")  # renamed: the picker's labels change
    run_ok(at, 120)
    # the label the picker showed before the rename: not one of its options any more
    browser_sends(at, at.selectbox(key="plan_pick"), "Customer Success quarterly bonus (customer_success)")
    at.run(timeout=120)
    assert not at.exception
    assert at.selectbox(key="plan_pick").value == "customer_success"
    assert "Editing plan: CS bonus" in [t.value for t in at.sidebar.text]


def test_switching_plans_never_hands_one_plans_widget_state_to_another():
    at = _open()
    pmo_name = at.text_input(key="plan.pmo.name")
    pmo_name.set_value("PMO bonus")
    run_ok(at, 120)
    _switch(at, "implementation")
    assert at.text_input(key="plan.implementation.name").value == "Implementation quarterly bonus"
    assert not [w for w in at.text_input if w.key and w.key.startswith("plan.pmo.")]  # nothing of PMO drawn
    keys = [w.key for w in [*at.number_input, *at.selectbox, *at.slider, *at.text_input, *at.radio] if w.key]
    plan_keys = [k for k in keys if k.startswith("plan.")]
    assert plan_keys and all(k.startswith("plan.implementation.") for k in plan_keys)
    _switch(at, "pmo")
    assert at.text_input(key="plan.pmo.name").value == "PMO bonus"
    assert at.session_state["scenario"]["plans"]["implementation"]["name"] == "Implementation quarterly bonus"


def test_each_plan_remembers_its_own_component_being_edited():
    at = _open()
    at.radio(key="plan.pmo.component_pick").set_value("company")
    run_ok(at, 120)
    _switch(at, "customer_success")
    assert at.radio(key="plan.customer_success.component_pick").value == "continued_usage"
    _switch(at, "pmo")
    assert at.radio(key="plan.pmo.component_pick").value == "company"
    assert at.text_input(key="plan.pmo.component.company.name").value == "Company goal"


@pytest.mark.parametrize("garbage", [
    {"component": 0},  # an index where ids belong (the old format)
    {"component": "All go-lives live"},  # a label
    {"component": {"pmo": "gone", "implementation": 3}},
    {"plan_id": "a_deleted_plan"},
    {"plan_id": ["pmo"], "trials": "many", "seed": -5, "rebalance": "yes please", "held": "x", "start_from": 7,
     "new_plan_from": "Copy of a plan that is gone", "delete_plan": "gone", "import_result": "ok"},
])
def test_impossible_ui_state_falls_back_to_valid_values(garbage):
    at = _open()
    ui = at.session_state["ui"]
    ui.update(garbage)
    at.session_state["ui"] = ui
    at.run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="plan_pick").value in at.session_state["scenario"]["plans"]
    assert at.radio(key=f"plan.{at.selectbox(key='plan_pick').value}.component_pick").value
    next(n for n in at.number_input if n.label.startswith("Target")).set_value(50.0)
    run_ok(at, 120)


def test_the_whole_ui_state_replaced_by_garbage_is_rebuilt():
    at = _open()
    at.session_state["ui"] = "garbage"
    run_ok(at, 120)
    assert at.selectbox(key="plan_pick").value == "pmo"


def test_a_new_plan_from_a_sample_with_another_period_adopts_the_orgs_period_and_says_so():
    """Issue 19: "New plan from" a half-year sample in a quarterly org made the whole scenario invalid."""
    at = _open()
    box = _by_label(at.selectbox, "New plan from")
    sample = next(o for o in box.options if o.startswith("Retention with accelerators"))
    box.set_value(sample)  # a label: what a person picks
    run_ok(at, 120)
    at.button(key="add_plan").click()
    run_ok(at, 120)
    plans = at.session_state["scenario"]["plans"]
    new = next(p for p in plans.values() if p["name"] == "Retention with accelerators")
    assert new["period"] == "quarter"
    assert not at.session_state["problems"]
    assert len(at.session_state["scenario_valid"].plans) == 5  # the org stays valid, with the new plan
    assert any("paid every half in its sample" in i.value and "every quarter" in i.value for i in at.info)


def test_replace_this_plan_with_starts_with_nothing_chosen_for_a_plan_that_is_no_sample():
    """Issue 19: "Replace this plan with" offered an unrelated sample (one click from replacing the plan)."""
    at = _open()
    box = next(s for s in at.selectbox if s.label.startswith("Replace this plan with"))
    assert box.value is None
    assert at.button(key="load_plan").disabled


def test_widgets_drawn_again_get_their_value_not_the_browsers_default():
    """A widget not drawn in the last run (another plan, another component) is mounted by a browser at its
    own default unless the server sends the value; a click must not write those defaults (BUGS S1)."""
    from tests.app.browser_like import browser_run, drawn

    at = _open()
    at.radio(key="plan.pmo.component_pick").set_value("company")
    before = drawn(at)
    browser_run(at, before)  # the company component's widgets are mounted now
    _switch(at, "implementation")
    before = drawn(at)
    at.selectbox(key="plan_pick").set_value("pmo")
    browser_run(at, before)  # back on PMO: its widgets mounted again, as a browser would
    at.text_input(key="plan.pmo.name").set_value("PMO bonus")  # any click: the browser sends every widget
    run_ok(at, 120)
    pmo = at.session_state["scenario"]["plans"]["pmo"]
    assert pmo["period"] == "quarter" and pmo["cap"] == 1.5
    assert [c["weight"] for c in pmo["components"]] == [0.75, 0.25]
    assert [m["target"] for m in pmo["metrics"]] == [1.0, 0.9]
