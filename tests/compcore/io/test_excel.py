"""Excel out: the plan document's tables round-trip as numbers with formats; no text cell is ever a formula."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest

import compcore
from compcore.io.excel import Sheet, plan_document_workbook, workbook_bytes
from compcore.io.spreadsheet import FORMULA_TRIGGERS
from compcore.io.tables import read_table, sheet_names
from compcore.report import document

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def doc():
    scn = compcore.load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json")
    sim = compcore.simulate(scn, trials=2_000, seed=1)
    examples = document.worked_examples(scn.plan, base_salary=document.reference_salary(scn))
    summary = document.cost_summary(sim, scn.budget)
    teams = document.team_costs(sim)
    fairness = pd.DataFrame({"team": ["PMO", "=Ops"], "plan": ["plan", "plan"], "headcount": [4, 6],
                             "expected_payout": [0.97, 1.02], "p_at_or_above_target": [0.41, 0.5],
                             "p_zero": [0.05, 0.0], "p10": [0.6, 0.8], "p90": [1.3, 1.2]})
    by_plan = pd.DataFrame({"plan": ["plan"], "headcount": [10], "target": [50_000.0], "expected_cost": [48_500.5],
                            "pct_of_target": [0.97]})
    sim_like = SimpleNamespace(cost_by_plan=by_plan, fairness=fairness)
    data = plan_document_workbook(examples, summary, teams, sim_like, currency="$")
    return data, examples, summary, teams, fairness, by_plan


def test_a_sheet_per_table(doc):
    assert sheet_names("plan.xlsx", doc[0]) == ["Worked examples", "Cost summary", "Cost by plan", "Cost by team",
                                                "Fairness"]


def test_round_trip_numbers_equal(doc):
    data, examples, summary, teams, fairness, by_plan = doc
    for sheet, frame in [("Worked examples", examples), ("Cost summary", summary.drop(columns=["unit"])),
                         ("Cost by plan", by_plan), ("Cost by team", teams), ("Fairness", fairness)]:
        back = read_table("plan.xlsx", data, sheet)
        assert list(back.headers) == [("'" + c if c.startswith(FORMULA_TRIGGERS) else c) for c in frame.columns]
        for j, col in enumerate(frame.columns):
            if pd.api.types.is_numeric_dtype(frame[col]):
                got = back.frame[j].astype(float).to_numpy()
                # equal to the last digit a spreadsheet keeps (Excel holds 15 significant digits)
                np.testing.assert_allclose(got, frame[col].astype(float).to_numpy(), rtol=1e-14, atol=0,
                                           err_msg=f"{sheet} {col}")


def test_number_formats_by_unit(doc):
    book = openpyxl.load_workbook(io.BytesIO(doc[0]))
    ex = book["Worked examples"]
    headers = [c.value for c in ex[1]]
    assert ex.cell(2, headers.index("payout") + 1).number_format == "0.0%"
    assert ex.cell(2, headers.index("pay") + 1).number_format == '"$"#,##0'
    summary = book["Cost summary"]
    units = list(doc[2]["unit"])
    fmts = [summary.cell(i + 2, 2).number_format for i in range(len(units))]
    expected = {"money": '"$"#,##0', "share": "0.0%", "count": "#,##0"}
    assert fmts == [expected[u] for u in units]
    assert book["Fairness"].cell(2, 5).number_format == "0.0%"
    assert book["Cost by plan"].cell(2, 4).number_format == '"$"#,##0'
    assert isinstance(book["Cost by plan"].cell(2, 4).value, float)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                  "  =1+1"])
def test_injection_rule_on_every_text_cell_and_header(text):
    frame = pd.DataFrame({text: [text, "ok"], "n": [-5, 3]})
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([Sheet(text, frame, {"n": "count"})])))
    ws = book.worksheets[0]
    cells = [c.value for row in ws.iter_rows() for c in row]
    # numbers stay numbers (-5 is not a formula); XML reads a stored carriage return back as a line feed
    same = "'" + text.replace("\r", "\n")
    assert cells == [same, "n", same, -5, "ok", 3]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert not ws.title.startswith(FORMULA_TRIGGERS)


def test_plan_names_starting_with_a_trigger_are_neutralised(doc):
    plan = compcore.load_plan({"name": "x", "target_incentive": {"amount": 1000}, "metrics": [
        {"id": "m", "name": "=cmd|' /C calc'!A0", "target": 1}], "components": [
        {"id": "c", "metric": "m", "weight": 1, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    ex = document.worked_examples(plan)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([Sheet("Worked examples", ex)])))
    texts = [c.value for row in book.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert texts and not any(t.lstrip(" ").startswith(FORMULA_TRIGGERS) for t in texts)
    assert "'=cmd|' /C calc'!A0 attainment" in texts


def test_sheet_names_are_made_valid_and_unique():
    frame = pd.DataFrame({"a": [1]})
    sheets = [Sheet("a/b:c", frame), Sheet("A/B:C", frame), Sheet("x" * 40, frame)]
    names = sheet_names("x.xlsx", workbook_bytes(sheets))
    assert names == ["a b c", "A B C 2", "x" * 31]


def test_a_real_org_simulation_gives_cost_by_plan_and_fairness_sheets():
    scn = compcore.load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_teams.json")
    sim = compcore.simulate(scn, trials=500, seed=0)
    plan = next(iter(scn.plans.values()))
    data = plan_document_workbook(document.worked_examples(plan, base_salary=60_000.0),
                                  document.cost_summary(sim, scn.budget), document.team_costs(sim), sim)
    assert sheet_names("x.xlsx", data)[2:] == ["Cost by plan", "Cost by team", "Fairness"]
    back = read_table("x.xlsx", data, "Fairness")
    col = back.headers.index("p_at_or_above_target")
    np.testing.assert_allclose(back.frame[col].astype(float).to_numpy(),
                               sim.fairness["p_at_or_above_target"].to_numpy(), rtol=1e-14, atol=0)
    by_plan = read_table("x.xlsx", data, "Cost by plan")
    assert [str(v) for v in by_plan.frame[0]] == [str(v) for v in sim.cost_by_plan["plan"]]
