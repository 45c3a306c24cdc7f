"""Who may use the editor of a hosted app: Streamlit's own sign-in, an optional allow-list, a shared password.

- Nothing configured (a local run): one user, everything open.
- ``[auth]`` in ``.streamlit/secrets.toml`` (OpenID Connect: Google, Microsoft
  Entra, Okta, Auth0...): editors sign in with ``st.login``; ``st.user`` says
  who they are. ``COMPCORE_EDITORS`` (secrets or environment; e-mails or
  ``@domain``, separated by commas or spaces) limits who may edit: an editor
  then needs an e-mail address the provider marks verified
  (``email_verified``), with exactly one ``@``, matched whole (an ``@domain``
  entry matches that domain exactly, not a subdomain or a longer name).
- Else ``COMPCORE_PASSWORD``: a shared password, asked once per browser
  session. Every wrong one waits longer (1 s, 2 s, 4 s ... 16 s), and wrong
  tries are answered one at a time across all sessions of the server, so 200
  guesses take minutes, not a second and a half.

When either is configured nothing of the editor runs before the check passes:
no page, no saved scenario, no ``?s=`` or ``?scenario=`` link. Read-only HR
links (``?hr=``, :mod:`ui.hr_links`) are capabilities of their own and skip it.

Hook (app.py, before ``st.navigation``; :func:`ui.page.init` calls it too)::

    from ui.gate import require_editor
    require_editor()
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections.abc import Sequence
from typing import Any

import streamlit as st

from ui.session import K_GATE, K_GATE_FAILED, K_GATE_FAILURES, K_GATE_PASSWORD
from ui.settings import setting

__all__ = ["FAIL_DELAY", "allowed", "auth_configured", "editor_list", "editor_refusal", "require_editor",
           "require_password", "signed_in"]

#: seconds the first wrong password waits; each further one in the session doubles it, up to 16x
FAIL_DELAY = 1.0
_MAX_DOUBLINGS = 4
_ONE_AT_A_TIME = threading.Lock()  # wrong passwords of all sessions wait in turn: no parallel guessing
#: how a wrong password waits (replaced in tests to measure the waits)
wait_after_failure = time.sleep


def _secret() -> str | None:
    return setting("COMPCORE_PASSWORD")


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OpenID Connect sign-in)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def _providers() -> list[str]:
    """Named providers (``[auth.google]`` ...) of the ``[auth]`` section; [] for the single unnamed one."""
    section: Any = st.secrets["auth"]
    return [k for k, v in section.items() if hasattr(v, "items") and "client_id" in v]


def editor_list() -> list[str]:
    """The allow-list ``COMPCORE_EDITORS``: lower-case e-mails and ``@domain`` entries ([] = every signed-in user)."""
    raw = setting("COMPCORE_EDITORS") or ""
    return [x.lower() for x in re.split(r"[,;\s]+", raw) if x]


#: a plain e-mail address: exactly one @, something on each side, no spaces ("eve@evil.example@acme.example" is not one)
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")


_UNVERIFIED = ("the sign-in provider does not say this account's e-mail address is verified; sign in with an "
               "account whose address it has verified")


def _is_verified(flag: Any) -> bool:
    """The provider's ``email_verified`` claim: JSON true (some providers send the text "true")."""
    return flag is True or (isinstance(flag, str) and flag.strip().lower() == "true")


def editor_refusal(email: str | None, editors: list[str], verified: Any = False) -> str | None:
    """Why this signed-in account may not edit, or None when it may.

    With no allow-list every signed-in account edits. With one, the account
    needs an address its provider says is verified (``email_verified`` true),
    with exactly one ``@``; it is then matched as a whole address, or on its
    whole domain for an ``@domain`` entry (``@acme.com`` is neither
    ``sub.acme.com`` nor ``acme.com.evil``).

    >>> editor_refusal("ana@acme.com", ["@acme.com"], verified=True) is None
    True
    >>> editor_refusal("ana@acme.com", ["@acme.com"], verified=False) == _UNVERIFIED
    True
    """
    if not editors:
        return None
    if not _is_verified(verified):
        return _UNVERIFIED
    address = (email or "").strip().lower()
    if not _ADDRESS.fullmatch(address):
        return "this account has no plain e-mail address (exactly one @); sign in with another account"
    if address in editors or "@" + address.split("@")[1] in editors:
        return None
    return "this account is not on the app's list of editors; ask the app's owner to add you"


