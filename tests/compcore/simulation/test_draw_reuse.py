"""Drawing once what two scenarios draw alike (compcore.simulation.draw_reuse): bit for bit draw_chunk."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import compcore
from compcore.simulation.draw_reuse import draw_after, reuse_plan
from compcore.simulation.draws import chunk_plan, draw_chunk, draw_spec
from tests.compcore.simulation.single_plan_cases import _individual_mix


def mix() -> dict[str, Any]:
    """Individual, team and company metrics, correlated (ind ~ tm ~ co), rows of 7, 3, 2, 0, 5 people."""
    return _individual_mix()


def grown() -> dict[str, Any]:
    d = mix()
    d["roster"][0]["headcount"] = 8                                            # a (team, role) resized
    d["roster"].insert(1, {"team": "D", "role": "new", "headcount": 2, "base_salary": 60000})  # a new team
    d["roster"].append({"team": "A", "role": "r9", "headcount": 1, "base_salary": 50000})     # a new role
    return d


def changed_assumption(d: dict[str, Any]) -> dict[str, Any]:
    d = copy.deepcopy(d)
    d["assumptions"]["churn"] = {"dist": "lognormal", "mean": 0.06, "sd": 0.01}  # uncorrelated: its own
    return d


@pytest.mark.parametrize("after", [grown, lambda: changed_assumption(grown()), lambda: changed_assumption(mix())])
def test_drawing_after_from_before_is_bit_for_bit_drawing_it(after: Any) -> None:
    b, a = draw_spec(compcore.load_scenario(mix())), draw_spec(compcore.load_scenario(after()))
    reuse = reuse_plan(b, a)
    assert reuse.shared >= {"ind", "tm", "co"}
    for n, seed in chunk_plan(700, 5, 300):  # three chunks
        want = draw_chunk(a, n, seed)
        got = draw_after(reuse, a, n, seed, draw_chunk(b, n, seed))
        assert list(got) == list(want)
        for mid in want:
            np.testing.assert_array_equal(got[mid], want[mid])


def test_only_whole_groups_drawn_alike_are_shared() -> None:
    d = mix()
    d["correlations"][0]["rho"] = 0.5  # ind ~ tm changed: the whole group ind, tm, co is drawn again
    reuse = reuse_plan(draw_spec(compcore.load_scenario(mix())), draw_spec(compcore.load_scenario(d)))
    assert reuse.shared == {"churn"} and reuse.same_layout


def test_impact_of_a_grown_roster_is_exactly_two_simulate_calls() -> None:
    imp = compcore.impact(mix(), grown(), trials=1_500, seed=8)
    np.testing.assert_array_equal(imp.cost_change, compcore.simulate(grown(), trials=1_500, seed=8).cost
                                  - compcore.simulate(mix(), trials=1_500, seed=8).cost)
    g = imp.by_group.set_index(["team", "role"])
    assert np.isnan(g.loc[("D", "new"), "expected_before"]) and g.loc[("A", "r9"), "headcount"] == 1
