"""Calendar periods and the tally every CS metric shares, on a few hand-made clients.

Month indexes count months since 1970-01: 2025-01 is (2025 - 1970) x 12 = 660.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compcore.data.periods import (
    PERIODS,
    bounds,
    check_options,
    events_frame,
    first_reason,
    groups_of,
    month_index,
    parse_date,
    period_end_of,
    period_table,
    span,
    tally,
)
from compcore.errors import PlanError

JAN_2025 = 660.0
APR_2025 = 663.0


# --- options and dates -------------------------------------------------------------------------

def test_each_period_has_its_months() -> None:
    assert PERIODS == {"month": 1, "quarter": 3, "half": 6, "year": 12}
    assert [check_options(p, "team") for p in ("month", "quarter", "half", "year")] == [1, 3, 6, 12]


@pytest.mark.parametrize(("period", "by", "words"), [
    ("week", "team", "period: must be one of month, quarter, half, year, not 'week'"),
    ("quarter", "region", "by: must be one of company, team, owner, not 'region'"),
])
def test_unknown_period_or_breakdown_is_named(period: str, by: str, words: str) -> None:
    with pytest.raises(PlanError, match=words):
        check_options(period, by)


def test_a_date_falls_in_the_month_index_of_its_period_start() -> None:
    dates = pd.Series(["2025-05-17", None, "2024-12-31", "2025-01-01"])
    # May 2025 is in Q2, which starts in April = 663; Dec 2024 in 2024-Q4 = 657; a missing date is NaN
    q = month_index(dates, 3)
    assert q[[0, 2, 3]].tolist() == [APR_2025, 657.0, JAN_2025] and np.isnan(q[1])
    assert month_index(dates, 12)[[0, 2]].tolist() == [JAN_2025, 648.0]
    assert month_index(dates, 1)[0] == 664.0  # May itself


@pytest.mark.parametrize(("months", "last", "labels", "starts", "ends"), [
    (3, APR_2025, ["2025-Q1", "2025-Q2"], ["2025-01-01", "2025-04-01"], ["2025-03-31", "2025-06-30"]),
    (6, 666.0, ["2025-H1", "2025-H2"], ["2025-01-01", "2025-07-01"], ["2025-06-30", "2025-12-31"]),
    (12, JAN_2025, ["2025"], ["2025-01-01"], ["2025-12-31"]),
])
def test_period_labels_start_and_end(months: int, last: float, labels: list[str], starts: list[str],
                                     ends: list[str]) -> None:
    t = period_table(JAN_2025, last, months)
    assert t["period"].tolist() == labels
    assert t["period_start"].tolist() == [pd.Timestamp(s) for s in starts]
    assert t["period_end"].tolist() == [pd.Timestamp(e) for e in ends]


def test_months_end_on_their_last_day_leap_february_included() -> None:
    t = period_table(648.0, 649.0, 1)  # 2024-01 and 2024-02
    assert t["period"].tolist() == ["2024-01", "2024-02"]
    assert t["period_end"].tolist() == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-29")]


def test_period_end_of_each_start_and_nat_for_none() -> None:
    ends = period_end_of(np.array([APR_2025, np.nan]), 3)
    assert pd.Timestamp(ends[0]) == pd.Timestamp("2025-06-30") and np.isnat(ends[1])


def test_parse_date_keeps_the_day_and_drops_time_and_zone() -> None:
    assert parse_date("as_of", "2025-03-05T10:30:00+02:00") == pd.Timestamp("2025-03-05")
    assert parse_date("as_of", pd.Timestamp("2025-06-30 18:00")) == pd.Timestamp("2025-06-30")


@pytest.mark.parametrize("value", ["2025-02-30", "soon", None])
def test_parse_date_names_the_option_and_the_format(value: object) -> None:
    with pytest.raises(PlanError, match=r"as_of: not a date .*use YYYY-MM-DD"):
        parse_date("as_of", value)


def test_span_is_the_first_and_last_period_of_two_dates() -> None:
    # 10 Feb 2025 is in Q1 (660), 1 Aug 2025 in Q3 (666)
    assert span(3, "2025-02-10", "2025-08-01") == (JAN_2025, 666.0)
    with pytest.raises(PlanError, match="start: must not be after end"):
        span(3, "2025-08-01", "2025-02-10")


def test_bounds_clip_the_data_to_the_window_unless_start_and_end_are_given() -> None:
    # data in 2024-Q4 .. 2025-Q3; observed from 2025-01-15 to as_of 2025-05-01: Q1 .. Q2
    m = np.array([657.0, JAN_2025, APR_2025, 666.0, np.nan])
    window = (pd.Timestamp("2025-01-15"), pd.Timestamp("2025-05-01"))
    assert bounds(3, None, None, m, window) == (JAN_2025, APR_2025)
    assert bounds(3, "2024-10-01", "2025-09-30", m, window) == (657.0, 666.0)
    assert bounds(3, None, None, np.array([np.nan]), window) == (None, None)
    with pytest.raises(PlanError, match="start: must not be after end"):
        bounds(3, "2025-09-30", "2025-01-01", m, window)


# --- cohort helpers ----------------------------------------------------------------------------

def test_first_reason_is_the_first_condition_that_holds() -> None:
    not_live = np.array([True, True, False, False])
    window_open = np.array([False, True, True, False])
    # client 2 is both: the first listed reason wins; client 4 is in the cohort (None)
    assert first_reason([(not_live, "not_live"), (window_open, "window_open")], 4).tolist() == [
        "not_live", "not_live", "window_open", None]


def test_groups_are_everyone_for_the_company_else_the_sorted_values() -> None:
    frame = pd.DataFrame({"team": ["PMO", "CS", "PMO"], "owner": ["Ann", "Bo", "Cy"]})
    values, groups = groups_of(frame, "company")
    assert values.tolist() == ["all", "all", "all"] and groups == ["all"]
    values, groups = groups_of(frame, "team")
    assert values.tolist() == ["PMO", "CS", "PMO"] and groups == ["CS", "PMO"]


# --- the tally ---------------------------------------------------------------------------------

def adoption_events() -> pd.DataFrame:
    """Clients that went live in 2025-Q2: A, B, C adopted within 90 days, D did not, E's window is still open;
    F went live in Q4 (adopted); G never went live (no period)."""
    m = np.array([APR_2025, APR_2025, APR_2025, APR_2025, APR_2025, 669.0, np.nan])
    reason = np.array([None, None, None, None, "window_open", None, "not_live"], dtype=object)
    adopted = np.array([1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    return events_frame(m, np.full(7, "PMO", dtype=object), reason, adopted)


def run_tally(events: pd.DataFrame, as_of: str = "2025-12-31", **kw: object) -> pd.DataFrame:
    opts: dict = {"months": 3, "by": "team", "groups": ["PMO"], "reasons": ["window_open"],
                  "as_of": pd.Timestamp(as_of), "first": APR_2025, "last": 669.0, **kw}
    return tally(events, **opts)


def test_three_of_four_clients_adopted_within_90_days_is_75_percent() -> None:
    q2 = run_tally(adoption_events()).set_index("period").loc["2025-Q2"]
    # the cohort is A, B, C, D (E is excluded, not a failure): 3 of 4 = 75%
    assert (q2["n"], q2["numerator"], q2["denominator"]) == (4, 3, 4)
    assert q2["value"] == 0.75
    assert (q2["excluded"], q2["excluded_window_open"]) == (1, 1)


def test_a_period_with_nobody_in_the_cohort_is_nan_not_zero() -> None:
    out = run_tally(adoption_events())
    assert out["period"].tolist() == ["2025-Q2", "2025-Q3", "2025-Q4"]
    q3 = out.set_index("period").loc["2025-Q3"]
    assert q3["n"] == 0 and np.isnan(q3["value"])
    assert out.set_index("period").loc["2025-Q4", "value"] == 1.0  # F: 1 of 1


def test_rows_without_a_period_or_outside_the_range_are_reported_not_counted() -> None:
    out = run_tally(adoption_events(), last=666.0)  # Q2 .. Q3 only: F (Q4) is outside
    assert out["period"].tolist() == ["2025-Q2", "2025-Q3"]
    assert out.attrs["excluded"] == {"not_live": 1, "outside_range": 1}
    assert out["n"].sum() == 4


def test_a_period_is_complete_once_it_and_the_lag_have_ended() -> None:
    # as of 2025-09-15: Q2 ended on 30 June, plus a 90-day window ends 28 Sep, so Q2 is not complete yet
    out = run_tally(adoption_events(), as_of="2025-09-15", lag_days=90).set_index("period")
    assert not out.loc["2025-Q2", "complete"]
    out = run_tally(adoption_events(), as_of="2025-09-28", lag_days=90).set_index("period")
    assert out.loc["2025-Q2", "complete"] and not out.loc["2025-Q3", "complete"]


def test_ratio_is_numerator_over_denominator_summed_per_group() -> None:
    # GRR-style rows: numerator = ARR kept, denominator = ARR at start
    m = np.array([APR_2025, APR_2025, APR_2025])
    ev = events_frame(m, np.array(["CS", "CS", "PMO"], dtype=object), np.array([None] * 3, dtype=object),
                      np.array([100.0, 150.0, 0.0]), np.array([100.0, 200.0, 100.0]))
    out = tally(ev, months=3, by="team", groups=["CS", "PMO"], reasons=[], as_of=pd.Timestamp("2025-12-31"),
                first=APR_2025, last=APR_2025).set_index("team")
    # CS: (100 + 150) / (100 + 200) = 250 / 300; PMO: 0 / 100 = 0 (a real zero: someone was in the cohort)
    assert out.loc["CS", "value"] == pytest.approx(250 / 300)
    assert out.loc["PMO", "value"] == 0.0
    assert out["n"].tolist() == [2, 1]
