"""A database that is down, silent, locked or corrupt: a plain StoreError within seconds, never a hang."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from compcore.io.store import CONNECT_TIMEOUT, ScenarioStore, StoreError
from tests.compcore.scenario_data import sample_scenario


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A local TCP server that accepts every connection and never answers; stopped at the end."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                held.append(conn)
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join(timeout=2)
    for c in held:
        c.close()
    srv.close()


def test_a_server_that_never_answers_fails_within_the_connect_timeout(silent_server: int) -> None:
    pytest.importorskip("psycopg")
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        ScenarioStore(f"postgresql+psycopg://u:p@127.0.0.1:{silent_server}/db")
    took = time.monotonic() - started
    assert took < 3 * CONNECT_TIMEOUT  # one attempt, not 20 retries
    assert "cannot be reached" in str(err.value) and "Traceback" not in str(err.value)


def test_an_unreachable_database_is_not_retried_and_says_so_on_a_read(tmp_path: Path) -> None:
    db = tmp_path / "gone" / "x.db"  # its folder does not exist: SQLite cannot open it
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        ScenarioStore(f"sqlite:///{db}")
    assert time.monotonic() - started < CONNECT_TIMEOUT
    assert "attempts" not in str(err.value)


def test_a_corrupt_sqlite_file_is_a_plain_store_error(tmp_path: Path) -> None:
    db = tmp_path / "bad.db"
    db.write_bytes(b"this is not a database, just bytes " * 200)
    with pytest.raises(StoreError) as err:
        ScenarioStore(f"sqlite:///{db}")
    assert "damaged" in str(err.value)
    assert "sqlalchemy" not in str(err.value).lower() and "SELECT" not in str(err.value)


def test_a_file_corrupted_after_opening_gives_store_errors_on_every_call(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = ScenarioStore(f"sqlite:///{db}")
    rec = store.save("A", sample_scenario())
    store.close()
    for f in tmp_path.glob("s.db*"):
        f.write_bytes(b"\x00garbage" * 4096)
    for call in (store.list, lambda: store.get(rec.id), lambda: store.save("B", sample_scenario())):
        with pytest.raises(StoreError):
            call()


def test_reads_do_not_wait_behind_a_held_write_lock(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = ScenarioStore(f"sqlite:///{db}")
    rec = store.save("A", sample_scenario())
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.monotonic()
        assert [r.id for r in store.list()] == [rec.id]
        assert store.get(rec.id).version == 1 and len(store.history(rec.id)) == 1
        assert time.monotonic() - started < 1.0
        started = time.monotonic()
        with pytest.raises(StoreError) as err:
            store.save("B", sample_scenario())
        assert time.monotonic() - started < 3 * CONNECT_TIMEOUT
        assert "busy" in str(err.value)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        store.close()
    assert store.save("B", sample_scenario()).version == 1  # works again once the lock is gone
