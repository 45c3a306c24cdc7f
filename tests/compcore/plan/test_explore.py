"""Tests for compcore.plan.explore: curve grids, sweeps, heatmaps, the earnings calculator, histograms."""

from __future__ import annotations

import numpy as np
import pytest

from compcore.plan.editing import curve_or_none
from compcore.plan.explore import (
    actual_for,
    attainment_range,
    component_curves,
    curve_frame,
    earnings,
    heatmap,
    histogram_frame,
    sweep,
)
from compcore.plan.payout import payout
from compcore.plan.schema import Metric, load_plan
from tests.compcore.seed_plan import SEED_000


@pytest.fixture()
def plan():
    return load_plan(SEED_000)


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


def test_histogram_frame():
    df = histogram_frame(np.arange(100), bins=10)
    assert len(df) == 10 and df["count"].sum() == 100 and df["share"].sum() == pytest.approx(1.0)
    assert len(histogram_frame([5.0, 5.0], bins=3)) == 3
    assert histogram_frame([]).empty
