"""``solve`` subcommand: the value, the achieved measure, key figures before and after, --json, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from compcore.cli.main import main
from compcore.cli.solve import parse_goal_text
from compcore.errors import PlanError
from compcore.simulation.solve import solve

ROOT = Path(__file__).resolve().parents[3]
SCENARIO = str(ROOT / "sample_data/scenarios/cs_org_quarterly.json")
PCT = "plan.target_incentive.percent_of_base"


def test_text_output_gives_the_value_the_measure_and_figures_before_and_after(capsys) -> None:
    assert main(["solve", SCENARIO, "--knob", PCT, "--goal", "p_over_budget=0.1", "--trials", "3000"]) == 0
    out = capsys.readouterr().out
    sol = solve(SCENARIO, PCT, {"p_over_budget": 0.1}, trials=3000)
    assert f"exactly {sol.value:.10g}" in out
    assert f"value:    {sol.knob.show(sol.value)} of base" in out
    assert "goal:     P(over budget) at most 10%" in out
    assert f"P(over budget) = {100 * sol.achieved:.4g}%" in out
    assert f"{sol.evaluations} re-pricings" in out
    assert f"{sol.base.expected:,.0f}" in out and f"{sol.sim.expected:,.0f}" in out
    assert f"{sol.sim.percentiles['P90']:,.0f}" in out


def test_json_output_carries_the_same_numbers_as_the_library(capsys) -> None:
    args = ["solve", SCENARIO, "--knob", "plan.metrics[1].target", "--goal", "quantile=0.9:110000",
            "--trials", "2000", "--seed", "4", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    sol = solve(SCENARIO, "plan.metrics[1].target", {"quantile": 0.9, "cost": 110_000}, trials=2000, seed=4)
    assert data["value"] == sol.value and data["achieved"] == sol.achieved
    assert data["goal"] == {"kind": "quantile", "target": 110_000.0, "q": 0.9}
    assert data["after_figures"]["P90"] == pytest.approx(110_000, rel=1e-3)
    assert data["before_figures"]["expected"] == sol.base.expected


def test_range_options_are_used(capsys) -> None:
    assert main(["solve", SCENARIO, "--knob", "plan.cap", "--goal", "expected_cost=100000", "--lo", "0.5",
                 "--hi", "2", "--trials", "1000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["lo"], data["hi"]) == (0.5, 2.0)


@pytest.mark.parametrize(("argv", "words"), [
    (["--knob", "plan.components[0].weight", "--goal", "p_over_budget=0.1"], "is a component weight"),
    (["--knob", PCT, "--goal", "p_over=0.1"], "--goal: must look like"),
    (["--knob", PCT, "--goal", "quantile=0.9"], "quantile=Q:COST"),
    (["--knob", PCT, "--goal", "expected_cost=lots"], "must be a number"),
    (["--knob", PCT, "--goal", "expected_cost=9000000"], "out of reach"),
    (["--knob", PCT, "--goal", "p_over_budget=0.1", "--trials", "0"], "--trials must be at least 1"),
])
def test_bad_input_is_one_line_and_exit_2(argv: list[str], words: str, capsys) -> None:
    trials = [] if "--trials" in argv else ["--trials", "500"]
    assert main(["solve", SCENARIO, *argv, *trials]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_goal_text() -> None:
    assert parse_goal_text("quantile=0.9:140,000") == {"quantile": 0.9, "cost": 140_000.0}
    assert parse_goal_text("expected_cost=120000") == {"expected_cost": 120_000.0}
    with pytest.raises(PlanError):
        parse_goal_text("budget=1")


def test_runs_as_a_module() -> None:
    r = subprocess.run([sys.executable, "-m", "compcore", "solve", SCENARIO, "--knob", "plan.cap", "--goal",
                        "p_over_budget=0.2", "--trials", "500"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "Plan cap" in r.stdout
