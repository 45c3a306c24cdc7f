"""Exports: worked examples agree with the engine, CSV injection is neutralised, HTML escapes user text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from compcore.io.files import plan_json, scenario_json
from compcore.io.spreadsheet import safe_cell, safe_csv
from compcore.plan.describe import describe
from compcore.plan.explore import actual_for
from compcore.plan.payout import payout
from compcore.plan.schema import load_plan
from compcore.plan.units import unit_kind
from compcore.report.document import (
    assumption_lines,
    cost_summary,
    describe_assumption,
    example_levels,
    reference_salary,
    team_costs,
    value_of,
    worked_examples,
)
from compcore.report.html import plan_document_html
from compcore.simulation.scenario import load_scenario
from tests.compcore.scenario_data import ROOT, sample_scenario

PLANS = sorted((ROOT / "sample_data/plans").glob("*.json"))


@dataclass
class FakeSim:
    cost: np.ndarray
    p_over_budget: float | None = None
    cost_by_team: dict = field(default_factory=dict)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_worked_examples_match_payout(path):
    plan = load_plan(path)
    df = worked_examples(plan, base_salary=90_000)
    assert len(df) == sum(len(example_levels(m)) for m in plan.metrics) + len(plan.gates)
    period_target = plan.target_incentive.annual(90_000) / plan.periods_per_year
    for row in df.to_dict("records"):
        actuals = {m.id: actual_for(m, row[f"{m.name} attainment"]) for m in plan.metrics}
        res = payout(plan, actuals)
        assert row["payout"] == pytest.approx(res.total, abs=1e-12)
        assert row["pay"] == pytest.approx(period_target * res.total)
        for c in plan.components:
            assert row[f"{c.name or c.id} share"] == pytest.approx(res.components[c.id])


def test_each_metric_at_each_level_with_others_at_target():
    plan = load_plan(ROOT / "sample_data/plans/cs_org_quarterly.json")
    df = worked_examples(plan).query("kind == 'metric'")
    for m in plan.metrics:
        rows = df[df.metric == m.id]
        assert rows[f"{m.name} attainment"].tolist() == example_levels(m)
        if unit_kind(m.unit) == "share":  # no share above 100% of clients
            assert max(value_of(m, a) for a in rows[f"{m.name} attainment"]) == pytest.approx(1.0)
        others = [f"{o.name} attainment" for o in plan.metrics if o.id != m.id]
        assert (rows[others] == 1.0).all().all()
    assert "pay" not in df.columns  # percent-of-base plan and no salary: money cannot be known


def test_gate_example_seed_000():
    plan = load_plan(ROOT / "sample_data/plans/cs_ops_enablement.json")
    gate = worked_examples(plan, base_salary=100_000).query("kind == 'gate'").iloc[0]
    # OKR 90% and company 120%: 0.63 + 0.6 = 1.23, gated to 100% (DESIGN.md example 3)
    assert gate["payout"] == pytest.approx(1.0)
    assert gate["pay"] == pytest.approx(8000.0)
    assert "below 100%" in gate["gates fired"]


def test_fixed_amount_plan_has_pay_without_salary():
    plan = load_plan(ROOT / "sample_data/plans/accelerators.json")
    df = worked_examples(plan)
    at_target = df[(df.metric == "nrr") & (df["Net revenue retention attainment"] == 1.0)].iloc[0]
    assert at_target["pay"] == pytest.approx(12000 / 2 * at_target["payout"])


@pytest.mark.parametrize("bad", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=x", "\r=x", "  =HYPERLINK()"])
def test_safe_cell_neutralises_formulas(bad):
    assert safe_cell(bad) == "'" + bad


@pytest.mark.parametrize("ok", ["CS Ops", "a=b", "100%", "", 5, -5.5, None])
def test_safe_cell_leaves_the_rest(ok):
    assert safe_cell(ok) == ok


def test_safe_csv_round_trip():
    df = pd.DataFrame({
        "team": ["=cmd|'/C calc'!A0", "CS", "@evil", "-1+1", "+1"],
        "=header": ["x", "y", "z", "w", "v"],
        "cost": [-5.0, 1.5, 2.0, 3.0, 4.0],
        "n": [1, 2, 3, 4, 5],
    })
    rows = list(csv.reader(io.StringIO(safe_csv(df))))
    assert rows[0] == ["team", "'=header", "cost", "n"]
    assert [r[0] for r in rows[1:]] == ["'=cmd|'/C calc'!A0", "CS", "'@evil", "'-1+1", "'+1"]
    assert [r[2] for r in rows[1:]] == ["-5.0", "1.5", "2.0", "3.0", "4.0"]  # numbers stay numbers
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell.startswith("'")


def test_safe_csv_of_worked_examples_with_hostile_names():
    scn = sample_scenario()
    scn["plan"]["metrics"][0]["name"] = "=2+5"
    plan = load_plan(scn["plan"])
    rows = list(csv.reader(io.StringIO(safe_csv(worked_examples(plan, base_salary=1)))))
    assert all(not c.startswith("=") for r in rows for c in r)


def test_json_exports_re_import():
    scn = load_scenario(sample_scenario())
    assert load_scenario(scenario_json(scn)) == scn
    assert load_plan(plan_json(scn.plan)) == scn.plan


def test_cost_summary_and_teams():
    cost = np.arange(1, 1001, dtype=float)
    sim = FakeSim(cost=cost, cost_by_team={"CS": np.full(1000, 3.0), "PMO": np.full(1000, 5.0)})
    df = cost_summary(sim, budget=900).set_index("figure")
    assert df.loc["Expected cost", "value"] == pytest.approx(500.5)
    assert df.loc["P90 cost", "value"] == pytest.approx(np.quantile(cost, 0.9))
    assert df.loc["P(cost over budget)", "value"] == pytest.approx(0.1)
    assert df.loc["P(cost over budget)", "unit"] == "share"
    assert team_costs(sim).to_dict("list") == {"team": ["PMO", "CS"], "expected cost": [5.0, 3.0]}
    assert "Budget" not in cost_summary(sim).figure.tolist()
    frame = team_costs(FakeSim(cost=cost, cost_by_team=pd.DataFrame({"A": [1.0, 3.0], "B": [0.0, 0.0]})))
    assert frame.to_dict("list") == {"team": ["A", "B"], "expected cost": [2.0, 0.0]}


def test_assumptions_in_words():
    scn = load_scenario(sample_scenario())
    lines = assumption_lines(scn)
    # normal 0.95, sd 0.1 of a share: P10 / P90 = 95% -/+ 1.2816 x 10 points
    assert lines[0].startswith("Team OKR score") and "95% on average" in lines[0] and "82.2% and 108%" in lines[0]
    assert "correlation 0.5" in lines[-1]
    assert describe_assumption({"dist": "fixed", "value": 1}) == "fixed at 1"
    assert "40 clients" in describe_assumption({"dist": "binomial", "n": 40, "p": 0.9})
    assert "3 past values from 1 to 3" in describe_assumption({"dist": "empirical", "values": [1, 2, 3]})
    assert reference_salary(scn) == pytest.approx((3 * 80000 + 2 * 100000) / 5)


def test_html_document_escapes_user_text():
    data = sample_scenario("<script>alert('x')</script> & co")
    data["plan"]["metrics"][0]["name"] = "OKR <img src=x onerror=alert(1)>"
    data["roster"][0]["team"] = "<b>Ops</b>"
    scn = load_scenario(data)
    doc = plan_document_html(scn, stamp="v2 by <Ana>")
    assert "<script>" not in doc and "<img" not in doc and "<b>Ops" not in doc and "<Ana>" not in doc
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in doc
    assert "&lt;b&gt;Ops&lt;/b&gt;" in doc
    assert "v2 by &lt;Ana&gt;" in doc


def test_html_document_content():
    scn = load_scenario(sample_scenario())
    sim = FakeSim(cost=np.linspace(20_000, 50_000, 101), cost_by_team={"CS Ops": np.full(101, 1234.0)})
    doc = plan_document_html(scn, summary=cost_summary(sim, scn.budget), teams=team_costs(sim),
                             stamp="FY27 base case v3", currency="$",
                             generated_at=datetime(2026, 1, 31, 14, 5, tzinfo=UTC))
    assert doc.startswith("<!doctype html>") and "@media print" in doc
    assert "<script" not in doc.lower() and "http" not in doc  # standalone, nothing fetched
    for line in describe(scn.plan):
        assert line.replace("&", "&amp;").replace("'", "&#x27;") in doc
    assert "FY27 base case v3" in doc and "2026-01-31 14:05 UTC" in doc
    assert "$35,000" in doc  # P50 of the fake simulation, with thousands separators
    assert "$1,234" in doc and "Team OKR score" in doc and "<svg" in doc
    assert "Headcount" in doc and "80,000" not in doc.split("Assumptions")[1]  # roster: no salaries
    assert "Gate: Team OKR score at 90%" in doc


def test_html_document_without_simulation():
    doc = plan_document_html(load_scenario(sample_scenario()))
    assert "No simulation was run" in doc and "Unsaved scenario" in doc


def test_summary_of_a_real_simulation():
    from compcore.simulation.simulate import simulate

    scn = load_scenario(sample_scenario())
    sim = simulate(scn, trials=2000, seed=1)
    df = cost_summary(sim, scn.budget).set_index("figure")
    assert df.loc["P50 cost", "value"] == pytest.approx(sim.quantile(0.5))
    assert df.loc["P(cost over budget)", "value"] == pytest.approx(sim.p_over_budget)
    assert df.loc["Expected cost", "value"] == pytest.approx(sim.expected)
    teams = team_costs(sim)
    assert set(teams.team) == {"CS Ops", "Enablement"}
    assert teams["expected cost"].sum() == pytest.approx(sim.expected, rel=1e-9)


# --- re-import of downloaded JSON (designer page upload)

def test_downloaded_plan_json_imports_back_as_the_same_plan() -> None:
    from compcore.io.files import import_json, plan_json
    from compcore.plan.schema import load_plan

    plan = load_plan("sample_data/plans/accelerators.json")
    got = import_json(plan_json(plan).encode(), "accelerators_plan.json")
    assert (got.kind, got.plan, got.scenario) == ("plan", plan, None)


def test_downloaded_scenario_json_imports_back_as_the_same_scenario() -> None:
    from compcore.io.files import import_json, scenario_json
    from compcore.simulation.scenario import load_scenario

    scn = load_scenario("sample_data/scenarios/cs_ops_enablement.json")
    got = import_json(scenario_json(scn))
    assert got.kind == "scenario" and got.scenario == scn and got.plan == scn.plan


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe not utf-8", "my.json: not a JSON file"),
    (b"[1, 2]", "my.json: expected a plan or scenario object, got a JSON list"),
    (b'{"schema": "compcore.plan/v1", "name": "x"}', "my.json: target_incentive: is required but missing"),
    (b'{"schema": "compcore.scenario/v1", "plan_file": "plans/x.json", "roster": []}',
     "my.json: plan_file: an imported scenario must carry its plan inline"),
    (b"{" + b" " * 1_000_001 + b"}", "my.json: the file is 1,000,003 bytes"),
])
def test_a_bad_import_names_the_file_and_the_problem(content: bytes, message: str) -> None:
    from compcore.errors import PlanError
    from compcore.io.files import import_json

    with pytest.raises(PlanError) as err:
        import_json(content, "my.json")
    assert message in str(err.value)
