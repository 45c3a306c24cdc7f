"""``python -m compcore payout``: readable and JSON output, exit code 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from compcore.cli.main import main

SEED_000 = "sample_data/plans/cs_ops_enablement.json"


def test_payout_explains_the_okr_gate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["payout", SEED_000, "--actual", "team_okr=0.9", "--actual", "company_arr=1.2"]) == 0
    out = capsys.readouterr().out
    assert "gate fired: Team OKR score at 90% is below 100%: total capped at 100%" in out
    assert "total payout: 100% of target incentive" in out
    assert "company              30%        120%      200%       60%" in out


def test_payout_json_gives_fractions_and_the_gate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["payout", SEED_000, "--actual", "team_okr=1", "--actual", "company_arr=1.1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"] == pytest.approx(1.15)
    assert [c["payout_fraction"] for c in report["components"]] == pytest.approx([1.0, 1.5])
    assert report["gates_fired"] == []


@pytest.mark.parametrize("plan", sorted(str(p) for p in Path("sample_data/plans").glob("*.json")))
def test_payout_works_on_every_sample_plan_at_target(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    from compcore import load_plan
    args = [f"--actual={m.id}={m.target}" for m in load_plan(plan).metrics]
    assert main(["payout", plan, *args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == pytest.approx(1.0)


@pytest.mark.parametrize(("args", "message"), [
    (["payout", SEED_000, "--actual", "team_okr=0.9"], "missing --actual for company_arr"),
    (["payout", SEED_000, "--actual", "team_okr=ninety", "--actual", "company_arr=1"], "'ninety' is not a number"),
    (["payout", SEED_000, "--actual", "nps=40"], "unknown metric 'nps'"),
    (["payout", SEED_000, "--actual", "team_okr"], "write it as METRIC=VALUE"),
    (["payout", "missing.json", "--actual", "a=1"], "cannot read plan file 'missing.json'"),
])
def test_bad_arguments_give_one_line_and_exit_code_2(args: list[str], message: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_module_entry_point_exits_2_on_usage_error() -> None:
    run = subprocess.run([sys.executable, "-m", "compcore", "payout"], capture_output=True, text=True)
    assert run.returncode == 2 and "required: plan" in run.stderr


def test_describe_prints_one_sentence_per_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", SEED_000]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "Target incentive: 8% of base salary, paid once a year."
    assert lines[3] == "Gate: if Team OKR score is below 100% of target, the total payout is capped at 100%."


def test_a_gate_that_fires_without_cutting_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["payout", SEED_000, "--actual", "team_okr=0.5", "--actual", "company_arr=1"]) == 0
    assert "total capped at 100% (no effect: already below the cap)" in capsys.readouterr().out


def test_describe_an_org_scenario_describes_every_plan_with_who_is_on_it(capsys: pytest.CaptureFixture[str]) -> None:
    org = str(Path(SEED_000).parents[1] / "scenarios" / "cs_org_teams.json")
    assert main(["describe", org]) == 0
    out = capsys.readouterr().out
    for name, pid, team in (("PMO quarterly bonus", "pmo", "PMO"),
                            ("Customer Success quarterly bonus", "customer_success", "Customer Success")):
        assert f"{name} (plan {pid})\n" in out
        assert f"Who is on it: {team};" in out
    assert out.count("Target incentive:") == 4


def test_describe_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", SEED_000, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plans"][0]["name"] == "CS Ops & Enablement FY27"
    assert data["plans"][0]["lines"][0] == "Target incentive: 8% of base salary, paid once a year."
    assert main(["describe", "sample_data/scenarios/cs_org_quarterly.json", "--json"]) == 0
    org = json.loads(capsys.readouterr().out)
    assert org["plans"][0]["people"] == 50 and "PMO" in org["plans"][0]["teams"]


def test_a_scenario_where_a_plan_is_expected_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["payout", "sample_data/scenarios/cs_org_quarterly.json"]) == 2
    err = capsys.readouterr().err
    assert "this is a scenario, not a plan" in err and "unknown schema version" not in err


def test_a_plan_where_a_scenario_is_expected_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", SEED_000]) == 2
    assert "this is a plan, not a scenario" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["simulate", "sample_data/scenarios/cs_org_quarterly.json", "--trials", "2000"],
                                     ["describe", "sample_data/scenarios/cs_org_quarterly.json"]])
def test_output_piped_into_head_stops_quietly(command: list[str]) -> None:
    # `python -m compcore simulate ... | head -1`: the reader leaves after one line; no "Broken pipe" error line
    proc = subprocess.Popen([sys.executable, "-m", "compcore", *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 141)  # 141 once the reader left mid-output, as a Unix tool
    assert first.strip()
    assert err == ""
