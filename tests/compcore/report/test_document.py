"""The HR plan document's data: worked examples by hand, assumptions in words, the reference salary.

The plan: paid quarterly, target incentive 10% of base. "OKRs" (weight 0.6) pays
the Team OKR score's attainment along 0 -> 0, 100% -> 1, 150% -> 2 (flat after);
"company" (weight 0.4) is a step table on Company ARR vs plan: 90% -> 0.5,
100% -> 1, 110% -> 1.5. OKRs below 80% cap the total at 50%; the plan caps at 150%.
A 120,000 salary has a 12,000 / 4 = 3,000 target incentive per quarter.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from compcore.plan.schema import Metric, load_plan
from compcore.report.document import (
    EXAMPLE_LEVELS,
    assumption_lines,
    describe_assumption,
    example_levels,
    reference_salary,
    value_of,
    worked_examples,
)
from compcore.simulation.scenario import load_scenario

PLAN: dict[str, Any] = {
    "name": "CS Ops", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
    "metrics": [{"id": "okr", "name": "Team OKR score", "target": 1.0, "unit": "ratio of OKRs met"},
                {"id": "arr", "name": "Company ARR vs plan", "target": 1.0, "scope": "company",
                 "unit": "ratio to plan"}],
    "components": [
        {"id": "okr", "name": "OKRs", "metric": "okr", "weight": 0.6,
         "curve": {"kind": "linear", "points": [[0, 0], [1, 1], [1.5, 2]]}},
        {"id": "company", "metric": "arr", "weight": 0.4,
         "curve": {"kind": "steps", "steps": [[0.9, 0.5], [1.0, 1.0], [1.1, 1.5]]}},
    ],
    "gates": [{"metric": "okr", "below": 0.8, "cap": 0.5}],
    "cap": 1.5,
}


def examples(**kw: Any) -> pd.DataFrame:
    return worked_examples(load_plan(PLAN), **kw)


def row(df: pd.DataFrame, case: str) -> pd.Series:
    hits = df[df["case"] == case]
    assert len(hits) == 1, df["case"].tolist()
    return hits.iloc[0]


# --- worked examples ---------------------------------------------------------------------------

def test_one_row_per_level_of_each_metric_then_one_per_gate() -> None:
    df = examples(base_salary=120_000)
    assert EXAMPLE_LEVELS == (0.5, 0.8, 1.0, 1.2, 1.5)
    assert df["kind"].tolist() == ["metric"] * 10 + ["gate"]
    assert df["metric"].tolist() == ["okr"] * 5 + ["arr"] * 5 + ["okr"]
    assert df["case"].tolist()[:3] == ["Team OKR score at 50%, others at target",
                                       "Team OKR score at 80%, others at target",
                                       "Team OKR score at 100%, others at target"]
    assert list(df.columns) == ["case", "kind", "metric", "Team OKR score attainment",
                                "Company ARR vs plan attainment", "OKRs share", "company share",
                                "payout", "pay", "gates fired"]


@pytest.mark.parametrize(("level", "okr_share", "payout", "gate"), [
    # 0.6 x 0.5 + 0.4 x 1 = 0.70, but OKRs at 50% < 80%: total capped at 0.5
    (0.5, 0.30, 0.50, "Team OKR score at 50% is below 80%: total capped at 50%"),
    # exactly at the gate is not below it: 0.6 x 0.8 + 0.4 = 0.88
    (0.8, 0.48, 0.88, ""),
    (1.0, 0.60, 1.00, ""),
    # 120% is 2/5 of the way from 1 to 2 on the curve: 1.4; 0.6 x 1.4 + 0.4 = 1.24
    (1.2, 0.84, 1.24, ""),
    # 0.6 x 2 + 0.4 = 1.6, over the plan cap of 150%
    (1.5, 1.20, 1.50, ""),
])
def test_okr_examples_by_hand(level: float, okr_share: float, payout: float, gate: str) -> None:
    df = examples(base_salary=120_000)
    r = row(df, f"Team OKR score at {level * 100:g}%, others at target")
    assert (r["Team OKR score attainment"], r["Company ARR vs plan attainment"]) == (level, 1.0)
    assert r["OKRs share"] == pytest.approx(okr_share)
    assert r["company share"] == pytest.approx(0.4)
    assert r["payout"] == pytest.approx(payout)
    assert r["pay"] == pytest.approx(3000 * payout)
    assert r["gates fired"] == gate


@pytest.mark.parametrize(("level", "company_share", "payout"), [
    (0.5, 0.0, 0.6),   # below the first step: the company part pays nothing, OKRs at target 0.6
    (0.8, 0.0, 0.6),
    (1.0, 0.4, 1.0),
    (1.2, 0.6, 1.2),   # the 110% step pays 1.5: 0.4 x 1.5 = 0.6
    (1.5, 0.6, 1.2),   # no step above 110%
])
def test_company_examples_by_hand(level: float, company_share: float, payout: float) -> None:
    r = row(examples(base_salary=120_000), f"Company ARR vs plan at {level * 100:g}%, others at target")
    assert r["company share"] == pytest.approx(company_share)
    assert r["payout"] == pytest.approx(payout)
    assert r["pay"] == pytest.approx(3000 * payout)


def test_gate_example_puts_the_metric_10_points_below_and_the_others_at_120_percent() -> None:
    r = examples(base_salary=120_000).iloc[-1]
    assert r["case"] == "Gate: Team OKR score at 70%, below 80%, others at 120% of target"
    assert (r["Team OKR score attainment"], r["Company ARR vs plan attainment"]) == (pytest.approx(0.7), 1.2)
    # 0.6 x 0.7 + 0.4 x 1.5 = 1.02 before the gate, 0.5 after: 1,500 instead of 3,060
    assert r["OKRs share"] + r["company share"] == pytest.approx(1.02)
    assert r["payout"] == pytest.approx(0.5)
    assert r["pay"] == pytest.approx(1500)
    assert r["gates fired"] == "Team OKR score at 70% is below 80%: total capped at 50%"


def test_no_pay_column_when_a_percent_of_base_has_no_salary() -> None:
    df = examples()
    assert "pay" not in df.columns
    assert row(df, "Team OKR score at 100%, others at target")["payout"] == pytest.approx(1.0)


def test_a_fixed_amount_needs_no_salary() -> None:
    plan = {**PLAN, "target_incentive": {"amount": 8000}}
    # 8,000 a year, 2,000 a quarter; at 120% OKRs 1.24 of it
    r = row(worked_examples(load_plan(plan)), "Team OKR score at 120%, others at target")
    assert r["pay"] == pytest.approx(2480)


def test_one_metric_plan_cases_do_not_mention_others_and_levels_can_be_chosen() -> None:
    plan = {**PLAN, "metrics": PLAN["metrics"][:1], "components": [{**PLAN["components"][0], "weight": 1}],
            "gates": []}
    df = worked_examples(load_plan(plan), levels=[0.9, 1.1])
    # 90% pays 0.9; 110% is 1/5 of the way from 1 to 2: 1.2
    assert df["case"].tolist() == ["Team OKR score at 90%", "Team OKR score at 110%"]
    assert df["payout"].tolist() == pytest.approx([0.9, 1.2])


# --- reference salary --------------------------------------------------------------------------

def scenario(roster: list[dict], **extra: Any) -> Any:
    data = {"schema": "compcore.scenario/v1", "plan": PLAN, "roster": roster,
            "assumptions": {"okr": {"dist": "normal", "mean": 0.95, "sd": 0.1},
                            "arr": {"dist": "triangular", "low": 0.85, "mode": 1.0, "high": 1.15}}}
    return load_scenario({**data, **extra})


def test_reference_salary_is_the_headcount_weighted_mean() -> None:
    scn = scenario([{"team": "CS", "role": "CSM", "headcount": 3, "base_salary": 80_000},
                    {"team": "CS", "role": "Lead", "headcount": 1, "base_salary": 120_000},
                    {"team": "PMO", "role": "Open role", "headcount": 0, "base_salary": 500_000}])
    # (3 x 80,000 + 1 x 120,000) / 4 = 90,000; the empty row does not count
    assert reference_salary(scn) == 90_000


# --- assumptions in words ------------------------------------------------------------------------

def test_one_line_per_metric_then_one_per_correlation() -> None:
    plan = {**PLAN, "metrics": [{**PLAN["metrics"][0], "unit": "score"}, PLAN["metrics"][1]]}
    scn = scenario([{"team": "CS", "role": "CSM", "headcount": 2, "base_salary": 80_000}], plan=plan,
                   correlations=[{"between": ["okr", "arr"], "rho": 0.5}])
    # normal: P10/P90 = 0.95 -/+ 1.2816 x 0.1 = 0.822 / 1.078; triangular 0.85/1/1.15 is symmetric (mean 100%),
    # its P10 solves (x - 0.85)^2 = 0.1 x 0.3 x 0.15, x = 0.85 + 0.0671 = 91.7%, and P90 = 2 - 0.917 = 108.3%
    assert assumption_lines(scn) == [
        "Team OKR score (target 1, each person's own figure): 0.95 on average; 8 quarters in 10 between 0.822 "
        "and 1.08. Measured as: score.",
        "Company ARR vs plan (target 100%, one company-wide figure shared by everyone): 100% on average; "
        "8 quarters in 10 between 91.7% and 108%. Measured as: ratio to plan.",
        "Team OKR score and Company ARR vs plan tend to move together (correlation 0.5).",
    ]


def test_a_binomial_assumption_reads_as_clients_of_a_cohort_and_each_teams_own_has_its_line() -> None:
    plan = {**PLAN, "metrics": [{**PLAN["metrics"][0], "id": "okr", "name": "Clients adopted within 90 days",
                                 "unit": "share of new clients", "target": 0.9, "scope": "team"},
                                PLAN["metrics"][1]]}
    roster = [{"team": "CS", "role": "CSM", "headcount": 2, "base_salary": 80_000},
              {"team": "Change & Enablement", "role": "Specialist", "headcount": 2, "base_salary": 80_000}]
    scn = scenario(roster, plan=plan, assumptions={
        "okr": {"dist": "binomial", "n": 20, "p": 0.85,
                "by_team": {"Change & Enablement": {"dist": "binomial", "n": 2, "p": 0.81}}},
        "arr": {"dist": "fixed", "value": 1.0}})
    lines = assumption_lines(scn)
    # 20 x 0.85 = 17 clients; a cohort of 2 at 81% averages 1.62 (not "about 2 of 2"); CS has no own assumption
    assert lines[:3] == [
        "Clients adopted within 90 days (target 90%, one figure per team), assumed team by team. Measured as: "
        "share of new clients.",
        "Clients adopted within 90 days for Change & Enablement: on average 1.6 of 2 new clients (81%) in a typical "
        "quarter; 8 quarters in 10 between 50% and 100%.",
        "Clients adopted within 90 days for CS: about 17 of 20 new clients (85%) in a typical quarter; "
        "8 quarters in 10 between 75% and 95%."]
    assert lines[3].startswith("Company ARR vs plan (target 100%, one company-wide figure shared by everyone): "
                               "always 100%.")
    # when every team has its own, the default applies to nobody and is not shown
    both = scenario(roster, plan=plan, assumptions={
        "okr": {"dist": "binomial", "n": 20, "p": 0.85, "by_team": {
            "Change & Enablement": {"dist": "binomial", "n": 2, "p": 0.81}, "CS": {"dist": "fixed", "value": 0.9}}},
        "arr": {"dist": "fixed", "value": 1.0}})
    assert [line.split(":")[0] for line in assumption_lines(both)[:3]] == [
        "Clients adopted within 90 days (target 90%, one figure per team), assumed team by team. Measured as",
        "Clients adopted within 90 days for Change & Enablement", "Clients adopted within 90 days for CS"]
    assert "17 of 20" not in " ".join(assumption_lines(both))
    assert not any(ch in " ".join(lines) for ch in "{}'") and "by_team" not in " ".join(lines)


@pytest.mark.parametrize(("dist", "words"), [
    ({"dist": "fixed", "value": 0.9}, "fixed at 0.9"),
    ({"dist": "empirical", "values": [1.2, 0.9, 1.1], "bootstrap": True}, "empirical, 3 past values from 0.9 to 1.2"),
    ({"dist": "empirical", "values": []}, "empirical (no values)"),
    ({"dist": "binomial", "n": 20, "p": 0.88}, "binomial: share of a cohort of 20 clients, each with chance 88%"),
    ({"dist": "poisson", "mean": 6}, "poisson, mean 6"),
    ({"dist": "beta", "a": 5, "b": 95, "scale": 1.2}, "beta, a 5, b 95, scale 1.2"),
    ({"dist": "lognormal", "mean": 1.0, "sd": 0.25}, "lognormal, mean 1, sd 0.25"),
])
def test_each_distribution_in_words(dist: dict[str, Any], words: str) -> None:
    assert describe_assumption(dist) == words


# --- worked examples only at values a metric can take ------------------------------------------

SHARE_PLAN: dict[str, Any] = {
    "name": "Implementation", "period": "quarter", "target_incentive": {"amount": 8000},
    "metrics": [{"id": "adopt", "name": "Clients adopted within 90 days", "unit": "share of new clients",
                 "target": 0.9, "scope": "team"},
                {"id": "okr", "name": "Team OKR score", "target": 1.0, "unit": "ratio of OKRs met"}],
    "components": [
        {"id": "adopt", "metric": "adopt", "weight": 0.5,
         "curve": {"kind": "linear", "points": [[0, 0], [1, 1], [1.5, 2]]}},
        {"id": "okr", "metric": "okr", "weight": 0.5, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}},
    ],
}


def test_a_share_is_never_shown_above_100_percent_its_limit_replaces_the_levels_beyond() -> None:
    df = worked_examples(load_plan(SHARE_PLAN))
    adopt = df[df["metric"] == "adopt"]
    # 50% / 80% / 100% of a 90% target are 45% / 72% / 90% of clients; 120% and 150% (108%, 135%) cannot happen:
    # the most is 100% of clients, 1 / 0.9 = 111.1% of target
    assert adopt["case"].tolist() == [
        "Clients adopted within 90 days at 45% (50% of target), others at target",
        "Clients adopted within 90 days at 72% (80% of target), others at target",
        "Clients adopted within 90 days at 90% (100% of target), others at target",
        "Clients adopted within 90 days at 100% (111.1% of target), others at target"]
    # 111.1% is 2/9 of the way from 100% to 150%: the curve pays 1 + (1/0.9 - 1) / 0.5 = 1.2222; x 0.5 + 0.5 = 1.1111
    assert adopt["payout"].iloc[-1] == pytest.approx(0.5 * (1 + (1 / 0.9 - 1) / 0.5) + 0.5)
    assert adopt["pay"].iloc[-1] == pytest.approx(2000 * 1.1111111)
    # the ratio metric may exceed 100%: every level stays
    assert df[df["metric"] == "okr"]["Team OKR score attainment"].tolist() == list(EXAMPLE_LEVELS)


def test_a_gate_example_keeps_a_share_it_leaves_strong_within_100_percent() -> None:
    plan = {**SHARE_PLAN, "gates": [{"metric": "okr", "below": 0.8, "cap": 0.5}]}
    r = worked_examples(load_plan(plan)).iloc[-1]
    assert r["case"] == "Gate: Team OKR score at 70%, below 80%, others at 120% of target or the most they can reach"
    assert r["Clients adopted within 90 days attainment"] == pytest.approx(1 / 0.9)


def test_a_lower_is_better_share_never_goes_below_zero() -> None:
    plan = {**SHARE_PLAN, "metrics": [{"id": "adopt", "name": "Gross churn", "unit": "share of ARR", "target": 0.05,
                                       "direction": "lower", "scope": "company"}, SHARE_PLAN["metrics"][1]]}
    df = worked_examples(load_plan(plan))
    churn = df[df["metric"] == "adopt"]["Gross churn attainment"].tolist()
    # attainment 2 - churn / 5%: 150% of target is 2.5% churn, 50% is 7.5%; all possible (0..100% of ARR)
    assert churn == list(EXAMPLE_LEVELS)
    assert df[df["metric"] == "adopt"]["case"].iloc[-1].startswith("Gross churn at 2.5% (150% of target)")


@given(target=st.floats(0.05, 1.0), direction=st.sampled_from(["higher", "lower"]),
       levels=st.lists(st.floats(0.0, 3.0), min_size=1, max_size=6))
def test_every_example_value_of_a_share_lies_between_0_and_100_percent(target: float, direction: str,
                                                                        levels: list[float]) -> None:
    m = Metric(id="s", name="Share", unit="share of clients", target=target, direction=direction)
    for level in example_levels(m, levels):
        assert -1e-9 <= value_of(m, level) <= 1 + 1e-9


@given(n=st.integers(1, 500), p=st.floats(0.0, 1.0), period=st.sampled_from(["month", "quarter", "year"]))
def test_a_binomial_cohort_always_reads_as_clients_of_n_and_a_range_that_holds(n: int, p: float,
                                                                             period: str) -> None:
    from compcore.report.words import assumption_words

    words = assumption_words({"dist": "binomial", "n": n, "p": p}, "share of new clients", period)
    assert f" of {n:,} new clients (" in words and words.startswith(("about ", "on average "))
    assert f"8 {period}s in 10 between " in words and "{" not in words and "dist" not in words
    lo, hi = (float(x.rstrip("%")) for x in words.rsplit("between ", 1)[1].split(" and "))
    assert 0 <= lo <= hi <= 100
