"""What changes for you, per team, between a version and the one it replaced (fixed values: by hand)."""

from __future__ import annotations

import copy

import pytest

from compcore.report.what_changes import team_change_lines, team_changes
from compcore.simulation.impact import impact
from tests.compcore.scenario_data import org_scenario


def test_no_change_moves_nobody() -> None:
    t = team_changes(impact(org_scenario(), org_scenario(), trials=20, seed=1))
    assert t["team"].tolist() == ["PMO", "Implementation", "Implementation East"]
    assert (t["change_points"] == 0).all() and (t["pay_before"] == t["pay_after"]).all()
    assert all("unchanged from" in line for line in team_change_lines(t, "quarter", "$"))


def test_a_team_moved_to_another_plan_and_a_doubled_target_incentive() -> None:
    after = copy.deepcopy(org_scenario())
    after["plans"]["pmo"]["target_incentive"] = {"percent_of_base": 0.2}
    after["roster"][2]["plan"] = "pmo"  # Implementation East (2 people, 8,000 a year) onto the PMO plan
    t = team_changes(impact(org_scenario(), after, trials=20, seed=1)).set_index("team")
    # PMO plan pays 0.7 x 0.9 + 0.3 x 1.5 = 1.08 of target: the same fraction on a doubled target, so the
    # PMO's 4 people earn 2 x 2,500 x 1.08 = 5,400 a quarter instead of 2,700
    pmo = t.loc["PMO"]
    assert pmo["change_points"] == pytest.approx(0) and (pmo["pay_before"], pmo["pay_after"]) == pytest.approx(
        (2_700, 5_400))
    # Implementation East: on the impl plan 0.8 x 0.81 / 0.9 + 0.2 = 0.92 of 2,000 = 1,840; on the PMO plan
    # 1.08 of 2,000 = 2,160 (an amount override does not double): +16 points
    east = t.loc["Implementation East"]
    assert (east["plan_before"], east["plan_after"]) == ("Implementation Q3", "PMO Q3")
    assert east["change_points"] == pytest.approx(16)
    assert (east["pay_before"], east["pay_after"]) == pytest.approx((1_840, 2_160))
    lines = team_change_lines(t.reset_index(), "quarter", "$")
    assert lines[2] == ("Implementation East (2 people): expected payout 108% of target, up 16 points from 92%; "
                        "a person earns $2,160 a quarter on average (was $1,840); reaches target in 100% of "
                        "quarters (was 0%). Moves from Implementation Q3 to PMO Q3.")


def test_a_plans_document_keeps_its_own_teams() -> None:
    t = team_changes(impact(org_scenario(), org_scenario(), trials=20, seed=1), teams=["Implementation East"])
    assert t["team"].tolist() == ["Implementation East"]
