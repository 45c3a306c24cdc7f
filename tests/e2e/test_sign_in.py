"""Browser e2e: sign in for real through a local OpenID Connect provider (oidc-provider-mock) with st.login.

The app runs with an ``[auth]`` section pointing at the provider and an
editor allow-list (``COMPCORE_EDITORS=@acme.example``). Signed out, every page
address, ``?scenario=`` and ``?s=`` show only the sign-in screen; Ana
(ana@acme.example, verified) signs in and edits; Eve (eve@evil.example), Mallory
(mallory@acme.example, not verified), "eve@evil.example@acme.example" and
bob@sub.acme.example sign in and are told they may not edit, and why.
An ``?hr=`` link opens its document without signing in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compcore.io.share import encode_scenario
from compcore.io.store import ScenarioStore
from tests.compcore.scenario_data import sample_scenario
from tests.e2e.conftest import free_port, running_app, wait_idle

pytestmark = pytest.mark.e2e
#: provider accounts: (e-mail, email_verified); only ana may edit with COMPCORE_EDITORS=@acme.example
ACCOUNTS = {
    "ana": ("ana@acme.example", True),
    "eve": ("eve@evil.example", True),
    "mallory": ("mallory@acme.example", False),  # issue 23, item 4: unverified, on the list's domain
    "evetwo": ("eve@evil.example@acme.example", True),  # two @: the last one was trusted
    "bob": ("bob@sub.acme.example", True),  # a subdomain is not the domain
}
PAGES = ["", "plan_designer", "payout_curves", "cost_simulation", "scenarios", "plan_document", "targets_from_data"]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    mock = pytest.importorskip("oidc_provider_mock")
    users = [mock.User(sub=sub, claims={"email": email, "email_verified": verified, "name": sub.capitalize()})
             for sub, (email, verified) in ACCOUNTS.items()]
    with mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("sign_in")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-cookie-secret-for-the-e2e-test-only"\n'
        'client_id = "compcore"\n'
        'client_secret = "compcore-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    db = f"sqlite:///{folder / 'store.db'}"
    with running_app(db, env={"COMPCORE_EDITORS": "@acme.example"}, secrets=secrets, port=port) as base:
        yield base, db


def _only_sign_in(page: Any) -> None:
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_role("heading", name="compcore").count() == 1
    for text in ("Plan designer", "Cost simulation", "Saved scenarios", "Secret plan", "Expected cost"):
        assert page.get_by_text(text, exact=True).count() == 0, text
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("input, textarea, [data-testid='stMetric'], [data-testid='stDataFrame']").count() == 0


def _sign_in_as(page: Any, sub: str) -> None:
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=sub, exact=True).click(timeout=60_000)  # the provider's predefined user


def test_signed_out_every_address_shows_only_the_sign_in(signed_app, browser):
    base, db = signed_app
    rec = ScenarioStore(db).save("Secret plan", sample_scenario("Secret plan"))
    link = encode_scenario(sample_scenario("Secret plan"))
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    for path in PAGES:
        for query in ("", f"?scenario={rec.id}", f"?s={link}"):
            page.goto(f"{base}/{path}{query}")
            _only_sign_in(page)
    ctx.close()


def test_an_editor_signs_in_through_the_provider_and_edits(signed_app, browser, tmp_path: Path):
    base, _ = signed_app
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.goto(base)
    _only_sign_in(page)
    _sign_in_as(page, "ana")
    page.get_by_role("heading", name="Plan designer").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("Signed in as ana@acme.example").wait_for()
    page.screenshot(path=str(tmp_path / "signed_in.png"))
    page.goto(f"{base}/cost_simulation")  # the session cookie carries over to other pages
    page.get_by_role("heading", name="Cost simulation").wait_for(timeout=60_000)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click(timeout=60_000)  # the provider confirms, then sends back
    page.wait_for_url(f"{base}/**", timeout=60_000)
    page.goto(base)
    _only_sign_in(page)  # the app's cookie is gone: signed out again
    ctx.close()


@pytest.mark.parametrize(("sub", "reason"), [
    ("eve", "not on the app's list of editors"),
    ("mallory", "does not say this account's e-mail address is verified"),
    ("evetwo", "no plain e-mail address (exactly one @)"),
    ("bob", "not on the app's list of editors"),
])
def test_a_signed_in_account_off_the_allow_list_cannot_edit(signed_app, browser, sub, reason):
    base, _ = signed_app
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.goto(base)
    _sign_in_as(page, sub)
    page.get_by_text("may not use the editor").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_text(reason).count() == 1
    assert page.get_by_text(f"Signed in as {ACCOUNTS[sub][0]}").count() == 1
    assert page.get_by_role("heading", name="Plan designer").count() == 0
    page.goto(f"{base}/scenarios")
    page.get_by_text("may not use the editor").wait_for(timeout=60_000)
    assert page.get_by_text("Saved scenarios").count() == 0
    ctx.close()


def test_an_hr_link_opens_without_signing_in(signed_app, browser):
    base, db = signed_app
    store = ScenarioStore(db)
    token = store.share_token(store.save("For HR", sample_scenario("For HR")).id)
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(f"{base}/?hr={token}")
    page.get_by_role("heading", name="For HR").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_role("button", name="Sign in").count() == 0
    assert page.locator("input, textarea").count() == 0
    ctx.close()
