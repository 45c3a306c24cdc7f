"""Activity counts on numpy bincounts give the very table the pandas version gave (kept here as the reference)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from compcore.data.counts import activity_counts
from compcore.data.periods import DataLike, bounds, groups_of, month_index, period_table, prepare
from compcore.data.records import ACTIVITY_KINDS, load_cs_data
from compcore.errors import PlanError

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"


def reference_activity_counts(data: DataLike, *, period: str = "quarter", by: str = "owner",
                    kinds: Sequence[str] = ACTIVITY_KINDS, as_of: Any = None,
                    start: Any = None, end: Any = None) -> pd.DataFrame:
    """compcore.data.counts.activity_counts before the numpy rewrite (pandas merges and group-bys)."""
    cs, months, as_of = prepare(data, period, by, as_of)
    bad = [k for k in kinds if k not in ACTIVITY_KINDS]
    if bad or not kinds:
        raise PlanError(f"kinds: must be among {', '.join(ACTIVITY_KINDS)}, got {list(kinds)}")
    acts = cs.require("activities")
    people = cs.people
    group, _ = groups_of(acts, by)
    if by == "company":
        groups, heads = ["all"], pd.Series({"all": len(people) if people is not None
                                            else acts["owner"].nunique()})
    elif people is not None:
        extra = set(acts[by])
        groups = sorted(set(people[by]) | extra)
        heads = people.groupby(by).size() if by == "team" else pd.Series(1, index=groups)
    else:
        groups = sorted(set(acts[by]))
        heads = acts.groupby(by)["owner"].nunique() if by == "team" else pd.Series(1, index=groups)
    m = month_index(acts["date"], months)
    first, last = bounds(months, start, end, m, cs.window(as_of))
    grid = (period_table(first, last, months) if first is not None else period_table(0, -1, months))
    grid = grid.merge(pd.DataFrame({"group": pd.Series(groups, dtype=object)}), how="cross")
    grid = grid.merge(pd.DataFrame({"kind": pd.Series(list(kinds), dtype=object)}), how="cross")
    ev = pd.DataFrame({"_m": m, "group": group, "kind": acts["kind"].to_numpy()})
    inside = ev["kind"].isin(kinds) & (ev["_m"] >= (first if first is not None else np.inf)) \
        & (ev["_m"] <= (last if last is not None else -np.inf))
    counts = ev[inside].groupby(["_m", "group", "kind"]).size().rename("count").reset_index()
    counts = counts.astype({"_m": float, "group": object, "kind": object})
    out = grid.merge(counts, on=["_m", "group", "kind"], how="left")
    out["count"] = out["count"].fillna(0).astype(int)
    out["headcount"] = out["group"].map(heads).fillna(0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        hc = out["headcount"].to_numpy(dtype=float)
        out["per_person"] = np.where(hc > 0, out["count"] / hc, np.nan)
    out["value"] = out["count"].astype(float)
    out["complete"] = out["period_end"] <= as_of
    out = out.rename(columns={"group": by})
    cols = ["period", "period_start", "period_end", "complete", by, "kind", "count",
            "headcount", "per_person", "value"]
    out = out[cols].sort_values(["period_start", by, "kind"], kind="stable").reset_index(drop=True)
    n_out = int((ev["kind"].isin(kinds) & ~inside).sum())
    out.attrs["excluded"] = {"outside_range": n_out} if n_out else {}
    return out


@pytest.fixture(scope="module")
def records():  # type: ignore[no-untyped-def]
    return load_cs_data(SAMPLE)


@pytest.mark.parametrize("kinds", [["ebr"], ["cross_sell_lead", "ebr"], list(ACTIVITY_KINDS)], ids=str)
@pytest.mark.parametrize("period", ["month", "quarter", "year"])
@pytest.mark.parametrize("by", ["company", "team", "owner"])
@pytest.mark.parametrize("window", [{}, {"start": "2025-02-01", "end": "2025-12-31"}, {"as_of": "2025-06-30"}],
                         ids=["all", "start-end", "as_of"])
def test_counts_are_the_reference_table(records, kinds, period, by, window) -> None:  # type: ignore[no-untyped-def]
    fast = activity_counts(records, period=period, by=by, kinds=kinds, **window)
    slow = reference_activity_counts(records, period=period, by=by, kinds=kinds, **window)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast.attrs == slow.attrs


def test_without_people_the_teams_come_from_the_activities(records) -> None:  # type: ignore[no-untyped-def]
    frames = {"clients": records.clients, "activities": records.activities}
    for by in ("company", "team", "owner"):
        fast = activity_counts(frames, period="quarter", by=by, kinds=["ebr"])
        pd.testing.assert_frame_equal(fast, reference_activity_counts(frames, period="quarter", by=by, kinds=["ebr"]))
