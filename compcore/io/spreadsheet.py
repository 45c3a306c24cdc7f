"""The one spreadsheet formula-injection neutraliser, used by every CSV the app and the CLI write.

Two rules (OWASP CSV injection), applied to every text cell and header:

- a cell starting with ``= + - @``, a tab or a carriage return (also after
  leading spaces) gets a leading ``'``, so Excel, LibreOffice and Google
  Sheets show it as text instead of running it;
- every field holding a comma, a quote, a carriage return or a line feed is
  quoted. Python's csv writer leaves a lone ``\\r`` unquoted when lines end in
  ``\\n``, and a spreadsheet then starts a new row there: ``"PMO\\r@SUM(1+1)"``
  would put a formula in a row that was never written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

__all__ = ["FORMULA_TRIGGERS", "csv_field", "safe_cell", "safe_csv", "safe_frame", "safe_rows_csv"]

#: first characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = (",", '"', "\r", "\n")


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will not run: text starting with a formula trigger gets a leading ``'``.

    Numbers are left alone (``-5`` is a number, not a formula).

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell(-5), safe_cell("CS Ops"), safe_cell("\\r=2+2")
    (-5, 'CS Ops', "'\\r=2+2")
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_field(text: str) -> str:
    """One CSV field: quoted (quotes doubled) when it holds a comma, a quote, a CR or a LF.

    >>> csv_field("PMO\\r@SUM(1+1)"), csv_field('a"b'), csv_field("plain")
    ('"PMO\\r@SUM(1+1)"', '"a""b"', 'plain')
    """
    if any(c in text for c in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def safe_rows_csv(rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (``\\n`` line ends) of rows of cells: text neutralised by :func:`safe_cell`, fields quoted as needed.

    ``None`` is an empty cell; numbers are written as ``str(x)``.

    >>> safe_rows_csv([["team", "n"], ["=1+1", 3], ["PMO\\r@SUM(1)", None]])
    'team,n\\n\\'=1+1,3\\n"PMO\\r@SUM(1)",\\n'
    """
    lines = []
    for row in rows:
        lines.append(",".join(csv_field("" if v is None else str(safe_cell(v))) for v in row))
    return "".join(line + "\n" for line in lines)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of a DataFrame whose text cells and headers are neutralised (numbers untouched).

    For tables shown in the app: their toolbar's CSV download then holds no formula.
    """
    out = df.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    for i, col in enumerate(out.columns):
        series = out.iloc[:, i]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            out[col] = series.map(safe_cell)
    return out


def safe_csv(df: pd.DataFrame, date_format: str | None = None) -> str:
    """CSV text of a DataFrame (no index) with formula injection neutralised in every text cell and header.

    Values are formatted as pandas writes them; every field holding a CR or
    LF is quoted.

    >>> safe_csv(pd.DataFrame({"team": ["\\r=2+2", "CS"], "cost": [1.5, -2.0]}))
    'team,cost\\n"\\'\\r=2+2",1.5\\nCS,-2.0\\n'
    """
    out = safe_frame(df)
    # pandas formats every value; quoting all makes its CR/LF unambiguous to read back, then we quote minimally
    text = out.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL, date_format=date_format)
    rows = csv.reader(io.StringIO(text, newline=""))
    return "".join(",".join(csv_field(v) for v in row) + "\n" for row in rows)
