"""The Cost page's fairness view says where a team's cohort makes a share target all or nothing (issue 19)."""

from __future__ import annotations

from tests.app.conftest import open_page


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
