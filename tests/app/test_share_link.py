"""AppTest: the share link puts the scenario in the URL; opening it restores it; a bad link falls back."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from compcore.io.share import encode_scenario
from compcore.simulation.scenario import dump_scenario, load_scenario
from tests.app.conftest import ROOT, open_page, page


def test_the_address_holds_the_link_and_it_restores_elsewhere():
    at = AppTest.from_file(page("plan_designer"), default_timeout=60)
    at.run()
    at.slider(key="plan.plan.component.golive.weight").set_value(50.0).run()
    at.number_input(key="plan.plan.metric.adoption_90d.target").set_value(80.0).run()
    assert not at.exception
    token = at.query_params["s"][0] if isinstance(at.query_params["s"], list) else at.query_params["s"]
    assert token.startswith("v1.")
    assert any(token in c.value for c in at.code)
    shared = dump_scenario(at.session_state["scenario_valid"])

    fresh = AppTest.from_file(page("cost_simulation"), default_timeout=120)
    fresh.query_params["s"] = token
    fresh.run()
    assert not fresh.exception and not fresh.error
    assert dump_scenario(fresh.session_state["scenario_valid"]) == shared
    assert fresh.session_state["scenario"]["plan"]["components"][0]["weight"] == 0.5


def test_link_carries_seed_and_trials():
    scn = load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json")
    at = AppTest.from_file(page("payout_curves"), default_timeout=60)
    at.query_params["s"] = encode_scenario(dump_scenario(scn))
    at.query_params["seed"] = "42"
    at.query_params["trials"] = "1000"
    at.run()
    assert not at.exception
    assert at.session_state["ui"]["seed"] == 42 and at.session_state["ui"]["trials"] == 1000


def test_bad_link_shows_friendly_error_and_default():
    for bad in ("v1.!!!", "v2.abc", "v1." + "A" * 20_000, "v1.eJzLSM3JyQcABiwCFQ"):
        at = AppTest.from_file(page("plan_designer"), default_timeout=60)
        at.query_params["s"] = bad
        at.run()
        assert not at.exception
        errors = " ".join(e.value for e in at.error)
        assert "could not be opened" in errors and "sample scenario" in errors
        assert at.session_state["scenario_valid"].plan.name == "CS org quarterly bonus"
        at.run()  # the notice is shown once; the page keeps working
        assert not at.exception and not at.error


def test_the_link_is_drawn_in_a_popover():
    """The sidebar's link (a code block, for its copy icon) sits in a popover: a browser draws it, and loads the
    1.5 MB code highlighter a code block needs, only when the person opens it, not on every page open."""
    at = open_page("payout_curves")
    sidebar = list(at.sidebar.children.values())
    pops = [b for b in sidebar if getattr(b, "type", None) == "popover"]
    assert len(pops) == 1
    codes = [c for c in pops[0].children.values() if getattr(c, "type", None) == "code"]
    assert len(codes) == 1 and "?s=v1." in codes[0].value
    assert not [c for c in sidebar if getattr(c, "type", None) == "code"]  # no code block outside it
