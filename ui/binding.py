"""Widgets bound to the scenario or the UI state: seeded on every run, written back in a callback.

Widgets never own state. :func:`bind` re-seeds a widget from its path on every
run and writes its value back in ``on_change``, so switching pages and back
loses nothing and nothing snaps back. A browser sends every widget's last value
on every rerun (AppTest does not): a select box whose options changed sends back
the *label* it showed, which Streamlit hands over as a plain string. ``options=``
makes :func:`bind` drop such a value (the stored id stays) and re-seed the widget.

Widget keys of things that belong to a plan, metric or component name them
(:func:`plan_key`: ``plan.pmo.metric.adoption_90d.target``), so switching the
plan being edited never hands one plan's widget state to another.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.draft import revalidate
from ui.session import K_DRAWN, K_SCENARIO, K_UI
from ui.ui_state import bump_editor, editor_key, ui

__all__ = ["ById", "apply_delta", "bind", "bind_editor", "in_options", "new_run", "pct_in", "pct_out", "plan_key",
           "set_value_at", "value_at", "writable"]


@dataclass(frozen=True)
class ById:
    """A path part naming an item of a list of dicts by its ``id`` (a metric, a component), not its position.

    A callback registered in an earlier run then writes to that metric wherever it is now, or nowhere when
    it is gone (a position would hit whichever metric moved into its place).
    """

    id: str


def _step(node: Any, part: Hashable) -> Any:
    """``node[part]``, resolving :class:`ById`; raises KeyError / IndexError / TypeError when absent."""
    if isinstance(part, ById):
        if not isinstance(node, list):
            raise TypeError(part)
        found = next((x for x in node if isinstance(x, dict) and x.get("id") == part.id), None)
        if found is None:
            raise KeyError(part)
        return found
    return node[part]


def plan_key(plan_id: str, *parts: Hashable) -> str:
    """The widget key of something of plan ``plan_id``: ``plan.<id>.<part>.<part>...``.

    >>> plan_key("pmo", "metric", "adoption_90d", "target")
    'plan.pmo.metric.adoption_90d.target'
    """
    return ".".join(("plan", plan_id, *map(str, parts)))


def value_at(path: tuple[Hashable, ...], default: Any = None) -> Any:
    """The value at ``path`` in session state (e.g. ``("scenario", "plan", "cap")``); ``default`` if absent or None.

    A path into the UI state reads its first field validated (:func:`ui.ui_state.ui`).
    """
    if path[0] == K_UI and len(path) > 1:
        node: Any = ui(str(path[1]))
        rest = path[2:]
    else:
        node, rest = st.session_state, path
    for part in rest:
        try:
            node = _step(node, part)
        except (KeyError, IndexError, TypeError):
            return default
    return default if node is None else node


def writable(path: tuple[Hashable, ...]) -> bool:
    """False when ``path`` points into something that is gone: a plan, a metric or component (by id), a list
    position out of range. A callback registered in an earlier run (a browser re-sends old widget states) may
    carry such a path; its write is dropped.

    Missing dict keys elsewhere are fine (they are created), except a plan id under ``plans``.
    """
    node: Any = st.session_state.get(path[0])
    for i, part in enumerate(path[1:], start=1):
        last = i == len(path) - 1
        if isinstance(node, list):
            if isinstance(part, ById):
                node = next((x for x in node if isinstance(x, dict) and x.get("id") == part.id), None)
                if node is None:
                    return False
                continue
            if not isinstance(part, int) or not 0 <= part < len(node):
                return False
        elif isinstance(node, dict):
            if part not in node:
                return path[i - 1] != "plans" and not isinstance(part, ById) and (
                    last or not isinstance(path[i + 1], (int, ById)))
        else:
            return False
        if last:
            return True
        node = node[part]
    return True


def set_value_at(path: tuple[Hashable, ...], value: Any) -> None:
    """Write ``value`` at ``path``, creating missing dicts; None removes a dict entry. Nothing when the path
    points into something that is gone (:func:`writable`)."""
    if not writable(path):
        return
    node: Any = st.session_state[path[0]]
    for part in path[1:-1]:
        if isinstance(node, dict) and (part not in node or not isinstance(node[part], (dict, list))):
            node[part] = {}
        node = _step(node, part)
    last = path[-1]
    if isinstance(last, ById):
        return  # a whole item is never replaced through a binding
    if value is None and isinstance(node, dict):
        node.pop(last, None)
    else:
        node[last] = value


def pct_in(v: Any) -> Any:
    """Fraction -> percent for a widget (0.3 -> 30.0); None stays None."""
    return None if v is None else round(float(v) * 100, 6)


def pct_out(v: Any) -> Any:
    """Percent from a widget -> fraction (30 -> 0.3)."""
    return None if v is None else round(float(v) / 100, 10)


def in_options(value: Any, options: Sequence[Any] | None) -> bool:
    """True when ``value`` (or each item of a list value) is one of ``options`` (always, without options).

    >>> in_options("pmo", ["pmo", "cs"]), in_options("PMO quarterly bonus", ["pmo"]), in_options([], ["pmo"])
    (True, False, True)
    """
    if options is None:
        return True
    items = value if isinstance(value, list) else [value]
    try:
        return all(v in options for v in items)
    except TypeError:  # an unhashable / incomparable value is not an option
        return False


def _on_change(key: str, path: tuple[Hashable, ...], out: Callable[[Any], Any],
               after: Callable[[], None] | None, options: Sequence[Any] | None = None) -> None:
    got = st.session_state.get(key)
    if not in_options(got, options) or not writable(path):  # a stale label, or a thing that is gone: nothing
        return
    set_value_at(path, out(got))
    if after is not None:
        after()
    if path[0] == K_SCENARIO:
        revalidate()


def _drawn() -> dict[str, set[str]]:
    got = st.session_state.get(K_DRAWN)
    if not (isinstance(got, dict) and isinstance(got.get("last"), set) and isinstance(got.get("now"), set)):
        got = st.session_state[K_DRAWN] = {"last": set(), "now": set()}
    return got


def new_run() -> None:
    """At the start of every run: the keys bound in the run before become "last" (see :func:`bind`)."""
    st.session_state[K_DRAWN] = {"last": _drawn()["now"], "now": set()}


def bind(key: str, path: tuple[Hashable, ...], *, default: Any = None, to_widget: Callable[[Any], Any] = lambda v: v,
         from_widget: Callable[[Any], Any] = lambda v: v, after: Callable[[], None] | None = None,
         options: Sequence[Any] | None = None) -> dict[str, Any]:
    """Widget kwargs bound to ``path`` (starting at ``"scenario"`` or ``"ui"``).

    Seeds the widget from the path now and writes its value back on change.
    ``options``: the values a select box / radio / multiselect may hold (ids); a
    stored value outside them seeds ``default`` (or the first option), and a
    value the browser sends that is not one of them is ignored.
    Use as ``st.number_input("Target", **binding.bind(key, ("scenario", "plan", ...)))``.
    """
    seeded = to_widget(value_at(path, default))
    if not in_options(seeded, options):
        seeded = default if in_options(default, options) else (list(options)[0] if options else None)
    drawn = _drawn()
    if key not in drawn["last"]:
        # not drawn in the last run (another page, a section shown again): the browser mounts it at its own
        # default unless the value is pushed, and would send that default back on the next click
        st.session_state.pop(key, None)
    drawn["now"].add(key)
    # else written only when it differs: a value written from the script is pushed to the browser and would
    # replace a slider's newer position there (an arrow key held during the rerun lost its steps)
    if key not in st.session_state or st.session_state[key] != seeded:
        st.session_state[key] = seeded
    return {"key": key, "on_change": _on_change, "args": (key, path, from_widget, after, options)}


# ---------------------------------------------------------------- data editors


def apply_delta(rows: list[dict[str, Any]], delta: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows after a data editor's edits: ``edited_rows`` {i: {col: v}}, ``deleted_rows`` [i], ``added_rows`` [row].

    Edits of rows that no longer exist (a stale editor state) are dropped.

    >>> apply_delta([{"a": 1}, {"a": 2}], {"edited_rows": {"1": {"a": 5}, "7": {"a": 0}}, "added_rows": [{"a": 3}]})
    [{'a': 1}, {'a': 5}, {'a': 3}]
    """
    out = [dict(r) for r in rows]
    for i, changes in (delta.get("edited_rows") or {}).items():
        if 0 <= int(i) < len(out) and isinstance(changes, dict):
            out[int(i)].update(changes)
    deleted = {int(i) for i in delta.get("deleted_rows") or []}
    return [r for i, r in enumerate(out) if i not in deleted] + [dict(r) for r in delta.get("added_rows") or []]


def _on_editor(name: str, key: str, path: tuple[Hashable, ...], to_rows: Callable[[Any], list[dict[str, Any]]],
               from_rows: Callable[[list[dict[str, Any]]], Any]) -> None:
    delta = st.session_state.get(key)
    # an edit of an older version of the editor (another callback of the same run reset it) is dropped
    if key != editor_key(name) or not isinstance(delta, dict) or not writable(path):
        return
    set_value_at(path, from_rows(apply_delta(to_rows(value_at(path)), delta)))
    bump_editor(name)
    if path[0] == K_SCENARIO:
        revalidate()


def bind_editor(name: str, path: tuple[Hashable, ...], to_rows: Callable[[Any], list[dict[str, Any]]],
                from_rows: Callable[[list[dict[str, Any]]], Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows for ``st.data_editor`` and its kwargs; edits are written to ``path`` by a callback."""
    key = editor_key(name)
    return to_rows(value_at(path)), {"key": key, "on_change": _on_editor, "args": (name, key, path, to_rows, from_rows)}
