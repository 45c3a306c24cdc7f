"""Small cohorts (issue 19): a share target on n clients is met in steps of 1/n; where a team's cohort makes the
target all or nothing, compcore finds it and says it in words. Arithmetic by hand in each test."""

from __future__ import annotations

import pytest

from compcore.report.fairness import cohort_steps, small_cohort_sentence, small_cohorts
from compcore.simulation.scenario import load_scenario


@pytest.mark.parametrize(("n", "target", "needed", "all_or_nothing"), [
    (6, 0.9, 6, True),     # 5/6 = 83.3% < 90%: only 6/6
    (20, 0.9, 18, False),  # 18/20 = 90% exactly meets 90%; 17/20 = 85%
    (10, 0.9, 9, False),   # 0.9 x 10 is 9.000000000000002 in floats: the 1e-9 tolerance keeps 9 of 10 enough
    (10, 0.95, 10, True),  # 9/10 = 90% < 95%
    (2, 0.8, 2, True),     # 1/2 = 50% < 80%
    (1, 0.5, 1, False),    # one client: always 0% or 100%, there is no step to miss by ("all" is the only way)
    (4, 0.5, 2, False),    # 2/4 = 50%
])
def test_the_clients_needed_for_a_share_target(n: int, target: float, needed: int, all_or_nothing: bool) -> None:
    s = cohort_steps(n, target)
    assert (s.needed, s.all_or_nothing) == (needed, all_or_nothing)
    assert s.at == needed / n
    assert s.at >= target - 1e-9 and (s.miss is None or s.miss < target)


def test_lower_is_better_allows_the_most_clients_under_the_target() -> None:
    # churn: 5 clients, at most 10%: 1 of 5 is 20% > 10%, so only 0 of 5 meets it
    s = cohort_steps(5, 0.1, "lower")
    assert (s.needed, s.at, s.miss, s.all_or_nothing) == (0, 0.0, 0.2, True)
    # 20 clients, at most 10%: 2 of 20 (10%) meets it, 3 of 20 (15%) misses
    s = cohort_steps(20, 0.1, "lower")
    assert (s.needed, s.at, s.miss, s.all_or_nothing) == (2, 0.1, 0.15, False)


def _plan(name: str, target: float) -> dict:
    return {"schema": "compcore.plan/v1", "name": name, "period": "quarter",
            "target_incentive": {"percent_of_base": 0.1},
            "metrics": [{"id": "adoption", "name": "Clients adopted within 90 days", "target": target,
                         "scope": "team", "unit": "share of new clients"}],
            "components": [{"id": "c", "metric": "adoption", "weight": 1.0,
                            "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]}


def test_the_teams_whose_cohort_makes_the_plans_target_all_or_nothing() -> None:
    scn = load_scenario({
        "schema": "compcore.scenario/v1", "name": "s",
        "plans": {"impl": _plan("Impl bonus", 0.9), "all": _plan("All live", 1.0)},
        "roster": [{"team": "Big", "role": "r", "headcount": 5, "base_salary": 1, "plan": "impl"},
                   {"team": "Small", "role": "r", "headcount": 2, "base_salary": 1, "plan": "impl"},
                   {"team": "Tiny", "role": "r", "headcount": 1, "base_salary": 1, "plan": "all"}],
        # the default: 20 clients (18 of 20 meets 90%); Small's own: 6 clients (only 6 of 6 meets 90%);
        # Tiny's plan asks for 100% of 3: all or nothing by design, not listed
        "assumptions": {"adoption": {"dist": "binomial", "n": 20, "p": 0.85,
                                     "by_team": {"Small": {"dist": "binomial", "n": 6, "p": 0.85},
                                                 "Tiny": {"dist": "binomial", "n": 3, "p": 0.9}}}}})
    found = small_cohorts(scn)
    assert [(c.team, c.plan, c.metric, c.steps.n) for c in found] == [("Small", "impl", "adoption", 6)]
    assert small_cohort_sentence(found[0], "quarter") == (
        "Small: about 6 new clients a quarter, so Clients adopted within 90 days moves in steps of 16.7%: 5 of 6 is "
        "83.3% and misses the 90% target; only 6 of 6 (100%) meets it. For Small this target is all or nothing.")
