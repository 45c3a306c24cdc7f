"""Store faults of issue 23 (items 3, 5, 8): damaged rows, read-only and full databases, locks, a frozen backend.

PostgreSQL cases run when ``COMPCORE_TEST_PG_URL`` is set; they use a database of their own
(``<name>_faults``, created here) because they lock tables and stop a backend process.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from compcore.data.mapping import load_mapping
from compcore.io.mapping_store import MappingStore
from compcore.io.store import (
    ANSWER_TIMEOUT,
    LOCK_TIMEOUT,
    DamagedVersionError,
    ScenarioStore,
    StoreError,
)
from tests.compcore.io.pg import PG_URL, require_pg
from tests.compcore.scenario_data import sample_scenario

TABLES = ("compcore_share_token_runs", "compcore_share_tokens", "compcore_scenario_versions", "compcore_scenarios",
          "compcore_store_meta")
RUNNING = "that the database is running"


def _pg_faults_url() -> str:
    """A database of these tests' own on the test server (created once), with no store tables in it."""
    url = make_url(PG_URL)
    name = f"{url.database}_faults"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    faults = url.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(faults)
    with engine.begin() as conn:
        for table in TABLES:
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    return faults


@pytest.fixture
def pg_url() -> str:
    require_pg()
    return _pg_faults_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scenarios.db'}"
    return request.getfixturevalue("pg_url")


def _damage(url: str, scenario_id: str, version: int, data: str = "{not json") -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE compcore_scenario_versions SET data = :d WHERE scenario_id = :i AND version = :v"),
                     {"d": data, "i": scenario_id, "v": version})
    engine.dispose()


def _saved(store: ScenarioStore, name: str, versions: int) -> Any:
    rec = None
    for budget in range(versions):
        scn = sample_scenario()
        scn["budget"] = 40_000 + budget
        rec = store.save(name, scn)
    return rec


# -- a damaged version (item 3: JSONDecodeError escaped from get, history and list) --------------

@pytest.mark.parametrize("bad", ["{not json", "[1, 2]", "", "\"text\""])
def test_a_damaged_latest_version_is_skipped_and_named(url: str, bad: str) -> None:
    store = ScenarioStore(url)
    other = _saved(store, "Other", 1)
    rec = _saved(store, "Base", 3)
    _damage(url, rec.id, 3, bad)
    listed = {r.name: r for r in store.list()}
    assert listed["Base"].version == 2 and listed["Base"].skipped == (3,)
    assert "(version 3 is damaged and was skipped)" in listed["Base"].label
    assert listed["Other"].version == 1 and listed["Other"].skipped == ()
    assert store.get(rec.id).version == 2 and store.get(rec.id).data["budget"] == 40_001
    assert [r.version for r in store.history(rec.id)] == [1, 2] and store.history(rec.id)[-1].skipped == (3,)
    with pytest.raises(DamagedVersionError, match="version 3 of the saved scenario 'Base' is damaged"):
        store.get(rec.id, version=3)
    assert store.get(other.id).version == 1  # the rest of the store stays readable
    store.close()


def test_a_link_to_a_damaged_version_is_a_store_error_and_others_still_open(url: str) -> None:
    store = ScenarioStore(url)
    rec = _saved(store, "Base", 2)
    old, new = store.share_token(rec.id, version=1), store.share_token(rec.id, version=2)
    _damage(url, rec.id, 2)
    with pytest.raises(StoreError, match="this read-only link opens is damaged"):
        store.open_token(new)
    assert store.open_token(old).version == 1
    assert store.rename(rec.id, "Renamed").data["budget"] == 40_000  # from the last readable version
    store.close()


def test_a_scenario_with_no_readable_version_is_left_out_of_the_list(url: str) -> None:
    store = ScenarioStore(url)
    rec, keep = _saved(store, "Broken", 1), _saved(store, "Fine", 1)
    _damage(url, rec.id, 1)
    assert [r.id for r in store.list()] == [keep.id]
    with pytest.raises(StoreError, match="every version of the saved scenario 'Broken' is damaged"):
        store.get(rec.id)
    store.close()


