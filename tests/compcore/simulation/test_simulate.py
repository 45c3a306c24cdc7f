"""Monte Carlo cost: exact cases, reproducibility, scopes, correlation, distributions, re-pricing.

Statistical checks use tolerances derived from the standard error (4 SE), so a
correct engine fails them with probability well under 1e-4 per check, and the
seeds are fixed, so every run is the same.
"""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compcore
from compcore.errors import PlanError
from compcore.plan.payout import payout
from compcore.plan.schema import load_plan
from compcore.simulation.draws import CHUNK_TRIALS, draw_metrics, roster_arrays
from compcore.simulation.scenario import load_scenario
from compcore.simulation.simulate import price, simulate

ROOT = Path(__file__).resolve().parents[3]
QUARTERLY = ROOT / "sample_data/scenarios/cs_org_quarterly.json"


def one_metric(scope: str, dist: dict[str, Any], people: int = 1, curve: dict | None = None,
               amount: float = 4000, period: str = "quarter", budget: float | None = None) -> dict[str, Any]:
    """A plan paying ``curve(attainment)`` (default: exactly the attainment) on one metric."""
    data: dict[str, Any] = {
        "schema": "compcore.scenario/v1",
        "plan": {"name": "one", "period": period, "target_incentive": {"amount": amount},
                 "metrics": [{"id": "m", "name": "M", "target": 1.0, "scope": scope}],
                 "components": [{"id": "c", "metric": "m", "weight": 1,
                                 "curve": curve or {"kind": "linear", "points": [[0, 0], [2, 2]],
                                                    "above": "extend"}}]},
        "roster": [{"team": "CS", "role": "CSM", "headcount": people, "base_salary": 90000}],
        "assumptions": {"m": dist},
    }
    if budget is not None:
        data["budget"] = budget
    return data


def mixed() -> dict[str, Any]:
    """Company, team and individual metrics, tiers, a component gate and a plan cap, three teams."""
    return {
        "schema": "compcore.scenario/v1",
        "plan": {
            "name": "mixed", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
            "metrics": [
                {"id": "arr", "name": "ARR", "target": 1.0, "scope": "company"},
                {"id": "adopt", "name": "Adoption", "target": 0.9, "scope": "team"},
                {"id": "ebrs", "name": "EBRs", "target": 6, "scope": "individual"},
                {"id": "churn", "name": "Churn", "target": 0.05, "direction": "lower", "scope": "team"},
            ],
            "components": [
                {"id": "arr", "metric": "arr", "weight": 0.3, "curve": {"kind": "tiers", "bands": [
                    {"from": 0, "rate": 0.5}, {"from": 0.9, "rate": 2}, {"from": 1.1, "rate": 1}]}},
                {"id": "adopt", "metric": "adopt", "weight": 0.3,
                 "curve": {"kind": "steps", "steps": [[0.8, 0.5], [1.0, 1.0], [1.1, 1.3]]}},
                {"id": "ebrs", "metric": "ebrs", "weight": 0.2,
                 "curve": {"kind": "linear", "points": [[0, 0], [1, 1]], "above": "extend", "cap": 1.5}},
                {"id": "churn", "metric": "churn", "weight": 0.2,
                 "curve": {"kind": "linear", "points": [[0.5, 0.5], [1, 1], [1.5, 1.5]]}},
            ],
            "gates": [{"metric": "adopt", "below": 0.8, "cap": 0, "applies_to": ["adopt", "churn"]}],
            "cap": 1.6,
        },
        "roster": [
            {"team": "PMO", "role": "PM", "headcount": 3, "base_salary": 100000},
            {"team": "CS", "role": "CSM", "headcount": 5, "base_salary": 90000},
            {"team": "PMO", "role": "Lead", "headcount": 1, "base_salary": 120000,
             "target_incentive": {"amount": 15000}},
            {"team": "Ops", "role": "Analyst", "headcount": 2, "base_salary": 75000},
        ],
        "assumptions": {
            "arr": {"dist": "triangular", "low": 0.85, "mode": 1.0, "high": 1.2},
            "adopt": {"dist": "binomial", "n": 20, "p": 0.88},
            "ebrs": {"dist": "poisson", "mean": 6},
            "churn": {"dist": "beta", "a": 5, "b": 95},
        },
        "correlations": [{"between": ["arr", "adopt"], "rho": 0.5}, {"between": ["adopt", "churn"], "rho": -0.4}],
        "budget": 30000,
    }


