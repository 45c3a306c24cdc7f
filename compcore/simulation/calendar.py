"""The plan year's calendar: ISO dates, the periods of a year, and who is employed for how much of each.

Periods are calendar months, quarters or halves counted from the scenario's ``year_start``
(DESIGN.md "A plan year"); a roster row's ``start`` and ``end`` are inclusive, and the share of a
period a person is employed is the share of its days inside ``[start, end]``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator

__all__ = ["IsoDate", "add_months", "employed_shares", "period_bounds", "period_labels", "proration_table"]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_LABEL = {"month": "M", "quarter": "Q", "half": "H", "year": "Y"}


def _iso_date(value: Any) -> date:
    """A date from ``"YYYY-MM-DD"`` text (or a date); anything else is an error a person can fix."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date of the calendar") from None
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    raise ValueError(f'must be a date written YYYY-MM-DD, e.g. "2027-07-01", got {shown}')


#: a date written ``YYYY-MM-DD`` in JSON (dumped the same way)
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept at the month's last day when it has fewer days.

    >>> add_months(date(2027, 1, 31), 1), add_months(date(2027, 11, 1), 3)
    (datetime.date(2027, 2, 28), datetime.date(2028, 2, 1))
    """
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")  # pragma: no cover


def period_bounds(year_start: date, period: str) -> list[tuple[date, date]]:
    """``(first day, last day)`` of each period of the year starting on ``year_start`` (inclusive).

    >>> period_bounds(date(2027, 1, 1), "half")
    [(datetime.date(2027, 1, 1), datetime.date(2027, 6, 30)), (datetime.date(2027, 7, 1), datetime.date(2027, 12, 31))]
    """
    step = MONTHS_PER_PERIOD[period]
    starts = [add_months(year_start, step * i) for i in range(12 // step + 1)]
    return [(a, b - timedelta(days=1)) for a, b in zip(starts, starts[1:], strict=False)]


def employed_shares(year_start: date | None, period: str, start: date | None, end: date | None) -> list[float]:
    """Share of each period's days inside ``[start, end]`` (inclusive; None = open); all 1 without dates.

    Examples
    --------
    A hire on 15 August in a calendar year of quarters: Q3 has 92 days, 47 of them from
    15 August (17 in August, 30 in September).

    >>> [round(x, 4) for x in employed_shares(date(2027, 1, 1), "quarter", date(2027, 8, 15), None)]
    [0.0, 0.0, 0.5109, 1.0]
    """
    n = 12 // MONTHS_PER_PERIOD[period]
    if start is None and end is None:
        return [1.0] * n
    if year_start is None:
        raise ValueError("dates need the scenario's year_start")
    out = []
    for first, last in period_bounds(year_start, period):
        lo = max(first, start) if start is not None else first
        hi = min(last, end) if end is not None else last
        days = (last - first).days + 1
        out.append(max((hi - lo).days + 1, 0) / days)
    return out


def period_labels(period: str) -> list[str]:
    """Short names of the periods of a year: ``Q1..Q4``, ``H1, H2``, ``M1..M12`` or ``Y``.

    >>> period_labels("quarter")
    ['Q1', 'Q2', 'Q3', 'Q4']
    """
    n = 12 // MONTHS_PER_PERIOD[period]
    return [_LABEL[period]] if n == 1 else [f"{_LABEL[period]}{i + 1}" for i in range(n)]


def proration_table(scn: Any) -> pd.DataFrame:
    """The roster rows that join or leave during the year: ``team, role, headcount, start, end``, the share of
    each period they are paid for (one column per period) and ``year`` (the share of the year).

    >>> from compcore.simulation.scenario import load_scenario
    >>> scn = load_scenario("sample_data/scenarios/cs_org_teams.json")
    >>> proration_table(scn)[["role", "Q2", "Q3", "year"]].round(3).to_dict("records")[1]
    {'role': 'Customer Success Manager', 'Q2': 0.0, 'Q3': 1.0, 'year': 0.5}
    """
    labels = period_labels(scn.period)
    rows = []
    for r in scn.roster:
        if not r.has_dates:
            continue
        shares = employed_shares(scn.year_start, scn.period, r.start, r.end)
        rows.append({"team": r.team, "role": r.role, "headcount": r.headcount,
                     "start": r.start.isoformat() if r.start else "", "end": r.end.isoformat() if r.end else "",
                     **dict(zip(labels, shares, strict=True)), "year": sum(shares) / len(shares)})
    return pd.DataFrame(rows, columns=["team", "role", "headcount", "start", "end", *labels, "year"])
