"""fit_by_team: an assumption on every team's history with by_team from each team's own records."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

import compcore
from compcore.data.records import load_cs_data
from compcore.data.targets import fit_by_team, metric_history
from compcore.errors import PlanError

ROOT = Path(__file__).resolve().parents[3]
BUILD = runpy.run_path(str(ROOT / "sample_data" / "org_scenario.py"))
DATA = load_cs_data(ROOT / "sample_data")


def _plan(scope: str, metric_id: str = "adoption_90d") -> compcore.Plan:
    return compcore.load_plan({"name": "x", "period": "quarter", "target_incentive": {"amount": 1},
                               "metrics": [{"id": metric_id, "name": "M", "target": 0.9, "scope": scope}],
                               "components": [{"id": "c", "metric": metric_id, "weight": 1,
                                               "curve": {"kind": "steps", "steps": [[1, 1]]}}]})


def test_each_team_gets_its_own_pooled_rate_and_cohort() -> None:
    spec = {"metric": "adoption_within", "days": 90}
    fit = fit_by_team(DATA, spec, _plan("team"), "adoption_90d", ["Customer Success", "Implementation"])
    hist = metric_history(DATA, spec, period="quarter", by="team")
    hist = hist[hist["complete"].astype(bool) & hist["value"].notna()]
    for team in ("Customer Success", "Implementation"):
        mine = hist[hist["team"] == team]
        # p = adopted clients / clients that went live, over the team's own complete quarters
        assert fit["by_team"][team]["p"] == pytest.approx(mine["numerator"].sum() / mine["denominator"].sum(),
                                                          abs=1e-6)
        assert fit["by_team"][team]["n"] == round(float(mine["n"].median()))
    assert fit["p"] == pytest.approx(hist["numerator"].sum() / hist["denominator"].sum(), abs=1e-6)
    # the sample's teams differ: CS adopts far less often than Implementation
    assert fit["by_team"]["Customer Success"]["p"] < fit["by_team"]["Implementation"]["p"] - 0.1


def test_an_individual_metric_fits_each_teams_people() -> None:
    spec = {"metric": "activities", "kind": "ebr"}
    fit = fit_by_team(DATA, spec, _plan("individual", "ebrs"), "ebrs", ["Customer Success"])
    hist = metric_history(DATA, spec, period="quarter", by="owner")
    team_of = dict(zip(DATA.people["owner"], DATA.people["team"], strict=True))
    mine = hist[hist["complete"].astype(bool) & (hist["owner"].map(team_of) == "Customer Success")]
    assert fit["by_team"]["Customer Success"] == {"dist": "poisson", "mean": pytest.approx(mine["value"].mean(),
                                                                                           abs=1e-6)}


def test_a_company_metric_cannot_be_fitted_by_team() -> None:
    with pytest.raises(PlanError, match="company metric"):
        fit_by_team(DATA, {"metric": "grr"}, _plan("company", "grr"), "grr", ["PMO"])


def test_the_sample_org_scenario_is_what_the_builder_fits_from_the_history() -> None:
    stored = json.loads((ROOT / "sample_data/scenarios/cs_org_teams.json").read_text())
    assert stored == BUILD["build"]()
    scn = compcore.load_scenario(stored)
    assert list(scn.plans) == ["pmo", "implementation", "customer_success", "change_enablement"]
    for plan in scn.plans.values():
        assert len(plan.metrics) <= 3
        assert "company_grr" in {m.id for m in plan.metrics}  # the company goal every plan shares
    assert {scn.plan_id_of(r) for r in scn.roster if r.team == "PMO"} == {"pmo"}
    assert "CS Ops" not in scn.teams  # CS Ops & Enablement is the seed-000 sample


@pytest.mark.parametrize("scope", ["team", "individual"])
def test_a_history_already_computed_gives_the_same_fit(scope) -> None:
    spec = {"metric": "adoption_within", "days": 90}
    teams = ["Customer Success", "Implementation", "PMO"]
    by = "team" if scope == "team" else "owner"
    given = metric_history(DATA, spec, period="quarter", by=by)
    assert fit_by_team(DATA, spec, _plan(scope), "adoption_90d", teams, history=given) == \
        fit_by_team(DATA, spec, _plan(scope), "adoption_90d", teams)
