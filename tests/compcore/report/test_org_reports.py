"""Fairness flags, what holds a team back, one plan's document and the org summary, org comparisons."""

from __future__ import annotations

import pandas as pd
import pytest

import compcore
from compcore.report.compare import compare_groups, scenario_plans
from compcore.report.fairness import fairness_flags, team_breakdown, team_chances
from compcore.report.org_document import org_summary, org_summary_html, plan_cost, plan_sections, scenario_for_plan
from compcore.simulation import org_editing
from tests.compcore.scenario_data import org_scenario, sample_scenario


def _fair(chances: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"team": list(chances), "plan": "p", "headcount": 4,
                         "p_at_or_above_target": list(chances.values()), "p_zero": 0.0, "expected_payout": 1.0})


def test_a_team_far_below_the_others_is_flagged_in_plain_words() -> None:
    flags = fairness_flags(_fair({"PMO": 0.45, "Customer Success": 0.12, "Impl": 0.6, "C&E": 0.5}), "quarter")
    assert flags == ["Customer Success reaches target in 12% of quarters; the other teams 45-60%."]


@pytest.mark.parametrize("chances", [{"A": 0.4, "B": 0.5, "C": 0.55}, {"A": 0.3}, {"A": 0.2, "B": 0.35}])
def test_teams_close_together_are_not_flagged(chances: dict[str, float]) -> None:
    assert fairness_flags(_fair(chances), "quarter") == []


def test_team_chances_weigh_a_teams_plans_by_people() -> None:
    f = pd.DataFrame({"team": ["T", "T"], "plan": ["a", "b"], "headcount": [1, 3],
                      "p_at_or_above_target": [1.0, 0.0], "p_zero": [0.0, 1.0], "expected_payout": [1.2, 0.0]})
    row = team_chances(f).iloc[0]
    # (1 x 1.0 + 3 x 0.0) / 4 = 0.25; p_zero 3 / 4; expected (1 x 1.2) / 4 = 0.3
    assert (row.headcount, row.p_at_or_above_target, row.p_zero) == (4, 0.25, 0.75)
    assert row.expected_payout == pytest.approx(0.3)


def test_the_breakdown_names_the_component_furthest_below_its_weight() -> None:
    scn = compcore.load_scenario(org_scenario())
    parts = team_breakdown(scn, compcore.draw_metrics(scn, trials=50), "Implementation")
    # Implementation people are on impl (adoption 0.8 attainment -> 0.8 x 0.8 = 0.64 of 0.8: short 0.16)
    # and one on pmo (go_live 0.9 -> 0.7 x 0.9 = 0.63 of 0.7: short 0.07; company 0.3 x 1.5: 0.45, -0.15)
    assert list(parts["component"])[0] == "adopt"
    assert parts.iloc[0]["shortfall"] == pytest.approx(0.8 - 0.64)
    assert parts.iloc[0]["p_metric_at_target"] == 0.0
    assert set(parts["plan"]) == {"impl", "pmo"}


def test_one_plans_document_scenario_holds_its_people_and_metrics() -> None:
    scn = compcore.load_scenario(org_scenario())
    sub = scenario_for_plan(scn, "impl")
    assert not sub.is_org and sub.plan.name == "Implementation Q3"
    assert [r.team for r in sub.roster] == ["Implementation", "Implementation East"]
    assert set(sub.assumptions) == {"adoption_90d", "company_arr"}
    assert set(sub.assumptions["adoption_90d"].by_team) == {"Implementation East"}
    # the same fixed values: 7,560 + 3,680 = 11,240 per quarter, as in the org
    assert compcore.simulate(sub, trials=20).expected == pytest.approx(11_240)
    draft = scenario_for_plan(scn, "cs")  # nobody is on it: the whole roster shows what it would cost
    assert draft.headcount == scn.headcount


def test_org_summary_lists_every_plan_and_escapes_names() -> None:
    data = org_scenario()
    data["plans"]["pmo"]["name"] = "PMO <b>Q3</b>"
    scn = compcore.load_scenario(data)
    sim = compcore.simulate(scn, trials=20)
    table = org_summary(scn, sim)
    assert list(table["plan"]) == ["pmo", "impl", "cs"]
    assert table.iloc[0]["expected_cost"] == pytest.approx(14_040)
    assert table.iloc[2]["teams"] == "nobody yet (a draft)"
    html = org_summary_html(scn, sim)
    assert "PMO &lt;b&gt;Q3&lt;/b&gt;" in html and "<b>Q3</b>" not in html


