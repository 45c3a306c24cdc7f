"""How you are paid over the year: a plan's schedule in words and a worked year, for the plan document.

The worked year is :func:`compcore.plan.year.year_table` of the example year
(:func:`compcore.plan.year.example_year`: a slow first period, a strong second, on target, just short),
each value kept to what its metric can take (a share at most 100%), priced for one person.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from compcore.plan.schedule import schedule_sentences
from compcore.plan.schema import Plan
from compcore.plan.units import unit_kind
from compcore.plan.year import example_year, year_table
from compcore.report.words import metric_value
from compcore.simulation.calendar import period_labels

__all__ = ["WORKED_YEAR_COLUMNS", "has_year", "possible_year", "worked_year", "year_sentences", "year_total"]

#: the columns of :func:`worked_year` besides one per metric (its value that period, in words)
WORKED_YEAR_COLUMNS = ("when", "measured", "paid_fraction", "paid")


def possible_year(plan: Plan) -> list[dict[str, float]]:
    """The example year's actuals with every value kept within what its metric can take (a share <= 100%).

    >>> from compcore.plan.schema import load_plan
    >>> plan = load_plan({"name": "x", "period": "quarter", "target_incentive": {"amount": 1}, "metrics": [
    ...     {"id": "go", "name": "Go-lives", "unit": "share of go-lives", "target": 1.0}], "components": [
    ...     {"id": "c", "metric": "go", "weight": 1, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    >>> [a["go"] for a in possible_year(plan)]  # 110% of a 100% target cannot happen: 100%
    [0.8, 1.0, 1.0, 0.9]
    """
    top = {m.id: 1.0 if unit_kind(m.unit) == "share" else np.inf for m in plan.metrics}
    return [{mid: float(min(max(v, 0.0), top[mid])) for mid, v in period.items()} for period in example_year(plan)]


def worked_year(plan: Plan, base_salary: float) -> pd.DataFrame:
    """One person's year: each period's results, what was measured and paid, then the year end.

    Columns: ``when`` (Q1.. and "Year end"), one per metric name (its value that period in words; empty at
    the year end), ``measured`` (the payout fraction measured at that period end: the period's own, or the
    year to date's), ``paid_fraction`` (paid then, in one period's target incentive; the year end row: the
    settlement), ``paid`` (money, for ``base_salary``).
    """
    actuals = possible_year(plan)
    table = year_table(plan, actuals, labels=period_labels(plan.period))
    target = float(plan.period_target_incentive(base_salary))
    out = pd.DataFrame({"when": table["when"]})
    for m in plan.metrics:
        out[m.name] = [metric_value(a[m.id], m.unit) for a in actuals] + [""]
    out["measured"] = table["fraction"].to_numpy()
    out["paid_fraction"] = table["paid"].to_numpy()
    out["paid"] = target * table["paid"].to_numpy()
    return out


def year_sentences(plan: Plan) -> list[str]:
    """The plan's schedule in words, with its own period ('quarter', not 'period').

    >>> from compcore.plan.schema import load_plan
    >>> plan = load_plan({"name": "x", "period": "quarter", "target_incentive": {"amount": 1}, "metrics": [
    ...     {"id": "a", "name": "A", "target": 1}], "components": [{"id": "c", "metric": "a", "weight": 1,
    ...     "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    >>> year_sentences(plan)[0]
    'Each quarter is measured on its own: a missed quarter is not made up later.'
    """
    out = [s.replace("periods", f"{plan.period}s").replace("period", plan.period)
           for s in schedule_sentences(plan.schedule)]
    if plan.schedule.holdback == 0 and plan.schedule.year_end == "none":  # "pays only the money held back": none
        out[-1] = f"Nothing is held back: each {plan.period} pays in full, and the year end pays nothing more."
    return out


def has_year(plan: Plan) -> bool:
    """True when a plan is paid more than once a year (a yearly plan's year is its worked examples)."""
    return plan.periods_per_year > 1


def year_total(table: pd.DataFrame) -> tuple[float, float]:
    """(money, periods' targets) paid over the worked year, the year end included."""
    return float(np.nansum(table["paid"])), float(np.nansum(table["paid_fraction"]))

