"""Continued adoption's users per (client, period window) by bincount, against the join it replaced (kept here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.data.metrics import _window_users


def reference_users(usage: pd.DataFrame, clients: pd.DataFrame, rows: np.ndarray, m: np.ndarray, lo: np.ndarray,
                    hi: np.ndarray) -> np.ndarray:
    cl = clients.iloc[rows].reset_index(drop=True)
    j = usage.merge(pd.DataFrame({"client_id": cl["client_id"], "_m": m, "lo": lo, "hi": hi}), on="client_id")
    j = j[(j["week_start"] >= j["lo"]) & (j["week_start"] <= j["hi"])]
    total = j.groupby(["client_id", "_m"])["active_users"].sum()
    return total.reindex(pd.MultiIndex.from_arrays([cl["client_id"], m])).fillna(0).to_numpy()


MONDAYS = pd.date_range("2025-01-06", periods=30, freq="7D")
PERIODS = [(pd.Timestamp("2025-03-31"), 4), (pd.Timestamp("2025-06-30"), 4), (pd.Timestamp("2025-04-30"), 2)]


@settings(max_examples=80, deadline=None)
@given(weeks=st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.integers(0, 29),
                                st.one_of(st.just(np.nan), st.integers(0, 40).map(float))), max_size=60,
                      unique_by=lambda t: (t[0], t[1])),
       pairs=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=12, unique=True))
def test_users_per_client_window_are_the_joined_sums(weeks, pairs) -> None:  # type: ignore[no-untyped-def]
    """Clients without usage, blank users, overlapping windows, a window shared by several clients (each
    (client, period) once, as the metric makes them)."""
    clients = pd.DataFrame({"client_id": ["A", "B", "C", "D"]})
    usage = pd.DataFrame({"client_id": [w[0] for w in weeks], "week_start": [MONDAYS[w[1]] for w in weeks],
                          "active_users": [w[2] for w in weeks]}).astype({"week_start": "datetime64[ns]",
                                                                          "active_users": float})
    rows = np.array([p[0] for p in pairs])
    ends = [PERIODS[p[1]] for p in pairs]
    m = np.array([float(p[1]) for p in pairs])
    lo = pd.Series([e - pd.Timedelta(days=7 * n + 5) for e, n in ends]).astype("datetime64[ns]")
    hi = pd.Series([e - pd.Timedelta(days=6) for e, _ in ends]).astype("datetime64[ns]")
    got = _window_users(usage, clients, rows, lo.to_numpy(), hi.to_numpy())
    np.testing.assert_array_equal(got, reference_users(usage, clients, rows, m, lo, hi))
