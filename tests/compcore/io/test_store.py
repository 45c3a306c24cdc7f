"""Scenario store: versions, history, duplicate/delete, concurrent saves, on SQLite and (optionally) PostgreSQL.

PostgreSQL runs when ``COMPCORE_TEST_PG_URL`` is set, e.g. from ``bash .ci/start_postgres.sh``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from compcore.errors import PlanError
from compcore.io.store import SavedScenario, ScenarioNotFoundError, ScenarioStore, StoreError, default_url
from tests.compcore.io.pg import require_pg
from tests.compcore.scenario_data import ROOT, sample_scenario

TABLES = ("compcore_share_token_runs", "compcore_share_tokens", "compcore_scenario_versions", "compcore_scenarios",
          "compcore_store_meta")


def _reset_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in TABLES:
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scenarios.db'}"
    pg = require_pg()
    _reset_pg(pg)
    return pg


@pytest.fixture
def store(url):
    s = ScenarioStore(url)
    yield s
    s.close()


def test_save_creates_versions_and_keeps_history(store):
    first = store.save("Base case", sample_scenario(), author="Ana")
    assert isinstance(first, SavedScenario)
    assert first.version == 1 and first.author == "Ana" and first.name == "Base case"
    assert first.created_at.tzinfo is not None
    assert abs((datetime.now(UTC) - first.created_at).total_seconds()) < 60
    changed = sample_scenario()
    changed["budget"] = 55000
    second = store.save("Base case", changed)
    assert second.id == first.id and second.version == 2 and second.author is None
    assert [v.version for v in store.history(first.id)] == [1, 2]
    assert store.get(first.id).data["budget"] == 55000
    assert store.get(first.id, version=1).data["budget"] == 40000
    assert store.get("Base case").version == 2


def test_saved_data_round_trips_and_takes_the_record_name(store):
    scn = sample_scenario("Old name")
    saved = store.save("New name", scn)
    expected = dict(scn, name="New name")
    assert saved.data == expected
    assert store.get(saved.id).data == expected
    assert "v1" in saved.label and "New name" in saved.label


def test_list_returns_latest_of_each(store):
    a = store.save("A", sample_scenario())
    store.save("A", sample_scenario())
    b = store.save("B", sample_scenario())
    listed = {r.id: r.version for r in store.list()}
    assert listed == {a.id: 2, b.id: 1}
    assert store.list()[0].id == b.id  # most recent first


def test_ids_are_stable_and_url_safe(store):
    a = store.save("A", sample_scenario())
    assert len(a.id) >= 12 and all(c.isalnum() or c in "-_" for c in a.id)
    assert store.save("A", sample_scenario()).id == a.id


def test_duplicate(store):
    a = store.save("A", sample_scenario())
    store.save("A", dict(sample_scenario(), budget=1))
    d = store.duplicate(a.id, "A copy")
    assert d.id != a.id and d.version == 1 and d.data["budget"] == 1 and d.data["name"] == "A copy"
    with pytest.raises(StoreError, match="already exists"):
        store.duplicate(a.id, "A copy")


def test_rename_keeps_id_and_history(store):
    a = store.save("A", sample_scenario())
    r = store.rename(a.id, "Renamed")
    assert r.id == a.id and r.version == 2 and r.name == "Renamed"
    assert store.get("Renamed").id == a.id
    with pytest.raises(ScenarioNotFoundError):
        store.get("A")


def test_delete(store):
    a = store.save("A", sample_scenario())
    store.save("A", sample_scenario())
    store.delete(a.id)
    assert store.list() == []
    with pytest.raises(ScenarioNotFoundError, match="no saved scenario"):
        store.get(a.id)
    with pytest.raises(ScenarioNotFoundError):
        store.delete(a.id)
    assert store.save("A", sample_scenario()).version == 1  # the name is free again


def test_unknown_id_and_version(store):
    with pytest.raises(ScenarioNotFoundError) as info:
        store.get("nope")
    assert isinstance(info.value, PlanError)  # the UI shows it like any compcore error
    a = store.save("A", sample_scenario())
    with pytest.raises(ScenarioNotFoundError, match="no version 7"):
        store.get(a.id, version=7)


def test_invalid_scenario_is_not_saved(store):
    bad = sample_scenario()
    bad["plan"]["components"][0]["weight"] = 0.5
    with pytest.raises(PlanError, match="weights"):
        store.save("Bad", bad)
    with pytest.raises(StoreError, match="name"):
        store.save("   ", sample_scenario())
    assert store.list() == []


def test_plan_file_is_inlined(store):
    scn = sample_scenario()
    del scn["plan"]
    scn["plan_file"] = str(ROOT / "sample_data/plans/cs_ops_enablement.json")
    saved = store.save("From file", scn)
    assert "plan" in saved.data and "plan_file" not in saved.data


def test_persists_across_store_objects(url):
    a = ScenarioStore(url)
    saved = a.save("Kept", sample_scenario(), author="Ana")
    a.close()
    b = ScenarioStore(url)
    assert b.get(saved.id).data == saved.data
    b.close()


def test_concurrent_saves_from_threads_lose_nothing(url):
    stores = [ScenarioStore(url) for _ in range(2)]  # two "sessions", each with its own engine
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for i in range(10):
                scn = sample_scenario()
                scn["budget"] = 1000 * k + i
                stores[k % 2].save("Shared", scn, author=f"thread{k}")
                stores[k % 2].save(f"Own {k}", scn)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    history = stores[0].history("Shared")
    assert [v.version for v in history] == list(range(1, 61))
    assert sorted(v.data["budget"] for v in history) == sorted(1000 * k + i for k in range(6) for i in range(10))
    assert len(stores[1].list()) == 7
    for s in stores:
        s.close()


_WORKER = """
import json, sys
from compcore.io.store import ScenarioStore
url, tag, path = sys.argv[1], sys.argv[2], sys.argv[3]
scn = json.loads(open(path).read())
store = ScenarioStore(url)
for i in range(15):
    scn["budget"] = i
    store.save("Shared", scn, author=tag)
store.close()
"""


def test_concurrent_saves_from_two_processes_lose_nothing(url, tmp_path):
    path = tmp_path / "scn.json"
    path.write_text(json.dumps(sample_scenario()))
    ScenarioStore(url).close()  # create tables first, as the app does at start-up
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, url, tag, str(path)], env=env, stderr=subprocess.PIPE)
             for tag in ("p1", "p2")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    store = ScenarioStore(url)
    history = store.history("Shared")
    assert [v.version for v in history] == list(range(1, 31))
    assert sorted(v.author for v in history) == ["p1"] * 15 + ["p2"] * 15
    store.close()


def test_default_url_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPCORE_DB_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert default_url().endswith("x.db")
    monkeypatch.delenv("COMPCORE_DB_URL")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{Path(tmp_path) / '.compcore' / 'compcore.db'}"
    assert (tmp_path / ".compcore").is_dir()


def test_in_memory_store_works_across_threads():
    store = ScenarioStore("sqlite://")
    saved = store.save("A", sample_scenario())
    out: list[SavedScenario] = []
    t = threading.Thread(target=lambda: out.append(store.get(saved.id)))
    t.start()
    t.join()
    assert out[0].id == saved.id


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError):
        ScenarioStore("not a url")
    with pytest.raises(StoreError):
        ScenarioStore("nosuchdriver://x/y")


def test_newer_layout_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    ScenarioStore(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE compcore_store_meta SET value = '99' WHERE key = 'layout_version'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer compcore"):
        ScenarioStore(url)
