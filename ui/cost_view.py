"""The Cost page's tables, worked out once per priced simulation (``sk``: :func:`ui.simulation_state.sim_key`
and the period) and shared by every session, so a rerun that changed nothing in the numbers rebuilds none of
them. Read-only."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ui import charts
from ui.charts import cache as chart_cache
from ui.state import valid

__all__ = ["breakdown_table", "chances_table", "plans_table"]


def plans_table(sim: Any, sk: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cost by plan with ``team`` = the plan's name and ``expected``, the table shown) of an org."""
    def make() -> tuple[pd.DataFrame, pd.DataFrame]:
        period = valid().period
        by_plan = sim.cost_by_plan
        by_plan = by_plan.assign(team=[sim.plan_names.get(p, p) for p in by_plan["plan"]],
                                 expected=by_plan["expected_cost"])
        return by_plan, pd.DataFrame({
            "Plan": by_plan["team"], "People": by_plan["headcount"],
            f"Target per {period}": [charts.money(x) for x in by_plan["target"]],
            "Expected cost": [charts.money(x) for x in by_plan["expected_cost"]],
            "% of target": [charts.pct(x) for x in by_plan["pct_of_target"]]})
    return chart_cache.memo("cost_plans_table", sk, make)


def chances_table(chances: pd.DataFrame, sk: Any) -> pd.DataFrame:
    """Each team's chance at target, as shown."""
    return chart_cache.memo("cost_chances_table", sk, lambda: pd.DataFrame({
        "Team": chances["team"], "People": chances["headcount"],
        "Reaches target": [charts.pct(x) for x in chances["p_at_or_above_target"]],
        "Earns nothing": [charts.pct(x) for x in chances["p_zero"]],
        "Expected payout": [charts.pct(x) for x in chances["expected_payout"]]}))


def breakdown_table(parts: pd.DataFrame, team: str, sk: Any) -> pd.DataFrame:
    """Which metric holds ``team`` back, per component of its plans, as shown."""
    def make() -> pd.DataFrame:
        scn = valid()
        return pd.DataFrame({
            "Plan": [scn.plans[p].name for p in parts["plan"]], "Component": parts["component"],
            "Metric": parts["name"], "Weight": [charts.pct(x) for x in parts["weight"]],
            "Metric at target": [charts.pct(x) for x in parts["p_metric_at_target"]],
            "Pays on average": [charts.pct(x) for x in parts["expected_share"]],
            "Short of its weight": [charts.pct(x) for x in parts["shortfall"]]})
    return chart_cache.memo("cost_breakdown_table", [sk, team], make)
