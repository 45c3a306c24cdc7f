"""Targets from data without surprises: rounded as a person writes them, and never into a metric meaning else.

A target computed from "adopted within 60 days" must not silently become the
target of a plan metric named "adopted within 90 days": :func:`definition_conflict`
says when the plan metric's name contradicts the definition, and the app then
offers to rename the metric after it (the definition travels in the name, which
every page, the HR document and the CLI show).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from compcore.data.targets import describe_spec

__all__ = ["definition_conflict", "renamed_for", "round_target"]


def round_target(value: float, share: bool) -> float:
    """A target as a person would write it: a share to the whole percent, a count to 2 significant figures.

    Never 0 (a target must be > 0): the smallest step is kept instead.

    >>> round_target(0.89583, share=True), round_target(5.733, share=False), round_target(143.2, share=False)
    (0.9, 5.7, 140.0)
    >>> round_target(0.002, share=True)
    0.01
    """
    if share:
        return max(round(value, 2), 0.01)
    if value <= 0:
        return value
    digits = 1 - int(math.floor(math.log10(abs(value))))
    step = 10.0 ** -digits
    return max(round(round(value / step) * step, max(digits, 0)), step)


def _days_in(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"(\d+)\s*-?\s*days?\b", text.lower())}


def definition_conflict(metric_name: str, spec: Mapping[str, Any]) -> str | None:
    """Why a target from ``spec`` would change what the plan metric named ``metric_name`` means, or None.

    Today the contradiction found is a number of days: the name says "90 days"
    and the definition counts 60 (adoption windows, go-live grace days).

    >>> print(definition_conflict("Clients adopted within 90 days", {"metric": "adoption_within", "days": 60}))
    ... # doctest: +NORMALIZE_WHITESPACE
    “Clients adopted within 90 days” says 90 days, but this target counts Adopted within 60 days
    (>= 40% of licensed seats active in a week)
    >>> definition_conflict("Clients adopted within 90 days", {"metric": "adoption_within", "days": 90}) is None
    True
    """
    named = _days_in(metric_name)
    days = spec.get("days") if spec.get("metric") == "adoption_within" else None
    if not named or days is None or int(days) in named:
        return None
    said = ", ".join(f"{d} days" for d in sorted(named))
    return f"“{metric_name}” says {said}, but this target counts {describe_spec(spec)}"


def renamed_for(metric_name: str, spec: Mapping[str, Any]) -> str:
    """The plan metric's name saying what ``spec`` counts: its days replaced, else the definition itself.

    >>> renamed_for("Clients adopted within 90 days", {"metric": "adoption_within", "days": 60})
    'Clients adopted within 60 days'
    """
    days = spec.get("days") if spec.get("metric") == "adoption_within" else None
    if days is not None and _days_in(metric_name):
        return re.sub(r"(\d+)(\s*-?\s*days?\b)", lambda m: f"{int(days)}{m.group(2)}", metric_name, flags=re.I)
    return describe_spec(spec)