def allowed(email: str | None, editors: list[str], verified: Any = False) -> bool:
    """May this signed-in account edit? (:func:`editor_refusal` is None.)

    >>> allowed("ana@acme.com", ["@acme.com"], True), allowed("eve@evil.com", ["@acme.com", "bo@x.org"], True)
    (True, False)
    >>> allowed("ana@acme.com", ["@acme.com"], False), allowed("x@y.z", [])
    (False, True)
    """
    return editor_refusal(email, editors, verified) is None


def signed_in() -> bool:
    """True when this browser has signed in with ``st.login`` (False when sign-in is not set up)."""
    return bool(st.user.get("is_logged_in", False))


def _signed_in_email() -> str | None:
    email = st.user.get("email")
    return str(email) if email else None


def _sign_in_screen() -> None:
    st.title("compcore")
    st.caption("This app holds compensation data. Sign in to design plans and see saved scenarios.")
    providers = _providers()
    if providers:
        for name in providers:
            st.button(f"Sign in with {name.capitalize()}", key=f"gate_login_{name}", on_click=st.login,
                      args=(name,), type="primary")
    else:
        st.button("Sign in", key="gate_login", on_click=st.login, type="primary")


def _not_an_editor(email: str | None, reason: str) -> None:
    st.title("compcore")
    st.text(f"Signed in as {email or 'an account without an e-mail address'}.")
    st.error(f"This account may not use the editor: {reason}.")
    st.button("Sign out", key="gate_logout", on_click=st.logout)
    st.stop()


def _screen() -> Any:
    """The screen this session must pass first, or None when it may edit (or nothing is configured)."""
    if auth_configured():
        if not signed_in():
            return _sign_in_screen
        email = _signed_in_email()
        reason = editor_refusal(email, editor_list(), st.user.get("email_verified"))
        return None if reason is None else (lambda: _not_an_editor(email, reason))
    if _secret() and not st.session_state.get(K_GATE):
        return _password_screen
    return None


def require_editor(show_account: bool = False, page_paths: Sequence[str] = ()) -> None:
    """Stop the script unless this session may edit (no-op when no sign-in and no password is configured).

    From app.py (``show_account=True``) the gate screen is the only page of
    the navigation, so Streamlit lists no page of the editor beside it; there
    "Signed in as ..." and Sign out go in the sidebar once signed in.
    ``page_paths`` (the app's page addresses) all show that screen, so a
    bookmarked ``/scenarios`` gets the sign-in, not "Page not found".
    """
    screen = _screen()
    if screen is not None:
        if show_account:
            pages = [st.Page(screen, title="Sign in", url_path="sign_in", default=True)]
            pages += [st.Page(screen, title="Sign in", url_path=p) for p in page_paths if p != "sign_in"]
            st.navigation(pages, position="hidden").run()
        else:
            screen()
        st.stop()
    if show_account and auth_configured():
        with st.sidebar:
            st.text(f"Signed in as {_signed_in_email() or st.user.get('name') or 'you'}")
            st.button("Sign out", key="gate_logout", on_click=st.logout)


def _check() -> None:
    secret = _secret() or ""
    typed = st.session_state.get(K_GATE_PASSWORD, "") or ""
    ok = bool(secret) and hmac.compare_digest(typed.encode(), secret.encode())
    st.session_state[K_GATE_PASSWORD] = ""  # never keep the password in session state
    if not ok:
        failures = int(st.session_state.get(K_GATE_FAILURES, 0)) + 1
        st.session_state[K_GATE_FAILURES] = failures
        with _ONE_AT_A_TIME:
            wait_after_failure(FAIL_DELAY * 2 ** min(failures - 1, _MAX_DOUBLINGS))
    st.session_state[K_GATE] = ok
    st.session_state[K_GATE_FAILED] = not ok


def _password_screen() -> None:
    st.title("compcore")
    st.text_input("Password", type="password", key=K_GATE_PASSWORD, on_change=_check)
    if st.session_state.get(K_GATE_FAILED):
        st.error("That password is not right.")
    st.caption("This app holds compensation data; ask its owner for the password.")
    st.stop()


def require_password() -> None:
    """Stop the script until the shared password is typed (no-op when no password is configured)."""
    if not _secret() or st.session_state.get(K_GATE):
        return
    _password_screen()
