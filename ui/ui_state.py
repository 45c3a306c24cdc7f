"""The UI state beside the scenario: typed, every selection an id, validated when read.

The session keeps it as a plain dict (``K_UI``) because widgets write into it by
path (:func:`ui.binding.bind`); every read goes through :class:`UiState`, so a
value that is stale or impossible (a component's *label* where its id belongs,
an index, an id of a deleted plan, garbage) reads as the field's default and
never raises. Selections that depend on the scenario (the plan being edited,
the component being edited) are checked against it by :mod:`ui.state`.

Keys other modules keep under ``K_UI`` (``tfd`` of the Targets page, the
solver's ``solve_*``) are extras: returned as stored, validated by their owner.
Data editors' versions (``K_VERSIONS``) live here too: bumping one resets that
editor's widget state.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import streamlit as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ui.session import K_UI, K_VERSIONS

__all__ = ["BLANK_SOURCE", "TRIAL_CHOICES", "UI_DEFAULTS", "UiState", "bump_editor", "bump_editors", "editor_key",
           "read", "read_field", "set_ui", "ui"]

TRIAL_CHOICES = (1_000, 10_000, 50_000, 100_000)
#: "New plan from": a blank plan (the other choices are ``copy:<plan id>`` and ``sample:<sample id>``)
BLANK_SOURCE = "blank"


class UiState(BaseModel):
    """What this session picks and shows beside the scenario (not part of it; never in a link).

    Every selection is an id: a plan id, a component id, a metric id, a sample
    plan's file name, a team name (teams are named, not numbered).

    >>> UiState.model_validate({"trials": "1000", "component": {"pmo": "go_lives"}}).trials
    1000
    """

    model_config = ConfigDict(extra="allow")

    trials: int = Field(10_000, ge=100, le=1_000_000)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    rebalance: bool = True  # "Keep weights at 100%"
    plan_id: str | None = None  # the plan being edited (None: the first)
    component: dict[str, str] = {}  # plan id -> id of the component being edited in that plan
    held: dict[str, float] = {}  # metric id -> attainment held on the Payout curves page
    actuals: dict[str, float] = {}  # metric id -> actual typed in "what would someone earn"
    sweep_metric: str | None = None  # metric id
    heat_x: str | None = None  # metric id
    heat_y: str | None = None  # metric id
    start_from: dict[str, str] = {}  # plan id -> sample plan id (file name without .json) or "blank" to load
    new_plan_from: str = BLANK_SOURCE  # "blank" | "copy:<plan id>" | "sample:<sample id>"
    import_result: tuple[bool, str] | None = None  # (ok, message) of the last JSON import on the designer
    delete_plan: str | None = None  # the plan id waiting for "delete this plan?" to be confirmed
    fair_team: str | None = None  # the team whose fairness breakdown the Cost page shows
    document: str | None = None  # the plan document of an org: a plan id or "org" (the summary)
    # the Scenarios page (ui/scenarios_page.py): saved scenarios by id, versions by number
    saved_pick: str | None = None  # id of the saved scenario picked
    load_version: dict[str, int] = {}  # saved scenario id -> version to load
    hr_version: dict[str, int] = {}  # saved scenario id -> version a new HR link opens
    compare: list[str] | None = None  # ids compared: "(current)" and saved ids (None: the first two)
    impact_before: str | None = None  # "Who wins, who loses": the id of the scenario before (ui/impact.py)
    impact_after: str | None = None  # and after


#: the defaults, as stored (a fresh session starts with these)
UI_DEFAULTS: dict[str, Any] = UiState().model_dump()
_FIELDS = UiState.model_fields


def read_field(raw: Mapping[str, Any], name: str) -> Any:
    """The value of field ``name`` in ``raw`` (the stored dict), or its default when absent or invalid.

    A name that is not a field (another module's extra) is returned as stored.

    >>> read_field({"component": 0}, "component")  # an index where ids belong: the default
    {}
    >>> read_field({"trials": "All go-lives live"}, "trials")
    10000
    >>> read_field({"plan_id": "pmo"}, "plan_id")
    'pmo'
    """
    if name not in _FIELDS:
        return raw.get(name) if isinstance(raw, Mapping) else None
    if not isinstance(raw, Mapping) or name not in raw:
        return copy.deepcopy(UI_DEFAULTS[name])
    try:
        return getattr(UiState.model_validate({name: raw[name]}), name)
    except ValidationError:
        return copy.deepcopy(UI_DEFAULTS[name])


def read(raw: Mapping[str, Any]) -> UiState:
    """The whole UI state, each field validated on its own (one bad field never resets the others).

    >>> s = read({"seed": -1, "rebalance": False, "tfd": {"x": 1}})
    >>> (s.seed, s.rebalance, s.model_extra["tfd"])
    (0, False, {'x': 1})
    """
    raw = raw if isinstance(raw, Mapping) else {}
    extras = {k: v for k, v in raw.items() if k not in _FIELDS}
    return UiState.model_validate({name: read_field(raw, name) for name in _FIELDS} | extras)


def _store() -> dict[str, Any]:
    ss = st.session_state
    if not isinstance(ss.get(K_UI), dict):  # never set, or replaced by something that is not a dict
        ss[K_UI] = copy.deepcopy(UI_DEFAULTS)
    return ss[K_UI]


def ui(name: str) -> Any:
    """A view setting (trials, seed, the plan being edited, held attainments, ...), validated."""
    return read_field(_store(), name)


def set_ui(name: str, value: Any) -> None:
    """Store a view setting (it is validated when read)."""
    _store()[name] = value


# ---------------------------------------------------------------- data editors


def _versions() -> dict[str, int]:
    ss = st.session_state
    if not isinstance(ss.get(K_VERSIONS), dict):
        ss[K_VERSIONS] = {}
    return ss[K_VERSIONS]


def editor_key(name: str) -> str:
    """The current key of a data editor (changes after each applied edit, resetting it)."""
    return f"{name}_v{_versions().get(name, 0)}"


def bump_editor(name: str) -> None:
    """Reset one data editor (its rows are re-seeded from the scenario on the next run)."""
    versions = _versions()
    versions[name] = versions.get(name, 0) + 1


def bump_editors() -> None:
    """Reset every data editor, after an edit that may change what their rows are."""
    st.session_state[K_VERSIONS] = {k: v + 1 for k, v in _versions().items()}
