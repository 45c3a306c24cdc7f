"""The Scenarios page's selections and callbacks: every pick is an id (a saved scenario's id, a version number).

The page's select boxes are bound to the typed UI state (``ui.saved_pick``,
``ui.load_version[<id>]``, ``ui.hr_version[<id>]``, ``ui.compare``) with the ids
they may hold, so a label a browser sends back after the options changed is
ignored instead of being read as a version number. Widgets that belong to one
saved scenario have a key naming it (``saved.<id>.dup_name``).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from compcore.io.store import SavedScenario
from ui import hr_links, saved
from ui.binding import bind
from ui.session import K_FLASH, K_HR_VERSION
from ui.ui_state import set_ui, ui

__all__ = ["CURRENT", "compare_binding", "dup_binding", "duplicate", "make_hr_link", "pick_binding", "saved_key",
           "version_binding"]

#: the compare picker's id of the scenario this session shows (saved ids are random url-safe text, never this)
CURRENT = "(current)"


def saved_key(scenario_id: str, *parts: str) -> str:
    """The widget key of something of one saved scenario: ``saved.<id>.<part>``."""
    return ".".join(("saved", scenario_id, *parts))


def pick_binding(ids: list[str]) -> dict[str, Any]:
    """Kwargs of the saved-scenario picker (by id)."""
    return bind("pick_saved", ("ui", "saved_pick"), default=ids[0], options=ids)


def picked(ids: list[str]) -> str:
    """The saved scenario picked (its id; the first when none or a deleted one is stored).

    It is stored once shown, so a scenario saved or duplicated later (listed first) does not take its place.
    """
    got = ui("saved_pick")
    if got not in ids:
        got = ids[0]
        set_ui("saved_pick", got)
    return got


def version_binding(what: str, scenario_id: str, versions: list[int]) -> dict[str, Any]:
    """Kwargs of a version picker of one saved scenario (``what``: ``load_version`` or ``hr_version``)."""
    return bind(saved_key(scenario_id, what), ("ui", what, scenario_id), default=versions[0], options=versions)


def version(what: str, scenario_id: str, versions: list[int]) -> int:
    """The version picked for ``scenario_id`` (the latest when none or a stale one is stored)."""
    got = ui(what).get(scenario_id)
    return got if got in versions else versions[0]


def make_hr_link(scenario_id: str, versions: list[int]) -> None:
    """Button callback: a read-only link of the version picked (read from the typed UI state, never a label)."""
    st.session_state[K_HR_VERSION] = version("hr_version", scenario_id, versions)
    hr_links.make_link(scenario_id)


def dup_binding(rec: SavedScenario) -> str:
    """The key of the "Duplicate as" box of ``rec``, proposing "<name> (copy)" until the person types another."""
    key = saved_key(rec.id, "dup_name")
    if not isinstance(st.session_state.get(key), str):
        st.session_state[key] = f"{rec.name} (copy)"
    return key


def duplicate(scenario_id: str, name: str) -> None:
    """Button callback: duplicate under the name typed (blank: "<name> (copy)")."""
    typed = st.session_state.get(saved_key(scenario_id, "dup_name"))
    new = typed.strip() if isinstance(typed, str) and typed.strip() else f"{name} (copy)"
    saved.on_duplicate(scenario_id, new)
    if (st.session_state.get(K_FLASH) or ("",))[0] == "success":
        st.session_state.pop(saved_key(scenario_id, "dup_name"), None)


def compare_binding(options: list[str]) -> dict[str, Any]:
    """Kwargs of the "Scenarios to compare" multiselect (ids: :data:`CURRENT` and saved ids).

    The first two are picked once and stored, so a scenario saved later (listed first) joins only when picked.
    """
    if ui("compare") is None and len(options) >= 2:
        set_ui("compare", options[:2])
    return bind("compare_pick", ("ui", "compare"), default=options[:2], options=options,
                to_widget=lambda v: [x for x in v if x in options][:4] if isinstance(v, list) else options[:2])
