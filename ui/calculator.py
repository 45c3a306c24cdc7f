"""The Payout curves page's "What would someone earn?": a salary per plan, and the result table.

The salary starts at the salary of the median person on the plan shown
(:func:`compcore.simulation.roster.typical_salary`), not at one number for
every plan; a salary typed for one plan is kept for that plan (stored by plan
id, the widget's key names the plan), so switching plans never carries it over.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from compcore.simulation.roster import typical_salary
from ui.charts import money, pct
from ui.plan_editing import actual_texts
from ui.state import bind, ui, valid

#: the salary when nobody is on the plan yet nor on the roster
FALLBACK_SALARY = 100_000.0


def default_salary(plan_id: str) -> float:
    """The salary of the median person on ``plan_id`` (the whole roster's when nobody is on it yet)."""
    scn = valid()
    on_plan = typical_salary(scn.roster, plan_id) if scn.is_org else None
    return on_plan or typical_salary(scn.roster) or FALLBACK_SALARY


def _salary_or(default: float) -> Any:
    def read(v: Any) -> float:
        ok = isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
        return float(v) if ok else default
    return read


def salary_binding(plan_id: str) -> dict[str, Any]:
    """Kwargs of the "Base salary a year" input of ``plan_id`` (a key and a stored value per plan)."""
    return bind(f"calc_salary_{plan_id}", ("ui", "calc_salary", plan_id),
                to_widget=_salary_or(default_salary(plan_id)))


def salary(plan_id: str) -> float:
    """The salary the calculator uses for ``plan_id``: the one typed for it, else the plan's median person's."""
    stored = ui("calc_salary")
    value = stored.get(plan_id) if isinstance(stored, dict) else None
    return _salary_or(default_salary(plan_id))(value)


def earnings_table(plan: Any, earnings: Any) -> pd.DataFrame:
    """The calculator's table, what a person reads first on the left: what each component pays (% and money),
    then why (weight, attainment, the actual, the metric), so a phone shows the payout without scrolling."""
    rows = earnings.rows
    return pd.DataFrame({
        "Component": rows["component"], "Payout": rows["payout"].map(lambda v: pct(v, 1)),
        "Money": rows["money"].map(money), "Weight": rows["weight"].map(pct),
        "Attainment": rows["attainment"].map(lambda v: pct(v, 1)),
        "Actual": actual_texts(plan, rows["actual"]), "Metric": rows["metric"],
    })
