"""AppTest of every page on the app's own default, the seed-001 org (four plans, one company goal)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import compcore
from compcore.report.fairness import fairness_flags as flags_of
from tests.app.conftest import page, run_ok


def fairness_flags(scn) -> list[str]:
    """The flags compcore gives the app's own simulation (10,000 trials, seed 0)."""
    return flags_of(compcore.simulate(scn, trials=10_000, seed=0).fairness, scn.period)


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the org


def _open(name: str) -> AppTest:
    return run_ok(AppTest.from_file(page(name), default_timeout=120), 120)


PLANS = ["pmo", "implementation", "customer_success", "change_enablement"]


def _pick(at: AppTest, key: str, value: str) -> AppTest:
    at.selectbox(key=key).set_value(value)
    return run_ok(at)


def test_the_app_opens_on_the_org_and_the_designer_names_the_plan_being_edited():
    at = _open("plan_designer")
    scn = at.session_state["scenario_valid"]
    assert list(scn.plans) == ["pmo", "implementation", "customer_success", "change_enablement"]
    assert at.selectbox(key="plan_pick").value == "pmo"
    assert "Editing plan: PMO quarterly bonus" in [t.value for t in at.sidebar.text]
    assert at.text_input(key="plan.pmo.name").value == "PMO quarterly bonus"
    _pick(at, "plan_pick", "customer_success")
    assert at.text_input(key="plan.customer_success.name").value == "Customer Success quarterly bonus"
    assert "Editing plan: Customer Success quarterly bonus" in [t.value for t in at.sidebar.text]
    at.text_input(key="plan.customer_success.name").set_value("CS bonus")
    run_ok(at)
    assert at.session_state["scenario"]["plans"]["customer_success"]["name"] == "CS bonus"
    assert at.session_state["scenario_valid"].plans["customer_success"].name == "CS bonus"
    assert at.session_state["scenario"]["plans"]["pmo"]["name"] == "PMO quarterly bonus"  # the others untouched


def test_add_a_plan_then_delete_it_after_confirming():
    at = _open("plan_designer")
    at.selectbox(key="new_plan_from").set_value("copy:pmo")
    run_ok(at)
    at.button(key="add_plan").click()
    run_ok(at)
    plans = at.session_state["scenario"]["plans"]
    assert list(plans)[-1] == "pmo_quarterly_bonus_copy" and len(plans) == 5
    assert at.session_state["ui"]["plan_id"] == "pmo_quarterly_bonus_copy"
    assert at.selectbox(key="plan_pick").value == "pmo_quarterly_bonus_copy"
    assert not at.session_state["problems"]
    at.button(key="delete_plan").click()
    run_ok(at)
    assert len(at.session_state["scenario"]["plans"]) == 5  # not yet: it asks first
    assert any("Delete PMO quarterly bonus (copy)" in w.value for w in at.warning)
    at.button(key="confirm_delete_yes").click()
    run_ok(at)
    assert list(at.session_state["scenario"]["plans"]) == ["pmo", "implementation", "customer_success",
                                                           "change_enablement"]


def test_a_blank_plan_gets_its_own_metric_and_the_orgs_period():
    at = _open("plan_designer")
    at.button(key="add_plan").click()  # "Blank plan" is the default source
    run_ok(at)
    new = at.session_state["scenario"]["plans"]["new_plan"]
    assert new["period"] == "quarter" and new["metrics"][0]["id"] == "new_metric"
    assert "new_metric" in at.session_state["scenario"]["assumptions"]
    assert not at.session_state["problems"]


def test_a_plan_error_shows_next_to_the_field_of_that_plan_and_the_last_valid_org_stays():
    at = _open("plan_designer")
    _pick(at, "plan_pick", "implementation")
    at.selectbox(key="plan.implementation.period").set_value("month")
    run_ok(at)
    assert at.session_state["scenario"]["plans"]["implementation"]["period"] == "month"  # kept as typed
    assert at.session_state["scenario_valid"].plans["implementation"].period == "quarter"
    assert any(p == "plans.implementation.period" for p, _ in at.session_state["problems"])


def test_cost_page_shows_cost_by_plan_and_the_fairness_flag():
    at = _open("cost_simulation")
    sim_plans = [d for d in at.dataframe if "Plan" in d.value.columns and "% of target" in d.value.columns]
    assert sim_plans and list(sim_plans[0].value["Plan"])[0] == "PMO quarterly bonus"
    flags = [w.value for w in at.warning]
    want = fairness_flags(at.session_state["scenario_valid"])
    assert want and all(w in [f.replace("\\", "") for f in flags] for w in want)  # shown escaped, as plain text
    assert at.selectbox(key="fair_team").value == "PMO"
    assert any("PMO: All go-lives live" in t.value for t in at.text)  # the metric that holds PMO back
    at.selectbox(key="fair_team").set_value("Customer Success")
    run_ok(at)
    assert any(t.value.startswith("Customer Success: Continued usage") for t in at.text)


def test_payout_curves_overlay_every_plan_and_show_the_picked_one():
    at = _open("payout_curves")
    assert "Every plan at the same attainment" in [s.value for s in at.subheader]
    _pick(at, "plan_pick", "change_enablement")
    assert at.selectbox(key="plan_pick").value == "change_enablement"
    assert at.session_state["ui"]["plan_id"] == "change_enablement"


def test_plan_document_of_one_plan_and_the_org_summary():
    at = _open("plan_document")
    assert at.selectbox(key="doc_pick").value == "pmo"
    assert at.title[0].value == "CS org by team: Q3 base case: PMO quarterly bonus"
    _pick(at, "doc_pick", "org")
    assert at.title[0].value == "CS org by team: Q3 base case: org summary"
    want = fairness_flags(at.session_state["scenario_valid"])
    assert want and all(w in [t.value for t in at.text] for w in want)


def test_an_hr_link_opens_the_document_it_names_without_widgets(tmp_path, monkeypatch):
    from compcore.io.store import ScenarioStore
    from ui.state import default_scenario

    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", db)
    store = ScenarioStore(db)
    token = store.share_token(store.save("CS org", default_scenario()).id)
    at = AppTest.from_file(page("plan_document"), default_timeout=120)
    at.query_params["hr"] = token  # a read-only link (ui.hr_links); ?doc= picks a document of its scenario
    at.query_params["doc"] = "customer_success"
    run_ok(at, 120)
    assert at.title[0].value.endswith("Customer Success quarterly bonus")
    assert not at.selectbox and not at.text_input and not at.number_input


def test_targets_and_scenarios_pages_open_on_the_org():
    for name in ("targets_from_data", "scenarios"):
        _open(name)


def test_plan_document_kept_across_reruns_is_the_document_of_the_plan_picked():
    # the document's pieces are cached on (scenario, simulation, document picked): another plan must show its
    # own numbers, and coming back must show the very tables and curves drawn first
    def seen(at: AppTest) -> tuple:
        return ([t.value.to_dict() for t in at.table], [c.proto.spec for c in at.get("vega_lite_chart")],
                [t.value for t in at.title])

    at = _open("plan_document")
    first = seen(at)
    _pick(at, "doc_pick", "implementation")
    other = seen(at)
    assert other[0] != first[0] and other[1] != first[1] and other[2] != first[2]
    _pick(at, "doc_pick", "pmo")
    assert seen(at) == first
