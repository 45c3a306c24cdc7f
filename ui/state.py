"""Session state, the pages' one import: the canonical scenario, its set-up and replacement, notices.

The pieces live by concept; this module sets the session up and re-exports
what the pages draw with, so a page needs ``from ui import state`` only:

- :mod:`ui.session`: every session-state key (``K_*``).
- :mod:`ui.ui_state`: the typed UI state beside the scenario (every selection an id, validated when read).
- :mod:`ui.draft`: the scenario as typed, its last valid version, the plan being edited.
- :mod:`ui.binding`: widgets bound to a path, widget keys that name their plan / metric / component.
- :mod:`ui.problems`: ``PlanError`` paths shown next to their field.
- :mod:`ui.samples`: sample plans (by id) and the scenario a session opens on.

Other ``ui`` modules import from those owners directly (docs/app.md, "Layers and their rules").
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

from compcore.simulation.assumptions import reconcile_scenario
from compcore.simulation.scenario import load_scenario
from ui.binding import (
    ById,
    apply_delta,
    bind,
    bind_editor,
    in_options,
    new_run,
    pct_in,
    pct_out,
    plan_key,
    set_value_at,
    value_at,
    writable,
)
from ui.draft import (
    component_id,
    draft,
    draft_plan,
    is_org,
    plan_id,
    plan_ids,
    plan_path,
    plan_prefix,
    problems,
    revalidate,
    valid,
    valid_plan,
)
from ui.problems import show_problems, unshown_problems
from ui.samples import (
    BLANK_PLAN,
    DEFAULT_ROSTER,
    DEFAULT_SCENARIO,
    ROOT,
    SAMPLE_PLANS,
    SAMPLE_SCENARIOS,
    default_scenario,
    default_scenario_name,
    sample_plan,
    sample_plan_names,
)
from ui.session import K_BASELINE, K_LINK, K_NOTICE, K_PROBLEMS, K_SAVED, K_SAVED_LINK, K_SCENARIO, K_SHOWN, K_VALID
from ui.ui_state import TRIAL_CHOICES, UI_DEFAULTS, bump_editor, bump_editors, editor_key, set_ui, ui

__all__ = [
    "BLANK_PLAN", "ById", "DEFAULT_ROSTER", "DEFAULT_SCENARIO", "ROOT", "SAMPLE_PLANS", "SAMPLE_SCENARIOS",
    "TRIAL_CHOICES", "UI_DEFAULTS", "apply_delta", "bind", "bind_editor", "bump_editor", "bump_editors",
    "commit_plan_change", "component_id", "default_scenario", "default_scenario_name", "draft", "draft_plan",
    "editor_key", "in_options", "init_state", "is_org", "link_token", "pct_in", "pct_out", "plan_changed", "plan_id",
    "plan_ids", "plan_key", "plan_path", "plan_prefix", "problems", "revalidate", "sample_plan", "sample_plan_names",
    "set_link_token", "set_notice", "set_scenario", "set_ui", "set_value_at", "show_problems", "take_notice", "ui",
    "unshown_problems", "valid", "valid_plan", "value_at", "writable",
]


def init_state() -> None:
    """Set up session state once (links are applied by :func:`ui.page.init`)."""
    _route_through_app()
    ss = st.session_state
    if K_SCENARIO not in ss:
        ss[K_SCENARIO] = default_scenario()
        ss[K_VALID] = load_scenario(ss[K_SCENARIO])
        ss[K_PROBLEMS] = []
        set_ui("trials", UI_DEFAULTS["trials"])  # creates the UI state with its defaults
        ss[K_NOTICE] = None
        ss[K_LINK] = None
        ss[K_SAVED] = None  # ui/saved.py
        ss[K_SAVED_LINK] = None  # ui/saved.py
    ss[K_SHOWN] = set()
    new_run()  # bound widgets not drawn in the last run are pushed to the browser again (ui.binding.bind)


def _route_through_app() -> None:
    """Rerun through ``app.py`` when Streamlit ran this page file on its own.

    A fresh server first hit on a page URL (``/scenarios``) runs in Streamlit's
    legacy "pages/ directory" mode until some run calls ``st.navigation``: it
    runs ``pages/<x>.py`` without ``app.py``, so the sidebar lists file names
    (including "app") and the wide layout is lost. Leaving that mode and
    rerunning makes ``app.py`` the router again. The flag is internal, hence
    the guard for Streamlit versions without it.
    """
    try:  # Streamlit's internal module: optional, absent in some versions
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def set_scenario(data: dict[str, Any]) -> None:
    """Replace the canonical scenario (a dict) and revalidate; widgets re-seed from it.

    The plan loaded becomes the baseline that :func:`plan_changed` compares with.
    The selections (plan and component being edited) are ids: kept when they
    still exist, read as the first ones otherwise.
    """
    st.session_state[K_SCENARIO] = copy.deepcopy(data)
    st.session_state[K_BASELINE] = copy.deepcopy(data.get("plan", data.get("plans")))
    bump_editors()
    revalidate()


def plan_changed() -> bool:
    """True when the plan differs from the one last loaded (a sample, a link, a file): the user's own work."""
    baseline = st.session_state.get(K_BASELINE)
    if baseline is None:
        start = default_scenario()
        baseline = start.get("plan", start.get("plans"))
    d = draft()
    return d.get("plan", d.get("plans")) != baseline


def commit_plan_change() -> None:
    """After a structural plan edit: match assumptions to the metrics, reset the editors, revalidate."""
    st.session_state[K_SCENARIO] = reconcile_scenario(st.session_state[K_SCENARIO])
    bump_editors()
    revalidate()


def take_notice() -> tuple[str, str] | None:
    """The one-off ``(kind, message)`` (kind ``error`` or ``info``), cleared once read."""
    got, st.session_state[K_NOTICE] = st.session_state.get(K_NOTICE), None
    if isinstance(got, str):
        return ("error", got)
    return got if isinstance(got, tuple) and len(got) == 2 else None


def set_notice(msg: str, kind: str = "error") -> None:
    """Show ``msg`` once, at the top of the next page drawn (see :func:`ui.page.setup`).

    ``kind``: ``error`` (something the person asked for did not happen: a bad link, a bad file) or
    ``info`` (it happened, with a change they should know about).
    """
    st.session_state[K_NOTICE] = (kind, msg)


def link_token() -> str | None:
    """The share token already applied or created in this session."""
    return st.session_state.get(K_LINK)


def set_link_token(token: str) -> None:
    st.session_state[K_LINK] = token
