"""The roster: who is paid by the plan, in rows of one team and role on one base salary.

Rows come from a scenario, a dict, or a CSV (``team, role, headcount, base_salary``
and optional target incentive overrides); every bad field is a
:class:`~compcore.errors.PlanError` naming ``roster[i].field``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from compcore.errors import PlanError, validation_error
from compcore.io.reading import read_bounded
from compcore.io.spreadsheet import safe_rows_csv
from compcore.plan.schema import Amount, Plan, TargetIncentive, WholeNumber
from compcore.simulation.calendar import IsoDate
from compcore.simulation.limits import MAX_HEADCOUNT

__all__ = ["DATE_COLUMNS", "PLAN_COLUMN", "ROSTER_COLUMNS", "RosterRow", "roster_from_csv", "roster_rows",
           "roster_to_csv", "row_period_targets", "typical_salary"]

#: columns of a roster CSV; ``target_incentive_amount`` / ``target_incentive_percent`` are optional overrides
ROSTER_COLUMNS = ("team", "role", "headcount", "base_salary", "target_incentive_amount", "target_incentive_percent")
#: the optional column of an org roster: the plan id each row is paid by
PLAN_COLUMN = "plan"
#: the optional columns of a roster with hires or leavers during the year (ISO dates, inclusive)
DATE_COLUMNS = ("start", "end")
#: largest roster CSV read from a path (one line per group or person: a few MiB at most)
MAX_ROSTER_BYTES = 25_000_000


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class RosterRow(_Model):
    """``headcount`` people of one team and role on one base salary, paid by ``plan`` in an org scenario.

    ``plan`` is the id of one of the scenario's ``plans``; a single-plan scenario's rows leave it out.
    ``start`` / ``end`` (ISO dates, inclusive) say when during the plan year these people join or leave
    (the scenario then needs a ``year_start``); a plan year prorates their pay by the days employed.
    """

    team: Annotated[str, Field(min_length=1)]
    role: Annotated[str, Field(min_length=1)]
    headcount: Annotated[WholeNumber, Field(ge=0, le=MAX_HEADCOUNT)]
    base_salary: Amount
    target_incentive: TargetIncentive | None = None
    plan: Annotated[str, Field(min_length=1)] | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> RosterRow:
        if self.start is not None and self.end is not None and self.end < self.start:
            msg = f"{self.end.isoformat()} is before the start {self.start.isoformat()}; the end is the last day worked"
            raise PlanError(f"end: {msg}", problems=[("end", msg)])
        return self

    @property
    def has_dates(self) -> bool:
        """True when the row joins or leaves during the year."""
        return self.start is not None or self.end is not None


def row_period_targets(plan: Plan, roster: list[RosterRow]) -> list[float]:
    """Per-period target incentive of one person of each roster row (the row's override, else the plan's)."""
    return [float(plan.period_target_incentive(r.base_salary, r.target_incentive)) for r in roster]


def _cell(text: str | None) -> str:
    return (text or "").strip()


def _number(text: str) -> Any:
    """A CSV cell as a number when it reads as one (``1,200`` too); else the text, for the schema to name."""
    cleaned = text.replace(",", "")
    if "_" in cleaned:  # Python reads 1_000 as a number; a spreadsheet does not
        return text
    try:
        return int(cleaned)
    except ValueError:  # not an integer, or one longer than Python reads
        pass
    try:
        return float(cleaned)  # "1e400" is inf: the schema rejects it as not finite
    except ValueError:
        return text


def roster_from_csv(source: str | Path) -> list[RosterRow]:
    """Roster rows from a CSV file path or CSV text.

    Columns: ``team, role, headcount, base_salary`` and optionally
    ``target_incentive_amount`` or ``target_incentive_percent`` (a fraction,
    0.08 = 8%), ``plan`` (the plan id of an org scenario), and ``start`` / ``end``
    (``YYYY-MM-DD``, inclusive) for people joining or leaving during the year. ``headcount`` may
    be left out (1 per row), so a list of people with their salaries works too.

    Raises
    ------
    PlanError
        ``roster[i].field: ...`` with ``i`` the data row (0 = first row after the header).
    """
    if isinstance(source, Path) or ("\n" not in source and "\r" not in source):
        try:
            text = read_bounded(source, MAX_ROSTER_BYTES, "roster").decode("utf-8-sig")
        except PlanError:
            raise
        except (OSError, ValueError) as e:
            raise PlanError(f"cannot read roster file {str(source)!r}: {getattr(e, 'strerror', None) or e}") from None
    else:
        text = str(source).lstrip("\ufeff")
    if "\x00" in text:
        raise PlanError("roster CSV: this is a binary file, not CSV text", problems=[("roster", "not CSV text")])
    try:
        return _roster_from_text(text)
    except csv.Error as e:  # e.g. a field larger than the csv module's limit
        raise PlanError(f"roster CSV: cannot read ({e})", problems=[("roster", f"cannot read ({e})")]) from None


def _roster_from_text(text: str) -> list[RosterRow]:
    # newline="" semantics: CR-only, LF and CRLF line ends all end a row
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("team", "role", "base_salary") if c not in header]
    if missing:
        raise PlanError(f"roster CSV: missing column(s) {', '.join(missing)}; expected {', '.join(ROSTER_COLUMNS)}",
                        problems=[("roster", f"missing column(s) {', '.join(missing)}")])
    rows: list[dict[str, Any]] = []
    for raw in reader:
        rec = {k.strip(): _cell(v) for k, v in raw.items() if k is not None}
        row: dict[str, Any] = {"team": rec["team"], "role": rec["role"], "base_salary": _number(rec["base_salary"]),
                               "headcount": _number(rec.get("headcount") or "1")}
        if rec.get("target_incentive_amount"):
            row["target_incentive"] = {"amount": _number(rec["target_incentive_amount"])}
        elif rec.get("target_incentive_percent"):
            row["target_incentive"] = {"percent_of_base": _number(rec["target_incentive_percent"])}
        if rec.get(PLAN_COLUMN):
            row["plan"] = rec[PLAN_COLUMN]
        for col in DATE_COLUMNS:
            if rec.get(col):
                row[col] = rec[col]
        rows.append(row)
    if not rows:
        raise PlanError("roster CSV has no rows", problems=[("roster", "has no rows")])
    return roster_rows(rows)


def roster_rows(rows: Sequence[RosterRow | Mapping[str, Any]]) -> list[RosterRow]:
    """Validated roster rows from RosterRows or dicts.

    Raises
    ------
    PlanError
        naming each bad field, e.g. ``roster[0].headcount: must not be negative (>= 0), got -1``.
    """
    out = []
    problems: list[tuple[str, str]] = []
    for i, row in enumerate(rows):
        if isinstance(row, RosterRow):
            out.append(row)
            continue
        try:
            out.append(RosterRow.model_validate(row))
        except ValidationError as e:
            problems.extend((f"roster[{i}].{p}" if p else f"roster[{i}]", m)
                            for p, m in validation_error(e).problems)
    if problems:
        raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    return out


def roster_to_csv(roster: list[RosterRow]) -> str:
    """CSV text of roster rows (read back by :func:`roster_from_csv`).

    Written by the one formula-injection neutraliser
    (:func:`compcore.io.spreadsheet.safe_rows_csv`): a team or role starting
    with ``=`` gets a leading ``'``, a name holding a CR or LF is quoted. A
    ``plan`` column is added when any row names a plan (an org roster), ``start``
    and ``end`` when any row has dates.
    """
    org = any(r.plan is not None for r in roster)
    dated = any(r.has_dates for r in roster)
    rows: list[list[Any]] = [[*ROSTER_COLUMNS, *([PLAN_COLUMN] if org else []), *(DATE_COLUMNS if dated else ())]]
    for r in roster:
        ti = r.target_incentive
        amount = "" if ti is None or ti.amount is None else _num(ti.amount)
        percent = "" if ti is None or ti.percent_of_base is None else _num(ti.percent_of_base)
        cells = [r.team, r.role, r.headcount, _num(r.base_salary), amount, percent]
        if org:
            cells.append(r.plan or "")
        if dated:
            cells.extend(d.isoformat() if d is not None else "" for d in (r.start, r.end))
        rows.append(cells)
    return safe_rows_csv(rows)


def _num(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and x == int(x) else repr(x)


def typical_salary(roster: Sequence[RosterRow], plan: str | None = None) -> float | None:
    """The base salary of the median person (counted by headcount) of the roster, or of the rows on ``plan``.

    What "someone on this plan" earns by default in the app's calculator, and a new roster row's
    salary. The median person's own salary (the lower middle one for an even count), so it is a
    salary somebody on the roster has. None when no row (of that plan) has people.

    Examples
    --------
    PMO: 1 lead at 125,000, 3 at 99,500, 4 at 110,000: the 4th and 5th of 8 people earn 110,000.

    >>> rows = roster_rows([{"team": "PMO", "role": "Lead", "headcount": 1, "base_salary": 125000, "plan": "pmo"},
    ...                     {"team": "PMO", "role": "PM", "headcount": 3, "base_salary": 99500, "plan": "pmo"},
    ...                     {"team": "PMO", "role": "PM", "headcount": 4, "base_salary": 110000, "plan": "pmo"},
    ...                     {"team": "CS", "role": "CSM", "headcount": 7, "base_salary": 86500, "plan": "cs"}])
    >>> typical_salary(rows, "pmo"), typical_salary(rows, "cs"), typical_salary(rows, "nobody")
    (110000.0, 86500.0, None)
    >>> typical_salary(rows)  # 15 people: the 8th earns 99,500
    99500.0
    """
    people = sorted((float(r.base_salary), int(r.headcount)) for r in roster
                    if (plan is None or r.plan == plan) and r.headcount > 0)
    total = sum(n for _, n in people)
    if total == 0:
        return None
    seen = 0
    for salary, n in people:
        seen += n
        if 2 * seen >= total:  # the lower middle person for an even count
            return salary
    return people[-1][0]
