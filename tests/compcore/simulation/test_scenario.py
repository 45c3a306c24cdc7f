"""Scenario schema v1: loading, plan_file, round trip, roster CSV, and every validation error."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from compcore.errors import PlanError
from compcore.simulation.roster import roster_from_csv, roster_to_csv
from compcore.simulation.scenario import dump_scenario, load_scenario

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = sorted((ROOT / "sample_data/scenarios").glob("*.json"))


def base() -> dict:
    plan = json.loads((ROOT / "sample_data/plans/cs_ops_enablement.json").read_text())
    return copy.deepcopy({
        "schema": "compcore.scenario/v1",
        "name": "FY27 base case",
        "plan": plan,
        "roster": [
            {"team": "CS Ops", "role": "Analyst", "headcount": 3, "base_salary": 80000},
            {"team": "Enablement", "role": "Lead", "headcount": 2, "base_salary": 100000,
             "target_incentive": {"amount": 9000}},
            {"team": "CS Ops", "role": "Lead", "headcount": 1, "base_salary": 95000},
        ],
        "assumptions": {
            "team_okr": {"dist": "normal", "mean": 0.95, "sd": 0.1},
            "company_arr": {"dist": "triangular", "low": 0.85, "mode": 1.0, "high": 1.15},
        },
        "correlations": [{"between": ["team_okr", "company_arr"], "rho": 0.5}],
        "budget": 40000,
    })


def error_of(data: dict) -> str:
    with pytest.raises(PlanError) as e:
        load_scenario(data)
    return str(e.value)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_sample_scenario_loads_and_round_trips(path: Path) -> None:
    scn = load_scenario(path)
    assert 40 <= scn.headcount <= 60
    org = {"PMO", "Implementation", "Customer Success", "Change & Enablement"}
    # the org sample is seed 001's four groups; the single-plan samples also have CS Ops (seed 000)
    assert {r.team for r in scn.roster} == (org if scn.is_org else org | {"CS Ops"})
    assert load_scenario(dump_scenario(scn)) == scn
    assert load_scenario(json.dumps(dump_scenario(scn))) == scn


def test_a_sample_plan_has_a_sample_scenario() -> None:
    plans = {p.name for p in (ROOT / "sample_data/plans").glob("*.json")}
    assert plans <= {p.name for p in SCENARIOS}


def test_plan_file_is_read_relative_to_the_scenario_folder(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    data = base()
    (tmp_path / "plans" / "p.json").write_text(json.dumps(data.pop("plan")))
    data["plan_file"] = "plans/p.json"
    (tmp_path / "s.json").write_text(json.dumps(data))
    scn = load_scenario(tmp_path / "s.json")
    assert scn.plan.name == "CS Ops & Enablement FY27"
    assert "plan" in dump_scenario(scn) and "plan_file" not in dump_scenario(scn)


def test_plan_and_plan_file_together_is_an_error() -> None:
    data = base()
    data["plan_file"] = "x.json"
    assert error_of(data).startswith("plan_file:")


def test_a_missing_plan_file_names_it(tmp_path: Path) -> None:
    data = base()
    del data["plan"]
    data["plan_file"] = "nowhere.json"
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(PlanError, match="nowhere.json"):
        load_scenario(tmp_path / "s.json")


def test_an_invalid_inline_plan_reports_its_path() -> None:
    data = base()
    data["plan"]["components"][0]["weight"] = 0.5
    assert "plan.components: weights must sum to 1" in error_of(data)


def test_no_budget_round_trips_as_no_budget() -> None:
    data = base()
    del data["budget"]
    scn = load_scenario(data)
    assert scn.budget is None and "budget" not in dump_scenario(scn)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["assumptions"]["team_okr"].update(sd=-0.1), "assumptions.team_okr.sd: must not be negative"),
    (lambda d: d["assumptions"].update(team_okr={"dist": "binomial", "n": 10, "p": 1.2}),
     "assumptions.team_okr.p: must be at most 1"),
    (lambda d: d["assumptions"].update(team_okr={"dist": "binomial", "n": 0, "p": 0.5}),
     "assumptions.team_okr.n:"),
    (lambda d: d["assumptions"].update(company_arr={"dist": "triangular", "low": 1.2, "mode": 1.0, "high": 0.9}),
     "assumptions.company_arr: low (1.2) must not be above high (0.9)"),
    (lambda d: d["assumptions"].update(company_arr={"dist": "triangular", "low": 0.8, "mode": 1.3, "high": 1.2}),
     "assumptions.company_arr: mode (1.3) must lie between"),
    (lambda d: d["assumptions"].update(team_okr={"dist": "empirical", "values": []}),
     "assumptions.team_okr.values: needs at least 1 entries"),
    (lambda d: d["assumptions"].update(team_okr={"dist": "beta", "a": 0, "b": 2}),
     "assumptions.team_okr.a: must be greater than 0"),
    (lambda d: d["assumptions"].update(team_okr={"dist": "lognormal", "mean": -1, "sd": 0.1}),
     "assumptions.team_okr.mean: must be greater than 0"),
    (lambda d: d["assumptions"].update(team_okr={"dist": "poisson", "mean": -3}),
     "assumptions.team_okr.mean: must not be negative"),
    (lambda d: d["assumptions"].update(team_okr={"dist": "gaussian", "mean": 1}),
     "assumptions.team_okr: unknown distribution 'gaussian'"),
    (lambda d: d["assumptions"].update(team_okr={"mean": 1}), 'assumptions.team_okr: needs a "dist"'),
    (lambda d: d["assumptions"]["team_okr"].update(sdd=0.1), "assumptions.team_okr.sdd: is not a field"),
    (lambda d: d["assumptions"].pop("company_arr"),
     'assumptions.company_arr: missing assumption for plan metric "company_arr"'),
    (lambda d: d["assumptions"].update(nps={"dist": "fixed", "value": 40}),
     'assumptions.nps: "nps" is not a metric of the plan'),
    (lambda d: d["correlations"][0].update(between=["team_okr", "arr"]),
     'correlations[0].between[1]: unknown metric "arr"'),
    (lambda d: d["correlations"][0].update(rho=1.5), "correlations[0].rho: must be at most 1"),
    (lambda d: d["correlations"][0].update(rho=-1.01), "correlations[0].rho:"),
    (lambda d: d["correlations"][0].update(between=["team_okr", "team_okr"]),
     "correlations[0].between: a metric cannot be correlated with itself"),
    (lambda d: d["correlations"].append({"between": ["company_arr", "team_okr"], "rho": 0.2}),
     "correlations[1].between: the pair company_arr / team_okr is already in correlations[0]"),
    (lambda d: d["roster"][2].update(headcount=-1), "roster[2].headcount: must not be negative"),
    (lambda d: d["roster"][2].update(headcount=1.5), "roster[2].headcount: must be a whole number"),
    (lambda d: d["roster"][1].update(base_salary="lots"), "roster[1].base_salary: must be a number"),
    (lambda d: d["roster"][0].update(team=""), "roster[0].team:"),
    (lambda d: d["roster"][1].update(target_incentive={"amount": 1, "percent_of_base": 0.1}),
     "roster[1].target_incentive: give exactly one"),
    (lambda d: [r.update(headcount=0) for r in d["roster"]], "roster: needs at least one person"),
    (lambda d: d.update(roster=[]), "roster: needs at least 1 entries"),
    (lambda d: d.update(budget=-5), "budget: must not be negative"),
    (lambda d: d.update(schema="compcore.scenario/v9"), "schema: unknown schema version"),
    (lambda d: d.pop("plan"), "plan: is required"),
])
def test_each_invalid_scenario_names_the_field_and_the_problem(change, expected: str) -> None:
    data = base()
    change(data)
    assert expected in error_of(data)


def _contradiction(rho_ab: float, rho_bc: float, rho_ac: float) -> PlanError:
    """The error for three company metrics a, b, c (team_okr, company_arr, nps) with these correlations."""
    data = base()
    data["plan"]["metrics"].append({"id": "nps", "name": "NPS", "target": 40, "scope": "company"})
    data["assumptions"]["nps"] = {"dist": "normal", "mean": 40, "sd": 5}
    data["correlations"] = [
        {"between": ["team_okr", "company_arr"], "rho": rho_ab},
        {"between": ["company_arr", "nps"], "rho": rho_bc},
        {"between": ["team_okr", "nps"], "rho": rho_ac},
    ]
    with pytest.raises(PlanError) as e:
        load_scenario(data)
    return e.value


def test_contradicting_correlations_name_the_pair_to_change() -> None:
    # a and b move together, b and c move together, yet a and c move opposite: impossible
    err = _contradiction(0.9, 0.9, -0.9)
    paths = [p for p, _ in err.problems]
    assert paths and all(p.startswith("correlations[") and p.endswith("].rho") for p in paths)
    assert "not positive semi-definite" in str(err) and "towards 0" in str(err)
    # each pair contributes exactly as much to the contradiction (2 v_i v_j rho = -0.6 for all three), so no
    # single pair is to blame: every tied pair is named, in the order the user wrote them
    assert paths == ["correlations[0].rho", "correlations[1].rho", "correlations[2].rho"]


def test_the_one_contradicting_correlation_is_named_first() -> None:
    # a-b and b-c together, a-c strongly opposite: a-c stands out
    paths = [p for p, _ in _contradiction(0.6, 0.6, -0.95).problems]
    assert paths[0] == "correlations[2].rho"


def test_a_valid_but_singular_correlation_matrix_is_accepted() -> None:
    data = base()
    data["correlations"][0]["rho"] = 1.0
    assert load_scenario(data).correlations[0].rho == 1.0


def test_roster_csv_round_trips_with_overrides() -> None:
    scn = load_scenario(base())
    text = roster_to_csv(scn.roster)
    assert roster_from_csv(text) == scn.roster


def test_the_sample_roster_csv_is_the_roster_of_the_sample_scenarios() -> None:
    rows = roster_from_csv(ROOT / "sample_data/roster.csv")
    assert rows == load_scenario(ROOT / "sample_data/scenarios/cs_org_quarterly.json").roster


def test_a_list_of_people_without_headcount_reads_one_per_row() -> None:
    rows = roster_from_csv("team,role,base_salary\nPMO,PM,100000\nPMO,PM,90000\n")
    assert [r.headcount for r in rows] == [1, 1]


def test_roster_csv_errors_name_the_row_and_the_column() -> None:
    with pytest.raises(PlanError, match=r"roster\[1\]\.base_salary: must be a number"):
        roster_from_csv("team,role,headcount,base_salary\nPMO,PM,2,100000\nCS,CSM,3,abc\n")
    with pytest.raises(PlanError, match="missing column"):
        roster_from_csv("team,headcount\nPMO,2\n")


def test_roster_export_neutralises_spreadsheet_formulas() -> None:
    rows = roster_from_csv("team,role,base_salary\n=HYPERLINK(1),@role,1000\n")
    text = roster_to_csv(rows)
    assert "'=HYPERLINK(1)" in text and "'@role" in text
