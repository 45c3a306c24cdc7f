"""compcore.report.assumption_use: which numbers apply to which team, said in words (issue 19)."""

from __future__ import annotations

from compcore.report.assumption_use import (
    DIST_WORDS,
    assumption_use,
    assumption_use_lines,
    param_in_percent,
    param_label,
    teams_using,
)
from compcore.simulation.distributions import DIST_KINDS
from compcore.simulation.scenario import load_scenario


def _plan(name: str, metric: str) -> dict:
    return {"schema": "compcore.plan/v1", "name": name, "period": "quarter",
            "target_incentive": {"percent_of_base": 0.1},
            "metrics": [{"id": metric, "name": "Clients adopted within 90 days", "target": 0.9, "scope": "team",
                         "unit": "share of new clients"}],
            "components": [{"id": "c", "metric": metric, "weight": 1.0,
                            "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]}


def _scn(by_team: dict) -> object:
    return load_scenario({
        "schema": "compcore.scenario/v1", "name": "s",
        "plans": {"impl": _plan("Impl", "adoption"), "ce": _plan("C&E", "adoption"), "none": _plan("Draft", "x")},
        "roster": [{"team": "Implementation", "role": "r", "headcount": 5, "base_salary": 1, "plan": "impl"},
                   {"team": "PMO", "role": "r", "headcount": 2, "base_salary": 1, "plan": "impl"},
                   {"team": "Change", "role": "r", "headcount": 3, "base_salary": 1, "plan": "ce"},
                   {"team": "Empty", "role": "r", "headcount": 0, "base_salary": 1, "plan": "ce"}],
        "assumptions": {"adoption": {"dist": "binomial", "n": 20, "p": 0.85, "by_team": by_team},
                        "x": {"dist": "fixed", "value": 1.0}}})


def test_the_teams_on_a_plan_with_the_metric_in_roster_order_and_nobody_for_a_draft_plan() -> None:
    scn = _scn({})
    assert teams_using(scn) == {"adoption": ["Implementation", "PMO", "Change"], "x": []}  # "Empty" has nobody


def test_the_default_applies_to_the_teams_without_their_own() -> None:
    scn = _scn({"Change": {"dist": "binomial", "n": 4, "p": 0.5}})
    use = assumption_use(scn, "adoption")
    assert (use.default_teams, use.own_teams) == (["Implementation", "PMO"], ["Change"])
    lines = assumption_use_lines(scn, "adoption")
    assert lines[0] == "The numbers above apply to Implementation and PMO."
    # Change's own numbers in words: 4 clients, half adopted on average: "about 2 of 4" (50%);
    # 8 quarters in 10 between 1 and 3 of 4 (its P10 and P90: 25% and 75%)
    assert lines[1] == ("Change has its own, fitted from its history: about 2 of 4 new clients (50%) in a typical "
                        "quarter; 8 quarters in 10 between 25% and 75%.")


def test_when_every_team_has_its_own_the_default_applies_to_none_and_says_so() -> None:
    own = {"dist": "binomial", "n": 4, "p": 0.5}
    scn = _scn({"Implementation": own, "PMO": own, "Change": own})
    assert assumption_use(scn, "adoption").default_teams == []
    assert assumption_use_lines(scn, "adoption")[0].startswith("The numbers above apply to no team now")


def test_no_sentence_when_no_team_has_its_own() -> None:
    assert assumption_use_lines(_scn({}), "adoption") == []


def test_every_distribution_and_parameter_has_words_and_the_typed_unit() -> None:
    assert set(DIST_WORDS) == set(DIST_KINDS)
    assert param_label("binomial", "n", "quarter") == "Clients in a quarter's cohort"
    assert param_label("binomial", "p") == "Chance each one counts (%)"  # no "p", no "n", no "sd" alone
    assert param_label("normal", "sd", percent=True) == "Spread (± typical, sd) (%)"
    assert param_in_percent("p", False) and not param_in_percent("n", True)
    assert param_in_percent("mean", True) and not param_in_percent("mean", False)
