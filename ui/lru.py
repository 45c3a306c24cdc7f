"""The app's cache policy, and the small LRU caches shared by all sessions.

One policy: *cache what is expensive, key it on exactly what it depends on,
bound its size.* Three Streamlit-side mechanisms serve it, each for one kind
of thing:

- :class:`Lru` (here), held in ``st.cache_resource``: the heavy objects whose
  key is a content hash the app computes itself - metric draws (keyed on
  assumptions, correlations, roster, scopes, trials and seed, never the plan),
  priced simulations and sensitivity rankings (the plan's JSON + the draws
  key), chart specs, back-tests. ``st.cache_data`` cannot do this job: it
  pickles every value on every hit (a 10,000 x 50 x 4 draw set is 16 MB) and
  cannot say "is it cached?" without computing, which the Cost page needs to
  decide whether to show a spinner.
- ``st.cache_data``: small pure functions of hashable arguments whose result
  is cheap to copy - reading a sample file, parsing an uploaded CSV, the
  default scenario.
- ``st.cache_resource`` alone: server-wide singletons that must not be copied -
  the scenario store's engine.

Keys are content hashes (JSON of what the value depends on); values are read-only.
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
