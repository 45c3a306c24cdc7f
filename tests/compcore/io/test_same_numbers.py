"""A scenario through a share link, a sorted-key JSON file or the store gives the original's numbers exactly
(DESIGN.md "Same scenario, same numbers"; issue 20: the link sorted keys and the draws followed the order)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compcore
from compcore.io.share import decode_scenario, encode_scenario
from compcore.io.store import ScenarioStore
from tests.compcore.io.pg import require_pg
from tests.compcore.io.test_store import _reset_pg

ROOT = Path(__file__).resolve().parents[3]
ORG = ROOT / "sample_data/scenarios/cs_org_teams.json"
TRIALS, SEED = 3_000, 0


def org() -> dict[str, Any]:
    return json.loads(ORG.read_text())


def assert_same_numbers(data: dict[str, Any], original: Any) -> None:
    sim = compcore.simulate(data, trials=TRIALS, seed=SEED)
    np.testing.assert_array_equal(sim.cost, original.cost)
    for pid, cost in original.plan_costs.items():
        np.testing.assert_array_equal(sim.plan_costs[pid], cost)
    assert sim.percentiles == original.percentiles and sim.p_over_budget == original.p_over_budget
    assert sim.fairness.equals(original.fairness)


def test_a_share_link_keeps_the_plans_order_and_the_numbers() -> None:
    data = org()
    data["plans"] = dict(reversed(list(data["plans"].items())))  # an order no sorting gives
    back = decode_scenario(encode_scenario(data))
    assert list(back["plans"]) == list(data["plans"])
    assert list(back["assumptions"]) == list(data["assumptions"])
    assert back == data  # nothing identifying in the sample: the link carries the scenario as it is
    assert_same_numbers(back, compcore.simulate(data, trials=TRIALS, seed=SEED))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scenarios.db'}"
    pg = require_pg()
    _reset_pg(pg)
    return pg


def test_a_sorted_key_file_a_link_of_it_and_a_saved_version_give_the_same_numbers(tmp_path: Path,
                                                                                  store_url: str) -> None:
    original = compcore.simulate(org(), trials=TRIALS, seed=SEED)
    sorted_text = json.dumps(org(), sort_keys=True, indent=1)
    (tmp_path / "sorted.json").write_text(sorted_text)
    assert_same_numbers(compcore.load_scenario(str(tmp_path / "sorted.json")), original)  # type: ignore[arg-type]
    assert_same_numbers(decode_scenario(encode_scenario(json.loads(sorted_text))), original)
    store = ScenarioStore(store_url)
    try:
        saved = store.save("Q3 base", org())
        assert list(store.get(saved.id, by_name=False).data["plans"]) == list(org()["plans"])
        assert_same_numbers(store.get(saved.id, by_name=False).data, original)
        assert_same_numbers(store.open_token(store.share_token(saved.id)).data, original)
    finally:
        store.close()
