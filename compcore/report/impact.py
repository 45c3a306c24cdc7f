"""Who wins, who loses: the words and the table of an :class:`~compcore.simulation.impact.Impact`.

Shared by the app's Scenarios page and ``python -m compcore compare``: one table, sorted so that
the biggest losers come first, and plain sentences on top.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from compcore.report.format import money
from compcore.simulation.impact import Impact

__all__ = ["WHO_COLUMNS", "cost_sentence", "plan_table", "who_sentence", "who_table"]

#: the columns of :func:`who_table`
WHO_COLUMNS = ("team", "role", "people", "plan_before", "plan_after", "expected_before", "expected_after",
               "change_points", "p_at_target_before", "p_at_target_after", "cost_before", "cost_after", "cost_change")
#: a change smaller than this (points of target) is "no change" in the sentences
NOTABLE_POINTS = 0.5


def _plan_name(imp: Impact, pid: Any) -> str:
    if not isinstance(pid, str):
        return ""  # the group is not on this side
    names = {**imp.before.plan_names, **imp.after.plan_names}
    return ", ".join(names.get(p, p) for p in pid.split(", "))


def who_table(imp: Impact) -> pd.DataFrame:
    """Per team and role, biggest losers first: plans (names) before and after, expected payout before and
    after (fraction of target incentive), the change in points of target, the chance at target before and
    after, and the expected cost per period before, after and its change. A group on one side only comes
    last, with NaN on the other side.

    >>> from compcore.simulation.impact import impact
    >>> imp = impact("sample_data/scenarios/cs_org_teams.json", "sample_data/scenarios/cs_org_teams.json", 200)
    >>> t = who_table(imp)
    >>> t["change_points"].tolist() == [0.0] * 8, list(t["team"])[:2]
    (True, ['PMO', 'PMO'])
    """
    g = imp.by_group
    out = pd.DataFrame({
        "team": g["team"], "role": g["role"], "people": g["headcount"],
        "plan_before": [_plan_name(imp, p) for p in g["plan_before"]],
        "plan_after": [_plan_name(imp, p) for p in g["plan_after"]],
        "expected_before": g["expected_before"], "expected_after": g["expected_after"],
        "change_points": 100 * g["change"],
        "p_at_target_before": g["p_at_target_before"], "p_at_target_after": g["p_at_target_after"],
        "cost_before": g["cost_before"], "cost_after": g["cost_after"],
        "cost_change": g["cost_after"].fillna(0.0) - g["cost_before"].fillna(0.0),
    })
    # losers first; ties keep roster order (a stable sort); groups on one side only last
    out = out.sort_values("change_points", kind="stable", na_position="last")
    return out.reset_index(drop=True)[list(WHO_COLUMNS)]


def plan_table(imp: Impact) -> pd.DataFrame:
    """Per plan: ``plan`` (name), expected cost per period before and after, the change and its P10 / P90."""
    p = imp.by_plan
    return pd.DataFrame({"plan": p["name"], "cost_before": p["cost_before"], "cost_after": p["cost_after"],
                         "change": p["change"], "change_p10": p["change_p10"], "change_p90": p["change_p90"]})


def _points(p: float) -> str:
    return f"{abs(p):.0f} point{'' if abs(p) == 1 else 's'}"


def _who(team: str, roles: list[str], all_roles: int) -> str:
    return team if len(roles) == all_roles else f"{' and '.join(roles)} ({team})"


def _names(moves: dict[tuple[str, float], list[str]], points: float, roles_of: dict[str, list[str]]) -> str:
    """Everyone who moves by exactly ``points`` (ties named together, in roster order)."""
    who = [_who(team, roles, len(roles_of[team])) for (team, p), roles in moves.items() if p == points]
    return who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]


def _verb(verb: str, moves: dict[tuple[str, float], list[str]], points: float) -> str:
    many = sum(p == points for _, p in moves) > 1
    return verb if many else verb + "s"


def who_sentence(imp: Impact) -> str:
    """One plain sentence: who loses most and who gains most, in points of target on average.

    A team is named alone when all its roles move alike (to the point); otherwise its roles are.

    >>> from compcore.simulation.impact import impact
    >>> imp = impact("sample_data/scenarios/cs_org_teams.json", "sample_data/scenarios/cs_org_teams.json", 200)
    >>> who_sentence(imp)
    "Nobody's expected payout moves by half a point of target or more."
    """
    g = imp.by_group.dropna(subset=["change"])
    roles_of = g.groupby("team", sort=False)["role"].apply(list).to_dict()
    points = (100 * g["change"]).round().to_numpy()
    moves: dict[tuple[str, float], list[str]] = {}
    for team, role, p, raw in zip(g["team"], g["role"], points, 100 * g["change"], strict=True):
        if abs(raw) >= NOTABLE_POINTS:
            moves.setdefault((team, float(p)), []).append(role)
    if not moves:
        return "Nobody's expected payout moves by half a point of target or more."
    lo, hi = min(p for _, p in moves), max(p for _, p in moves)
    parts = []
    if lo < 0:
        parts.append(f"{_names(moves, lo, roles_of)} {_verb('lose', moves, lo)} {_points(lo)} of target on average")
    if hi > 0:
        parts.append(f"{_names(moves, hi, roles_of)} {_verb('gain', moves, hi)} {_points(hi)}"
                     + ("" if parts else " of target on average"))
    if not parts:  # every notable move rounds to 0 points: say so rather than "loses 0"
        return "Nobody's expected payout moves by a full point of target."
    out = "; ".join(parts) + "."
    gone = imp.by_group[imp.by_group["expected_after"].isna()]
    new = imp.by_group[imp.by_group["expected_before"].isna()]
    if len(gone):
        out += f" Only before: {', '.join(f'{r.role} ({r.team})' for r in gone.itertuples())}."
    if len(new):
        out += f" New: {', '.join(f'{r.role} ({r.team})' for r in new.itertuples())}."
    return out


def cost_sentence(imp: Impact, period: str = "period", currency: str = "$") -> str:
    """The cost change in words: expected, and its P10 / P90 over the trials (the change is a distribution too).

    >>> from compcore.simulation.impact import impact
    >>> imp = impact("sample_data/scenarios/cs_org_teams.json", "sample_data/scenarios/cs_org_teams.json", 200)
    >>> cost_sentence(imp, "quarter")
    'The cost does not change in any simulated quarter.'
    """
    change = imp.cost_change
    if not np.any(change):
        return f"The cost does not change in any simulated {period}."
    mean = float(change.mean())
    p10, p90 = (float(x) for x in np.quantile(change, [0.1, 0.9]))
    way = "more" if mean >= 0 else "less"

    def cur(x: float) -> str:
        if math.isclose(x, 0, abs_tol=0.5):
            return money(0, currency)
        return f"{'-' if x < 0 else '+'}{money(abs(x), currency)}"

    return (f"The change costs {money(abs(mean), currency)} {way} per {period} on average "
            f"(P10 {cur(p10)}, P90 {cur(p90)}).")
