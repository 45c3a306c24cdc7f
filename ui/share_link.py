"""The ``?s=`` share link: the whole valid scenario in the URL (no names), applied when a page opens.

:func:`apply_share_link` runs from :func:`ui.page.init`; :func:`sync_link`
then keeps the address bar in step with the scenario on every run, so a
browser refresh reopens the work and a link copied at any moment opens what
the person sees (a link is never out of date). :func:`share_section` is the
sidebar block that shows that link to copy. A link that failed to open is
replaced by the scenario shown, so it is never offered again. The session
keys used here are owned by :mod:`ui.session`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from compcore.errors import PlanError
from compcore.io.share import decode_scenario, encode_scenario, link_number
from compcore.simulation.org_editing import reorder_plans
from compcore.simulation.scenario import dump_scenario, load_scenario
from ui.history import HISTORY_PARAM, history_id
from ui.session import K_LINK_FOR
from ui.state import (
    TRIAL_CHOICES,
    UI_DEFAULTS,
    default_scenario,
    draft,
    link_token,
    plan_id,
    plan_ids,
    problems,
    set_link_token,
    set_notice,
    set_scenario,
    set_ui,
    ui,
    valid,
)

#: the plan being edited (an org; absent: the first plan) and the plans' order when not alphabetical
#: (the ``?s=`` token stores plans by id, sorted): a refresh keeps both
PLAN_PARAM, ORDER_PARAM = "plan", "order"


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
    data = dump_scenario(scn)
    order = st.query_params.get(ORDER_PARAM)
    if scn.is_org and isinstance(order, str):
        data = reorder_plans(data, order.split(",")[:200])
    set_scenario(data)
    if st.query_params.get(PLAN_PARAM) in plan_ids():
        set_ui("plan_id", st.query_params.get(PLAN_PARAM))
    ignored = []
    for name, lo, hi in (("trials", 100, max(TRIAL_CHOICES)), ("seed", 0, 2**32 - 1)):
        raw = st.query_params.get(name)
        if raw is not None:  # validated in compcore, as a file's numbers are ("①", a 1,000-digit seed: ignored)
            value, note = link_number(raw, name, lo, hi)
            if value is None:
                ignored.append(note)
            else:
                set_ui(name, value)
    if ignored:
        set_notice("This share link opened, but " + "; ".join(ignored) + ".")


def _token() -> str | None:
    """The ``?s=`` token of the last valid scenario, encoded once per scenario object."""
    scn = valid()
    cached = st.session_state.get(K_LINK_FOR)
    if cached is not None and cached[0] is scn:
        return cached[1]
    try:
        token = encode_scenario(dump_scenario(scn))
    except PlanError:  # too large for a link: the address keeps no scenario, the sidebar says so
        token = None
    st.session_state[K_LINK_FOR] = (scn, token)
    return token


def link_params() -> dict[str, str]:
    """The query parameters of a link to what this session shows: ``s`` (+ ``trials``, ``seed`` if not default;
    for an org, ``plan`` being edited if not the first, ``order`` of the plans if not alphabetical)."""
    token = _token()
    if token is None:
        return {}
    params = {"s": token}
    ids = list(valid().plans)
    if valid().is_org and list(draft().get("plans") or []) == ids:  # the draft's plans are the link's plans
        if ids != sorted(ids):
            params[ORDER_PARAM] = ",".join(ids)
        if plan_id() != ids[0]:
            params[PLAN_PARAM] = plan_id()
    for name in ("trials", "seed"):
        if int(ui(name)) != UI_DEFAULTS[name]:
            params[name] = str(int(ui(name)))
    return params


def sync_link(read_only: bool = False) -> None:
    """Keep the address bar on the current scenario (not in the read-only HR view, whose link is its own)."""
    if read_only:
        return
    params = link_params()
    if not params:
        return
    set_link_token(params["s"])  # so that this session does not re-apply its own link
    params[HISTORY_PARAM] = history_id()  # the undo history a refresh takes over (ui.history), not shared
    current: dict[str, Any] = {k: st.query_params.get(k) for k in st.query_params}
    if current != params:
        st.query_params.from_dict(params)


def share_section() -> None:
    """Sidebar block: the link to this scenario, always current, with a copy icon, inside a popover.

    The link is an ``st.code`` (it has the copy icon), and a code block makes a browser load and run a
    1.5 MB syntax highlighter: in a popover it is drawn only when opened, so a page opens without it
    (0.7-1.3 s of a fresh browser's first chart on a busy 2-core machine, benchmarks/bench_browser.py).
    """
    with st.sidebar:
        params = link_params()
        if not params:
            st.markdown("**Share**")
            st.caption("This scenario is too large for a link; save it on the Scenarios page instead.")
            return
        base = (st.context.url or "").split("?")[0]
        query = "&".join(f"{k}={v}" for k, v in params.items())
        with st.popover("Share this scenario", icon=":material/share:", width="stretch", key="share_link"):
            st.code(f"{base}?{query}", language=None, wrap_lines=False)
            st.caption("Copy this link with the icon at its top right: it opens exactly this plan and these "
                       "numbers. No names go into it.")
            if problems():
                st.caption("The link holds the last valid version of the plan.")
        st.caption("The address bar follows your edits, so a refresh keeps your work.")
