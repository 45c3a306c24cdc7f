"""Cost figures in words a CS leader reads in a meeting: P10 is "a good quarter", P90 "a bad quarter".

The labels keep the short names people learn (P10, P90, P(over budget)); the
words go beside them, never only in a tooltip.

The Cost page, the plan document and the CLI put these next to the numbers,
so nobody has to hover to learn what P90 means.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from compcore.plan.units import in_percent
from compcore.report.format import money
from compcore.simulation.distributions import Distribution

__all__ = ["FigureWords", "assumption_words", "cohort_noun", "cost_axis_title", "figure_words", "metric_value",
           "sensitivity_sentence"]


@dataclass(frozen=True)
class FigureWords:
    """A key figure's label (the number's name) and the sentence beside it."""

    label: str
    words: str


def figure_words(period: str, budget: float | None = None, currency: str = "") -> dict[str, FigureWords]:
    """Label and plain words for each key cost figure, for a plan paid per ``period``.

    Examples
    --------
    >>> w = figure_words("quarter", budget=116_000, currency="$")
    >>> w["P90"].label, w["P90"].words
    ('P90', 'a bad quarter: 1 in 10 quarters cost more than this')
    >>> w["P(over budget)"].label, w["P(over budget)"].words
    ('P(over budget)', 'chance of going over the budget of $116,000 in a quarter')
    """
    per = f"{period}s"
    over = (f"chance of going over the budget of {money(budget, currency)} in a {period}" if budget is not None
            else "chance of going over budget: set a budget to see it")
    return {
        "Expected cost": FigureWords("Expected cost", f"the average {period}"),
        "P10": FigureWords("P10", f"a good {period}: 1 in 10 {per} cost less than this"),
        "P50": FigureWords("P50", f"a typical {period}: half the {per} cost more, half less"),
        "P90": FigureWords("P90", f"a bad {period}: 1 in 10 {per} cost more than this"),
        "P(over budget)": FigureWords("P(over budget)", over),
    }


def cost_axis_title(period: str) -> str:
    """'Cost per quarter': the plan's own period, not 'per period'."""
    return f"Cost per {period}"


def sensitivity_sentence(period: str) -> str:
    """The one sentence that explains the sensitivity chart's one measure (the swing).

    >>> sensitivity_sentence("quarter")[:60]
    'Each bar shows the expected cost per quarter when one metric'
    """
    return (f"Each bar shows the expected cost per {period} when one metric is low (its P10: 1 {period} in 10 "
            "is lower) or high (its P90: 1 in 10 is higher) while the others vary as usual; the longer the bar, "
            "the more that metric moves the cost.")


# ---------------------------------------------------------------- metric values and assumptions in words

_Z10 = -1.2815515655446004  # the standard normal's 10th percentile: P10 and P90 of any assumption
_GRID = 2_000  # quantiles averaged for an assumption's mean (exact for symmetric ones, close for the rest)


@cache
def _normal_grid() -> np.ndarray:
    """The standard normal's quantiles at the middle of ``_GRID`` equal slices (computed once: a page
    rerun describes every assumption, and 2,000 ``inv_cdf`` calls in Python take milliseconds)."""
    grid = np.array([NormalDist().inv_cdf((i + 0.5) / _GRID) for i in range(_GRID)])
    grid.setflags(write=False)
    return grid
_DIST: TypeAdapter[Any] = TypeAdapter(Distribution)


def metric_value(value: float, unit: str | None) -> str:
    """A metric value as a person reads it: a share or ratio in percent, a count as a number (3 figures).

    >>> metric_value(0.84058, "share of new clients"), metric_value(0.9, "% of seats"), metric_value(13.74, "EBRs")
    ('84.1%', '90%', '13.7')
    >>> metric_value(1250, ""), metric_value(1.0, "ratio to plan")
    ('1,250', '100%')
    """
    if in_percent(unit):
        return f"{value * 100:.3g}%"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def cohort_noun(unit: str | None) -> str:
    """What a binomial cohort counts, from a share's unit: 'share of new clients (adopted = ...)' -> 'new clients'.

    >>> cohort_noun("share of new clients (adopted = 40% of seats)"), cohort_noun("share of due go-lives")
    ('new clients', 'due go-lives')
    >>> cohort_noun("%"), cohort_noun(None)
    ('clients', 'clients')
    """
    m = re.match(r"\s*(?:share|percent|percentage|proportion|fraction|rate|pct)\s+of\s+([^(;,]+)", unit or "", re.I)
    return m.group(1).strip() if m and m.group(1).strip() else "clients"


def _binomial_words(n: int, p: float, unit: str | None) -> str:
    k = n * p
    count = f"about {round(k):,}" if abs(k - round(k)) < 0.25 else f"on average {k:.1f}"
    return f"{count} of {n:,} {cohort_noun(unit)} ({p * 100:.3g}%)"


def assumption_words(dist: Any, unit: str | None = None, period: str = "period") -> str:
    """An assumed distribution of a metric in plain words: its typical value and the range of 8 periods in 10.

    ``dist`` is a :mod:`compcore.simulation.distributions` model (or its dict);
    the range is its own P10 and P90, so the words match what the simulation draws.

    Examples
    --------
    >>> assumption_words({"dist": "binomial", "n": 20, "p": 0.85}, "share of new clients", "quarter")
    'about 17 of 20 new clients (85%) in a typical quarter; 8 quarters in 10 between 75% and 95%'
    >>> assumption_words({"dist": "normal", "mean": 0.95, "sd": 0.1}, "score", "year")
    '0.95 on average; 8 years in 10 between 0.822 and 1.08'
    >>> assumption_words({"dist": "fixed", "value": 0.9}, "share of ARR kept")
    'always 90%'
    """
    model = _DIST.validate_python(dist) if isinstance(dist, Mapping) else dist
    if model.dist == "fixed":
        return f"always {metric_value(model.value, unit)}"
    z = np.array([_Z10, -_Z10])
    lo, hi = (float(v) for v in model.from_normal(z))
    spread = f"8 {period}s in 10 between {metric_value(lo, unit)} and {metric_value(hi, unit)}"
    if model.dist == "binomial":
        return f"{_binomial_words(model.n, model.p, unit)} in a typical {period}; {spread}"
    mean = float(np.mean(model.from_normal(_normal_grid())))
    if model.dist == "empirical":
        return f"drawn from {len(model.values):,} past values, {metric_value(mean, unit)} on average; {spread}"
    return f"{metric_value(mean, unit)} on average; {spread}"
