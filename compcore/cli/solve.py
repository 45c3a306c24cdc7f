"""``python -m compcore solve SCENARIO.json --knob PATH --goal p_over_budget=0.1``: the plan number that meets a goal.

Goals: ``p_over_budget=0.1`` (or ``10%``), ``expected_cost=120000``,
``quantile=0.9:140000`` (the P90 cost equals 140,000). Prints the value, the
goal's measure it achieves and the key figures before and after; ``--json``
prints the same as JSON. Bad input prints one line on stderr and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from compcore.errors import PlanError
from compcore.report.format import money, pct
from compcore.simulation.simulate import SimulationResult
from compcore.simulation.solve import HORIZONS, Solution, solve
from compcore.simulation.year import YearResult

__all__ = ["figures", "parse_goal_text", "register", "run"]

_FORMS = "p_over_budget=0.1, expected_cost=120000 or quantile=0.9:140000"


def _float(text: str, what: str) -> float:
    text = text.strip().replace(",", "").replace("_", "")
    share = text.endswith("%")
    try:
        v = float(text.removesuffix("%"))
    except ValueError:
        raise PlanError(f"--goal: {what} must be a number, got {text!r}") from None
    return v / 100 if share else v


def parse_goal_text(text: str) -> dict[str, float]:
    """``"quantile=0.9:140000"`` -> ``{"quantile": 0.9, "cost": 140000.0}``.

    >>> parse_goal_text("p_over_budget=10%")
    {'p_over_budget': 0.1}
    """
    kind, sep, rest = text.partition("=")
    kind = kind.strip()
    if not sep or kind not in ("p_over_budget", "expected_cost", "quantile"):
        raise PlanError(f"--goal: must look like {_FORMS}, got {text!r}")
    if kind == "quantile":
        q, sep, cost = rest.partition(":")
        if not sep:
            raise PlanError(f"--goal: a quantile goal is quantile=Q:COST, e.g. quantile=0.9:140000, got {text!r}")
        return {"quantile": _float(q, "the quantile"), "cost": _float(cost, "the cost")}
    return {kind: _float(rest, kind)}


def figures(sim: SimulationResult | YearResult) -> dict[str, Any]:
    """The key figures of a simulation (money per plan period, or per year for a year)."""
    if isinstance(sim, YearResult):
        return {"expected": sim.expected, **sim.percentiles, "p_over_budget": sim.p_over_budget, "budget": sim.budget}
    return {"expected": sim.expected, **sim.percentiles, "p_over_budget": sim.p_over_budget,
            "annualised": sim.annualised, "share_above_target": sim.share_above_target}


def report(sol: Solution, name: str) -> dict[str, Any]:
    """The answer as a JSON-ready dict."""
    return {
        "scenario": name, "knob": sol.knob.path, "label": sol.knob.label, "value": sol.value,
        "current_value": sol.knob.value, "goal": {"kind": sol.goal.kind, "target": sol.goal.target, "q": sol.goal.q},
        "achieved": sol.achieved, "before": sol.before, "lo": sol.lo, "hi": sol.hi, "past": sol.past,
        "trials": sol.sim.trials, "seed": sol.sim.seed, "repricings": sol.evaluations,
        "horizon": "year" if isinstance(sol.sim, YearResult) else "period",
        "before_figures": figures(sol.base), "after_figures": figures(sol.sim),
    }


def _print(sol: Solution, name: str) -> None:
    k, g = sol.knob, sol.goal
    print(f"{name}: solve for {k.label} ({k.path})")
    print(f"  goal:     {g.describe()}")
    print(f"  value:    {k.phrase(sol.value)} (exactly {sol.value:.10g}; now {k.show(k.value)})")
    print(f"  achieved: {g.measure_name} = {g.show(sol.achieved)} (now {g.show(sol.before)})")
    print(f"  searched {k.show(sol.lo)}..{k.show(sol.hi)}: {sol.evaluations} re-pricings of the same "
          f"{sol.sim.trials:,} trials (seed {sol.sim.seed})")
    print()
    print(f"  {'':<26}{'before':>14}{'after':>14}")
    year = isinstance(sol.sim, YearResult)
    rows = [("expected cost" + (" of the year" if year else ""), sol.base.expected, sol.sim.expected)]
    rows += [(q, sol.base.percentiles[q], sol.sim.percentiles[q]) for q in ("P10", "P50", "P90", "P95")]
    if not year:
        rows.append(("expected cost a year", sol.base.annualised, sol.sim.annualised))
    for label, a, b in rows:
        print(f"  {label:<26}{money(a):>14}{money(b):>14}")
    if sol.sim.p_over_budget is not None and sol.base.p_over_budget is not None:
        label = "P(year over budget)" if year else "P(over budget)"
        print(f"  {label:<26}{pct(sol.base.p_over_budget):>14}{pct(sol.sim.p_over_budget):>14}")


def run(args: argparse.Namespace) -> int:
    """Run the ``solve`` subcommand; 0 on success, 2 on bad input or a goal out of reach."""
    try:
        goal = parse_goal_text(args.goal)
        if args.trials < 1:
            raise PlanError(f"--trials must be at least 1, got {args.trials}")
        sol = solve(args.scenario, args.knob, goal, lo=args.lo, hi=args.hi, trials=args.trials, seed=args.seed,
                    horizon=args.horizon)
    except PlanError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    name = sol.scenario.name
    if args.json:
        print(json.dumps(report(sol, name), indent=2))
    else:
        _print(sol, name)
    return 0


def register(subparsers: Any) -> None:
    """Add the ``solve`` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser(
        "solve", help="the value of one plan number that meets a cost goal",
        description="The value of one plan number that meets a cost goal, re-pricing the same draws for every "
                    "candidate (deterministic).")
    p.add_argument("scenario", help="scenario JSON file")
    p.add_argument("--knob", required=True, metavar="PATH",
                   help="the number to move, e.g. plan.target_incentive.percent_of_base")
    p.add_argument("--goal", required=True, help=f"one of {_FORMS}")
    p.add_argument("--lo", type=float, default=None, help="lowest value to try (default: the field's valid range)")
    p.add_argument("--hi", type=float, default=None, help="highest value to try")
    p.add_argument("--trials", type=int, default=10_000,
                   help="simulated periods, or years with --horizon year (default 10,000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same answer)")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--horizon", choices=HORIZONS, default="period",
                   help="solve against one plan period (default) or the plan year (annual cost, annual budget)")
    p.set_defaults(func=run)
