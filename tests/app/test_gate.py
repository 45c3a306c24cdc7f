"""AppTest: the optional shared-password gate."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


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
