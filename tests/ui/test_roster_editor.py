"""The roster editor (issue 19): plan names shown and ids stored, empty cells empty, a new row on a default plan."""

from __future__ import annotations

import json

import pandas as pd

from compcore.simulation.scenario import load_scenario
from tests.ui.conftest import ROOT
from ui import simulation_state as ss

ORG = json.loads((ROOT / "sample_data" / "scenarios" / "cs_org_teams.json").read_text())


def test_the_plan_column_shows_plan_names_and_stores_ids() -> None:
    labels = ss.plan_labels(ORG["plans"])
    rows = ss.roster_rows(ORG["roster"], labels)
    assert {r["plan"] for r in rows} == {p["name"] for p in ORG["plans"].values()}  # names, not "pmo"
    assert not {r["plan"] for r in rows} & set(ORG["plans"])
    back = ss.roster_from_rows(rows, labels)
    assert [r["plan"] for r in back] == [r["plan"] for r in ORG["roster"]]  # ids again
    assert load_scenario({**ORG, "roster": back}).roster == load_scenario(ORG).roster


def test_a_new_row_without_a_plan_goes_on_the_default_plan() -> None:
    labels = ss.plan_labels(ORG["plans"])
    rows = [*ss.roster_rows(ORG["roster"], labels), {"team": "Ops", "role": "Analyst", "headcount": 1,
                                                    "base_salary": 90_000}]
    back = ss.roster_from_rows(rows, labels, default_plan="implementation")
    assert back[-1] == {"team": "Ops", "role": "Analyst", "headcount": 1, "base_salary": 90_000,
                        "plan": "implementation"}
    load_scenario({**ORG, "roster": back})  # valid at once: no hidden required cell left to fill


def test_two_plans_with_one_name_get_their_ids_and_an_unknown_name_is_kept_for_validation() -> None:
    labels = ss.plan_labels({"a": {"name": "Bonus"}, "b": {"name": "Bonus"}, "c": {"name": ""}})
    assert labels == {"a": "Bonus (a)", "b": "Bonus (b)", "c": "c"}
    back = ss.roster_from_rows([{"team": "T", "role": "R", "plan": "Bonus (b)"},
                                {"team": "T", "role": "R", "plan": "No such plan"}], labels, "a")
    assert [r["plan"] for r in back] == ["b", "No such plan"]


def test_the_plan_column_is_third_and_empty_numbers_are_empty_not_none() -> None:
    rows = ss.roster_rows(ORG["roster"], ss.plan_labels(ORG["plans"]))
    frame = ss.roster_frame(rows, org=True)
    assert list(frame.columns)[:3] == ["team", "role", "plan"]  # on screen at 1400 px, not after the incentives
    assert frame["incentive_pct"].dtype.kind == "f" and frame["incentive_pct"].isna().all()
    assert "plan" not in ss.roster_frame(ss.roster_rows(ORG["roster"]), org=False).columns
    empty = ss.roster_frame([], org=True)
    assert list(empty.columns) == ss.ROSTER_COLUMNS and isinstance(empty, pd.DataFrame)


def test_the_correlations_editor_shows_metric_names_and_stores_ids() -> None:
    labels = {"adoption_90d": "Clients adopted within 90 days", "continued_usage": "Existing clients still adopted"}
    corrs = [{"between": ["adoption_90d", "continued_usage"], "rho": 0.4}]
    rows = ss.correlation_rows(corrs, labels)
    assert rows == [{"metric_a": "Clients adopted within 90 days", "metric_b": "Existing clients still adopted",
                     "rho": 0.4}]
    assert ss.correlations_from_rows(rows, labels) == corrs
    assert ss.correlations_from_rows([{"metric_a": "Nope", "metric_b": None, "rho": 0.1}], labels) == [
        {"between": ["Nope", None], "rho": 0.1}]  # kept as typed: validation names it
