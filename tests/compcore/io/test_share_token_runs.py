"""An HR link keeps the trials and seed of the person who made it, so HR sees the editor's numbers.

The settings live in a table of their own beside the tokens: a database made before it gains the table on
open and its old links keep working (with no settings). PostgreSQL runs when ``COMPCORE_TEST_PG_URL`` is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from compcore.io.store import ScenarioNotFoundError, ScenarioStore, StoreError
from tests.compcore.io.pg import require_pg
from tests.compcore.scenario_data import sample_scenario

RUNS = "compcore_share_token_runs"


def _drop_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in (RUNS, "compcore_share_tokens", "compcore_scenario_versions", "compcore_scenarios",
                      "compcore_store_meta"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scenarios.db'}"
    pg = require_pg()
    _drop_all(pg)
    return pg


@pytest.fixture
def store(url: str) -> Iterator[ScenarioStore]:
    s = ScenarioStore(url)
    yield s
    s.close()


def test_a_link_opens_with_the_trials_and_seed_it_was_made_with(store: ScenarioStore) -> None:
    rec = store.save("FY27 base", sample_scenario())
    token = store.share_token(rec.id, trials=100_000, seed=4_294_967_295)
    opened = store.open_token(token)
    assert (opened.trials, opened.seed, opened.version) == (100_000, 4_294_967_295, 1)
    plain = store.share_token(rec.id)  # made without settings: the app's defaults apply
    assert (store.open_token(plain).trials, store.open_token(plain).seed) == (None, None)
    assert (store.get(rec.id).trials, store.get(rec.id).seed) == (None, None)  # only a link carries them


@pytest.mark.parametrize(("trials", "seed", "field"), [
    (0, 0, "trials"), (10_000_001, 0, "trials"), (1.5, 0, "trials"), (True, 0, "trials"), ("100", 0, "trials"),
    (1000, -1, "seed"), (1000, 2**63, "seed"), (1000, 2.0, "seed"),
])
def test_settings_out_of_range_are_refused_and_no_link_is_made(store: ScenarioStore, trials: object, seed: object,
                                                               field: str) -> None:
    rec = store.save("FY27 base", sample_scenario())
    with pytest.raises(StoreError, match=f"^{field}: a whole number"):
        store.share_token(rec.id, trials=trials, seed=seed)  # type: ignore[arg-type]
    assert store.tokens(rec.id) == []


def test_deleting_the_scenario_removes_its_links_and_their_settings(store: ScenarioStore, url: str) -> None:
    rec = store.save("FY27 base", sample_scenario())
    token = store.share_token(rec.id, trials=50_000, seed=7)
    store.delete(rec.id)
    with pytest.raises(ScenarioNotFoundError):
        store.open_token(token)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT COUNT(*) FROM {RUNS}")).scalar() == 0
    engine.dispose()


def test_a_database_made_before_the_settings_table_gains_it_and_its_old_links_still_open(url: str) -> None:
    old = ScenarioStore(url)
    rec = old.save("FY27 base", sample_scenario())
    token = old.share_token(rec.id)
    old.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # the layout of a store written before this table existed
        conn.execute(text(f"DROP TABLE {RUNS}"))
    engine.dispose()
    again = ScenarioStore(url)
    try:
        assert RUNS in inspect(again.engine).get_table_names()
        opened = again.open_token(token)
        assert (opened.id, opened.trials, opened.seed) == (rec.id, None, None)
        assert again.open_token(again.share_token(rec.id, trials=1_000, seed=3)).trials == 1_000
    finally:
        again.close()
