"""Page setup: what every page calls first (state, links in the URL, one-off notices, the share block).

It sits above :mod:`ui.state`, :mod:`ui.share_link` and :mod:`ui.saved` so
that none of them needs to import another in a circle.
"""

from __future__ import annotations

import streamlit as st

from ui import history
from ui.saved import apply_saved_link, is_hr_view
from ui.share_link import apply_share_link, share_section, sync_link
from ui.state import init_state, take_notice

__all__ = ["init", "setup"]


def init() -> None:
    """Set up session state once and apply a ``?s=`` or ``?scenario=`` link in the URL, if any."""
    init_state()
    apply_share_link()
    apply_saved_link()


def setup() -> None:
    """Call first on every page: state, undo history, the address kept in step, one-off notices, the sidebar."""
    init()
    read_only = is_hr_view()
    sync_link(read_only)
    if not read_only:
        history.track()
    msg = take_notice()
    if msg:
        st.error(msg, icon=":material/link_off:")
    if not read_only:
        history.undo_button()
        share_section()
