"""AppTest: Targets from data on the app's default org (four plans): a target per plan, a fit per team, undo."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compcore.data.plan_targets import targets_by_plan, team_fit_lines
from compcore.data.records import load_cs_data
from compcore.data.targets import fit_by_team
from tests.app.conftest import page, run_ok

ROOT = Path(__file__).resolve().parents[2]
DATA = load_cs_data(ROOT / "sample_data")
SPEC = {"metric": "adoption_within", "days": 90, "min_seat_share": 0.4}
ON_ADOPTION = {"implementation": ["Implementation"], "change_enablement": ["Change & Enablement"]}


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the org


def _on_adoption() -> AppTest:
    """The page with the Implementation plan being edited and its adoption metric picked."""
    at = run_ok(AppTest.from_file(page("targets_from_data"), default_timeout=120), 120)
    assert at.session_state["scenario_valid"].is_org
    ui = at.session_state["ui"]
    ui["plan_id"] = "implementation"
    at.session_state["ui"] = ui
    run_ok(at)
    at.selectbox(key="tfd_metric").set_value("adoption_within")  # it opened on PMO's go-live definition
    run_ok(at)
    at.selectbox(key="tfd_plan_metric_implementation").set_value("adoption_90d")
    return run_ok(at)


def _targets(at: AppTest, metric_id: str) -> dict[str, float]:
    plans = at.session_state["scenario"]["plans"]
    return {pid: m["target"] for pid, p in plans.items() for m in p["metrics"] if m["id"] == metric_id}


def test_each_plan_gets_the_target_of_its_own_teams_history_and_undo_reverts_it():
    at = _on_adoption()
    scn = at.session_state["scenario_valid"]
    want = targets_by_plan(DATA, SPEC, scn.plans, ON_ADOPTION, "adoption_90d", 50, share=True)
    assert set(want) == {"implementation", "change_enablement"} and want["implementation"] != want["change_enablement"]
    shown = "\n".join(t.value for t in at.text)
    for pid, target in want.items():
        assert f"{scn.plans[pid].name} ({ON_ADOPTION[pid][0]}): {target * 100:.1f}%" in shown
    before = _targets(at, "adoption_90d")
    grr_before = _targets(at, "company_grr")
    at.button(key="tfd_set_target_adoption_90d").click()
    run_ok(at)
    assert _targets(at, "adoption_90d") == want  # one target per plan, not one for all
    assert _targets(at, "company_grr") == grr_before  # other metrics untouched
    assert {pid: p.metric("adoption_90d").target for pid, p in at.session_state["scenario_valid"].plans.items()
            if pid in want} == want
    at.button(key="undo").click()
    run_ok(at)
    assert _targets(at, "adoption_90d") == before


def test_fit_per_team_sets_by_team_from_each_teams_records_in_plain_words():
    at = _on_adoption()
    # the sample's by_team was fitted at 90 days; 60 days gives a different fit, so the edit shows
    at.number_input(key="tfd_days").set_value(60)
    run_ok(at)
    assert not [b for b in at.button if b.key.startswith("tfd_fit_by_team")]  # a 90-day metric: no 60-day fits
    before = copy.deepcopy(at.session_state["scenario"]["assumptions"]["adoption_90d"])
    at.button(key="tfd_measure_adoption_90d").click()  # measured within 60 days from now on, renamed
    run_ok(at)
    assert {p: m["name"] for p, pl in at.session_state["scenario"]["plans"].items() for m in pl["metrics"]
            if m["id"] == "adoption_90d"} == {"implementation": "Clients adopted within 60 days",
                                               "change_enablement": "Clients adopted within 60 days"}
    spec = {**SPEC, "days": 60}
    scn = at.session_state["scenario_valid"]
    fit = fit_by_team(DATA, spec, scn.plans["implementation"], "adoption_90d",
                      ["Implementation", "Change & Enablement"])
    shown = [t.value for t in at.text]
    lines = "\n".join(team_fit_lines(fit["by_team"], spec, ["Implementation", "Change & Enablement"]))
    assert lines in shown and lines.startswith("Implementation: about ")
    assert not any("{" in s or "dist" in s for s in shown)  # no dict dumps
    at.button(key="tfd_fit_by_team_adoption_90d").click()
    run_ok(at)
    now = at.session_state["scenario"]["assumptions"]["adoption_90d"]
    # only teams on a plan with the metric, each from its own records
    assert now["by_team"] == fit["by_team"] != before["by_team"]
    assert {k: v for k, v in now.items() if k != "by_team"} == {k: v for k, v in before.items() if k != "by_team"}
    assert at.session_state["scenario_valid"].assumptions["adoption_90d"].by_team is not None
    at.button(key="undo").click()
    run_ok(at)
    assert at.session_state["scenario"]["assumptions"]["adoption_90d"] == before


def test_a_company_metric_has_no_per_team_fit():
    at = _on_adoption()
    at.selectbox(key="tfd_plan_metric_implementation").set_value("company_grr")
    run_ok(at)
    assert not [b for b in at.button if b.key.startswith("tfd_set_target")]  # adoption history: not GRR's
    at.selectbox(key="tfd_metric").set_value("grr")
    run_ok(at)
    assert not [b for b in at.button if b.key.startswith("tfd_fit_by_team")]
    # every plan with company GRR gets the same target: the company has one history
    at.button(key="tfd_set_target_company_grr").click()
    run_ok(at)
    assert len(set(_targets(at, "company_grr").values())) == 1


def test_a_fresh_session_never_offers_a_go_live_target_from_adoption_history():
    # issue 19 item 4: PMO's go-live metric was offered "P50 96%" of adoption history with no warning
    at = run_ok(AppTest.from_file(page("targets_from_data"), default_timeout=120), 120)
    assert at.session_state["ui"].get("plan_id") in (None, "pmo")
    assert at.selectbox(key="tfd_metric").value == "on_time_go_live"  # PMO's own definition
    assert at.selectbox(key="tfd_plan_metric_pmo").value == "go_live_on_time"
    scn = at.session_state["scenario_valid"]
    go_live = {"metric": "on_time_go_live", "grace_days": 0}
    want = targets_by_plan(DATA, go_live, scn.plans, {"pmo": ["PMO"]}, "go_live_on_time", 50, share=True)
    assert next(m.value for m in at.metric if m.label == "P50 of history") == f"{want['pmo'] * 100:.1f}%"
    at.selectbox(key="tfd_metric").set_value("adoption_within")
    run_ok(at)
    assert at.selectbox(key="tfd_plan_metric_pmo").value == "go_live_on_time"  # the pick stays
    assert not [m for m in at.metric if m.label.startswith("P50")]
    assert not [b for b in at.button if b.key.startswith(("tfd_set_target", "tfd_set_fit", "tfd_fit_by_team"))]
    assert "is measured as On-time go-live" in at.warning[0].value
    before = copy.deepcopy(at.session_state["scenario"])
    at.button(key="tfd_show_go_live_on_time").click()  # back to the metric's own definition
    run_ok(at)
    assert at.selectbox(key="tfd_metric").value == "on_time_go_live"
    assert at.session_state["scenario"] == before  # showing a definition writes nothing


def test_the_plan_metric_picked_is_kept_per_plan_under_a_key_naming_the_plan():
    at = _on_adoption()
    ui = at.session_state["ui"]
    assert ui["tfd"]["plan_metric"]["implementation"] == "adoption_90d"
    ui["plan_id"] = "customer_success"
    at.session_state["ui"] = ui
    run_ok(at)
    assert at.selectbox(key="tfd_plan_metric_customer_success").value in {"continued_usage", "ebrs", "company_grr"}
    assert not [s for s in at.selectbox if s.key == "tfd_plan_metric_implementation"]
    ui = at.session_state["ui"]
    ui["plan_id"] = "implementation"
    at.session_state["ui"] = ui
    run_ok(at)
    assert at.selectbox(key="tfd_plan_metric_implementation").value == "adoption_90d"


def test_persistence_on_the_org_that_has_it_and_a_new_fit_keeps_it_and_the_per_team_fits():
    from compcore.data.persistence import fit_persistence
    from compcore.data.targets import metric_history

    at = _on_adoption()
    assert at.session_state["scenario_valid"].assumptions["adoption_90d"].persistence == 0.1  # the sample's
    fit = fit_persistence(metric_history(DATA, SPEC, period="quarter", by="team"))
    scn = copy.deepcopy(at.session_state["scenario"])
    scn["assumptions"]["adoption_90d"]["persistence"] = 0.5  # set by hand elsewhere
    at.session_state["scenario"] = scn
    run_ok(at)
    at.button(key="tfd_persist_adoption_90d").click()
    run_ok(at)
    assert at.session_state["scenario"]["assumptions"]["adoption_90d"]["persistence"] == fit.value == 0.1
    at.radio(key="tfd_fit_kind").set_value("normal")
    run_ok(at)
    by_team = copy.deepcopy(at.session_state["scenario"]["assumptions"]["adoption_90d"]["by_team"])
    at.button(key="tfd_set_fit_adoption_90d").click()  # a new default fit keeps what was set apart
    run_ok(at)
    now = at.session_state["scenario"]["assumptions"]["adoption_90d"]
    assert now["dist"] == "normal" and now["persistence"] == 0.1 and now["by_team"] == by_team
