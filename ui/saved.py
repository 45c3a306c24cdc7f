"""Saved scenarios in the app: the store, ``?scenario=<id>`` links (ids only, never names), comparisons.

Read-only HR links (``?hr=<token>``) live in :mod:`ui.hr_links`.

The bridge from the Scenarios and Plan document pages to :mod:`compcore.io.store`,
:mod:`compcore.report.compare` and :mod:`compcore.report.document`. Session state is owned
by :mod:`ui.state`; this module keeps its one key there (``session.K_SAVED``).

Database URL: ``COMPCORE_DB_URL`` from Streamlit secrets, else the environment
variable, else the SQLite default of :func:`compcore.io.store.default_url`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from compcore.errors import PlanError
from compcore.io.store import SavedScenario, ScenarioNotFoundError, ScenarioStore
from compcore.simulation.scenario import Scenario, dump_scenario, load_scenario
from compcore.simulation.simulate import simulate
from ui import session, state
from ui.session import K_FLASH, K_SAVE_AUTHOR, K_SAVE_NAME, K_SAVE_NAME_FOR
from ui.settings import setting

#: query parameter of a link to a saved scenario (its id; an editor link, behind the sign-in)
SCENARIO_PARAM = "scenario"
#: the query parameter naming which document of an org an HR link opens (a plan id, or "org")
DOC_PARAM = "doc"


def hr_document() -> str | None:
    """The document an HR link asks for (``?doc=``), or None (only a document of the link's own scenario)."""
    return st.query_params.get(DOC_PARAM)


def db_url() -> str | None:
    """``COMPCORE_DB_URL`` from Streamlit secrets or the environment (None: the SQLite default)."""
    return setting("COMPCORE_DB_URL")


@st.cache_resource(show_spinner=False)
def _store(url: str | None) -> ScenarioStore:
    return ScenarioStore(url)


def store() -> ScenarioStore:
    """The scenario store (one per database URL, shared by all sessions)."""
    return _store(db_url())


# ---------------------------------------------------------------- loading into the canonical scenario


def _remember(rec: SavedScenario) -> None:
    by = f" by {rec.author}" if rec.author else ""
    st.session_state[session.K_SAVED] = {"id": rec.id, "version": rec.version, "label": rec.label,
                                       "when": f"{rec.created_at:%Y-%m-%d %H:%M} UTC{by}",
                                       "data": json.dumps(rec.data, sort_keys=True)}


def load(scenario_id: str, version: int | None = None) -> SavedScenario:
    """Make a saved scenario (latest or given version, by id) the canonical scenario of this session."""
    rec = store().get(scenario_id, version, by_name=False)
    state.set_scenario(dump_scenario(load_scenario(rec.data)))
    _remember(rec)
    return rec


def apply_saved_link() -> None:
    """Open ``?scenario=<id>`` (once per id per session); an unknown id becomes a clear notice."""
    sid = st.query_params.get(SCENARIO_PARAM)
    ss = st.session_state
    if not sid or ss.get(session.K_SAVED_LINK) == sid:
        return
    ss[session.K_SAVED_LINK] = sid
    try:
        load(sid)
    except ScenarioNotFoundError:
        shown = sid if len(sid) <= 40 else sid[:37] + "..."
        state.set_notice(f"No saved scenario has the id {shown!r}: it may have been deleted, or the link was "
                         "cut short. The sample scenario is shown instead.")
        state.set_scenario(state.default_scenario())
    except PlanError as e:
        state.set_notice(f"The saved scenario {sid!r} could not be opened: {e}")


def save_current(name: str, author: str | None) -> SavedScenario:
    """Save the last valid scenario under ``name`` (a new version if the name exists)."""
    rec = store().save(name, dump_scenario(state.valid()), author=author or None)
    state.set_scenario(dump_scenario(load_scenario(rec.data)))  # the scenario now carries the saved name
    _remember(rec)
    return rec


def current_saved() -> dict[str, Any] | None:
    """The saved record this session's scenario came from, if it is unchanged since; else None."""
    ref = st.session_state.get(session.K_SAVED)
    if not ref:
        return None
    now = json.dumps(dump_scenario(state.valid()), sort_keys=True)
    same = now == json.dumps(dump_scenario(load_scenario(json.loads(ref["data"]))), sort_keys=True)
    return ref if same else None


def stamp(now: str) -> str:
    """Version/date line for the plan document: the saved version, or an unsaved note with the time."""
    ref = current_saved()
    if ref:
        return f"Saved version {ref['version']} · {ref['when']}"
    ref = st.session_state.get(session.K_SAVED)
    based = f", based on {ref['label']}" if ref else ""
    return f"Unsaved scenario{based}, shown {now}"


# ---------------------------------------------------------------- links


def app_url(page: str = "") -> str:
    """This app's base URL with ``page`` as the path (e.g. ``plan_document``), no query."""
    raw = st.context.url or "http://localhost:8501/"
    parts = urlsplit(raw)
    path = parts.path.rstrip("/")
    known = {"plan_designer", "payout_curves", "cost_simulation", "scenarios", "plan_document",
             "targets_from_data"}
    if path.rsplit("/", 1)[-1] in known:
        path = path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/{page}" if page else f"{path}/", "", ""))


# ---------------------------------------------------------------- simulations of other scenarios


@st.cache_resource(show_spinner=False, max_entries=16)
def _simulate(data_json: str, trials: int, seed: int) -> Any:
    return simulate(load_scenario(data_json), trials=trials, seed=seed)


def simulation_of(scn: Scenario) -> Any:
    """The simulation of any scenario at this session's trials and seed, cached by content."""
    return _simulate(json.dumps(dump_scenario(scn), sort_keys=True), int(state.ui("trials")), int(state.ui("seed")))


# ---------------------------------------------------------------- the Scenarios page's callbacks


def take_flash() -> tuple[str, str] | None:
    """The (kind, message) of the last save / load / duplicate / delete, shown once."""
    return st.session_state.pop(K_FLASH, None)


def propose_save_name(name: str) -> None:
    """Offer the scenario's own name in the Save box until the user types another (or the scenario changes)."""
    if st.session_state.get(K_SAVE_NAME_FOR) != name:
        st.session_state[K_SAVE_NAME] = name
        st.session_state[K_SAVE_NAME_FOR] = name


def on_save() -> None:
    name = (st.session_state.get(K_SAVE_NAME) or "").strip()
    try:
        rec = save_current(name, st.session_state.get(K_SAVE_AUTHOR))
    except PlanError as e:
        st.session_state[K_FLASH] = ("error", str(e))
        return
    st.session_state[K_FLASH] = ("success", f"Saved “{rec.name}” as version {rec.version}.")


def on_load(id_or_name: str, version: int | None) -> None:
    try:
        rec = load(id_or_name, version)
    except PlanError as e:
        st.session_state[K_FLASH] = ("error", str(e))
        return
    st.session_state[K_FLASH] = ("success", f"Loaded “{rec.name}” version {rec.version}; "
                                           "every page now shows it.")


def on_duplicate(id_: str, name: str) -> None:
    """Duplicate saved scenario ``id_`` as ``name`` (the result is flashed on the page)."""
    try:
        rec = store().duplicate(id_, name)
    except PlanError as e:
        st.session_state[K_FLASH] = ("error", str(e))
        return
    st.session_state[K_FLASH] = ("success", f"Duplicated as “{rec.name}”.")


def on_delete(id_: str, name: str) -> None:
    try:
        store().delete(id_)
    except PlanError as e:
        st.session_state[K_FLASH] = ("error", str(e))
        return
    st.session_state[K_FLASH] = ("success", f"Deleted “{name}” and its history.")
