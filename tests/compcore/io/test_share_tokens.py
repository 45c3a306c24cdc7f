"""HR links as read-only capabilities: random tokens scoped to one version, revocable, optionally expiring."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compcore.io.store import ScenarioNotFoundError, ScenarioStore
from tests.compcore.scenario_data import sample_scenario


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScenarioStore]:
    s = ScenarioStore(f"sqlite:///{tmp_path / 's.db'}")
    yield s
    s.close()


def test_a_token_opens_the_version_it_was_made_for(store: ScenarioStore) -> None:
    v1 = store.save("FY27 base", sample_scenario())
    token = store.share_token(v1.id, author="Ana")
    later = sample_scenario()
    later["budget"] = 1
    store.save("FY27 base", later)  # version 2
    opened = store.open_token(token)
    assert (opened.id, opened.version, opened.data["budget"]) == (v1.id, 1, 40000)
    old = store.share_token(v1.id, version=2)
    assert store.open_token(old).version == 2
    listed = store.tokens(v1.id)
    assert {t.token for t in listed} == {token, old} and all(t.active for t in listed)
    assert next(t for t in listed if t.token == token).author == "Ana"


def test_tokens_carry_at_least_128_random_bits(store: ScenarioStore) -> None:
    rec = store.save("A", sample_scenario())
    tokens = {store.share_token(rec.id) for _ in range(20)}
    assert len(tokens) == 20
    for t in tokens:
        assert len(t) * math.log2(64) >= 128  # urlsafe base64: 6 bits a character
        assert rec.id not in t and t != "A"


def test_revoked_expired_and_unknown_tokens_are_not_found(store: ScenarioStore) -> None:
    rec = store.save("A", sample_scenario())
    token = store.share_token(rec.id)
    store.revoke_token(token)
    expired = store.share_token(rec.id, expires=datetime.now(UTC) - timedelta(seconds=1))
    soon = store.share_token(rec.id, expires=timedelta(hours=1))
    for t in (token, expired, "x" * 43, "", "../../etc", rec.id, "A", None, 12):
        with pytest.raises(ScenarioNotFoundError):
            store.open_token(t)  # type: ignore[arg-type]
    assert store.open_token(soon).id == rec.id
    assert [t.active for t in sorted(store.tokens(), key=lambda t: t.created_at)] == [False, False, True]
    with pytest.raises(ScenarioNotFoundError):
        store.revoke_token("y" * 43)


def test_unknown_scenarios_and_versions_get_no_token(store: ScenarioStore) -> None:
    rec = store.save("A", sample_scenario())
    for sid, version in (("nope", None), ("A", None), (rec.id, 3), (rec.id, 0), (rec.id, True)):
        with pytest.raises(ScenarioNotFoundError):
            store.share_token(sid, version=version)  # type: ignore[arg-type]


def test_deleting_a_scenario_ends_its_links(store: ScenarioStore) -> None:
    rec = store.save("A", sample_scenario())
    token = store.share_token(rec.id)
    store.delete(rec.id)
    with pytest.raises(ScenarioNotFoundError):
        store.open_token(token)
    assert store.tokens() == []


def test_links_find_scenarios_by_id_only(store: ScenarioStore) -> None:
    rec = store.save("FY27 base", sample_scenario())
    assert store.get(rec.id, by_name=False).id == rec.id
    with pytest.raises(ScenarioNotFoundError):
        store.get("FY27 base", by_name=False)
