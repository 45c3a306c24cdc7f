"""ui.cohorts: the small-cohort sentences the Cost page's fairness view and the Plan designer show (issue 19)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _designer_notes_app() -> None:
    import streamlit as st

    from ui import cohorts, page, state

    page.init()
    state.set_ui("plan_id", st.session_state.get("pick", "implementation"))
    cohorts.show_target_notes("adoption_90d")  # what the designer calls under a metric's target
    st.text(f"all={len(cohorts.fairness_lines())}")


@pytest.fixture
def org(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the seed-001 org


def test_the_designer_shows_the_sentence_of_the_plan_being_edited_only(org) -> None:
    at = AppTest.from_function(_designer_notes_app, default_timeout=60)
    at.run()
    assert not at.exception
    # Implementation's own cohort: 8 new clients a quarter; its plan's 90% target needs 8 of 8 (7 of 8 is 87.5%)
    assert [c.value for c in at.caption] == [
        "Implementation: about 8 new clients a quarter, so Clients adopted within 90 days moves in steps of 12.5%: "
        "7 of 8 is 87.5% and misses the 90% target; only 8 of 8 (100%) meets it. For Implementation this "
        "target is all or nothing."]
    assert "all=2" in [t.value for t in at.text]  # and Change & Enablement's 2 clients on its own plan
    at.session_state["pick"] = "pmo"  # PMO's plan has no adoption metric: nothing under it
    at.run()
    assert not at.exception and not at.caption
