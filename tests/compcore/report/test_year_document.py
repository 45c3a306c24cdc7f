"""How you are paid over the year: the worked year of the plan document, by hand (DESIGN.md "A plan year")."""

from __future__ import annotations

from typing import Any

import pytest

from compcore.plan.schema import load_plan
from compcore.report.year_document import possible_year, worked_year, year_sentences, year_total

# the contract's worked example: quarterly, adoption target 90%, curve [[0.9, 0.9], [1, 1], [1.5, 2]]
PLAN: dict[str, Any] = {
    "name": "Implementation", "period": "quarter", "target_incentive": {"amount": 8000},
    "metrics": [{"id": "a", "name": "Clients adopted", "unit": "share of new clients", "target": 0.9}],
    "components": [{"id": "c", "metric": "a", "weight": 1,
                    "curve": {"kind": "linear", "points": [[0.9, 0.9], [1, 1], [1.5, 2]]}}],
}


def test_year_to_date_catches_up_the_slow_first_quarter() -> None:
    plan = load_plan({**PLAN, "schedule": {"measure": "year_to_date"}})
    t = worked_year(plan, base_salary=0)
    # the example year is 80% / 110% / 100% / 90% of the 90% target: 72%, 99%, 90%, 81% of clients
    assert t["Clients adopted"].tolist() == ["72%", "99%", "90%", "81%", ""]
    # year so far: 72% (80%: below the 90% threshold, 0); mean 85.5% (95%: 0.95 x 2 = 1.9 earned, 1.9 paid);
    # 87% (96.7%: 2.9 earned, 1.0 more); 85.5% (95%: 3.8 earned, 0.9 more); nothing held, nothing at the year end
    assert t["measured"].tolist()[:4] == pytest.approx([0.0, 0.95, 0.9 + 0.0667 / 0.1 * 0.1, 0.95], abs=1e-3)
    assert t["paid_fraction"].tolist() == pytest.approx([0.0, 1.9, 1.0, 0.9, 0.0])
    assert t["paid"].tolist() == pytest.approx([0, 3_800, 2_000, 1_800, 0])  # 8,000 / 4 = 2,000 a quarter
    assert year_total(t) == pytest.approx((7_600, 3.8))
    assert year_sentences(plan)[0].startswith("Each quarter end measures the year so far")


def test_each_quarter_on_its_own_with_a_holdback_and_a_true_up() -> None:
    plan = load_plan({**PLAN, "schedule": {"holdback": 0.25, "year_end": "true_up"}})
    t = worked_year(plan, base_salary=0)
    # each quarter: 72% pays 0; 99% (110%: 1 + 0.1 / 0.5 = 1.2); 90% (1.0); 81% (90%: 0.9); 75% paid at once,
    # the year end pays what is left of the 3.1 earned: 3.1 - 0.75 x 3.1 = 0.775
    assert t["paid_fraction"].tolist() == pytest.approx([0.0, 0.9, 0.75, 0.675, 0.775])
    assert year_total(t)[1] == pytest.approx(3.1)
    assert year_sentences(plan) == [
        "Each quarter is measured on its own: a missed quarter is not made up later.",
        "25% of each payment is held back until the year end.",
        "The year end pays what the whole year earned minus what was paid, if that is more (never less)."]


def test_a_share_in_the_example_year_never_goes_above_100_percent() -> None:
    plan = load_plan({**PLAN, "metrics": [{**PLAN["metrics"][0], "target": 1.0}]})
    # 110% of a 100% target is 110% of clients: kept at 100%
    assert [a["a"] for a in possible_year(plan)] == [0.8, 1.0, 1.0, 0.9]
    count = load_plan({**PLAN, "metrics": [{**PLAN["metrics"][0], "unit": "EBRs", "target": 1.0}]})
    assert [a["a"] for a in possible_year(count)] == pytest.approx([0.8, 1.1, 1.0, 0.9])  # a count may


def test_the_printable_document_has_the_worked_year_escaped_and_a_yearly_plan_has_none() -> None:
    from compcore.report.html import plan_document_html
    from compcore.simulation.scenario import load_scenario

    plan = {**PLAN, "metrics": [{**PLAN["metrics"][0], "name": "<b>Adopted</b>"}],
            "schedule": {"measure": "year_to_date"}}
    scn = load_scenario({"schema": "compcore.scenario/v1", "plan": plan, "budget": 10_000,
                         "roster": [{"team": "Impl", "role": "C", "headcount": 2, "base_salary": 90_000}],
                         "assumptions": {"a": {"dist": "fixed", "value": 0.9}}})
    html = plan_document_html(scn, currency="$")
    assert "<h2>How you are paid over the year</h2>" in html and "<th>&lt;b&gt;Adopted&lt;/b&gt;</th>" in html
    # the contract's year: 0 / 1.9 / 1.0 / 0.9 of 2,000 a quarter, 7,600 in all
    assert "<td class='num'>190%</td><td class='num'>$3,800</td>" in html and "$7,600 over the year" in html
    yearly = load_scenario({**scn.model_dump(by_alias=True, mode="json"),
                            "plan": {**plan, "period": "year", "schedule": {}}})
    assert "How you are paid over the year" not in plan_document_html(yearly)
