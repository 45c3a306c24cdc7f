"""Several plans in one scenario (an org): costs by hand, shared metrics, by_team, fairness, round trips.

The org of ``tests.compcore.scenario_data.org_scenario`` has fixed assumptions, so every trial
costs the same and each figure is worked out by hand below.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

import compcore
from compcore.errors import PlanError
from compcore.simulation.roster import roster_from_csv, roster_to_csv
from compcore.simulation.simulate import price_scenario
from tests.compcore.scenario_data import org_scenario, sample_scenario

# Per-quarter target incentive: PMO 100,000 x 10% / 4 = 2,500; Implementation Lead 120,000 x 10% / 4 = 3,000;
# Implementation Consultant 12,000 / 4 = 3,000; Implementation East (override 8,000) 8,000 / 4 = 2,000.
# pmo payout: go_live 0.9 -> 0.9; company_arr 1.1 / 1.0 = 1.1 -> 1 + (0.1 / 0.2) x 1 = 1.5;
#   total 0.7 x 0.9 + 0.3 x 1.5 = 0.63 + 0.45 = 1.08.
# impl payout (company_arr 1.1 / 1.1 = 1.0 meets the step at 1 -> 1.0):
#   Implementation: adoption 0.72 / 0.9 = 0.8 -> 0.8; total 0.8 x 0.8 + 0.2 x 1 = 0.84.
#   Implementation East (by_team 0.81): 0.81 / 0.9 = 0.9; total 0.8 x 0.9 + 0.2 = 0.92.
PMO_PEOPLE = 4 * 2500 * 1.08            # 10,800
IMPL_LEAD = 1 * 3000 * 1.08             # 3,240 (an Implementation person on the pmo plan)
IMPL = 3 * 3000 * 0.84                  # 7,560
IMPL_EAST = 2 * 2000 * 0.92             # 3,680
PMO_PLAN = PMO_PEOPLE + IMPL_LEAD       # 14,040
IMPL_PLAN = IMPL + IMPL_EAST            # 11,240
ORG = PMO_PLAN + IMPL_PLAN              # 25,280


def test_org_costs_worked_by_hand() -> None:
    sim = compcore.simulate(org_scenario(), trials=500, seed=1)
    assert set(sim.plan_costs) == {"pmo", "impl", "cs"}
    assert sim.plan_costs["pmo"] == pytest.approx(np.full(500, PMO_PLAN))
    assert sim.plan_costs["impl"] == pytest.approx(np.full(500, IMPL_PLAN))
    assert np.all(sim.plan_costs["cs"] == 0)  # a draft plan nobody is on costs nothing
    assert sim.cost == pytest.approx(np.full(500, ORG))
    np.testing.assert_array_equal(sum(sim.plan_costs.values()), sim.cost)
    assert sim.expected == pytest.approx(25_280)
    assert sim.p_over_budget == 1.0  # 25,280 > budget 25,000 in every trial
    assert sim.per_period_target == pytest.approx(4 * 2500 + 3000 + 3 * 3000 + 2 * 2000)  # 26,000
    by_team = sim.cost_by_team.set_index("team")
    assert by_team.loc["PMO", "expected_cost"] == pytest.approx(PMO_PEOPLE)
    assert by_team.loc["Implementation", "expected_cost"] == pytest.approx(IMPL + IMPL_LEAD)  # 10,800
    assert by_team.loc["Implementation East", "expected_cost"] == pytest.approx(IMPL_EAST)
    assert by_team.loc["Implementation", "headcount"] == 4


def test_cost_by_plan_lists_plans_with_people() -> None:
    sim = compcore.simulate(org_scenario(), trials=200, seed=0)
    df = sim.cost_by_plan
    assert list(df.columns) == ["plan", "headcount", "target", "expected_cost", "pct_of_target"]
    assert list(df["plan"]) == ["pmo", "impl"]  # "cs" has nobody on it
    pmo, impl = df.iloc[0], df.iloc[1]
    assert (pmo.headcount, impl.headcount) == (5, 5)
    assert pmo.target == pytest.approx(4 * 2500 + 3000)          # 13,000
    assert impl.target == pytest.approx(3 * 3000 + 2 * 2000)     # 13,000
    assert pmo.expected_cost == pytest.approx(PMO_PLAN)
    assert pmo.pct_of_target == pytest.approx(14_040 / 13_000)
    assert impl.pct_of_target == pytest.approx(11_240 / 13_000)
    assert df["expected_cost"].sum() == pytest.approx(sim.expected)


def test_fairness_of_the_fixed_org() -> None:
    fair = compcore.simulate(org_scenario(), trials=300, seed=0).fairness
    assert list(fair.columns) == ["team", "plan", "headcount", "expected_payout", "p_at_or_above_target",
                                  "p_zero", "p10", "p90"]
    rows = {(r.team, r.plan): r for r in fair.itertuples()}
    assert list(rows) == [("PMO", "pmo"), ("Implementation", "pmo"), ("Implementation", "impl"),
                          ("Implementation East", "impl")]  # teams in roster order, then plans in order
    pmo = rows[("PMO", "pmo")]
    assert (pmo.headcount, pmo.expected_payout, pmo.p_at_or_above_target, pmo.p_zero) == (4, pytest.approx(1.08),
                                                                                           1.0, 0.0)
    assert (pmo.p10, pmo.p90) == (pytest.approx(1.08), pytest.approx(1.08))
    impl = rows[("Implementation", "impl")]
    assert (impl.headcount, impl.expected_payout, impl.p_at_or_above_target) == (3, pytest.approx(0.84), 0.0)
    assert rows[("Implementation", "pmo")].headcount == 1
    assert rows[("Implementation East", "impl")].expected_payout == pytest.approx(0.92)


def _one_metric_org(values: dict[str, float], target: float = 1.0) -> dict:
    """One team-scoped metric paid linearly (payout fraction = attainment); each team its own fixed value."""
    plan = {"name": "P", "period": "quarter", "target_incentive": {"amount": 4000},
            "metrics": [{"id": "m", "name": "M", "target": target, "scope": "team"}],
            "components": [{"id": "c", "metric": "m", "weight": 1, "curve": {"kind": "linear",
                                                                               "points": [[0, 0], [2, 2]]}}]}
    teams = list(values)
    return {"plans": {"a": plan}, "roster": [{"team": t, "role": "r", "headcount": 2, "base_salary": 1, "plan": "a"}
                                             for t in teams],
            "assumptions": {"m": {"dist": "fixed", "value": 0.5,
                                  "by_team": {t: {"dist": "fixed", "value": v} for t, v in values.items()}}}}


def test_fairness_at_target_uses_the_tolerance_and_zero_means_nothing_paid() -> None:
    # target 0.1 + 0.2 = 0.30000000000000004: a value of 0.3 is attainment 0.9999999999999998, i.e. at target
    data = _one_metric_org({"At": 0.3, "Zero": 0.0, "Below": 0.2}, target=0.1 + 0.2)
    fair = compcore.simulate(data, trials=50, seed=0).fairness.set_index("team")
    assert fair.loc["At", "p_at_or_above_target"] == 1.0
    assert fair.loc["At", "p_zero"] == 0.0
    assert fair.loc["Zero", "p_zero"] == 1.0
    assert fair.loc["Zero", "expected_payout"] == 0.0
    assert fair.loc["Below", "p_at_or_above_target"] == 0.0
    assert fair.loc["Below", "expected_payout"] == pytest.approx(0.2 / 0.30000000000000004)


def test_fairness_quantiles_are_numpys_over_person_periods() -> None:
    # individual metric: each person's own payout; p10 / p90 over that team's person-periods
    data = sample_scenario()
    data["plan"]["metrics"][0]["scope"] = "individual"
    sim = compcore.simulate(data, trials=3000, seed=4)
    draws = compcore.draw_metrics(data, trials=3000, seed=4)
    scn = compcore.load_scenario(data)
    okr, arr = draws.values["team_okr"], draws.values["company_arr"]
    pay = compcore.payout(scn.plan, {"team_okr": okr, "company_arr": arr[:, None]}).total  # (trials, employees)
    fair = sim.fairness.set_index("team")
    for k, team in enumerate(draws.teams):
        mine = pay[:, draws.team_index == k]
        assert fair.loc[team, "p10"] == pytest.approx(np.quantile(mine, 0.1), rel=1e-12)
        assert fair.loc[team, "p90"] == pytest.approx(np.quantile(mine, 0.9), rel=1e-12)
        assert fair.loc[team, "expected_payout"] == pytest.approx(mine.mean(), rel=1e-12)
        assert fair.loc[team, "p_at_or_above_target"] == pytest.approx(np.mean(mine >= 1 - 1e-9))
        assert fair.loc[team, "p_zero"] == pytest.approx(np.mean(mine <= 1e-9))
    assert set(sim.fairness["plan"]) == {"plan"}


def _shared(scope: str) -> dict:
    """Two plans paid on the same metric (payout = attainment), plan b with twice the bar."""
    def plan(target: float) -> dict:
        return {"name": f"t{target}", "period": "quarter", "target_incentive": {"amount": 4000},
                "metrics": [{"id": "m", "name": "M", "target": target, "scope": scope}],
                "components": [{"id": "c", "metric": "m", "weight": 1,
                                "curve": {"kind": "linear", "points": [[0, 0], [3, 3]], "above": "extend"}}]}
    return {"plans": {"a": plan(1.0), "b": plan(2.0)},
            "roster": [{"team": "X", "role": "r", "headcount": 3, "base_salary": 1, "plan": "a"},
                       {"team": "X", "role": "s", "headcount": 2, "base_salary": 1, "plan": "b"}],
            "assumptions": {"m": {"dist": "normal", "mean": 1.0, "sd": 0.2}}}


@pytest.mark.parametrize("scope", ["company", "team"])
def test_a_metric_shared_by_two_plans_is_one_draw(scope: str) -> None:
    sim = compcore.simulate(_shared(scope), trials=4000, seed=2)
    a, b = sim.plan_costs["a"], sim.plan_costs["b"]
    # a: 3 people x 1,000 x m / 1.0; b: 2 people x 1,000 x m / 2.0  ->  a / b = 3,000 / 1,000 = 3 in every trial
    assert np.std(a) > 100  # the metric does vary ...
    np.testing.assert_allclose(a / b, 3.0, rtol=1e-12)  # ... and both plans saw the same draw each trial
    draws = compcore.draw_metrics(_shared(scope), trials=10, seed=2)
    assert list(draws.values) == ["m"]


def _by_team_scenario(scope: str) -> dict:
    plan = {"name": "P", "period": "quarter", "target_incentive": {"amount": 4000},
            "metrics": [{"id": "adopt", "name": "Adoption", "target": 0.8, "scope": scope},
                        {"id": "co", "name": "Company", "target": 1.0, "scope": "company"}],
            "components": [{"id": "a", "metric": "adopt", "weight": 0.5, "curve": {"kind": "linear",
                                                                                     "points": [[0, 0], [1, 1]]}},
                           {"id": "c", "metric": "co", "weight": 0.5, "curve": {"kind": "linear",
                                                                                 "points": [[0, 0], [1, 1]]}}]}
    return {"plans": {"p": plan},
            "roster": [{"team": "Impl", "role": "r", "headcount": 3, "base_salary": 1, "plan": "p"},
                       {"team": "CS", "role": "r", "headcount": 4, "base_salary": 1, "plan": "p"}],
            "assumptions": {"adopt": {"dist": "normal", "mean": 0.8, "sd": 0.05,
                                      "by_team": {"CS": {"dist": "normal", "mean": 0.6, "sd": 0.1}}},
                            "co": {"dist": "normal", "mean": 1.0, "sd": 0.1}},
            "correlations": [{"between": ["adopt", "co"], "rho": 0.5}]}


@pytest.mark.parametrize("scope", ["team", "individual"])
def test_by_team_draws_their_own_marginal_and_keep_the_copula_rho(scope: str) -> None:
    draws = compcore.draw_metrics(_by_team_scenario(scope), trials=20_000, seed=5)
    adopt, co = draws.values["adopt"], draws.values["co"]
    cs = draws.teams.index("CS")
    cols = {t: ([k] if scope == "team" else np.flatnonzero(draws.team_index == k)) for k, t in enumerate(draws.teams)}
    for team, (mean, sd) in {"CS": (0.6, 0.1), "Impl": (0.8, 0.05)}.items():
        v = adopt[:, cols[team]]
        assert v.mean() == pytest.approx(mean, abs=0.005)
        assert v.std() == pytest.approx(sd, rel=0.03)
        # normal marginals keep the copula's rho exactly (up to sampling error, ~0.005 at 20,000 trials)
        assert np.corrcoef(v[:, 0], co)[0, 1] == pytest.approx(0.5, abs=0.03)
    assert cs in range(len(draws.teams))


@pytest.mark.parametrize("correlated", [True, False])
def test_by_team_of_a_discrete_share_draws_that_teams_cohort(correlated: bool) -> None:
    data = _by_team_scenario("team")
    data["assumptions"]["adopt"] = {"dist": "binomial", "n": 20, "p": 0.85,
                                    "by_team": {"CS": {"dist": "binomial", "n": 14, "p": 0.6}}}
    if not correlated:  # drawn from uniforms through each team's marginal (no copula)
        data["correlations"] = []
    draws = compcore.draw_metrics(data, trials=20_000, seed=1)
    cs = draws.values["adopt"][:, draws.teams.index("CS")]
    assert cs.mean() == pytest.approx(0.6, abs=0.01)
    assert set(np.round(cs * 14, 9)) <= set(range(15))  # k / 14 clients
    impl = draws.values["adopt"][:, draws.teams.index("Impl")]
    assert impl.mean() == pytest.approx(0.85, abs=0.01)


def test_price_scenario_and_price_of_plans_equal_simulate() -> None:
    data = _by_team_scenario("individual")
    sim = compcore.simulate(data, trials=25_000, seed=3)
    draws = compcore.draw_metrics(data, trials=25_000, seed=3)
    np.testing.assert_array_equal(price_scenario(data, draws).cost, sim.cost)
    scn = compcore.load_scenario(data)
    again = compcore.price(scn.plans, draws, scn.roster, 1000.0)
    np.testing.assert_array_equal(again.cost, sim.cost)
    pd.testing.assert_frame_equal(again.fairness, sim.fairness)
    assert again.p_over_budget == float(np.mean(sim.cost > 1000))


def test_editing_one_plan_reprices_only_that_plans_people() -> None:
    data = org_scenario()
    data["assumptions"]["go_live"] = {"dist": "normal", "mean": 0.9, "sd": 0.1}
    draws = compcore.draw_metrics(data, trials=2000, seed=0)
    before = price_scenario(data, draws)
    data["plans"]["impl"]["target_incentive"] = {"amount": 24000}  # double impl's incentive (no override for East)
    after = price_scenario(data, draws)
    np.testing.assert_array_equal(after.plan_costs["pmo"], before.plan_costs["pmo"])
    # Implementation consultants double (7,560 -> 15,120); East keeps its 8,000 override (3,680)
    assert after.plan_costs["impl"] == pytest.approx(np.full(2000, 2 * IMPL + IMPL_EAST))


def test_sensitivity_of_an_org_ranks_a_metric_shared_by_plans() -> None:
    data = org_scenario()
    data["assumptions"]["company_arr"] = {"dist": "normal", "mean": 1.05, "sd": 0.1}
    sens = compcore.simulate(data, trials=5000, seed=0).sensitivity()
    assert sens.iloc[0]["metric"] == "company_arr"
    assert set(sens["metric"]) == {"company_arr", "go_live", "adoption_90d"}  # each shared id once
    assert sens.iloc[0]["variance_share"] > 0.99  # the only random metric
    assert list(sens["variance_share"][1:]) == [0.0, 0.0]


def test_an_executor_gives_the_identical_org_result() -> None:
    data = _by_team_scenario("individual")
    alone = compcore.simulate(data, trials=45_000, seed=8)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = compcore.simulate(data, trials=45_000, seed=8, executor=pool)
    np.testing.assert_array_equal(alone.cost, pooled.cost)
    for p in alone.plan_costs:
        np.testing.assert_array_equal(alone.plan_costs[p], pooled.plan_costs[p])
    pd.testing.assert_frame_equal(alone.fairness, pooled.fairness)


# ---------------------------------------------------------------- round trips


def test_dump_and_load_round_trip_an_org() -> None:
    scn = compcore.load_scenario(org_scenario())
    dumped = compcore.dump_scenario(scn)
    assert list(dumped) == ["schema", "name", "plans", "roster", "assumptions", "correlations", "budget"]
    assert list(dumped["plans"]) == ["pmo", "impl", "cs"]
    assert dumped["roster"][0]["plan"] == "pmo"
    assert dumped["assumptions"]["adoption_90d"] == org_scenario()["assumptions"]["adoption_90d"]
    assert list(dumped["assumptions"]["adoption_90d"]) == ["dist", "value", "by_team"]
    assert compcore.load_scenario(dumped) == scn
    assert scn.is_org and scn.plan_of(1).name == "Implementation Q3" and scn.plan_id_of(3) == "pmo"
    assert scn.plan_rows == {"pmo": [0, 3], "impl": [1, 2], "cs": []}
    assert list(scn.metrics) == ["go_live", "company_arr", "adoption_90d"]
    with pytest.raises(PlanError, match="several plans"):
        _ = scn.plan


def test_a_single_plan_scenario_reads_as_one_plan_called_plan() -> None:
    scn = compcore.load_scenario(sample_scenario())
    assert not scn.is_org
    assert list(scn.plans) == ["plan"] and scn.plans["plan"] is scn.plan
    assert scn.plan_of(0) is scn.plan and scn.plan_id_of(scn.roster[1]) == "plan"
    assert "plans" not in compcore.dump_scenario(scn)


def test_share_link_round_trips_an_org() -> None:
    data = compcore.dump_scenario(compcore.load_scenario(org_scenario()))
    back = compcore.decode_scenario(compcore.encode_scenario(data))
    assert compcore.load_scenario(back) == compcore.load_scenario(data)


def test_store_round_trips_an_org(tmp_path) -> None:
    store = compcore.ScenarioStore(f"sqlite:///{tmp_path / 's.db'}")
    try:
        saved = store.save("CS org Q3", org_scenario())
        got = store.get(saved.id)
        assert compcore.load_scenario(got.data) == compcore.load_scenario(org_scenario())
        assert list(compcore.load_scenario(store.get(saved.id, version=1).data).plans) == ["pmo", "impl", "cs"]
    finally:
        store.close()


def test_roster_csv_carries_the_plan_column_of_an_org() -> None:
    rows = compcore.load_scenario(org_scenario()).roster
    text = roster_to_csv(rows)
    assert text.splitlines()[0].endswith(",plan")
    assert roster_from_csv(text) == rows
    single = compcore.load_scenario(sample_scenario()).roster
    assert "plan" not in roster_to_csv(single).splitlines()[0]


# ---------------------------------------------------------------- every rule names its path


def _error(data: dict) -> PlanError:
    with pytest.raises(PlanError) as e:
        compcore.load_scenario(data)
    return e.value


def _set(path: list, value) -> callable:  # type: ignore[valid-type]
    def change(d: dict) -> None:
        node = d
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value
    return change


BAD = [
    (lambda d: d.update(plan=d["plans"]["pmo"]), "plans", "not both"),
    (lambda d: d.pop("plans"), "plan", "is required"),
    (lambda d: d["roster"][1].pop("plan"), "roster[1].plan", "missing: name the plan this row is paid by"),
    (_set(["roster", 3, "plan"], "zz"), "roster[3].plan", 'unknown plan "zz"; use one of: pmo, impl, cs'),
    (_set(["plans", "impl", "period"], "month"), "plans.impl.period", 'is "month" but plans.pmo.period is "quarter"'),
    (_set(["plans", "impl", "metrics", 1, "scope"], "team"), "plans.impl.metrics[1].scope",
     'has scope "team" here but "company" in plans.pmo.metrics[1].scope'),
    (_set(["plans", "impl", "metrics", 1, "direction"], "lower"), "plans.impl.metrics[1].direction",
     'has direction "lower" here but "higher" in plans.pmo.metrics[1].direction'),
    (_set(["assumptions", "company_arr", "by_team"], {"PMO": {"dist": "fixed", "value": 1}}),
     "assumptions.company_arr.by_team", "company metric"),
    (_set(["assumptions", "adoption_90d", "by_team"], {"Nobody": {"dist": "fixed", "value": 1}}),
     "assumptions.adoption_90d.by_team.Nobody", 'no team "Nobody" in the roster'),
    (_set(["assumptions", "adoption_90d", "by_team"], {"PMO": {"dist": "normal", "mean": 1, "sd": -1}}),
     "assumptions.adoption_90d.by_team.PMO.sd", "must not be negative"),
    (lambda d: d["assumptions"].pop("adoption_90d"), "assumptions.adoption_90d",
     'missing assumption for metric "adoption_90d" (Adopted within 90 days) of plans.impl'),
    (lambda d: d["plans"].update({"Bad-Id": d["plans"]["cs"]}), "plans.Bad-Id", "not a valid plan id"),
    (_set(["plans", "pmo", "components", 0, "weight"], 0.5), "plans.pmo.components", "weights must sum to 1"),
    (_set(["plans"], {}), "plans", "at least 1"),
    (_set(["correlations"], [{"between": ["go_live", "nope"], "rho": 0.2}]), "correlations[0].between[1]",
     'unknown metric "nope"'),
    (lambda d: d.update(plan_file="x.json"), "plan_file", "not both"),
]


@pytest.mark.parametrize(("change", "path", "words"), BAD)
def test_each_broken_org_rule_is_a_plan_error_naming_the_path(change, path: str, words: str) -> None:
    data = org_scenario()
    change(data)
    err = _error(data)
    assert any(p == path and words in m for p, m in err.problems), err.problems
    assert f"{path}: " in str(err)


def test_a_single_plan_row_must_not_name_a_plan() -> None:
    data = sample_scenario()
    data["roster"][0]["plan"] = "pmo"
    assert _error(data).problems[0] == ("roster[0].plan", (
        'names plan "pmo" but this scenario has one plan for everyone; remove "plan" from the row, '
        'or give the scenario "plans" (plan id -> plan)'))


def test_pricing_plans_against_a_roster_that_does_not_name_them_is_refused() -> None:
    scn = compcore.load_scenario(org_scenario())
    draws = compcore.draw_metrics(scn, trials=10)
    rows = [r.model_dump(exclude_none=True) for r in scn.roster]
    rows[0]["plan"] = "nope"
    with pytest.raises(PlanError, match=r"roster\[0\].plan: unknown plan"):
        compcore.price(scn.plans, draws, rows)
    with pytest.raises(PlanError, match=r"roster\[0\].plan: names plan"):
        compcore.price(scn.plans["pmo"], draws, scn.roster)


def test_solve_finds_one_plans_incentive_for_an_org_budget() -> None:
    # an expected org cost of 20,000 with impl unchanged at 11,240: pmo must cost 8,760
    data = org_scenario()
    sol = compcore.solve(data, "plans.pmo.target_incentive.percent_of_base", {"expected_cost": 20_000},
                         trials=200, seed=0)
    # pmo cost = (4 x 100,000 + 120,000) x p / 4 x 1.08 = 140,400 p = 8,760  ->  p = 0.0623932...
    assert sol.value == pytest.approx(8760 / 140_400, rel=1e-3)
    assert sol.sim.expected == pytest.approx(20_000, rel=1e-3)
