"""A single-plan scenario gives bit-identical costs before and after org plans (issue 11).

The expectations in ``data/expected_single_plan.json`` were computed by the code before ``plans``
existed (``python tests/compcore/simulation/single_plan_cases.py``); never regenerate them to make
this pass.
"""

from __future__ import annotations

import hashlib
import json

import pytest

import compcore
from tests.compcore.simulation.single_plan_cases import EXPECTED, cases, fingerprint, sensitivity_fingerprint

STORED = json.loads(EXPECTED.read_text())


@pytest.mark.parametrize("name", sorted(cases()))
def test_costs_are_bit_identical_to_the_stored_expectation(name: str) -> None:
    src, trials, seed = cases()[name]
    sim = compcore.simulate(src, trials=trials, seed=seed)
    want = STORED[name]
    got = fingerprint(sim)
    assert got["sha256"] == want["sha256"]
    assert got["payout_sha256"] == want["payout_sha256"]
    assert got == {k: want[k] for k in got}
    got_sens = sensitivity_fingerprint(sim)
    assert [r[0] for r in got_sens] == [r[0] for r in want["sensitivity"]]
    assert [r[1:] for r in got_sens] == [pytest.approx(r[1:], rel=1e-12) for r in want["sensitivity"]]
    assert list(sim.plan_costs) == ["plan"]
    assert hashlib.sha256(sim.plan_costs["plan"].tobytes()).hexdigest() == want["sha256"]


@pytest.mark.parametrize("name", sorted(cases()))
def test_a_single_plan_scenario_dumps_exactly_as_before(name: str) -> None:
    src, _, _ = cases()[name]
    dumped = json.dumps(compcore.dump_scenario(compcore.load_scenario(src)), sort_keys=True)
    assert hashlib.sha256(dumped.encode()).hexdigest() == STORED[name]["dump_sha256"]


def test_pricing_cached_draws_is_bit_identical_too() -> None:
    src, trials, seed = cases()["mix-30k"]
    scn = compcore.load_scenario(src)
    sim = compcore.price(scn.plan, compcore.draw_metrics(scn, trials=trials, seed=seed), scn.roster, scn.budget)
    assert fingerprint(sim)["sha256"] == STORED["mix-30k"]["sha256"]
