"""``simulate --year`` and ``solve --horizon year``: the year's summary, by period, by plan, JSON and CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from compcore.cli.main import main
from compcore.simulation.year import simulate_year

ROOT = Path(__file__).resolve().parents[3]
ORG = str(ROOT / "sample_data/scenarios/cs_org_teams.json")


def test_the_year_summary_shows_the_annual_figures_cash_by_period_and_plans(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", ORG, "--year", "--trials", "1500", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    yr = simulate_year(ORG, trials=1500, seed=3)
    assert "1,500 simulated years of 4 quarters" in out
    assert f"P90 ${yr.percentiles['P90']:,.0f}" in out
    assert f"P(the year goes over) = {100 * yr.p_over_budget:.1f}%" in out
    for when, row in zip(("Q1", "Q2", "Q3", "Q4", "Year end"), yr.by_period.itertuples(index=False), strict=True):
        assert any(line.startswith(when) and f"${row.expected:,.0f}" in line for line in out.splitlines())
    assert "PMO quarterly bonus" in out and "fairness per person-year" in out


def test_the_year_as_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "years.csv"
    assert main(["simulate", ORG, "--year", "--trials", "800", "--json", "--csv", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    yr = simulate_year(ORG, trials=800, seed=0)
    assert data["expected"] == pytest.approx(yr.expected)
    assert [r["when"] for r in data["by_period"]] == ["Q1", "Q2", "Q3", "Q4", "Year end"]
    assert {r["plan"] for r in data["by_plan"]} == set(yr.plan_costs)
    with path.open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["year", "Q1", "Q2", "Q3", "Q4", "Year end", "total"]
    assert len(rows) == 801
    assert np.allclose([float(r[-1]) for r in rows[1:]], yr.cost, atol=0.006)


def test_solve_against_the_year(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["solve", ORG, "--knob", "plans.pmo.target_incentive.percent_of_base", "--goal", "p_over_budget=0.1",
            "--trials", "800", "--horizon", "year", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["horizon"] == "year"
    assert data["achieved"] <= 0.1
    assert data["after_figures"]["budget"] == 400_000  # the period budget x 4 quarters


def test_a_bad_horizon_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["solve", ORG, "--knob", "plans.pmo.cap", "--goal", "expected_cost=1", "--horizon", "decade"])
    assert e.value.code == 2
    assert "--horizon" in capsys.readouterr().err
