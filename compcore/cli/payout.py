"""``python -m compcore payout PLAN --actual METRIC=VALUE ...``: what a plan pays for given actuals."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from compcore.plan.describe import explain_gates
from compcore.plan.payout import PayoutResult, payout
from compcore.plan.schema import Plan, load_plan
from compcore.report.format import pct

__all__ = ["parse_actuals", "payout_report", "register"]


def parse_actuals(pairs: Sequence[str], plan: Plan) -> dict[str, float]:
    """``["team_okr=0.9", "company_arr=1.2"]`` -> ``{"team_okr": 0.9, "company_arr": 1.2}``.

    Raises ``ValueError`` naming the bad pair, an unknown metric or a missing one.
    """
    known = [m.id for m in plan.metrics]
    actuals: dict[str, float] = {}
    for pair in pairs:
        metric, sep, value = pair.partition("=")
        metric = metric.strip()
        if not sep:
            raise ValueError(f"--actual {pair!r}: write it as METRIC=VALUE, e.g. {known[0]}=0.9")
        if metric not in known:
            raise ValueError(f"--actual {pair!r}: unknown metric {metric!r}; this plan has: {', '.join(known)}")
        try:
            actuals[metric] = float(value)
        except ValueError:
            raise ValueError(f"--actual {pair!r}: {value!r} is not a number") from None
    missing = [m for m in known if m not in actuals]
    if missing:
        raise ValueError(
            "missing --actual for " + ", ".join(missing) + "; every plan metric needs one, e.g. "
            + " ".join(f"--actual {m}={plan.metric(m).target:g}" for m in missing)
        )
    return actuals


def payout_report(plan: Plan, res: PayoutResult) -> dict[str, object]:
    """Machine-readable payout: attainments, fractions, shares, gates fired, total."""
    return {
        "plan": plan.name,
        "components": [
            {"id": c.id, "metric": c.metric, "weight": c.weight,
             "attainment": res.attainments[c.metric], "payout_fraction": res.fractions[c.id],
             "weighted": res.components[c.id]}
            for c in plan.components
        ],
        "multiplier": res.multiplier,
        "gates_fired": explain_gates(plan, res),
        "total": res.total,
    }


def _run_payout(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    res = payout(plan, parse_actuals(args.actual, plan))
    report = payout_report(plan, res)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(plan.name)
    print(f"{'component':<16}{'weight':>8}{'attainment':>12}{'payout':>10}{'weighted':>10}")
    for row in report["components"]:  # type: ignore[union-attr]
        print(f"{row['id']:<16}{pct(row['weight']):>8}{pct(row['attainment']):>12}"
              f"{pct(row['payout_fraction']):>10}{pct(row['weighted']):>10}")
    if res.multiplier != 1.0:
        print(f"multiplier: x{res.multiplier:g}")
    for line in report["gates_fired"]:  # type: ignore[union-attr]
        print(f"gate fired: {line}")
    print(f"total payout: {pct(res.total)} of target incentive")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``payout`` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser("payout", help="what a plan pays for given actuals")
    p.add_argument("plan", help="plan JSON file")
    p.add_argument("--actual", action="append", default=[], metavar="METRIC=VALUE",
                   help="actual value of a metric (repeat for each metric)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_run_payout)