def test_two_org_scenarios_compare_by_plan_and_team() -> None:
    a = compcore.load_scenario(org_scenario("A"))
    data = org_scenario("B")
    data["plans"]["impl"]["target_incentive"] = {"amount": 24_000}
    b = compcore.load_scenario(data)
    sims = {"A": compcore.simulate(a, trials=20), "B": compcore.simulate(b, trials=20)}
    by_plan = compare_groups(sims, "plan").set_index("plan")
    assert by_plan.loc["Implementation Q3", "B"] == pytest.approx(2 * 7_560 + 3_680)
    assert by_plan.loc["PMO Q3", "A"] == pytest.approx(by_plan.loc["PMO Q3", "B"])
    by_team = compare_groups(sims, "team").set_index("team")
    assert by_team.loc["Implementation", "B"] - by_team.loc["Implementation", "A"] == pytest.approx(7_560)
    single = compcore.load_scenario(sample_scenario())
    assert list(scenario_plans({"A": a, "S": single})) == ["A: PMO Q3", "A: Implementation Q3",
                                                             "A: Customer Success draft", "S"]


def test_org_editing_one_plan_to_org_add_replace_delete() -> None:
    data = sample_scenario()
    org = org_editing.to_org(data)
    pid = "cs_ops_enablement_fy27"
    assert list(org["plans"]) == [pid] and all(r["plan"] == pid for r in org["roster"])
    assert compcore.load_scenario(org).plans[pid] == compcore.load_scenario(data).plan
    more, new = org_editing.add_plan(org, {**org["plans"][pid], "name": "Second"})
    assert new == "second" and list(more["plans"]) == [pid, "second"]
    swapped = org_editing.replace_plan(more, "second", {"name": "Third"})
    assert swapped["plans"]["second"] == {"name": "Third"} and more["plans"]["second"]["name"] == "Second"
    back = org_editing.delete_plan(more, pid)
    assert list(back["plans"]) == ["second"] and {r["plan"] for r in back["roster"]} == {"second"}
    assert org_editing.delete_plan(back, "second") == back  # the last plan stays


def test_each_plans_section_says_who_is_on_it_and_its_rules() -> None:
    scn = compcore.load_scenario(org_scenario())
    sections = plan_sections(scn)
    assert [s.plan for s in sections] == ["pmo", "impl", "cs"]
    assert [s.who for s in sections] == ["PMO (4 people), Implementation (1 person)",
                                         "Implementation (3 people), Implementation East (2 people)",
                                         "nobody yet (a draft)"]
    assert [s.headcount for s in sections] == [5, 5, 0]
    assert sections[1].rules[0] == "Target incentive: 12,000 a year, paid quarterly (25% of it each quarter)."


def test_a_plans_cost_is_its_share_of_the_org_simulation_a_split_team_counted_per_plan() -> None:
    scn = compcore.load_scenario(org_scenario())
    sim = compcore.simulate(scn, trials=50, seed=3)
    pmo, impl = plan_cost(sim, "pmo"), plan_cost(sim, "impl")
    # fixed values. PMO plan pays 0.7 x 0.9 + 0.3 x 1.5 = 1.08 of 10% / 4 of base: 4 x 2,500 x 1.08 = 10,800 for
    # PMO and 3,000 x 1.08 = 3,240 for Implementation's lead. The impl plan pays 0.8 x 0.8 + 0.2 = 0.84 of 3,000
    # for 3 consultants (7,560) and 0.8 x 0.9 + 0.2 = 0.92 of 2,000 for 2 in the East (3,680)
    assert dict(zip(pmo.cost_by_team["team"], pmo.cost_by_team["expected_cost"], strict=True)) == pytest.approx(
        {"PMO": 10_800, "Implementation": 3_240})
    assert dict(zip(impl.cost_by_team["team"], impl.cost_by_team["expected_cost"], strict=True)) == pytest.approx(
        {"Implementation": 7_560, "Implementation East": 3_680})
    assert pmo.expected == pytest.approx(14_040) and impl.quantile(0.9) == pytest.approx(11_240)
    assert pmo.per_period_target == pytest.approx(13_000)  # 10,000 + 3,000
    assert (pmo.cost + impl.cost + plan_cost(sim, "cs").cost == pytest.approx(sim.cost))
    assert set(pmo.fairness["plan"]) == {"pmo"} and pmo.cost_by_plan["plan"].tolist() == ["pmo"]
    assert pmo.budget is None and pmo.trials == 50


def test_the_printable_org_summary_has_every_plans_rules_and_the_assumptions_in_words() -> None:
    scn = compcore.load_scenario(org_scenario())
    html = org_summary_html(scn, compcore.simulate(scn, trials=20), currency="$")
    assert "<h3>Implementation Q3</h3>" in html and "Implementation (3 people), Implementation East (2 people)" in html
    # budget 25,000 against a fixed cost of 14,040 + 11,240 = 25,280: over it in every trial
    assert "budget $25,000, chance of going over it 100%" in html
    assert "Adopted within 90 days for Implementation East: always 0.81." in html
    assert "by_team" not in html and "{&#x27;" not in html
