"""compcore: the maths of variable pay plans for Customer Success.

Load a plan, compute payouts, simulate what a plan will cost.

>>> import compcore
>>> plan = compcore.load_plan({"name": "Adoption", "target_incentive": {"amount": 10000},
...     "metrics": [{"id": "adoption_90d", "name": "Adopted within 90 days", "target": 0.9}],
...     "components": [{"id": "adopt", "metric": "adoption_90d", "weight": 1,
...         "curve": {"kind": "linear", "points": [[0.8, 0.5], [1, 1]]}}]})
>>> compcore.payout(plan, {"adoption_90d": 0.72}).total
0.5
"""

from compcore.errors import PlanError
from compcore.io.share import decode_scenario, encode_scenario
from compcore.io.spreadsheet import safe_csv
from compcore.io.store import SavedScenario, ScenarioNotFoundError, ScenarioStore, StoreError
from compcore.plan.describe import describe
from compcore.plan.payout import PayoutResult, actual_for, attainment, payout
from compcore.plan.schema import Plan, dump_plan, load_plan
from compcore.plan.year import YearPay, pay_year
from compcore.report.compare import diff_scenarios
from compcore.report.document import worked_examples
from compcore.report.html import plan_document_html
from compcore.simulation.draws import MetricDraws, draw_metrics
from compcore.simulation.impact import Impact, impact
from compcore.simulation.roster import roster_from_csv, roster_to_csv
from compcore.simulation.scenario import Scenario, dump_scenario, load_scenario
from compcore.simulation.sensitivity import sensitivity
from compcore.simulation.simulate import SimulationResult, price, price_scenario, simulate
from compcore.simulation.solve import Solution, solve
from compcore.simulation.year import YearResult, simulate_year

__all__ = [
    "Impact",
    "MetricDraws",
    "PayoutResult",
    "Plan",
    "PlanError",
    "SavedScenario",
    "Scenario",
    "ScenarioNotFoundError",
    "ScenarioStore",
    "SimulationResult",
    "Solution",
    "StoreError",
    "YearPay",
    "YearResult",
    "actual_for",
    "attainment",
    "decode_scenario",
    "describe",
    "diff_scenarios",
    "draw_metrics",
    "dump_plan",
    "dump_scenario",
    "encode_scenario",
    "impact",
    "load_plan",
    "load_scenario",
    "pay_year",
    "payout",
    "plan_document_html",
    "price",
    "price_scenario",
    "roster_from_csv",
    "roster_to_csv",
    "safe_csv",
    "sensitivity",
    "simulate",
    "simulate_year",
    "solve",
    "worked_examples",
]
