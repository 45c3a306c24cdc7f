"""Metric specs to histories, targets and assumptions, on six hand-made clients.

PMO (Ann): A, B, C, D live on 6 Jan 2025; A, B and C had 4+ of their 10 seats
active within 90 days, D only after 147 days. CS (Bo): E and F live on 3 Feb,
both adopted. The usage file runs to April 2026, so 2025 and its windows are over.
"""

from __future__ import annotations

import pandas as pd
import pytest

from compcore.data.metrics import load_cs_data
from compcore.data.targets import (
    LABELS,
    backtest_histories,
    describe_spec,
    files_to_frames,
    fit_for,
    last_year,
    metric_history,
    metric_options,
    plan_history,
    scope_by,
    suggest_mapping,
    target_for,
)
from compcore.errors import PlanError
from compcore.plan.schema import load_plan

ADOPTION = {"metric": "adoption_within", "days": 90}
EBRS = {"metric": "activities", "kind": "ebr"}


def records() -> object:
    base = {"contract_start": "2024-10-01", "planned_go_live": "", "licensed_seats": 10, "arr_start": 1000,
            "arr_renewal": "", "renewal_date": "", "churn_date": ""}
    pmo = [{**base, "client_id": c, "owner": "Ann", "team": "PMO", "actual_go_live": "2025-01-06"} for c in "ABCD"]
    cs = [{**base, "client_id": c, "owner": "Bo", "team": "CS", "actual_go_live": "2025-02-03"} for c in "EF"]
    usage = pd.DataFrame([
        ("A", "2025-01-06", 4), ("B", "2025-02-03", 5), ("C", "2025-03-31", 4),  # C: day 84, in time
        ("D", "2025-01-06", 3), ("D", "2025-06-02", 8),                          # D: day 147, too late
        ("E", "2025-02-03", 4), ("F", "2025-04-28", 6),                          # F: day 84
        ("A", "2026-04-06", 0),                                                  # the file's last week
    ], columns=["client_id", "week_start", "active_users"])
    acts = pd.DataFrame({"activity_id": [str(i) for i in range(6)], "owner": ["Ann"] * 2 + ["Bo"] * 4,
                         "team": ["PMO"] * 2 + ["CS"] * 4, "client_id": "", "kind": "ebr",
                         "date": ["2025-01-20", "2025-03-02", "2025-01-21", "2025-02-11", "2025-02-25", "2025-03-18"]})
    return load_cs_data({"clients": pd.DataFrame(pmo + cs), "usage_weekly": usage, "activities": acts})


PLAN = load_plan({
    "name": "CS org", "period": "quarter", "target_incentive": {"percent_of_base": 0.1},
    "metrics": [{"id": "adoption_90d", "name": "Adopted within 90 days", "target": 0.8, "scope": "team"},
                {"id": "ebrs", "name": "EBRs held", "target": 3, "scope": "individual"},
                {"id": "okr", "name": "Company OKR", "target": 1, "scope": "company"}],
    "components": [{"id": c, "metric": c, "weight": w, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}
                   for c, w in (("adoption_90d", 0.5), ("ebrs", 0.3), ("okr", 0.2))],
})


# --- histories ---------------------------------------------------------------------------------

def test_three_of_four_pmo_clients_adopted_within_90_days_is_75_percent() -> None:
    h = metric_history(records(), ADOPTION, period="quarter", by="team").set_index("team")
    assert (h.loc["PMO", "numerator"], h.loc["PMO", "n"], h.loc["PMO", "value"]) == (3, 4, 0.75)
    assert (h.loc["CS", "numerator"], h.loc["CS", "n"], h.loc["CS", "value"]) == (2, 2, 1.0)
    assert h["period"].unique().tolist() == ["2025-Q1"] and h["complete"].all()


def test_a_longer_window_counts_the_late_adopter() -> None:
    h = metric_history(records(), {"metric": "adoption_within", "days": 150}, by="team").set_index("team")
    # D reached 8 users on day 147: 4 of 4
    assert h.loc["PMO", "value"] == 1.0


def test_activity_history_is_per_person_for_a_team_and_the_count_for_an_owner() -> None:
    team = metric_history(records(), EBRS, by="team").set_index("team")
    # one person per team here (no people.csv: the owners seen): PMO 2 EBRs, CS 4
    assert team["value"].to_dict() == {"CS": 4.0, "PMO": 2.0}
    assert team["n"].to_dict() == {"CS": 1, "PMO": 1}
    company = metric_history(records(), EBRS, by="company").iloc[0]
    # 6 EBRs by 2 people: 3 each
    assert (company["count"], company["n"], company["value"]) == (6, 2, 3.0)


def test_plan_history_follows_the_plan_period_and_the_metric_scope() -> None:
    assert [scope_by(s) for s in ("company", "team", "individual")] == ["company", "team", "owner"]
    assert "team" in plan_history(records(), ADOPTION, PLAN, "adoption_90d").columns
    owners = plan_history(records(), EBRS, PLAN, "ebrs")
    assert owners.set_index("owner")["value"].to_dict() == {"Ann": 2.0, "Bo": 4.0}


# --- targets and fits ----------------------------------------------------------------------------

def test_target_is_the_percentile_of_the_teams_past_quarters() -> None:
    # PMO 0.75 and CS 1.0: median 0.875, P0 0.75, P100 1.0
    assert target_for(records(), ADOPTION, PLAN, "adoption_90d", 50) == 0.875
    assert target_for(records(), ADOPTION, PLAN, "adoption_90d", 0) == 0.75
    assert target_for(records(), ADOPTION, PLAN, "adoption_90d", 100) == 1.0


