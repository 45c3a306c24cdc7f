"""State of the "Targets from data" page: its settings (validated when read), the CS records, cached results.

Settings are view settings under ``ui["tfd"]``: "source" (sample | upload | export), "files" ({file name:
bytes} of the last CSV upload, kept for the session), "spec" (the definition being explored), "period", "by",
"plan_metric" ({plan id: metric id}: the plan metric picked, per plan), "percentile", "fit_kind",
"fill_missing" and "held" (metric ids the back-test holds at target). Selections are stored by id and
read through functions that fall back to a valid value. A metric's definition is not a page setting: it
is stored with the metric (compcore.data.definitions); writing a target, an assumption or a persistence
goes into the canonical scenario (ui/targets_actions.py).

Everything that depends on the records only (histories, last year, owners' teams) is cached in one LRU
shared by the sessions, keyed on (records, definition, period, breakdown); what depends on the percentile
is computed from the cached histories on each rerun (a quantile: microseconds).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
import streamlit as st

from compcore.data import targets
from compcore.data.backtest import backtest
from compcore.data.definitions import canonical, metric_definition, same_definition
from compcore.data.fit import FIT_KINDS, fit_assumption
from compcore.data.metrics import load_cs_data
from compcore.data.persistence import Persistence, fit_persistence
from compcore.data.plan_targets import plan_targets_from_history
from compcore.data.targets import files_to_frames, scope_by, suggest_mapping
from compcore.errors import PlanError
from compcore.plan.schema import Plan
from compcore.simulation.distributions import Fixed
from compcore.simulation.scenario import Scenario, dump_scenario
from ui import data_import, state
from ui.lru import Lru
from ui.session import K_UI
from ui.state import ROOT, plan_id, set_value_at, valid, valid_plan, value_at

DEFAULT_SPEC: dict[str, Any] = {"metric": "adoption_within", "days": 90, "min_seat_share": 0.4}


def tfd_path(*parts: Hashable) -> tuple[Hashable, ...]:
    """Path of a "Targets from data" setting, for :func:`bind`."""
    return (K_UI, "tfd", *parts)


def tfd(name: str, default: Any = None) -> Any:
    """A "Targets from data" setting."""
    return value_at(tfd_path(name), default)


# ---------------------------------------------------------------- widgets that come back


#: each setting's valid values (a stale or impossible value falls back to the default: None)
_CHOICES: dict[str, tuple[Any, ...]] = {
    "source": ("sample", "upload", "export"), "period": ("month", "quarter", "half", "year"),
    "by": ("team", "owner", "company"), "rule": ("seats", "users", "both"), "fit_kind": tuple(FIT_KINDS),
    "percentile": tuple(range(0, 101, 5)), "fill_missing": (True, False),
}


def _valid_settings() -> None:
    """Settings read valid: a value no widget offers (an old session, a hand edit) falls back to the default."""
    for name, choices in _CHOICES.items():
        if tfd(name) is not None and tfd(name) not in choices:
            set_value_at(tfd_path(name), None)
    spec = tfd("spec")
    if spec is not None:
        try:
            canonical(spec)
        except (PlanError, TypeError, ValueError, KeyError, AttributeError):
            set_value_at(tfd_path("spec"), None)  # ensure_spec then explores the plan's own definition
    held, picks = tfd("held"), tfd("plan_metric")
    if held is not None and not (isinstance(held, list) and all(isinstance(h, str) for h in held)):
        set_value_at(tfd_path("held"), None)
    if picks is not None and not isinstance(picks, dict):
        set_value_at(tfd_path("plan_metric"), None)


def begin_run() -> None:
    """Call once at the top of the page: settings read valid; the widgets drawn in the last run become
    "drawn before"."""
    if not isinstance(value_at((K_UI, "tfd")), dict):
        set_value_at((K_UI, "tfd"), {})
    _valid_settings()
    set_value_at(tfd_path("drawn_before"), list(tfd("drawn_now") or []))
    set_value_at(tfd_path("drawn_now"), [])


def bind(key: str, path: tuple[Hashable, ...], **kwargs: Any) -> dict[str, Any]:
    """:func:`ui.state.bind`, and the setting pushed to the browser when the widget was not drawn last run.

    A widget the last run did not draw (the page stopped above it for an upload, or another definition
    hid it) is mounted again by the browser at its own default (a slider at 0, a select box at its first
    option) unless the server sends the value, and the browser's value then comes back with the next
    click and overwrites the setting: an upload flipped the percentile to 0 that way. Writing the
    setting into the widget's key in the run that draws it again makes the browser show it.
    """
    if key not in (tfd("drawn_before") or []):
        st.session_state.pop(key, None)  # state.bind then writes it: a write in this run reaches the browser
    drawn = tfd("drawn_now") or []
    if key not in drawn:
        set_value_at(tfd_path("drawn_now"), [*drawn, key])
    return state.bind(key, path, **kwargs)


# ---------------------------------------------------------------- records


def _tfd_token() -> str:
    if tfd("source") == "export":
        return data_import.export_token()
    files = tfd("files") if tfd("source") == "upload" else None
    if not files:
        return "sample"
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    return h.hexdigest()


def data_token() -> str:
    """A key of the CS records in use ("sample", a hash of the upload, or the export's): for caches of results."""
    return _tfd_token()


@st.cache_resource(show_spinner=False)
def _cache() -> Lru:
    # histories, last years, fits and back-tests of a few record sets, apart from the simulation caches
    return Lru(96)


def _cached(key: str, make: Callable[[], Any]) -> Any:
    cache = _cache()
    hit = cache.get(key)
    if hit is None:
        try:
            hit = ("ok", make())
        except PlanError as e:
            hit = ("error", e)  # a definition the records cannot give is worked out once, not on every rerun
        cache.put(key, hit)
    if hit[0] == "error":
        raise hit[1]
    return hit[1]


def cached(key: Any, make: Callable[[], Any]) -> Any:
    """``make()`` cached in the page's shared LRU under ``key`` (JSON of what it depends on); read-only."""
    return _cached(json.dumps(key, sort_keys=True, default=str), make)


def cs_data() -> Any:
    """The CS records in use (sample folder, CSV upload or export); raises PlanError naming file, column, rows."""
    if tfd("source") == "export":
        return data_import.export_data()  # the export read through its column mapping (cached there)
    token = _tfd_token()
    files = None if token == "sample" else tfd("files")
    return _cached(f"data:{token}", lambda: load_cs_data(ROOT / "sample_data" if files is None
                                                         else files_to_frames(files)))


def _on_cs_upload(key: str) -> None:
    uploads = st.session_state.get(key) or []
    if uploads:  # an emptied uploader (e.g. after a page switch) keeps the files of the session
        set_value_at(tfd_path("files"), {u.name: u.getvalue() for u in uploads})


def cs_upload_binding() -> dict[str, Any]:
    """Kwargs for the multi-file CSV uploader; files are kept under ui["tfd"]["files"] across pages."""
    return {"key": "tfd_upload", "on_change": _on_cs_upload, "args": ("tfd_upload",)}


def history(spec: dict[str, Any], period: str, by: str) -> pd.DataFrame:
    """The definition's history by ``period`` and ``by`` on the records in use (cached; do not mutate)."""
    key = json.dumps(["history", _tfd_token(), canonical(spec), period, by], sort_keys=True)
    return _cached(key, lambda: targets.metric_history(cs_data(), spec, period=period, by=by))


def last_year(spec: dict[str, Any], by: str) -> pd.DataFrame:
    """The last complete calendar year by ``by`` (cached)."""
    key = json.dumps(["year", _tfd_token(), canonical(spec), by], sort_keys=True)
    return _cached(key, lambda: targets.last_year(cs_data(), spec, by))


def _team_of() -> dict[str, str] | None:
    data = cs_data()
    if data.people is None:
        return None
    return _cached(f"team_of:{_tfd_token()}", lambda: dict(zip(data.people["owner"], data.people["team"],
                                                               strict=True)))


def history_key(spec: dict[str, Any], period: str, by: str) -> str:
    """A cheap key saying what a history chart shows (for ui.chart_cache)."""
    return json.dumps([_tfd_token(), canonical(spec), period, by], sort_keys=True)


# ---------------------------------------------------------------- settings, read valid


def plan_definition(plan: Plan) -> dict[str, Any]:
    """The definition of the plan's first metric that has one (the page opens on it), else adoption."""
    return next((d for m in plan.metrics if (d := metric_definition(m)) is not None), DEFAULT_SPEC)


def explore(spec: dict[str, Any]) -> None:
    """Show ``spec`` in the definition widgets (the rule select box says which thresholds it has)."""
    full = canonical(spec)
    users, seats = full.get("min_active_users"), full.get("min_seat_share")
    set_value_at(tfd_path("spec"), full)
    set_value_at(tfd_path("rule"), "both" if users and seats else "users" if users else "seats")


def ensure_spec(plan: Plan) -> None:
    """First visit: explore the definition of the plan being edited (go-live for PMO, adoption for Implementation)."""
    if tfd("spec") is None:
        explore(plan_definition(plan))


def plan_metric_path() -> tuple[Hashable, ...]:
    """Where the plan metric picked for the plan being edited is kept (by plan id)."""
    return tfd_path("plan_metric", plan_id())


def plan_metric(plan: Plan, spec: dict[str, Any]) -> str:
    """The plan metric picked on this plan (an id of it), else the first measured by ``spec``, else the first.

    The first guess is kept as the pick: exploring another definition afterwards never moves it.
    """
    picked = value_at(plan_metric_path())
    ids = [m.id for m in plan.metrics]
    if picked in ids:
        return picked
    guess = next((m.id for m in plan.metrics if same_definition(metric_definition(m), spec)), ids[0])
    set_value_at(plan_metric_path(), guess)
    return guess


# ---------------------------------------------------------------- results


def plan_teams(scn: Scenario, metric_id: str) -> dict[str, list[str]]:
    """Plan id -> the teams on it (roster order), for the plans that have ``metric_id`` and people on them."""
    out: dict[str, list[str]] = {}
    for pid, rows in scn.plan_rows.items():
        if rows and metric_id in {m.id for m in scn.plans[pid].metrics}:
            out[pid] = list(dict.fromkeys(scn.roster[i].team for i in rows))
    return out


def plan_targets(spec: dict[str, Any], metric_id: str, percentile: float, share: bool) -> dict[str, float]:
    """Org: plan id -> target from the history of the teams on that plan (histories cached, quantiles not)."""
    scn = valid()
    teams = plan_teams(scn, metric_id)
    if not teams:
        return {}
    first = scn.plans[next(iter(teams))]
    period, by = first.period, scope_by(first.metric(metric_id).scope)
    hist = history(spec, period, by)
    return cached(["plan_targets", history_key(spec, period, by), teams, percentile, share],
                  lambda: plan_targets_from_history(hist, teams, percentile, share, _team_of()))


def fit_teams(scn: Scenario, metric_id: str) -> list[str]:
    """The teams a per-team fit covers: in an org those on a plan with the metric, else every roster team."""
    if scn.is_org:
        return list(dict.fromkeys(t for teams in plan_teams(scn, metric_id).values() for t in teams))
    return scn.teams


def fit_by_team(spec: dict[str, Any], plan: Plan, metric_id: str, teams: list[str],
                kind: str = "auto") -> dict[str, Any]:
    """:func:`compcore.data.targets.fit_by_team` on the records in use (cached on data, period, scope, teams)."""
    m = plan.metric(metric_id)
    key = json.dumps(["by_team", _tfd_token(), canonical(spec), plan.period, m.scope, teams, kind], sort_keys=True)
    if m.scope == "company":  # compcore says why there is no per-team fit
        return _cached(key, lambda: targets.fit_by_team(cs_data(), spec, plan, metric_id, teams, kind))
    hist = history(spec, plan.period, scope_by(m.scope))  # the cached plan history, not a second computation
    return _cached(key, lambda: targets.fit_by_team(cs_data(), spec, plan, metric_id, teams, kind, history=hist))


def fit(plan_hist: pd.DataFrame, key: str, kind: str) -> dict[str, Any]:
    """:func:`compcore.data.fit.fit_assumption` of a cached history (``key`` says which), cached."""
    return _cached(json.dumps(["fit", key, kind]), lambda: fit_assumption(plan_hist, kind))


def persistence(plan_hist: pd.DataFrame, key: str) -> Persistence:
    """:func:`compcore.data.persistence.fit_persistence` of a cached history, cached."""
    return _cached(json.dumps(["persistence", key]), lambda: fit_persistence(plan_hist))


def persistence_supported() -> bool:
    """True once the scenario schema has an assumption's ``persistence`` (the plan year)."""
    return "persistence" in Fixed.model_fields


def measured_by(plan: Plan) -> dict[str, dict[str, Any]]:
    """Plan metric id -> the definition the back-test measures it by (metrics held at target left out)."""
    held = set(tfd("held") or [])
    return {mid: spec for mid, spec in suggest_mapping(plan).items() if mid not in held}


def _scenario_key(scn: Scenario) -> str:
    """A hash of the scenario's JSON, worked out once per valid scenario object (a rerun that changed nothing
    in the scenario, e.g. the percentile slider, does not dump it again)."""
    cache = _cache()
    hit = cache.get(f"scenario:{id(scn)}")
    if hit is None or hit[0] is not scn:  # the object is kept with its hash, so its id is never reused
        text = json.dumps(dump_scenario(scn), sort_keys=True, default=str)
        hit = (scn, hashlib.sha256(text.encode()).hexdigest())
        cache.put(f"scenario:{id(scn)}", hit)
    return hit[1]


def as_of() -> Any:
    """The last date of the records in use (cached)."""
    return _cached(f"as_of:{_tfd_token()}", lambda: cs_data().as_of())


def tfd_backtest(fill_missing: str) -> tuple[str, Any]:
    """(key, back-test) of the valid scenario's plan being edited, over the people on it (cached on the key)."""
    scn, plan = valid(), valid_plan()
    mapping = measured_by(plan)
    key = json.dumps({"data": _tfd_token(), "mapping": mapping, "fill": fill_missing, "plan_id": plan_id(),
                      "scenario": _scenario_key(scn)}, sort_keys=True, default=str)
    rows = [scn.roster[i] for i in scn.plan_rows.get(plan_id(), [])] or list(scn.roster)
    return key, _cached(key, lambda: backtest(plan, plan_histories(plan, mapping),
                                              [r.model_copy(update={"plan": None}) for r in rows],
                                              fill_missing=fill_missing))


def plan_histories(plan: Plan, mapping: dict[str, dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """:func:`compcore.data.targets.backtest_histories` from the cached histories (:func:`history`): a metric
    shared by several plans, or shown in the history section, is computed once."""
    ids = {m.id for m in plan.metrics}
    return {mid: history(spec, plan.period, "company" if plan.metric(mid).scope == "company" else "team")
            for mid, spec in mapping.items() if mid in ids}


#: the "How each metric is defined" help of the Targets page (our own text, not data)
DEFINITIONS_HELP = """
- **Adopted within N days**: of the clients that went live in a period, the share with at least one week, within
  N days of go-live, in which enough of their licensed seats (or at least K users) were active.
- **Continued adoption**: of the clients live for a while, the share still adopted on average over the last
  weeks of the period.
- **On-time go-live**: of the go-lives due in a period, the share live by the period's end (plus grace days).
- **Activities per person**: executive business reviews, touchpoints or cross-sell leads logged in the period,
  per person of the team.

A plan metric is measured by one definition, stored with it: its target, assumption and persistence come only
from that definition's history. Files (dates `YYYY-MM-DD`, extra columns ignored): `clients.csv` is required
(client_id, owner, team, contract_start, planned_go_live, actual_go_live, licensed_seats, arr_start,
arr_renewal, renewal_date, churn_date); `usage_weekly.csv` (client_id, week_start, active_users),
`activities.csv` (activity_id, date, owner, team, client_id, kind = touchpoint, ebr or cross_sell_lead) and
`people.csv` (owner, team) add the usage and activity metrics. A period still running is never used for a
target or a fit.
"""
