"""Targets and assumptions from a metric's history: known histories, answers by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from compcore.data.fit import FIT_KINDS, fit_assumption, history_values, target_from_history
from compcore.errors import PlanError


def adoption_history() -> pd.DataFrame:
    """Four quarters of "adopted within 90 days" for one team, the last still open.

    Q1 8 of 10, Q2 18 of 20, Q3 24 of 30 (all complete); Q4 1 of 2 (not complete);
    plus a complete quarter where nobody went live (value NaN).
    """
    return pd.DataFrame({
        "period": ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2024-Q4"],
        "complete": [True, True, True, False, True],
        "n": [10, 20, 30, 2, 0], "numerator": [8.0, 18.0, 24.0, 1.0, 0.0],
        "denominator": [10.0, 20.0, 30.0, 2.0, 0.0], "value": [0.8, 0.9, 0.8, 0.5, np.nan],
    })


# --- the usable values ------------------------------------------------------------------------

def test_history_uses_complete_periods_with_a_value() -> None:
    # Q4 is open and 2024-Q4 had nobody: 0.8, 0.9, 0.8 remain
    assert history_values(adoption_history()).tolist() == [0.8, 0.9, 0.8]


def test_plain_numbers_drop_the_blanks() -> None:
    assert history_values([1, float("nan"), 3]).tolist() == [1.0, 3.0]
    with pytest.raises(PlanError, match="history: values must be numbers"):
        history_values(["a lot"])


def test_a_table_needs_a_value_column_and_one_activity_kind() -> None:
    with pytest.raises(PlanError, match="needs a 'value' column"):
        history_values(pd.DataFrame({"count": [1, 2]}))
    mixed = pd.DataFrame({"kind": ["ebr", "touchpoint"], "value": [1.0, 2.0]})
    with pytest.raises(PlanError, match="several activity kinds; filter to one kind first"):
        history_values(mixed)


# --- target from history ----------------------------------------------------------------------

def test_median_of_four_quarters_is_halfway_between_the_middle_two() -> None:
    # 0.70, 0.80, 0.90, 1.00: the median is (0.80 + 0.90) / 2 = 0.85
    assert target_from_history([0.70, 0.80, 0.90, 1.00], 50) == 0.85


def test_p75_interpolates_and_is_rounded_clear_of_float_noise() -> None:
    # 0.6, 0.7, 0.8, 0.9: position 0.75 x 3 = 2.25, so 0.8 + 0.25 x 0.1 = 0.825 (numpy gives 0.8250000000000001)
    assert target_from_history([0.6, 0.7, 0.8, 0.9], 75) == 0.825


def test_target_ends_are_the_lowest_and_highest_past_value() -> None:
    assert target_from_history(adoption_history(), 0) == 0.8
    assert target_from_history(adoption_history(), 100) == 0.9


@pytest.mark.parametrize("percentile", [-1, 100.5])
def test_percentile_outside_0_to_100_is_refused(percentile: float) -> None:
    with pytest.raises(PlanError, match=r"percentile: must be in \[0, 100\]"):
        target_from_history([0.8, 0.9], percentile)


def test_no_usable_period_means_no_target() -> None:
    open_only = adoption_history().assign(complete=False)
    with pytest.raises(PlanError, match="no complete period with a value to set a target from"):
        target_from_history(open_only, 50)


# --- fit assumption ----------------------------------------------------------------------------

def test_a_client_cohort_share_fits_a_binomial_with_the_pooled_rate() -> None:
    fit = fit_assumption(adoption_history())
    # n: median cohort of the usable quarters (10, 20, 30) = 20; p = (8 + 18 + 24) / (10 + 20 + 30) = 50 / 60
    assert fit == {"dist": "binomial", "n": 20, "p": round(50 / 60, 6)}
    assert fit["p"] == 0.833333


def test_activity_counts_fit_a_poisson_with_the_mean_count() -> None:
    counts = pd.DataFrame({"complete": [True, True, True, False], "count": [3, 5, 7, 1],
                           "value": [3.0, 5.0, 7.0, 1.0]})
    # mean of the complete periods: (3 + 5 + 7) / 3 = 5
    assert fit_assumption(counts) == {"dist": "poisson", "mean": 5.0}


def test_revenue_retention_fits_an_empirical_bootstrap_of_the_past_values() -> None:
    # GRR: numerator and denominator are money, not a count of clients, so no binomial
    retention = pd.DataFrame({"complete": True, "n": [3, 4], "numerator": [250.0, 380.0],
                              "denominator": [400.0, 400.0], "value": [0.625, 0.95]})
    assert fit_assumption(retention) == {"dist": "empirical", "values": [0.625, 0.95]}


def test_normal_fit_is_the_mean_and_sample_sd() -> None:
    # 0.8, 0.9, 0.8: mean 2.5 / 3; deviations -1/30, 2/30, -1/30, sample variance (6 / 900) / 2
    fit = fit_assumption(adoption_history(), "normal")
    assert fit == {"dist": "normal", "mean": round(2.5 / 3, 6), "sd": round(math.sqrt(3 / 900), 6)}


def test_explicit_kinds_on_plain_values() -> None:
    assert fit_assumption([2, 4, 9], "poisson") == {"dist": "poisson", "mean": 5.0}
    assert fit_assumption([0.9, 1.1], "empirical") == {"dist": "empirical", "values": [0.9, 1.1]}
    assert fit_assumption([0.9, 1.1]) == {"dist": "empirical", "values": [0.9, 1.1]}


def test_every_fit_kind_is_accepted() -> None:
    assert FIT_KINDS == ("auto", "binomial", "poisson", "empirical", "normal")
    for kind in FIT_KINDS:
        assert fit_assumption(adoption_history(), kind)["dist"] == ("binomial" if kind == "auto" else kind)


@pytest.mark.parametrize(("history", "kind", "words"), [
    ([0.8, 0.9], "gamma", "kind: must be one of auto, binomial, poisson, empirical, normal, not 'gamma'"),
    ([0.8, 0.9], "binomial", "binomial needs a metric table with n, numerator, denominator"),
    ([3, -1], "poisson", "poisson needs counts >= 0"),
    ([0.8], "normal", "normal needs at least 2 periods"),
    ([float("nan")], "auto", "no complete period with a value to fit"),
])
def test_fits_that_cannot_be_made_say_why(history: list[float], kind: str, words: str) -> None:
    with pytest.raises(PlanError, match=words):
        fit_assumption(history, kind)


def test_a_binomial_needs_shares_between_0_and_1() -> None:
    # NRR-like: more kept than at start, ratio 1.2 is not a share of clients
    table = pd.DataFrame({"n": [5], "numerator": [6.0], "denominator": [5.0], "value": [1.2]})
    with pytest.raises(PlanError, match="binomial needs shares between 0 and 1"):
        fit_assumption(table, "binomial")
