"""``python -m compcore describe PLAN``: the plan in plain English."""

from __future__ import annotations

import argparse
from typing import Any

from compcore.plan.describe import describe
from compcore.plan.schema import load_plan

__all__ = ["register"]


def _run_describe(args: argparse.Namespace) -> int:
    print("\n".join(describe(load_plan(args.plan))))
    return 0


def register(subparsers: Any) -> None:
    """Add the ``describe`` subcommand to an argparse subparsers object."""
    d = subparsers.add_parser("describe", help="the plan in plain English")
    d.add_argument("plan", help="plan JSON file")
    d.set_defaults(func=_run_describe)
