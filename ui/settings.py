"""Deployment settings of the app: a named value from Streamlit secrets, else the environment."""

from __future__ import annotations

import os

import streamlit as st


def setting(name: str) -> str | None:
    """``name`` from Streamlit secrets (``.streamlit/secrets.toml``), else the environment variable; None if unset."""
    try:
        value = st.secrets.get(name)
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        value = None
    return str(value) if value else os.environ.get(name) or None
