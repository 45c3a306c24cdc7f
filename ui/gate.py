"""Optional shared-password gate for a hosted app.

When ``COMPCORE_PASSWORD`` is set (Streamlit secrets or environment), every
page asks for it once per browser session before anything else runs. Unset
(the default for a local run), the gate does nothing. For per-person sign-in
use Streamlit's ``st.login`` (OIDC) instead; see docs/deploy.md.

Hook (app.py, before ``st.navigation``)::

    from ui.gate import require_password
    require_password()
"""

from __future__ import annotations

import hmac

import streamlit as st

from ui.session import K_GATE, K_GATE_FAILED, K_GATE_PASSWORD
from ui.settings import setting


def _secret() -> str | None:
    return setting("COMPCORE_PASSWORD")


def _check() -> None:
    secret = _secret() or ""
    typed = st.session_state.get(K_GATE_PASSWORD, "") or ""
    st.session_state[K_GATE] = bool(secret) and hmac.compare_digest(typed.encode(), secret.encode())
    st.session_state[K_GATE_FAILED] = not st.session_state[K_GATE]
    st.session_state[K_GATE_PASSWORD] = ""  # never keep the password in session state


def require_password() -> None:
    """Stop the script until the shared password is typed (no-op when no password is configured)."""
    if not _secret() or st.session_state.get(K_GATE):
        return
    st.title("compcore")
    st.text_input("Password", type="password", key=K_GATE_PASSWORD, on_change=_check)
    if st.session_state.get(K_GATE_FAILED):
        st.error("That password is not right.")
    st.caption("This app holds compensation data; ask its owner for the password.")
    st.stop()
