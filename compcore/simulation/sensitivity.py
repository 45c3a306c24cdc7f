"""Sensitivity ranking: which metric's uncertainty drives the cost variance.

Re-prices cached draws (no new randomness), one metric at a time:

- ``variance_share``: freeze the metric at its median (every unit, every trial)
  and re-price; the share of the cost variance that disappears,
  ``(Var(cost) - Var(cost | metric frozen)) / Var(cost)``, clipped to [0, 1].
  Shares need not sum to 1: metrics interact through gates and caps, and a
  correlated metric's effect is partly shared with its partners.
- ``cost_at_p10`` / ``cost_at_p90``: expected cost per period when the metric
  sits at its own P10 / P90 for everyone, the others still random: the two
  ends of a tornado bar.

In an org the cost is every plan's together, and a metric shared by several plans is frozen
in all of them at once (it is one measured quantity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from compcore.errors import PlanError
from compcore.plan.schema import Metric, Plan, load_plan
from compcore.simulation.draws import MetricDraws
from compcore.simulation.org import SINGLE_PLAN_ID, is_single, org_problems, shared_metrics
from compcore.simulation.pricing import PlanContexts, held_costs, plan_contexts
from compcore.simulation.roster import RosterRow, roster_rows

__all__ = ["rank_metrics", "sensitivity"]


def sensitivity(plan: Plan | dict[str, Any] | str | Mapping[str, Any], draws: MetricDraws,
                roster: Sequence[RosterRow | dict[str, Any]], max_trials: int = 20_000) -> pd.DataFrame:
    """Rank the plans' metrics by the share of cost variance their uncertainty explains.

    Parameters
    ----------
    plan, draws, roster : as for :func:`compcore.simulation.simulate.price` (one plan, or an
        org's ``{plan id: plan}`` with every roster row naming its plan)
    max_trials : re-price at most the first this many trials (3 re-pricings per metric)

    Returns
    -------
    DataFrame, one row per metric, sorted by ``variance_share`` (then swing) descending:
    ``metric, name, scope, variance_share, cost_at_p10, cost_at_p90, swing, value_p10,
    value_p50, value_p90``. ``attrs["expected"]`` holds the expected cost of the trials used.

    Notes
    -----
    ``variance_share_m = max(0, 1 - Var(cost | m = median_m) / Var(cost))``;
    0 for every metric when the cost does not vary.
    """
    rows = roster_rows(roster)
    if isinstance(plan, Mapping) and plan and not {"metrics", "components"} & set(plan):
        plans, single = {str(k): load_plan(v) for k, v in plan.items()}, False
    else:
        plans, single = {SINGLE_PLAN_ID: load_plan(plan)}, True  # type: ignore[arg-type]
    single = single or is_single(plans, rows)
    problems = org_problems(plans, rows, single)
    if problems:
        raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    ctxs = plan_contexts(plans, rows, draws.team_index, len(draws.teams))
    return rank_metrics(ctxs, list(shared_metrics(plans).values()), draws, max_trials)


def rank_metrics(ctxs: PlanContexts, metrics: Sequence[Metric], draws: MetricDraws, max_trials: int) -> pd.DataFrame:
    """The sensitivity table of :func:`sensitivity` for priced contexts (one per plan)."""
    draws = draws.head(max_trials)
    quantiles = {m.id: [float(x) for x in np.quantile(draws.values[m.id], [0.10, 0.50, 0.90])] for m in metrics}
    # every re-pricing at once, chunk by chunk: the curves are evaluated once per slice and
    # recombined with each metric held at its P50, P10 and P90 (rows 1.. of held_costs)
    held = [(m.id, q) for m in metrics for q in (quantiles[m.id][1], quantiles[m.id][0], quantiles[m.id][2])]
    costs = np.concatenate([held_costs(ctxs, vals, held) for _, vals in draws.chunks()], axis=1)
    base = costs[0]
    var = float(base.var())
    out = []
    for i, m in enumerate(metrics):
        p10, p50, p90 = quantiles[m.id]
        frozen_var = float(costs[1 + 3 * i].var())
        lo, hi = float(costs[2 + 3 * i].mean()), float(costs[3 + 3 * i].mean())
        share = min(1.0, max(0.0, 1.0 - frozen_var / var)) if var > 0 else 0.0
        out.append({"metric": m.id, "name": m.name, "scope": m.scope, "variance_share": share,
                    "cost_at_p10": lo, "cost_at_p90": hi, "swing": abs(hi - lo),
                    "value_p10": p10, "value_p50": p50, "value_p90": p90})
    df = pd.DataFrame(out).sort_values(["variance_share", "swing"], ascending=False, ignore_index=True)
    df.attrs["expected"] = float(base.mean())
    return df
