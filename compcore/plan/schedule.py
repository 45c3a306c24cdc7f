"""How a plan pays over the year (DESIGN.md "A plan year"): the plan's optional ``schedule``.

``{"measure": "period", "holdback": 0.0, "period_cap": null, "year_end": "none"}`` is the default
and today's behaviour: each period measured and paid on its own, nothing held back, nothing at the
year end. The rules themselves (what is earned, credited, paid and settled) are
:func:`compcore.plan.year.pay_year`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

__all__ = ["ACCUMULATE_WORDS", "MEASURE_WORDS", "YEAR_END_WORDS", "Schedule", "schedule_sentences"]

Measure = Literal["period", "year_to_date"]
YearEnd = Literal["none", "true_up", "true_up_and_clawback"]
Accumulate = Literal["mean", "sum"]

#: one sentence per choice, for the designer and the plan document
MEASURE_WORDS = {
    "period": "Each period is measured on its own: a missed period is not made up later.",
    "year_to_date": ("Each period end measures the year so far and pays what that earns minus what was already "
                     "paid: a missed period is caught up when the year recovers."),
}
YEAR_END_WORDS = {
    "none": "The year end pays only the money held back.",
    "true_up": "The year end pays what the whole year earned minus what was paid, if that is more (never less).",
    "true_up_and_clawback": ("The year end settles what the whole year earned against what was paid, both ways: "
                             "money paid above it is recovered."),
}
ACCUMULATE_WORDS = {
    "mean": "the average of the periods so far (a share, a rate, a score), against the same target",
    "sum": "the total of the periods so far (a count), against the target times the periods worked",
}


class Schedule(BaseModel):
    """How a plan's periods add up to a year (all optional; the defaults are each period on its own).

    Attributes
    ----------
    measure : ``period`` (each period on its own) or ``year_to_date`` (each period end measures the
        year so far; a missed period is caught up)
    holdback : share of each period's payment kept until the year end (0..1)
    period_cap : most a period pays, as a fraction of that period's target incentive (> 0), or None
    year_end : ``none`` (pays the held-back money), ``true_up`` (pays earned - paid if positive) or
        ``true_up_and_clawback`` (earned - paid, negative = recovered)

    Examples
    --------
    >>> Schedule().is_default
    True
    >>> Schedule(measure="year_to_date", holdback=0.25, year_end="true_up").is_default
    False
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: Measure = "period"
    holdback: Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    period_cap: Annotated[float, Strict(), Field(gt=0, le=1e6, allow_inf_nan=False)] | None = None
    year_end: YearEnd = "none"

    @property
    def is_default(self) -> bool:
        """True when the schedule changes nothing: each period paid on its own, in full."""
        return self == Schedule()


def _pct(x: float) -> str:
    return f"{round(x * 100, 4):g}%"


def schedule_sentences(schedule: Schedule) -> list[str]:
    """The schedule in plain words, one sentence per rule that is set.

    >>> schedule_sentences(Schedule(measure="year_to_date", holdback=0.25, year_end="true_up"))[1]
    '25% of each payment is held back until the year end.'
    """
    out = [MEASURE_WORDS[schedule.measure]]
    if schedule.holdback > 0:
        out.append(f"{_pct(schedule.holdback)} of each payment is held back until the year end.")
    if schedule.period_cap is not None:
        out.append(f"A period pays at most {_pct(schedule.period_cap)} of its target incentive; "
                   "the rest is not paid in the period.")
    out.append(YEAR_END_WORDS[schedule.year_end])
    return out