def per_trial_loop(scn: Any, draws: Any) -> np.ndarray:
    """The plain way: one payout call per trial over everyone."""
    _, team_index, row_index = roster_arrays(scn.roster)
    targets = np.array([(r.target_incentive or scn.plan.target_incentive).annual(r.base_salary) / 4
                        for r in scn.roster])[row_index]
    cost = np.empty(draws.trials)
    for t in range(draws.trials):
        actuals = {}
        for m in scn.plan.metrics:
            v = draws.values[m.id][t]
            actuals[m.id] = (np.full(len(targets), v) if m.scope == "company"
                             else v[team_index] if m.scope == "team" else v)
        cost[t] = np.sum(payout(scn.plan, actuals).total * targets)
    return cost


# --- exact cases -----------------------------------------------------------------------------

def test_everyone_at_target_costs_exactly_the_sum_of_per_period_targets() -> None:
    scn = load_scenario(QUARTERLY)
    data = compcore.dump_scenario(scn)
    data["assumptions"] = {m.id: {"dist": "fixed", "value": m.target} for m in scn.plan.metrics}
    data["correlations"] = []
    sim = simulate(data, trials=500, seed=3)
    annual = sum(r.headcount * (r.target_incentive or scn.plan.target_incentive).annual(r.base_salary)
                 for r in scn.roster)
    assert sim.per_period_target == pytest.approx(annual / 4, rel=1e-12)
    assert np.all(sim.cost == sim.cost[0])
    assert sim.cost[0] == pytest.approx(annual / 4, rel=1e-12)
    assert sim.share_above_target == 0 and sim.share_zero == 0
    assert sim.annualised == pytest.approx(annual, rel=1e-12)


def test_a_roster_override_replaces_the_plans_target_incentive() -> None:
    data = one_metric("individual", {"dist": "fixed", "value": 1.0}, people=2)
    data["roster"][0]["target_incentive"] = {"amount": 10000}
    assert simulate(data, trials=10).cost[0] == pytest.approx(2 * 10000 / 4)


def test_a_missed_threshold_pays_nothing_to_anyone() -> None:
    curve = {"kind": "linear", "points": [[0.8, 0.5], [1, 1]]}
    sim = simulate(one_metric("company", {"dist": "fixed", "value": 0.7}, people=5, curve=curve), trials=100)
    assert np.all(sim.cost == 0) and sim.share_zero == 1 and sim.expected == 0


# --- API contract ----------------------------------------------------------------------------

def test_quantile_is_numpys_quantile_of_the_cost() -> None:
    sim = compcore.simulate(compcore.load_scenario(QUARTERLY), trials=2000, seed=0)
    assert sim.cost.shape == (2000,)
    for q in (0.1, 0.5, 0.9, 0.95):
        assert sim.quantile(q) == np.quantile(sim.cost, q)
    assert sim.percentiles["P90"] == np.quantile(sim.cost, 0.9)
    assert sim.p_over_budget == np.mean(sim.cost > sim.budget)


def test_without_a_budget_p_over_budget_is_none() -> None:
    assert simulate(one_metric("company", {"dist": "normal", "mean": 1, "sd": 0.1}), trials=100).p_over_budget is None


def test_cost_by_team_and_role_add_up_to_the_expected_cost() -> None:
    sim = simulate(mixed(), trials=3000, seed=2)
    assert list(sim.cost_by_team["team"]) == ["PMO", "CS", "Ops"]
    assert list(sim.cost_by_team["headcount"]) == [4, 5, 2]
    assert sim.cost_by_team["expected_cost"].sum() == pytest.approx(sim.expected, rel=1e-9)
    assert sim.cost_by_role["expected_cost"].sum() == pytest.approx(sim.expected, rel=1e-9)
    assert sim.cost_by_team["target"].sum() == pytest.approx(sim.per_period_target)
    assert len(sim.cost_by_role) == 4


