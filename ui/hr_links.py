"""Read-only HR links: ``?hr=<token>`` opens one saved scenario version's plan document and nothing else.

A token is a capability made by :meth:`compcore.io.store.ScenarioStore.share_token`
(256 random bits, one scenario version, optional expiry, revocable). With
``?hr=`` in the URL ``app.py`` registers only the plan document, skips the
sign-in and never applies ``?s=`` or ``?scenario=``: whatever else the URL says,
the viewer sees that document, and no widget of it writes to the store.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from compcore.errors import PlanError
from compcore.io.store import SavedScenario, ShareToken
from compcore.report.impact import cost_sentence
from compcore.report.what_changes import team_change_lines, team_changes
from compcore.simulation.impact import impact
from compcore.simulation.scenario import dump_scenario, load_scenario
from ui import saved, state
from ui.session import K_HR_DAYS, K_HR_FLASH, K_HR_OPENED, K_HR_VERSION, K_SAVE_AUTHOR
from ui.tables import hide_table_downloads
from ui.text import md

__all__ = ["DOC_PARAM", "HR_PARAM", "K_HR_DAYS", "ORG_DOC", "K_HR_VERSION", "document_link", "hr_document", "hr_url",
           "is_hr_view", "make_link", "open_hr_link", "revoke", "stamp", "take_flash", "tokens"]

#: the query parameter of a read-only HR link
HR_PARAM = "hr"
#: which document of the link's scenario: ``org`` (the default for an org) or a plan id
DOC_PARAM = "doc"
#: the org summary's ``doc=`` value
ORG_DOC = "org"
_PAGE = Path(__file__).resolve().parents[1] / "pages" / "plan_document.py"


def is_hr_view() -> bool:
    """True when the URL carries ``?hr=`` (even an empty or bad one: never fall back to the editor)."""
    return HR_PARAM in st.query_params


def hr_url(token: str) -> str:
    """The full read-only link of a token."""
    return f"{saved.app_url()}?{HR_PARAM}={token}"


def open_hr_link() -> SavedScenario | None:
    """Set up the HR session from ``?hr=<token>``: the scenario it opens, or None (the reason shown plainly).

    The token is checked with the store on every run, so a revoked or expired
    link stops working at the viewer's next interaction.
    """
    hide_table_downloads()
    state.init_state()
    token = st.query_params.get(HR_PARAM, "")
    try:
        rec = saved.store().open_token(token)
    except PlanError as e:  # unknown, revoked, expired, or the database cannot be reached
        st.session_state[K_HR_OPENED] = None
        st.error(md(str(e)), icon=":material/link_off:")  # a database message may quote anything
        return None
    opened = st.session_state.get(K_HR_OPENED)
    if not opened or opened.get("token") != token:
        state.set_scenario(dump_scenario(load_scenario(rec.data)))
        st.session_state[K_HR_OPENED] = {"token": token, "id": rec.id, "version": rec.version}
    # the trials and seed of the editor who made the link: the same draws, so the same numbers
    for name, value in (("trials", rec.trials), ("seed", rec.seed)):
        if value is not None:
            state.set_ui(name, int(value))
    return rec


def hr_document(options: list[str], is_org: bool) -> str:
    """The document an HR link shows: its ``?doc=`` when that names one, else the org summary (an org) or the plan.

    ``options`` are the plan ids of the link's scenario (and ``org`` for an org).
    """
    asked = st.query_params.get(DOC_PARAM)
    if asked in options:
        return str(asked)
    return ORG_DOC if is_org else options[0]


def _content(data: dict[str, Any]) -> str:
    """A saved scenario's content without its name (a rename is a new version that changes nothing)."""
    return json.dumps({k: v for k, v in dump_scenario(load_scenario(data)).items() if k != "name"}, sort_keys=True)


def replaced_version(rec: SavedScenario) -> SavedScenario | None:
    """The latest earlier version of ``rec``'s scenario whose content differs from it, or None.

    None too when the history cannot be read (the section is left out; the document still shows).
    """
    try:
        earlier = [v for v in saved.store().history(rec.id) if v.version < rec.version]
        now = _content(rec.data)
        return next((v for v in reversed(earlier) if _content(v.data) != now), None)
    except PlanError:
        return None


