"""Comparing org scenarios (issue 19): plans matched by id and named by name, a plan in one scenario only is one
row, no schema rows, money with the currency, units without their bracketed definitions."""

from __future__ import annotations

import copy
import json

from compcore.report.changes import readable_diff
from compcore.report.compare import compare_groups, diff_scenarios, plans_by_id
from compcore.simulation.scenario import load_scenario
from compcore.simulation.simulate import simulate
from tests.compcore.scenario_data import ROOT

ORG = json.loads((ROOT / "sample_data" / "scenarios" / "cs_org_teams.json").read_text())


def _variant() -> dict:
    b = copy.deepcopy(ORG)
    b["plans"]["pmo"]["name"] = "PMO bonus v2"
    b["plans"]["implementation"]["metrics"][0]["target"] = 0.85
    b["plans"]["extra"] = copy.deepcopy(b["plans"]["implementation"])
    b["plans"]["extra"]["name"] = "Implementation copy"
    b["budget"] = 110_000
    return b


def test_no_schema_row_even_for_a_plan_in_one_scenario_only() -> None:
    fields = diff_scenarios({"A": ORG, "B": _variant()})["field"].tolist()
    assert not [f for f in fields if f.endswith("schema")]


def test_what_changed_reads_names_currency_and_short_units() -> None:
    diff = readable_diff({"A": ORG, "B": _variant()}, "$").set_index("What changed")
    assert diff.index.tolist() == [
        "Plan Implementation copy", "PMO quarterly bonus: plan name",
        "Implementation quarterly bonus: Clients adopted within 90 days: target", "Budget per quarter"]
    assert diff.loc["Plan Implementation copy", "B"] == "in this scenario"
    assert diff.loc["Budget per quarter"].tolist()[:2] == ["$100,000", "$110,000"]
    # the unit reads "share of new clients (adopted = 40% of licensed seats active in a week)": the cell keeps
    # "share of new clients"
    assert diff.loc["Implementation quarterly bonus: Clients adopted within 90 days: target"].tolist()[:2] == [
        "90% share of new clients", "85% share of new clients"]


def test_a_renamed_plan_is_one_plan_in_the_costs_and_the_curves() -> None:
    a, b = load_scenario(ORG), load_scenario(_variant())
    sims = {"A": simulate(a, trials=50), "B": simulate(b, trials=50)}
    by_plan = compare_groups(sims, "plan").set_index("plan")
    assert "PMO quarterly bonus / PMO bonus v2" in by_plan.index and "PMO bonus v2" not in by_plan.index
    assert by_plan.loc["PMO quarterly bonus / PMO bonus v2", "A"] == by_plan.loc[
        "PMO quarterly bonus / PMO bonus v2", "B"]  # only its name changed: the same cost on the same draws
    by_id = plans_by_id({"A": a, "B": b})
    assert list(by_id["pmo"]) == ["A", "B"] and list(by_id["extra"]) == ["B"]