def test_payout_sample_is_bounded_and_matches_the_shares() -> None:
    sim = simulate(mixed(), trials=40_000, seed=1)
    assert 0 < len(sim.payout_pct) <= 200_000
    assert np.mean(sim.payout_pct > 1 + 1e-9) == pytest.approx(sim.share_above_target, abs=0.02)


@pytest.mark.parametrize("trials", [0, -5, 1.5, "many"])
def test_a_bad_number_of_trials_is_a_plan_error(trials: Any) -> None:
    with pytest.raises(PlanError, match="trials"):
        simulate(mixed(), trials=trials)


# --- reproducibility and scale-out ---------------------------------------------------------------

def test_same_seed_same_result_and_another_seed_differs() -> None:
    a, b = simulate(mixed(), trials=1000, seed=5), simulate(mixed(), trials=1000, seed=5)
    assert np.array_equal(a.cost, b.cost)
    assert not np.array_equal(a.cost, simulate(mixed(), trials=1000, seed=6).cost)


def test_an_executor_with_two_workers_gives_the_identical_result() -> None:
    trials = 2 * CHUNK_TRIALS + 123  # three chunks
    plain = simulate(mixed(), trials=trials, seed=11)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = simulate(mixed(), trials=trials, seed=11, executor=pool)
    with ThreadPoolExecutor(max_workers=3) as pool:
        threaded = draw_metrics(mixed(), trials=trials, seed=11, executor=pool)
    assert np.array_equal(plain.cost, pooled.cost)
    assert plain.expected == pooled.expected and plain.share_above_target == pooled.share_above_target
    assert np.array_equal(plain.cost, price(load_scenario(mixed()).plan, threaded, load_scenario(mixed()).roster,
                                            30000).cost)


def test_progress_reports_each_chunk_up_to_done() -> None:
    seen: list[float] = []
    simulate(one_metric("company", {"dist": "normal", "mean": 1, "sd": 0.1}), trials=3 * CHUNK_TRIALS,
             progress=seen.append)
    assert seen == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_price_of_cached_draws_equals_simulate() -> None:
    scn = load_scenario(mixed())
    draws = compcore.draw_metrics(scn, trials=CHUNK_TRIALS + 500, seed=4)
    a = compcore.price(scn.plan, draws, scn.roster, scn.budget)
    b = compcore.simulate(scn, trials=CHUNK_TRIALS + 500, seed=4)
    assert np.array_equal(a.cost, b.cost) and a.p_over_budget == b.p_over_budget
    assert np.array_equal(a.payout_pct, b.payout_pct)


def test_the_fast_path_equals_a_plain_per_trial_loop() -> None:
    scn = load_scenario(mixed())
    draws = draw_metrics(scn, trials=400, seed=9)
    fast = price(scn.plan, draws, scn.roster).cost
    np.testing.assert_allclose(fast, per_trial_loop(scn, draws), rtol=1e-12, atol=1e-9)
    assert np.array_equal(fast, simulate(scn, trials=400, seed=9).cost)


def test_an_edited_plan_reprices_the_same_draws() -> None:
    scn = load_scenario(mixed())
    draws = draw_metrics(scn, trials=2000, seed=1)
    data = compcore.dump_plan(scn.plan)
    data["cap"] = 1.0
    capped = price(data, draws, scn.roster)
    assert np.all(capped.cost <= price(scn.plan, draws, scn.roster).cost + 1e-9)
    assert capped.cost.max() <= capped.per_period_target + 1e-6


def test_pricing_draws_of_another_scope_or_roster_is_refused() -> None:
    scn = load_scenario(mixed())
    draws = draw_metrics(scn, trials=10)
    data = compcore.dump_plan(scn.plan)
    data["metrics"][0]["scope"] = "team"
    with pytest.raises(PlanError, match="draw the metrics again"):
        price(data, draws, scn.roster)
    with pytest.raises(PlanError, match="roster"):
        price(scn.plan, draws, scn.roster[:2])
    bad = [dict(r.model_dump(mode="json"), base_salary=-1) for r in scn.roster]
    with pytest.raises(PlanError, match=r"roster\[0\]\.base_salary: must not be negative"):
        price(scn.plan, draws, bad)


# --- scopes --------------------------------------------------------------------------------------

