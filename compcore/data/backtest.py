"""Back-test: what a plan would have paid each team in each past period, and what it would have cost.

Inputs are metric histories (the tidy tables of :mod:`compcore.data.metrics`), one per
plan metric, broken down by ``team`` (each team gets its own value) or by
``company`` (every team gets the company's value), at the plan's period. Plan
metrics without a history are held at target, and the result says so. A team
and period without a value for some metric is *reported as missing* (payout and
money NaN, the metric named in ``missing``), never paid as 0; with
``fill_missing="target"`` such values are held at target instead and named in
``filled``. One vectorised :func:`~compcore.plan.payout.payout` call prices every
team and period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from compcore.errors import PlanError
from compcore.plan.payout import attainment, payout
from compcore.plan.schema import Plan, load_plan
from compcore.simulation.roster import RosterRow, roster_rows, row_period_targets

__all__ = ["BacktestResult", "backtest", "period_kind", "team_target_incentive"]

_PERIOD_COLS = ["period", "period_start", "period_end"]


@dataclass(frozen=True)
class BacktestResult:
    """A back-test.

    Attributes
    ----------
    teams : one row per period and roster team: ``period, period_start, period_end,
        complete, team, headcount, target_incentive`` (per period, money),
        ``value_<metric>`` and ``attainment_<metric>`` for every plan metric,
        ``payout`` (fraction of target incentive), ``money``, ``missing`` (metric ids
        without a value, comma-separated; payout and money are NaN then) and
        ``filled`` (metric ids held at target because they were missing).
    cost : one row per period: ``period, period_start, period_end, complete,
        teams_paid, teams_missing, target_cost`` (on-target cost of the whole
        roster), ``cost`` (money of the teams with every value; NaN when none),
        ``missing_target_cost`` (on-target cost of the teams not priced) and
        ``payout`` (cost / on-target cost of the teams priced).
    held : plan metrics with no history, held at target in every period.
    notes : plain-English remarks (held metrics, ignored teams, approximations).
    """

    teams: pd.DataFrame
    cost: pd.DataFrame
    held: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def average_cost(self) -> float | None:
        """Mean cost per complete period with any team priced; None when there is none."""
        cost = self.cost.loc[self.cost["complete"], "cost"].dropna()
        return float(cost.mean()) if len(cost) else None

    @property
    def average_payout(self) -> float | None:
        """Cost over on-target cost of the teams priced, complete periods; None when nothing was priced."""
        done = self.cost[self.cost["complete"]]
        priced_target = float((done["target_cost"] - done["missing_target_cost"]).sum())
        return float(done["cost"].sum()) / priced_target if priced_target > 0 else None


def period_kind(history: pd.DataFrame) -> str:
    """month / quarter / half / year of a history table, from its period lengths."""
    days = (pd.to_datetime(history["period_end"]) - pd.to_datetime(history["period_start"])).dt.days.max()
    for kind, longest in (("month", 31), ("quarter", 92), ("half", 184)):
        if days < longest:
            return kind
    return "year"


def team_target_incentive(plan: Plan, roster: Sequence[RosterRow]) -> pd.DataFrame:
    """Per-period target incentive (money) and headcount of each roster team, in roster order.

    Examples
    --------
    >>> plan = load_plan("sample_data/plans/cs_org_quarterly.json")  # 10% of base, quarterly
    >>> team_target_incentive(plan, [RosterRow(team="PMO", role="PM", headcount=4, base_salary=100_000)])
      team  headcount  target_incentive
    0  PMO          4           10000.0
    """
    rows = pd.DataFrame({
        "team": [r.team for r in roster], "headcount": [r.headcount for r in roster],
        "target_incentive": [r.headcount * t for r, t in zip(roster, row_period_targets(plan, list(roster)),
                                                              strict=True)],
    })
    return rows.groupby("team", sort=False, as_index=False)[["headcount", "target_incentive"]].sum()


def _values(mid: str, history: pd.DataFrame, grid: pd.DataFrame, plan: Plan) -> tuple[np.ndarray, np.ndarray,
                                                                                         list[str]]:
    """(value, complete) of one metric at each grid row (period, team), and notes: NaN and False where the
    history has no row for it."""
    where = f"histories.{mid}"
    need = {"period", "period_start", "period_end", "value"}
    if not need <= set(history.columns):
        raise PlanError(f"{where}: needs columns {', '.join(sorted(need))} (a metric table)")
    if "kind" in history.columns and history["kind"].nunique() > 1:
        raise PlanError(f"{where}: holds several activity kinds; keep one")
    if len(history) and period_kind(history) != plan.period:
        raise PlanError(f"{where}: periods are {period_kind(history)}s but the plan pays every {plan.period}")
    complete = history["complete"].to_numpy().astype(bool) if "complete" in history \
        else np.ones(len(history), dtype=bool)
    value = history["value"].to_numpy().astype(float)
    notes = []
    if "team" in history.columns:
        extra = sorted(set(history["team"]) - set(grid["team"]))
        if extra:
            notes.append(f"{mid}: history teams not on the roster are ignored: {', '.join(map(str, extra))}.")
        if history.duplicated(["period", "team"]).any():
            raise PlanError(f"{where}: more than one row for a period and team")
        keys: list[Any] = list(zip(history["period"].tolist(), history["team"].tolist(), strict=True))
        wanted: list[Any] = list(zip(grid["period"].tolist(), grid["team"].tolist(), strict=True))
    elif "company" in history.columns or "owner" not in history.columns:
        if history.duplicated(["period"]).any():
            raise PlanError(f"{where}: more than one row for a period (expected a company-level table)")
        if plan.metric(mid).scope != "company":
            notes.append(f"{mid}: company-level history: every team gets the company's value.")
        keys, wanted = history["period"].tolist(), grid["period"].tolist()
    else:
        raise PlanError(f"{where}: broken down by owner; back-test per team or company")
    if plan.metric(mid).scope == "individual":
        notes.append(f"{mid} is individual: back-tested at its team's value (per person), the same for everyone.")
    # a lookup by key (the grid and the history are a few dozen rows: a pandas merge cost half a back-test)
    row = {k: i for i, k in enumerate(keys)}
    at = np.array([row.get(k, -1) for k in wanted], dtype=np.intp)
    found = at >= 0
    return (np.where(found, value[at], np.nan) if len(value) else np.full(len(at), np.nan),
            found & complete[at] if len(value) else found, notes)


def backtest(plan: Plan | dict[str, Any] | str, histories: Mapping[str, pd.DataFrame],
             roster: Sequence[RosterRow | Mapping[str, Any]], *,
             fill_missing: Literal["none", "target"] = "none") -> BacktestResult:
    """What ``plan`` would have paid each roster team in each period of ``histories``.

    Parameters
    ----------
    plan : Plan (or anything :func:`~compcore.plan.schema.load_plan` accepts)
    histories : {plan metric id: metric table by ``team`` or ``company``}, at the plan's period
    roster : roster rows (team, role, headcount, base_salary, optional target_incentive)
    fill_missing : ``"none"`` reports a team-period without a value as missing
        (payout NaN); ``"target"`` holds the missing value at target (listed in ``filled``).

    Notes
    -----
    ``money[team, period] = sum_rows(headcount x target incentive per period) x payout(values)``;
    ``cost[period] = sum over teams priced of money``. Periods are the union of the
    histories' periods; a period is ``complete`` when every history has it complete.

    Examples
    --------
    PMO had 3 of 4 go-lives on time: 75% of a 100% target pays nothing under steps from 80%.

    >>> plan = {"schema": "compcore.plan/v1", "name": "PMO", "period": "quarter",
    ...     "target_incentive": {"percent_of_base": 0.1},
    ...     "metrics": [{"id": "go_live", "name": "On-time go-live", "target": 1.0, "scope": "team"}],
    ...     "components": [{"id": "g", "metric": "go_live", "weight": 1.0,
    ...         "curve": {"kind": "steps", "steps": [[0.8, 0.5], [0.9, 0.75], [1.0, 1.0]]}}]}
    >>> h = pd.DataFrame({"period": ["2025-Q2"], "period_start": ["2025-04-01"],
    ...     "period_end": ["2025-06-30"], "complete": [True], "team": ["PMO"], "value": [0.75]})
    >>> r = backtest(plan, {"go_live": h}, [{"team": "PMO", "role": "PM", "headcount": 4,
    ...     "base_salary": 100_000}])
    >>> r.teams[["team", "attainment_go_live", "payout", "money"]].to_dict("records")
    [{'team': 'PMO', 'attainment_go_live': 0.75, 'payout': 0.0, 'money': 0.0}]
    """
    plan = load_plan(plan)
    if fill_missing not in ("none", "target"):
        raise PlanError("fill_missing: must be 'none' or 'target'")
    rows = roster_rows(roster)
    if not rows:
        raise PlanError("roster: needs at least one row")
    unknown = sorted(set(histories) - {m.id for m in plan.metrics})
    if unknown:
        raise PlanError(f"histories: not plan metrics: {', '.join(unknown)}")
    teams = team_target_incentive(plan, rows)
    held = tuple(m.id for m in plan.metrics if m.id not in histories)
    notes = [f"{mid}: no history mapped, held at target ({plan.metric(mid).target:g}) in every period."
             for mid in held]
    frames = [h[_PERIOD_COLS] for h in histories.values() if len(h)]
    periods = (pd.concat(frames).drop_duplicates("period").sort_values("period_start")
               if frames else pd.DataFrame(columns=_PERIOD_COLS))
    periods = periods.assign(period_start=pd.to_datetime(periods["period_start"]),
                             period_end=pd.to_datetime(periods["period_end"])).reset_index(drop=True)
    grid = periods.merge(teams, how="cross")
    n = len(grid)
    complete = np.ones(n, dtype=bool)
    missing = np.full((len(plan.metrics), n), False)
    filled = np.full((len(plan.metrics), n), False)
    actuals: dict[str, np.ndarray] = {}
    for i, m in enumerate(plan.metrics):
        if m.id in held:
            actuals[m.id] = np.full(n, m.target)
            continue
        v, done, more = _values(m.id, histories[m.id], grid, plan)
        notes += more
        complete &= done
        gap = np.isnan(v)
        (filled if fill_missing == "target" else missing)[i] = gap
        actuals[m.id] = np.where(gap, m.target, v)
    res = payout(plan, actuals) if n else None
    any_missing = missing.any(axis=0)
    ids = np.array([m.id for m in plan.metrics], dtype=object)
    # the table built in one go, in its final column order (a column at a time cost a fifth of a back-test)
    data: dict[str, Any] = {"period": grid["period"], "period_start": grid["period_start"],
                            "period_end": grid["period_end"], "complete": complete, "team": grid["team"],
                            "headcount": grid["headcount"], "target_incentive": grid["target_incentive"]}
    for i, m in enumerate(plan.metrics):
        data[f"value_{m.id}"] = np.where(missing[i], np.nan, actuals[m.id])
        data[f"attainment_{m.id}"] = np.where(missing[i], np.nan, attainment(m, actuals[m.id]))
    total = np.asarray(res.total, dtype=float) if res is not None else np.zeros(0)
    data["payout"] = np.where(any_missing, np.nan, total)
    data["money"] = data["payout"] * grid["target_incentive"].to_numpy(dtype=float)
    data["missing"] = [", ".join(ids[col]) for col in missing.T]
    data["filled"] = [", ".join(ids[col]) for col in filled.T]
    out = pd.DataFrame(data, index=grid.index)
    return BacktestResult(teams=out, cost=_cost(out), held=held, notes=tuple(dict.fromkeys(notes)))


def _cost(teams: pd.DataFrame) -> pd.DataFrame:
    # per period in order of first appearance, with bincounts (a pandas named aggregation took 40% of a back-test)
    codes, periods = pd.factorize(teams["period"], sort=False)
    n = len(periods)
    first = np.unique(codes, return_index=True)[1] if n else np.zeros(0, dtype=int)
    priced = teams["payout"].notna().to_numpy()
    target = teams["target_incentive"].to_numpy(dtype=float)
    money = teams["money"].to_numpy(dtype=float)

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=weights, minlength=n).astype(float)
    paid = np.bincount(codes, weights=priced, minlength=n).astype(int)
    has_money = np.bincount(codes, weights=~np.isnan(money), minlength=n) > 0
    cost = np.where(has_money, total(np.nan_to_num(money)), np.nan)  # sum(min_count=1): NaN when nothing is paid
    priced_target = total(np.where(priced, target, 0.0))
    complete = np.bincount(codes, weights=~teams["complete"].to_numpy(dtype=bool), minlength=n) == 0
    g = pd.DataFrame({"period": teams["period"].iloc[first].to_numpy(),
                      "period_start": teams["period_start"].iloc[first].to_numpy(),
                      "period_end": teams["period_end"].iloc[first].to_numpy(),
                      "complete": complete, "teams_paid": paid,
                      "teams_missing": np.bincount(codes, minlength=n).astype(int) - paid,
                      "target_cost": total(target), "cost": cost,
                      "missing_target_cost": total(np.where(priced, 0.0, target))})
    with np.errstate(divide="ignore", invalid="ignore"):
        g["payout"] = np.where(priced_target > 0, cost / priced_target, np.nan)
    return g
