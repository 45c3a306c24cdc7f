"""Who wins, who loses on history: both scenarios back-tested on the same CS records (issue 20)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from compcore.data.backtest import backtest
from compcore.data.metrics import load_cs_data
from compcore.data.targets import backtest_histories, suggest_mapping
from compcore.report.impact_history import HISTORY_COLUMNS, history_impact, history_sentence
from compcore.simulation.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[3]
ORG = ROOT / "sample_data/scenarios/cs_org_teams.json"


@pytest.fixture(scope="module")
def data() -> Any:
    return load_cs_data(ROOT / "sample_data")


def org() -> dict[str, Any]:
    return json.loads(ORG.read_text())


def test_more_money_on_one_plan_changes_its_money_not_its_payout_and_nothing_else(data: Any) -> None:
    after = org()
    after["plans"]["pmo"]["target_incentive"] = {"percent_of_base": 0.2}
    after["roster"][0]["target_incentive"] = {"amount": 24000.0}
    h = history_impact(org(), after, data)
    assert list(h.columns) == list(HISTORY_COLUMNS)
    assert set(h["team"]) == {"PMO", "Implementation", "Customer Success", "Change & Enablement"}
    priced = h.dropna(subset=["payout_before"])
    assert (priced["change_points"].abs() < 1e-9).all()  # the same fractions of a doubled target
    pmo, rest = priced[priced["team"] == "PMO"], priced[priced["team"] != "PMO"]
    np.testing.assert_allclose(pmo["money_after"], 2 * pmo["money_before"], rtol=1e-12)
    assert (rest["money_change"] == 0).all()
    # a period the records cannot price (a missing value) stays NaN on both sides, never 0
    gaps = h[h["payout_before"].isna()]
    assert len(gaps) and gaps["payout_after"].isna().all() and gaps["money_change"].isna().all()
    assert history_sentence(h) == (f"On the records ({priced['period'].nunique()} periods), no team's payout would "
                                   "have moved by a point of target or more on average.")


def test_a_team_moved_to_another_plan_is_paid_by_that_plan_on_its_own_records(data: Any) -> None:
    after = org()
    for row in after["roster"]:
        if row["team"] == "PMO":
            row["plan"] = "customer_success"
    h = history_impact(org(), after, data)
    scn = load_scenario(after)
    plan = scn.plans["customer_success"]
    pmo_rows = [r.model_copy(update={"plan": None}) for r in scn.roster if r.team == "PMO"]
    direct = backtest(plan, backtest_histories(data, suggest_mapping(plan), plan), pmo_rows).teams
    got = h[h["team"] == "PMO"].set_index("period")["payout_after"]
    want = direct.set_index("period")["payout"]
    np.testing.assert_allclose(got.loc[want.index].to_numpy(), want.to_numpy(), rtol=1e-12)
    others = h[(h["team"] != "PMO")].dropna(subset=["change_points"])
    assert (others["change_points"] == 0).all()
    assert "PMO" in history_sentence(h) and "more" in history_sentence(h)
