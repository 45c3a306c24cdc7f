"""AppTest: a browser refresh (a new session opening the address) keeps the plan being edited, the plans'
order and the undo history (issue 19)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import page, run_ok


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the seed-001 org


def _refresh(at: AppTest) -> AppTest:
    """A new session on the address the last one left in the address bar (what a browser reload does)."""
    fresh = AppTest.from_file(page("plan_designer"), default_timeout=120)
    for k, v in at.query_params.items():
        fresh.query_params[k] = v[0] if isinstance(v, list) else v
    return run_ok(fresh, 120)


def test_a_refresh_keeps_the_plan_being_edited_the_plans_order_and_the_undo_history():
    at = run_ok(AppTest.from_file(page("plan_designer"), default_timeout=120), 120)
    order = list(at.session_state["scenario"]["plans"])
    assert order != sorted(order)  # the sample's order is not alphabetical (the link stores plans sorted)
    at.selectbox(key="plan_pick").set_value("customer_success")
    run_ok(at, 120)
    at.number_input(key="plan.customer_success.metric.continued_usage.target").set_value(70.0)
    run_ok(at, 120)
    at.text_input(key="plan.customer_success.name").set_value("CS bonus")
    run_ok(at, 120)
    assert len(at.session_state["undo_stack"]) == 2

    again = _refresh(at)
    assert list(again.session_state["scenario"]["plans"]) == order
    assert again.selectbox(key="plan_pick").value == "customer_success"
    assert again.text_input(key="plan.customer_success.name").value == "CS bonus"
    assert len(again.session_state["undo_stack"]) == 2
    again.button(key="undo").click()
    run_ok(again, 120)
    assert again.session_state["scenario"]["plans"]["customer_success"]["name"] == "Customer Success quarterly bonus"
    assert again.session_state["scenario"]["plans"]["customer_success"]["metrics"][0]["target"] == 0.7
    # the refreshed session keeps its history under an id of its own (two tabs never write one history)
    assert again.session_state["undo_id"] != at.session_state["undo_id"]


def test_an_unknown_history_id_or_plan_in_the_address_is_ignored():
    at = run_ok(AppTest.from_file(page("plan_designer"), default_timeout=120), 120)
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    fresh = AppTest.from_file(page("plan_designer"), default_timeout=120)
    for k, v in {**params, "u": "no-such-history", "plan": "gone", "order": "x,,pmo"}.items():
        fresh.query_params[k] = v
    run_ok(fresh, 120)
    assert fresh.selectbox(key="plan_pick").value == "pmo"
    assert list(fresh.session_state["scenario"]["plans"])[0] == "pmo"
    assert not fresh.session_state["undo_stack"]
