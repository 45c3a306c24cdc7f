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

**Bounded per process, in bytes.** Every :class:`Lru` of the server shares one
budget, :func:`process_budget` (``COMPCORE_CACHE_MB``, default 512 MiB): the
size of each value is measured when it is put (numpy arrays and DataFrames
by their buffers, containers and objects by what they hold), and past the
budget the least recently used entry of *any* cache goes first, so 20
sessions together hold no more than one. Each entry remembers the sessions
that used it; a sweep every :data:`SWEEP_SECONDS` drops the entries whose
sessions have all ended (closed tabs) and hands the freed memory back to the
operating system (``malloc_trim``), so an idle server shrinks back.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import itertools
import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.settings import setting

__all__ = ["SWEEP_SECONDS", "Lru", "cached_bytes", "process_budget", "release_ended_sessions", "shared_caches",
           "size_of"]

#: a list of more dicts than this (chart rows) is measured from a sample of this many
_ROWS_SAMPLED = 64
#: seconds between two sweeps for the entries of ended sessions
SWEEP_SECONDS = 10.0
_DEFAULT_BUDGET_MB = 512
_LOCK = threading.RLock()  # one lock for all caches: the budget is theirs together
_CACHES: weakref.WeakSet[Lru] = weakref.WeakSet()
_STAMPS = itertools.count()
_SWEEPER: list[threading.Thread] = []


def process_budget() -> int:
    """Bytes all caches of this process may hold together: ``COMPCORE_CACHE_MB`` MiB (default 512)."""
    raw = setting("COMPCORE_CACHE_MB")
    try:
        mb = int(raw) if raw else _DEFAULT_BUDGET_MB
    except ValueError:
        mb = _DEFAULT_BUDGET_MB
    return max(1, mb) * 2**20


def size_of(value: Any, _seen: set[int] | None = None, _depth: int = 0) -> int:
    """Bytes a cached value holds (arrays and frames by their buffers; containers and objects by content).

    >>> size_of(np.zeros(1000)) >= 8000, size_of({"a": np.zeros(10)}) >= 80
    (True, True)
    """
    seen = set() if _seen is None else _seen
    if id(value) in seen or _depth > 12:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        base = value.base if isinstance(value.base, np.ndarray) else None
        if base is not None:  # a view: count the buffer it shares once
            return size_of(base, seen, _depth + 1)
        return int(value.nbytes) + 112
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        return int(np.sum(value.memory_usage(deep=True))) + 500
    if type(value).__module__.startswith("pyarrow") and isinstance(getattr(value, "nbytes", None), int):
        return int(value.nbytes) + 200  # an Arrow table or array: its buffers
    if isinstance(value, str | bytes | bytearray | int | float | bool | type(None)):
        return sys.getsizeof(value)
    total = sys.getsizeof(value)
    if isinstance(value, dict):
        items: Any = itertools.chain.from_iterable(value.items())
    elif isinstance(value, list | tuple) and len(value) > _ROWS_SAMPLED and isinstance(value[0], dict):
        # chart rows (thousands of small dicts alike): measuring each one cost more than building them, so a
        # sample of them, spread over the list, stands for all
        step = len(value) / _ROWS_SAMPLED
        sample = sum(size_of(value[int(i * step)], seen, _depth + 1) for i in range(_ROWS_SAMPLED))
        return total + round(sample * len(value) / _ROWS_SAMPLED)
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = (getattr(value, f.name, None) for f in dataclasses.fields(value))
    elif hasattr(value, "__dict__"):
        items = vars(value).values()
    else:
        return total
    return total + sum(size_of(item, seen, _depth + 1) for item in items)


@dataclasses.dataclass
class _Entry:
    value: Any
    nbytes: int
    stamp: int
    owners: set[str]  # sessions that put or used it; empty when it was made outside a session


def _session_id() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "session_id", None)


