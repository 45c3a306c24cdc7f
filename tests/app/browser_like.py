"""Run an AppTest page the way a browser does: widgets mounted again come back at their own defaults.

AppTest reads every widget's value from the server, so it never sees what a browser sends. A browser that
mounts a widget the last run did not draw shows the widget's own default (a slider at its minimum, a select
box at its first option) unless the server sent the value with it (``set_value`` in the widget's message),
and it sends that default back on the next run, where the widget's ``on_change`` writes it over the
setting. :func:`browser_run` does the same, so a test sees the flip a person would.
"""

from __future__ import annotations

from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from tests.app.conftest import run_ok

KINDS = ("slider", "selectbox", "number_input")


def drawn(at: AppTest) -> set[str]:
    """Keys of the sliders, select boxes and number inputs the last run drew."""
    return {w.key for kind in KINDS for w in at.get(kind) if w.key}


def _mount_at_default(w: Any) -> None:
    proto = w.proto
    if proto.set_value:
        return  # the server sent the value: the browser shows it
    if w.type == "slider":
        w.set_value(type(w.value)(proto.default[0]))
    elif w.type == "selectbox":
        default = proto.default if isinstance(proto.default, int) else (list(proto.default) or [0])[0]
        # a select box is sent as its option's label: the browser sends the label it mounted at
        state = WidgetState(id=w.id, string_value=w.options[default])
        w.__class__ = type("MountedSelectbox", (type(w),), {"_widget_state": property(lambda self: state)})
    elif w.type == "number_input":
        w.set_value(type(w.value)(proto.default) if w.value is not None else proto.default)


def browser_run(at: AppTest, before: set[str], timeout: float = 120) -> AppTest:
    """Run ``at``; then mount, as a browser does, each widget drawn now that was not in ``before``.

    The values mounted are sent by the next run (as a browser sends every widget's state on each rerun).
    """
    run_ok(at, timeout)
    for kind in KINDS:
        for w in at.get(kind):
            if w.key and w.key not in before:
                _mount_at_default(w)
    return at
