"""The Cost page's Assumptions tab: each metric's distribution and its numbers, edited in the unit a person
reads, and said in words (what the numbers mean, and which numbers apply to which team).

A chance is typed in percent, a value of a share metric (its average, spread, lowest...) in percent like
its target, a count as it is. The words come from compcore (:mod:`compcore.report.assumption_use`,
:func:`compcore.report.words.assumption_words`) and describe the numbers the simulation uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from compcore.plan.units import in_percent
from compcore.report.assumption_use import (
    DIST_NAMES,
    DIST_WORDS,
    SCOPE_WORDS,
    assumption_use_lines,
    param_in_percent,
    param_label,
)
from compcore.report.words import assumption_words
from compcore.simulation.assumptions import default_assumption
from ui.charts.cache import for_scenario, memo
from ui.session import K_SCENARIO
from ui.state import bind, draft, is_org, pct_in, pct_out, revalidate, valid

__all__ = ["DIST_HELP", "DIST_WORDS", "SCOPE_WORDS", "dist_binding", "param_binding", "param_widget", "plans_as_typed",
           "team_lines", "words"]


#: the distribution select box's help: each choice in words with its technical name
DIST_HELP = "  \n".join(f"{DIST_WORDS[k]}: {DIST_NAMES[k]}" for k in DIST_WORDS)


def words(mid: str) -> str:
    """The default numbers of metric ``mid`` in words, as the simulation uses them (the valid scenario; worked out
    once per scenario)."""
    return for_scenario(["assumption words", mid], lambda scn: _words(scn, mid))


def _words(scn: Any, mid: str) -> str:
    m = scn.metrics.get(mid)
    dist = scn.assumptions.get(mid)
    if m is None or dist is None:
        return ""
    # also once per (assumption, unit, period): a budget or plan edit makes a new scenario, not new words
    key = [dist.model_dump(mode="json") if hasattr(dist, "model_dump") else str(dist), m.unit, scn.period]
    text = memo("assumption words", key, lambda: assumption_words(dist, m.unit, scn.period))
    return text[0].upper() + text[1:] + "."


def team_lines(mid: str) -> list[str]:
    """Which numbers apply to which team, when some team has its own (sentences; plain text)."""
    return for_scenario(["assumption use", mid],
                        lambda scn: assumption_use_lines(scn, mid) if mid in scn.metrics else [])


def _on_dist(mid: str, key: str) -> None:
    # a browser may re-send the select box of a metric that is gone (its plan deleted or replaced): do nothing
    metric = next((m for p in plans_as_typed() for m in p.get("metrics") or []
                   if isinstance(m, dict) and m.get("id") == mid), None)
    kind = st.session_state.get(key)
    if metric is None or kind not in DIST_WORDS or not isinstance(draft().get("assumptions"), dict):
        return
    draft()["assumptions"][mid] = default_assumption(metric, kind)
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


def _number_in(percent: bool) -> Callable[[Any], Any]:
    def to_widget(v: Any) -> Any:
        if not isinstance(v, int | float) or isinstance(v, bool):
            return None  # not a number (yet): an empty input, never a crash
        return pct_in(v) if percent else v
    return to_widget


def param_binding(mid: str, param: str, unit: str | None = None) -> dict[str, Any]:
    """Kwargs for one distribution parameter input (``values`` is a comma-separated text).

    Typed in the unit a person reads: a chance (``p``) in percent, a value of a share metric (its average,
    spread, lowest, ...) in percent like its target; a count (``n``) as it is.
    """
    path = (K_SCENARIO, "assumptions", mid, param)
    percent = param_in_percent(param, in_percent(unit))
    if param == "values":
        def shown(v: Any) -> str:
            return ", ".join(f"{pct_in(x) if percent else x:g}" if isinstance(x, float | int) and not
                             isinstance(x, bool) else str(x) for x in (v if isinstance(v, list) else []))

        def typed(text: Any) -> Any:
            return [pct_out(x) if percent and isinstance(x, float) else x for x in _values_out(text)]
        return bind(f"param_{mid}_{param}", path, to_widget=shown, from_widget=typed)
    return bind(f"param_{mid}_{param}", path, to_widget=_number_in(percent),
                from_widget=pct_out if percent else lambda v: v)


def param_widget(mid: str, param: str, unit: str | None) -> tuple[str, dict[str, Any]]:
    """(label, kwargs) of a parameter's input: the parameter in words, in the unit it is typed in."""
    dist = str((draft()["assumptions"].get(mid) or {}).get("dist", "normal"))
    percent = param_in_percent(param, in_percent(unit))
    return param_label(dist, param, valid().period, percent), param_binding(mid, param, unit)


def plans_as_typed() -> list[dict[str, Any]]:
    """Every plan of the draft (one for a single-plan scenario)."""
    d = draft()
    return list(d["plans"].values()) if is_org() else [d.get("plan") or {}]
