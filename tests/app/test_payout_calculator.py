"""Payout curves, "What would someone earn?" on the org (issue 19): the salary starts at the median person of the
plan shown, not 125,000 for every plan; a salary typed for one plan stays with it; the payout is on screen."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_page, run_ok


@pytest.fixture
def org(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the seed-001 org
    return open_page("payout_curves", timeout=120)


def _figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_salary_is_the_median_person_of_the_plan_shown(org):
    # PMO: 1 lead at 125,000, 3 at 99,500, 4 at 110,000 -> the 4th of 8 people earns 110,000;
    # every metric at target pays 100% of 110,000 x 10% / 4 quarters = 2,750
    assert org.number_input(key="calc_salary_pmo").value == 110_000
    assert _figures(org)["Payout this quarter"] == "$2,750"
    org.selectbox(key="plan_pick").set_value("change_enablement")
    run_ok(org)
    # Change & Enablement: 1 lead at 106,000, 3 at 76,000, 4 at 83,500 -> the 4th of 8 earns 83,500;
    # 83,500 x 8% / 4 = 1,670
    assert org.number_input(key="calc_salary_change_enablement").value == 83_500
    assert _figures(org)["Payout this quarter"] == "$1,670"


def test_a_salary_typed_for_one_plan_stays_with_that_plan(org):
    org.number_input(key="calc_salary_pmo").set_value(200_000.0)
    run_ok(org)
    assert _figures(org)["Payout this quarter"] == "$5,000"  # 200,000 x 10% / 4
    org.selectbox(key="plan_pick").set_value("implementation")
    run_ok(org)
    assert org.number_input(key="calc_salary_implementation").value == 105_000  # its own median person
    org.selectbox(key="plan_pick").set_value("pmo")
    run_ok(org)
    assert org.number_input(key="calc_salary_pmo").value == 200_000


def test_the_table_shows_what_each_component_pays_first(org):
    org.number_input(key="calc_salary_pmo").set_value(200_000.0)
    run_ok(org)
    table = org.dataframe[-1].value  # the calculator's table is the page's last
    assert list(table.columns)[:3] == ["Component", "Payout", "Money"]  # on a phone's screen without scrolling
    # 200,000 x 10% / 4 = 5,000 a quarter at target: weights 75% and 25%
    assert table["Money"].tolist() == ["$3,750", "$1,250"]
    assert table["Payout"].tolist() == ["100.0%", "100.0%"]
