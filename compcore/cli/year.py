"""``python -m compcore simulate SCENARIO.json --year``: the plan year on the command line.

Prints what a year costs (expected, P10/P50/P90/P95, the chance it goes over the annual budget),
the cash paid at each period end and at the year end (expected and P10-P90), each plan's year and
the fairness table per person-year. ``--json`` prints the same as JSON; ``--csv out.csv`` writes
each simulated year's payments (one column per period and the year end).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from compcore.cli.tables import fairness_lines, pct, plan_cost_lines
from compcore.io.spreadsheet import safe_rows_csv
from compcore.plan.schedule import schedule_sentences
from compcore.report.format import money
from compcore.simulation.draws import Progress
from compcore.simulation.scenario import Scenario
from compcore.simulation.year import YearResult, simulate_year

__all__ = ["print_year", "run_year", "year_report"]


def year_report(yr: YearResult, scn: Scenario) -> dict[str, Any]:
    """The year's summary as a JSON-ready dict (money per year, or paid at each period end)."""
    return {
        "scenario": scn.name, "trials": yr.trials, "seed": yr.seed, "periods_per_year": yr.periods_per_year,
        "year_start": None if scn.year_start is None else scn.year_start.isoformat(),
        "annual_target": yr.annual_target, "expected": yr.expected, "std": yr.std, "percentiles": yr.percentiles,
        "budget": yr.budget, "p_over_budget": yr.p_over_budget,
        "by_period": yr.by_period.to_dict(orient="records"),
        "by_plan": yr.cost_by_plan.to_dict(orient="records"),
        "fairness": yr.fairness.to_dict(orient="records"),
        "schedules": {pid: schedule_sentences(p.schedule) for pid, p in scn.plans.items()},
    }


def print_year(yr: YearResult, scn: Scenario, currency: str = "$") -> None:
    """The printed summary: the year, cash by period, each plan's year, fairness per person-year."""
    def cur(x: float) -> str:
        return money(x, currency)

    start = f" from {scn.year_start.isoformat()}" if scn.year_start is not None else ""
    print(f"{scn.name}: {yr.trials:,} simulated years of {yr.periods_per_year} {scn.period}s{start} (seed {yr.seed})")
    print(f"  target incentive for the year: {cur(yr.annual_target)} (everyone, for the time employed)")
    share = f" ({pct(yr.expected / yr.annual_target)} of target)" if yr.annual_target > 0 else ""
    print(f"  expected cost of the year:     {cur(yr.expected)}{share}")
    print("  " + "   ".join(f"{k} {cur(v)}" for k, v in yr.percentiles.items()))
    if yr.budget is not None and yr.p_over_budget is not None:
        print(f"  annual budget {cur(yr.budget)}: P(the year goes over) = {pct(yr.p_over_budget)}")
    else:
        print("  no budget in the scenario: P(over budget) not computed")
    print()
    print(f"{'paid at':<12}{'expected':>14}{'P10':>14}{'P90':>14}")
    for r in yr.by_period.itertuples(index=False):
        print(f"{r.when:<12}{cur(r.expected):>14}{cur(r.p10):>14}{cur(r.p90):>14}")
    print()
    print("\n".join(plan_cost_lines(yr.cost_by_plan, yr.plan_names, cur, year_end=True)))
    for pid, plan in scn.plans.items():
        if not plan.schedule.is_default:
            print(f"  {pid}: " + " ".join(schedule_sentences(plan.schedule)))
    print()
    print("fairness per person-year: paid at least 100% of target for the time employed, paid nothing, "
          "expected payout, P10-P90")
    print("\n".join(fairness_lines(yr.fairness)))


def _write_csv(yr: YearResult, path: str) -> None:
    rows: list[list[Any]] = [["year", *yr.when, "total"]]
    rows += [[i, *(f"{x:.2f}" for x in row), f"{c:.2f}"] for i, (row, c) in enumerate(zip(yr.paid, yr.cost,
                                                                                             strict=True))]
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(safe_rows_csv(rows))


def run_year(args: argparse.Namespace, scn: Scenario, progress: Progress | None = None) -> None:
    """``simulate --year``: simulate and print (or ``--json``), and write ``--csv`` when asked (``progress``: a
    callback with the share done, for a long run)."""
    yr = simulate_year(scn, trials=args.trials, seed=args.seed, progress=progress)
    if args.json:
        print(json.dumps(year_report(yr, scn), indent=2))
    else:
        print_year(yr, scn, args.currency)
    if args.csv:
        _write_csv(yr, args.csv)
        if not args.json:
            print(f"\neach year's payments written to {args.csv}")
