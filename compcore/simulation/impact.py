"""Impact of a change: two scenarios priced on common random numbers, who wins and who loses.

``impact(before, after, trials, seed)`` simulates both with the same seed. Draws are keyed by metric
id (:mod:`compcore.simulation.streams`), so every metric the change does not touch has the very same
numbers on both sides: the difference is the change, not noise. ``cost_change`` is exactly
``simulate(after).cost - simulate(before).cost``; the metrics drawn alike in both are drawn once
(:func:`~compcore.simulation.simulate.simulate_pair`).
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from compcore.simulation.draws import Progress
from compcore.simulation.results import SimulationResult
from compcore.simulation.scenario import Scenario
from compcore.simulation.simulate import simulate_pair

__all__ = ["GROUP_COLUMNS", "PLAN_CHANGE_COLUMNS", "Impact", "impact"]

#: the columns of ``Impact.by_group`` (DESIGN.md "Impact of a change")
GROUP_COLUMNS = ("team", "role", "headcount", "plan_before", "plan_after", "expected_before", "expected_after",
                 "change", "cost_before", "cost_after", "p_at_target_before", "p_at_target_after")
#: the columns of ``Impact.by_plan``
PLAN_CHANGE_COLUMNS = ("plan", "name", "cost_before", "cost_after", "change", "change_p10", "change_p90")


@dataclass(frozen=True, eq=False)
class Impact:
    """Two scenarios on common random numbers (money per plan period).

    Attributes
    ----------
    before, after : the two :class:`SimulationResult` (each exactly ``simulate(scenario, trials, seed)``)
    cost_change : ``(trials,)`` after's cost - before's cost, trial by trial
    by_group : one row per roster (team, role) with people in either scenario: ``team, role, headcount,
        plan_before, plan_after, expected_before, expected_after`` (mean payout as a fraction of target
        incentive), ``change`` (after - before), ``cost_before, cost_after`` (expected money per
        period), ``p_at_target_before, p_at_target_after``; NaN on a side without the group (its
        plan too). ``headcount`` is after's (before's for a group only before has).
    by_plan : one row per plan id of either: ``plan, name, cost_before, cost_after, change, change_p10,
        change_p90`` (P10 / P90 of that plan's after - before cost over the trials)
    """

    before: SimulationResult
    after: SimulationResult
    cost_change: np.ndarray
    by_group: pd.DataFrame
    by_plan: pd.DataFrame

    @property
    def expected_change(self) -> float:
        """Mean of ``cost_change``: after's expected cost - before's."""
        return float(self.cost_change.mean())

    def quantile(self, q: float | list[float]) -> Any:
        """``np.quantile(cost_change, q)``: e.g. ``quantile([0.1, 0.9])`` is the P10 / P90 of the change."""
        return np.quantile(self.cost_change, q)


def by_group(before: SimulationResult, after: SimulationResult) -> pd.DataFrame:
    """The ``by_group`` table of two simulations (groups in before's roster order, then after's new ones)."""
    def rows(sim: SimulationResult) -> dict[tuple[str, str], dict[str, Any]]:
        return {(r["team"], r["role"]): r for r in sim.payout_by_role.to_dict("records")}

    b, a = rows(before), rows(after)
    nan = float("nan")
    out = []
    for key in dict.fromkeys([*b, *a]):
        x, y = b.get(key), a.get(key)
        eb = x["expected_payout"] if x else nan
        ea = y["expected_payout"] if y else nan
        out.append((*key, int((y or x)["headcount"]),  # type: ignore[index]
                    x["plan"] if x else nan, y["plan"] if y else nan, eb, ea, ea - eb,
                    x["expected_cost"] if x else nan, y["expected_cost"] if y else nan,
                    x["p_at_or_above_target"] if x else nan, y["p_at_or_above_target"] if y else nan))
    return pd.DataFrame(out, columns=list(GROUP_COLUMNS))


def by_plan(before: SimulationResult, after: SimulationResult) -> pd.DataFrame:
    """The ``by_plan`` table: each plan id of either scenario, its expected cost before and after and the
    P10 / P90 of its change (a plan absent on one side costs 0 there)."""
    zeros = np.zeros(before.trials)
    rows = []
    for pid in dict.fromkeys([*before.plan_costs, *after.plan_costs]):
        cb, ca = before.plan_costs.get(pid, zeros), after.plan_costs.get(pid, zeros)
        diff = ca - cb
        p10, p90 = np.quantile(diff, [0.1, 0.9])
        name = after.plan_names.get(pid) or before.plan_names.get(pid, pid)
        rows.append((pid, name, float(cb.mean()), float(ca.mean()), float(diff.mean()), float(p10), float(p90)))
    return pd.DataFrame(rows, columns=list(PLAN_CHANGE_COLUMNS))


def impact(before: Scenario | dict[str, Any] | str, after: Scenario | dict[str, Any] | str,
           trials: int = 10_000, seed: int | None = 0, executor: Executor | None = None,
           progress: Progress | None = None) -> Impact:
    """Who wins and who loses from a change: two scenarios simulated on common random numbers.

    Parameters
    ----------
    before, after : Scenario (or anything :func:`~compcore.simulation.scenario.load_scenario` accepts)
    trials : periods to simulate
    seed : the seed of both simulations (same seed, same draws for every metric the change leaves alone)
    executor, progress : as for :func:`~compcore.simulation.simulate.simulate`

    Returns
    -------
    Impact
        ``cost_change`` (trials,), ``by_group`` (per team and role), ``by_plan``, ``before``, ``after``.

    Notes
    -----
    ``cost_change[t] = cost_after[t] - cost_before[t]``, each exactly what ``simulate`` gives with the
    same ``trials`` and ``seed``. A group's ``expected_*`` is its mean payout as a fraction of target
    incentive over its people and trials; ``change = expected_after - expected_before``.

    Examples
    --------
    >>> import json
    >>> before = json.load(open("sample_data/scenarios/cs_org_teams.json"))
    >>> after = json.loads(json.dumps(before))
    >>> after["plans"]["pmo"]["target_incentive"] = {"percent_of_base": 0.2}   # the PMO's 10% of base doubled
    >>> after["roster"][0]["target_incentive"] = {"amount": 24000.0}           # and its lead's 12,000
    >>> imp = impact(before, after, trials=2_000, seed=0)
    >>> bool((imp.after.plan_costs["pmo"] == 2 * imp.before.plan_costs["pmo"]).all())
    True
    >>> float(imp.by_group["change"].abs().max())   # the same payout fractions on a doubled target
    0.0
    """
    b, a = simulate_pair(before, after, trials, seed, executor, progress)
    return Impact(b, a, a.cost - b.cost, by_group(b, a), by_plan(b, a))
