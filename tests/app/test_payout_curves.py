"""AppTest: the Payout curves page draws from the canonical scenario and the calculator reacts to inputs."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT

PAGE = "payout_curves"


def _figures(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def test_charts_and_calculator_on_open(at):
    assert len(_charts(at)) == 3  # components, the sweep, the heatmap
    figures = _figures(at)
    # the median person of the roster (base 93,000) at target: 93,000 x 10% / 4 quarters = 2,325
    assert figures["Payout this quarter"] == "$2,325"
    assert figures["Of target incentive"] == "100.0%"
    assert "No gate fired." in [c.value for c in at.caption]


def test_calculator_gate_fires(at):
    at.number_input(key="actual_adoption_90d").set_value(50.0).run()  # a share, typed in %
    assert not at.exception
    figures = _figures(at)
    assert figures["Of target incentive"] == "50.0%"  # adoption and usage zeroed by the circuit breaker
    assert any("circuit breaker" in w.value for w in at.warning)
    at.number_input(key="calc_salary_plan").set_value(200_000.0).run()
    assert _figures(at)["Payout this quarter"] == "$2,500"
    assert at.session_state["ui"]["actuals"]["adoption_90d"] == 0.5


def test_held_values_and_metric_choices_persist(at):
    at.slider(key="held_adoption_90d").set_value(60.0).run()
    at.selectbox(key="sweep_metric").set_value("ebrs").run()
    at.selectbox(key="heat_x").set_value("ebrs").run()
    assert not at.exception
    ui = at.session_state["ui"]
    assert ui["held"]["adoption_90d"] == pytest.approx(0.6) and ui["sweep_metric"] == "ebrs"
    assert at.selectbox(key="heat_y").value != "ebrs"
    at.run()  # a rerun re-seeds every widget from state: nothing snaps back
    assert at.slider(key="held_adoption_90d").value == 60.0
    assert at.selectbox(key="sweep_metric").value == "ebrs"
    captions = " ".join(c.value for c in at.caption)
    assert "Clients adopted within 90 days 60%" in captions


def test_plan_edit_reaches_this_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    at.slider(key="plan.plan.component.golive.weight").set_value(50.0).run()
    at.switch_page("pages/payout_curves.py").run()
    assert not at.exception
    assert _figures(at)["Of target incentive"] == "100.0%"
    at.number_input(key="actual_go_live_on_time").set_value(85.0).run()  # steps: 50% at 80%
    assert _figures(at)["Of target incentive"] == "75.0%"  # 0.5 weight x 0.5 + the rest at target


def test_calculator_takes_shares_in_percent_and_counts_as_counts(at):
    share, count = at.number_input(key="actual_adoption_90d"), at.number_input(key="actual_ebrs")
    assert share.value == 90.0 and "%" in share.label  # target 0.9 of new clients, typed as 90
    assert count.value == 6.0  # EBRs stay a number
    at.number_input(key="actual_adoption_90d").set_value(99.0).run()
    assert not at.exception
    assert at.session_state["ui"]["actuals"]["adoption_90d"] == 0.99


def test_sweep_and_heatmap_follow_the_held_values_through_their_cache(at):
    # the sweep's and the heatmap's rows are cached on (plan, metrics, held values): moving a held value must
    # redraw them, and moving it back must give the very rows drawn first
    def data() -> list:
        return [json.loads(c.proto.spec) for c in _charts(at)[1:]]

    first = data()
    held = [s for s in at.slider if (s.key or "").startswith("held_")][-1]
    start = held.value
    held.set_value(start + 10.0).run()
    assert not at.exception
    moved = data()
    assert moved[0] != first[0]
    at.slider(key=held.key).set_value(start).run()
    assert data() == first
