"""Undo for the last edits: the drafts of the scenario before each change, newest last; kept across a refresh.

:func:`track` runs at the start of every page (after the widgets' callbacks
wrote their change into the draft): when the draft differs from the one seen
at the end of the previous run, that earlier draft goes on the undo stack.
:func:`undo` puts the newest one back. Loading a sample, a link or a file is
an edit like any other, so it can be undone too.

A browser refresh is a new session. So that it keeps the undo history, the
stack is also kept on the server, compressed, under a random id that the
address carries (``&u=<id>``, :data:`HISTORY_PARAM`): a new session whose
address names a kept history takes it over (under a new id of its own, so two
tabs never write one history). The server keeps the histories of the last
:data:`SESSIONS_KEPT` sessions (an LRU shared by sessions, in memory: a server
restart forgets them, the scenario itself is in ``?s=``). The id is 128 random
bits, never shown in the sidebar's share link: a shared link carries no history.
"""

from __future__ import annotations

import copy
import json
import secrets
import zlib
from typing import Any

import streamlit as st

from ui.draft import draft
from ui.lru import Lru
from ui.session import K_HISTORY, K_HISTORY_ID, K_HISTORY_SEEN
from ui.state import set_scenario

__all__ = ["DEPTH", "HISTORY_PARAM", "SESSIONS_KEPT", "can_undo", "history_id", "restore", "track", "undo",
           "undo_button"]

DEPTH = 30  # edits kept; older ones are dropped (each is a small dict)
SESSIONS_KEPT = 64  # undo histories kept on the server (each a few kB compressed)
HISTORY_PARAM = "u"


@st.cache_resource(show_spinner=False)
def _kept() -> Lru:
    return Lru(SESSIONS_KEPT)


def _pack(stack: list[dict[str, Any]]) -> bytes:
    return zlib.compress(json.dumps(stack, separators=(",", ":")).encode(), 6)


def _unpack(blob: Any) -> list[dict[str, Any]]:
    try:
        stack = json.loads(zlib.decompress(blob))
    except (TypeError, ValueError, zlib.error):
        return []
    return [d for d in stack if isinstance(d, dict)][-DEPTH:] if isinstance(stack, list) else []


def history_id() -> str:
    """This session's undo-history id (made on first use)."""
    ss = st.session_state
    if not isinstance(ss.get(K_HISTORY_ID), str):
        ss[K_HISTORY_ID] = secrets.token_urlsafe(16)
    return ss[K_HISTORY_ID]


def restore() -> None:
    """Once per session: take over the undo history the address names (``&u=``), if the server kept it."""
    if isinstance(st.session_state.get(K_HISTORY_ID), str):
        return
    asked = st.query_params.get(HISTORY_PARAM)
    history_id()  # a new id of this session's own, whatever the address said
    blob = _kept().get(asked) if isinstance(asked, str) and 0 < len(asked) <= 64 else None
    if blob is None:
        return
    st.session_state[K_HISTORY] = _unpack(blob)
    st.session_state[K_HISTORY_SEEN] = copy.deepcopy(draft())


def _keep() -> None:
    _kept().put(history_id(), _pack(st.session_state.get(K_HISTORY) or []))


def track() -> None:
    """Remember the draft as it was before this run's change (call once per run, before drawing)."""
    ss = st.session_state
    now = draft()
    seen = ss.get(K_HISTORY_SEEN)
    if seen is None:
        ss[K_HISTORY] = ss.get(K_HISTORY) or []
    elif seen != now:
        ss[K_HISTORY] = [*ss[K_HISTORY], seen][-DEPTH:]
    else:
        return
    ss[K_HISTORY_SEEN] = copy.deepcopy(now)
    _keep()


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
    _keep()


def undo_button() -> None:
    """The sidebar's undo button (disabled when there is nothing to undo)."""
    n = len(st.session_state.get(K_HISTORY) or [])
    st.sidebar.button("Undo last edit", key="undo", on_click=undo, disabled=not n, icon=":material/undo:",
                      width="stretch", help=f"{n} edit{'s' if n != 1 else ''} can be undone" if n else
                      "Nothing to undo yet")