class Lru:
    """A thread-safe LRU shared by all sessions: at most ``size`` entries, and its share of the process budget.

    >>> cache = Lru(2)
    >>> cache.put("a", 1); cache.put("b", 2); cache.put("c", 3)
    >>> cache.get("a"), cache.get("c")
    (None, 3)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[str, _Entry] = OrderedDict()
        self.lock = _LOCK
        with _LOCK:
            _CACHES.add(self)

    def get(self, key: str) -> Any:
        with _LOCK:
            entry = self.data.get(key)
            if entry is None:
                return None
            self.data.move_to_end(key)
            entry.stamp = next(_STAMPS)
            sid = _session_id()
            if sid is not None:
                entry.owners.add(sid)
            return entry.value

    def get_or_make(self, key: str, make: Callable[[], Any]) -> Any:
        """The value under ``key``; on a miss, ``make()`` computed (outside the lock) and stored."""
        hit = self.get(key)
        if hit is None:
            hit = make()
            self.put(key, hit)
        return hit

    def put(self, key: str, value: Any) -> None:
        nbytes = size_of(value)  # outside the lock: it walks the value
        sid = _session_id()
        with _LOCK:
            old = self.data.pop(key, None)
            owners = (old.owners if old else set()) | ({sid} if sid else set())
            self.data[key] = _Entry(value, nbytes, next(_STAMPS), owners)
            while len(self.data) > self.size:
                self.data.popitem(last=False)
            _within_budget(process_budget())
        _start_sweeper()

    @property
    def nbytes(self) -> int:
        """Bytes this cache holds now."""
        with _LOCK:
            return sum(e.nbytes for e in self.data.values())


def cached_bytes() -> int:
    """Bytes all caches of this process hold now."""
    with _LOCK:
        return sum(c.nbytes for c in list(_CACHES))


def _within_budget(budget: int) -> None:
    """Evict the least recently used entries of any cache until all of them fit ``budget`` (lock held)."""
    caches = [c for c in list(_CACHES) if c.data]
    total = sum(e.nbytes for c in caches for e in c.data.values())
    while total > budget and caches:
        oldest = min(caches, key=lambda c: next(iter(c.data.values())).stamp)
        _, entry = oldest.data.popitem(last=False)
        total -= entry.nbytes
        if not oldest.data:
            caches.remove(oldest)


def release_ended_sessions(is_active: Any = None) -> int:
    """Drop the entries whose sessions have all ended; the bytes freed. A no-op outside a Streamlit server."""
    if is_active is None:
        if not Runtime.exists():
            return 0
        runtime = Runtime.instance()
        is_active = runtime.is_active_session
    freed = 0
    with _LOCK:
        for cache in list(_CACHES):
            for key, entry in list(cache.data.items()):
                if not entry.owners:
                    continue  # made outside a session (a test, a background job): only the budget evicts it
                entry.owners = {sid for sid in entry.owners if is_active(sid)}
                if not entry.owners:
                    del cache.data[key]
                    freed += entry.nbytes
    if freed:
        _give_back()
    return freed


def _give_back() -> None:
    """Collect what the dropped entries kept alive (cycles too), then return freed heap to the operating system
    (glibc keeps it otherwise; a no-op elsewhere)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (e.g. musl): nothing to trim
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _sweep_forever() -> None:
    while True:
        threading.Event().wait(SWEEP_SECONDS)
        with contextlib.suppress(Exception):  # a failed sweep must not end the sweeper; the budget still holds
            release_ended_sessions()


def _start_sweeper() -> None:
    if _SWEEPER or not Runtime.exists() or os.environ.get("COMPCORE_NO_CACHE_SWEEP"):
        return
    with _LOCK:
        if not _SWEEPER:
            thread = threading.Thread(target=_sweep_forever, name="compcore-cache-sweep", daemon=True)
            _SWEEPER.append(thread)
            thread.start()


@st.cache_resource(show_spinner=False)
def shared_caches() -> dict[str, Lru]:
    """The server's caches: ``draws`` (metric draws), ``priced`` (simulations, sensitivities), ``specs`` (charts),
    ``arrow`` (chart rows as Arrow tables)."""
    return {"draws": Lru(3), "priced": Lru(24), "specs": Lru(256), "arrow": Lru(64)}
