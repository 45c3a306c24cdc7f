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

from compcore.plan.schema import load_plan
from compcore.report.document import (
    EXAMPLE_LEVELS,
    assumption_lines,
    describe_assumption,
    reference_salary,
    worked_examples,
)
from compcore.simulation.scenario import load_scenario

PLAN: dict[str, Any] = {
    "name": "CS Ops", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
    "metrics": [{"id": "okr", "name": "Team OKR score", "target": 1.0},
                {"id": "arr", "name": "Company ARR vs plan", "target": 1.0, "scope": "company"}],
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
    assert r["case"] == "Gate: Team OKR score at 70% (below 80%), others at 120%"
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
    assert assumption_lines(scn) == [
        "Team OKR score (score), target 1, individual measure: normal, mean 0.95, sd 0.1.",
        "Company ARR vs plan, target 1, company measure: triangular, low 0.85, mode 1, high 1.15.",
        "Team OKR score and Company ARR vs plan move together with correlation 0.5.",
    ]


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
