"""simulate_year: the year's statistics, its schedules and proration, checked against pay_year by hand."""

from __future__ import annotations

import copy
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pytest

import compcore
from compcore import load_scenario, pay_year
from compcore.simulation.calendar import employed_shares
from compcore.simulation.year import price_year, simulate_year
from compcore.simulation.year_draws import draw_year
from tests.compcore.scenario_data import org_scenario, sample_scenario

TRIALS = 4_000


def quarterly(data: dict[str, Any], schedule: dict[str, Any] | None = None) -> dict[str, Any]:
    """The seed-000 sample scenario as a quarterly plan (with a schedule)."""
    out = copy.deepcopy(data)
    out["plan"]["period"] = "quarter"
    if schedule is not None:
        out["plan"]["schedule"] = schedule
    return out


def mixed() -> dict[str, Any]:
    """Quarterly, a team and a company metric, five people on two teams (one row with an override)."""
    return quarterly(sample_scenario())


def test_the_first_quarter_of_the_year_is_the_quarter_simulate_draws() -> None:
    data = mixed()
    yr, sim = simulate_year(data, trials=TRIALS, seed=3), compcore.simulate(data, trials=TRIALS, seed=3)
    assert np.array_equal(yr.paid[:, 0], sim.cost)
    assert yr.paid.shape == (TRIALS, 5)
    assert yr.when == ("Q1", "Q2", "Q3", "Q4", "Year end")
    assert np.array_equal(yr.cost, yr.paid.sum(axis=1))


def test_without_persistence_the_default_year_is_four_independent_quarters() -> None:
    data = mixed()
    n = 40_000
    yr, sim = simulate_year(data, trials=n, seed=1), compcore.simulate(data, trials=n, seed=2)
    # mean: P x a period's, within 4 standard errors of the difference (P var / n + P^2 var / n)
    se = np.sqrt(4 * sim.std**2 / n + 16 * sim.std**2 / n)
    assert abs(yr.expected - 4 * sim.expected) < 4 * se
    # variance: P x a period's (independent quarters), within 5% (the estimate's error is ~1.5% here)
    assert yr.std**2 == pytest.approx(4 * sim.std**2, rel=0.05)
    # and the quarters are uncorrelated
    assert abs(np.corrcoef(yr.paid[:, 0], yr.paid[:, 1])[0, 1]) < 0.03
    assert np.all(yr.paid[:, 4] == 0.0)  # nothing held, nothing at the year end


def by_hand(data: dict[str, Any], trials: int, seed: int) -> np.ndarray:
    """Each year's cost person by person with pay_year on the drawn values (the rule, no vectorising)."""
    scn = load_scenario(data)
    draws = draw_year(scn, trials=trials, seed=seed)
    teams = draws.periods[0].teams
    out = np.zeros(trials)
    e = 0
    for r in scn.roster:
        plan = scn.plan_of(r)
        shares = employed_shares(scn.year_start, scn.period, r.start, r.end)
        target = plan.period_target_incentive(r.base_salary, r.target_incentive)
        for _ in range(r.headcount):
            for t in range(trials):
                actuals = []
                for d in draws.periods:
                    a = {}
                    for m in plan.metrics:
                        v = d.values[m.id]
                        a[m.id] = float(v[t] if m.scope == "company" else
                                        v[t, teams.index(r.team)] if m.scope == "team" else v[t, e])
                    actuals.append(a)
                out[t] += target * pay_year(plan, actuals, shares).total
            e += 1
    return out


