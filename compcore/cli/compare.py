"""``python -m compcore compare BEFORE.json AFTER.json``: who wins, who loses, and what the change costs.

Both scenarios are simulated with the same trials and seed on common random numbers
(:func:`compcore.simulation.impact.impact`); prints the plain sentences, the table per team and role
(biggest losers first: expected payout before and after as % of target, the change in points, the
chance at target before and after, the cost change per period) and the cost change per plan and in
total with its P10 / P90. ``--json`` prints the same as JSON. Bad input: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from compcore.cli.simulate import DEFAULT_CURRENCY
from compcore.cli.tables import add_run_arguments, pct, short
from compcore.errors import PlanError
from compcore.report.format import money
from compcore.report.impact import cost_sentence, plan_table, who_sentence, who_table
from compcore.simulation.impact import Impact, impact
from compcore.simulation.scenario import load_scenario

__all__ = ["register", "report", "run"]

_PERIOD = {1: "year", 2: "half", 4: "quarter", 12: "month"}


def _num(x: Any) -> Any:
    """JSON-ready: NaN (a group on one side only) becomes null."""
    return None if isinstance(x, float) and math.isnan(x) else x


def report(imp: Impact, before: str, after: str) -> dict[str, Any]:
    """The comparison as a JSON-ready dict (money per plan period; payouts as fractions of target)."""
    q10, q90 = (float(x) for x in imp.quantile([0.1, 0.9]))
    return {
        "before": before, "after": after, "trials": imp.before.trials, "seed": imp.before.seed,
        "period": _PERIOD.get(imp.before.periods_per_year, "period"),
        "summary": who_sentence(imp), "cost_summary": cost_sentence(imp, _PERIOD.get(imp.before.periods_per_year,
                                                                                      "period")),
        "cost_change": {"expected": imp.expected_change, "p10": q10, "p90": q90,
                        "expected_before": imp.before.expected, "expected_after": imp.after.expected},
        "by_group": [{k: _num(v) for k, v in r.items()} for r in imp.by_group.to_dict("records")],
        "by_plan": [{k: _num(v) for k, v in r.items()} for r in imp.by_plan.to_dict("records")],
    }


def _print(imp: Impact, before: str, after: str, currency: str) -> None:
    per = _PERIOD.get(imp.before.periods_per_year, "period")

    def cur(x: float) -> str:
        return "-" if math.isnan(x) else ("-" if x < 0 else "+" if x > 0 else "") + money(abs(x), currency)

    print(f"{before} -> {after}: {imp.before.trials:,} simulated {per}s (seed {imp.before.seed}), same draws")
    print(f"  {who_sentence(imp)}")
    print(f"  {cost_sentence(imp, per, currency)}")
    print()
    print("expected payout as % of target incentive, change in points of target, chance of at least 100%,")
    print(f"expected cost change per {per}; biggest losers first")
    print(f"{'team':<22}{'role':<28}{'people':>7}{'before':>9}{'after':>9}{'change':>8}"
          f"{'at target':>18}{'cost change':>14}  plan")
    for r in who_table(imp).itertuples(index=False):
        change = "-" if math.isnan(r.change_points) else f"{r.change_points:+.1f}" if round(r.change_points, 1) \
            else "0.0"
        at = f"{pct(r.p_at_target_before)} -> {pct(r.p_at_target_after)}"
        plan = r.plan_before if r.plan_before == r.plan_after else f"{r.plan_before or '-'} -> {r.plan_after or '-'}"
        print(f"{short(r.team, 21):<22}{short(r.role, 27):<28}{r.people:>7}{pct(r.expected_before):>9}"
              f"{pct(r.expected_after):>9}{change:>8}{at:>18}{cur(r.cost_change):>14}  {plan}")
    print()
    print(f"{'plan':<40}{'before':>14}{'after':>14}{'change':>14}{'P10':>14}{'P90':>14}   per {per}")
    for r in plan_table(imp).itertuples(index=False):
        print(f"{short(r.plan, 39):<40}{money(r.cost_before, currency):>14}{money(r.cost_after, currency):>14}"
              f"{cur(r.change):>14}{cur(r.change_p10):>14}{cur(r.change_p90):>14}")
    q10, q90 = imp.quantile([0.1, 0.9])
    print(f"{'total':<40}{money(imp.before.expected, currency):>14}{money(imp.after.expected, currency):>14}"
          f"{cur(imp.expected_change):>14}{cur(float(q10)):>14}{cur(float(q90)):>14}")


def run(args: argparse.Namespace) -> int:
    """Run the ``compare`` subcommand; 0 on success, 2 on an invalid scenario or argument."""
    try:
        if args.trials < 1:
            raise PlanError(f"--trials must be at least 1, got {args.trials}")
        problems = []
        scns = []
        for which, path in (("before", args.before), ("after", args.after)):
            try:
                scns.append(load_scenario(path))
            except PlanError as e:
                problems.append(f"{which} ({path}): {e}")
        if problems:
            raise PlanError("; ".join(problems))
        imp = impact(scns[0], scns[1], trials=args.trials, seed=args.seed)
        if args.json:
            print(json.dumps(report(imp, scns[0].name, scns[1].name), indent=2))
        else:
            _print(imp, scns[0].name, scns[1].name, args.currency)
    except PlanError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


def register(subparsers: Any) -> None:
    """Add the ``compare`` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser("compare", help="who wins, who loses, and the cost of a change",
                              description="Simulate two scenarios on the same draws: per team and role the "
                                          "expected payout before and after, the chance at target, and the "
                                          "cost change by plan and in total (P10/P90).")
    p.add_argument("before", help="scenario JSON file before the change")
    p.add_argument("after", help="scenario JSON file after the change")
    add_run_arguments(p, "periods", "of both: same seed, same draws", DEFAULT_CURRENCY)
    p.set_defaults(func=run)
