"""State of the "Targets from data" page (issue 6): its settings, the CS records, cached results.

Settings of the page are view settings under ``ui["tfd"]``: "source" (sample | upload),
"files" ({file name: bytes} of the last upload), "spec" (the metric definition being explored), "period",
"by", "plan_metric", "percentile", "fit_kind", "fill_missing" and "mapping" ({plan metric id: spec}, the
definitions the back-test uses; first guessed from the plan's metric names). Results are cached on the data
(a hash of the files) and the inputs; writing a target or an assumption goes into the canonical scenario.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Hashable
from typing import Any

import streamlit as st

from compcore.data import targets
from compcore.data.backtest import backtest
from compcore.data.definitions import renamed_for
from compcore.data.metrics import load_cs_data
from compcore.data.plan_targets import targets_by_plan
from compcore.data.targets import backtest_histories, files_to_frames, suggest_mapping
from compcore.plan.schema import Plan
from compcore.simulation.scenario import Scenario, dump_scenario
from ui import data_import
from ui.lru import Lru
from ui.session import K_UI
from ui.state import (
    ROOT,
    commit_plan_change,
    draft,
    draft_plan,
    plan_id,
    revalidate,
    set_value_at,
    valid,
    valid_plan,
    value_at,
)


def tfd_path(*parts: Hashable) -> tuple[Hashable, ...]:
    """Path of a "Targets from data" setting, for :func:`bind`."""
    return (K_UI, "tfd", *parts)


def tfd(name: str, default: Any = None) -> Any:
    """A "Targets from data" setting."""
    return value_at(tfd_path(name), default)


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


@st.cache_data(show_spinner=False, max_entries=4)
def _cs_data(token: str, _files: dict[str, bytes] | None) -> Any:
    return load_cs_data(ROOT / "sample_data" if _files is None else files_to_frames(_files))


def cs_data() -> Any:
    """The CS records in use (sample folder or the upload); raises PlanError naming file, column and rows."""
    if tfd("source") == "export":
        return data_import.export_data()  # the export read through its column mapping (cached there)
    token = _tfd_token()
    return _cs_data(token, None if token == "sample" else tfd("files"))


def _on_cs_upload(key: str) -> None:
    uploads = st.session_state.get(key) or []
    set_value_at(tfd_path("files"), {u.name: u.getvalue() for u in uploads} or None)


def cs_upload_binding() -> dict[str, Any]:
    """Kwargs for the multi-file CSV uploader; files are kept under ui["tfd"]["files"] across pages."""
    return {"key": "tfd_upload", "on_change": _on_cs_upload, "args": ("tfd_upload",)}


@st.cache_data(show_spinner=False, max_entries=64)
def _tfd_call(token: str, fn: str, args_json: str, _data: Any) -> Any:
    args, kwargs = json.loads(args_json)
    return getattr(targets, fn)(_data, *args, **kwargs)


def tfd_compute(fn: str, *args: Any, **kwargs: Any) -> Any:
    """``compcore.data.targets.<fn>(cs_data(), *args, **kwargs)`` cached on the data and the (JSON) arguments."""
    return _tfd_call(_tfd_token(), fn, json.dumps([args, kwargs], sort_keys=True), cs_data())


def tfd_mapping() -> dict[str, dict[str, Any]]:
    """Plan metric id -> metric spec used by the back-test (guessed from the plan the first time)."""
    if tfd("mapping") is None:
        set_value_at(tfd_path("mapping"), suggest_mapping(valid_plan()))
    return tfd("mapping")


def tfd_backtest(fill_missing: str) -> Any:
    """The back-test of the valid scenario's plan and roster on the mapped histories (cached)."""
    scn = valid()
    key = json.dumps({"data": _tfd_token(), "mapping": tfd_mapping(), "fill": fill_missing,
                      "plan": dump_scenario(scn), "plan_id": plan_id()}, sort_keys=True, default=str)
    hit = _tfd_cache().get(key)
    if hit is None:
        # an org: the plan being edited, over the people on it
        plan, rows = valid_plan(), [scn.roster[i] for i in scn.plan_rows.get(plan_id(), [])] or list(scn.roster)
        hit = backtest(plan, backtest_histories(cs_data(), tfd_mapping(), plan),
                       [r.model_copy(update={"plan": None}) for r in rows], fill_missing=fill_missing)
        _tfd_cache().put(key, hit)
    return hit


@st.cache_resource(show_spinner=False)
def _tfd_cache() -> Lru:
    return Lru(8)  # back-tests, apart from the simulation caches so they never evict a priced simulation


def map_metric(metric_id: str, spec: dict[str, Any] | None) -> None:
    """Measure a plan metric with ``spec`` in the back-test (None: hold it at target)."""
    mapping = dict(tfd_mapping())
    if spec is None:
        mapping.pop(metric_id, None)
    else:
        mapping[metric_id] = dict(spec)
    set_value_at(tfd_path("mapping"), mapping)


#: the "How each metric is defined" help of the Targets page (our own text, not data)
DEFINITIONS_HELP = """
- **Adopted within N days**: of the clients that went live in a period, the share with at least one week, within
  N days of go-live, in which enough of their licensed seats (or at least K users) were active.
- **Continued adoption**: of the clients live for a while, the share still adopted on average over the last
  weeks of the period.
- **On-time go-live**: of the go-lives due in a period, the share live by the period's end (plus grace days).
- **Activities per person**: executive business reviews, touchpoints or cross-sell leads logged in the period,
  per person of the team.

Files (dates `YYYY-MM-DD`, extra columns ignored): `clients.csv` is required (client_id, owner, team,
contract_start, planned_go_live, actual_go_live, licensed_seats, arr_start, arr_renewal, renewal_date,
churn_date); `usage_weekly.csv` (client_id, week_start, active_users), `activities.csv` (activity_id, date,
owner, team, client_id, kind = touchpoint, ebr or cross_sell_lead) and `people.csv` (owner, team) add the
usage and activity metrics. A period still running is never used for a target or a fit.
"""


