"""The ``?s=`` share link: the whole valid scenario in the URL (no names), applied when a page opens.

:func:`apply_share_link` runs from :func:`ui.init`; :func:`share_section`
is the sidebar block that :func:`ui.page_setup` draws. The session keys
used here are owned by :mod:`ui.state`.
"""

from __future__ import annotations

import streamlit as st

from compcore.errors import PlanError
from compcore.io.share import decode_scenario, encode_scenario
from compcore.simulation.scenario import dump_scenario, load_scenario
from ui.state import (
    TRIAL_CHOICES,
    UI_DEFAULTS,
    default_scenario,
    link_token,
    problems,
    set_link_token,
    set_notice,
    set_scenario,
    set_ui,
    ui,
    valid,
)


def apply_share_link() -> None:
    """Load the scenario of a ``?s=`` link once per token; a bad link shows the sample and a notice."""
    token = st.query_params.get("s")
    if not token or token == link_token():
        return
    set_link_token(token)
    try:
        data = decode_scenario(token)
        scn = load_scenario(data)
    except PlanError as e:
        set_notice(f"This share link could not be opened, so the sample scenario is shown instead. {e}")
        set_scenario(default_scenario())
        return
    set_scenario(dump_scenario(scn))
    for name, lo, hi in (("trials", 100, max(TRIAL_CHOICES)), ("seed", 0, 2**32 - 1)):
        raw = st.query_params.get(name)
        if raw is not None and raw.isdigit() and lo <= int(raw) <= hi:
            set_ui(name, int(raw))


def _on_share() -> None:
    try:
        token = encode_scenario(dump_scenario(valid()))
    except PlanError as e:
        set_notice(str(e))
        return
    set_link_token(token)
    params = {"s": token}
    if int(ui("trials")) != UI_DEFAULTS["trials"]:
        params["trials"] = str(int(ui("trials")))
    if int(ui("seed")) != UI_DEFAULTS["seed"]:
        params["seed"] = str(int(ui("seed")))
    st.query_params.from_dict(params)


def share_section() -> None:
    """Sidebar block: put the current scenario in the URL and show the link to copy."""
    with st.sidebar:
        st.markdown("**Share**")
        st.button("Put scenario in link", key="share", on_click=_on_share, width="stretch",
                  help="Writes the current scenario into the address bar (?s=v1...). Anyone opening the "
                       "link sees the same plan, assumptions and numbers. No names go into the link.")
        token = st.query_params.get("s")
        if token and token == link_token():
            base = st.context.url or ""
            extra = "".join(f"&{k}={st.query_params[k]}" for k in ("trials", "seed") if k in st.query_params)
            st.code(f"{base}?s={token}{extra}", language=None, wrap_lines=True)
            st.caption("Copy with the icon at the top right of the box.")
        if problems():
            st.caption("The link holds the last valid version of the plan.")
