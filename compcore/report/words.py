"""Cost figures in words a CS leader reads in a meeting: P10 is "a good quarter", P90 "a bad quarter".

The labels keep the short names people learn (P10, P90, P(over budget)); the
words go beside them, never only in a tooltip.

The Cost page, the plan document and the CLI put these next to the numbers,
so nobody has to hover to learn what P90 means.
"""

from __future__ import annotations

from dataclasses import dataclass

from compcore.report.format import money

__all__ = ["FigureWords", "cost_axis_title", "figure_words", "sensitivity_sentence"]


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
