"""Activity counts (touchpoints, EBRs, cross-sell leads) and GRR / NRR per period.

Same conventions as :mod:`compcore.data.metrics`: pure pandas/numpy, one tidy row per
period and team/owner, NaN (never 0) where a ratio has no denominator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from compcore.data.periods import (
    DataLike,
    bounds,
    events_frame,
    first_reason,
    groups_of,
    month_index,
    period_table,
    prepare,
    tally,
)
from compcore.data.records import ACTIVITY_KINDS
from compcore.errors import PlanError

__all__ = ["activity_counts", "grr", "nrr"]


def activity_counts(data: DataLike, *, period: str = "quarter", by: str = "owner",
                    kinds: Sequence[str] = ACTIVITY_KINDS, as_of: Any = None,
                    start: Any = None, end: Any = None) -> pd.DataFrame:
    """Touchpoints, EBRs and cross-sell leads per person or team per period.

    One row per period, group and kind, including explicit zeros for every
    person (from ``people.csv`` and the activities) or team with no activity of
    that kind in the period, so averages and Poisson fits see the quiet periods.
    Columns: period, period_start, period_end, complete, <by>, kind, count,
    headcount, per_person, value (= count). ``headcount`` is 1 per owner; for a
    team, the people listed for it in ``people.csv`` (else the distinct owners
    with activities); ``per_person = count / headcount``.

    Examples
    --------
    >>> a = pd.DataFrame({"activity_id": ["1", "2", "3"], "owner": ["Ann", "Ann", "Bo"],
    ...     "team": "CS", "client_id": "", "kind": "ebr",
    ...     "date": ["2025-01-10", "2025-02-01", "2025-05-05"]})
    >>> c = pd.DataFrame({"client_id": ["A"], "owner": "Ann", "team": "CS",
    ...     "contract_start": "2025-01-01", "planned_go_live": "", "actual_go_live": "",
    ...     "licensed_seats": 1, "arr_start": 1, "arr_renewal": "", "renewal_date": "",
    ...     "churn_date": ""})
    >>> out = activity_counts({"clients": c, "activities": a}, kinds=["ebr"])
    >>> out[["period", "owner", "count"]].to_string(index=False)
    ' period owner  count\\n2025-Q1   Ann      2\\n2025-Q1    Bo      0\\n2025-Q2   Ann      0\\n2025-Q2    Bo      1'
    """
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
    # counts by bincount over the (period, group, kind) grid, not pandas merges (a few times faster); groups and
    # kinds sorted, periods in order: the rows come out in the table's order, no sort afterwards
    kinds = sorted(kinds)
    n_g, n_k = len(groups), len(kinds)
    ev = pd.DataFrame({"_m": m, "group": group, "kind": acts["kind"].to_numpy()})
    inside = (ev["kind"].isin(kinds) & (ev["_m"] >= (first if first is not None else np.inf))
              & (ev["_m"] <= (last if last is not None else -np.inf))).to_numpy()
    g_at, k_at = {g: i for i, g in enumerate(groups)}, {k: i for i, k in enumerate(kinds)}
    g_idx = np.fromiter((g_at[g] for g in group[inside]), dtype=np.int64, count=int(inside.sum()))
    k_idx = np.fromiter((k_at[k] for k in ev["kind"].to_numpy()[inside]), dtype=np.int64, count=len(g_idx))
    p_idx = ((m[inside] - (first or 0.0)) // months).astype(np.int64)
    n_cells = len(grid) * n_g * n_k
    count = np.bincount((p_idx * n_g + g_idx) * n_k + k_idx, minlength=n_cells).astype(int)
    group_col = np.tile(np.repeat(np.array(groups, dtype=object), n_k), len(grid))
    heads_of = {str(g): h for g, h in heads.items()} if len(heads) else {}
    headcount = np.fromiter((int(heads_of.get(str(g), 0)) for g in group_col), dtype=int, count=n_cells)
    out = pd.DataFrame({
        "period": np.repeat(grid["period"].to_numpy(dtype=object), n_g * n_k),
        "period_start": np.repeat(grid["period_start"].to_numpy(), n_g * n_k),
        "period_end": np.repeat(grid["period_end"].to_numpy(), n_g * n_k),
        "group": pd.Series(group_col, dtype=object),
        "kind": pd.Series(np.tile(np.array(kinds, dtype=object), len(grid) * n_g), dtype=object),
        "count": count, "headcount": headcount})
    with np.errstate(divide="ignore", invalid="ignore"):
        hc = out["headcount"].to_numpy(dtype=float)
        out["per_person"] = np.where(hc > 0, out["count"] / hc, np.nan)
    out["value"] = out["count"].astype(float)
    out["complete"] = out["period_end"] <= as_of
    out = out.rename(columns={"group": by})
    cols = ["period", "period_start", "period_end", "complete", by, "kind", "count",
            "headcount", "per_person", "value"]
    out = out[cols]
    n_out = int((ev["kind"].isin(kinds) & ~inside).sum())
    out.attrs["excluded"] = {"outside_range": n_out} if n_out else {}
    return out


def _retention(data: DataLike, measure: str, period: str, by: str, as_of: Any, start: Any,
               end: Any) -> pd.DataFrame:
    cs, months, as_of = prepare(data, period, by, as_of)
    c = cs.clients.reset_index(drop=True)
    churned = c["churn_date"].notna().to_numpy()
    when = c["churn_date"].where(churned, c["renewal_date"])
    after = np.where(churned, 0.0, c["arr_renewal"].to_numpy(dtype=float))
    start_arr = c["arr_start"].to_numpy(dtype=float)
    num = np.minimum(after, start_arr) if measure == "grr" else after
    m = month_index(when, months)
    reason = first_reason([(np.isnan(m), "no_renewal_date"),
                           (np.isnan(after), "renewal_pending")], len(c))
    group, groups = groups_of(c, by)
    first, last = bounds(months, start, end, m, cs.window(as_of))
    ev = events_frame(m, group, reason, np.nan_to_num(num), start_arr)
    return tally(ev, months=months, by=by, groups=groups, reasons=["renewal_pending"],
                 as_of=as_of, first=first, last=last)


def grr(data: DataLike, *, period: str = "quarter", by: str = "team", as_of: Any = None,
        start: Any = None, end: Any = None) -> pd.DataFrame:
    """Gross revenue retention of the clients whose renewal or churn falls in a period.

    Cohort: clients whose ``churn_date`` (if churned) or else ``renewal_date``
    falls in the period. ``denominator`` = their ``arr_start``; ``numerator`` =
    ``min(arr_renewal, arr_start)``, 0 for churned clients. Excluded:
    ``renewal_pending`` (not churned, ``arr_renewal`` blank); clients with
    neither date go to ``attrs["excluded"]``.

    Examples
    --------
    Two clients of 100 each renew in Q1: one at 130, one churns. GRR 50%, NRR 65%:

    >>> c = pd.DataFrame({"client_id": ["A", "B"], "owner": "Ann", "team": "CS",
    ...     "contract_start": "2024-01-01", "planned_go_live": "", "actual_go_live": "",
    ...     "licensed_seats": 5, "arr_start": 100, "arr_renewal": ["130", "0"],
    ...     "renewal_date": "2025-01-01", "churn_date": ["", "2025-02-01"]})
    >>> float(grr({"clients": c})["value"][0]), float(nrr({"clients": c})["value"][0])
    (0.5, 0.65)
    """
    return _retention(data, "grr", period, by, as_of, start, end)


def nrr(data: DataLike, *, period: str = "quarter", by: str = "team", as_of: Any = None,
        start: Any = None, end: Any = None) -> pd.DataFrame:
    """Net revenue retention: as :func:`grr` but ``numerator`` = ``arr_renewal`` (expansion counts).

    Examples
    --------
    >>> c = pd.DataFrame({"client_id": ["A"], "owner": "Ann", "team": "CS",
    ...     "contract_start": "2024-01-01", "planned_go_live": "", "actual_go_live": "",
    ...     "licensed_seats": 5, "arr_start": 100, "arr_renewal": "120",
    ...     "renewal_date": "2025-01-01", "churn_date": ""})
    >>> float(nrr({"clients": c})["value"][0])
    1.2
    """
    return _retention(data, "nrr", period, by, as_of, start, end)
