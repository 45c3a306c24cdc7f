"""The plan in plain English: what HR and the designer page read."""

from __future__ import annotations

from compcore import describe, load_plan


def test_seed_000_plan_reads_like_the_forum_post() -> None:
    lines = describe(load_plan("sample_data/plans/cs_ops_enablement.json"))
    assert lines == [
        "Target incentive: 8% of base salary, paid once a year.",
        "70% on Team OKR score (target 100% share of OKRs met, team measure), paid linearly: from 0% at 0%, "
        "rising to 100% at 100% of target, no extra pay above 100%.",
        "30% on Company ARR vs plan (target 100% ratio to plan, company measure), paid linearly: nothing below 80% "
        "of target, 50% at that threshold, 100% at 100%, rising to 200% at 120% of target, no extra pay above 120%.",
        "Gate: if Team OKR score is below 100% of target, the total payout is capped at 100%.",
        "The total payout never exceeds 200% of target incentive.",
    ]


def test_quarterly_plan_names_the_circuit_breaker_and_the_steps() -> None:
    lines = describe(load_plan("sample_data/plans/cs_org_quarterly.json"))
    assert lines[0] == "Target incentive: 10% of base salary, paid quarterly (25% of it each quarter)."
    assert "paid in steps: 50% from 80%, 75% from 90%, 100% from 100%; nothing below 80%." in lines[1]
    assert ("Circuit breaker: if Clients adopted within 90 days is below 70% of target, the payout of "
            "Adopted within 90 days and Continued usage is zero.") in lines
    assert "capped at 150%" in lines[4]


def test_tiers_say_marginal_or_retroactive_and_lower_is_better() -> None:
    lines = describe(load_plan("sample_data/plans/accelerators.json"))
    assert ("paid in tiers: each 10% of attainment adds 5% from 0% to 80%, 30% from 80% to 100%, "
            "20% from 100% to 125%, 10% above 125% (% of target)") in lines[1]
    assert "lower is better" in lines[2]
    assert lines[0] == "Target incentive: 12,000 a year, paid half-yearly (50% of it each half)."


def test_accelerator_reads_as_money_per_ten_points() -> None:
    # slope (1.6 - 1.0) / (1.3 - 1.0) = 2: each 10 points of attainment pay 0.1 x 2 = 20% of target
    plan = load_plan({"name": "x", "target_incentive": {"percent_of_base": 0.1},
                      "metrics": [{"id": "m", "name": "Adoption", "unit": "share of new clients", "target": 0.9}],
                      "components": [{"id": "c", "metric": "m", "weight": 1, "curve": {
                          "kind": "linear", "points": [[0, 0], [1, 1], [1.3, 1.6]], "above": "extend"}}]})
    line = describe(plan)[1]
    assert "target 90% share of new clients" in line
    assert "each 10% above 130% adds 20% of target" in line
    assert "x the slope" not in line


def test_a_falling_curve_is_not_described_as_rising() -> None:
    plan = load_plan({"name": "x", "target_incentive": {"percent_of_base": 0.1},
                      "metrics": [{"id": "m", "name": "Adoption", "target": 1}],
                      "components": [{"id": "c", "metric": "m", "weight": 1, "curve": {
                          "kind": "linear", "points": [[0, 0], [1, 1], [1.1, 0]]}}]})
    line = describe(plan)[1]
    assert "rising to 0%" not in line and "then 0% at 110% of target" in line


def test_a_count_target_is_not_a_percent() -> None:
    plan = load_plan({"name": "x", "target_incentive": {"percent_of_base": 0.1},
                      "metrics": [{"id": "m", "name": "EBRs", "unit": "EBRs per quarter", "target": 6}],
                      "components": [{"id": "c", "metric": "m", "weight": 1, "curve": {
                          "kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    assert "(target 6 EBRs per quarter," in describe(plan)[1]
