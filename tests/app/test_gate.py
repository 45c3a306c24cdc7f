"""AppTest: the optional shared-password gate, alone and as wired into app.py."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT


def _app() -> None:
    import streamlit as st

    from ui.gate import require_password

    require_password()
    st.write("inside")


def test_no_password_configured_lets_everyone_in(monkeypatch):
    monkeypatch.delenv("COMPCORE_PASSWORD", raising=False)
    at = AppTest.from_function(_app).run()
    assert not at.exception and at.markdown[0].value == "inside"


def test_password_gate(monkeypatch):
    monkeypatch.setenv("COMPCORE_PASSWORD", "s3cret")
    at = AppTest.from_function(_app).run()
    assert not at.exception and [m.value for m in at.markdown] == []
    at.text_input(key="gate_password").input("wrong").run()
    assert at.error[0].value == "That password is not right."
    assert "inside" not in [m.value for m in at.markdown]
    at.text_input(key="gate_password").input("s3cret").run()
    assert not at.exception and "inside" in [m.value for m in at.markdown]


def _app_py() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def test_app_py_without_password_opens_the_designer(monkeypatch):
    monkeypatch.delenv("COMPCORE_PASSWORD", raising=False)
    at = _app_py().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Plan designer"]
    assert not [t for t in at.text_input if t.key == "gate_password"]


def test_app_py_asks_for_the_password_before_any_page(monkeypatch):
    monkeypatch.setenv("COMPCORE_PASSWORD", "s3cret")
    at = _app_py().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["compcore"]  # the gate, not the designer
    assert "scenario" not in at.session_state  # no page ran
    at.text_input(key="gate_password").input("s3cret").run()
    assert not at.exception and [t.value for t in at.title] == ["Plan designer"]