def test_a_company_wide_miss_moves_everyones_pay_together() -> None:
    # payout = attainment, sd 0.1: company scope std = N T sd, individual scope std = sqrt(N) T sd
    people, trials, amount, sd = 25, 20_000, 4000.0, 0.1
    target = amount / 4
    company = simulate(one_metric("company", {"dist": "normal", "mean": 1, "sd": sd}, people), trials, seed=1)
    single = simulate(one_metric("individual", {"dist": "normal", "mean": 1, "sd": sd}, people), trials, seed=1)
    se = 4 / math.sqrt(2 * (trials - 1))  # relative standard error of a sample std, 4 SE
    assert company.std == pytest.approx(people * target * sd, rel=se)
    assert single.std == pytest.approx(math.sqrt(people) * target * sd, rel=se)
    assert company.std / single.std == pytest.approx(math.sqrt(people), rel=2 * se)
    # same expected cost either way: scope changes the risk, not the mean
    assert company.expected == pytest.approx(single.expected, abs=4 * company.std / math.sqrt(trials))


def test_a_team_metric_is_shared_inside_a_team_and_independent_across_teams() -> None:
    data = one_metric("team", {"dist": "normal", "mean": 1, "sd": 0.1})
    data["roster"] = [{"team": t, "role": "CSM", "headcount": 4, "base_salary": 90000} for t in ("A", "B", "C")]
    draws = draw_metrics(data, trials=20_000, seed=2)
    v = draws.values["m"]
    assert v.shape == (20_000, 3)
    assert abs(np.corrcoef(v[:, 0], v[:, 1])[0, 1]) < 4 / math.sqrt(20_000)
    sim = simulate(data, trials=20_000, seed=2)
    # three independent teams of 4: std = sqrt(3) * 4 * 1000 * 0.1
    assert sim.std == pytest.approx(math.sqrt(3) * 4 * 1000 * 0.1, rel=4 / math.sqrt(2 * 19_999))


# --- correlation ---------------------------------------------------------------------------------

def two_metrics(scope_a: str, scope_b: str, rho: float) -> dict[str, Any]:
    data = one_metric(scope_a, {"dist": "normal", "mean": 1, "sd": 0.1}, people=3)
    data["plan"]["metrics"].append({"id": "k", "name": "K", "target": 1.0, "scope": scope_b})
    data["plan"]["components"] = [
        {"id": "c", "metric": "m", "weight": 0.5, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}},
        {"id": "d", "metric": "k", "weight": 0.5, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}},
    ]
    data["assumptions"]["k"] = {"dist": "normal", "mean": 2, "sd": 0.5}
    data["correlations"] = [{"between": ["m", "k"], "rho": rho}]
    return data


@pytest.mark.parametrize(("scope_a", "scope_b"), [("company", "company"), ("team", "company"),
                                                  ("individual", "team"), ("individual", "individual")])
@pytest.mark.parametrize("rho", [0.6, -0.3])
def test_normal_marginals_keep_the_copula_rho(scope_a: str, scope_b: str, rho: float) -> None:
    trials = 20_000
    draws = draw_metrics(two_metrics(scope_a, scope_b, rho), trials=trials, seed=7)
    a, b = draws.values["m"], draws.values["k"]
    a = a.reshape(trials, -1)[:, 0]
    b = b.reshape(trials, -1)[:, 0]
    se = (1 - rho**2) / math.sqrt(trials)
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(rho, abs=4 * se)
    assert a.mean() == pytest.approx(1, abs=4 * 0.1 / math.sqrt(trials))
    assert b.std() == pytest.approx(0.5, rel=4 / math.sqrt(2 * trials))


# --- distributions -------------------------------------------------------------------------------

