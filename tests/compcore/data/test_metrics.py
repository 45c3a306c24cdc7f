"""CS metrics on hand-built frames with known answers, validation errors, sample data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from compcore.data.metrics import (
    METRICS,
    AdoptionRule,
    activity_counts,
    adoption_within,
    compute_metric,
    continued_adoption,
    fit_assumption,
    grr,
    load_cs_data,
    nrr,
    on_time_go_live,
    target_from_history,
)
from compcore.errors import PlanError

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"


def clients(rows: list[dict]) -> pd.DataFrame:
    """Client rows with sensible defaults for every required column."""
    base = {"owner": "Ann", "team": "PMO", "contract_start": "2025-01-06",
            "planned_go_live": "", "actual_go_live": "", "licensed_seats": 10,
            "arr_start": 1000, "arr_renewal": "", "renewal_date": "", "churn_date": ""}
    out = [{**base, "client_id": f"C{i}", **r} for i, r in enumerate(rows, start=1)]
    return pd.DataFrame(out)


def usage(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["client_id", "week_start", "active_users"])


def by_period(df: pd.DataFrame, period: str) -> pd.Series:
    rows = df[df["period"] == period]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- on-time go-live ---------------------------------------------------------------

def test_on_time_three_of_four_due_in_q2_live_by_june_30_is_75_percent() -> None:
    c = clients([
        {"planned_go_live": "2025-04-10", "actual_go_live": "2025-04-08"},  # early
        {"planned_go_live": "2025-05-01", "actual_go_live": "2025-06-30"},  # last day counts
        {"planned_go_live": "2025-06-30", "actual_go_live": "2025-06-20"},
        {"planned_go_live": "2025-06-01", "actual_go_live": "2025-07-01"},  # one day late
    ])
    row = by_period(on_time_go_live({"clients": c}), "2025-Q2")
    assert (row["numerator"], row["n"], row["denominator"]) == (3, 4, 4)
    assert row["value"] == pytest.approx(0.75)
    assert row["complete"]


def test_on_time_grace_days_count_a_go_live_just_after_quarter_end() -> None:
    c = clients([{"planned_go_live": "2025-06-01", "actual_go_live": "2025-07-10"},
                 {"planned_go_live": "2025-06-01", "actual_go_live": "2025-07-20"}])
    strict = by_period(on_time_go_live({"clients": c}), "2025-Q2")
    grace = by_period(on_time_go_live({"clients": c}, grace_days=14), "2025-Q2")
    assert strict["value"] == 0.0
    assert grace["value"] == pytest.approx(0.5)


def test_on_time_churn_before_go_live_is_excluded_and_reported() -> None:
    c = clients([
        {"planned_go_live": "2025-05-01", "actual_go_live": "2025-05-02"},
        {"planned_go_live": "2025-05-01", "churn_date": "2025-04-15"},  # cancelled, never live
        {"planned_go_live": "2025-05-01", "actual_go_live": "2025-05-10",
         "churn_date": "2025-06-15"},  # live on time, churned later: still on time
    ])
    row = by_period(on_time_go_live({"clients": c}), "2025-Q2")
    assert (row["numerator"], row["n"]) == (2, 2)
    assert row["excluded_churned_before_go_live"] == 1
    assert row["excluded"] == 1


def test_on_time_quarter_with_nobody_due_is_nan_not_zero() -> None:
    c = clients([{"planned_go_live": "2025-02-01", "actual_go_live": "2025-02-01"},
                 {"planned_go_live": "2025-08-01", "actual_go_live": "2025-08-01"}])
    df = on_time_go_live({"clients": c})
    assert df["period"].tolist() == ["2025-Q1", "2025-Q2", "2025-Q3"]
    q2 = by_period(df, "2025-Q2")
    assert q2["n"] == 0 and q2["denominator"] == 0
    assert np.isnan(q2["value"])


def test_on_time_by_team_and_owner_and_missing_planned_date() -> None:
    c = clients([
        {"planned_go_live": "2025-05-01", "actual_go_live": "2025-05-01", "team": "PMO"},
        {"planned_go_live": "2025-05-01", "team": "Implementation", "owner": "Bo"},
        {"planned_go_live": "", "team": "PMO"},
    ])
    df = on_time_go_live({"clients": c}, as_of="2025-12-31")
    assert set(df["team"]) == {"Implementation", "PMO"}
    assert df.set_index("team")["value"].to_dict() == {"Implementation": 0.0, "PMO": 1.0}
    assert df.attrs["excluded"] == {"no_planned_go_live": 1}
    owners = on_time_go_live({"clients": c}, by="owner", as_of="2025-12-31")
    assert owners.set_index("owner")["n"].to_dict() == {"Ann": 1, "Bo": 1}


def test_on_time_open_period_is_flagged_incomplete() -> None:
    c = clients([{"planned_go_live": "2025-05-01", "actual_go_live": "2025-05-01"}])
    df = on_time_go_live({"clients": c}, as_of="2025-06-15", period="quarter")
    assert not by_period(df, "2025-Q2")["complete"]


@pytest.mark.parametrize(("period", "label"), [("month", "2025-06"), ("quarter", "2025-Q2"),
                                               ("half", "2025-H1"), ("year", "2025")])
def test_period_labels_and_bounds(period: str, label: str) -> None:
    c = clients([{"planned_go_live": "2025-06-30", "actual_go_live": "2025-06-30"}])
    row = by_period(on_time_go_live({"clients": c}, period=period), label)
    assert row["period_end"] == pd.Timestamp("2025-06-30") or period == "year"
    assert row["value"] == 1.0


# --- adoption within N days --------------------------------------------------------

def _adoption_data() -> dict[str, pd.DataFrame]:
    c = clients([
        {"actual_go_live": "2025-04-07", "licensed_seats": 10},  # adopts in week 4
        {"actual_go_live": "2025-04-07", "licensed_seats": 10},  # adopts on day 98: too late
        {"actual_go_live": "2025-04-07", "licensed_seats": 10},  # never
        {"actual_go_live": "2025-06-30", "licensed_seats": 20},  # go-live on last day of Q2
        {"actual_go_live": "2025-05-05", "licensed_seats": 10,
         "churn_date": "2025-06-01"},  # churned before adopting: a failure
    ])
    u = usage([
        ("C1", "2025-04-07", 1), ("C1", "2025-05-05", 4), ("C2", "2025-07-14", 9),
        ("C3", "2025-04-14", 1), ("C4", "2025-06-30", 10), ("C5", "2025-05-05", 1),
    ])
    return {"clients": c, "usage_weekly": u}


def test_adoption_within_90_days_counts_cohort_and_successes() -> None:
    df = adoption_within(_adoption_data(), days=90, rule=AdoptionRule(min_seat_share=0.4),
                         as_of="2025-12-31")
    row = by_period(df, "2025-Q2")
    # C1 (40% in week of May 5) and C4 (50% in go-live week) adopted; C2 late, C3 never, C5 churned
    assert (row["numerator"], row["n"]) == (2, 5)
    assert row["value"] == pytest.approx(0.4)


def test_adoption_longer_window_and_user_count_rule() -> None:
    data = _adoption_data()
    row = by_period(adoption_within(data, days=100, as_of="2025-12-31",
                                    rule=AdoptionRule(min_seat_share=0.4)), "2025-Q2")
    assert row["numerator"] == 3  # C2 now in time
    users = by_period(adoption_within(data, days=90, as_of="2025-12-31",
                                      rule=AdoptionRule(min_active_users=5)), "2025-Q2")
    assert users["numerator"] == 1  # only C4 (10 users)
    both = AdoptionRule(min_active_users=5, min_seat_share=0.4, require="any")
    assert by_period(adoption_within(data, as_of="2025-12-31", rule=both),
                     "2025-Q2")["numerator"] == 2


def test_adoption_open_window_is_excluded_and_period_incomplete() -> None:
    df = adoption_within(_adoption_data(), days=90, as_of="2025-06-30")
    row = by_period(df, "2025-Q2")
    assert row["excluded_window_open"] == 5 and row["n"] == 0 and np.isnan(row["value"])
    assert not row["complete"]


def test_adoption_before_usage_data_is_excluded_and_not_live_reported() -> None:
    data = _adoption_data()
    data["clients"] = pd.concat([data["clients"], clients([
        {"actual_go_live": "2025-03-01"}, {"actual_go_live": ""}])
        .assign(client_id=["C6", "C7"])])
    df = adoption_within(data, as_of="2025-12-31", start="2025-01-01", end="2025-12-31")
    assert by_period(df, "2025-Q1")["excluded_before_usage_data"] == 1
    default = adoption_within(data, as_of="2025-12-31")  # window starts at the first usage week
    assert default["period"].iloc[0] == "2025-Q2"
    assert default.attrs["excluded"]["outside_range"] == 1
    assert df.attrs["excluded"]["not_live"] == 1


def test_adoption_rule_validation() -> None:
    with pytest.raises(PlanError, match="min_active_users and/or min_seat_share"):
        AdoptionRule()
    with pytest.raises(PlanError, match="min_seat_share"):
        AdoptionRule(min_seat_share=1.5)
    with pytest.raises(PlanError, match="min_active_users"):
        AdoptionRule(min_active_users=0)
    assert "40%" in AdoptionRule(min_seat_share=0.4).describe()


# --- continued adoption ------------------------------------------------------------

def test_continued_adoption_existing_clients_at_quarter_end() -> None:
    c = clients([
        {"actual_go_live": "2024-06-03"},                              # still uses: yes
        {"actual_go_live": "2024-06-03"},                              # faded: no
        {"actual_go_live": "2024-06-03", "churn_date": "2025-03-15"},  # churned in Q1: excluded
        {"actual_go_live": "2025-03-03"},                              # live too recently
        {"actual_go_live": ""},                                        # not live
        {"actual_go_live": "2024-06-03", "contract_start": "2025-05-01"},  # not yet a customer
    ])
    weeks = ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]  # ends within Q1's last 28d
    u = usage([("C1", w, 5) for w in weeks] + [("C2", w, 2) for w in weeks]
              + [("C4", w, 9) for w in weeks] + [("C1", "2025-01-06", 0)])
    df = continued_adoption({"clients": c, "usage_weekly": u}, last_weeks=4,
                            rule=AdoptionRule(min_active_users=4), period="quarter")
    row = by_period(df, "2025-Q1")
    assert (row["numerator"], row["n"]) == (1, 2)
    assert row["excluded_churned_in_period"] == 1
    assert row["excluded_live_too_recently"] == 1
    assert row["excluded_not_live"] == 1
    assert row["excluded"] == 3


def test_continued_adoption_missing_week_counts_as_zero() -> None:
    c = clients([{"actual_go_live": "2024-06-03"}])
    # 2 of 4 weeks with 8 users, other client rows missing: mean 4 (file has all 4 weeks)
    u = usage([("C1", "2025-03-03", 8), ("C1", "2025-03-10", 8)])
    u = pd.concat([u, usage([("C1", "2025-03-17", 0), ("C1", "2025-03-24", 0)])])
    met = continued_adoption({"clients": c, "usage_weekly": u},
                             rule=AdoptionRule(min_active_users=4))
    not_met = continued_adoption({"clients": c, "usage_weekly": u},
                                 rule=AdoptionRule(min_active_users=5))
    assert by_period(met, "2025-Q1")["value"] == 1.0
    assert by_period(not_met, "2025-Q1")["value"] == 0.0


# --- activities --------------------------------------------------------------------

def _activities() -> dict[str, pd.DataFrame]:
    c = clients([{}])
    a = pd.DataFrame({
        "activity_id": [f"A{i}" for i in range(6)],
        "date": ["2025-01-05", "2025-02-01", "2025-03-31", "2025-04-01", "2025-04-02",
                 "2025-05-01"],
        "owner": ["Ann", "Ann", "Bo", "Ann", "Bo", "Bo"],
        "team": ["CS", "CS", "CS", "CS", "CS", "CS"],
        "client_id": ["C1", "", "C1", "C1", "C1", ""],
        "kind": ["touchpoint", "touchpoint", "ebr", "touchpoint", "cross_sell_lead", "ebr"],
        "extra": "ignored",
    })
    people = pd.DataFrame({"owner": ["Ann", "Bo", "Cy"], "team": ["CS", "CS", "CS"],
                           "role": "CSM", "base_salary": 90000})
    return {"clients": c, "activities": a, "people": people}


def test_activity_counts_per_person_with_explicit_zeros() -> None:
    df = activity_counts(_activities(), by="owner")
    q1 = df[df["period"] == "2025-Q1"].set_index(["owner", "kind"])["count"]
    assert q1[("Ann", "touchpoint")] == 2
    assert q1[("Bo", "ebr")] == 1  # 31 March is still Q1
    assert q1[("Cy", "touchpoint")] == 0  # listed in people.csv, no activity
    assert len(df) == 2 * 3 * 3  # periods x people x kinds


def test_activity_counts_per_team_with_headcount() -> None:
    df = activity_counts(_activities(), by="team", kinds=["touchpoint"])
    q2 = by_period(df, "2025-Q2")
    assert (q2["count"], q2["headcount"]) == (1, 3)
    assert q2["per_person"] == pytest.approx(1 / 3)
    with pytest.raises(PlanError, match="kinds"):
        activity_counts(_activities(), kinds=["call"])


# --- GRR / NRR ---------------------------------------------------------------------

def test_grr_nrr_renewal_cohort() -> None:
    c = clients([
        {"arr_start": 100, "arr_renewal": 130, "renewal_date": "2025-02-01"},  # expansion
        {"arr_start": 200, "arr_renewal": 150, "renewal_date": "2025-03-01"},  # contraction
        {"arr_start": 100, "arr_renewal": 0, "renewal_date": "2025-03-01",
         "churn_date": "2025-01-20"},                                          # churn
        {"arr_start": 50, "renewal_date": "2025-03-15"},                       # pending
    ])
    g = by_period(grr({"clients": c}, as_of="2025-03-31"), "2025-Q1")
    n = by_period(nrr({"clients": c}, as_of="2025-03-31"), "2025-Q1")
    assert g["denominator"] == 400 and g["numerator"] == 100 + 150 + 0
    assert g["value"] == pytest.approx(250 / 400)
    assert n["value"] == pytest.approx(280 / 400)
    assert g["excluded_renewal_pending"] == 1 and g["n"] == 3


# --- fitting and targets -----------------------------------------------------------

def test_fit_assumption_kinds() -> None:
    h = pd.DataFrame({"n": [10, 20, 0, 12], "numerator": [9, 16, 0, 12],
                      "denominator": [10, 20, 0, 12], "value": [0.9, 0.8, np.nan, 1.0],
                      "complete": [True, True, True, False]})
    assert fit_assumption(h) == {"dist": "binomial", "n": 15, "p": pytest.approx(25 / 30)}
    assert fit_assumption(h, "empirical") == {"dist": "empirical", "values": [0.9, 0.8]}
    normal = fit_assumption(h, "normal")
    assert normal["mean"] == pytest.approx(0.85)
    assert normal["sd"] == pytest.approx(0.0707107, abs=1e-6)
    counts = activity_counts(_activities(), by="owner", kinds=["touchpoint"])
    # Q2 is incomplete (data ends 1 May): Q1 only, 2 touchpoints over 3 people
    assert fit_assumption(counts) == {"dist": "poisson", "mean": pytest.approx(2 / 3, abs=1e-6)}
    with pytest.raises(PlanError, match="several activity kinds"):
        fit_assumption(activity_counts(_activities()))
    with pytest.raises(PlanError, match="no complete period"):
        fit_assumption(h.assign(complete=False))
    with pytest.raises(PlanError, match="kind"):
        fit_assumption(h, "gamma")


def test_target_from_history() -> None:
    assert target_from_history([0.7, 0.8, 0.9, 1.0], 50) == pytest.approx(0.85)
    assert target_from_history([0.7, np.nan, 0.9], 100) == pytest.approx(0.9)
    h = pd.DataFrame({"value": [0.5, 0.9, 1.0], "complete": [True, True, False]})
    assert target_from_history(h, 0) == pytest.approx(0.5)
    with pytest.raises(PlanError, match="percentile"):
        target_from_history([1.0], 101)
    with pytest.raises(PlanError, match="no complete period"):
        target_from_history([np.nan], 50)


def test_compute_metric_dispatch_and_bad_options() -> None:
    c = clients([{"planned_go_live": "2025-05-01", "actual_go_live": "2025-05-01"}])
    assert set(METRICS) == {"on_time_go_live", "adoption_within", "continued_adoption",
                            "activities", "grr", "nrr"}
    assert compute_metric({"clients": c}, "on_time_go_live", by="company")["value"].tolist() == [1.0]
    with pytest.raises(PlanError, match="metric"):
        compute_metric({"clients": c}, "nps")
    with pytest.raises(PlanError, match="period"):
        on_time_go_live({"clients": c}, period="week")
    with pytest.raises(PlanError, match="by"):
        on_time_go_live({"clients": c}, by="segment")
    with pytest.raises(PlanError, match="usage_weekly.csv: missing"):
        adoption_within({"clients": c})
    with pytest.raises(PlanError, match="start"):
        on_time_go_live({"clients": c}, start="2025-12-01", end="2025-01-01")


def test_start_end_restrict_and_report_outside_rows() -> None:
    c = clients([{"planned_go_live": "2025-02-01", "actual_go_live": "2025-02-01"},
                 {"planned_go_live": "2025-08-01", "actual_go_live": "2025-08-01"}])
    df = on_time_go_live({"clients": c}, start="2025-07-01", end="2025-12-31")
    assert df["period"].tolist() == ["2025-Q3", "2025-Q4"]
    assert df.attrs["excluded"] == {"outside_range": 1}


# --- sample data -------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample() -> object:
    return load_cs_data(SAMPLE)


def test_sample_data_is_plausible(sample) -> None:  # noqa: ANN001
    c = sample.clients
    assert 250 <= len(c) <= 350 and c["team"].nunique() == 5
    assert 40 <= len(sample.people) <= 60
    assert c["arr_start"].mean() > 1.3 * c["arr_start"].median()  # right-skewed
    late = (c["actual_go_live"] > c["planned_go_live"]).mean()
    assert 0.1 < late < 0.5
    for name, lo, hi in [("on_time_go_live", 0.6, 0.98), ("adoption_within", 0.65, 0.97),
                         ("continued_adoption", 0.55, 0.95), ("grr", 0.6, 1.0),
                         ("nrr", 0.7, 1.25)]:
        df = compute_metric(sample, name, by="company")
        vals = df.loc[df["complete"], "value"].dropna()
        assert len(vals) >= 5, name
        assert lo <= vals.median() <= hi, (name, vals.median())
    acts = activity_counts(sample, by="team", kinds=["ebr"])
    assert (acts["count"] >= 0).all() and acts["count"].sum() > 100


def test_sample_adoption_by_team_last_year_fits_binomial(sample) -> None:  # noqa: ANN001
    df = adoption_within(sample, days=90, period="year", by="team")
    last_year = df[df["period"] == "2025"]
    assert len(last_year) == 5 and last_year["n"].sum() >= 50
    fit = fit_assumption(adoption_within(sample, by="team"), "binomial")
    assert fit["dist"] == "binomial" and fit["n"] >= 1 and 0.5 < fit["p"] < 1


def test_empty_files_give_empty_tables_not_errors() -> None:
    from compcore.data.records import SCHEMAS

    empty = {k: pd.DataFrame(columns=list(v)) for k, v in SCHEMAS.items()}
    for name in METRICS:
        df = compute_metric(empty, name)
        assert len(df) == 0 and "period" in df.columns, name
