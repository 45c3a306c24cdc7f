"""Back-test and targets-from-data helpers: hand-computed payouts, missing values, mapping, fits."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from compcore.data import backtest as backtest_module
from compcore.data import targets
from compcore.data.backtest import backtest, team_target_incentive
from compcore.data.metrics import load_cs_data, on_time_go_live
from compcore.errors import PlanError
from compcore.plan.payout import payout
from compcore.plan.schema import load_plan
from compcore.simulation.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[3]
STEPS = {"kind": "steps", "steps": [[0.8, 0.5], [0.9, 0.75], [1.0, 1.0]]}
ROSTER = [  # 10% of base a year, paid quarterly: 2,500 a quarter per person on 100,000
    {"team": "PMO", "role": "PM", "headcount": 4, "base_salary": 100_000},
    {"team": "Implementation", "role": "Consultant", "headcount": 2, "base_salary": 80_000},
]


def plan(metrics: list[dict], components: list[dict]) -> dict:
    return {"schema": "compcore.plan/v1", "name": "Test", "period": "quarter",
            "target_incentive": {"percent_of_base": 0.1}, "metrics": metrics, "components": components}


GO_LIVE_PLAN = plan([{"id": "go_live", "name": "On-time go-live", "target": 1.0, "scope": "team"}],
                    [{"id": "g", "metric": "go_live", "weight": 1.0, "curve": STEPS}])


def clients(rows: list[dict]) -> pd.DataFrame:
    base = {"owner": "Ann", "team": "PMO", "contract_start": "2025-01-06", "planned_go_live": "",
            "actual_go_live": "", "licensed_seats": 10, "arr_start": 1000, "arr_renewal": "",
            "renewal_date": "", "churn_date": ""}
    return pd.DataFrame([{**base, "client_id": f"C{i}", **r} for i, r in enumerate(rows, start=1)])


def go_lives() -> pd.DataFrame:
    """PMO: 3 of 4 due in Q2 2025 live by June 30; Implementation: 2 of 2 in Q2, none due in Q3; PMO 1 of 1 in Q3."""
    rows = [
        {"planned_go_live": "2025-04-10", "actual_go_live": "2025-04-08"},
        {"planned_go_live": "2025-05-01", "actual_go_live": "2025-06-30"},  # on the last day: on time
        {"planned_go_live": "2025-06-30", "actual_go_live": "2025-06-20"},
        {"planned_go_live": "2025-06-01", "actual_go_live": "2025-07-15"},  # late
        {"planned_go_live": "2025-05-05", "actual_go_live": "2025-05-05", "team": "Implementation"},
        {"planned_go_live": "2025-06-05", "actual_go_live": "2025-06-01", "team": "Implementation"},
        {"planned_go_live": "2025-08-01", "actual_go_live": "2025-08-01"},
    ]
    return on_time_go_live({"clients": clients(rows)}, as_of="2025-12-31")


def test_pmo_three_of_four_on_time_pays_nothing_under_an_80_percent_step_table() -> None:
    r = backtest(GO_LIVE_PLAN, {"go_live": go_lives()}, ROSTER)
    q2 = r.teams[r.teams["period"] == "2025-Q2"].set_index("team")
    assert q2.loc["PMO", "value_go_live"] == pytest.approx(0.75)
    assert q2.loc["PMO", "attainment_go_live"] == pytest.approx(0.75)
    assert q2.loc["PMO", "payout"] == 0.0 and q2.loc["PMO", "money"] == 0.0
    # Implementation 2 of 2: 100% pays 100% of 2 x 80,000 x 10% / 4 = 4,000
    assert q2.loc["Implementation", "payout"] == 1.0
    assert q2.loc["Implementation", "money"] == pytest.approx(4_000)
    assert q2.loc["PMO", "target_incentive"] == pytest.approx(10_000)
    cost = r.cost.set_index("period")
    assert cost.loc["2025-Q2", "cost"] == pytest.approx(4_000)
    assert cost.loc["2025-Q2", "target_cost"] == pytest.approx(14_000)
    assert cost.loc["2025-Q2", "teams_paid"] == 2 and cost.loc["2025-Q2", "teams_missing"] == 0
    assert r.held == () and r.notes == ()


def test_a_period_without_a_value_is_reported_missing_never_paid_zero() -> None:
    r = backtest(GO_LIVE_PLAN, {"go_live": go_lives()}, ROSTER)
    q3 = r.teams[r.teams["period"] == "2025-Q3"].set_index("team")
    assert np.isnan(q3.loc["Implementation", "payout"]) and np.isnan(q3.loc["Implementation", "money"])
    assert q3.loc["Implementation", "missing"] == "go_live"
    assert q3.loc["PMO", "payout"] == 1.0 and q3.loc["PMO", "missing"] == ""
    cost = r.cost.set_index("period").loc["2025-Q3"]
    assert cost["cost"] == pytest.approx(10_000)  # PMO only
    assert cost["teams_missing"] == 1 and cost["missing_target_cost"] == pytest.approx(4_000)
    assert cost["payout"] == pytest.approx(1.0)


def test_fill_missing_at_target_is_flagged() -> None:
    r = backtest(GO_LIVE_PLAN, {"go_live": go_lives()}, ROSTER, fill_missing="target")
    row = r.teams[(r.teams["period"] == "2025-Q3") & (r.teams["team"] == "Implementation")].iloc[0]
    assert row["payout"] == 1.0 and row["money"] == pytest.approx(4_000)
    assert row["filled"] == "go_live" and row["missing"] == ""
    assert r.cost.set_index("period").loc["2025-Q3", "cost"] == pytest.approx(14_000)


def test_a_period_where_nobody_has_a_value_costs_nan() -> None:
    h = go_lives()
    h.loc[h["period"] == "2025-Q3", "value"] = np.nan
    cost = backtest(GO_LIVE_PLAN, {"go_live": h}, ROSTER).cost.set_index("period").loc["2025-Q3"]
    assert np.isnan(cost["cost"]) and cost["teams_paid"] == 0 and cost["teams_missing"] == 2


def test_averages_over_complete_periods_price_only_teams_with_values() -> None:
    r = backtest(GO_LIVE_PLAN, {"go_live": go_lives()}, ROSTER)
    assert r.average_cost == pytest.approx((4_000 + 10_000) / 2)
    # Q2 pays 4,000 of 14,000; Q3 pays 10,000 of the 10,000 priced (Implementation has no value)
    assert r.average_payout == pytest.approx(14_000 / 24_000)


def test_with_nothing_priced_the_averages_are_unknown_not_zero() -> None:
    h = go_lives().assign(value=np.nan)
    r = backtest(GO_LIVE_PLAN, {"go_live": h}, ROSTER)
    assert r.average_cost is None and r.average_payout is None


def test_unmapped_metric_is_held_at_target_and_said_so() -> None:
    p = plan([{"id": "go_live", "name": "Go-live", "target": 1.0, "scope": "team"},
              {"id": "ebrs", "name": "EBRs", "target": 6.0}],
             [{"id": "g", "metric": "go_live", "weight": 0.5, "curve": STEPS},
              {"id": "e", "metric": "ebrs", "weight": 0.5, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}])
    r = backtest(p, {"go_live": go_lives()}, ROSTER)
    assert r.held == ("ebrs",)
    assert any("ebrs" in n and "held at target" in n for n in r.notes)
    pmo = r.teams[(r.teams["period"] == "2025-Q2") & (r.teams["team"] == "PMO")].iloc[0]
    assert pmo["value_ebrs"] == 6.0 and pmo["attainment_ebrs"] == 1.0
    assert pmo["payout"] == pytest.approx(0.5) and pmo["money"] == pytest.approx(5_000)


def test_company_history_applies_to_every_team() -> None:
    h = pd.DataFrame({"period": ["2025-Q1", "2025-Q2"], "period_start": ["2025-01-01", "2025-04-01"],
                      "period_end": ["2025-03-31", "2025-06-30"], "complete": [True, True],
                      "company": ["all", "all"], "value": [0.9, 0.85]})
    r = backtest(GO_LIVE_PLAN, {"go_live": h}, ROSTER)
    assert len(r.teams) == 4
    q1 = r.teams[r.teams["period"] == "2025-Q1"]
    assert q1["payout"].tolist() == [0.75, 0.75]  # 90% -> the 0.9 step
    assert r.teams[r.teams["period"] == "2025-Q2"]["payout"].tolist() == [0.5, 0.5]
    assert any("company's value" in n for n in r.notes)


def test_roster_override_and_team_totals() -> None:
    p = load_plan(GO_LIVE_PLAN)
    roster = [{"team": "PMO", "role": "Lead", "headcount": 1, "base_salary": 125_000,
               "target_incentive": {"amount": 12_000}}, *ROSTER]
    from compcore.simulation.roster import RosterRow
    t = team_target_incentive(p, [RosterRow.model_validate(r) for r in roster]).set_index("team")
    assert t.loc["PMO", "target_incentive"] == pytest.approx(3_000 + 10_000)
    assert t.loc["PMO", "headcount"] == 5
    assert list(t.index) == ["PMO", "Implementation"]


def test_history_teams_not_on_the_roster_are_ignored_with_a_note() -> None:
    h = go_lives()
    h = pd.concat([h, h[h["team"] == "PMO"].assign(team="Ghosts")], ignore_index=True)
    r = backtest(GO_LIVE_PLAN, {"go_live": h}, ROSTER)
    assert "Ghosts" not in set(r.teams["team"])
    assert any("Ghosts" in n for n in r.notes)


@pytest.mark.parametrize(("history", "message"), [
    (lambda h: h.assign(period_end=h["period_start"] + pd.Timedelta(days=360)), "plan pays every quarter"),
    (lambda h: h.rename(columns={"team": "owner"}), "broken down by owner"),
    (lambda h: h.drop(columns="value"), "needs columns"),
    (lambda h: pd.concat([h, h]), "more than one row"),
    (lambda h: h.assign(kind=["ebr", "touchpoint"] * (len(h) // 2) + ["ebr"] * (len(h) % 2)), "activity kinds"),
])
def test_bad_histories_raise_plan_error_naming_the_metric(history, message) -> None:
    with pytest.raises(PlanError, match=message) as e:
        backtest(GO_LIVE_PLAN, {"go_live": history(go_lives())}, ROSTER)
    assert "histories.go_live" in str(e.value)


def test_other_input_errors() -> None:
    with pytest.raises(PlanError, match="not plan metrics: nope"):
        backtest(GO_LIVE_PLAN, {"nope": go_lives()}, ROSTER)
    with pytest.raises(PlanError, match="roster"):
        backtest(GO_LIVE_PLAN, {"go_live": go_lives()}, [])
    with pytest.raises(PlanError, match="fill_missing"):
        backtest(GO_LIVE_PLAN, {"go_live": go_lives()}, ROSTER, fill_missing="zero")  # type: ignore[arg-type]


def test_an_invalid_roster_row_is_a_plan_error_naming_the_row_and_field() -> None:
    bad = [{"team": "PMO", "role": "PM", "headcount": -1, "base_salary": 100_000}]
    with pytest.raises(PlanError, match=r"roster\[0\]\.headcount: must not be negative"):
        backtest(GO_LIVE_PLAN, {"go_live": go_lives()}, bad)


def test_no_histories_gives_empty_tables_and_says_everything_is_held() -> None:
    r = backtest(GO_LIVE_PLAN, {}, ROSTER)
    assert r.teams.empty and r.cost.empty and r.held == ("go_live",)


@pytest.fixture(scope="module")
def sample() -> tuple:
    scn = load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json")
    return scn, load_cs_data(ROOT / "sample_data")


def test_sample_backtest_matches_a_plain_loop_over_payout(sample) -> None:
    scn, data = sample
    mapping = targets.suggest_mapping(scn.plan)
    r = backtest(scn.plan, targets.backtest_histories(data, mapping, scn.plan), scn.roster)
    assert r.held == ()
    priced = r.teams[r.teams["missing"] == ""]
    assert len(priced) > 20
    for _, row in priced.iterrows():
        one = payout(scn.plan, {m.id: float(row[f"value_{m.id}"]) for m in scn.plan.metrics}).total
        assert row["payout"] == pytest.approx(one)
        assert row["money"] == pytest.approx(one * row["target_incentive"])
    sums = priced.groupby("period")["money"].sum()
    assert r.cost.set_index("period")["cost"].reindex(sums.index).to_numpy() == pytest.approx(sums.to_numpy())
    # the open 90-day windows of the last quarter are missing, not zero
    last = r.teams[r.teams["period"] == r.teams["period"].max()]
    assert last["payout"].isna().all() and last["missing"].str.contains("adoption_90d").all()


def test_suggest_mapping_on_the_sample_plan(sample) -> None:
    scn, _ = sample
    assert targets.suggest_mapping(scn.plan) == {
        "go_live_on_time": {"metric": "on_time_go_live"},
        "adoption_90d": {"metric": "adoption_within", "days": 90},
        "continued_usage": {"metric": "continued_adoption"},
        "ebrs": {"metric": "activities", "kind": "ebr"},
    }


def test_target_and_fit_use_the_plan_period_and_metric_scope(sample) -> None:
    scn, data = sample
    spec = {"metric": "adoption_within", "days": 90}
    h = targets.metric_history(data, spec, period="quarter", by="team")
    done = h[h["complete"] & h["value"].notna()]
    assert targets.target_for(data, spec, scn.plan, "adoption_90d", 50) == pytest.approx(done["value"].median())
    fit = targets.fit_for(data, spec, scn.plan, "adoption_90d")
    assert fit == {"dist": "binomial", "n": int(round(done["n"].median())),
                   "p": round(done["numerator"].sum() / done["denominator"].sum(), 6)}
    # ebrs is individual: fitted per person (by owner) as a poisson count
    assert targets.fit_for(data, {"metric": "activities", "kind": "ebr"}, scn.plan, "ebrs")["dist"] == "poisson"


def test_last_year_by_team_reproduces_adopted_within_90_days(sample) -> None:
    _, data = sample
    spec = {"metric": "adoption_within", "days": 90}
    t = targets.last_year(data, spec)
    assert set(t["year"]) == {"2025"} and t["group"].iloc[-1] == "All"
    teams = t[t["group"] != "All"]
    total = t[t["group"] == "All"].iloc[0]
    assert teams["n"].sum() == total["n"]
    pooled = (teams["value"] * teams["n"]).sum() / teams["n"].sum()
    assert total["value"] == pytest.approx(pooled)


def test_days_change_the_history(sample) -> None:
    _, data = sample
    a = targets.last_year(data, {"metric": "adoption_within", "days": 30})
    b = targets.last_year(data, {"metric": "adoption_within", "days": 90})
    assert a["value"].iloc[-1] < b["value"].iloc[-1]


def test_activity_history_is_per_person_for_teams(sample) -> None:
    _, data = sample
    h = targets.metric_history(data, {"metric": "activities", "kind": "touchpoint"}, by="team")
    assert set(h["kind"]) == {"touchpoint"}
    assert h["value"].to_numpy() == pytest.approx((h["count"] / h["headcount"]).to_numpy())


def test_spec_options_and_descriptions() -> None:
    opts = targets.metric_options({"metric": "adoption_within", "days": 60, "min_active_users": 3,
                                   "min_seat_share": 0.5, "require": "any"})
    assert opts["days"] == 60 and opts["rule"].require == "any" and opts["rule"].min_active_users == 3
    assert targets.describe_spec({"metric": "adoption_within", "days": 30}).startswith("Adopted within 30 days")
    assert targets.describe_spec({"metric": "grr"}) == "Gross revenue retention (GRR)"
    with pytest.raises(PlanError, match="unknown"):
        targets.metric_options({"metric": "nps"})
    with pytest.raises(PlanError, match="kind"):
        targets.metric_options({"metric": "activities", "kind": "lunch"})
    with pytest.raises(PlanError, match="min_seat_share"):
        targets.metric_options({"metric": "adoption_within", "min_seat_share": 2.0})


def test_files_to_frames_names_the_bad_file() -> None:
    with pytest.raises(PlanError, match="notes.csv: not a known file"):
        targets.files_to_frames({"notes.csv": b"a\n1\n"})
    with pytest.raises(PlanError, match="clients.csv: missing"):
        targets.files_to_frames({"people.csv": b"owner,team\n"})
    with pytest.raises(PlanError, match="clients.csv: not a readable CSV"):
        targets.files_to_frames({"clients.csv": b"\xff\xfe\x00bad"})
    frames = targets.files_to_frames({"clients.csv": b"client_id,team\nC1,CS\n"})
    with pytest.raises(PlanError, match="clients.csv: missing required column"):
        load_cs_data(frames)


@pytest.mark.parametrize("module", [backtest_module, targets])
def test_docstring_examples_run(module, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("seed", range(8))
def test_values_picked_by_key_are_those_of_a_left_merge_on_period_and_team(seed: int) -> None:
    """The back-test looks each (period, team) up instead of merging: the same values and completeness, a
    team-period the history lacks is NaN and incomplete (the merge the lookup replaced is the reference)."""
    rng = np.random.default_rng(seed)
    quarters = [("2025-Q1", "2025-01-01", "2025-03-31"), ("2025-Q2", "2025-04-01", "2025-06-30"),
                ("2025-Q3", "2025-07-01", "2025-09-30")]
    rows = [{"period": q, "period_start": s, "period_end": e, "team": t, "value": float(rng.uniform(0.5, 1.2)),
             "complete": bool(rng.random() < 0.8)}
            for q, s, e in quarters for t in ("PMO", "Implementation", "Elsewhere") if rng.random() < 0.7]
    history = pd.DataFrame(rows, columns=["period", "period_start", "period_end", "team", "value", "complete"])
    result = backtest(GO_LIVE_PLAN, {"go_live": history}, ROSTER)
    grid = result.teams[["period", "team"]]
    merged = grid.merge(history[["period", "team", "value", "complete"]], on=["period", "team"], how="left")
    np.testing.assert_array_equal(result.teams["value_go_live"].to_numpy(), merged["value"].to_numpy(dtype=float))
    assert result.teams["complete"].tolist() == merged["complete"].eq(True).tolist()
    assert result.teams["missing"].tolist() == ["go_live" if np.isnan(v) else "" for v in merged["value"]]