def set_metric_target(metric_id: str, target: float, spec: dict[str, Any] | None = None,
                      rename: bool = False) -> None:
    """Button callback: write a plan metric's target into the canonical scenario (and map ``spec`` to it).

    ``rename``: the metric's name contradicted the definition (``definition_conflict``),
    so it is renamed after it and the plan keeps saying what it measures.
    """
    _set_target_in(draft_plan(), metric_id, target, rename, spec)
    if spec is not None:
        map_metric(metric_id, spec)
    commit_plan_change()


def _set_target_in(plan: dict[str, Any], metric_id: str, target: float, rename: bool,
                   spec: dict[str, Any] | None) -> None:
    """Set one metric's target in a draft plan, renaming it after ``spec`` when its name contradicted it."""
    for m in plan.get("metrics", []):
        if m["id"] == metric_id:
            m["target"] = round(float(target), 6)
            if rename and spec is not None:
                m["name"] = renamed_for(m.get("name") or metric_id, spec)


def set_assumption(metric_id: str, assumption: dict[str, Any], spec: dict[str, Any] | None = None) -> None:
    """Button callback: write a metric's assumption into the canonical scenario (used by Cost simulation)."""
    draft().setdefault("assumptions", {})[metric_id] = copy.deepcopy(assumption)
    if spec is not None:
        map_metric(metric_id, spec)
    revalidate()


def plan_teams(scn: Scenario, metric_id: str) -> dict[str, list[str]]:
    """Plan id -> the teams on it (roster order), for the plans that have ``metric_id`` and people on them."""
    out: dict[str, list[str]] = {}
    for pid, rows in scn.plan_rows.items():
        if rows and metric_id in {m.id for m in scn.plans[pid].metrics}:
            out[pid] = list(dict.fromkeys(scn.roster[i].team for i in rows))
    return out


@st.cache_data(show_spinner=False, max_entries=32)
def _plan_targets(key: str, _data: Any, _scn: Scenario, spec_json: str, metric_id: str, percentile: float,
                  share: bool) -> dict[str, float]:
    return targets_by_plan(_data, json.loads(spec_json), _scn.plans, plan_teams(_scn, metric_id), metric_id,
                           percentile, share)


def tfd_plan_targets(spec: dict[str, Any], metric_id: str, percentile: float, share: bool) -> dict[str, float]:
    """Plan id -> target from the history of the teams on that plan (cached on the data, plans and roster)."""
    scn = valid()
    key = json.dumps({"data": _tfd_token(), "plans": {p: dump_scenario(scn)["plans"][p] for p in scn.plans}
                      if scn.is_org else None, "roster": [r.model_dump() for r in scn.roster]},
                     sort_keys=True, default=str)
    return _plan_targets(key, cs_data(), scn, json.dumps(spec, sort_keys=True), metric_id, percentile, share)


def fit_teams(scn: Scenario, metric_id: str) -> list[str]:
    """The teams a per-team fit covers: in an org those on a plan with the metric, else every roster team."""
    if scn.is_org:
        return list(dict.fromkeys(t for teams in plan_teams(scn, metric_id).values() for t in teams))
    return scn.teams


def set_plan_targets(metric_id: str, targets_of: dict[str, float], spec: dict[str, Any] | None = None,
                     rename: bool = False) -> None:
    """Button callback (org): write each plan's target for ``metric_id`` (plan id -> target), map ``spec``."""
    plans = draft().get("plans") or {}
    for pid, target in targets_of.items():
        _set_target_in(plans.get(pid) or {}, metric_id, target, rename, spec)
    if spec is not None:
        map_metric(metric_id, spec)
    commit_plan_change()


def set_by_team(metric_id: str, fit: dict[str, Any], spec: dict[str, Any] | None = None) -> None:
    """Button callback: set the metric's ``by_team`` from a per-team fit; the default stays when there is one."""
    assumptions = draft().setdefault("assumptions", {})
    current = assumptions.get(metric_id)
    if current:
        current["by_team"] = copy.deepcopy(fit.get("by_team") or {})
        if not current["by_team"]:
            del current["by_team"]
    else:
        assumptions[metric_id] = copy.deepcopy(fit)
    if spec is not None:
        map_metric(metric_id, spec)
    revalidate()


@st.cache_data(show_spinner=False, max_entries=32)
def _fit_by_team(key: str, _data: Any, _plan: Plan, spec_json: str, metric_id: str, teams: tuple[str, ...],
                 kind: str) -> dict[str, Any]:
    return targets.fit_by_team(_data, json.loads(spec_json), _plan, metric_id, list(teams), kind)


def tfd_fit_by_team(spec: dict[str, Any], plan: Plan, metric_id: str, teams: list[str],
                    kind: str = "auto") -> dict[str, Any]:
    """:func:`compcore.data.targets.fit_by_team` on the records in use (cached on data, period, scope, teams)."""
    m = plan.metric(metric_id)
    key = json.dumps([_tfd_token(), plan.period, m.scope], default=str)
    return _fit_by_team(key, cs_data(), plan, json.dumps(spec, sort_keys=True), metric_id, tuple(teams), kind)
