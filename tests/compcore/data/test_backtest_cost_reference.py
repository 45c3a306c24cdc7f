"""The back-test's cost per period on bincounts gives the table the pandas named aggregation gave (the reference,
kept here): same periods in order of first appearance, columns and dtypes; sums within float rounding."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.data.backtest import _cost


def reference_cost(teams: pd.DataFrame) -> pd.DataFrame:
    priced = teams["payout"].notna()
    t = teams.assign(paid=priced, unpaid=~priced,
                     priced_target=teams["target_incentive"].where(priced, 0.0),
                     missing_target=teams["target_incentive"].where(~priced, 0.0))
    g = t.groupby("period", sort=False).agg(
        period_start=("period_start", "first"), period_end=("period_end", "first"),
        complete=("complete", "all"), teams_paid=("paid", "sum"), teams_missing=("unpaid", "sum"),
        target_cost=("target_incentive", "sum"), cost=("money", lambda s: s.sum(min_count=1)),
        missing_target_cost=("missing_target", "sum"), priced_target=("priced_target", "sum"),
    ).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        g["payout"] = np.where(g["priced_target"] > 0, g["cost"] / g["priced_target"], np.nan)
    return g.drop(columns="priced_target").astype({"teams_paid": int, "teams_missing": int})


PERIODS = {"2025-Q1": ("2025-01-01", "2025-03-31"), "2025-Q2": ("2025-04-01", "2025-06-30"),
           "2024-Q4": ("2024-10-01", "2024-12-31")}


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(list(PERIODS)), st.booleans(),
                               st.one_of(st.none(), st.floats(0, 2, allow_nan=False)),
                               st.floats(0, 50_000, allow_nan=False)), min_size=1, max_size=30))
def test_random_team_periods_cost_as_the_reference(rows) -> None:  # type: ignore[no-untyped-def]
    """Periods out of order, periods with no team priced (cost NaN), zero on-target cost (payout NaN)."""
    payout = np.array([np.nan if r[2] is None else r[2] for r in rows])
    target = np.array([r[3] for r in rows])
    teams = pd.DataFrame({"period": [r[0] for r in rows],
                          "period_start": pd.to_datetime([PERIODS[r[0]][0] for r in rows]),
                          "period_end": pd.to_datetime([PERIODS[r[0]][1] for r in rows]),
                          "complete": [r[1] for r in rows], "target_incentive": target,
                          "payout": payout, "money": payout * target})
    pd.testing.assert_frame_equal(_cost(teams), reference_cost(teams), check_exact=False, rtol=1e-12)
