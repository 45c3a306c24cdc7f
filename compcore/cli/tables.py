"""The tables ``simulate``, ``simulate --year`` and ``compare`` print alike: cost by plan, fairness by team.

Pure functions returning lines, so each command prints them and tests read them.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Mapping

import pandas as pd

__all__ = ["add_run_arguments", "fairness_lines", "pct", "plan_cost_lines", "short"]


def pct(x: float) -> str:
    """A share as a percent with one decimal; ``-`` for a side that has none (NaN).

    >>> pct(0.8888), pct(float("nan"))
    ('88.9%', '-')
    """
    return "-" if math.isnan(x) else f"{100 * x:.1f}%"


def short(name: str, width: int = 34) -> str:
    """``name`` cut to ``width`` characters with an ellipsis, so a long plan name keeps its column.

    >>> short("Implementation consultants, EMEA and APAC", 20)
    'Implementation cons…'
    """
    return name if len(name) <= width else name[:width - 1] + "…"


def plan_cost_lines(by_plan: pd.DataFrame, names: Mapping[str, str], cur: Callable[[float], str],
                    year_end: bool = False) -> list[str]:
    """Each plan's people, target, expected cost and its share of target (and the year-end payment)."""
    extra = f"{'year end':>12}" if year_end else ""
    lines = [f"{'plan':<20}{'name':<36}{'people':>7}{'target':>14}{'expected':>14}{'% of target':>13}{extra}"]
    for row in by_plan.itertuples(index=False):
        end = f"{cur(row.expected_year_end):>12}" if year_end else ""
        lines.append(f"{row.plan:<20}{short(names.get(row.plan, row.plan)):<36}{row.headcount:>7}"
                     f"{cur(row.target):>14}{cur(row.expected_cost):>14}{pct(row.pct_of_target):>13}{end}")
    return lines


def fairness_lines(fairness: pd.DataFrame) -> list[str]:
    """Each team's chance at target, of being paid nothing, expected payout and P10-P90."""
    lines = [f"{'team':<24}{'plan':<20}{'people':>7}{'at target':>11}{'nothing':>9}{'expected':>10}{'P10-P90':>16}"]
    for r in fairness.itertuples(index=False):
        lines.append(f"{r.team:<24}{r.plan:<20}{r.headcount:>7}{pct(r.p_at_or_above_target):>11}{pct(r.p_zero):>9}"
                     f"{pct(r.expected_payout):>10}{pct(r.p10) + '-' + pct(r.p90):>16}")
    return lines


def add_run_arguments(p: argparse.ArgumentParser, what: str, seed_means: str, currency: str) -> None:
    """``--trials``, ``--seed``, ``--json`` and ``--currency`` of a command that simulates ``what``."""
    p.add_argument("--trials", type=int, default=10_000, help=f"simulated {what} (default 10,000)")
    p.add_argument("--seed", type=int, default=0, help=f"random seed ({seed_means})")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--currency", default=currency,
                   help=f"prefix for money in the printed tables (default {currency!r}; the app's too)")