DISTS = [
    ({"dist": "normal", "mean": 0.95, "sd": 0.1}, 0.95, 0.1),
    ({"dist": "lognormal", "mean": 1.05, "sd": 0.2}, 1.05, 0.2),
    ({"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.3}, 31 / 30,
     math.sqrt((0.8**2 + 1 + 1.3**2 - 0.8 - 0.8 * 1.3 - 1.3) / 18)),
    ({"dist": "beta", "a": 8, "b": 2, "scale": 1.2}, 1.2 * 0.8, 1.2 * math.sqrt(16 / (100 * 11))),
    ({"dist": "binomial", "n": 40, "p": 0.88}, 0.88, math.sqrt(0.88 * 0.12 / 40)),
    ({"dist": "poisson", "mean": 12}, 12, math.sqrt(12)),
    ({"dist": "empirical", "values": [31, 35, 40, 42]}, 37, float(np.std([31, 35, 40, 42]))),
]


@pytest.mark.parametrize("correlated", [False, True], ids=["direct", "copula"])
@pytest.mark.parametrize(("dist", "mean", "sd"), DISTS, ids=[d[0]["dist"] for d in DISTS])
def test_each_distribution_draws_its_mean_and_spread(dist: dict, mean: float, sd: float, correlated: bool) -> None:
    trials = 40_000
    data = one_metric("company", dist)
    if correlated:  # a partner metric forces the copula path (inverse CDF of Phi(z))
        data["plan"]["metrics"].append({"id": "k", "name": "K", "target": 1.0, "scope": "company"})
        data["assumptions"]["k"] = {"dist": "normal", "mean": 1, "sd": 0.1}
        data["correlations"] = [{"between": ["m", "k"], "rho": 0.3}]
    v = draw_metrics(data, trials=trials, seed=13).values["m"]
    assert v.mean() == pytest.approx(mean, abs=4 * sd / math.sqrt(trials))
    # std of a sample std, 4 SE (kurtosis-safe margin: 6 SE)
    assert v.std() == pytest.approx(sd, rel=6 / math.sqrt(2 * trials))


def test_binomial_draws_the_share_of_a_cohort_of_clients() -> None:
    v = draw_metrics(one_metric("company", {"dist": "binomial", "n": 8, "p": 0.7}), trials=5000).values["m"]
    assert set(np.unique(v * 8)) <= set(range(9)) and np.allclose(v * 8, np.round(v * 8))


def test_empirical_bootstrap_only_draws_past_values() -> None:
    v = draw_metrics(one_metric("company", {"dist": "empirical", "values": [0.9, 1.1, 1.2]}), trials=3000)
    assert set(np.unique(v.values["m"])) == {0.9, 1.1, 1.2}


# --- sensitivity -------------------------------------------------------------------------------

def test_sensitivity_ranks_the_metric_that_drives_cost_variance_first() -> None:
    data = two_metrics("company", "company", 0.0)
    data["assumptions"]["m"] = {"dist": "normal", "mean": 1, "sd": 0.01}  # nearly certain
    data["assumptions"]["k"] = {"dist": "normal", "mean": 1, "sd": 0.2}  # the real risk
    data["plan"]["components"][1]["curve"] = {"kind": "linear", "points": [[0, 0], [2, 2]], "above": "extend"}
    sens = simulate(data, trials=5000, seed=3).sensitivity()
    assert list(sens["metric"]) == ["k", "m"]
    assert sens.loc[0, "variance_share"] > 0.9 and sens.loc[1, "variance_share"] < 0.05
    assert sens.loc[0, "cost_at_p10"] < sens.attrs["expected"] < sens.loc[0, "cost_at_p90"]


def test_sensitivity_of_a_fixed_metric_is_zero() -> None:
    data = two_metrics("company", "company", 0.0)
    data["assumptions"]["m"] = {"dist": "fixed", "value": 0.9}
    sens = price(load_plan(data["plan"]), draw_metrics(data, 1000), load_scenario(data).roster).sensitivity()
    row = sens.set_index("metric").loc["m"]
    assert row["variance_share"] == 0 and row["cost_at_p10"] == row["cost_at_p90"]


@pytest.mark.parametrize("dist", [{"dist": "poisson", "mean": 3}, {"dist": "binomial", "n": 5, "p": 0.5},
                                  {"dist": "empirical", "values": [1, 2]}, {"dist": "beta", "a": 2, "b": 3},
                                  {"dist": "triangular", "low": 0, "mode": 1, "high": 2}])
def test_extreme_copula_normals_stay_inside_the_support(dist: dict) -> None:
    from pydantic import TypeAdapter

    from compcore.simulation.distributions import Distribution

    d = TypeAdapter(Distribution).validate_python(dist)
    v = d.from_normal(np.array([-40.0, -9.0, 0.0, 9.0, 40.0]))
    assert np.all(np.isfinite(v)) and np.all(np.diff(v) >= 0)
