"""Session state: the one canonical scenario, widget binding, validation, caches, share links.

This is the only module that touches ``st.session_state`` and the only bridge
from pages to compcore. Rules (DESIGN.md, "App rules"):

- ``st.session_state["scenario"]`` is the canonical scenario *as the user typed
  it* (a JSON-ready dict; it may be invalid while they type, nothing is lost).
  ``st.session_state["scenario_valid"]`` is the last valid
  :class:`compcore.scenario.Scenario`; every chart and number uses it.
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
import dataclasses
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from compcore import explore
from compcore.errors import PlanError
from compcore.plan import dump_plan, load_plan
from compcore.scenario import Scenario, dump_scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLANS = ROOT / "sample_data" / "plans"
SAMPLE_SCENARIOS = ROOT / "sample_data" / "scenarios"
DEFAULT_SCENARIO = "cs_org_quarterly"  # seed 001: the CS org quarterly bonus

# every session-state key the app uses
K_SCENARIO = "scenario"  # dict: the scenario as typed (may be invalid)
K_VALID = "scenario_valid"  # Scenario: the last valid one, used by every chart
K_PROBLEMS = "problems"  # list[(path, message)] of the draft, paths relative to the scenario
K_UI = "ui"  # dict: view settings that are not part of the scenario (trials, seed, held values...)
K_NOTICE = "notice"  # str | None: a message to show once (e.g. a bad share link)
K_LINK = "link_token"  # str | None: the share token already applied or created in this session
K_VERSIONS = "editor_versions"  # {editor name: int}: bumps reset a data editor after an edit
K_SHOWN = "problems_shown"  # set of problem paths shown next to a field in this run
# added for the Scenarios / Plan document pages (ui/saved.py, issue 7):
K_SAVED = "saved_ref"  # dict | None: id, version, label, data of the saved scenario last loaded or saved
K_SAVED_LINK = "saved_link"  # str | None: the ?scenario=<id> already applied in this session

TRIAL_CHOICES = (1_000, 10_000, 50_000, 100_000)
UI_DEFAULTS: dict[str, Any] = {
    "trials": 10_000, "seed": 0, "rebalance": True, "component": 0, "held": {}, "actuals": {},
    "salary": None, "sweep_metric": None, "heat_x": None, "heat_y": None, "start_from": None,
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


@st.cache_data(show_spinner=False)
def _default_scenario_data() -> dict[str, Any]:
    path = SAMPLE_SCENARIOS / f"{DEFAULT_SCENARIO}.json"
    if path.exists():
        return dump_scenario(load_scenario(path))
    plan = json.loads((SAMPLE_PLANS / f"{DEFAULT_SCENARIO}.json").read_text())
    data = {"schema": "compcore.scenario/v1", "name": "CS org quarterly (sample)", "plan": plan,
            "roster": DEFAULT_ROSTER, "budget": 125_000}
    return dump_scenario(load_scenario(explore.reconcile_scenario(data)))


def default_scenario() -> dict[str, Any]:
    """The built-in sample scenario (seed 001, CS org quarterly plan) as a fresh dict."""
    return copy.deepcopy(_default_scenario_data())


def init() -> None:
    """Set up session state once, applying a share link in the URL if there is one. Call on every page."""
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
    _apply_link()
    from ui.saved import apply_saved_link  # ?scenario=<id> links to the scenario store (issue 7)

    apply_saved_link()


def _apply_link() -> None:
    from compcore.share import decode_scenario

    token = st.query_params.get("s")
    ss = st.session_state
    if not token or token == ss[K_LINK]:
        return
    ss[K_LINK] = token
    try:
        data = decode_scenario(token)
        scn = load_scenario(data)
    except PlanError as e:
        ss[K_NOTICE] = f"This share link could not be opened, so the sample scenario is shown instead. {e}"
        set_scenario(default_scenario())
        return
    set_scenario(dump_scenario(scn))
    for name, lo, hi in (("trials", 100, max(TRIAL_CHOICES)), ("seed", 0, 2**32 - 1)):
        raw = st.query_params.get(name)
        if raw is not None and raw.isdigit() and lo <= int(raw) <= hi:
            ss[K_UI][name] = int(raw)


def set_scenario(data: dict[str, Any]) -> None:
    """Replace the canonical scenario (a dict) and revalidate; widgets re-seed from it."""
    st.session_state[K_SCENARIO] = copy.deepcopy(data)
    st.session_state[K_VERSIONS] = {k: v + 1 for k, v in st.session_state[K_VERSIONS].items()}
    st.session_state[K_UI]["component"] = 0
    revalidate()


def take_notice() -> str | None:
    """The one-off message (e.g. a bad share link), cleared once read."""
    msg, st.session_state[K_NOTICE] = st.session_state[K_NOTICE], None
    return msg


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
        ss[K_VALID] = load_scenario(data)
        ss[K_PROBLEMS] = []
        return
    except PlanError as e:
        ss[K_PROBLEMS] = list(e.problems)
    if any(p == "plan" or p.startswith(("plan.", "plan[")) for p, _ in ss[K_PROBLEMS]):
        return
    try:
        plan = load_plan(data.get("plan"))
    except PlanError:
        return
    old = ss[K_VALID]
    if [m.id for m in plan.metrics] == [m.id for m in old.plan.metrics]:
        ss[K_VALID] = old.model_copy(update={"plan": plan})


def _get(path: tuple[Hashable, ...], default: Any = None) -> Any:
    node: Any = st.session_state
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return default
    return default if node is None else node


def _set(path: tuple[Hashable, ...], value: Any) -> None:
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
    _set(path, out(st.session_state[key]))
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
    value = _get(path, default)
    st.session_state[key] = to_widget(value)
    return {"key": key, "on_change": _on_change, "args": (key, path, from_widget, after)}


def plan_path(*parts: Hashable) -> tuple[Hashable, ...]:
    return (K_SCENARIO, "plan", *parts)


def editor_key(name: str) -> str:
    """The current key of a data editor (changes after each applied edit, resetting it)."""
    return f"{name}_v{st.session_state[K_VERSIONS].get(name, 0)}"


def apply_delta(rows: list[dict[str, Any]], delta: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows after a data editor's edits: ``edited_rows`` {i: {col: v}}, ``deleted_rows`` [i], ``added_rows`` [row]."""
    out = [dict(r) for r in rows]
    for i, changes in (delta.get("edited_rows") or {}).items():
        out[int(i)].update(changes)
    deleted = {int(i) for i in delta.get("deleted_rows") or []}
    return [r for i, r in enumerate(out) if i not in deleted] + [dict(r) for r in delta.get("added_rows") or []]