@st.cache_data(max_entries=8, show_spinner=False)
def _changes(before: str, after: str, trials: int, seed: int, period: str, currency: str) -> tuple[Any, str]:
    """Per team changes and the cost sentence of two versions on common random numbers (cached by content)."""
    imp = impact(json.loads(before), json.loads(after), trials=trials, seed=seed)
    return team_changes(imp), cost_sentence(imp, period, currency)


def show_changes(rec: SavedScenario, teams: list[str] | None, period: str, currency: str) -> None:
    """'What changes for you': each team's payout, pay and chance at target against the version this replaced.

    ``teams``: only these (a plan's document), None for all. Nothing is shown for a first version.
    """
    old = replaced_version(rec)
    if old is None:
        return
    st.subheader("What changes for you")
    with st.spinner("Comparing with the version this one replaced…"):
        table, cost = _changes(_content(old.data), _content(rec.data), int(state.ui("trials")),
                               int(state.ui("seed")), period, currency)
    if teams is not None:
        table = table[table["team"].isin(teams)]
    st.caption(f"Against version {old.version} (saved {old.created_at:%Y-%m-%d}), on the same simulated "
               f"{period}s, so every difference is the change itself.")
    for line in team_change_lines(table, period, currency):
        st.text(line)
    if teams is None:
        st.text(cost)


def document_link(doc: str, label: str) -> None:
    """A link to another document of the same HR link (``?hr=<token>&doc=<doc>``), opened in the same tab.

    ``label`` is markdown source (escape names with :func:`ui.text.md`); ``doc`` is a plan id or ``org``.
    """
    params = {HR_PARAM: st.query_params.get(HR_PARAM, ""), DOC_PARAM: doc}
    try:
        st.page_link(str(_PAGE), label=label, icon=":material/description:", query_params=params)
    except StreamlitAPIException:  # the page run on its own (no st.navigation, as in AppTest): a plain link
        st.link_button(label, "?" + urlencode(params), icon=":material/description:")


def stamp(rec: SavedScenario) -> str:
    """'Saved version 3 · 2026-01-31 14:05 UTC by Ana' for the HR document."""
    by = f" by {rec.author}" if rec.author else ""
    return f"Saved version {rec.version} · {rec.created_at:%Y-%m-%d %H:%M} UTC{by}"


# ---------------------------------------------------------------- the Scenarios page: make, list, revoke


def take_flash() -> tuple[str, str] | None:
    return st.session_state.pop(K_HR_FLASH, None)


def _author() -> str | None:
    """Who makes a link: the signed-in e-mail, else the name typed in the Save box."""
    email = st.user.get("email") if st.user.get("is_logged_in", False) else None
    return str(email) if email else (st.session_state.get(K_SAVE_AUTHOR) or None)


def make_link(scenario_id: str) -> None:
    """Button callback: a new read-only link for the chosen version, expiring after the chosen days (0: never)."""
    version: Any = st.session_state.get(K_HR_VERSION)
    days: Any = st.session_state.get(K_HR_DAYS)
    try:
        expires = timedelta(days=float(days)) if days else None
        # the link opens with this session's trials and seed, so HR sees the numbers the editor sees
        token = saved.store().share_token(scenario_id, version=int(version) if version else None, author=_author(),
                                          expires=expires, trials=int(state.ui("trials")),
                                          seed=int(state.ui("seed")))
    except (PlanError, ValueError, OverflowError) as e:
        st.session_state[K_HR_FLASH] = ("error", f"No link was made: {e}")
        return
    st.session_state[K_HR_FLASH] = ("link", hr_url(token))


def revoke(token: str) -> None:
    """Button callback: end a read-only link now."""
    try:
        saved.store().revoke_token(token)
    except PlanError as e:
        st.session_state[K_HR_FLASH] = ("error", f"The link was not revoked: {e}")
        return
    st.session_state[K_HR_FLASH] = ("success", "The link was revoked; it no longer opens anything.")


def tokens(scenario_id: str) -> list[ShareToken]:
    """The read-only links of one scenario, newest first ([] when the database cannot be read)."""
    try:
        return saved.store().tokens(scenario_id)
    except PlanError:
        return []
