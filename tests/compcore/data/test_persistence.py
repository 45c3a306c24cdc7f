"""Persistence from history: lag-1 correlation of normal scores per team, pooled; in words."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtri

from compcore.data.persistence import (
    MAX_WRITTEN,
    Persistence,
    chance_good_follows_good,
    fit_persistence,
    persistence_words,
)
from compcore.errors import PlanError

QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]


def _history(values: dict[str, list[float]], periods: list[str] = QUARTERS, complete: bool = True) -> pd.DataFrame:
    rows = [{"period": p, "team": team, "value": v, "complete": complete}
            for team, vs in values.items() for p, v in zip(periods, vs, strict=True)]
    return pd.DataFrame(rows)


def test_two_teams_by_hand():
    # team A rises 1..5, team B falls 5..1; normal scores within each team: s_k = Phi^-1(k / 6)
    s1, s2 = ndtri(1 / 6), ndtri(2 / 6)  # s3 = 0, s4 = -s2, s5 = -s1
    # pairs (z_t, z_t+1): A: (s1,s2) (s2,0) (0,-s2) (-s2,-s1); B: (-s1,-s2) (-s2,0) (0,s2) (s2,s1); means are 0
    sxy = s1 * s2 + 0 + 0 + s2 * s1 + s1 * s2 + 0 + 0 + s2 * s1  # = 4 s1 s2
    sxx = s1**2 + s2**2 + 0 + s2**2 + s1**2 + s2**2 + 0 + s2**2  # = 2 s1^2 + 4 s2^2 (and the same for y)
    r = sxy / sxx  # 1.6669 / 2.6141 = 0.6377
    # independent periods: each series (T = 5, scores sum to 0, S = 2 s1^2 + 2 s2^2) gives on average
    # sum z_t z_t+1 = -S / 5 and sum z_t^2 = 4 S / 5, so e0 = (-2 S / 5) / (8 S / 5) = -1/4
    want = (r + 0.25) / 1.25  # 0.7101
    fit = fit_persistence(_history({"A": [0.5, 0.6, 0.7, 0.8, 0.9], "B": [0.9, 0.8, 0.7, 0.6, 0.5]}))
    assert fit.rho == pytest.approx(want, abs=1e-12)
    assert round(r, 4) == 0.6377 and round(want, 4) == 0.7101
    assert (fit.pairs, fit.groups, fit.value) == (8, 2, 0.71)


def test_a_team_that_is_always_better_is_not_persistence():
    # A always above B, each alternating up/down: pooled raw values would look persistent, scores per team do not
    fit = fit_persistence(_history({"A": [0.9, 0.95, 0.9, 0.95, 0.9], "B": [0.5, 0.55, 0.5, 0.55, 0.5]}))
    assert fit.rho < 0 and fit.value == 0.0


def test_a_gap_splits_the_pairs_and_running_periods_are_left_out():
    h = _history({"A": [1, 2, 3, 4, 5], "B": [5, 4, 3, 2, 1], "C": [1, 3, 2, 4, 5]})
    h.loc[(h["team"] == "A") & (h["period"] == "2024-Q3"), "value"] = np.nan  # A: Q1 Q2 | Q4 Q1'25
    h.loc[h["period"] == "2025-Q1", "complete"] = False  # still running: not used
    fit = fit_persistence(h)
    # A: runs Q1-Q2 and Q4: too short (two periods alone say nothing about order); B and C: Q1..Q4, 3 pairs each
    assert (fit.pairs, fit.groups) == (3 + 3, 2)


def test_independent_periods_give_no_persistence_on_average():
    # every order of 4 distinct values, one team each: the order carries nothing, so the fit is 0
    from itertools import permutations
    teams = {f"t{i}": list(p) for i, p in enumerate(permutations([1.0, 2.0, 3.0, 4.0]))}
    fit = fit_persistence(_history(teams, QUARTERS[:4]))
    assert fit.rho == pytest.approx(0.0, abs=1e-12) and fit.pairs == 24 * 3


def test_too_little_history_is_a_clear_error():
    with pytest.raises(PlanError, match="persistence needs at least 4"):
        fit_persistence(_history({"A": [1, 2, 3]}, QUARTERS[:3]))
    with pytest.raises(PlanError, match="never vary"):
        fit_persistence(_history({"A": [1, 1, 1, 1, 1], "B": [2, 2, 2, 2, 2]}))


def test_chance_a_good_quarter_follows_a_good_one():
    # P(both above median) = 1/4 + arcsin(rho) / (2 pi); given the first is: 1/2 + arcsin(rho) / pi
    assert chance_good_follows_good(0.0) == 0.5
    assert chance_good_follows_good(0.5) == pytest.approx(0.5 + (math.pi / 6) / math.pi)  # 2/3
    assert chance_good_follows_good(math.sin(0.3 * math.pi)) == pytest.approx(0.8)  # 0.5 + 0.3


def test_words():
    assert persistence_words(0.5) == ("A good quarter is followed by a good one 67% of the time, against 50% by "
                                      "chance (persistence 0.50).")
    assert "next to nothing" in persistence_words(0.0, "half") and "good half" in persistence_words(0.0, "half")
    negative = persistence_words(-0.3)
    assert "weaker one" in negative and "40%" in negative and "no persistence (0)" in negative


def test_written_value_is_kept_in_the_scenarios_range():
    assert Persistence(rho=0.993, pairs=40, groups=4).value == MAX_WRITTEN
    assert Persistence(rho=-0.2, pairs=40, groups=4).value == 0.0
    assert Persistence(rho=0.456, pairs=40, groups=4).value == 0.46


def _ar1(rho: float, n: int, rng: np.random.Generator) -> np.ndarray:
    z = np.empty(n)
    z[0] = rng.standard_normal()
    e = rng.standard_normal(n)
    for t in range(1, n):
        z[t] = rho * z[t - 1] + math.sqrt(1 - rho**2) * e[t]
    return z


@settings(max_examples=25, deadline=None)
@given(rho=st.floats(0.0, 0.9), seed=st.integers(0, 2**32 - 1))
def test_an_ar1_series_with_known_rho_is_recovered(rho, seed):
    # three teams of 1,000 quarters each at very different levels and spreads; the pooled fit sees rho,
    # not the levels (standard error about 1 / sqrt(3000) = 0.018; tolerance 0.08)
    rng = np.random.default_rng(seed)
    n = 1000
    periods = [f"p{t:05d}" for t in range(n)]
    frames = [pd.DataFrame({"period": periods, "team": team, "value": level + spread * _ar1(rho, n, rng),
                            "complete": True}) for team, level, spread in (("A", 0.3, 0.05), ("B", 0.9, 0.01),
                                                                          ("C", 12.0, 3.0))]
    fit = fit_persistence(pd.concat(frames, ignore_index=True))
    assert fit.pairs == 3 * (n - 1) and fit.groups == 3
    assert abs(fit.rho - rho) < 0.08
