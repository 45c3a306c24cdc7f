"""AppTest, issue 14: targets typed in the unit a person reads, weights in whole percents that add to 100."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

PAGE = "plan_designer"


def _text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_a_share_target_is_typed_and_shown_in_percent(at):
    # metric 1 is "Clients adopted within 90 days", unit "share of new clients", target 0.9
    assert at.number_input(key="plan.plan.metric.adoption_90d.target").value == 90.0
    assert at.number_input(key="plan.plan.metric.adoption_90d.target").label == "Target %"
    at.number_input(key="plan.plan.metric.adoption_90d.target").set_value(85.0).run()
    assert not at.exception
    assert at.session_state["scenario_valid"].plan.metrics[1].target == 0.85
    assert "target 85% share of new clients" in _text(at)
    assert "8500%" not in _text(at)


def test_a_count_target_stays_a_number(at):
    assert at.number_input(key="plan.plan.metric.ebrs.target").value == 6.0  # EBRs per person per quarter
    assert at.number_input(key="plan.plan.metric.ebrs.target").label == "Target"


def test_an_implausible_share_target_is_warned_about(at):
    at.session_state["scenario"]["plan"]["metrics"][1]["target"] = 85.0  # e.g. a file written with 85 for 85%
    at.text_input(key="plan.plan.metric.adoption_90d.name").set_value("Clients adopted within 90 days").run()
    assert not at.exception
    assert any("a share cannot be above 100%" in w.value and "8500%" in w.value for w in at.warning)


def test_rebalanced_weights_stay_whole_and_reach_40_30_15_15(at):
    at.slider(key="plan.plan.component.golive.weight").set_value(40.0).run()
    assert not at.exception
    assert [s.value for s in at.slider if s.key.endswith(".weight")] == [40.0, 26.0, 17.0, 17.0]
    at.slider(key="plan.plan.component.adoption.weight").set_value(30.0).run()
    assert not at.exception
    assert [s.value for s in at.slider if s.key.endswith(".weight")] == [40.0, 30.0, 15.0, 15.0]
    assert [c.weight for c in at.session_state["scenario_valid"].plan.components] == [0.4, 0.3, 0.15, 0.15]
    assert "15% on Existing clients" in _text(at)


def test_a_new_component_pays_on_an_unused_metric(at):
    at.button(key="add_metric").click().run()
    at.button(key="add_component").click().run()
    assert not at.exception
    comps = at.session_state["scenario"]["plan"]["components"]
    assert comps[-1]["metric"] == "metric_1"
    assert [round(c["weight"] * 100) for c in comps] == [24, 24, 16, 16, 20]


@pytest.mark.parametrize(("kind", "field", "rows", "blank", "want"), [
    # linear 50% at 80%, 100% at 100%: a new point 10 points on keeps the slope 2.5 -> 125% at 110%
    ("linear", "points", [[0.8, 0.5], [1.0, 1.0]], {}, [[0.8, 0.5], [1.0, 1.0], [1.1, 1.25]]),
    ("steps", "steps", [[0.8, 0.5], [1.0, 1.0]], {}, [[0.8, 0.5], [1.0, 1.0], [1.1, 1.25]]),
    # an accelerator tier: from 10 points above the last band, at its rate + 0.5
    ("tiers", "bands", [{"from": 0.0, "rate": 1.0}, {"from": 1.0, "rate": 1.5}], {},
     [{"from": 0.0, "rate": 1.0}, {"from": 1.0, "rate": 1.5}, {"from": 1.1, "rate": 2.0}]),
])
def test_a_new_curve_row_arrives_prefilled(kind, field, rows, blank, want):
    from ui import curve_tables, state

    got_field, to_rows, from_rows = curve_tables.curve_table(kind)
    assert got_field == field
    assert from_rows(state.apply_delta(to_rows(rows), {"added_rows": [blank]})) == want


def test_a_falling_curve_is_warned_next_to_its_table(at):
    at.session_state["scenario"]["plan"]["components"][1]["curve"]["points"] = [[0, 0], [1, 1], [1.1, 0]]
    at.radio(key="plan.plan.component_pick").set_value("adoption").run()
    assert not at.exception
    assert any("pays less at 110% (0%) than at 100% (100%)" in w.value for w in at.warning)
    assert "rising to 0%" not in " ".join(c.value for c in at.caption)
