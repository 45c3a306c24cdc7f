"""AppTest: the Cost page's input tabs (Assumptions, Correlations, Roster) build only the open tab (issue 22).

A browser spent about 30% of a switch to the Cost page drawing the three tabs' widgets, editors and previews;
the tabs rerun when another is clicked (``on_change="rerun"``), so a closed tab costs nothing. A problem in a
closed tab is still shown, in the list at the bottom of the page.
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import page, run_ok

CORRELATIONS = "Correlation (rho, -1 to 1)"


@pytest.fixture(autouse=True)
def _org_default(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the org (join dates)


def _cost(tab: str | None = None) -> AppTest:
    at = AppTest.from_file(page("cost_simulation"), default_timeout=120)
    if tab is not None:
        at.session_state["cost_inputs"] = tab
    return run_ok(at, 120)


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_only_the_assumptions_tab_is_built_when_the_page_opens() -> None:
    at = _cost()
    assert [s for s in at.selectbox if s.label == "Distribution"]  # the assumptions' inputs
    assert not [d for d in at.date_input if d.key == "year_start"]  # the roster tab's
    assert CORRELATIONS not in _captions(at)


def test_the_tab_a_person_opens_is_built_and_the_others_are_not() -> None:
    at = _cost("Correlations")
    assert CORRELATIONS in _captions(at)
    assert not [s for s in at.selectbox if s.label == "Distribution"]
    at = _cost("Roster")
    assert at.date_input(key="year_start").value == date(2027, 1, 1)
    assert CORRELATIONS not in _captions(at)


def test_a_problem_in_a_closed_tab_is_still_shown() -> None:
    at = _cost("Roster")
    at.date_input(key="year_start").set_value(None)  # the roster has join dates: the year's start is needed
    run_ok(at, 120)
    at.session_state["cost_inputs"] = "Assumptions"
    run_ok(at, 120)
    assert not [d for d in at.date_input if d.key == "year_start"]
    assert any("Other problems" in e.value and "year_start" in e.value for e in at.error)
    assert at.session_state["scenario_valid"].year_start == date(2027, 1, 1)  # the last valid year stays
