"""Undo for the last edits: the drafts of the scenario before each change, newest last.

:func:`track` runs at the start of every page (after the widgets' callbacks
wrote their change into the draft): when the draft differs from the one seen
at the end of the previous run, that earlier draft goes on the undo stack.
:func:`undo` puts the newest one back. Loading a sample, a link or a file is
an edit like any other, so it can be undone too. The keys live in
:mod:`ui.session` (``K_HISTORY``, ``K_HISTORY_SEEN``).
"""

from __future__ import annotations

import copy

import streamlit as st

from ui.session import K_HISTORY, K_HISTORY_SEEN
from ui.state import draft, set_scenario

__all__ = ["DEPTH", "can_undo", "track", "undo", "undo_button"]

DEPTH = 30  # edits kept; older ones are dropped (each is a small dict)


def track() -> None:
    """Remember the draft as it was before this run's change (call once per run, before drawing)."""
    ss = st.session_state
    now = draft()
    seen = ss.get(K_HISTORY_SEEN)
    if seen is None:
        ss[K_HISTORY] = []
    elif seen != now:
        ss[K_HISTORY] = [*ss[K_HISTORY], seen][-DEPTH:]
    else:
        return
    ss[K_HISTORY_SEEN] = copy.deepcopy(now)


def can_undo() -> bool:
    return bool(st.session_state.get(K_HISTORY))


def undo() -> None:
    """Button callback: go back to the draft before the last edit."""
    stack = st.session_state.get(K_HISTORY) or []
    if not stack:
        return
    previous = stack.pop()
    set_scenario(previous)
    st.session_state[K_HISTORY_SEEN] = copy.deepcopy(previous)


def undo_button() -> None:
    """The sidebar's undo button (disabled when there is nothing to undo)."""
    n = len(st.session_state.get(K_HISTORY) or [])
    st.sidebar.button("Undo last edit", key="undo", on_click=undo, disabled=not n, icon=":material/undo:",
                      width="stretch", help=f"{n} edit{'s' if n != 1 else ''} can be undone" if n else
                      "Nothing to undo yet")
