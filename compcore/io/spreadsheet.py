"""The one spreadsheet formula-injection neutraliser, used by every CSV the app and the CLI write.

:func:`safe_csv` neutralises spreadsheet formula injection: a text cell (or
header) starting with ``= + - @``, a tab or a carriage return (also after
leading spaces) gets a leading ``'`` so Excel, LibreOffice and Google Sheets
show it as text instead of running it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_TRIGGERS", "safe_cell", "safe_csv"]

#: first characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will not run: text starting with a formula trigger gets a leading ``'``.

    Numbers are left alone (``-5`` is a number, not a formula).

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell(-5), safe_cell("CS Ops")
    (-5, 'CS Ops')
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_csv(df: pd.DataFrame) -> str:
    """CSV text of a DataFrame (no index) with formula injection neutralised in every text cell and header."""
    out = df.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    return out.to_csv(index=False, lineterminator="\n")
