"""Who wins, who loses on history: two scenarios back-tested on the same CS records, per team and period.

Each scenario's plans are back-tested (:func:`compcore.data.backtest.backtest`) over the people on
them, on the metric histories of the records: the same history of a metric id serves both
scenarios (metrics are shared by id), measured with one mapping of plan metrics to definitions (a
first guess from the metric's id and name, :func:`~compcore.data.targets.suggest_mapping`, overridden
by the caller's). A team's payout in a period is its money / its on-target money (every plan its
people are on); a team-period with a missing value is NaN on that side, never 0.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from compcore.data.backtest import backtest
from compcore.data.records import CSData
from compcore.data.targets import metric_history, suggest_mapping
from compcore.simulation.scenario import Scenario, load_scenario

__all__ = ["HISTORY_COLUMNS", "backtest_scenario", "history_impact", "history_sentence"]

#: the columns of :func:`history_impact`
HISTORY_COLUMNS = ("period", "period_start", "team", "payout_before", "payout_after", "change_points",
                   "money_before", "money_after", "money_change")


def _histories(data: CSData, mapping: Mapping[str, Mapping[str, Any]], scn: Scenario,
               memo: dict[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
    """Per plan id: {metric id: its history at the plan's period}, each (definition, period, breakdown) once."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for pid, plan in scn.plans.items():
        wanted = {**suggest_mapping(plan), **{k: v for k, v in mapping.items() if any(m.id == k for m in plan.metrics)}}
        out[pid] = {}
        for mid, spec in wanted.items():
            by = "company" if plan.metric(mid).scope == "company" else "team"
            key = json.dumps([spec, plan.period, by], sort_keys=True)
            if key not in memo:
                memo[key] = metric_history(data, spec, period=plan.period, by=by)
            out[pid][mid] = memo[key]
    return out


def backtest_scenario(scn: Scenario | dict[str, Any] | str, data: CSData,
                      mapping: Mapping[str, Mapping[str, Any]] | None = None,
                      memo: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Per period and team: ``period, period_start, team, target_incentive, money, payout`` of every plan.

    ``memo`` shares metric histories between calls (two scenarios on the same records).
    """
    scn = load_scenario(scn)
    hist = _histories(data, mapping or {}, scn, {} if memo is None else memo)
    frames = []
    for pid, plan in scn.plans.items():
        rows = [scn.roster[i].model_copy(update={"plan": None}) for i in scn.plan_rows.get(pid, [])]
        if sum(r.headcount for r in rows) == 0:
            continue  # a draft plan: nobody to pay
        t = backtest(plan, hist[pid], rows).teams
        frames.append(t[["period", "period_start", "team", "target_incentive", "money"]])
    if not frames:
        return pd.DataFrame(columns=["period", "period_start", "team", "target_incentive", "money", "payout"])
    teams = pd.concat(frames, ignore_index=True)
    # a team with a missing value on any of its plans is missing (NaN), never paid 0
    g = teams.groupby(["period", "period_start", "team"], sort=False)
    out = g.agg(target_incentive=("target_incentive", "sum"),
                money=("money", lambda s: s.sum() if s.notna().all() else np.nan)).reset_index()
    out["payout"] = out["money"] / out["target_incentive"]
    return out.sort_values(["period_start", "team"], kind="stable").reset_index(drop=True)


def history_impact(before: Scenario | dict[str, Any] | str, after: Scenario | dict[str, Any] | str,
                   data: CSData, mapping: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """Both scenarios back-tested on the same records, per period and team, with the difference.

    Columns :data:`HISTORY_COLUMNS`: payout as a fraction of target incentive, ``change_points`` in
    points of target, money per period. A team on one side only (or missing a value) has NaN there.
    """
    memo: dict[str, pd.DataFrame] = {}
    b = backtest_scenario(before, data, mapping, memo)
    a = backtest_scenario(after, data, mapping, memo)
    m = b.merge(a, on=["period", "period_start", "team"], how="outer", suffixes=("_before", "_after"), sort=False)
    m = m.sort_values(["period_start"], kind="stable").reset_index(drop=True)
    return pd.DataFrame({
        "period": m["period"], "period_start": m["period_start"], "team": m["team"],
        "payout_before": m["payout_before"], "payout_after": m["payout_after"],
        "change_points": 100 * (m["payout_after"] - m["payout_before"]),
        "money_before": m["money_before"], "money_after": m["money_after"],
        "money_change": m["money_after"] - m["money_before"],
    })[list(HISTORY_COLUMNS)]


def history_sentence(table: pd.DataFrame) -> str:
    """One sentence: per team, the average change in points of target over the periods both sides priced.

    >>> t = pd.DataFrame({"team": ["PMO", "PMO", "CS"], "change_points": [4.0, 6.0, -12.0],
    ...                   "period": ["2025-Q1", "2025-Q2", "2025-Q1"]})
    >>> history_sentence(t)
    'On the records (2 periods), CS would have earned 12 points of target less on average; PMO 5 points more.'
    """
    known = table.dropna(subset=["change_points"])
    if known.empty:
        return "No period of the records could be priced under both scenarios."
    avg = known.groupby("team", sort=False)["change_points"].mean().round()
    periods = known["period"].nunique()
    where = f"On the records ({periods} period{'s' if periods != 1 else ''})"
    if (avg.abs() < 1).all():
        return f"{where}, no team's payout would have moved by a point of target or more on average."
    lo, hi = avg.min(), avg.max()
    parts = []
    if lo <= -1:
        who = " and ".join(avg.index[avg == lo])
        parts.append(f"{who} would have earned {abs(lo):.0f} point{'s' if abs(lo) != 1 else ''} of target less "
                     "on average")
    if hi >= 1:
        who = " and ".join(avg.index[avg == hi])
        more = f"{who} {hi:.0f} point{'s' if hi != 1 else ''} more" if parts else \
            f"{who} would have earned {hi:.0f} point{'s' if hi != 1 else ''} of target more on average"
        parts.append(more)
    return f"{where}, " + "; ".join(parts) + "."
