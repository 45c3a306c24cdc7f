"""Tests for compcore.simulation.assumptions: reconciling assumptions with the plan, defaults, previews."""

from __future__ import annotations

import numpy as np
import pytest

from compcore.errors import PlanError
from compcore.simulation.assumptions import DIST_PARAMS, default_assumption, preview_samples, reconcile_scenario
from tests.compcore.seed_plan import SEED_000


def test_reconcile_scenario_adds_and_drops():
    scn = {"plan": SEED_000, "assumptions": {"team_okr": {"dist": "fixed", "value": 1}, "old": {}},
           "correlations": [{"between": ["team_okr", "old"], "rho": 0.3},
                            {"between": ["team_okr", "company_arr"], "rho": 0.5}]}
    out = reconcile_scenario(scn)
    assert out["assumptions"]["team_okr"] == {"dist": "fixed", "value": 1}
    assert out["assumptions"]["company_arr"]["dist"] == "normal"
    assert "old" not in out["assumptions"]
    assert out["correlations"] == [{"between": ["team_okr", "company_arr"], "rho": 0.5}]


@pytest.mark.parametrize("a, mean", [
    ({"dist": "normal", "mean": 0.95, "sd": 0.1}, 0.95),
    ({"dist": "triangular", "low": 0.85, "mode": 1.0, "high": 1.15}, 1.0),
    ({"dist": "binomial", "n": 40, "p": 0.88}, 0.88),
    ({"dist": "poisson", "mean": 12}, 12),
    ({"dist": "empirical", "values": [31, 35, 40, 42]}, 37),
    ({"dist": "fixed", "value": 1.0}, 1.0),
    ({"dist": "beta", "a": 8, "b": 2, "scale": 1.0}, 0.8),
    ({"dist": "lognormal", "mean": 10, "sd": 2}, 10),
])
def test_preview_samples_means(a, mean):
    x = preview_samples(a, n=20_000, seed=1)
    assert x.shape == (20_000,)
    assert x.mean() == pytest.approx(mean, rel=0.03)
    assert np.array_equal(x, preview_samples(a, n=20_000, seed=1))


def test_preview_samples_errors():
    with pytest.raises(PlanError):
        preview_samples({"dist": "cauchy"})
    with pytest.raises(PlanError):
        preview_samples({"dist": "normal", "mean": 1})


@pytest.mark.parametrize("dist", ["normal", "lognormal", "triangular", "beta", "binomial", "poisson", "fixed",
                                  "empirical"])
def test_default_assumptions_are_valid_and_centred(dist):
    a = default_assumption({"target": 0.9}, dist)
    assert set(a) == {"dist", *DIST_PARAMS[dist]}
    x = preview_samples(a, n=20_000, seed=0)
    assert abs(x.mean() - 0.9) < 0.12
    with pytest.raises(PlanError):
        default_assumption({"target": 1}, "cauchy")


def test_a_preview_of_any_assumption_is_samples_or_a_plan_error() -> None:
    # the Cost page catches only PlanError around the preview: nothing else may escape
    from compcore.errors import PlanError
    from compcore.plan.explore import histogram_frame
    from compcore.simulation.assumptions import preview_samples

    edge_cases = [{"dist": "normal", "mean": 1, "sd": 0}, {"dist": "fixed", "value": 1},
                  {"dist": "empirical", "values": [3]}, {"dist": "binomial", "n": 1, "p": 0},
                  {"dist": "triangular", "low": 1, "mode": 1, "high": 1}, {"dist": "poisson", "mean": 0}]
    for a in edge_cases:
        assert len(histogram_frame(preview_samples(a, 500, seed=0), 24)) >= 1
    for bad in ({"dist": "lognormal", "mean": 0, "sd": 1}, {"dist": "empirical", "values": []},
                {"dist": "triangular", "low": 2, "mode": 1, "high": 3}, {"dist": "nope"}):
        with pytest.raises(PlanError):
            preview_samples(bad, 500, seed=0)