def test_fit_of_the_adoption_share_is_a_binomial() -> None:
    # n = median cohort of 4 and 2 = 3; p = (3 + 2) / (4 + 2)
    assert fit_for(records(), ADOPTION, PLAN, "adoption_90d") == {"dist": "binomial", "n": 3, "p": 0.833333}


def test_fit_of_ebrs_per_person_is_a_poisson() -> None:
    # Ann 2, Bo 4 in the quarter: mean 3
    assert fit_for(records(), EBRS, PLAN, "ebrs") == {"dist": "poisson", "mean": 3.0}
    assert fit_for(records(), EBRS, PLAN, "ebrs", "empirical") == {"dist": "empirical", "values": [2.0, 4.0]}


def test_last_year_by_team_with_the_company_row_last() -> None:
    t = last_year(records(), ADOPTION)
    assert t.to_dict("list") == {"year": ["2025"] * 3, "group": ["CS", "PMO", "All"], "n": [2, 4, 6],
                                 "value": [1.0, 0.75, pytest.approx(5 / 6)]}
    company = last_year(records(), ADOPTION, by="company")
    assert company["group"].tolist() == ["All"] and company["n"].tolist() == [6]


def test_last_year_is_empty_while_no_year_is_complete() -> None:
    data = records()
    cut = load_cs_data({"clients": data.clients, "usage_weekly": data.usage[data.usage["week_start"] < "2026-01-01"]})
    # as of June 2025's last week the 2025 windows are still open
    assert last_year(cut, ADOPTION).empty


def test_backtest_histories_by_company_for_company_metrics_else_by_team() -> None:
    mapping = {"adoption_90d": ADOPTION, "okr": {"metric": "activities", "kind": "ebr"},
               "gone": {"metric": "grr"}}
    out = backtest_histories(records(), mapping, PLAN)
    assert sorted(out) == ["adoption_90d", "okr"]  # a mapping to a metric the plan no longer has is skipped
    assert "team" in out["adoption_90d"].columns and "company" in out["okr"].columns


# --- specs in words --------------------------------------------------------------------------------

def test_options_from_a_spec_are_typed() -> None:
    assert metric_options({"metric": "on_time_go_live", "grace_days": "14"}) == {"grace_days": 14}
    assert metric_options({"metric": "grr"}) == {}
    assert metric_options(EBRS) == {"kinds": ["ebr"]}
    assert metric_options({"metric": "activities"}) == {"kinds": ["ebr"]}  # EBRs unless told
    rule = metric_options({"metric": "continued_adoption", "min_seat_share": "0.5"})["rule"]
    assert (rule.min_seat_share, rule.min_active_users, rule.require) == (0.5, None, "all")


@pytest.mark.parametrize(("spec", "words"), [
    ({"metric": "adoption_within"}, "Adopted within 90 days (>= 40% of licensed seats active in a week)"),
    ({"metric": "adoption_within", "days": 60, "min_active_users": 5},
     "Adopted within 60 days (>= 5 active users in a week)"),
    ({"metric": "continued_adoption", "last_weeks": 8},
     "Continued adoption (>= 40% of licensed seats active in a week, average of the last 8 weeks)"),
    ({"metric": "on_time_go_live"}, "On-time go-live (live by period end + 0 days)"),
    ({"metric": "activities", "kind": "cross_sell_lead"}, "Activities per person: cross-sell leads"),
    ({"metric": "nrr"}, "Net revenue retention (NRR)"),
])
def test_each_spec_reads_as_a_sentence(spec: dict, words: str) -> None:
    assert describe_spec(spec) == words


def test_every_definition_has_a_label() -> None:
    assert set(LABELS) == {"on_time_go_live", "adoption_within", "continued_adoption", "activities", "grr", "nrr"}


def test_mapping_is_guessed_from_metric_names_and_days() -> None:
    plan = load_plan({
        "name": "guess", "target_incentive": {"amount": 1000},
        "metrics": [{"id": "golive", "name": "Go-lives on time", "target": 0.9},
                    {"id": "adopt_60d", "name": "Adoption within 60 days", "target": 0.8},
                    {"id": "retention", "name": "Net revenue retention", "target": 1.05},
                    {"id": "tps", "name": "Touchpoints", "target": 20},
                    {"id": "okr", "name": "Team OKR", "target": 1}],
        "components": [{"id": "c", "metric": "golive", "weight": 1, "curve": {"kind": "linear",
                                                                            "points": [[0, 0], [1, 1]]}}],
    })
    assert suggest_mapping(plan) == {
        "golive": {"metric": "on_time_go_live"},
        "adopt_60d": {"metric": "adoption_within", "days": 60},
        "retention": {"metric": "nrr"},
        "tps": {"metric": "activities", "kind": "touchpoint"},
    }  # nothing measures "Team OKR": left out


def test_uploaded_files_with_a_byte_order_mark_and_any_case_load() -> None:
    clients = ("\ufeffclient_id,owner,team,contract_start,planned_go_live,actual_go_live,licensed_seats,"
               "arr_start,arr_renewal,renewal_date,churn_date\nC1,Ann,PMO,2025-01-06,,,10,\"1,000\",,,\n")
    frames = files_to_frames({"CLIENTS.csv": clients.encode("utf-8")})
    assert list(frames) == ["clients"] and frames["clients"].columns[0] == "client_id"
    assert load_cs_data(frames).clients["arr_start"].tolist() == [1000.0]


def test_an_unknown_spec_is_refused_with_the_choices() -> None:
    with pytest.raises(PlanError, match="metric: unknown 'nps'; one of on_time_go_live, adoption_within"):
        describe_spec({"metric": "nps"})
