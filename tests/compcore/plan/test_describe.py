"""The plan in plain English: what HR and the designer page read."""

from __future__ import annotations

from compcore import describe, load_plan


def test_seed_000_plan_reads_like_the_forum_post() -> None:
    lines = describe(load_plan("sample_data/plans/cs_ops_enablement.json"))
    assert lines == [
        "Target incentive: 8% of base salary, paid once a year.",
        "70% on Team OKR score (target 100% share of OKRs met, team measure), paid linearly: from 0% at 0%, "
        "rising to 100% at 100% of target, no extra pay above 100%.",
        "30% on Company ARR vs plan (target 1 ratio to plan, company measure), paid linearly: nothing below 80% "
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
    assert "marginal tiers (0.5x from 0%, 3x from 80%, 2x from 100%, 1x from 125%)" in lines[1]
    assert "lower is better" in lines[2]
    assert lines[0] == "Target incentive: 12,000 a year, paid half-yearly (50% of it each half)."
