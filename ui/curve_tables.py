"""A curve as an editable table (points, steps or rate bands in percent) and its threshold input.

Blank cells of a row just added are prefilled (:func:`compcore.plan.editing.prefill_points`),
rows are sorted by attainment when written back, and a threshold moves the first point,
the first step or the tiers' ``threshold`` (one input for every kind of curve).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from compcore.plan import editing as curve_edit
from ui.binding import bind_editor, pct_in, pct_out, set_value_at, value_at, writable
from ui.draft import revalidate
from ui.ui_state import bump_editors

__all__ = ["bind_curve_editor", "curve_table", "threshold_binding"]

Rows = list[dict[str, Any]]

_TABLES: dict[str, tuple[str, ...]] = {
    "linear": ("points", "Attainment %", "Payout %"),
    "steps": ("steps", "From attainment %", "Payout %"),
}


def _num_or_none(v: Any, scale: float = 100.0) -> Any:
    try:
        return None if v is None or v == "" else float(v) / scale
    except (TypeError, ValueError):
        return None


def curve_table(kind: str) -> tuple[str, Callable[[Any], Rows], Callable[[Rows], Any]]:
    """(field, to_rows, from_rows) turning a curve's points / steps / bands into editor rows in % and back.

    Blank cells (a row just added) are prefilled with a sensible value
    (:func:`compcore.plan.editing.prefill_points`), so a new row is never a red
    error; rows are sorted by attainment when written back, so a point typed at
    the bottom lands in its place.

    >>> field, to_rows, from_rows = curve_table("linear")
    >>> field, to_rows([[0.8, 0.5]]), from_rows([{"Attainment %": 100, "Payout %": 100}])
    ('points', [{'Attainment %': 80.0, 'Payout %': 50.0}], [[1.0, 1.0]])
    """
    if kind == "tiers":
        def to_rows(bands: Any) -> Rows:
            return [{"From attainment %": pct_in(b.get("from")), "Rate (x)": b.get("rate")} for b in bands or []
                    if isinstance(b, dict)]

        def from_rows(rows: Rows) -> Any:
            typed = [{"from": _num_or_none(r.get("From attainment %")), "rate": _num_or_none(r.get("Rate (x)"), 1.0)}
                     for r in rows]
            return sorted(curve_edit.prefill_bands(typed), key=lambda b: b["from"])
        return "bands", to_rows, from_rows
    field, xcol, ycol = _TABLES.get(kind, _TABLES["linear"])

    def to_rows_xy(points: Any) -> Rows:
        return [{xcol: pct_in(p[0]), ycol: pct_in(p[1])} for p in points or []
                if isinstance(p, (list, tuple)) and len(p) == 2]

    def from_rows_xy(rows: Rows) -> Any:
        typed = [[_num_or_none(r.get(xcol)), _num_or_none(r.get(ycol))] for r in rows]
        return sorted(curve_edit.prefill_points(typed, kind), key=lambda p: p[0])
    return field, to_rows_xy, from_rows_xy


def bind_curve_editor(name: str, path: tuple[Hashable, ...], kind: str) -> tuple[Rows, dict[str, Any]]:
    """Rows and kwargs for the data editor of the curve at ``path`` (a component's or modifier's).

    ``name`` names the curve's owner (``plan.<id>.component.<id>``); the kind is part of the key, so
    converting the curve starts a fresh editor.
    """
    field, to_rows, from_rows = curve_table(kind)
    return bind_editor(f"{name}.{kind}", (*path, field), to_rows, from_rows)


def threshold_binding(key: str, path: tuple[Hashable, ...]) -> dict[str, Any]:
    """Kwargs for a threshold input (%) of the curve at ``path``."""
    curve = value_at(path, {}) or {}
    try:
        seeded = pct_in(curve_edit.threshold_of(curve))
    except (TypeError, ValueError, KeyError, IndexError):  # a curve half typed: no threshold to show
        seeded = None
    if st.session_state.get(key) != seeded:
        st.session_state[key] = seeded
    return {"key": key, "on_change": _on_threshold, "args": (key, path)}


def _on_threshold(key: str, path: tuple[Hashable, ...]) -> None:
    got = st.session_state.get(key)
    if not writable(path):  # a curve that is gone (a callback of an earlier run)
        return
    if not isinstance(got, (int, float)):
        got = 0.0
    set_value_at(path, curve_edit.with_threshold(value_at(path, {}), pct_out(got)))
    bump_editors()
    revalidate()
