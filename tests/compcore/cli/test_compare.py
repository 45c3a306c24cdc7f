"""``compare`` subcommand: who wins and who loses, the same table as the app, --json, one-line errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import compcore
from compcore.cli.main import main
from compcore.report.impact import who_sentence

ROOT = Path(__file__).resolve().parents[3]
ORG = ROOT / "sample_data/scenarios/cs_org_teams.json"


@pytest.fixture
def after(tmp_path: Path) -> Path:
    data = json.loads(ORG.read_text())
    data["plans"]["implementation"]["metrics"][0]["target"] *= 1.1  # a harder bar for Implementation
    for row in data["roster"]:
        if row["team"] == "PMO":
            row["plan"] = "customer_success"
    path = tmp_path / "after.json"
    path.write_text(json.dumps(data))
    return path


def test_text_output_has_the_sentences_the_losers_first_and_the_plans(capsys, after: Path) -> None:
    assert main(["compare", str(ORG), str(after), "--trials", "2000"]) == 0
    out = capsys.readouterr().out
    imp = compcore.impact(str(ORG), str(after), trials=2000)
    assert who_sentence(imp) in out
    assert f"{imp.expected_change:,.0f}" in out
    lines = out.splitlines()
    table = [ln for ln in lines if ln.startswith(("Implementation ", "PMO ", "Customer Success ", "Change & "))]
    assert table[0].startswith("Implementation")  # the biggest loser first
    assert any("PMO quarterly bonus -> Customer Success quarterly bonus" in ln for ln in table)
    assert any(ln.startswith("total") for ln in lines)


def test_json_carries_the_librarys_numbers(capsys, after: Path) -> None:
    assert main(["compare", str(ORG), str(after), "--trials", "1500", "--seed", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    imp = compcore.impact(str(ORG), str(after), trials=1500, seed=3)
    assert data["cost_change"]["expected"] == imp.expected_change
    assert data["by_group"] == [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
                                for r in imp.by_group.to_dict("records")]
    pmo = [r for r in data["by_group"] if r["team"] == "PMO"]
    assert {(r["plan_before"], r["plan_after"]) for r in pmo} == {("pmo", "customer_success")}
    assert [p["plan"] for p in data["by_plan"]] == ["pmo", "implementation", "customer_success", "change_enablement"]


def test_a_group_on_one_side_only_is_null_in_json(capsys, tmp_path: Path) -> None:
    data = json.loads(ORG.read_text())
    data["roster"].append({"team": "CS Ops", "role": "Analyst", "headcount": 2, "base_salary": 80000,
                           "plan": "change_enablement"})
    (tmp_path / "grown.json").write_text(json.dumps(data))
    assert main(["compare", str(ORG), str(tmp_path / "grown.json"), "--trials", "500", "--json"]) == 0
    new = [r for r in json.loads(capsys.readouterr().out)["by_group"] if r["team"] == "CS Ops"]
    assert len(new) == 1 and new[0]["plan_before"] is None and new[0]["expected_before"] is None


@pytest.mark.parametrize(("args", "says"), [
    (["compare", str(ORG), "nope.json"], "after (nope.json): cannot read scenario file"),
    (["compare", str(ORG), str(ORG), "--trials", "0"], "--trials must be at least 1"),
])
def test_bad_input_is_one_line_and_exit_code_2(capsys, args: list[str], says: str) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_invalid_scenario_names_the_side_and_the_field(capsys, tmp_path: Path) -> None:
    data = json.loads(ORG.read_text())
    data["roster"][0]["plan"] = "nope"
    (tmp_path / "bad.json").write_text(json.dumps(data))
    assert main(["compare", str(tmp_path / "bad.json"), str(ORG)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: before (") and "roster[0].plan" in err and len(err.strip().splitlines()) == 1


def test_a_missing_argument_exits_2_with_one_line() -> None:
    proc = subprocess.run([sys.executable, "-m", "compcore", "compare", str(ORG)], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["python -m compcore compare: error: the following arguments are "
                                                "required: after"]
