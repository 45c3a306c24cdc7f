"""AppTest: "Solve for a budget" on the Cost simulation page: solve, apply, undo, out-of-reach goals."""

from __future__ import annotations

import copy
import re

from streamlit.testing.v1 import AppTest

from compcore.simulation.draws import draw_metrics
from compcore.simulation.solve import solve
from tests.app.conftest import page, run_ok

PAGE = "cost_simulation"
TIMEOUT = 120
PCT = "plan.target_incentive.percent_of_base"


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _texts(at: AppTest) -> list[str]:
    return [_unescape(m.value) for m in at.markdown]


def _p_over(at: AppTest) -> float:
    return float(next(m.value for m in at.metric if m.label == "P(over budget)").rstrip("%")) / 100


def test_solve_apply_undo(at: AppTest) -> None:
    scn = at.session_state["scenario_valid"]
    assert scn.budget == 116_000 and at.selectbox(key="solve_knob").value == PCT
    assert at.selectbox(key="solve_goal").value == "p_over_budget"
    assert at.number_input(key="solve_amount_p_over_budget").value == 10.0
    assert _p_over(at) > 0.1  # the sample org starts at 11.35%

    at.button(key="solve_run").click()
    run_ok(at, TIMEOUT)
    expected = solve(scn, PCT, {"p_over_budget": 0.1}, draws=draw_metrics(scn, 10_000, 0))
    texts = _texts(at)
    assert f"Target incentive, % of base: {expected.knob.phrase(expected.value)} (now 10% of base)." in texts
    assert any(t.startswith("P(over budget): 10% (now 11.35%)") for t in texts)
    assert len(at.get("vega_lite_chart")) >= 11  # the page's 8 charts and the answer's 3

    at.button(key="solve_apply").click()
    run_ok(at, TIMEOUT)
    assert at.session_state["scenario"]["plan"]["target_incentive"] == {"percent_of_base": expected.value}
    assert at.session_state["scenario_valid"].plan.target_incentive.percent_of_base == expected.value
    assert _p_over(at) <= 0.1
    assert any("Applied: Target incentive, % of base is now" in _unescape(c.value) for c in at.caption)
    undo = at.button(key="solve_undo_button")
    assert _unescape(undo.label) == "Undo: Target incentive, % of base back to 10% of base"

    undo.click()
    run_ok(at, TIMEOUT)
    assert at.session_state["scenario"]["plan"]["target_incentive"] == {"percent_of_base": 0.1}
    assert _p_over(at) > 0.1
    assert not [b for b in at.button if b.key == "solve_undo_button"]


def test_a_goal_out_of_reach_is_shown_in_place(at: AppTest) -> None:
    at.selectbox(key="solve_goal").set_value("expected_cost")
    run_ok(at, TIMEOUT)
    at.number_input(key="solve_amount_expected_cost").set_value(50_000_000.0)
    run_ok(at, TIMEOUT)
    at.button(key="solve_run").click()
    run_ok(at, TIMEOUT)
    assert [e for e in at.error if "out of reach" in _unescape(e.value)]
    assert not [b for b in at.button if b.key == "solve_apply"]


def test_a_changed_goal_hides_the_old_answer_and_other_knobs_solve(at: AppTest) -> None:
    at.button(key="solve_run").click()
    run_ok(at, TIMEOUT)
    assert [b for b in at.button if b.key == "solve_apply"]
    at.number_input(key="solve_amount_p_over_budget").set_value(20.0)
    run_ok(at, TIMEOUT)
    assert not [b for b in at.button if b.key == "solve_apply"]  # the answer was for 10%
    at.selectbox(key="solve_knob").set_value("plan.metrics[1].target")
    run_ok(at, TIMEOUT)
    at.button(key="solve_run").click()
    run_ok(at, TIMEOUT)
    texts = _texts(at)
    assert any(t.startswith("Clients adopted within 90 days: target: ") for t in texts)
    at.button(key="solve_apply").click()
    run_ok(at, TIMEOUT)
    assert at.session_state["scenario"]["plan"]["metrics"][1]["target"] < 0.9  # a lower bar: more may go over
    assert _p_over(at) <= 0.2


def test_on_the_org_default_one_plans_number_is_solved_and_applied_alone(monkeypatch) -> None:
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the seed-001 org
    at = run_ok(AppTest.from_file(page(PAGE), default_timeout=TIMEOUT), TIMEOUT)
    scn = at.session_state["scenario_valid"]
    assert scn.is_org and scn.budget is not None
    knob = "plans.implementation.target_incentive.percent_of_base"
    name = scn.plans["implementation"].name
    assert f"Target incentive, % of base ({name})" in at.selectbox(key="solve_knob").options  # shown in words
    at.selectbox(key="solve_knob").set_value(knob)
    run_ok(at, TIMEOUT)
    at.button(key="solve_run").click()
    run_ok(at, TIMEOUT)
    expected = solve(scn, knob, {"p_over_budget": 0.1}, draws=draw_metrics(scn, 10_000, 0))
    label = expected.knob.label
    assert label == f"Target incentive, % of base ({name})"
    assert any(t.startswith(f"{label}: {expected.knob.phrase(expected.value)}") for t in _texts(at))
    before = copy.deepcopy(at.session_state["scenario"])
    at.button(key="solve_apply").click()
    run_ok(at, TIMEOUT)
    after = at.session_state["scenario"]
    assert after["plans"]["implementation"]["target_incentive"] == {"percent_of_base": expected.value}
    before["plans"]["implementation"]["target_incentive"] = {"percent_of_base": expected.value}
    assert after == before  # nothing else changed: the other plans, roster, budget
