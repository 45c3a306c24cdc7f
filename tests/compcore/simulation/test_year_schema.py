"""The scenario's year fields: persistence, year_start, annual_budget, roster start/end (validated, round trip)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from compcore import PlanError, dump_scenario, load_scenario, roster_from_csv, roster_to_csv
from compcore.simulation.calendar import employed_shares, period_bounds

ORG = "sample_data/scenarios/cs_org_teams.json"


def org() -> dict[str, Any]:
    """The sample org without its year (no year_start, annual_budget or dated roster rows)."""
    with open(ORG) as f:
        data = json.load(f)
    del data["year_start"], data["annual_budget"]
    data["roster"] = [r for r in data["roster"] if "start" not in r and "end" not in r]
    return data


def test_the_sample_org_has_a_year() -> None:
    scn = load_scenario(ORG)
    assert scn.year_start == date(2027, 1, 1)
    assert scn.year_budget == scn.annual_budget == 400_000
    assert [r.start for r in scn.roster if r.has_dates] == [date(2027, 4, 15), date(2027, 7, 1)]
    assert scn.plans["implementation"].schedule.measure == "year_to_date"


def problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(PlanError) as e:
        load_scenario(data)
    return dict(e.value.problems)


def test_year_fields_round_trip_and_defaults_dump_as_before() -> None:
    with open(ORG) as f:
        sample = json.load(f)
    assert dump_scenario(load_scenario(sample)) == sample
    data = org()
    data["year_start"] = "2027-01-01"
    data["annual_budget"] = 420000
    data["assumptions"]["company_grr"]["persistence"] = 0.6
    data["roster"][2] = {**data["roster"][2], "start": "2027-08-15"}
    data["roster"][4] = {**data["roster"][4], "start": "2027-02-01", "end": "2027-03-31"}
    scn = load_scenario(data)
    assert scn.year_start == date(2027, 1, 1)
    assert scn.roster[4].end == date(2027, 3, 31)
    assert scn.assumptions["company_grr"].persistence == 0.6
    out = dump_scenario(scn)
    assert out["year_start"] == "2027-01-01"
    assert out["roster"][2]["start"] == "2027-08-15"
    assert load_scenario(out) == scn


def test_the_year_budget_is_the_annual_budget_else_the_period_budget_times_the_periods() -> None:
    data = org()
    assert load_scenario(data).year_budget == 100_000 * 4
    assert load_scenario({**data, "annual_budget": 350_000}).year_budget == 350_000
    assert load_scenario({k: v for k, v in data.items() if k != "budget"}).year_budget is None


@pytest.mark.parametrize("rho", [1, 1.5, -0.1])
def test_a_persistence_outside_0_to_1_names_its_path(rho: float) -> None:
    data = org()
    data["assumptions"]["company_grr"]["persistence"] = rho
    found = problems(data)
    assert "below 1" in found["assumptions.company_grr.persistence"]


def test_persistence_belongs_to_the_metric_not_to_one_team() -> None:
    data = org()
    data["assumptions"]["adoption_90d"]["by_team"]["Implementation"]["persistence"] = 0.5
    assert "assumptions.adoption_90d.by_team.Implementation.persistence" in problems(data)


def test_roster_dates_need_the_year_they_fall_in() -> None:
    data = org()
    data["roster"][3] = {**data["roster"][3], "end": "2027-06-30"}
    found = problems(data)
    assert "roster[3].end" in found["year_start"]


def test_a_start_after_the_end_names_the_row() -> None:
    data = {**org(), "year_start": "2027-01-01"}
    data["roster"][1] = {**data["roster"][1], "start": "2027-09-01", "end": "2027-03-01"}
    assert "before the start" in problems(data)["roster[1].end"]


@pytest.mark.parametrize(("field", "value"), [
    ("year_start", "01/01/2027"), ("year_start", 20270101), ("year_start", "2027-02-30"), ("year_start", True),
])
def test_a_year_start_that_is_not_an_iso_date_names_its_path(field: str, value: Any) -> None:
    assert field in problems({**org(), field: value})


def test_a_bad_roster_date_names_the_row_and_field() -> None:
    data = {**org(), "year_start": "2027-01-01"}
    data["roster"][0] = {**data["roster"][0], "start": "next spring"}
    assert "YYYY-MM-DD" in problems(data)["roster[0].start"]


def test_a_bad_annual_budget_names_its_path() -> None:
    assert "annual_budget" in problems({**org(), "annual_budget": -5})


def test_roster_dates_go_through_csv_and_back() -> None:
    scn = load_scenario({**org(), "year_start": "2027-01-01"})
    rows = list(scn.roster)
    rows[2] = rows[2].model_copy(update={"start": date(2027, 8, 15)})
    text = roster_to_csv(rows)
    assert text.splitlines()[0].endswith("plan,start,end")
    assert roster_from_csv(text) == rows
    assert "start" not in roster_to_csv(list(scn.roster))


def test_periods_are_calendar_quarters_from_the_year_start() -> None:
    assert period_bounds(date(2027, 4, 1), "quarter") == [
        (date(2027, 4, 1), date(2027, 6, 30)), (date(2027, 7, 1), date(2027, 9, 30)),
        (date(2027, 10, 1), date(2027, 12, 31)), (date(2028, 1, 1), date(2028, 3, 31))]


def test_the_employed_share_is_the_share_of_days_inside_start_and_end() -> None:
    start = date(2027, 1, 1)
    # a leaver on 15 March (inclusive): 74 of Q1's 90 days (31 + 28 + 15)
    assert employed_shares(start, "quarter", None, date(2027, 3, 15)) == [74 / 90, 0.0, 0.0, 0.0]
    # a hire on 1 July: the second half in full
    assert employed_shares(start, "half", date(2027, 7, 1), None) == [0.0, 1.0]
    # one day: 1 of July's 31
    assert employed_shares(start, "month", date(2027, 7, 4), date(2027, 7, 4))[6] == 1 / 31
    assert employed_shares(None, "quarter", None, None) == [1.0, 1.0, 1.0, 1.0]


def test_one_plan_of_the_org_as_its_own_scenario_keeps_the_year() -> None:
    from compcore.report.org_document import scenario_for_plan

    one = scenario_for_plan(load_scenario(ORG), "customer_success")
    assert one.year_start == date(2027, 1, 1)
    assert [r.start for r in one.roster if r.has_dates] == [date(2027, 7, 1)]
