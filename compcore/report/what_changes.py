"""What changes for you: a version that replaced another, per team, in the words HR reads to a team.

The two versions are priced on common random numbers (:func:`compcore.simulation.impact.impact`), so
what moves is the change, not noise. Per team: the plan before and after, the expected payout as a share
of target incentive (and its change in points), the expected pay of one person per period, and the
chance of reaching target.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from compcore.report.format import money, pct

__all__ = ["TEAM_CHANGE_COLUMNS", "team_change_lines", "team_changes"]

#: the columns of :func:`team_changes`
TEAM_CHANGE_COLUMNS = ("team", "plan_before", "plan_after", "people_before", "people_after", "expected_before",
                       "expected_after", "change_points", "pay_before", "pay_after", "p_at_target_before",
                       "p_at_target_after")


def _per_team(sim: Any) -> dict[str, dict[str, Any]]:
    """Per team of one simulation: plans (names), people, headcount-weighted payout and chance, pay per person."""
    roles = sim.payout_by_role
    out: dict[str, dict[str, Any]] = {}
    for team, g in roles.groupby("team", sort=False):
        people = float(g["headcount"].sum())
        ids = dict.fromkeys(p for cell in g["plan"] for p in str(cell).split(", "))
        w = g["headcount"].to_numpy(dtype=float)
        out[str(team)] = {
            "plan": ", ".join(sim.plan_names.get(p, p) for p in ids), "people": int(people),
            "expected": float(np.average(g["expected_payout"], weights=w)),
            "p_at_target": float(np.average(g["p_at_or_above_target"], weights=w)),
            "pay": float(g["expected_cost"].sum()) / people}
    return out


def team_changes(imp: Any, teams: Sequence[str] | None = None) -> pd.DataFrame:
    """Per team (after's roster order, then teams only before had): what the change does to its people.

    ``expected_*`` and ``p_at_target_*`` are the team's (its roles weighted by their people),
    ``pay_*`` the expected pay of one person per period (the team's expected cost / its people),
    ``change_points`` = 100 x (expected_after - expected_before). A team on one side only has NaN on
    the other. ``teams`` keeps only those teams (a plan's own document).
    """
    before, after = _per_team(imp.before), _per_team(imp.after)
    nan = math.nan
    rows = []
    for team in dict.fromkeys([*after, *before]):
        if teams is not None and team not in teams:
            continue
        b, a = before.get(team, {}), after.get(team, {})
        eb, ea = b.get("expected", nan), a.get("expected", nan)
        rows.append((team, b.get("plan", ""), a.get("plan", ""), b.get("people", 0), a.get("people", 0), eb, ea,
                     100 * (ea - eb), b.get("pay", nan), a.get("pay", nan), b.get("p_at_target", nan),
                     a.get("p_at_target", nan)))
    return pd.DataFrame(rows, columns=list(TEAM_CHANGE_COLUMNS))


def _signed_points(p: float) -> str:
    if round(p) == 0:
        return "unchanged"
    return f"{'up' if p > 0 else 'down'} {abs(p):.0f} point{'' if round(abs(p)) == 1 else 's'}"


def team_change_lines(table: pd.DataFrame, period: str = "period", currency: str = "") -> list[str]:
    """One sentence per team of :func:`team_changes`.

    >>> t = pd.DataFrame([("PMO", "A", "A", 8, 8, 0.6, 0.72, 12.0, 1500.0, 1800.0, 0.1, 0.3)],
    ...                  columns=list(TEAM_CHANGE_COLUMNS))
    >>> print(team_change_lines(t, "quarter", "$")[0])  # doctest: +NORMALIZE_WHITESPACE
    PMO (8 people): expected payout 72% of target, up 12 points from 60%; a person earns $1,800 a quarter
    on average (was $1,500); reaches target in 30% of quarters (was 10%).
    """
    lines = []
    for r in table.itertuples(index=False):
        n = r.people_after or r.people_before
        who = f"{r.team} ({n} {'person' if n == 1 else 'people'})"
        if math.isnan(r.expected_before):
            lines.append(f"{who}: new, on {r.plan_after}: expected payout {pct(round(r.expected_after, 2))} of "
                         f"target, {money(r.pay_after, currency)} a {period} per person on average.")
            continue
        if math.isnan(r.expected_after):
            lines.append(f"{who}: no longer on any plan (was on {r.plan_before}).")
            continue
        moved = f" Moves from {r.plan_before} to {r.plan_after}." if r.plan_before != r.plan_after else ""
        lines.append(
            f"{who}: expected payout {pct(round(r.expected_after, 2))} of target, "
            f"{_signed_points(r.change_points)} from {pct(round(r.expected_before, 2))}; a person earns "
            f"{money(r.pay_after, currency)} a {period} on average (was {money(r.pay_before, currency)}); "
            f"reaches target in {pct(round(r.p_at_target_after, 2))} of {period}s "
            f"(was {pct(round(r.p_at_target_before, 2))}).{moved}")
    return lines
