"""Tests for compcore.plan.editing: reading typed curves, converting between kinds, thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from compcore.plan.curves import evaluate_curve
from compcore.plan.editing import convert_curve, curve_or_none, threshold_of, with_threshold


def test_curve_or_none():
    assert curve_or_none({"kind": "linear", "points": [[0, 0], [1, 1]]}) is not None
    assert curve_or_none({"kind": "linear", "points": [[1, 0], [0.5, 1]]}) is None
    assert curve_or_none({"kind": "nope"}) is None
    assert curve_or_none(None) is None


@pytest.mark.parametrize("src", [
    {"kind": "linear", "points": [[0.8, 0.5], [1, 1], [1.2, 2]]},
    {"kind": "linear", "points": [[0, 0], [1, 1]], "above": "flat"},
])
def test_convert_linear_to_tiers_pays_the_same(src):
    a = np.linspace(0, 2, 81)
    old = curve_or_none(src)
    new = curve_or_none(convert_curve(src, "tiers"))
    assert new is not None
    np.testing.assert_allclose(evaluate_curve(new, a), evaluate_curve(old, a), atol=1e-9)


def test_convert_round_trips_and_defaults():
    steps = convert_curve({"kind": "linear", "points": [[0.8, 0.5], [1, 1]], "cap": 1.5}, "steps")
    assert steps == {"kind": "steps", "steps": [[0.8, 0.5], [1.0, 1.0]], "cap": 1.5}
    back = convert_curve(steps, "linear")
    assert back["points"] == [[0.8, 0.5], [1.0, 1.0]] and back["cap"] == 1.5
    tiers = {"kind": "tiers", "bands": [{"from": 0, "rate": 1.0}, {"from": 1.0, "rate": 1.4}]}
    lin = curve_or_none(convert_curve(tiers, "linear"))
    assert float(evaluate_curve(lin, np.array(1.1))) == pytest.approx(1.14)
    assert convert_curve({"kind": "linear", "points": []}, "steps")["kind"] == "steps"
    assert curve_or_none(convert_curve({"kind": "steps", "steps": [[1, 1]]}, "linear")) is not None


def test_threshold_helpers():
    lin = {"kind": "linear", "points": [[0.8, 0.5], [1, 1]]}
    assert threshold_of(lin) == 0.8
    assert with_threshold(lin, 0.7)["points"][0] == [0.7, 0.5]
    assert lin["points"][0] == [0.8, 0.5]  # not mutated
    tiers = {"kind": "tiers", "bands": [{"from": 0, "rate": 1}]}
    assert threshold_of(tiers) == 0.0
    assert with_threshold(tiers, 0.5)["threshold"] == 0.5
    assert "threshold" not in with_threshold({**tiers, "threshold": 0.5}, 0)
    assert threshold_of({"kind": "steps", "steps": []}) == 0.0
