"""``simulate`` subcommand: summary table, --json, --csv, one-line errors with exit code 2."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import pytest

from compcore.cli.simulate import register
from compcore.simulation.simulate import simulate

ROOT = Path(__file__).resolve().parents[3]
SCENARIO = str(ROOT / "sample_data/scenarios/cs_org_quarterly.json")


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_summary_shows_quantiles_budget_teams_and_sensitivity(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("simulate", SCENARIO, "--trials", "3000", "--seed", "7") == 0
    out = capsys.readouterr().out
    sim = simulate(SCENARIO, trials=3000, seed=7)
    assert f"P90 ${sim.percentiles['P90']:,.0f}" in out  # money with its currency
    assert f"{sim.expected:,.0f}" in out and "," in f"{sim.expected:,.0f}"
    assert f"P(over budget) = {100 * sim.p_over_budget:.1f}%" in out
    for team in ("PMO", "Implementation", "Customer Success", "Change & Enablement", "CS Ops"):
        assert team in out
    assert "Clients adopted within 90 days" in out and "adoption_90d" not in out  # metrics by name
    assert "variance share" in out


def test_json_output_carries_the_same_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("simulate", SCENARIO, "--trials", "2000", "--seed", "1", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    sim = simulate(SCENARIO, trials=2000, seed=1)
    assert data["expected"] == pytest.approx(sim.expected)
    assert data["percentiles"]["P95"] == pytest.approx(sim.percentiles["P95"])
    assert [r["team"] for r in data["by_team"]][0] == "PMO"
    assert {r["metric"] for r in data["sensitivity"]} == {"go_live_on_time", "adoption_90d", "continued_usage", "ebrs"}


def test_csv_output_has_one_row_per_trial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cost.csv"
    assert run_cli("simulate", SCENARIO, "--trials", "500", "--csv", str(out)) == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 500
    np.testing.assert_allclose([float(r["cost"]) for r in rows], simulate(SCENARIO, 500, 0).cost, atol=0.005)


def test_an_invalid_scenario_is_one_line_on_stderr_and_exit_2(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(Path(SCENARIO).read_text())
    data["assumptions"]["ebrs"] = {"dist": "poisson", "mean": -1}
    data["plan_file"] = str(ROOT / "sample_data/plans/cs_org_quarterly.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    assert run_cli("simulate", str(bad)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "assumptions.ebrs.mean" in err


def test_a_missing_file_and_zero_trials_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("simulate", "no/such/scenario.json") == 2
    assert run_cli("simulate", SCENARIO, "--trials", "0") == 2
    err = capsys.readouterr().err
    assert "no/such/scenario.json" in err and "--trials" in err


ORG = str(ROOT / "sample_data/scenarios/cs_org_teams.json")


def test_an_org_prints_cost_by_plan_and_the_fairness_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("simulate", ORG, "--trials", "2000", "--seed", "3") == 0
    out = capsys.readouterr().out
    sim = simulate(ORG, trials=2000, seed=3)
    assert "Customer Success quarterly bonus" in out and "fairness" in out
    for row in sim.cost_by_plan.itertuples():
        assert f"{row.expected_cost:,.0f}" in out
    for r in sim.fairness.itertuples():
        assert f"{100 * r.p_at_or_above_target:.1f}%" in out


def test_org_json_and_csv_carry_each_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_csv = tmp_path / "costs.csv"
    assert run_cli("simulate", ORG, "--trials", "500", "--seed", "2", "--json", "--csv", str(out_csv)) == 0
    data = json.loads(capsys.readouterr().out)
    sim = simulate(ORG, trials=500, seed=2)
    assert [r["plan"] for r in data["by_plan"]] == list(sim.cost_by_plan["plan"])
    assert data["fairness"][0]["p_at_or_above_target"] == pytest.approx(sim.fairness["p_at_or_above_target"][0])
    rows = list(csv.DictReader(out_csv.open()))
    assert list(rows[0]) == ["trial", "cost", "cost_pmo", "cost_implementation", "cost_customer_success",
                             "cost_change_enablement"]
    first = rows[0]
    assert float(first["cost"]) == pytest.approx(sum(float(first[k]) for k in first if k.startswith("cost_")),
                                                 abs=0.03)


def test_currency_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("simulate", SCENARIO, "--trials", "500", "--currency", "EUR ") == 0
    out = capsys.readouterr().out
    assert "expected cost per quarter:    EUR " in out and "$" not in out
