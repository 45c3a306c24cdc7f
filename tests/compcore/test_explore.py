"""Tests for compcore.explore: grids, sweeps, heatmaps, earnings, guardrails, previews."""

from __future__ import annotations

import numpy as np
import pytest

from compcore.curves import evaluate_curve
from compcore.errors import PlanError
from compcore.explore import (
    actual_for,
    attainment_range,
    component_curves,
    convert_curve,
    curve_frame,
    curve_or_none,
    earnings,
    guardrails,
    heatmap,
    preview_samples,
    reconcile_scenario,
    sweep,
    threshold_of,
    with_threshold,
)
from compcore.payout import payout
from compcore.plan import Metric, dump_plan, load_plan

SEED_000 = {
    "name": "CS Ops & Enablement FY27", "period": "year", "target_incentive": {"percent_of_base": 0.08},
    "metrics": [{"id": "team_okr", "name": "Team OKR score", "target": 1.0},
                {"id": "company_arr", "name": "Company ARR vs plan", "target": 1.0, "scope": "company"}],
    "components": [
        {"id": "okr", "metric": "team_okr", "weight": 0.7, "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}},
        {"id": "company", "metric": "company_arr", "weight": 0.3,
         "curve": {"kind": "linear", "points": [[0.8, 0.5], [1, 1], [1.2, 2]]}}],
    "gates": [{"metric": "team_okr", "below": 1.0, "cap": 1.0, "applies_to": "all"}],
    "cap": 2.0,
}


@pytest.fixture()
def plan():
    return load_plan(SEED_000)


def test_curve_or_none():
    assert curve_or_none({"kind": "linear", "points": [[0, 0], [1, 1]]}) is not None
    assert curve_or_none({"kind": "linear", "points": [[1, 0], [0.5, 1]]}) is None
    assert curve_or_none({"kind": "nope"}) is None
    assert curve_or_none(None) is None


def test_curve_frame_steps_are_vertical_edges():
    c = curve_or_none({"kind": "steps", "steps": [[0.8, 0.5], [1, 1]]})
    df = curve_frame(c, 0, 1.5, 31)
    assert df.attainment.is_monotonic_increasing
    just_below = df[df.attainment < 0.8].payout.iloc[-1]
    at = df[df.attainment == 0.8].payout.iloc[0]
    assert just_below == 0 and at == 0.5
    assert df.attainment.iloc[-1] == 1.5


def test_attainment_range_covers_breakpoints(plan):
    lo, hi = attainment_range(plan)
    assert lo == 0 and hi >= 1.4
    c = curve_or_none({"kind": "linear", "points": [[0, 0], [2.5, 3]]})
    assert attainment_range([c])[1] >= 2.7


def test_component_curves_long_format(plan):
    df = component_curves(plan, 0, 1.5, 16)
    assert set(df.component) == {"okr", "company"}
    comp = df[df.component == "company"]
    assert comp.loc[np.isclose(comp.attainment, 1.1), "payout"].iloc[0] == pytest.approx(1.5)


def test_actual_for_inverts_attainment():
    m = Metric(id="churn", name="Churn", target=0.05, direction="lower")
    assert actual_for(m, 1.0) == pytest.approx(0.05)
    assert actual_for(m, 0.0) == pytest.approx(0.1)
    arr = actual_for(Metric(id="x", name="x", target=6), np.array([0.5, 1.0]))
    assert arr.tolist() == [3.0, 6.0]


def test_sweep_matches_payout_and_gate(plan):
    df = sweep(plan, "company_arr", {"team_okr": 1.0}, 0, 1.5, 31)
    row = df[np.isclose(df.attainment, 1.1)].iloc[0]
    assert row.total == pytest.approx(0.7 + 0.3 * 1.5)
    gated = sweep(plan, "company_arr", {"team_okr": 0.9}, 0, 1.5, 31)
    assert gated.total.max() == pytest.approx(1.0)  # the OKR gate caps at 100%
    assert {"okr", "company", "value"} <= set(df.columns)


def test_sweep_against_plain_loop(plan):
    df = sweep(plan, "team_okr", {"company_arr": 1.2}, 0, 1.5, 11)
    for a, total in zip(df.attainment, df.total, strict=True):
        assert total == pytest.approx(payout(plan, {"team_okr": a, "company_arr": 1.2}).total)


def test_heatmap_shows_gate_edge(plan):
    df = heatmap(plan, "team_okr", "company_arr", n=31, lo=0, hi=1.5)
    assert len(df) == 31 * 31
    hi_company = df[np.isclose(df.y, 1.2)]
    below = hi_company[hi_company.x < 1.0].total.max()
    at = hi_company[np.isclose(hi_company.x, 1.0)].total.iloc[0]
    assert below <= 1.0 + 1e-9 and at == pytest.approx(1.3)
    with pytest.raises(ValueError):
        heatmap(plan, "team_okr", "team_okr")


def test_earnings_worked_example(plan):
    e = earnings(plan, {"team_okr": 0.9, "company_arr": 1.2}, 100_000)
    assert e.target_per_period == pytest.approx(8000)
    assert e.total == pytest.approx(1.0)
    assert e.money == pytest.approx(8000)
    assert e.gates_fired and "Team OKR score" in e.gates_fired[0]
    assert e.rows.money.sum() == pytest.approx(0.63 * 8000 + 0.6 * 8000)
    fixed = earnings(plan, {"team_okr": 1.0, "company_arr": 1.1}, 100_000, {"amount": 12_000})
    assert fixed.money == pytest.approx(1.15 * 12_000)
    assert not fixed.gates_fired
    with pytest.raises(ValueError):
        earnings(plan, {"team_okr": 1.0, "company_arr": 1.1}, -1)


def test_guardrails_clean_plan_has_none(plan):
    assert guardrails(dump_plan(plan)) == []


def test_guardrails_each_warning():
    data = dump_plan(load_plan(SEED_000))
    data["metrics"] += [{"id": f"m{i}", "name": f"M{i}", "target": 1} for i in range(2)]
    data["components"][0]["weight"] = 0.5
    data["components"][1]["curve"] = {"kind": "linear", "points": [[1.1, 0.5], [1.3, 1]], "cap": 0.9}
    data["components"][0]["curve"] = {"kind": "steps", "steps": [[0.5, 1.2], [1.0, 1.0]]}
    data["cap"] = 0.8
    text = " | ".join(g.message for g in guardrails(data))
    assert "4 metrics" in text
    assert "weights sum to 80%" in text
    assert "threshold (110%) is above target" in text
    assert "pays more below target" in text
    assert "cap (90%) is below 100%" in text
    assert "plan cap (80%)" in text


def test_guardrails_tolerate_broken_drafts():
    assert guardrails({"components": [{"weight": "x", "curve": {"kind": "linear"}}]}) == []


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


def test_histogram_frame():
    from compcore.explore import histogram_frame

    df = histogram_frame(np.arange(100), bins=10)
    assert len(df) == 10 and df["count"].sum() == 100 and df["share"].sum() == pytest.approx(1.0)
    assert len(histogram_frame([5.0, 5.0], bins=3)) == 3
    assert histogram_frame([]).empty


@pytest.mark.parametrize("dist", ["normal", "lognormal", "triangular", "beta", "binomial", "poisson", "fixed",
                                  "empirical"])
def test_default_assumptions_are_valid_and_centred(dist):
    from compcore.explore import DIST_PARAMS, default_assumption

    a = default_assumption({"target": 0.9}, dist)
    assert set(a) == {"dist", *DIST_PARAMS[dist]}
    x = preview_samples(a, n=20_000, seed=0)
    assert abs(x.mean() - 0.9) < 0.12
    with pytest.raises(PlanError):
        default_assumption({"target": 1}, "cauchy")
