"""``python -m compcore simulate SCENARIO.json``: the Monte Carlo cost summary on the command line.

Prints expected cost, P10/P50/P90/P95, P(over budget), cost by team and the
sensitivity ranking; for an org scenario (several plans) also the cost by plan
and the fairness table (each team's chance of earning its target). ``--json``
prints the same as JSON (``by_plan`` and ``fairness`` always), ``--csv out.csv``
writes the per-trial costs (and each plan's, for an org). ``--year`` simulates
plan years instead of periods (:mod:`compcore.cli.year`). An invalid scenario
prints one line on stderr and exits with code 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from typing import Any

from compcore.cli.progress import PROGRESS_SECONDS, Progress, long_run_message, seconds_per_trial, timing_trials
from compcore.cli.tables import add_run_arguments, fairness_lines, pct, plan_cost_lines
from compcore.cli.year import run_year
from compcore.errors import PlanError
from compcore.report.format import money
from compcore.simulation.scenario import Scenario, load_scenario
from compcore.simulation.simulate import SimulationResult, simulate
from compcore.simulation.year import simulate_year

__all__ = ["DEFAULT_CURRENCY", "register", "report", "run"]

#: money prefix of the printed summary; the plan has no currency field, and the app shows "$" too
DEFAULT_CURRENCY = "$"


def report(sim: SimulationResult, name: str = "") -> dict[str, Any]:
    """The summary as a JSON-ready dict (money per plan period unless named ``annualised``)."""
    sens = sim.sensitivity()
    return {
        "scenario": name,
        "trials": sim.trials,
        "seed": sim.seed,
        "periods_per_year": sim.periods_per_year,
        "per_period_target": sim.per_period_target,
        "expected": sim.expected,
        "annualised": sim.annualised,
        "std": sim.std,
        "percentiles": sim.percentiles,
        "budget": sim.budget,
        "p_over_budget": sim.p_over_budget,
        "share_above_target": sim.share_above_target,
        "share_zero": sim.share_zero,
        "by_team": sim.cost_by_team.to_dict(orient="records"),
        "by_role": sim.cost_by_role.to_dict(orient="records"),
        "by_plan": sim.cost_by_plan.to_dict(orient="records"),
        "fairness": sim.fairness.to_dict(orient="records"),
        "sensitivity": sens.to_dict(orient="records"),
    }


def _print_org(sim: SimulationResult, per: str, cur: Callable[[float], str]) -> None:
    """Cost by plan and the fairness table: does every team have a fair chance at its target?"""
    print()
    print("\n".join(plan_cost_lines(sim.cost_by_plan, sim.plan_names, cur)))
    print()
    print(f"fairness: share of person-{per}s paid at least 100% of target, paid nothing, expected payout, P10-P90")
    print("\n".join(fairness_lines(sim.fairness)))


def _print_summary(sim: SimulationResult, name: str, currency: str = DEFAULT_CURRENCY) -> None:
    def cur(x: float) -> str:
        return money(x, currency)

    per = {1: "year", 2: "half", 4: "quarter", 12: "month"}.get(sim.periods_per_year, "period")
    print(f"{name}: {sim.trials:,} simulated {per}s (seed {sim.seed})")
    print(f"  target incentive per {per}: {cur(sim.per_period_target)}")
    print(f"  expected cost per {per}:    {cur(sim.expected)} ({pct(sim.expected / sim.per_period_target)} of target)"
          if sim.per_period_target > 0 else f"  expected cost per {per}: {cur(sim.expected)}")
    if sim.periods_per_year > 1:
        print(f"  expected cost per year:      {cur(sim.annualised)}")
    print("  " + "   ".join(f"{k} {cur(v)}" for k, v in sim.percentiles.items()))
    if sim.budget is not None and sim.p_over_budget is not None:
        print(f"  budget {cur(sim.budget)} per {per}: P(over budget) = {pct(sim.p_over_budget)}")
    else:
        print("  no budget in the scenario: P(over budget) not computed")
    print(f"  people-{per}s paid above 100%: {pct(sim.share_above_target)}; paid nothing: {pct(sim.share_zero)}")
    print()
    print(f"{'team':<24}{'people':>7}{'target':>14}{'expected':>14}{'% of target':>13}")
    for row in sim.cost_by_team.itertuples(index=False):
        print(f"{row.team:<24}{row.headcount:>7}{cur(row.target):>14}{cur(row.expected_cost):>14}"
              f"{pct(row.pct_of_target):>13}")
    if len(sim.plan_costs) > 1:
        _print_org(sim, per, cur)
    print()
    print(f"{'what drives the cost (metric)':<44}{'cost at its P10':>17}{'cost at its P90':>17}{'variance share':>15}")
    for row in sim.sensitivity().itertuples(index=False):
        label = row.name if len(row.name) <= 42 else row.name[:41] + "…"
        print(f"{label:<44}{cur(row.cost_at_p10):>17}{cur(row.cost_at_p90):>17}{pct(row.variance_share):>15}")


def _write_csv(sim: SimulationResult, path: str) -> None:
    plans = list(sim.plan_costs) if len(sim.plan_costs) > 1 else []
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["trial", "cost", *(f"cost_{p}" for p in plans)])
        w.writerows((i, f"{c:.2f}", *(f"{sim.plan_costs[p][i]:.2f}" for p in plans)) for i, c in enumerate(sim.cost))


def _long_run(scn: Scenario, args: argparse.Namespace) -> tuple[bool, Progress | None]:
    """(go ahead?, progress to show): a run over a minute needs --yes (after saying how long), a run over a few
    seconds shows its progress on standard error."""
    if args.trials <= 2 * timing_trials(scn):  # short by construction: no timing run
        return True, None
    per_trial = seconds_per_trial(scn, args.seed, simulate_year if args.year else simulate)
    message = long_run_message(args.trials, per_trial, scn.headcount)
    if message is not None and not args.yes:
        print(message, file=sys.stderr)
        return False, None
    return True, Progress(args.trials) if args.trials * per_trial > PROGRESS_SECONDS else None


def run(args: argparse.Namespace) -> int:
    """Run the ``simulate`` subcommand; 0 on success, 2 on an invalid scenario or argument."""
    try:
        scn = load_scenario(args.scenario)
        if args.trials < 1:
            raise PlanError(f"--trials must be at least 1, got {args.trials}")
        go, progress = _long_run(scn, args)
        if not go:
            return 2
        if args.year:
            run_year(args, scn, progress)
            return 0
        sim = simulate(scn, trials=args.trials, seed=args.seed, progress=progress)
        if args.json:
            print(json.dumps(report(sim, scn.name), indent=2))
        else:
            _print_summary(sim, scn.name, args.currency)
        if args.csv:
            _write_csv(sim, args.csv)
            if not args.json:
                print(f"\nper-trial costs written to {args.csv}")
    except PlanError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # the reader left (| head): compcore.cli.main stops quietly
    except OSError as e:
        where = f"cannot write {args.csv!r}" if args.csv else "cannot write the summary"
        print(f"error: {where}: {e.strerror or e}", file=sys.stderr)
        return 2
    return 0


def register(subparsers: Any) -> None:
    """Add the ``simulate`` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser("simulate", help="Monte Carlo cost of a scenario's plan(s)",
                              description="Monte Carlo cost of a scenario's plan, or of every plan of an org "
                                          "(money per plan period).")
    p.add_argument("scenario", help="scenario JSON file")
    add_run_arguments(p, "periods, or years with --year", "same seed, same result", DEFAULT_CURRENCY)
    p.add_argument("--csv", metavar="OUT.csv", help="write the cost of every trial to a CSV file")
    p.add_argument("--year", action="store_true",
                   help="simulate plan years (each plan's schedule, hires and leavers, persistent metrics): the "
                        "year's cost against the annual budget, cash by period and at the year end, by plan")
    p.add_argument("--yes", action="store_true",
                   help="run even when it would take more than a minute (without it such a run says how long "
                        "it would take and stops)")
    p.set_defaults(func=run)
