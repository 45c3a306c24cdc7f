"""Tables on every page: static tables show their cells as text; the toolbar's "Download as CSV" is hidden.

``st.table`` renders Markdown in every cell and header (a team called
``![x](http://host/p.png)`` would be an image fetched by every viewer): use
:func:`static_table`, which passes every cell and header through
:func:`ui.text.md` first. ``st.dataframe`` cells are plain text already.

A spreadsheet would run a team or plan name starting with ``=``; the toolbar
download cannot be switched off per table in Streamlit 1.67, so a style rule
hides that one button (search, fullscreen and column choice stay). Every file
the app offers goes through :mod:`compcore.io.spreadsheet` instead.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ui.text import md

__all__ = ["hide_table_downloads", "plain_cells", "plain_table", "static_table"]


def plain_cells(df: pd.DataFrame) -> pd.DataFrame:
    """The table with every header and every text cell as markdown source that shows its characters.

    Numbers stay numbers; a missing value shows as an empty cell, never "None".
    """
    out = df.copy()
    out.columns = [md(c) for c in df.columns]
    for col in out.columns:
        values = out[col]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out[col] = ["" if v is None or (isinstance(v, float) and v != v) else md(v) for v in values]
    return out


def static_table(df: pd.DataFrame, where: Any = st, **kwargs: Any) -> Any:
    """``st.table`` of ``df`` (in ``where``: a column or container) with every cell shown as plain text."""
    return plain_table(plain_cells(df), where, **kwargs)


def plain_table(cells: pd.DataFrame, where: Any = st, **kwargs: Any) -> Any:
    """``st.table`` of ``cells`` made by :func:`plain_cells` (e.g. cached with the table): :func:`static_table`
    without converting the cells again."""
    return where.table(cells, hide_index=kwargs.pop("hide_index", True), **kwargs)

_NO_TABLE_DOWNLOAD = (
    "<style>[data-testid='stElementToolbar'] button[aria-label*='Download as CSV'],"
    "[data-testid='stElementToolbar'] button[title*='Download as CSV']{display:none !important}</style>"
)


def hide_table_downloads() -> None:
    """Hide the raw-CSV download of every table's toolbar on this page."""
    st.html(_NO_TABLE_DOWNLOAD)
