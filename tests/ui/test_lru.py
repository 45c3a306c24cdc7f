"""Caches bounded per process in bytes across all caches, released when their sessions end (issue 23, item 7)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np
import pytest

from ui import lru
from ui.lru import Lru, cached_bytes, release_ended_sessions, size_of

MIB = 2**20


@pytest.fixture
def budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("COMPCORE_CACHE_MB", "10")  # 10 MiB for every cache of the process together
    monkeypatch.setattr(lru, "_CACHES", lru.weakref.WeakSet())  # only this test's caches
    yield


def _mib(n: float) -> np.ndarray:
    return np.zeros(int(n * MIB) // 8)


def test_two_caches_together_hold_no_more_than_the_process_budget(budget: None) -> None:
    # before: each cache was bounded by its number of entries only (3 draw sets of up to 256 MiB each)
    draws, priced = Lru(100), Lru(100)
    for i in range(4):
        draws.put(f"d{i}", _mib(1.9))   # 4 x 1.9 MiB = 7.6 MiB
    for i in range(3):
        priced.put(f"p{i}", _mib(1.9))  # 3 x 1.9 MiB more: 13.3 MiB asked for, 10 MiB allowed (5 entries)
    assert cached_bytes() <= 10 * MIB
    # the least recently used go first, whichever cache they are in: d0, d1 (the two oldest) are gone
    assert [k for k in ("d0", "d1", "d2", "d3") if draws.get(k) is not None] == ["d2", "d3"]
    assert all(priced.get(f"p{i}") is not None for i in range(3))


def test_a_use_keeps_an_entry_from_being_evicted(budget: None) -> None:
    cache = Lru(100)
    for i in range(4):
        cache.put(f"k{i}", _mib(2))  # 8 MiB
    assert cache.get("k0") is not None  # k0 is now the most recently used
    cache.put("k4", _mib(3))  # 11 MiB: the oldest (k1) goes, not k0
    assert cache.get("k1") is None and cache.get("k0") is not None


def test_a_value_larger_than_the_budget_is_not_kept(budget: None) -> None:
    cache = Lru(100)
    cache.put("small", _mib(1))
    cache.put("huge", _mib(11))
    assert cache.get("huge") is None and cached_bytes() <= 10 * MIB


def test_entries_of_ended_sessions_are_released(budget: None, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Lru(100)
    for sid, key in (("ana", "a"), ("bo", "b"), (None, "made outside a session")):
        monkeypatch.setattr(lru, "_session_id", lambda sid=sid: sid)
        cache.put(key, _mib(1))
    monkeypatch.setattr(lru, "_session_id", lambda: "bo")
    cache.get("a")  # bo uses ana's entry too: it stays while bo is there
    freed = release_ended_sessions(is_active=lambda sid: sid == "bo")  # ana closed her tab
    assert freed == 0 and cache.get("a") is not None
    freed = release_ended_sessions(is_active=lambda sid: False)  # every session ended
    assert freed == size_of(_mib(1)) * 2
    assert cache.get("a") is None and cache.get("b") is None
    assert cache.get("made outside a session") is not None  # only the budget evicts it


def test_size_of_counts_buffers_once() -> None:
    a = _mib(1)
    assert MIB <= size_of(a) < MIB + 1000
    assert size_of({"x": a, "y": a[:10], "z": [a]}) < MIB + 5000  # a view and a second reference add no buffer


def test_size_of_many_rows_is_measured_from_a_sample_close_to_every_row(monkeypatch) -> None:
    rows = [{"x": float(i), "y": float(i) / 3, "total": 0.5, "label": f"row {i}"} for i in range(5000)]
    sampled = size_of(rows)
    monkeypatch.setattr(lru, "_ROWS_SAMPLED", 10**9)  # every row measured
    exact = size_of(rows)
    assert exact > 5000 * sys.getsizeof(rows[0])
    assert 0.9 * exact <= sampled <= 1.1 * exact
