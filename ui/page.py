"""Page setup: what every page calls first (state, links in the URL, one-off notices, the share block).

It sits above :mod:`ui.state`, :mod:`ui.share_link` and :mod:`ui.saved` so
that none of them needs to import another in a circle.
"""

from __future__ import annotations

import streamlit as st

from ui import history
from ui.gate import require_editor
from ui.saved import apply_saved_link
from ui.share_link import apply_share_link, share_section, sync_link
from ui.state import init_state, take_notice
from ui.tables import hide_table_downloads
from ui.text import md

__all__ = ["hide_table_downloads", "init", "setup"]


def init() -> None:
    """Set up session state once and apply a ``?s=`` or ``?scenario=`` link in the URL, if any."""
    hide_table_downloads()
    init_state()
    require_editor()  # again here: a page file run without app.py must not open links signed out
    apply_share_link()
    apply_saved_link()
    history.restore()  # after the links: the history taken over belongs to the scenario they opened


def setup() -> None:
    """Call first on every page: state, undo history, the address kept in step, one-off notices, the sidebar."""
    init()
    sync_link()  # (the read-only HR view never gets here: ui.hr_links sets it up)
    history.track()
    notice = take_notice()
    if notice is not None:  # it may echo a URL parameter or a name: plain text
        kind, msg = notice
        if kind == "info":
            st.info(md(msg), icon=":material/info:")
        else:
            st.error(md(msg), icon=":material/link_off:")
    history.undo_button()
    share_section()
