"""Excel out: tables as one ``.xlsx`` workbook, a sheet per table, numbers as numbers with their formats.

Written with openpyxl (the well-kept standard writer; the reader,
python-calamine, cannot write). Numbers stay numbers so a person can sum and
chart them, shown with a number format by unit: ``money`` (thousands separators,
the currency sign when given), ``share`` (a percent, the value is the fraction),
``count`` (whole numbers) or ``number``. Every text cell, header and sheet name
goes through :func:`compcore.io.spreadsheet.safe_cell`, the contract's
formula-injection rule: text starting with ``= + - @``, a tab or a carriage
return is prefixed with ``'`` so that no spreadsheet runs it.

:func:`plan_document_workbook` writes the plan document's tables: worked
examples, cost summary, cost by plan and by team, and fairness when the
simulation reports it.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from compcore.io.spreadsheet import safe_cell

__all__ = ["NUMBER_FORMATS", "Sheet", "number_format", "plan_document_sheets", "plan_document_workbook",
           "workbook_bytes"]

#: Excel number format of each unit (money gets the currency sign in front when one is given)
NUMBER_FORMATS: dict[str, str] = {"money": "#,##0", "share": "0.0%", "count": "#,##0", "number": "#,##0.00"}


def number_format(unit: str, currency: str = "") -> str:
    """The Excel number format of a unit.

    >>> number_format("money", "$"), number_format("share"), number_format("count")
    ('"$"#,##0', '0.0%', '#,##0')
    """
    fmt = NUMBER_FORMATS.get(unit, NUMBER_FORMATS["number"])
    if unit == "money" and currency:
        return '"' + currency.replace('"', "") + '"' + fmt
    return fmt


@dataclass(frozen=True)
class Sheet:
    """One table to write: its sheet name, the frame, and the unit of each numeric column.

    ``units`` maps a column to a unit, or to a list of units (one per row) for a
    column whose rows differ (a cost summary holds money, shares and a count).
    """

    name: str
    frame: pd.DataFrame
    units: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", str(name)).strip().strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:28]} {n}"
        n += 1
    taken.add(title.lower())
    return str(safe_cell(title))


def _value(v: Any) -> Any:
    """A cell value openpyxl writes: numbers as numbers (NaN blank), text neutralised, the rest as text."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return safe_cell(str(v))


def _write(book: openpyxl.Workbook, sheet: Sheet, title: str, currency: str) -> None:
    ws = book.create_sheet(title)
    cols = [str(c) for c in sheet.frame.columns]
    ws.append([safe_cell(c) for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sheet.frame.itertuples(index=False):
        ws.append([_value(v) for v in row])
    for j, col in enumerate(cols, start=1):
        unit = sheet.units.get(col)
        if unit is not None:
            units = [unit] * len(sheet.frame) if isinstance(unit, str) else list(unit)
            for i, u in enumerate(units, start=2):
                c = ws.cell(row=i, column=j)
                if isinstance(c.value, int | float):
                    c.number_format = number_format(u, currency)
        width = max([len(col)] + [len(str(v)) for v in sheet.frame.iloc[:, j - 1].head(200)]) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 10), 60)
    ws.freeze_panes = "A2"


def workbook_bytes(sheets: Sequence[Sheet], currency: str = "") -> bytes:
    """The tables as one ``.xlsx`` (bytes), a sheet per table, in order.

    Examples
    --------
    >>> from compcore.io.tables import read_table
    >>> data = workbook_bytes([Sheet("Costs", pd.DataFrame({"team": ["=cmd"], "cost": [1234.5]}), {"cost": "money"})])
    >>> read_table("x.xlsx", data).frame.loc[2].tolist()
    ["'=cmd", 1234.5]
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for sheet in sheets:
        _write(book, sheet, _sheet_title(sheet.name, taken), currency)
    if not sheets:
        book.create_sheet("Empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _examples_units(examples: pd.DataFrame) -> dict[str, str]:
    units = {c: "share" for c in examples.columns if c.endswith((" attainment", " share")) or c == "payout"}
    if "pay" in examples.columns:
        units["pay"] = "money"
    return units


def plan_document_sheets(examples: pd.DataFrame, summary: pd.DataFrame, teams: pd.DataFrame,
                         cost_by_plan: pd.DataFrame | None = None,
                         fairness: pd.DataFrame | None = None) -> list[Sheet]:
    """The plan document's tables as sheets (:func:`plan_document_workbook` writes them).

    ``examples`` is :func:`compcore.report.document.worked_examples`, ``summary``
    :func:`~compcore.report.document.cost_summary`, ``teams``
    :func:`~compcore.report.document.team_costs`; ``cost_by_plan`` and
    ``fairness`` are the simulation's ``cost_by_plan`` and ``fairness`` frames when
    it has them (a sheet each; left out when None or empty).
    """
    sheets = [Sheet("Worked examples", examples, _examples_units(examples)),
              Sheet("Cost summary", summary.drop(columns=["unit"]), {"value": list(summary["unit"])})]
    if cost_by_plan is not None and len(cost_by_plan):
        sheets.append(Sheet("Cost by plan", cost_by_plan, {"headcount": "count", "target": "money",
                                                           "expected_cost": "money", "pct_of_target": "share"}))
    if len(teams):
        sheets.append(Sheet("Cost by team", teams, {"expected cost": "money", "headcount": "count",
                                                    "% of target": "share"}))
    if fairness is not None and len(fairness):
        units = {c: "share" for c in ("expected_payout", "p_at_or_above_target", "p_zero", "p10", "p90")}
        sheets.append(Sheet("Fairness", fairness, {**units, "headcount": "count"}))
    return sheets


def plan_document_workbook(examples: pd.DataFrame, summary: pd.DataFrame, teams: pd.DataFrame,
                           sim: Any = None, currency: str = "") -> bytes:
    """The plan document's tables as one ``.xlsx``: worked examples, cost summary, cost by plan and by team,
    fairness (the last two when ``sim`` reports ``cost_by_plan`` / ``fairness``)."""
    by_plan = getattr(sim, "cost_by_plan", None) if sim is not None else None
    fairness = getattr(sim, "fairness", None) if sim is not None else None
    return workbook_bytes(plan_document_sheets(examples, summary, teams, by_plan, fairness), currency)
