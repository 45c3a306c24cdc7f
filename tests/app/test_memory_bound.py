"""AppTest: a scenario whose draws would not fit the session's 256 MiB says so and offers fewer trials."""

from __future__ import annotations

import copy

import pytest
from streamlit.testing.v1 import AppTest

from compcore.simulation.limits import draw_bytes
from tests.app.conftest import page
from ui.core import load_scenario
from ui.simulation_state import MAX_SESSION_DRAW_BYTES, fewer_trials, memory_message


def _big(at: AppTest, headcount: int) -> None:
    data = copy.deepcopy(at.session_state["scenario"])
    data["roster"][0]["headcount"] = headcount
    at.session_state["scenario"] = data
    at.session_state["scenario_valid"] = load_scenario(data)


@pytest.mark.parametrize("name", ["cost_simulation", "plan_document"])
def test_a_large_roster_offers_fewer_trials_instead_of_allocating(name: str) -> None:
    at = AppTest.from_file(page(name), default_timeout=120)
    at.run()
    assert not at.exception
    _big(at, 20_000)
    at.run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "256 MiB" in warning and "trials" in warning
    scn = at.session_state["scenario_valid"]
    offer = fewer_trials(scn, 10_000)
    assert offer is not None and offer < 10_000
    at.button(key="fewer_trials").click().run()
    assert not at.exception
    assert at.session_state["ui"]["trials"] == offer
    assert memory_message(scn, offer) is None
    assert not at.warning or "256 MiB" not in " ".join(w.value for w in at.warning)


def test_the_offer_is_the_largest_choice_that_fits() -> None:
    at = AppTest.from_file(page("cost_simulation"), default_timeout=120)
    at.run()
    scn = at.session_state["scenario_valid"]
    assert fewer_trials(scn, 10_000) is None  # the sample org fits
    data = copy.deepcopy(at.session_state["scenario"])
    data["roster"][0]["headcount"] = 100_000 - sum(r["headcount"] for r in data["roster"][1:])
    big = load_scenario(data)
    offer = fewer_trials(big, 10_000)
    # the per-trial bytes of the draws times the offer fits; a hundred more trials would not
    assert draw_bytes(big, offer) <= MAX_SESSION_DRAW_BYTES < draw_bytes(big, offer + 100)
