"""The small LRU caches shared by all sessions (draws, priced simulations, chart specs, back-tests).

Keys are content hashes (JSON of what the value depends on); values are read-only.
They live in ``st.cache_resource``, so every session of the server shares them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import streamlit as st


class Lru:
    """A small thread-safe LRU shared by all sessions (keys are content hashes, values read-only)."""

    def __init__(self, size: int) -> None:
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key: str, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


@st.cache_resource(show_spinner=False)
def shared_caches() -> dict[str, Lru]:
    """The server's caches: ``draws`` (metric draws), ``priced`` (simulations, sensitivities), ``specs`` (charts)."""
    return {"draws": Lru(3), "priced": Lru(24), "specs": Lru(256)}
