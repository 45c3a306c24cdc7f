"""CS metrics computed from a team's own records, with explicit definitions.

Every metric takes a :class:`~compcore.data.records.CSData` (or anything
:func:`load_cs_data` accepts) and returns a tidy DataFrame, one row per period
and team/owner (``by="company"`` gives one row per period), with the columns::

    period, period_start, period_end, complete, <by>, n, numerator, denominator,
    value, excluded, excluded_<reason>...

``n`` is the cohort size (clients counted), ``value = numerator / denominator``
and is NaN (never 0) when nobody is in the cohort. ``complete`` is False while
the period, or a window that starts in it, has not ended by ``as_of``. Rows a
definition excludes are counted per period in ``excluded_<reason>``; rows that
cannot be placed in any period are counted in ``result.attrs["excluded"]``.
Plain-English definitions: ``docs/metrics.md``. Pure pandas/numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from compcore.data.counts import activity_counts, grr, nrr
from compcore.data.fit import fit_assumption, target_from_history
from compcore.data.periods import (
    BY,
    PERIODS,
    DataLike,
    bounds,
    events_frame,
    first_reason,
    groups_of,
    month_index,
    period_end_of,
    prepare,
    tally,
)
from compcore.data.records import ACTIVITY_KINDS, CSData, load_cs_data
from compcore.errors import PlanError

__all__ = [
    "ACTIVITY_KINDS", "BY", "DEFAULT_ADOPTION_RULE", "METRICS", "PERIODS", "AdoptionRule",
    "CSData", "activity_counts", "adoption_within", "compute_metric", "continued_adoption",
    "fit_assumption", "grr", "load_cs_data", "nrr", "on_time_go_live", "target_from_history",
]

@dataclass(frozen=True)
class AdoptionRule:
    """When a client counts as adopted in a week.

    Parameters
    ----------
    min_active_users : int or None
        At least this many active users in the week.
    min_seat_share : float or None
        At least this share (0..1] of its licensed seats active in the week.
    require : {"all", "any"}
        With both thresholds set: both must hold (``all``) or either (``any``).

    Examples
    --------
    >>> rule = AdoptionRule(min_seat_share=0.4)
    >>> rule.met(np.array([3, 4]), np.array([10, 10])).tolist()
    [False, True]
    """

    min_active_users: int | None = None
    min_seat_share: float | None = None
    require: Literal["all", "any"] = "all"

    def __post_init__(self) -> None:
        if self.min_active_users is None and self.min_seat_share is None:
            raise PlanError("adoption rule: set min_active_users and/or min_seat_share")
        if self.min_active_users is not None and self.min_active_users < 1:
            raise PlanError("adoption rule: min_active_users must be >= 1")
        if self.min_seat_share is not None and not 0 < self.min_seat_share <= 1:
            raise PlanError("adoption rule: min_seat_share must be in (0, 1]")
        if self.require not in ("all", "any"):
            raise PlanError("adoption rule: require must be 'all' or 'any'")

    def met(self, active_users: np.ndarray, seats: np.ndarray) -> np.ndarray:
        """Vectorised test of the rule on weekly active users and licensed seats."""
        active = np.asarray(active_users, dtype=float)
        tests = []
        if self.min_active_users is not None:
            tests.append(active >= self.min_active_users)
        if self.min_seat_share is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                share = active / np.asarray(seats, dtype=float)
            tests.append(share >= self.min_seat_share - 1e-9)
        combine = np.logical_and if self.require == "all" else np.logical_or
        return combine.reduce(tests) if len(tests) > 1 else tests[0]

    def describe(self) -> str:
        """``">= 40% of licensed seats active in a week"`` and the like."""
        parts = []
        if self.min_active_users is not None:
            parts.append(f">= {self.min_active_users} active users")
        if self.min_seat_share is not None:
            parts.append(f">= {self.min_seat_share:.0%} of licensed seats active")
        return (" and " if self.require == "all" else " or ").join(parts) + " in a week"


#: the definition used when none is given: 40% of licensed seats active in a week
DEFAULT_ADOPTION_RULE = AdoptionRule(min_seat_share=0.4)


def on_time_go_live(data: DataLike, *, period: str = "quarter", by: str = "team",
                    grace_days: int = 0, as_of: Any = None, start: Any = None,
                    end: Any = None) -> pd.DataFrame:
    """Share of clients due to go live in a period that are live by its end.

    Cohort: clients whose ``planned_go_live`` falls in the period. On time: their
    ``actual_go_live`` is on or before the period's last day + ``grace_days``.
    Excluded: ``churned_before_go_live`` (churned by that deadline without going
    live); clients without a planned date go to ``attrs["excluded"]``.

    Examples
    --------
    3 of 4 clients due in Q2 were live by June 30, so on-time go-live is 75%:

    >>> c = pd.DataFrame({"client_id": list("ABCD"), "owner": "Ann", "team": "PMO",
    ...     "contract_start": "2025-01-06", "licensed_seats": 10, "arr_start": 1000,
    ...     "planned_go_live": ["2025-04-10", "2025-05-01", "2025-06-30", "2025-06-01"],
    ...     "actual_go_live": ["2025-04-08", "2025-06-30", "2025-06-20", "2025-07-15"],
    ...     "arr_renewal": "", "renewal_date": "", "churn_date": ""})
    >>> on_time_go_live({"clients": c})[["period", "team", "numerator", "n", "value"]]
        period team  numerator  n  value
    0  2025-Q2  PMO        3.0  4   0.75
    """
    cs, months, as_of = prepare(data, period, by, as_of)
    c = cs.clients
    m = month_index(c["planned_go_live"], months)
    deadline = pd.Series(period_end_of(m, months)) + pd.Timedelta(days=int(grace_days))
    actual, churn = c["actual_go_live"].reset_index(drop=True), c["churn_date"].reset_index(drop=True)
    live = (actual <= deadline).to_numpy()
    churned_first = (churn.notna() & (churn <= deadline) & ~(actual <= churn)).to_numpy()
    reason = first_reason([(np.isnan(m), "no_planned_go_live"),
                    (churned_first, "churned_before_go_live")], len(c))
    group, groups = groups_of(c, by)
    first, last = bounds(months, start, end, m, cs.window(as_of))
    return tally(events_frame(m, group, reason, live.astype(float)), months=months, by=by,
                 groups=groups, reasons=["churned_before_go_live"], as_of=as_of,
                 lag_days=int(grace_days), first=first, last=last)


def _window_users(usage: pd.DataFrame, clients: pd.DataFrame, rows: np.ndarray, lo: np.ndarray,
                  hi: np.ndarray) -> np.ndarray:
    """Active users summed over the usage weeks starting in ``lo..hi`` of client ``clients.iloc[rows[k]]``, for
    each k (0 without a week). Windows are per period, so each is summed once over the usage rows by client,
    instead of joining the usage to every client-period."""
    client = pd.Index(clients["client_id"]).get_indexer(usage["client_id"])  # -1: not a client
    week = usage["week_start"].to_numpy(dtype="datetime64[ns]")
    users = np.nan_to_num(usage["active_users"].to_numpy(dtype=float))  # a blank is no user, as a group sum
    out = np.zeros(len(rows))
    windows = np.stack([lo.astype("datetime64[ns]").astype(np.int64), hi.astype("datetime64[ns]").astype(np.int64)])
    if not len(rows):
        return out
    pairs, which = np.unique(windows, axis=1, return_inverse=True)
    which = np.asarray(which).reshape(-1)
    for w in range(pairs.shape[1]):
        inside = (week.astype(np.int64) >= pairs[0, w]) & (week.astype(np.int64) <= pairs[1, w]) & (client >= 0)
        sums = np.bincount(client[inside], weights=users[inside], minlength=len(clients))
        mine = which == w
        out[mine] = sums[rows[mine]]
    return out


def _usage_with_clients(cs: CSData) -> pd.DataFrame:
    return cs.memo("usage_with_clients", lambda: _join_usage(cs))  # the same join for every adoption metric


def _join_usage(cs: CSData) -> pd.DataFrame:
    u = cs.require("usage_weekly")
    cols = ["client_id", "actual_go_live", "licensed_seats"]
    return u.merge(cs.clients[cols], on="client_id", how="left")


def adoption_within(data: DataLike, *, days: int = 90,
                    rule: AdoptionRule = DEFAULT_ADOPTION_RULE, period: str = "quarter",
                    by: str = "team", as_of: Any = None, start: Any = None,
                    end: Any = None) -> pd.DataFrame:
    """Share of clients that went live in a period and adopted within ``days``.

    Cohort: clients whose ``actual_go_live`` falls in the period. Adopted: some
    week from the go-live week (``week_start`` within 6 days before go-live or
    later) up to ``week_start <= go-live + days`` meets ``rule``. A week with no
    usage row counts as 0 active users. Excluded: ``window_open`` (go-live +
    ``days`` is after ``as_of``) and ``before_usage_data`` (go-live before the
    first week in the usage file). Clients not live are in ``attrs["excluded"]``.

    Examples
    --------
    >>> c = pd.DataFrame({"client_id": ["A", "B"], "owner": "Ann", "team": "CS",
    ...     "contract_start": "2025-01-06", "planned_go_live": "2025-04-07",
    ...     "actual_go_live": ["2025-04-07", "2025-04-14"], "licensed_seats": 10,
    ...     "arr_start": 1000, "arr_renewal": "", "renewal_date": "", "churn_date": ""})
    >>> u = pd.DataFrame({"client_id": ["A", "B", "A", "B"], "active_users": [0, 0, 5, 2],
    ...     "week_start": ["2025-04-07", "2025-04-14", "2025-05-05", "2025-05-05"]})
    >>> adoption_within({"clients": c, "usage_weekly": u}, days=90, as_of="2025-12-31",
    ...     rule=AdoptionRule(min_seat_share=0.5))[["period", "numerator", "n", "value"]]
        period  numerator  n  value
    0  2025-Q2        1.0  2    0.5
    """
    if days < 0:
        raise PlanError("days: must be >= 0")
    cs, months, as_of = prepare(data, period, by, as_of)
    c = cs.clients.reset_index(drop=True)
    go = c["actual_go_live"]
    u = _usage_with_clients(cs)
    lead = (u["week_start"] - u["actual_go_live"]).dt.days
    in_window = (lead >= -6) & (lead <= days)
    hit = in_window.to_numpy() & rule.met(u["active_users"], u["licensed_seats"])
    adopted = c["client_id"].isin(u.loc[hit, "client_id"]).to_numpy()
    first_week = cs.require("usage_weekly")["week_start"].min()
    m = month_index(go, months)
    reason = first_reason([(np.isnan(m), "not_live"),
                    ((go < first_week - pd.Timedelta(days=6)).to_numpy(), "before_usage_data"),
                    ((go + pd.Timedelta(days=int(days)) > as_of).to_numpy(), "window_open")],
                   len(c))
    group, groups = groups_of(c, by)
    first, last = bounds(months, start, end, m, cs.window(as_of))
    return tally(events_frame(m, group, reason, adopted.astype(float)), months=months, by=by,
                 groups=groups, reasons=["window_open", "before_usage_data"], as_of=as_of,
                 lag_days=int(days), first=first, last=last)


def continued_adoption(data: DataLike, *, rule: AdoptionRule = DEFAULT_ADOPTION_RULE,
                       last_weeks: int = 4, min_days_live: int = 90, period: str = "quarter",
                       by: str = "team", as_of: Any = None, start: Any = None,
                       end: Any = None) -> pd.DataFrame:
    """Share of existing live clients still meeting ``rule`` at the end of a period.

    Population per period: clients under contract during it (``contract_start``
    on or before its end, not churned before its start). Cohort: those live for at
    least ``min_days_live`` days at period end and not churned by then. Met: the
    client's mean weekly active users over the usage-file weeks ending in the
    last ``7 * last_weeks`` days of the period (no row = 0 users) meets ``rule``.
    Excluded: ``churned_in_period``, ``not_live``, ``live_too_recently``,
    ``no_usage_weeks`` (the file has no week in that window).

    Examples
    --------
    >>> c = pd.DataFrame({"client_id": ["A", "B"], "owner": "Ann", "team": "CS",
    ...     "contract_start": "2024-01-01", "planned_go_live": "2024-06-01",
    ...     "actual_go_live": "2024-06-01", "licensed_seats": 10, "arr_start": 1000,
    ...     "arr_renewal": "", "renewal_date": "", "churn_date": ""})
    >>> u = pd.DataFrame({"client_id": ["A", "B"], "week_start": ["2025-03-24", "2025-03-24"],
    ...     "active_users": [6, 1]})
    >>> continued_adoption({"clients": c, "usage_weekly": u}, last_weeks=1,
    ...     rule=AdoptionRule(min_active_users=5))[["period", "numerator", "n", "value"]]
        period  numerator  n  value
    0  2025-Q1        1.0  2    0.5
    """
    if last_weeks < 1 or min_days_live < 0:
        raise PlanError("last_weeks: must be >= 1; min_days_live: must be >= 0")
    cs, months, as_of = prepare(data, period, by, as_of)
    usage = _usage_with_clients(cs)
    weeks = usage["week_start"]
    first, last = bounds(months, start, end, month_index(weeks, months), cs.window(as_of))
    if first is None or last is None:
        first, last = 0.0, -1.0  # nothing to report: an empty table
    c = cs.clients.reset_index(drop=True)
    starts = np.arange(first, last + 1, months)
    pc = pd.DataFrame({"_m": np.repeat(starts, len(c)), "row": np.tile(np.arange(len(c)), starts.size)})
    pc["pend"] = period_end_of(pc["_m"].to_numpy(), months)
    pc["pstart"] = pd.to_datetime((pc["_m"].to_numpy().astype(np.int64)).astype("datetime64[M]"))
    cl = c.iloc[pc["row"].to_numpy()].reset_index(drop=True)
    churn, go = cl["churn_date"], cl["actual_go_live"]
    customer = (cl["contract_start"] <= pc["pend"]) & ~(churn < pc["pstart"])
    pc, cl = pc[customer.to_numpy()].reset_index(drop=True), cl[customer.to_numpy()].reset_index(drop=True)
    churn, go = cl["churn_date"], cl["actual_go_live"]
    # weeks ending (week_start + 6) in the last 7 * last_weeks days of the period
    win_lo = pc["pend"] - pd.Timedelta(days=7 * last_weeks + 5)
    pc["wk_hi"] = pc["pend"] - pd.Timedelta(days=6)
    wk = pd.Series(np.sort(weeks.unique()))
    n_weeks = ((wk.to_numpy()[None, :] >= win_lo.to_numpy()[:, None])
               & (wk.to_numpy()[None, :] <= pc["wk_hi"].to_numpy()[:, None])).sum(axis=1)
    users = _window_users(usage, c, pc["row"].to_numpy(), win_lo.to_numpy(), pc["wk_hi"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        met = rule.met(users / n_weeks, cl["licensed_seats"].to_numpy())
    reason = first_reason([((churn <= pc["pend"]).to_numpy(), "churned_in_period"),
                    (~(go <= pc["pend"]).to_numpy(), "not_live"),
                    ((go > pc["pend"] - pd.Timedelta(days=min_days_live)).to_numpy(),
                     "live_too_recently"),
                    (n_weeks == 0, "no_usage_weeks")], len(cl))
    group, groups = groups_of(c, by)
    group = group[pc["row"].to_numpy()]
    return tally(events_frame(pc["_m"].to_numpy(), group, reason, met.astype(float)), months=months,
                 by=by, groups=groups, reasons=["churned_in_period", "not_live",
                                                "live_too_recently", "no_usage_weeks"],
                 as_of=as_of, first=first, last=last)


#: metric name -> function; the CLI and the app pick definitions from here
METRICS: dict[str, Callable[..., pd.DataFrame]] = {
    "on_time_go_live": on_time_go_live,
    "adoption_within": adoption_within,
    "continued_adoption": continued_adoption,
    "activities": activity_counts,
    "grr": grr,
    "nrr": nrr,
}


def compute_metric(data: DataLike, metric: str, **options: Any) -> pd.DataFrame:
    """Compute a metric by name (a key of :data:`METRICS`) with its keyword options.

    Examples
    --------
    >>> c = pd.DataFrame({"client_id": ["A"], "owner": "Ann", "team": "CS",
    ...     "contract_start": "2024-01-01", "planned_go_live": "", "actual_go_live": "",
    ...     "licensed_seats": 5, "arr_start": 100, "arr_renewal": "90",
    ...     "renewal_date": "2025-01-01", "churn_date": ""})
    >>> compute_metric({"clients": c}, "grr", by="company", period="year")["value"].tolist()
    [0.9]
    """
    if metric not in METRICS:
        raise PlanError(f"metric: unknown {metric!r}; one of {', '.join(METRICS)}")
    return METRICS[metric](data, **options)
