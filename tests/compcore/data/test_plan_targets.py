"""targets_by_plan / plan_targets_from_history: each plan's target from the teams on it; per-team fit wording."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import compcore
from compcore.data.plan_targets import (
    describe_team_fit,
    plan_targets_from_history,
    targets_by_plan,
    team_fit_lines,
)
from compcore.data.records import load_cs_data
from compcore.data.targets import metric_history, target_for

ROOT = Path(__file__).resolve().parents[3]
DATA = load_cs_data(ROOT / "sample_data")


def _history() -> pd.DataFrame:
    # PMO's complete quarters: 0.75 and 0.75; CS's: 1.0; the running quarter (0.0) never counts
    return pd.DataFrame({"period": ["Q1", "Q2", "Q1", "Q3"], "team": ["PMO", "PMO", "Customer Success", "PMO"],
                         "value": [0.75, 0.75, 1.0, 0.0], "complete": [True, True, True, False]})


def test_each_plan_gets_the_history_of_its_own_teams() -> None:
    got = plan_targets_from_history(_history(), {"pmo": ["PMO"], "cs": ["Customer Success"]}, 50, share=True)
    assert got == {"pmo": 0.75, "cs": 1.0}  # not one target of 0.75..1.0 for both


def test_percentile_and_rounding_per_plan() -> None:
    h = pd.DataFrame({"team": ["A", "A", "A", "B", "C"], "value": [0.70, 0.80, 0.912, 0.5, 0.6], "complete": True})
    # plan x: A's values 0.70, 0.80, 0.912 -> P50 = 0.80; P75 = 0.80 + 0.5 * (0.912 - 0.80) = 0.856 -> 0.86
    # plan y: B and C together 0.5, 0.6 -> P50 = 0.55
    assert plan_targets_from_history(h, {"x": ["A"], "y": ["B", "C"]}, 50, share=True) == {"x": 0.8, "y": 0.55}
    assert plan_targets_from_history(h, {"x": ["A"]}, 75, share=True) == {"x": 0.86}
    # a count is rounded to 2 significant figures: P50 of 12.4 and 14.8 = 13.6 -> 14
    counts = pd.DataFrame({"team": ["A", "A"], "value": [12.4, 14.8], "complete": True})
    assert plan_targets_from_history(counts, {"x": ["A"]}, 50, share=False) == {"x": 14.0}


def test_individual_history_maps_owners_to_teams_and_plans_without_history_are_left_out() -> None:
    h = pd.DataFrame({"owner": ["ann", "bob", "cy"], "value": [2.0, 4.0, 9.0], "complete": True})
    got = plan_targets_from_history(h, {"p": ["PMO"], "c": ["CS"], "none": ["Nobody"]}, 50, share=False,
                                    team_of={"ann": "PMO", "bob": "PMO", "cy": "CS"})
    assert got == {"p": 3.0, "c": 9.0}  # (2 + 4) / 2 = 3; "none" keeps its target


def test_company_history_gives_every_plan_the_same_target() -> None:
    h = pd.DataFrame({"company": ["all", "all"], "value": [0.9, 1.0], "complete": True})
    assert plan_targets_from_history(h, {"a": ["PMO"], "b": ["CS"]}, 50, share=True) == {"a": 0.95, "b": 0.95}


def _plan(metric_id: str = "adoption_90d", scope: str = "team") -> compcore.Plan:
    return compcore.load_plan({"name": "x", "period": "quarter", "target_incentive": {"amount": 1},
                               "metrics": [{"id": metric_id, "name": "M", "target": 0.9, "scope": scope}],
                               "components": [{"id": "c", "metric": metric_id, "weight": 1,
                                               "curve": {"kind": "steps", "steps": [[1, 1]]}}]})


def test_targets_by_plan_on_the_sample_matches_each_teams_own_percentile() -> None:
    spec = {"metric": "adoption_within", "days": 90}
    plans = {"pmo": _plan(), "cs": _plan(), "other": _plan("ebrs")}
    got = targets_by_plan(DATA, spec, plans, {"pmo": ["PMO"], "cs": ["Customer Success"], "other": ["PMO"]},
                          "adoption_90d", 50, share=True)
    assert set(got) == {"pmo", "cs"}  # "other" has no adoption_90d
    hist = metric_history(DATA, spec, period="quarter", by="team")
    for pid, team in (("pmo", "PMO"), ("cs", "Customer Success")):
        mine = hist[hist["team"] == team]
        assert got[pid] == compcore.data.definitions.round_target(
            compcore.data.fit.target_from_history(mine, 50), True)
    assert got["pmo"] != got["cs"]  # the sample's teams differ, so the plans' bars do too
    assert target_for(DATA, spec, _plan(), "adoption_90d", 50) > 0


def test_team_fit_in_plain_words() -> None:
    spec = {"metric": "adoption_within", "days": 90}
    assert describe_team_fit("Customer Success", {"dist": "binomial", "n": 14, "p": 0.6}, spec) == (
        "Customer Success: about 60% adopted within 90 days (binomial, 14 clients)")
    lines = team_fit_lines({"PMO": {"dist": "normal", "mean": 0.82, "sd": 0.05}}, spec, ["PMO", "CS"])
    assert lines == ["PMO: about 0.82 on average, adopted within 90 days (normal, sd 0.05)",
                     "CS: no usable history, keeps the default"]
    assert not any("{" in line for line in lines)


@pytest.mark.parametrize("dist", [{"dist": "empirical", "values": [0.5, 0.9]}, {"dist": "beta", "a": 2, "b": 3}])
def test_other_fits_have_no_dict_dump(dist) -> None:
    line = describe_team_fit("T", dist, {"metric": "adoption_within", "days": 90})
    assert line.startswith("T: ") and "{" not in line and "'" not in line
