"""Page setup: what every page calls first (state, links in the URL, one-off notices, the share block).

It sits above :mod:`ui.state`, :mod:`ui.share_link` and :mod:`ui.saved` so
that none of them needs to import another in a circle.
"""

from __future__ import annotations

import streamlit as st

from ui.saved import apply_saved_link
from ui.share_link import apply_share_link, share_section
from ui.state import init_state, take_notice

__all__ = ["init", "setup"]


def init() -> None:
    """Set up session state once and apply a ``?s=`` or ``?scenario=`` link in the URL, if any."""
    init_state()
    apply_share_link()
    apply_saved_link()


def setup() -> None:
    """Call first on every page: state, one-off notices, the share block."""
    init()
    msg = take_notice()
    if msg:
        st.error(msg, icon=":material/link_off:")
    share_section()
