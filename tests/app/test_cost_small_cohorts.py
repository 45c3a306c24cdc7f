"""The Cost page's fairness view says where a team's cohort makes a share target all or nothing (issue 19)."""

from __future__ import annotations

from tests.app.conftest import open_page, run_ok


def test_the_fairness_view_names_each_team_whose_target_is_all_or_nothing(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the seed-001 org
    at = open_page("cost_simulation", timeout=120)
    infos = [i.value.replace("\\", "") for i in at.info]
    # Implementation: 8 new clients a quarter against a 90% target (7 of 8 = 87.5%);
    # Change & Enablement: 2 a quarter against 80% (1 of 2 = 50%). PMO's 100% "all go-lives live" is all or
    # nothing by design and is not flagged.
    assert any(i.startswith("Implementation: about 8 new clients a quarter") and "all or nothing" in i for i in infos)
    assert any(i.startswith("Change & Enablement: about 2 new clients a quarter") and "1 of 2 is 50%" in i
               for i in infos)
    assert not any(i.startswith("PMO:") for i in infos)


def test_the_designer_says_it_under_the_target_of_the_plan_being_edited(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)
    at = open_page("plan_designer", timeout=120)
    assert not [c for c in at.caption if "all or nothing" in c.value]  # PMO: its 100% target is all by design
    at.selectbox(key="plan_pick").set_value("implementation")
    run_ok(at, 120)
    notes = [c.value.replace("\\", "") for c in at.caption if "all or nothing" in c.value]
    assert notes == ["Implementation: about 8 new clients a quarter, so Clients adopted within 90 days moves in "
                     "steps of 12.5%: 7 of 8 is 87.5% and misses the 90% target; only 8 of 8 (100%) meets it. "
                     "For Implementation this target is all or nothing."]
