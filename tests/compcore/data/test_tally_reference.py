"""The numpy tally gives the very table the pandas merge / group-by version gave (kept here as the reference).

The tally was rewritten on bincounts (the Targets page computes three histories per new definition, 40-60 ms
each through pandas). Same rows, order, columns, dtypes and ``attrs``; sums within float rounding (a bincount
adds in another order than pandas' compensated group sum).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.data import targets
from compcore.data.periods import events_frame, period_table, tally
from compcore.data.records import load_cs_data

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"


def reference_tally(events: pd.DataFrame, *, months: int, by: str, groups: Sequence[str], reasons: Sequence[str],
                    as_of: pd.Timestamp, lag_days: int = 0, first: float | None = None,
                    last: float | None = None) -> pd.DataFrame:
    """compcore.data.periods.tally as it was before the numpy rewrite (pandas merges and group-bys)."""
    m = events["_m"].to_numpy(dtype=float)
    has_range = first is not None and last is not None
    outside = np.isnan(m) | ((m < first) | (m > last) if has_range else True)
    attrs = events.loc[np.isnan(m), "reason"].fillna("no_period").value_counts().to_dict()
    n_out = int((outside & ~np.isnan(m)).sum())
    if n_out:
        attrs["outside_range"] = n_out
    ev = events.loc[~outside]
    grid = period_table(first, last, months) if has_range else period_table(0, -1, months)
    grid = grid.merge(pd.DataFrame({"group": pd.Series(list(groups), dtype=object)}), how="cross")
    keys = ["_m", "group"]
    ev = ev.astype({"_m": float, "group": object})
    cohort = ev[ev["reason"].isna()].groupby(keys, sort=False).agg(
        n=("num", "size"), numerator=("num", "sum"), denominator=("den", "sum"))
    out = grid.merge(cohort.reset_index(), on=keys, how="left")
    out[["n", "numerator", "denominator"]] = out[["n", "numerator", "denominator"]].fillna(0)
    out["n"] = out["n"].astype(int)
    den = out["denominator"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = np.where(den > 0, out["numerator"].to_numpy(dtype=float) / den, np.nan)
    excl = ev[ev["reason"].notna()].groupby(keys + ["reason"], sort=False).size()
    excl = excl.unstack("reason") if len(excl) else pd.DataFrame(index=excl.index)
    cols = [f"excluded_{r}" for r in reasons]
    excl = excl.reindex(columns=list(reasons)).set_axis(cols, axis=1).reset_index() \
        if len(excl) else pd.DataFrame(columns=keys + cols)
    out = out.merge(excl.astype({"_m": float}), on=keys, how="left")
    out[cols] = out[cols].fillna(0).astype(int)
    out.insert(out.columns.get_loc("value") + 1, "excluded", out[cols].sum(axis=1).astype(int))
    out["complete"] = out["period_end"] + pd.Timedelta(days=lag_days) <= as_of
    out = out.rename(columns={"group": by})
    order = ["period", "period_start", "period_end", "complete", by, "n", "numerator",
             "denominator", "value", "excluded", *cols]
    out = out[order].sort_values(["period_start", by], kind="stable").reset_index(drop=True)
    out.attrs["excluded"] = {str(k): int(v) for k, v in attrs.items()}
    return out


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=0)
    assert a.attrs == b.attrs


@pytest.fixture(scope="module")
def records():  # type: ignore[no-untyped-def]
    return load_cs_data(SAMPLE)


@pytest.mark.parametrize("spec", [{"metric": "on_time_go_live", "grace_days": 14},
                                  {"metric": "adoption_within", "days": 60, "min_active_users": 3},
                                  {"metric": "continued_adoption"}, {"metric": "grr"}, {"metric": "nrr"}],
                         ids=lambda s: s["metric"])
@pytest.mark.parametrize("period", ["month", "quarter", "year"])
@pytest.mark.parametrize("by", ["company", "team", "owner"])
def test_every_metric_of_the_sample_is_the_reference_table(records, monkeypatch, spec, period, by) -> None:  # type: ignore[no-untyped-def]
    from compcore.data import counts, metrics
    fast = targets.metric_history(records, spec, period=period, by=by)
    monkeypatch.setattr(metrics, "tally", reference_tally)
    monkeypatch.setattr(counts, "tally", reference_tally)
    _same(fast, targets.metric_history(records, spec, period=period, by=by))


REASONS = ["churned", "late"]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from([np.nan, 657.0, 660.0, 663.0, 666.0, 669.0]),
                               st.sampled_from(["A", "B", "C", "Zed"]),
                               st.sampled_from([None, "churned", "late", "other"]),
                               st.floats(0, 5, allow_nan=False), st.sampled_from([1.0, 2.5, 0.0])),
                     max_size=40),
       groups=st.sampled_from([["A", "B", "C"], ["all"], ["C", "A"], []]),
       window=st.sampled_from([(660.0, 666.0), (657.0, 669.0), (None, None)]),
       months=st.sampled_from([1, 3]))
def test_random_events_are_tallied_as_the_reference(rows, groups, window, months) -> None:  # type: ignore[no-untyped-def]
    """Rows outside the window, groups not listed, reasons not counted, zero denominators, no rows at all."""
    m = np.array([r[0] for r in rows], dtype=float)
    m = m - np.mod(m, months)
    ev = events_frame(m, np.array([r[1] for r in rows], dtype=object), np.array([r[2] for r in rows], dtype=object),
                      np.array([r[3] for r in rows], dtype=float), np.array([r[4] for r in rows], dtype=float))
    kw = {"months": months, "by": "team", "groups": groups, "reasons": REASONS,
          "as_of": pd.Timestamp("2025-08-15"), "lag_days": 10, "first": window[0], "last": window[1]}
    _same(tally(ev, **kw), reference_tally(ev, **kw))
