"""ui.binding: writes by id, stale paths dropped (a browser re-sends old widget states), stale editor versions."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _paths_app() -> None:
    import streamlit as st

    from ui.binding import ById, set_value_at, value_at, writable

    st.session_state["scenario"] = {"plans": {"pmo": {"metrics": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                                                      "gates": []}}}
    st.session_state["ui"] = {}
    out = {
        "by_id": value_at(("scenario", "plans", "pmo", "metrics", ById("b"), "name")),
        "gone_metric": writable(("scenario", "plans", "pmo", "metrics", ById("zz"), "name")),
        "gone_plan": writable(("scenario", "plans", "implementation", "name")),
        "gone_index": writable(("scenario", "plans", "pmo", "gates", 0, "cap")),
        "new_key": writable(("scenario", "plans", "pmo", "cap")),
        "new_ui": writable(("ui", "component", "pmo")),
    }
    set_value_at(("scenario", "plans", "pmo", "metrics", ById("b"), "name"), "Bee")
    set_value_at(("scenario", "plans", "gone", "name"), "never")  # dropped, no plan "gone" is created
    set_value_at(("scenario", "plans", "pmo", "gates", 3, "cap"), 1.0)  # dropped, no IndexError
    set_value_at(("ui", "component", "pmo"), "b")
    out["after"] = [m["name"] for m in st.session_state["scenario"]["plans"]["pmo"]["metrics"]]
    out["plans"] = sorted(st.session_state["scenario"]["plans"])
    out["ui"] = st.session_state["ui"]
    st.text(repr(out))


def test_paths_by_id_and_stale_paths_are_dropped() -> None:
    at = AppTest.from_function(_paths_app, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    got = eval(at.text[0].value)  # noqa: S307 (the repr of a dict of plain values, written by the app above)
    assert got == {"by_id": "B", "gone_metric": False, "gone_plan": False, "gone_index": False, "new_key": True,
                   "new_ui": True, "after": ["A", "Bee"], "plans": ["pmo"], "ui": {"component": {"pmo": "b"}}}


def _editor_app() -> None:
    import streamlit as st

    from ui import page, state

    page.init()
    rows, kw = state.bind_editor("people", ("scenario", "roster"), lambda r: [dict(x) for x in r or []],
                                 lambda rows: rows)
    st.data_editor(rows, **kw)
    st.button("reset", key="reset", on_click=state.bump_editors)
    st.text(f"editor={kw['key']} rows={len(state.draft()['roster'])}")


def test_an_edit_of_an_older_editor_version_is_dropped_not_raised() -> None:
    at = AppTest.from_function(_editor_app, default_timeout=60).run()
    assert not at.exception
    n = len(at.session_state["scenario"]["roster"])
    old_key = at.session_state["editor_versions"]
    # another callback of the same run bumped the editors first (a fast click): the edit's key is now stale
    at.button(key="reset").click()
    at.session_state["people_v0"] = {"edited_rows": {}, "added_rows": [{"team": "X"}], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.session_state["scenario"]["roster"]) == n and old_key is not None