def _on_editor(name: str, path: tuple[Hashable, ...], to_rows: Callable[[Any], list[dict[str, Any]]],
               from_rows: Callable[[list[dict[str, Any]]], Any]) -> None:
    _set(path, from_rows(apply_delta(to_rows(_get(path)), st.session_state[editor_key(name)])))
    st.session_state[K_VERSIONS][name] = st.session_state[K_VERSIONS].get(name, 0) + 1
    if path[0] == K_SCENARIO:
        revalidate()


def bind_editor(name: str, path: tuple[Hashable, ...], to_rows: Callable[[Any], list[dict[str, Any]]],
                from_rows: Callable[[list[dict[str, Any]]], Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows for ``st.data_editor`` and its kwargs; edits are written to ``path`` by a callback."""
    return to_rows(_get(path)), {"key": editor_key(name), "on_change": _on_editor,
                                 "args": (name, path, to_rows, from_rows)}


# ---------------------------------------------------------------- structural edits (button callbacks)


def _plan() -> dict[str, Any]:
    return st.session_state[K_SCENARIO]["plan"]


def _commit_plan_change() -> None:
    st.session_state[K_SCENARIO] = explore.reconcile_scenario(st.session_state[K_SCENARIO])
    st.session_state[K_VERSIONS] = {k: v + 1 for k, v in st.session_state[K_VERSIONS].items()}
    revalidate()


def rebalance(changed: int | None = None) -> None:
    """Scale the other weights so that all sum to exactly 100% (when the rebalance toggle is on)."""
    comps = _plan()["components"]
    if not ui("rebalance") or not comps:
        return
    weights = [float(c.get("weight") or 0) for c in comps]
    fixed = weights[changed] if changed is not None else 0.0
    others = [i for i in range(len(comps)) if i != changed]
    if not others:
        comps[0]["weight"] = 1.0
        return
    rest = max(0.0, 1.0 - min(fixed, 1.0))
    base = sum(weights[i] for i in others)
    for i in others:
        comps[i]["weight"] = round(weights[i] * rest / base if base > 0 else rest / len(others), 4)
    largest = max(others, key=lambda i: comps[i]["weight"])
    comps[largest]["weight"] = round(1.0 - sum(comps[i]["weight"] for i in range(len(comps)) if i != largest), 10)


def weight_binding(i: int) -> dict[str, Any]:
    """Kwargs for component ``i``'s weight widget (percent), rebalancing the others on change."""
    return bind(f"weight_{i}", plan_path("components", i, "weight"), to_widget=pct_in, from_widget=pct_out,
                after=lambda: rebalance(i))


def _unique(prefix: str, taken: list[str]) -> str:
    n = 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"


def add_metric() -> None:
    metrics = _plan()["metrics"]
    mid = _unique("metric", [m["id"] for m in metrics])
    metrics.append({"id": mid, "name": mid.replace("_", " ").capitalize(), "target": 1.0})
    _commit_plan_change()


def remove_metric(i: int) -> None:
    del _plan()["metrics"][i]
    _commit_plan_change()


def add_component() -> None:
    plan = _plan()
    comps = plan["components"]
    cid = _unique("component", [c["id"] for c in comps])
    n = len(comps)
    comps.append({"id": cid, "name": cid.replace("_", " ").capitalize(), "metric": plan["metrics"][0]["id"],
                  "weight": round(1.0 / (n + 1), 4), "curve": {"kind": "linear", "points": [[0.0, 0.0], [1.0, 1.0]]}})
    rebalance(n)
    set_ui("component", n)
    _commit_plan_change()


def remove_component(i: int) -> None:
    plan = _plan()
    cid = plan["components"][i]["id"]
    del plan["components"][i]
    for item in plan.get("gates", []) + plan.get("modifiers", []):
        if isinstance(item.get("applies_to"), list) and cid in item["applies_to"]:
            item["applies_to"].remove(cid)
            item["applies_to"] = item["applies_to"] or "all"
    rebalance(None)
    set_ui("component", 0)
    _commit_plan_change()


def add_gate() -> None:
    _plan().setdefault("gates", []).append({"metric": _plan()["metrics"][0]["id"], "below": 0.8, "cap": 1.0,
                                            "applies_to": "all"})
    _commit_plan_change()


def add_modifier() -> None:
    _plan().setdefault("modifiers", []).append({
        "metric": _plan()["metrics"][0]["id"], "applies_to": "all",
        "curve": {"kind": "steps", "steps": [[0.0, 0.9], [1.0, 1.0], [1.1, 1.1]]}})
    _commit_plan_change()


def remove_item(kind: str, i: int) -> None:
    del _plan()[kind][i]
    _commit_plan_change()


def set_curve_kind(i: int, key: str, where: str = "components") -> None:
    curve = _plan()[where][i]["curve"]
    _plan()[where][i]["curve"] = explore.convert_curve(curve, st.session_state[key])
    _commit_plan_change()


def start_from(choice: str) -> None:
    """Replace the plan with a sample plan (by name) or the blank plan, keeping roster and budget."""
    plans = sample_plans()
    plan = json.loads(plans[choice].read_text()) if choice in plans else copy.deepcopy(BLANK_PLAN)
    data = dict(draft(), plan=plan)
    set_scenario(explore.reconcile_scenario(data))


def _on_incentive(key_kind: str, key_value: str) -> None:
    kind, value = st.session_state[key_kind], st.session_state[key_value]
    if kind == "% of base salary":
        _plan()["target_incentive"] = {"percent_of_base": pct_out(value if value is not None and value <= 100 else 10)}
    else:
        _plan()["target_incentive"] = {"amount": float(value if value is not None and value > 100 else 10_000)}
    revalidate()


def _on_incentive_value(key_kind: str, key_value: str) -> None:
    value = st.session_state[key_value]
    if st.session_state[key_kind] == "% of base salary":
        _plan()["target_incentive"] = {"percent_of_base": pct_out(value)}
    else:
        _plan()["target_incentive"] = {"amount": value}
    revalidate()


def incentive_bindings() -> tuple[dict[str, Any], dict[str, Any], bool]:
    """Kwargs for the target-incentive kind radio and value input; True when it is a % of base."""
    ti = _plan().get("target_incentive") or {}
    is_pct = "amount" not in ti
    st.session_state["ti_kind"] = "% of base salary" if is_pct else "Fixed amount a year"
    st.session_state["ti_value"] = pct_in(ti.get("percent_of_base")) if is_pct else ti.get("amount")
    args = ("ti_kind", "ti_value")
    return ({"key": "ti_kind", "on_change": _on_incentive, "args": args},
            {"key": "ti_value", "on_change": _on_incentive_value, "args": args}, is_pct)


def applies_binding(key: str, path: tuple[Hashable, ...]) -> dict[str, Any]:
    """Kwargs for an 'applies to' multiselect of component ids: empty means the plan total ("all")."""
    return bind(key, path, default="all", to_widget=lambda v: [] if v in (None, "all") else list(v),
                from_widget=lambda v: list(v) if v else "all")


_TABLES: dict[str, tuple[str, ...]] = {
    "linear": ("points", "Attainment %", "Payout %"),
    "steps": ("steps", "From attainment %", "Payout %"),
}


def _num_or_none(v: Any, scale: float = 100.0) -> Any:
    try:
        return None if v is None or v == "" else float(v) / scale
    except (TypeError, ValueError):
        return None


def curve_table(kind: str) -> tuple[str, Callable[[Any], list[dict[str, Any]]], Callable[[list[dict[str, Any]]], Any]]:
    """(field, to_rows, from_rows) turning a curve's points / steps / bands into editor rows in % and back.

    Rows are sorted by attainment when written back, so a point typed at the bottom lands in its place.
    """
    if kind == "tiers":
        def to_rows(bands: Any) -> list[dict[str, Any]]:
            return [{"From attainment %": pct_in(b.get("from")), "Rate (x)": b.get("rate")} for b in bands or []]

        def from_rows(rows: list[dict[str, Any]]) -> Any:
            out = [{"from": _num_or_none(r.get("From attainment %")), "rate": _num_or_none(r.get("Rate (x)"), 1.0)}
                   for r in rows]
            return sorted(out, key=lambda b: (b["from"] is None, b["from"] or 0))
        return "bands", to_rows, from_rows
    field, xcol, ycol = _TABLES[kind]

    def to_rows_xy(points: Any) -> list[dict[str, Any]]:
        return [{xcol: pct_in(p[0]), ycol: pct_in(p[1])} for p in points or []]

    def from_rows_xy(rows: list[dict[str, Any]]) -> Any:
        out = [[_num_or_none(r.get(xcol)), _num_or_none(r.get(ycol))] for r in rows]
        return sorted(out, key=lambda p: (p[0] is None, p[0] or 0))
    return field, to_rows_xy, from_rows_xy


def bind_curve_editor(name: str, path: tuple[Hashable, ...], kind: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows and kwargs for the data editor of the curve at ``path`` (a component's or modifier's)."""
    field, to_rows, from_rows = curve_table(kind)
    return bind_editor(f"{name}_{kind}", (*path, field), to_rows, from_rows)


def threshold_binding(key: str, path: tuple[Hashable, ...]) -> dict[str, Any]:
    """Kwargs for a threshold input (%) of the curve at ``path``."""
    curve = _get(path, {}) or {}
    st.session_state[key] = pct_in(explore.threshold_of(curve))
    return {"key": key, "on_change": _on_threshold, "args": (key, path)}


def _on_threshold(key: str, path: tuple[Hashable, ...]) -> None:
    _set(path, explore.with_threshold(_get(path, {}), pct_out(st.session_state[key] or 0.0)))
    st.session_state[K_VERSIONS] = {k: v + 1 for k, v in st.session_state[K_VERSIONS].items()}
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
            st.error(where + msg, icon=":material/warning:")


def unshown_problems() -> list[str]:
    """Problems no field showed in this run, as 'path: message' lines."""
    shown = st.session_state[K_SHOWN]
    return [f"{p}: {m}" if p else m for p, m in problems() if (p, m) not in shown]


# ---------------------------------------------------------------- caches


class _Lru:
    """A small thread-safe LRU shared by all sessions (keys are content hashes, values read-only)."""

    def __init__(self, size: int) -> None:
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key: str, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _caches() -> dict[str, _Lru]:
    return {"draws": _Lru(3), "priced": _Lru(24), "specs": _Lru(256)}


def draws_key(scn: Scenario, trials: int, seed: int) -> str:
    """What the draws depend on: assumptions, correlations, roster, metric scopes, trials, seed (not the plan)."""
    data = dump_scenario(scn)
    return json.dumps({"assumptions": data["assumptions"], "correlations": data.get("correlations", []),
                       "roster": data["roster"], "scopes": {m.id: m.scope for m in scn.plan.metrics},
                       "trials": trials, "seed": seed}, sort_keys=True)


def cached_draws(scn: Scenario, trials: int, seed: int, progress: Callable[[float], None] | None = None) -> Any:
    """Metric draws for the scenario, from the cache when its draw inputs are unchanged."""
    from compcore.draws import draw_metrics

    key = draws_key(scn, trials, seed)
    hit = _caches()["draws"].get(key)
    if hit is None:
        hit = draw_metrics(scn, trials=trials, seed=seed, progress=progress)
        _caches()["draws"].put(key, hit)
    return hit


def is_drawn(scn: Scenario, trials: int, seed: int) -> bool:
    return _caches()["draws"].get(draws_key(scn, trials, seed)) is not None


def _priced_key(scn: Scenario, trials: int, seed: int) -> str:
    # the budget only changes P(over budget), computed from the cost array without re-pricing
    return draws_key(scn, trials, seed) + json.dumps(dump_plan(scn.plan), sort_keys=True)


def simulation(progress: Callable[[float], None] | None = None) -> Any:
    """The priced simulation of the valid scenario: cached draws re-priced with the current plan."""
    from compcore.simulate import price

    scn = valid()
    trials, seed = int(ui("trials")), int(ui("seed"))
    key = _priced_key(scn, trials, seed)
    hit = _caches()["priced"].get(key)
    if hit is None:
        draws = cached_draws(scn, trials, seed, progress)
        hit = price(scn.plan, draws, scn.roster, None)
        _caches()["priced"].put(key, hit)
    if scn.budget is None:
        return hit
    return dataclasses.replace(hit, budget=scn.budget, p_over_budget=float(np.mean(hit.cost > scn.budget)))


SENSITIVITY_TRIALS = 2_000


def sensitivity() -> Any:
    """Sensitivity ranking of the current simulation (first 2,000 trials re-priced; cached)."""
    from compcore.sensitivity import sensitivity as rank

    scn = valid()
    trials, seed = int(ui("trials")), int(ui("seed"))
    key = "sens" + _priced_key(scn, trials, seed)
    hit = _caches()["priced"].get(key)
    if hit is None:
        hit = rank(scn.plan, cached_draws(scn, trials, seed), scn.roster, max_trials=SENSITIVITY_TRIALS)
        _caches()["priced"].put(key, hit)
    return hit


# ---------------------------------------------------------------- cost page inputs


def _on_dist(mid: str, key: str) -> None:
    metric = next(m for m in _plan()["metrics"] if m["id"] == mid)
    draft()["assumptions"][mid] = explore.default_assumption(metric, st.session_state[key])
    revalidate()


def dist_binding(mid: str) -> dict[str, Any]:
    """Kwargs for a metric's distribution selectbox; a new kind starts from defaults around the target."""
    key = f"dist_{mid}"
    st.session_state[key] = (draft()["assumptions"].get(mid) or {}).get("dist", "normal")
    return {"key": key, "on_change": _on_dist, "args": (mid, key)}


def _values_out(text: str) -> Any:
    parts = [x.strip() for x in str(text or "").replace(";", ",").split(",") if x.strip()]
    out: list[Any] = []
    for x in parts:
        try:
            out.append(float(x))
        except ValueError:
            out.append(x)  # kept as typed; validation names it
    return out


def param_binding(mid: str, param: str) -> dict[str, Any]:
    """Kwargs for one distribution parameter input (``values`` is a comma-separated text)."""
    path = (K_SCENARIO, "assumptions", mid, param)
    if param == "values":
        return bind(f"param_{mid}_{param}", path, to_widget=lambda v: ", ".join(f"{x:g}" if isinstance(x, float | int)
                                                                                  else str(x) for x in v or []),
                    from_widget=_values_out)
    return bind(f"param_{mid}_{param}", path)


def _roster_rows(roster: Any) -> list[dict[str, Any]]:
    rows = []
    for r in roster or []:
        ti = r.get("target_incentive") or {}
        rows.append({"team": r.get("team"), "role": r.get("role"), "headcount": r.get("headcount"),
                     "base_salary": r.get("base_salary"), "incentive_amount": ti.get("amount"),
                     "incentive_pct": pct_in(ti.get("percent_of_base"))})
    return rows


def _roster_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        row = {k: r.get(k) for k in ("team", "role", "headcount", "base_salary")}
        row = {k: v for k, v in row.items() if v is not None}
        if r.get("incentive_amount") is not None:
            row["target_incentive"] = {"amount": r["incentive_amount"]}
        elif r.get("incentive_pct") is not None:
            row["target_incentive"] = {"percent_of_base": pct_out(r["incentive_pct"])}
        out.append(row)
    return out


def bind_roster() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows and kwargs for the roster data editor."""
    return bind_editor("roster", (K_SCENARIO, "roster"), _roster_rows, _roster_from_rows)


def _corr_rows(corrs: Any) -> list[dict[str, Any]]:
    return [{"metric_a": (c.get("between") or [None, None])[0], "metric_b": (c.get("between") or [None, None])[1],
             "rho": c.get("rho")} for c in corrs or []]


def _corr_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"between": [r.get("metric_a"), r.get("metric_b")], "rho": r.get("rho")} for r in rows]


def bind_correlations() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows and kwargs for the correlations data editor."""
    return bind_editor("correlations", (K_SCENARIO, "correlations"), _corr_rows, _corr_from_rows)


def _on_roster_upload(key: str) -> None:
    from compcore.scenario import roster_from_csv

    upload = st.session_state.get(key)
    if upload is None:
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
        rows = roster_from_csv(text if "\n" in text else text + "\n")
    except UnicodeDecodeError:
        st.session_state[K_NOTICE] = "The roster file is not UTF-8 text; save it as CSV (UTF-8) and try again."
        return
    except PlanError as e:
        st.session_state[K_NOTICE] = f"The roster file was not loaded: {e}"
        return
    draft()["roster"] = [r.model_dump(mode="json", exclude_none=True) for r in rows]
    st.session_state[K_VERSIONS]["roster"] = st.session_state[K_VERSIONS].get("roster", 0) + 1
    revalidate()


def roster_upload_binding() -> dict[str, Any]:
    return {"key": "roster_upload", "on_change": _on_roster_upload, "args": ("roster_upload",)}


def roster_csv() -> str:
    """The valid roster as CSV text (formula injection neutralised by compcore)."""
    from compcore.scenario import roster_to_csv

    return roster_to_csv(valid().roster)


# ---------------------------------------------------------------- charts


def _inline(node: Any, datasets: dict[str, Any]) -> Any:
    """A copy of a Vega-Lite spec with ``{"name": d}`` data replaced by the dataset's values.

    Inline values go to the browser as JSON with the spec; named datasets would be
    converted to Arrow by Streamlit on every rerun (a few ms each).
    """
    if isinstance(node, dict):
        data = node.get("data")
        out = {k: _inline(v, datasets) for k, v in node.items() if k not in ("data", "datasets")}
        if isinstance(data, dict) and data.get("name") in datasets:
            out["data"] = {"values": datasets[data["name"]]}
        elif data is not None:
            out["data"] = data
        return out
    if isinstance(node, list) and node and isinstance(node[0], dict) and ("mark" in node[0] or "layer" in node[0]):
        return [_inline(v, datasets) for v in node]
    return node


def _build_spec(builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    from ui import charts

    # the builders are validated against the Vega-Lite schema in tests/app/test_charts.py
    spec = getattr(charts, builder)(*args, **kwargs).to_dict(validate=False)
    return _inline(spec, spec.get("datasets", {}))


def chart(builder: Callable[..., Any], *args: Any, key: str, cache_key: Any = None,
          datasets: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """Draw ``builder(*args, **kwargs)`` (a function of ``ui.charts``), its Vega-Lite spec cached.

    Building and validating an Altair chart takes 20-40 ms, so specs are cached
    under ``cache_key`` (a cheap string saying what the inputs are, e.g. the
    priced simulation's key; default: the builder's arguments, hashed) and a
    rerun that draws the same data reuses the spec. ``datasets`` fills named
    datasets (e.g. the budget line), so a small change does not rebuild a chart.
    """
    store = _caches()["specs"]
    ck = json.dumps([builder.__name__, cache_key], default=str) if cache_key is not None else None
    spec = store.get(ck) if ck else None
    if spec is None:
        spec = _build_spec(builder.__name__, args, kwargs) if ck else _hashed_spec(builder.__name__, args, kwargs)
        if ck:
            store.put(ck, spec)
    if datasets:
        spec = _inline(spec, datasets)
    with st.container(key=key):  # gives the chart the CSS class st-key-<key> that browser tests locate
        st.vega_lite_chart(spec, width="stretch")


@st.cache_data(show_spinner=False, max_entries=256)
def _hashed_spec(builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    return _build_spec(builder, args, kwargs)


def plan_key() -> str:
    """The valid plan as canonical JSON (a cache key for charts drawn from the plan alone)."""
    return json.dumps(dump_plan(valid().plan), sort_keys=True)


def sim_key() -> str:
    """What the current simulation's numbers depend on (draw inputs + plan), for chart caching."""
    return _priced_key(valid(), int(ui("trials")), int(ui("seed")))


# ---------------------------------------------------------------- share link


def _on_share() -> None:
    from compcore.share import encode_scenario

    try:
        token = encode_scenario(dump_scenario(valid()))
    except PlanError as e:
        st.session_state[K_NOTICE] = str(e)
        return
    st.session_state[K_LINK] = token
    params = {"s": token}
    if int(ui("trials")) != UI_DEFAULTS["trials"]:
        params["trials"] = str(int(ui("trials")))
    if int(ui("seed")) != UI_DEFAULTS["seed"]:
        params["seed"] = str(int(ui("seed")))
    st.query_params.from_dict(params)


def share_section() -> None:
    """Sidebar block: put the current scenario in the URL and show the link to copy."""
    with st.sidebar:
        st.markdown("**Share**")
        st.button("Put scenario in link", key="share", on_click=_on_share, width="stretch",
                  help="Writes the current scenario into the address bar (?s=v1...). Anyone opening the "
                       "link sees the same plan, assumptions and numbers. No names go into the link.")
        token = st.query_params.get("s")
        if token and token == st.session_state[K_LINK]:
            base = st.context.url or ""
            extra = "".join(f"&{k}={st.query_params[k]}" for k in ("trials", "seed") if k in st.query_params)
            st.code(f"{base}?s={token}{extra}", language=None, wrap_lines=True)
            st.caption("Copy with the icon at the top right of the box.")
        if problems():
            st.caption("The link holds the last valid version of the plan.")


def page_setup() -> None:
    """Call first on every page: state, one-off notices, the share block."""
    init()
    msg = take_notice()
    if msg:
        st.error(msg, icon=":material/link_off:")
    share_section()


# ---------------------------------------------------------------- targets from data (issue 6)
# Settings of the "Targets from data" page are view settings under ui["tfd"]: "source" (sample | upload),
# "files" ({file name: bytes} of the last upload), "spec" (the metric definition being explored), "period",
# "by", "plan_metric", "percentile", "fit_kind", "fill_missing" and "mapping" ({plan metric id: spec}, the
# definitions the back-test uses; first guessed from the plan's metric names). Results are cached on the data
# (a hash of the files) and the inputs; writing a target or an assumption goes into the canonical scenario.


def tfd_path(*parts: Hashable) -> tuple[Hashable, ...]:
    """Path of a "Targets from data" setting, for :func:`bind`."""
    return (K_UI, "tfd", *parts)


def tfd(name: str, default: Any = None) -> Any:
    """A "Targets from data" setting."""
    return _get(tfd_path(name), default)


def _tfd_token() -> str:
    import hashlib

    files = tfd("files") if tfd("source") == "upload" else None
    if not files:
        return "sample"
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=4)
def _cs_data(token: str, _files: dict[str, bytes] | None) -> Any:
    from compcore.metrics import load_cs_data
    from compcore.targets import files_to_frames

    return load_cs_data(ROOT / "sample_data" if _files is None else files_to_frames(_files))


def cs_data() -> Any:
    """The CS records in use (sample folder or the upload); raises PlanError naming file, column and rows."""
    token = _tfd_token()
    return _cs_data(token, None if token == "sample" else tfd("files"))


def _on_cs_upload(key: str) -> None:
    uploads = st.session_state.get(key) or []
    _set(tfd_path("files"), {u.name: u.getvalue() for u in uploads} or None)


def cs_upload_binding() -> dict[str, Any]:
    """Kwargs for the multi-file CSV uploader; files are kept under ui["tfd"]["files"] across pages."""
    return {"key": "tfd_upload", "on_change": _on_cs_upload, "args": ("tfd_upload",)}


@st.cache_data(show_spinner=False, max_entries=64)
def _tfd_call(token: str, fn: str, args_json: str, _data: Any) -> Any:
    from compcore import targets

    args, kwargs = json.loads(args_json)
    return getattr(targets, fn)(_data, *args, **kwargs)


def tfd_compute(fn: str, *args: Any, **kwargs: Any) -> Any:
    """``compcore.targets.<fn>(cs_data(), *args, **kwargs)`` cached on the data and the (JSON) arguments."""
    return _tfd_call(_tfd_token(), fn, json.dumps([args, kwargs], sort_keys=True), cs_data())


def tfd_mapping() -> dict[str, dict[str, Any]]:
    """Plan metric id -> metric spec used by the back-test (guessed from the plan the first time)."""
    from compcore.targets import suggest_mapping

    if tfd("mapping") is None:
        _set(tfd_path("mapping"), suggest_mapping(valid().plan))
    return tfd("mapping")


def tfd_backtest(fill_missing: str) -> Any:
    """The back-test of the valid scenario's plan and roster on the mapped histories (cached)."""
    from compcore.backtest import backtest
    from compcore.targets import backtest_histories

    scn = valid()
    key = json.dumps({"data": _tfd_token(), "mapping": tfd_mapping(), "fill": fill_missing,
                      "plan": dump_scenario(scn)}, sort_keys=True, default=str)
    hit = _tfd_cache().get(key)
    if hit is None:
        hit = backtest(scn.plan, backtest_histories(cs_data(), tfd_mapping(), scn.plan), scn.roster,
                       fill_missing=fill_missing)
        _tfd_cache().put(key, hit)
    return hit


@st.cache_resource(show_spinner=False)
def _tfd_cache() -> _Lru:
    return _Lru(8)  # back-tests, apart from the simulation caches so they never evict a priced simulation


def map_metric(metric_id: str, spec: dict[str, Any] | None) -> None:
    """Measure a plan metric with ``spec`` in the back-test (None: hold it at target)."""
    mapping = dict(tfd_mapping())
    if spec is None:
        mapping.pop(metric_id, None)
    else:
        mapping[metric_id] = dict(spec)
    _set(tfd_path("mapping"), mapping)


def set_metric_target(metric_id: str, target: float, spec: dict[str, Any] | None = None) -> None:
    """Button callback: write a plan metric's target into the canonical scenario (and map ``spec`` to it)."""
    for m in _plan()["metrics"]:
        if m["id"] == metric_id:
            m["target"] = round(float(target), 6)
    if spec is not None:
        map_metric(metric_id, spec)
    _commit_plan_change()


def set_assumption(metric_id: str, assumption: dict[str, Any], spec: dict[str, Any] | None = None) -> None:
    """Button callback: write a metric's assumption into the canonical scenario (used by Cost simulation)."""
    draft().setdefault("assumptions", {})[metric_id] = copy.deepcopy(assumption)
    if spec is not None:
        map_metric(metric_id, spec)
    revalidate()
