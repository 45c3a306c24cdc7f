"""Session state: the one canonical scenario, widget binding, validation, inline problems, page setup.

Every session-state key is a ``K_*`` constant of :mod:`ui.session`; this module is
the bridge from pages to compcore; the other ``ui`` modules reach session
state through it:

- :mod:`ui.plan_editing`: the Plan designer's bindings and button callbacks.
- :mod:`ui.simulation_state`: cached draws, the priced simulation, the Cost
  simulation page's inputs (distributions, roster, correlations).
- :mod:`ui.chart_cache`: drawing charts with their Vega-Lite specs cached.
- :mod:`ui.targets_state`: the "Targets from data" page's settings and results.
- :mod:`ui.share_link`: the ``?s=`` share link (applied in :func:`init`).
- :mod:`ui.saved`: saved scenarios and ``?scenario=<id>`` links.

Rules (docs/app.md, "Layers and their rules"):

- ``K_SCENARIO`` (``"scenario"``) is the canonical scenario *as the user typed
  it* (a JSON-ready dict; it may be invalid while they type, nothing is lost).
  ``K_VALID`` is the last valid
  :class:`compcore.simulation.scenario.Scenario`; every chart and number uses it.
- Widgets never own state: :func:`bind` re-seeds a widget's value from the
  scenario on every run and writes changes back in an ``on_change`` callback,
  so switching pages and back loses nothing and no widget snaps back.
- Metric draws are cached on (assumptions, correlations, roster, metric
  scopes, trials, seed) only; a plan edit re-prices the cached draws.
- compcore's :class:`~compcore.errors.PlanError` becomes inline messages next
  to the field whose path it names; any other exception surfaces.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import streamlit as st

from compcore.errors import PlanError
from compcore.plan.editing import erased_component_names
from compcore.plan.schema import load_plan
from compcore.simulation.assumptions import reconcile_scenario
from compcore.simulation.scenario import Scenario, dump_scenario, load_scenario
from ui.session import (
    K_BASELINE,
    K_LINK,
    K_NOTICE,
    K_PROBLEMS,
    K_SAVED,
    K_SAVED_LINK,
    K_SCENARIO,
    K_SHOWN,
    K_UI,
    K_VALID,
    K_VERSIONS,
)
from ui.settings import setting
from ui.text import md

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLANS = ROOT / "sample_data" / "plans"
SAMPLE_SCENARIOS = ROOT / "sample_data" / "scenarios"
DEFAULT_SCENARIO = "cs_org_teams"  # seed 001: the CS org, each of its four groups on its own plan

TRIAL_CHOICES = (1_000, 10_000, 50_000, 100_000)
UI_DEFAULTS: dict[str, Any] = {
    "trials": 10_000, "seed": 0, "rebalance": True, "component": 0, "held": {}, "actuals": {},
    "salary": None, "sweep_metric": None, "heat_x": None, "heat_y": None, "start_from": None,
    "import_result": None,  # (ok, message) of the last JSON import on the designer
    "plan_id": None,  # the plan being edited in an org scenario (None: the first)
    "delete_plan": None,  # the plan id waiting for "delete this plan?" to be confirmed
    "new_plan_from": "Blank plan",  # where the designer's "Add plan" starts from
    "fair_team": None,  # the team whose fairness breakdown the Cost page shows
    "document": None,  # the plan document shown for an org: a plan id or "org" (the summary)
}


# ---------------------------------------------------------------- scenario loading


def sample_plans() -> dict[str, Path]:
    """Sample plan files by display name (the plan's ``name``)."""
    out = {}
    for path in sorted(SAMPLE_PLANS.glob("*.json")):
        try:
            out[load_plan(path).name] = path
        except PlanError:
            continue
    return out


BLANK_PLAN: dict[str, Any] = {
    "schema": "compcore.plan/v1", "name": "New plan", "period": "quarter",
    "target_incentive": {"percent_of_base": 0.1},
    "metrics": [{"id": "metric_1", "name": "Metric 1", "target": 1.0}],
    "components": [{"id": "component_1", "metric": "metric_1", "weight": 1.0, "name": "Component 1",
                    "curve": {"kind": "linear", "points": [[0.0, 0.0], [1.0, 1.0]]}}],
}
DEFAULT_ROSTER = [
    {"team": "PMO", "role": "Project manager", "headcount": 6, "base_salary": 105_000},
    {"team": "Implementation", "role": "Implementation consultant", "headcount": 14, "base_salary": 95_000},
    {"team": "Customer Success", "role": "CSM", "headcount": 22, "base_salary": 90_000},
    {"team": "Change & Enablement", "role": "Enablement lead", "headcount": 8, "base_salary": 98_000},
]


def default_scenario_name() -> str:
    """The sample scenario a new session opens on: ``COMPCORE_DEFAULT_SCENARIO`` (a file name in
    ``sample_data/scenarios/`` without ``.json``) when set, else :data:`DEFAULT_SCENARIO` (the seed-001 org)."""
    name = setting("COMPCORE_DEFAULT_SCENARIO")
    return name if name and (SAMPLE_SCENARIOS / f"{name}.json").is_file() else DEFAULT_SCENARIO


@st.cache_data(show_spinner=False)
def _default_scenario_data(name: str) -> dict[str, Any]:
    path = SAMPLE_SCENARIOS / f"{name}.json"
    if path.exists():
        return dump_scenario(load_scenario(path))
    plan = json.loads((SAMPLE_PLANS / f"{name}.json").read_text())
    data = {"schema": "compcore.scenario/v1", "name": "CS org quarterly (sample)", "plan": plan,
            "roster": DEFAULT_ROSTER, "budget": 125_000}
    return dump_scenario(load_scenario(reconcile_scenario(data)))


def default_scenario() -> dict[str, Any]:
    """The built-in sample scenario (seed 001: the CS org, a plan per group) as a fresh dict."""
    return copy.deepcopy(_default_scenario_data(default_scenario_name()))


def init_state() -> None:
    """Set up session state once (links are applied by :func:`ui.page.init`)."""
    _route_through_app()
    ss = st.session_state
    if K_SCENARIO not in ss:
        ss[K_SCENARIO] = default_scenario()
        ss[K_VALID] = load_scenario(ss[K_SCENARIO])
        ss[K_PROBLEMS] = []
        ss[K_UI] = copy.deepcopy(UI_DEFAULTS)
        ss[K_NOTICE] = None
        ss[K_LINK] = None
        ss[K_VERSIONS] = {}
        ss[K_SAVED] = None  # ui/saved.py
        ss[K_SAVED_LINK] = None  # ui/saved.py
    ss[K_SHOWN] = set()


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
    """
    st.session_state[K_SCENARIO] = copy.deepcopy(data)
    st.session_state[K_BASELINE] = copy.deepcopy(data.get("plan", data.get("plans")))
    bump_editors()
    st.session_state[K_UI]["component"] = 0
    revalidate()


def plan_changed() -> bool:
    """True when the plan differs from the one last loaded (a sample, a link, a file): the user's own work."""
    baseline = st.session_state.get(K_BASELINE)
    if baseline is None:
        start = default_scenario()
        baseline = start.get("plan", start.get("plans"))
    d = draft()
    return d.get("plan", d.get("plans")) != baseline


def take_notice() -> str | None:
    """The one-off message (e.g. a bad share link), cleared once read."""
    msg, st.session_state[K_NOTICE] = st.session_state[K_NOTICE], None
    return msg


def set_notice(msg: str) -> None:
    """Show ``msg`` once, at the top of the next page drawn (see :func:`page_setup`)."""
    st.session_state[K_NOTICE] = msg


def link_token() -> str | None:
    """The share token already applied or created in this session."""
    return st.session_state[K_LINK]


def set_link_token(token: str) -> None:
    st.session_state[K_LINK] = token


# ---------------------------------------------------------------- reading the scenario


def draft() -> dict[str, Any]:
    """The scenario as typed (do not mutate it outside callbacks of this module)."""
    return st.session_state[K_SCENARIO]


def valid() -> Scenario:
    """The last valid scenario."""
    return st.session_state[K_VALID]


def ui(name: str) -> Any:
    """A view setting (trials, seed, held attainments, ...)."""
    return st.session_state[K_UI].get(name, UI_DEFAULTS.get(name))


def set_ui(name: str, value: Any) -> None:
    st.session_state[K_UI][name] = value


def problems() -> list[tuple[str, str]]:
    return st.session_state[K_PROBLEMS]


def revalidate() -> None:
    """Validate the draft; keep the last valid scenario when it fails, and record the problems.

    Problem paths are relative to the scenario (``plan.components[0].weight``,
    ``roster[2].headcount``). When only the non-plan part is invalid, the new
    plan is still used (with the last valid roster and assumptions), because a
    designer editing the plan expects the charts to follow.
    """
    ss = st.session_state
    data = ss[K_SCENARIO]
    try:
        new = load_scenario(data)
    except PlanError as e:
        ss[K_PROBLEMS] = list(e.problems)
    else:  # a valid file, but a name a person erased keeps the last valid plan (and says so next to the field)
        ss[K_PROBLEMS] = erased_component_names(data, ss[K_VALID].plans)
        if not ss[K_PROBLEMS]:
            ss[K_VALID] = new
        return
    if any(p in ("plan", "plans") or p.startswith(("plan.", "plan[", "plans.")) for p, _ in ss[K_PROBLEMS]):
        return
    old = ss[K_VALID]
    try:
        if "plans" in data:
            plans = {pid: load_plan(p) for pid, p in dict(data["plans"]).items()}
        else:
            plans = {"plan": load_plan(data.get("plan"))}
    except (PlanError, TypeError, ValueError):
        return
    same = list(plans) == list(old.plans) and all(
        [m.id for m in plans[pid].metrics] == [m.id for m in old.plans[pid].metrics] for pid in plans)
    if same:
        update = {"org_plans": plans} if old.is_org else {"single_plan": plans["plan"]}
        ss[K_VALID] = old.model_copy(update=update)


def value_at(path: tuple[Hashable, ...], default: Any = None) -> Any:
    """The value at ``path`` in session state (e.g. ``("scenario", "plan", "cap")``); ``default`` if absent or None."""
    node: Any = st.session_state
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return default
    return default if node is None else node


def set_value_at(path: tuple[Hashable, ...], value: Any) -> None:
    """Write ``value`` at ``path``, creating missing dicts / lists; None removes a dict entry."""
    node: Any = st.session_state[path[0]]
    for i, part in enumerate(path[1:-1], start=1):
        if isinstance(node, dict) and part not in node:
            node[part] = {} if not isinstance(path[i + 1], int) else []
        node = node[part]
    if value is None and isinstance(node, dict):
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


# ---------------------------------------------------------------- widgets


def pct_in(v: Any) -> Any:
    """Fraction -> percent for a widget (0.3 -> 30.0); None stays None."""
    return None if v is None else round(float(v) * 100, 6)


def pct_out(v: Any) -> Any:
    """Percent from a widget -> fraction (30 -> 0.3)."""
    return None if v is None else round(float(v) / 100, 10)


def _on_change(key: str, path: tuple[Hashable, ...], out: Callable[[Any], Any],
               after: Callable[[], None] | None) -> None:
    set_value_at(path, out(st.session_state[key]))
    if after is not None:
        after()
    if path[0] == K_SCENARIO:
        revalidate()


def bind(key: str, path: tuple[Hashable, ...], *, default: Any = None, to_widget: Callable[[Any], Any] = lambda v: v,
         from_widget: Callable[[Any], Any] = lambda v: v, after: Callable[[], None] | None = None) -> dict[str, Any]:
    """Widget kwargs bound to ``path`` (starting at ``"scenario"`` or ``"ui"``).

    Seeds the widget from the scenario now and writes its value back on change.
    Use as ``st.number_input("Target", **state.bind("m0_target", ("scenario", "plan", ...)))``.
    """
    seeded = to_widget(value_at(path, default))
    # written only when it differs: a value written from the script is pushed to the browser and would
    # replace a slider's newer position there (an arrow key held during the rerun lost its steps)
    if key not in st.session_state or st.session_state[key] != seeded:
        st.session_state[key] = seeded
    return {"key": key, "on_change": _on_change, "args": (key, path, from_widget, after)}


def is_org() -> bool:
    """True when the scenario as typed has several plans (``plans``)."""
    return isinstance(st.session_state[K_SCENARIO].get("plans"), dict)


def plan_ids() -> list[str]:
    """The plan ids as typed: ``["plan"]`` for one plan for everyone."""
    return list(st.session_state[K_SCENARIO]["plans"]) if is_org() else ["plan"]


def plan_id() -> str:
    """The id of the plan being edited (the designer's switcher; the first plan by default)."""
    ids = plan_ids()
    pid = st.session_state[K_UI].get("plan_id")
    return pid if pid in ids else ids[0]


def plan_prefix() -> str:
    """The problem-path prefix of the plan being edited: ``plan`` or ``plans.<id>``."""
    return f"plans.{plan_id()}" if is_org() else "plan"


def plan_path(*parts: Hashable) -> tuple[Hashable, ...]:
    """The session-state path of a field of the plan being edited."""
    if is_org():
        return (K_SCENARIO, "plans", plan_id(), *parts)
    return (K_SCENARIO, "plan", *parts)


def valid_plan() -> Any:
    """The last valid version of the plan being edited (the first plan while a new one is not valid yet)."""
    plans = valid().plans
    return plans.get(plan_id()) or next(iter(plans.values()))


def editor_key(name: str) -> str:
    """The current key of a data editor (changes after each applied edit, resetting it)."""
    return f"{name}_v{st.session_state[K_VERSIONS].get(name, 0)}"


def bump_editor(name: str) -> None:
    """Reset one data editor (its rows are re-seeded from the scenario on the next run)."""
    st.session_state[K_VERSIONS][name] = st.session_state[K_VERSIONS].get(name, 0) + 1


def bump_editors() -> None:
    """Reset every data editor, after an edit that may change what their rows are."""
    st.session_state[K_VERSIONS] = {k: v + 1 for k, v in st.session_state[K_VERSIONS].items()}


def apply_delta(rows: list[dict[str, Any]], delta: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows after a data editor's edits: ``edited_rows`` {i: {col: v}}, ``deleted_rows`` [i], ``added_rows`` [row]."""
    out = [dict(r) for r in rows]
    for i, changes in (delta.get("edited_rows") or {}).items():
        out[int(i)].update(changes)
    deleted = {int(i) for i in delta.get("deleted_rows") or []}
    return [r for i, r in enumerate(out) if i not in deleted] + [dict(r) for r in delta.get("added_rows") or []]


def _on_editor(name: str, path: tuple[Hashable, ...], to_rows: Callable[[Any], list[dict[str, Any]]],
               from_rows: Callable[[list[dict[str, Any]]], Any]) -> None:
    set_value_at(path, from_rows(apply_delta(to_rows(value_at(path)), st.session_state[editor_key(name)])))
    bump_editor(name)
    if path[0] == K_SCENARIO:
        revalidate()


def bind_editor(name: str, path: tuple[Hashable, ...], to_rows: Callable[[Any], list[dict[str, Any]]],
                from_rows: Callable[[list[dict[str, Any]]], Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows for ``st.data_editor`` and its kwargs; edits are written to ``path`` by a callback."""
    return to_rows(value_at(path)), {"key": editor_key(name), "on_change": _on_editor,
                                     "args": (name, path, to_rows, from_rows)}


# ---------------------------------------------------------------- plan edits (for button callbacks)


def draft_plan() -> dict[str, Any]:
    """The plan being edited as typed (mutate it only in callbacks, then :func:`commit_plan_change` or
    :func:`revalidate`)."""
    data = st.session_state[K_SCENARIO]
    return data["plans"][plan_id()] if is_org() else data["plan"]


def commit_plan_change() -> None:
    """After a structural plan edit: match assumptions to the metrics, reset the editors, revalidate."""
    st.session_state[K_SCENARIO] = reconcile_scenario(st.session_state[K_SCENARIO])
    bump_editors()
    revalidate()


# ---------------------------------------------------------------- inline problems


def show_problems(prefix: str, *, exact: bool = False) -> None:
    """Show each problem whose path is ``prefix`` (or below it) as an inline error, once per run."""
    shown = st.session_state[K_SHOWN]
    for path, msg in problems():
        hit = path == prefix or (not exact and path.startswith((prefix + ".", prefix + "[")))
        if hit and (path, msg) not in shown:
            shown.add((path, msg))
            where = "" if path == prefix else f"{path.removeprefix(prefix).lstrip('.')}: "
            st.error(md(where + msg), icon=":material/warning:")  # messages echo what was typed


def unshown_problems() -> list[str]:
    """Problems no field showed in this run, as 'path: message' lines."""
    shown = st.session_state[K_SHOWN]
    return [f"{p}: {m}" if p else m for p, m in problems() if (p, m) not in shown]
