"""Tables on every page: Streamlit's toolbar "Download as CSV" is hidden, since it exports raw cells.

A spreadsheet would run a team or plan name starting with ``=``; the toolbar
download cannot be switched off per table in Streamlit 1.67, so a style rule
hides that one button (search, fullscreen and column choice stay). Every file
the app offers goes through :mod:`compcore.io.spreadsheet` instead.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["hide_table_downloads"]

_NO_TABLE_DOWNLOAD = (
    "<style>[data-testid='stElementToolbar'] button[aria-label*='Download as CSV'],"
    "[data-testid='stElementToolbar'] button[title*='Download as CSV']{display:none !important}</style>"
)


def hide_table_downloads() -> None:
    """Hide the raw-CSV download of every table's toolbar on this page."""
    st.html(_NO_TABLE_DOWNLOAD)
