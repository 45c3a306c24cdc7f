"""Activity counts and GRR / NRR on a few hand-made clients and people, every number by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compcore.data.counts import activity_counts, grr, nrr
from compcore.errors import PlanError

BLANK_CLIENT = {"owner": "Ann", "team": "CS", "contract_start": "2024-01-01", "planned_go_live": "",
                "actual_go_live": "", "licensed_seats": 10, "arr_start": 100, "arr_renewal": "",
                "renewal_date": "", "churn_date": ""}


def clients(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{**BLANK_CLIENT, "client_id": f"C{i}", **r} for i, r in enumerate(rows, start=1)])


def team_data(with_people: bool = True) -> dict[str, pd.DataFrame]:
    """Ann and Bo in CS, Cy in PMO (no activity at all).

    Q1 2025: Ann 2 EBRs and a touchpoint, Bo 1 EBR. Q2: Bo 1 EBR.
    """
    acts = pd.DataFrame({
        "activity_id": ["1", "2", "3", "4", "5"],
        "date": ["2025-01-10", "2025-02-01", "2025-02-02", "2025-03-03", "2025-05-05"],
        "owner": ["Ann", "Ann", "Ann", "Bo", "Bo"], "team": "CS", "client_id": "",
        "kind": ["ebr", "ebr", "touchpoint", "ebr", "ebr"],
    })
    data = {"clients": clients([{"contract_start": "2025-01-01"}]), "activities": acts}
    if with_people:
        data["people"] = pd.DataFrame({"owner": ["Ann", "Bo", "Cy"], "team": ["CS", "CS", "PMO"]})
    return data


def rows(df: pd.DataFrame, **where: str) -> pd.DataFrame:
    mask = np.ones(len(df), dtype=bool)
    for col, value in where.items():
        mask &= (df[col] == value).to_numpy()
    return df[mask]


# --- activity counts ---------------------------------------------------------------------------

def test_ebrs_per_owner_with_a_zero_for_the_person_who_did_none() -> None:
    out = activity_counts(team_data(), kinds=["ebr"])
    q1 = rows(out, period="2025-Q1").set_index("owner")
    # Ann 2, Bo 1, Cy none: listed in people.csv, so an explicit 0
    assert q1["count"].to_dict() == {"Ann": 2, "Bo": 1, "Cy": 0}
    assert q1["headcount"].tolist() == [1, 1, 1]
    q2 = rows(out, period="2025-Q2").set_index("owner")
    assert q2["count"].to_dict() == {"Ann": 0, "Bo": 1, "Cy": 0}
    assert (out["value"] == out["count"]).all()


def test_ebrs_per_team_are_counted_per_person_of_people_csv() -> None:
    q1 = rows(activity_counts(team_data(), by="team", kinds=["ebr"]), period="2025-Q1").set_index("team")
    # CS: 3 EBRs by 2 people = 1.5 each; PMO: 0 by its 1 person
    assert q1["count"].to_dict() == {"CS": 3, "PMO": 0}
    assert q1["headcount"].to_dict() == {"CS": 2, "PMO": 1}
    assert q1["per_person"].to_dict() == {"CS": 1.5, "PMO": 0.0}


def test_without_people_a_team_counts_the_owners_seen_in_activities() -> None:
    q1 = rows(activity_counts(team_data(with_people=False), by="team", kinds=["ebr"]), period="2025-Q1")
    # only CS appears; Ann and Bo logged activities: headcount 2
    assert q1[["team", "count", "headcount", "per_person"]].values.tolist() == [["CS", 3, 2, 1.5]]


def test_company_counts_everyone_of_people_csv() -> None:
    q1 = rows(activity_counts(team_data(), by="company", kinds=["ebr"]), period="2025-Q1").iloc[0]
    # 3 EBRs, 3 people: 1 per person
    assert (q1["count"], q1["headcount"], q1["per_person"]) == (3, 3, 1.0)


def test_every_kind_has_a_row_per_period_and_person() -> None:
    out = activity_counts(team_data())
    # 2 periods x 3 people x 3 kinds
    assert len(out) == 18
    ann_q1 = rows(out, period="2025-Q1", owner="Ann").set_index("kind")["count"].to_dict()
    assert ann_q1 == {"cross_sell_lead": 0, "ebr": 2, "touchpoint": 1}


def test_the_period_in_progress_is_not_complete() -> None:
    # the last record is 5 May 2025: Q1 is over, Q2 is not
    out = activity_counts(team_data(), by="company", kinds=["ebr"]).set_index("period")
    assert out.loc["2025-Q1", "complete"] and not out.loc["2025-Q2", "complete"]
    done = activity_counts(team_data(), by="company", kinds=["ebr"], as_of="2025-06-30").set_index("period")
    assert done.loc["2025-Q2", "complete"]


def test_start_and_end_keep_one_period_and_report_the_rest() -> None:
    out = activity_counts(team_data(), by="company", kinds=["ebr"], start="2025-01-01", end="2025-03-31")
    assert out["period"].tolist() == ["2025-Q1"]
    assert out.attrs["excluded"] == {"outside_range": 1}  # Bo's May EBR


def test_monthly_counts() -> None:
    out = activity_counts(team_data(), by="company", period="month", kinds=["ebr"])
    # Jan 1, Feb 1, Mar 1, Apr 0, May 1
    assert dict(zip(out["period"], out["count"], strict=True)) == {
        "2025-01": 1, "2025-02": 1, "2025-03": 1, "2025-04": 0, "2025-05": 1}


@pytest.mark.parametrize("kinds", [["lunch"], []])
def test_unknown_or_no_kinds_are_refused(kinds: list[str]) -> None:
    with pytest.raises(PlanError, match="kinds: must be among touchpoint, ebr, cross_sell_lead"):
        activity_counts(team_data(), kinds=kinds)


def test_activity_counts_need_the_activities_file() -> None:
    with pytest.raises(PlanError, match="activities.csv: missing"):
        activity_counts({"clients": clients([{}])})


# --- GRR and NRR --------------------------------------------------------------------------------

def renewals() -> dict[str, pd.DataFrame]:
    """Q1 2025 renewals. CS: C1 100 -> 120 (expansion), C2 200 -> 150 (contraction).
    PMO: C3 100 churned 15 March, C4 due 31 March with the renewal ARR not known yet.
    C5 has neither a renewal nor a churn date."""
    return {"clients": clients([
        {"arr_start": 100, "arr_renewal": "120", "renewal_date": "2025-02-01"},
        {"arr_start": 200, "arr_renewal": "150", "renewal_date": "2025-03-01"},
        {"team": "PMO", "arr_start": 100, "churn_date": "2025-03-15"},
        {"team": "PMO", "arr_start": 300, "renewal_date": "2025-03-31"},
        {"team": "PMO", "arr_start": 50},
    ])}


def test_grr_caps_expansion_and_counts_churn_as_zero() -> None:
    q1 = grr(renewals(), by="company", as_of="2025-06-30").iloc[0]
    # kept: min(120, 100) + 150 + 0 = 250 of 100 + 200 + 100 = 400 -> 62.5%
    assert (q1["numerator"], q1["denominator"], q1["n"]) == (250, 400, 3)
    assert q1["value"] == 0.625


def test_nrr_counts_expansion() -> None:
    q1 = nrr(renewals(), by="company", as_of="2025-06-30").iloc[0]
    # 120 + 150 + 0 = 270 of 400 -> 67.5%
    assert (q1["numerator"], q1["denominator"]) == (270, 400)
    assert q1["value"] == 0.675


def test_retention_by_team() -> None:
    g = grr(renewals(), as_of="2025-06-30").set_index("team")
    n = nrr(renewals(), as_of="2025-06-30").set_index("team")
    # CS: GRR 250 / 300, NRR 270 / 300 = 90%; PMO: the churned client only, 0 of 100
    assert g.loc["CS", "value"] == pytest.approx(250 / 300)
    assert n.loc["CS", "value"] == pytest.approx(0.9)
    assert g.loc["PMO", "value"] == 0.0 and n.loc["PMO", "value"] == 0.0


def test_a_pending_renewal_is_excluded_and_a_client_without_dates_reported() -> None:
    g = grr(renewals(), as_of="2025-06-30").set_index("team")
    # C4 (300, renewal ARR unknown) is excluded rather than counted as lost
    assert g.loc["PMO", "excluded_renewal_pending"] == 1 and g.loc["PMO", "denominator"] == 100
    assert g.attrs["excluded"] == {"no_renewal_date": 1}  # C5


def test_nobody_renewing_in_a_quarter_is_nan() -> None:
    data = {"clients": clients([
        {"arr_renewal": "100", "renewal_date": "2025-01-15"},
        {"arr_renewal": "90", "renewal_date": "2025-07-15"},
    ])}
    out = grr(data, by="company", as_of="2025-12-31").set_index("period")
    # Q1: 100%; Q2 nobody; Q3: 90 of 100
    assert out.loc["2025-Q1", "value"] == 1.0
    assert out.loc["2025-Q2", "n"] == 0 and np.isnan(out.loc["2025-Q2", "value"])
    assert out.loc["2025-Q3", "value"] == 0.9
