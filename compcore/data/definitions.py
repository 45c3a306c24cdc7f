"""Targets from data without surprises: rounded as a person writes them, and never into a metric meaning else.

One meaning per metric: a plan metric is measured by one definition from CS records, stored with it
(the metric's optional ``definition``; without one, the definition its name names, see
:func:`compcore.data.targets.guess_definition`). A target, an assumption or a persistence is only
ever set from the history of that same definition (:func:`definition_mismatch` says why not
otherwise); measuring a metric by another definition is an explicit step that renames it after the
definition (:func:`renamed_for`), so the plan keeps saying what it measures. A target computed from
"adopted within 60 days" must not silently become the target of a plan metric named "adopted within
90 days" either: :func:`definition_conflict` says when the name contradicts the definition.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from compcore.data.metrics import DEFAULT_ADOPTION_RULE
from compcore.data.targets import describe_spec, guess_definition, metric_options
from compcore.errors import PlanError

__all__ = ["canonical", "definition_conflict", "definition_mismatch", "metric_definition", "renamed_for",
           "round_target", "same_definition", "short_name"]

_DEFAULTS: dict[str, dict[str, Any]] = {
    "adoption_within": {"days": 90}, "continued_adoption": {"last_weeks": 4, "min_days_live": 90},
    "on_time_go_live": {"grace_days": 0}, "activities": {"kind": "ebr"}, "grr": {}, "nrr": {},
}


def canonical(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A definition with every default written out, so that two ways of writing one definition compare equal.

    >>> canonical({"metric": "adoption_within"})
    {'metric': 'adoption_within', 'days': 90, 'min_seat_share': 0.4}
    >>> canonical({"metric": "adoption_within", "days": 90, "min_seat_share": 0.4, "require": "all"})
    {'metric': 'adoption_within', 'days': 90, 'min_seat_share': 0.4}
    """
    opts = metric_options(spec)  # PlanError for an unknown definition or option
    metric = str(spec["metric"])
    out: dict[str, Any] = {"metric": metric, **_DEFAULTS[metric]}
    out.update({k: int(v) for k, v in opts.items() if k in _DEFAULTS[metric]})
    if metric == "activities":
        out["kind"] = opts["kinds"][0]
    if metric in ("adoption_within", "continued_adoption"):
        rule = opts.get("rule") or DEFAULT_ADOPTION_RULE
        if rule.min_active_users is not None:
            out["min_active_users"] = rule.min_active_users
        if rule.min_seat_share is not None:
            out["min_seat_share"] = rule.min_seat_share
        if rule.min_active_users is not None and rule.min_seat_share is not None:
            out["require"] = rule.require  # "all" or "any" only means something with both thresholds
    return out


def same_definition(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """True when both definitions count the same thing (defaults written out or not).

    >>> same_definition({"metric": "adoption_within", "days": 90}, {"metric": "adoption_within"})
    True
    >>> same_definition({"metric": "adoption_within"}, {"metric": "on_time_go_live"}), same_definition(None, None)
    (False, False)
    """
    if a is None or b is None:
        return False
    try:
        return canonical(a) == canonical(b)
    except PlanError:
        return False


def metric_definition(metric: Any) -> dict[str, Any] | None:
    """A plan metric's definition: the one stored with it, else the one its id and name name, else None."""
    if getattr(metric, "definition", None) is not None:
        return metric.definition.model_dump(exclude_none=True)
    return guess_definition(metric.id, metric.name)


def short_name(spec: Mapping[str, Any]) -> str:
    """The definition in a few words, e.g. 'Adopted within 90 days' (no rule in brackets).

    >>> short_name({"metric": "on_time_go_live", "grace_days": 14})
    'On-time go-live'
    """
    return describe_spec(spec).split(" (")[0]


def definition_mismatch(metric: Any, spec: Mapping[str, Any]) -> str | None:
    """Why nothing from the history of ``spec`` may be written to ``metric`` (a plan metric), or None.

    >>> from compcore.plan.schema import Metric
    >>> m = Metric(id="go_live", name="Go-lives on time", target=1.0)
    >>> print(definition_mismatch(m, {"metric": "adoption_within", "days": 90}))
    ... # doctest: +NORMALIZE_WHITESPACE
    “Go-lives on time” is measured as On-time go-live (live by period end + 0 days); the history above is
    Adopted within 90 days (>= 40% of licensed seats active in a week). Its target comes only from its own
    definition's history.
    >>> definition_mismatch(m, {"metric": "on_time_go_live", "grace_days": 0}) is None
    True
    """
    own = metric_definition(metric)
    if same_definition(own, spec):
        return None
    if own is None:
        return (f"“{metric.name}” is not measured from CS records (it has no definition); the history above is "
                f"{describe_spec(spec)}. Its target is set by hand, unless it is measured this way from now on.")
    return (f"“{metric.name}” is measured as {describe_spec(own)}; the history above is {describe_spec(spec)}. "
            "Its target comes only from its own definition's history.")


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
    """The plan metric's name saying what ``spec`` counts: its days replaced; kept when it already names
    the definition; else the definition in a few words.

    >>> renamed_for("Clients adopted within 90 days", {"metric": "adoption_within", "days": 60})
    'Clients adopted within 60 days'
    >>> renamed_for("Team OKR score", {"metric": "adoption_within", "days": 90})
    'Adopted within 90 days'
    >>> renamed_for("Onboarding adoption", {"metric": "adoption_within", "days": 60})
    'Onboarding adoption'
    """
    days = spec.get("days") if spec.get("metric") == "adoption_within" else None
    if days is not None and _days_in(metric_name):
        return re.sub(r"(\d+)(\s*-?\s*days?\b)", lambda m: f"{int(days)}{m.group(2)}", metric_name, flags=re.I)
    named = guess_definition("", metric_name)
    if named is not None and named["metric"] == spec.get("metric") and named.get("kind") == spec.get("kind"):
        return metric_name
    return short_name(spec)