SCHEDULES = [
    {},
    {"measure": "year_to_date"},
    {"measure": "year_to_date", "holdback": 0.25, "year_end": "true_up"},
    {"measure": "period", "period_cap": 1.0, "year_end": "true_up"},
    {"measure": "year_to_date", "period_cap": 1.1, "holdback": 0.1, "year_end": "true_up_and_clawback"},
]


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_every_person_is_paid_by_pay_year_on_the_drawn_values(schedule: dict[str, Any]) -> None:
    data = quarterly(sample_scenario(), schedule)
    data["plan"]["metrics"][0]["scope"] = "individual"  # people differ within a team
    data["year_start"] = "2027-01-01"
    data["roster"][0]["start"] = "2027-05-20"  # a hire in Q2
    data["roster"][1]["end"] = "2027-10-10"    # leavers in Q4
    yr = simulate_year(data, trials=60, seed=5)
    assert np.allclose(yr.cost, by_hand(data, 60, 5), rtol=1e-12, atol=1e-6)


def test_price_year_on_the_years_draws_is_simulate_year() -> None:
    data = quarterly(sample_scenario(), {"measure": "year_to_date", "holdback": 0.2, "year_end": "true_up"})
    yr = simulate_year(data, trials=TRIALS, seed=7)
    again = price_year(data, draw_year(data, trials=TRIALS, seed=7))
    assert np.array_equal(yr.paid, again.paid)
    assert yr.fairness.equals(again.fairness)


def test_holdback_moves_money_to_the_year_end_only() -> None:
    base = simulate_year(mixed(), trials=TRIALS, seed=0)
    held = simulate_year(quarterly(sample_scenario(), {"holdback": 0.25}), trials=TRIALS, seed=0)
    assert np.allclose(held.paid[:, :4], 0.75 * base.paid[:, :4], rtol=1e-12)
    assert np.allclose(held.settlement, 0.25 * base.paid[:, :4].sum(axis=1), rtol=1e-12)
    assert np.allclose(held.cost, base.cost, rtol=1e-12)


def test_a_cap_with_a_true_up_costs_the_year_what_no_cap_costs() -> None:
    free = simulate_year(mixed(), trials=TRIALS, seed=0)
    capped = simulate_year(quarterly(sample_scenario(), {"period_cap": 0.9, "year_end": "true_up"}),
                           trials=TRIALS, seed=0)
    assert np.allclose(capped.cost, free.cost, rtol=1e-12)
    assert np.all(capped.paid[:, :4] <= free.paid[:, :4] + 1e-9)
    assert capped.settlement.mean() > 0  # what the cap held back in some quarters is paid at the year end


def test_a_cap_without_a_true_up_costs_less() -> None:
    free = simulate_year(mixed(), trials=TRIALS, seed=0)
    capped = simulate_year(quarterly(sample_scenario(), {"period_cap": 0.9}), trials=TRIALS, seed=0)
    assert np.all(capped.cost <= free.cost + 1e-9)
    assert capped.expected < free.expected


def fixed_org(**roster_dates: dict[str, str]) -> dict[str, Any]:
    data = org_scenario()
    data["year_start"] = "2027-01-01"
    for i, dates in roster_dates.items():
        data["roster"][int(i.removeprefix("row"))].update(dates)
    return data


def test_roster_dates_prorate_the_year_exactly() -> None:
    full = simulate_year(fixed_org(), trials=10, seed=0)
    quarter = compcore.simulate(org_scenario(), trials=10, seed=0)
    # fixed values: every quarter costs the same, the year 4 quarters
    assert np.allclose(full.cost, 4 * quarter.cost[0], rtol=1e-12)
    dated = simulate_year(fixed_org(row0={"start": "2027-08-15"}, row2={"end": "2027-03-15"}), trials=10, seed=0)
    scn = load_scenario(org_scenario())
    sim = compcore.simulate(scn, trials=10, seed=0)
    pmo_row0 = sim.cost_by_role.query("team == 'PMO'")["expected_cost"].iloc[0]  # row 0: 4 PMs, a quarter
    east = sim.cost_by_team.query("team == 'Implementation East'")["expected_cost"].iloc[0]  # row 2's team
    # row 0 hired 15 August: Q3 47 of 92 days, Q4 in full; row 2 leaves 15 March: 74 of Q1's 90 days
    expected = 4 * quarter.cost[0] - pmo_row0 * (4 - (47 / 92 + 1)) - east * (4 - 74 / 90)
    assert np.allclose(dated.cost, expected, rtol=1e-12)


