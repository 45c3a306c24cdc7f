"""AppTest, issue 14: undo, a question before a changed plan is replaced, the address kept on the scenario."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from compcore.io.share import decode_scenario
from tests.app.conftest import page

PAGE = "plan_designer"


def _param(at: AppTest, name: str) -> str | None:
    v = at.query_params.get(name)
    return v[0] if isinstance(v, list) else v


def _plan(at: AppTest) -> dict:
    return at.session_state["scenario"]["plan"]


def test_undo_brings_back_the_last_edits_one_by_one(at):
    assert at.button(key="undo").disabled
    at.slider(key="plan.plan.component.golive.weight").set_value(40.0).run()
    at.text_input(key="plan.plan.name").set_value("My plan").run()
    assert not at.exception and not at.button(key="undo").disabled
    at.button(key="undo").click().run()
    assert _plan(at)["name"] == "CS org quarterly bonus" and _plan(at)["components"][0]["weight"] == 0.4
    assert at.text_input(key="plan.plan.name").value == "CS org quarterly bonus"  # the widget follows
    at.button(key="undo").click().run()
    assert not at.exception
    assert _plan(at)["components"][0]["weight"] == 0.3
    assert at.button(key="undo").disabled


def test_loading_a_sample_over_a_changed_plan_asks_first(at):
    at.text_input(key="plan.plan.name").set_value("My plan").run()
    at.selectbox(key="plan.plan.start_from").set_value("blank").run()
    at.button(key="load_plan").click().run()
    assert not at.exception
    assert _plan(at)["name"] == "My plan"  # nothing replaced yet
    assert any("replaces the plan you have changed" in w.value for w in at.warning)
    at.button(key="confirm_replace_no").click().run()
    assert _plan(at)["name"] == "My plan" and not any("replaces the plan" in w.value for w in at.warning)
    at.button(key="load_plan").click().run()
    at.button(key="confirm_replace_yes").click().run()
    assert not at.exception and _plan(at)["name"] == "New plan"
    at.button(key="undo").click().run()  # and the replaced plan can still come back
    assert _plan(at)["name"] == "My plan"


def test_an_unchanged_plan_is_replaced_without_a_question(at):
    at.selectbox(key="plan.plan.start_from").set_value("blank").run()
    at.button(key="load_plan").click().run()
    assert not at.exception and _plan(at)["name"] == "New plan"


def test_the_address_follows_every_edit_so_a_refresh_keeps_the_work(at):
    at.slider(key="plan.plan.component.golive.weight").set_value(40.0).run()
    token = _param(at, "s")
    assert token and decode_scenario(token)["plan"]["components"][0]["weight"] == 0.4
    assert any(token in c.value for c in at.code)  # the sidebar offers the same, current link
    at.text_input(key="plan.plan.name").set_value("My plan").run()
    newer = _param(at, "s")
    assert newer != token and decode_scenario(newer)["plan"]["name"] == "My plan"

    refreshed = AppTest.from_file(page("plan_designer"), default_timeout=60)  # a refresh: a new session, same URL
    refreshed.query_params["s"] = newer
    refreshed.run()
    assert not refreshed.exception
    assert refreshed.session_state["scenario"]["plan"]["name"] == "My plan"
    assert refreshed.session_state["scenario"]["plan"]["components"][0]["weight"] == 0.4


def test_a_link_that_failed_to_open_is_not_offered_again():
    at = AppTest.from_file(page("plan_designer"), default_timeout=60)
    at.query_params["s"] = "v1.not-a-real-link"
    at.run()
    assert not at.exception
    assert any("could not be opened" in e.value for e in at.error)
    assert not any("not-a-real-link" in c.value for c in at.code)
    assert _param(at, "s") != "v1.not-a-real-link"
