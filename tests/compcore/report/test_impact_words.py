"""Who wins, who loses in words and as a table (compcore.report.impact), on fixed draws computed by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import compcore
from compcore.report.impact import WHO_COLUMNS, cost_sentence, plan_table, who_sentence, who_table


def scenario(targets: dict[str, float], roster: list[dict[str, Any]]) -> dict[str, Any]:
    """Each plan pays its fixed metric linearly (0 -> 0, 1 -> 1), 4,000 a year: 1,000 a quarter per person."""
    plans = {pid: {"name": f"{pid.upper()} bonus", "period": "quarter", "target_incentive": {"amount": 4000},
                   "metrics": [{"id": f"m_{pid}", "name": pid, "target": t}],
                   "components": [{"id": "A", "metric": f"m_{pid}", "weight": 1.0,
                                   "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]}
             for pid, t in targets.items()}
    return {"schema": "compcore.scenario/v1", "name": "x", "plans": plans, "roster": roster,
            "assumptions": {f"m_{pid}": {"dist": "fixed", "value": 0.9} for pid in targets}}


ROSTER = [{"team": "PMO", "role": "PM", "headcount": 2, "base_salary": 1, "plan": "pmo"},
          {"team": "Implementation", "role": "Consultant", "headcount": 3, "base_salary": 1, "plan": "impl"},
          {"team": "Implementation", "role": "Lead", "headcount": 1, "base_salary": 1, "plan": "impl"}]


def test_losers_come_first_and_the_sentence_names_the_team_when_all_its_roles_move_alike() -> None:
    # PMO: 0.9 of a 0.9 target -> 100% (was 0.9 / 1.0 = 90%): +10 points.
    # Implementation: 0.9 of 1.2 -> 75% (was 90%): -15 points, both roles.
    before = scenario({"pmo": 1.0, "impl": 1.0}, ROSTER)
    after = scenario({"pmo": 0.9, "impl": 1.2}, ROSTER)
    imp = compcore.impact(before, after, trials=20)
    t = who_table(imp)
    assert list(t.columns) == list(WHO_COLUMNS)
    assert list(zip(t["team"], t["role"], strict=True)) == [
        ("Implementation", "Consultant"), ("Implementation", "Lead"), ("PMO", "PM")]
    assert t["change_points"].tolist() == pytest.approx([-15.0, -15.0, 10.0])
    # cost per quarter: consultants 3 x 1,000 x (0.75 - 0.9) = -450; PMO 2 x 1,000 x 0.1 = +200
    assert t["cost_change"].tolist() == pytest.approx([-450.0, -150.0, 200.0])
    assert t["plan_before"].tolist() == ["IMPL bonus", "IMPL bonus", "PMO bonus"]
    assert who_sentence(imp) == "Implementation loses 15 points of target on average; PMO gains 10 points."
    # -450 - 150 + 200 = -400 in every trial
    assert cost_sentence(imp, "quarter") == "The change costs $400 less per quarter on average (P10 -$400, P90 -$400)."
    plans = plan_table(imp).set_index("plan")
    assert plans.loc["IMPL bonus", "change"] == pytest.approx(-600.0)
    assert plans.loc["PMO bonus", "change_p90"] == pytest.approx(200.0)


def test_a_role_is_named_when_its_team_moves_unevenly_and_new_groups_are_listed() -> None:
    before = scenario({"pmo": 1.0, "impl": 1.0}, ROSTER)
    moved = [dict(r) for r in ROSTER]
    moved[2]["plan"] = "pmo"  # the Implementation lead moves to the PMO plan (target 0.9 after)
    moved.append({"team": "CS Ops", "role": "Analyst", "headcount": 1, "base_salary": 1, "plan": "pmo"})
    imp = compcore.impact(before, scenario({"pmo": 0.9, "impl": 1.2}, moved), trials=20)
    # consultants 90% -> 75%; the lead 90% -> 100% on the PMO plan
    # the PMO and the lead both gain 10 points: named together, in roster order
    assert who_sentence(imp) == ("Consultant (Implementation) loses 15 points of target on average; "
                                 "PMO and Lead (Implementation) gain 10 points. New: Analyst (CS Ops).")
    t = who_table(imp)
    lead = t[t["role"] == "Lead"].iloc[0]
    assert (lead["plan_before"], lead["plan_after"]) == ("IMPL bonus", "PMO bonus")
    assert t.iloc[-1]["team"] == "CS Ops" and np.isnan(t.iloc[-1]["change_points"])  # one side only: last


def test_no_change_says_so() -> None:
    s = scenario({"pmo": 1.0, "impl": 1.0}, ROSTER)
    imp = compcore.impact(s, s, trials=20)
    assert who_sentence(imp) == "Nobody's expected payout moves by half a point of target or more."
    assert cost_sentence(imp, "month") == "The cost does not change in any simulated month."
