"""Inline problems: each ``PlanError`` path is shown next to the field that has it; the rest in a banner.

Paths are relative to the scenario (``plan.components[1].curve.points``,
``plans.pmo.metrics[0].target``, ``roster[2].headcount``). Each problem is shown
once per run; :func:`unshown_problems` lists those no field claimed.
"""

from __future__ import annotations

import streamlit as st

from ui.draft import problems
from ui.session import K_SHOWN
from ui.text import md

__all__ = ["show_problems", "unshown_problems"]


def _shown() -> set[tuple[str, str]]:
    ss = st.session_state
    if not isinstance(ss.get(K_SHOWN), set):
        ss[K_SHOWN] = set()
    return ss[K_SHOWN]


def show_problems(prefix: str, *, exact: bool = False) -> None:
    """Show each problem whose path is ``prefix`` (or below it) as an inline error, once per run."""
    shown = _shown()
    for path, msg in problems():
        hit = path == prefix or (not exact and path.startswith((prefix + ".", prefix + "[")))
        if hit and (path, msg) not in shown:
            shown.add((path, msg))
            where = "" if path == prefix else f"{path.removeprefix(prefix).lstrip('.')}: "
            st.error(md(where + msg), icon=":material/warning:")  # messages echo what was typed


def unshown_problems() -> list[str]:
    """Problems no field showed in this run, as 'path: message' lines."""
    shown = _shown()
    return [f"{p}: {m}" if p else m for p, m in problems() if (p, m) not in shown]
