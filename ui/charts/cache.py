"""Drawing Altair charts with their Vega-Lite specs cached across reruns and sessions.

Pages call :func:`chart` with a builder of :mod:`ui.charts` and a cheap
``cache_key`` (:func:`plan_key`, :func:`ui.simulation_state.sim_key`, ...);
a rerun that draws the same data reuses the spec instead of rebuilding it.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import streamlit as st
from altair.utils import schemapi
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from compcore.plan.schema import dump_plan
from compcore.simulation.scenario import dump_scenario
from ui.lru import shared_caches
from ui.state import valid, valid_plan


def reuse_altair_schema_index() -> None:
    """Make Altair build its index of schema classes once, not on every ``from_dict`` (every ``encode``).

    ``SchemaBase.from_dict`` constructs a ``_FromDict`` that JSON-dumps and hashes the schema of each of
    Altair's ~1,100 wrapper classes (6 ms) before converting one small dict; building a chart calls it a few
    times. The index depends only on the set of classes, so it is kept per set (a new subclass, a new set).
    The specs are the same (tests/ui/test_history_templates.py). Idempotent.
    """
    original = schemapi._FromDict
    if getattr(original, "_compcore_reused", False):
        return
    indexes: dict[tuple[type, ...], Any] = {}

    class _ReusedFromDict(original):  # type: ignore[misc, valid-type]
        _compcore_reused = True

        def __init__(self, wrapper_classes: Any, /) -> None:
            classes = tuple(wrapper_classes)
            index = indexes.get(classes)
            if index is None:
                super().__init__(classes)
                indexes[classes] = self.class_dict
            else:
                self.class_dict = index

    schemapi._FromDict = _ReusedFromDict


reuse_altair_schema_index()

# valid scenario object -> (it, the JSON of its plans): scenarios are replaced, never changed in place
_PLANS: dict[tuple[Any, ...], tuple[Any, Any]] = {}


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


def _arrow_values(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with its top-level rows (``data.values``) as an Arrow table, converted once.

    Streamlit converts a list of rows to Arrow on every rerun (through pandas, slow with pandas 3's Arrow
    strings); an Arrow table it only serialises. The table is read back from the very bytes Streamlit would
    have made, so the browser gets the same data.
    """
    data = spec.get("data")
    values = data.get("values") if isinstance(data, dict) else None
    if not (isinstance(values, list) and values and isinstance(values[0], dict)):
        return spec
    table = pa.ipc.open_stream(convert_anything_to_arrow_bytes(values)).read_all()
    return {**spec, "data": {**data, "values": table}}


def _with_rows(spec: dict[str, Any]) -> dict[str, Any]:
    # rows filled in on this rerun: the same rows object (cached with :func:`memo`) converts once
    data = spec.get("data")
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return spec
    store = shared_caches()["arrow"]
    ck = f"rows {id(values)}"
    hit = store.get(ck)
    if hit is None or hit[0] is not values:  # the entry holds the rows, so their id is not reused meanwhile
        hit = (values, _arrow_values(spec)["data"]["values"])
        store.put(ck, hit)
    return {**spec, "data": {**data, "values": hit[1]}}