def test_a_row_the_driver_cannot_convert_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = ScenarioStore(f"sqlite:///{db}")
    rec = _saved(store, "Base", 1)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE compcore_scenario_versions SET created_at = 'not a date'")
    for call in (store.list, lambda: store.get(rec.id), lambda: store.history(rec.id)):
        with pytest.raises(StoreError, match="gave an answer that cannot be read"):
            call()
    store.close()


# -- read-only and full databases (item 3, 8): a clear StoreError, never a success --------------

def test_a_read_only_sqlite_database_refuses_a_save_in_words(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ScenarioStore(f"sqlite:///{db}").close()
    store = ScenarioStore(f"sqlite:///file:{db}?mode=ro&uri=true")
    with pytest.raises(StoreError) as err:
        store.save("Base", sample_scenario())
    assert "read-only" in str(err.value) and RUNNING not in str(err.value)
    assert store.list() == []  # nothing was saved, and reading still works
    store.close()


def test_a_full_sqlite_database_refuses_a_save_in_words(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = ScenarioStore(f"sqlite:///{db}")
    _saved(store, "Small", 1)
    store.engine.dispose()
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(store.engine, "connect")
    def _full(dbapi_conn: Any, _record: Any) -> None:  # the disk holds no page more than the file has now
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    big = sample_scenario()
    big["roster"] = big["roster"] * 500
    with pytest.raises(StoreError) as err:
        store.save("Big", big)
    assert "disk is full" in str(err.value) and RUNNING not in str(err.value)
    assert [r.name for r in store.list()] == ["Small"]
    store.close()


def test_a_write_the_database_does_not_keep_is_an_error_not_a_success(tmp_path: Path) -> None:
    store = ScenarioStore(f"sqlite:///{tmp_path / 's.db'}")

    @event.listens_for(store.engine, "commit")
    def _lose(conn: Any) -> None:  # a database that answers "done" and keeps nothing
        conn.exec_driver_sql("DELETE FROM compcore_scenario_versions")

    with pytest.raises(StoreError, match="did not keep version 1 of 'Base'"):
        store.save("Base", sample_scenario())
    store.close()


def test_a_read_only_postgresql_database_refuses_a_save_in_words(pg_url: str) -> None:
    store = ScenarioStore(pg_url)
    _saved(store, "Base", 1)
    store.close()
    name = make_url(pg_url).database
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    try:
        store = ScenarioStore(pg_url)
        with pytest.raises(StoreError) as err:
            store.save("Base", sample_scenario())
        assert "read-only" in str(err.value) and RUNNING not in str(err.value)
        assert [r.version for r in store.list()] == [1]
        store.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        admin.dispose()


@pytest.mark.parametrize(("url", "words"), [
    ("foo://host/db", "'foo' is not a database this app can use"),
    ("mysql+pymysql://u@127.0.0.1/db", "the driver for 'mysql+pymysql' is not installed"),
    ("not a url at all", "not a database URL"),
])
def test_a_bad_url_names_no_sqlalchemy_plugin(url: str, words: str) -> None:
    with pytest.raises(StoreError) as err:
        ScenarioStore(url)
    assert words in str(err.value)
    assert "sqlalchemy" not in str(err.value).lower() and "plugin" not in str(err.value).lower()


# -- PostgreSQL: locks held by another client, a frozen backend (items 3, 5) ----------------------

@pytest.fixture
def pg_store(pg_url: str) -> Iterator[ScenarioStore]:
    store = ScenarioStore(pg_url)
    yield store
    store.close()


def _other_client(url: str) -> Any:
    return create_engine(url).connect()


def _timed(call: Any) -> tuple[Any, float]:
    """(result or exception, seconds); the call runs in a thread so a hang fails the test instead of the run."""
    out: list[Any] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: out.append(_catch(call)), daemon=True)
    worker.start()
    worker.join(timeout=10 * ANSWER_TIMEOUT)
    assert out, f"no answer within {10 * ANSWER_TIMEOUT} s: the store hangs"
    return out[0], time.monotonic() - started


def _catch(call: Any) -> Any:
    try:
        return call()
    except Exception as e:  # the test looks at it
        return e


def test_a_table_lock_held_by_another_client_is_a_busy_store_error(pg_store: ScenarioStore, pg_url: str) -> None:
    rec = _saved(pg_store, "Base", 1)
    other = _other_client(pg_url)
    other.execute(text("LOCK TABLE compcore_scenario_versions IN ACCESS EXCLUSIVE MODE"))  # held: no commit
    try:
        for call in (pg_store.list, lambda: pg_store.get(rec.id), lambda: pg_store.save("Base", sample_scenario())):
            result, took = _timed(call)
            print(f"table lock: {getattr(call, '__name__', 'call')} answered in {took:.1f} s: {result}")
            assert isinstance(result, StoreError) and "busy" in str(result) and RUNNING not in str(result)
    finally:
        other.rollback()
        other.close()
    assert pg_store.get(rec.id).version == 1 and pg_store.save("Base", sample_scenario()).version == 2


def test_an_uncommitted_insert_of_the_same_name_blocks_only_that_save(pg_store: ScenarioStore, pg_url: str) -> None:
    _saved(pg_store, "Other", 1)
    other = _other_client(pg_url)
    other.execute(text("INSERT INTO compcore_scenarios (id, name, created_at) VALUES ('held', 'Same', now())"))
    try:
        listed, _ = _timed(pg_store.list)  # MVCC: a read does not wait for the uncommitted row
        assert [r.name for r in listed] == ["Other"]
        result, took = _timed(lambda: pg_store.save("Same", sample_scenario()))
        print(f"uncommitted insert: save answered in {took:.1f} s (lock timeout {LOCK_TIMEOUT} s): {result}")
        assert isinstance(result, StoreError) and "busy" in str(result)
    finally:
        other.rollback()
        other.close()
    assert pg_store.save("Same", sample_scenario()).version == 1


def test_a_frozen_backend_is_a_store_error_within_the_answer_deadline(pg_store: ScenarioStore) -> None:
    # before: list() waited 653 s on a pooled connection whose backend stopped answering
    rec = _saved(pg_store, "Base", 1)
    with pg_store.engine.connect() as conn:  # the pool's one connection: the next operation reuses it
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    os.kill(pid, signal.SIGSTOP)
    try:
        result, took = _timed(pg_store.list)
        print(f"frozen backend (SIGSTOP pid {pid}): list() answered in {took:.1f} s: {result}")
        assert isinstance(result, StoreError) and f"did not answer within {ANSWER_TIMEOUT} s" in str(result)
        again, took_again = _timed(lambda: pg_store.get(rec.id))  # a fresh connection: the store works on
        print(f"next call on a new connection answered in {took_again:.1f} s: {getattr(again, 'label', again)}")
        assert not isinstance(again, Exception) and again.version == 1
    finally:
        os.kill(pid, signal.SIGCONT)


def test_saved_mappings_answer_a_frozen_backend_the_same_way(pg_store: ScenarioStore) -> None:
    maps = MappingStore(pg_store)  # its table lives in the store's database and goes through its transactions
    maps.save("CRM", load_mapping({"tables": {"clients": {"columns": {"client_id": "Account ID"}}}}))
    with pg_store.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    os.kill(pid, signal.SIGSTOP)
    try:
        result, took = _timed(maps.list)
        print(f"frozen backend: saved mappings answered in {took:.1f} s: {result}")
        assert isinstance(result, StoreError) and f"did not answer within {ANSWER_TIMEOUT} s" in str(result)
        assert [m.name for m in maps.list()] == ["CRM"]
    finally:
        os.kill(pid, signal.SIGCONT)
