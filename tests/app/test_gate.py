"""AppTest: the optional shared-password gate, alone and as wired into app.py."""

from __future__ import annotations

import pytest
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


# ---------------------------------------------------------------- slowed-down wrong passwords


def test_wrong_passwords_wait_longer_each_time(monkeypatch):
    import ui.gate

    waits: list[float] = []
    monkeypatch.setattr(ui.gate, "wait_after_failure", waits.append)
    monkeypatch.setenv("COMPCORE_PASSWORD", "s3cret")
    at = AppTest.from_function(_app).run()
    for _ in range(6):
        at.text_input(key="gate_password").input("wrong").run()
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 16.0]  # 1 s doubling, at most 16 s: 200 guesses take ~53 min
    at.text_input(key="gate_password").input("s3cret").run()
    assert "inside" in [m.value for m in at.markdown] and len(waits) == 6  # the right one does not wait


# ---------------------------------------------------------------- OpenID Connect sign-in (st.login)

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "compcore",
        "client_secret": "secret", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
PAGES = ["plan_designer", "payout_curves", "cost_simulation", "scenarios", "plan_document", "targets_from_data"]


def _signed_out(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["compcore"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart") and len(at.sidebar) == 0


@pytest.mark.parametrize("name", PAGES)
def test_signed_out_every_page_and_link_shows_only_the_sign_in(name, tmp_path, monkeypatch):
    from compcore.io.share import encode_scenario
    from compcore.io.store import ScenarioStore
    from tests.compcore.scenario_data import sample_scenario

    db = f"sqlite:///{tmp_path / 's.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", db)
    rec = ScenarioStore(db).save("Secret", sample_scenario())
    at = _app_py()
    at.secrets["auth"] = AUTH
    at.query_params["scenario"] = rec.id
    at.query_params["s"] = encode_scenario(sample_scenario("Linked"))
    at.run()
    _signed_out(at)
    assert "scenario" not in at.session_state  # no page ran, no link was applied
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # no page file is registered
        at.switch_page(f"pages/{name}.py")
    page_alone = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    page_alone.secrets["auth"] = AUTH
    page_alone.query_params["scenario"] = rec.id
    page_alone.run()
    _signed_out(page_alone)  # a page file run without app.py asks for the sign-in too
    assert page_alone.session_state["saved_link"] is None  # its ?scenario= was not opened


def test_an_hr_link_needs_no_sign_in_and_shows_only_its_document(tmp_path, monkeypatch):
    from compcore.io.store import ScenarioStore
    from tests.compcore.scenario_data import sample_scenario

    db = f"sqlite:///{tmp_path / 's.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", db)
    store = ScenarioStore(db)
    token = store.share_token(store.save("For HR", sample_scenario()).id)
    at = _app_py()
    at.secrets["auth"] = AUTH
    at.query_params["hr"] = token
    at.run()
    assert not at.exception
    assert at.title[0].value == "For HR" and at.metric
    assert not at.button and len(at.sidebar) == 0
    at.query_params["hr"] = "forged-token-000000000000000"
    at.run()
    assert not at.title and at.error


@pytest.mark.parametrize(("email", "editors", "ok"), [
    ("ana@acme.com", "", True), ("ana@acme.com", "@acme.com", True), ("ANA@Acme.com", "ana@acme.com, bo@x.org", True),
    ("eve@evil.com", "@acme.com bo@x.org", False), (None, "@acme.com", False),
    ("eve@acme.com.evil", "@acme.com", False),
    ("eve@evil.example@acme.com", "@acme.com", False), ("bob@sub.acme.com", "@acme.com", False),
    ("eve@evil.example@acme.com", "", True),  # no allow-list: every signed-in account edits
    (" Ana@ACME.com ", "@acme.com", True), ("ana @acme.com", "@acme.com", False), ("@acme.com", "@acme.com", False),
])
def test_the_editor_allow_list(email, editors, ok):
    from ui.gate import allowed

    assert allowed(email, [x.lower() for x in editors.replace(",", " ").split()], True) is ok


@pytest.mark.parametrize("verified", [False, None, "false", 0, 1, "yes"])
def test_an_unverified_address_is_no_editor_even_on_the_list(verified):
    # issue 23, item 4: before, mallory@acme.example with email_verified=false got the editor
    from ui.gate import editor_refusal

    assert editor_refusal("mallory@acme.com", ["@acme.com"], verified).startswith(
        "the sign-in provider does not say this account's e-mail address is verified; sign in with")
    assert editor_refusal("mallory@acme.com", ["@acme.com"], True) is None
    assert editor_refusal("mallory@acme.com", ["@acme.com"], "true") is None