def _build_spec(builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    # ``builder`` is "module:name" (a plain string, so Streamlit's cache hashes it); the builders are validated
    # against the Vega-Lite schema in tests/ui/test_charts.py
    module, name = builder.split(":")
    made = getattr(importlib.import_module(module), name)(*args, **kwargs)
    spec = made if isinstance(made, dict) else made.to_dict(validate=False)  # a builder may give the spec itself
    return _inline(spec, spec.get("datasets", {}))


def _with_texts(node: Any, texts: dict[str, str]) -> Any:
    """A copy of ``node`` with every string equal to a key of ``texts`` replaced by its value."""
    if isinstance(node, str):
        return texts.get(node, node)
    if isinstance(node, dict):
        return {k: _with_texts(v, texts) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_texts(v, texts) for v in node]
    return node


def chart(builder: Callable[..., Any], *args: Any, key: str, cache_key: Any = None,
          datasets: dict[str, Any] | None = None, texts: dict[str, str] | None = None, **kwargs: Any) -> None:
    """Draw ``builder(*args, **kwargs)`` (a builder of ``ui.charts``), its Vega-Lite spec cached.

    Building and validating an Altair chart takes 20-40 ms, so specs are cached
    under ``cache_key`` (a cheap string saying what the inputs are, e.g. the
    priced simulation's key; default: the builder's arguments, hashed) and a
    rerun that draws the same data reuses the spec. ``datasets`` fills named
    datasets (e.g. the budget line), so a small change does not rebuild a chart. ``texts``: placeholder ->
    text, for a title the builder only places (never wraps or measures): the builder gets the placeholder, so
    one spec serves every title (e.g. every metric's history).
    """
    store = shared_caches()["specs"]
    name = f"{builder.__module__}:{builder.__name__}"
    ck = json.dumps([name, cache_key], default=str) if cache_key is not None else None
    spec = store.get(ck) if ck else None
    if spec is None:
        spec = _arrow_values(_build_spec(name, args, kwargs)) if ck else _hashed_spec(name, args, kwargs)
        if ck:
            store.put(ck, spec)
    if texts:
        spec = _with_texts(spec, texts)
    if datasets:
        spec = _with_rows(_inline(spec, datasets))
    with st.container(key=key):  # gives the chart the CSS class st-key-<key> that browser tests locate
        st.vega_lite_chart(spec, width="stretch")


def lazy_chart(builder: Callable[..., Any], make_args: Callable[[], tuple[Any, ...]], *, key: str,
               cache_key: Any) -> None:
    """Like :func:`chart`, but ``make_args()`` (the builder's arguments, e.g. histograms of two simulations)
    is computed only when the spec is not cached yet: a rerun that draws the same chart computes nothing."""
    store = shared_caches()["specs"]
    name = f"{builder.__module__}:{builder.__name__}"
    ck = json.dumps([name, cache_key], default=str)
    spec = store.get(ck)
    if spec is None:
        spec = _arrow_values(_build_spec(name, tuple(make_args()), {}))
        store.put(ck, spec)
    with st.container(key=key):
        st.vega_lite_chart(spec, width="stretch")


def memo(kind: str, cache_key: Any, make: Callable[[], Any]) -> Any:
    """``make()``, kept in the shared spec cache under ``[kind, cache_key]`` (a cheap key saying what it depends
    on): the rows of a chart's named dataset, a small table, anything a rerun would otherwise rebuild unchanged.
    The value is shared by every session: treat it as read-only."""
    store = shared_caches()["specs"]
    ck = json.dumps(["memo", kind, cache_key], default=str)
    value = store.get(ck)
    if value is None:
        value = make()
        store.put(ck, value)
    return value


@st.cache_data(show_spinner=False, max_entries=256)
def _hashed_spec(builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    return _build_spec(builder, args, kwargs)


def plan_key() -> str:
    """The valid plan as canonical JSON (a cache key for charts drawn from the plan alone)."""
    return json.dumps(dump_plan(valid_plan()), sort_keys=True)


def _per_scenario(kind: str, make: Callable[[Any], Any]) -> str:
    scn = valid()
    memo = _PLANS.get((kind, id(scn)))
    if memo is not None and memo[0] is scn:
        return memo[1]
    key = json.dumps(make(scn), sort_keys=True, default=str)
    if len(_PLANS) >= 256:
        _PLANS.clear()
    _PLANS[(kind, id(scn))] = (scn, key)
    return key


def for_scenario(kind: Any, make: Callable[[Any], Any]) -> Any:
    """``make(valid scenario)``, worked out once per valid scenario object (``kind`` names what it is, e.g.
    ``["words", metric id]``). A scenario is replaced on every edit, never changed in place, so the object says
    what the value depends on; the value is kept with it. Read-only."""
    scn = valid()
    ck = ("value", json.dumps(kind, default=str), id(scn))
    memo = _PLANS.get(ck)  # type: ignore[call-overload]
    if memo is not None and memo[0] is scn:
        return memo[1]
    value = make(scn)
    if len(_PLANS) >= 256:
        _PLANS.clear()
    _PLANS[ck] = (scn, value)  # type: ignore[index]
    return value


def plans_key() -> str:
    """Every plan of the valid scenario as canonical JSON (a cache key for charts drawn from the plans alone),
    worked out once per valid scenario object."""
    return _per_scenario("plans", lambda scn: {pid: dump_plan(p) for pid, p in scn.plans.items()})


def scenario_key() -> str:
    """The whole valid scenario (plans, roster, assumptions, budget, names) as canonical JSON, once per object."""
    return _per_scenario("scenario", dump_scenario)