def test_fairness_is_per_person_year_for_the_time_employed() -> None:
    dated = simulate_year(fixed_org(row2={"end": "2027-03-15"}), trials=10, seed=0)
    full = simulate_year(fixed_org(), trials=10, seed=0)
    east_dated = dated.fairness.query("team == 'Implementation East'").iloc[0]
    east_full = full.fairness.query("team == 'Implementation East'").iloc[0]
    # 0.81 / 0.9 = 0.9 of the adoption target -> 0.9 x 0.8 + 1 x 0.2 = 0.92, whatever the time employed
    assert east_dated["expected_payout"] == pytest.approx(0.92, abs=1e-12)
    assert east_full["expected_payout"] == pytest.approx(0.92, abs=1e-12)


def test_people_outside_the_year_cost_nothing_and_are_not_in_fairness() -> None:
    data = fixed_org(row2={"start": "2028-02-01"})
    yr = simulate_year(data, trials=10, seed=0)
    assert "Implementation East" not in set(yr.fairness["team"])
    assert np.allclose(yr.cost, simulate_year(_without_row(data, 2), trials=10, seed=0).cost, rtol=1e-12)


def _without_row(data: dict[str, Any], i: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    del out["roster"][i]
    del out["assumptions"]["adoption_90d"]["by_team"]
    return out


def test_the_year_goes_over_the_annual_budget_or_the_period_budget_times_four() -> None:
    data = mixed()
    yr = simulate_year(data, trials=TRIALS, seed=0)
    assert yr.budget == 4 * data["budget"]
    assert yr.p_over_budget == np.mean(yr.cost > 4 * data["budget"])
    yr2 = simulate_year({**data, "annual_budget": 150_000}, trials=TRIALS, seed=0)
    assert yr2.budget == 150_000
    assert yr2.p_over_budget == np.mean(yr2.cost > 150_000)
    assert yr.quantile(0.9) == np.quantile(yr.cost, 0.9)


def test_by_period_summarises_each_column_of_paid() -> None:
    yr = simulate_year(quarterly(sample_scenario(), {"holdback": 0.2}), trials=TRIALS, seed=0)
    bp = yr.by_period
    assert list(bp.columns) == ["when", "expected", "p10", "p90"]
    assert list(bp["when"]) == ["Q1", "Q2", "Q3", "Q4", "Year end"]
    assert bp["expected"].tolist() == pytest.approx(yr.paid.mean(axis=0).tolist(), rel=1e-12)
    assert bp["p90"].iloc[4] == np.quantile(yr.paid[:, 4], 0.9)


def test_plan_costs_add_up_to_the_year() -> None:
    data = fixed_org(row0={"start": "2027-08-15"})
    yr = simulate_year(data, trials=10, seed=0)
    assert set(yr.plan_costs) == {"pmo", "impl", "cs"}
    assert np.allclose(sum(yr.plan_costs.values()), yr.cost, rtol=1e-12)
    assert np.all(yr.plan_costs["cs"] == 0)
    assert list(yr.cost_by_plan["plan"]) == ["pmo", "impl"]


def test_same_seed_same_year_and_identical_on_a_process_pool() -> None:
    data = quarterly(sample_scenario(), {"measure": "year_to_date", "holdback": 0.25, "year_end": "true_up"})
    n = 45_000  # three chunks of years
    one = simulate_year(data, trials=n, seed=11)
    assert np.array_equal(one.paid, simulate_year(data, trials=n, seed=11).paid)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = simulate_year(data, trials=n, seed=11, executor=pool)
    assert np.array_equal(one.paid, pooled.paid)
    assert one.fairness.equals(pooled.fairness)
    assert not np.array_equal(one.paid, simulate_year(data, trials=n, seed=12).paid)


def persistent(rho: float, n_metrics: int = 1) -> dict[str, Any]:
    """One company metric (normal, mean 1, sd 0.1, target 1) paid 1:1 on a linear curve: a quarter costs
    the headcount's target x the drawn value, the year the target x the sum of four values."""
    metrics = [{"id": f"m{i}", "name": f"Metric {i}", "target": 1.0, "scope": "company"} for i in range(n_metrics)]
    comps = [{"id": f"c{i}", "metric": f"m{i}", "weight": 1 / n_metrics,
              "curve": {"kind": "linear", "points": [[0, 0], [2, 2]]}} for i in range(n_metrics)]
    return {"name": "AR(1)", "plan": {"name": "Persistent", "period": "quarter", "target_incentive": {"amount": 4000},
                                      "metrics": metrics, "components": comps},
            "roster": [{"team": "CS", "role": "CSM", "headcount": 1, "base_salary": 1}],
            "assumptions": {f"m{i}": {"dist": "normal", "mean": 1.0, "sd": 0.1, "persistence": rho}
                            for i in range(n_metrics)}}


def test_a_persistent_metric_gives_the_ar1_variance_of_the_year_and_lag_1_correlation_rho() -> None:
    n, rho = 40_000, 0.6
    yr = simulate_year(persistent(rho), trials=n, seed=0)
    quarter = yr.paid[:, :4] / 1000  # the drawn values (target 1,000 a quarter)
    # Var(v1 + ... + v4) = sd^2 (4 + 2 (3 rho + 2 rho^2 + rho^3)) = 0.01 x (4 + 2 x 2.736) = 0.09472
    expected_var = 0.01 * (4 + 2 * (3 * rho + 2 * rho**2 + rho**3))
    assert np.var(quarter.sum(axis=1)) == pytest.approx(expected_var, rel=0.04)
    for t in range(3):
        assert np.corrcoef(quarter[:, t], quarter[:, t + 1])[0, 1] == pytest.approx(rho, abs=0.02)
        assert quarter[:, t].mean() == pytest.approx(1.0, abs=0.003)  # each quarter keeps its marginal
        assert quarter[:, t].std() == pytest.approx(0.1, rel=0.02)
    assert np.corrcoef(quarter[:, 0], quarter[:, 2])[0, 1] == pytest.approx(rho**2, abs=0.02)
    # without persistence the same year is four independent quarters: 4 x 0.01
    free = simulate_year(persistent(0.0), trials=n, seed=0).paid[:, :4] / 1000
    assert np.var(free.sum(axis=1)) == pytest.approx(0.04, rel=0.04)


def test_persistence_keeps_the_within_quarter_correlation() -> None:
    data = persistent(0.8, n_metrics=2)
    data["assumptions"]["m1"]["persistence"] = 0.0  # a different persistence, correlated at 0.5
    data["correlations"] = [{"between": ["m0", "m1"], "rho": 0.5}]
    draws = draw_year(data, trials=40_000, seed=0)
    for d in draws.periods:
        assert np.corrcoef(d.values["m0"], d.values["m1"])[0, 1] == pytest.approx(0.5, abs=0.02)
    m0 = [d.values["m0"] for d in draws.periods]
    assert np.corrcoef(m0[1], m0[2])[0, 1] == pytest.approx(0.8, abs=0.02)


def test_persistent_years_are_the_same_on_a_process_pool() -> None:
    data = persistent(0.7, n_metrics=2)
    data["correlations"] = [{"between": ["m0", "m1"], "rho": 0.3}]
    n = 45_000
    one = simulate_year(data, trials=n, seed=4)
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert np.array_equal(one.paid, simulate_year(data, trials=n, seed=4, executor=pool).paid)


def test_an_org_year_priced_plan_by_plan_is_simulate_year_and_one_edited_plan_reprices_alone() -> None:
    from compcore.simulation.year import price_plan_year, year_of_plans

    path = "sample_data/scenarios/cs_org_teams.json"
    scn = load_scenario(path)
    draws = draw_year(scn, trials=3_000, seed=2)
    whole = simulate_year(scn, trials=3_000, seed=2)
    assert np.array_equal(price_year(scn, draws).paid, whole.paid)
    parts = {pid: price_plan_year(scn, draws, pid) for pid in scn.plans}
    data = compcore.dump_scenario(scn)
    data["plans"]["pmo"]["target_incentive"]["percent_of_base"] = 0.12
    edited = load_scenario(data)
    parts["pmo"] = price_plan_year(edited, draws, "pmo")  # the other plans' years are reused as they were
    again = year_of_plans(edited, draws, parts)
    assert np.array_equal(again.paid, simulate_year(edited, trials=3_000, seed=2).paid)
    assert again.fairness.equals(price_year(edited, draws).fairness)


def test_a_persistent_individual_metric_is_carried_only_where_a_plan_reads_it_and_the_same_there() -> None:
    from compcore.simulation.draws import chunk_plan, draw_spec
    from compcore.simulation.year_draws import ChunkYear, YearSpec, year_spec

    scn = load_scenario("sample_data/scenarios/cs_org_teams.json")
    ys = year_spec(scn)
    assert ys.rho["touchpoints"] == 0.36
    read = ys.cols["touchpoints"]  # the Change & Enablement people (the only plan with touchpoints)
    assert len(read) == 8
    spec = draw_spec(scn)
    n, seed = chunk_plan(500, 3)[0]
    some, every = ChunkYear(spec, n, seed, ys), ChunkYear(spec, n, seed, YearSpec(ys.rho, {}))
    for p in range(4):
        a, b = some.period(p), every.period(p)
        assert np.array_equal(a["touchpoints"][:, read], b["touchpoints"][:, read])
        assert np.array_equal(a["continued_usage"], b["continued_usage"])


def test_a_wide_roster_gets_short_chunks_of_years_so_memory_stays_bounded() -> None:
    from compcore.simulation.draws import draw_spec
    from compcore.simulation.year_draws import YEAR_CHUNK_VALUES, year_chunk_trials

    data = quarterly(sample_scenario())
    data["plan"]["metrics"][0]["scope"] = "individual"
    data["roster"] = [{"team": f"T{i}", "role": "CSM", "headcount": 1000, "base_salary": 90_000} for i in range(5)]
    spec = draw_spec(load_scenario(data))
    size = year_chunk_trials(spec)
    assert size * (5000 + 1) <= YEAR_CHUNK_VALUES  # one individual metric (5,000 people) and one company metric
    assert size >= 1
    yr = simulate_year(data, trials=3 * size + 7, seed=0)  # several chunks, the last one short
    assert yr.cost.shape == (3 * size + 7,) and np.all(np.isfinite(yr.cost))


def test_a_period_of_the_year_draws_the_carried_metrics_once_and_the_others_as_the_period_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import compcore.simulation.year_draws as yd
    from compcore.simulation.draws import chunk_plan, draw_chunk, draw_spec

    scn = load_scenario("sample_data/scenarios/cs_org_teams.json")
    spec, ys = draw_spec(scn), yd.year_spec(scn)
    n, seed = chunk_plan(400, 11)[0]
    asked: list[frozenset[str] | None] = []

    def spy(*a: Any, **k: Any) -> dict[str, np.ndarray]:
        asked.append(k.get("only"))
        return draw_chunk(*a, **k)

    monkeypatch.setattr(yd, "draw_chunk", spy)
    year = yd.ChunkYear(spec, n, seed, ys)
    for p in range(4):
        got = year.period(p)
        assert list(got) == list(spec.order)
        plain = draw_chunk(spec, n, seed, period=p)
        # go_live_on_time and ebrs persist in nothing: the period's own draws, bit for bit
        for mid in ("go_live_on_time", "ebrs"):
            assert np.array_equal(got[mid], plain[mid])
    # adoption, usage, touchpoints persist and company GRR is correlated with usage: never drawn by the period
    assert asked == [frozenset({"go_live_on_time", "ebrs"})] * 4
