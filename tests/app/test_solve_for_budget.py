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
    assert _p_over(at) > 0.1  # the sample starts over the 10% goal

    at.button(key="solve_run").click()
    run_ok(at, TIMEOUT)
    expected = solve(scn, PCT, {"p_over_budget": 0.1}, draws=draw_metrics(scn, 10_000, 0))
    texts = _texts(at)
    assert f"Target incentive, % of base: {expected.knob.phrase(expected.value)} (now 10% of base)." in texts
    assert any(t.startswith(f"P(over budget): 10% (now {expected.goal.show(expected.before)})") for t in texts)
    # money in the answer carries the currency, as everywhere on the page
    assert any(t.startswith(f"Expected cost ${expected.sim.expected:,.0f} per quarter") for t in texts)
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


def test_on_the_org_every_plans_target_incentive_is_solved_by_one_factor(monkeypatch) -> None:
    # issue 19: solve could change only one plan; the org's default knob is every plan's target incentive at once
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)
    at = run_ok(AppTest.from_file(page(PAGE), default_timeout=TIMEOUT), TIMEOUT)
    scn = at.session_state["scenario_valid"]
    assert at.selectbox(key="solve_knob").value == "scale.target_incentive"
    at.button(key="solve_run").click()
    run_ok(at, TIMEOUT)
    expected = solve(scn, "scale.target_incentive", {"p_over_budget": 0.1}, draws=draw_metrics(scn, 10_000, 0))
    factor = expected.value
    assert any(t.startswith("Every plan's target incentive x one factor: "
                            f"{expected.knob.show(factor)} of today's target incentive") for t in _texts(at))
    before = copy.deepcopy(at.session_state["scenario"])
    at.button(key="solve_apply").click()
    run_ok(at, TIMEOUT)
    after = at.session_state["scenario"]
    for pid, plan in before["plans"].items():
        for field, value in plan["target_incentive"].items():
            assert after["plans"][pid]["target_incentive"][field] == value * factor, pid
    overrides = [(i, r["target_incentive"]) for i, r in enumerate(before["roster"]) if r.get("target_incentive")]
    assert overrides  # the sample's team leads have their own incentive: scaled too
    for i, ti in overrides:
        assert after["roster"][i]["target_incentive"] == {k: v * factor for k, v in ti.items()}
    assert _p_over(at) <= 0.1
    undo = at.button(key="solve_undo_button")
    assert _unescape(undo.label) == "Undo: every plan's target incentive back to what it was"
    undo.click()
    run_ok(at, TIMEOUT)
    assert at.session_state["scenario"] == before
