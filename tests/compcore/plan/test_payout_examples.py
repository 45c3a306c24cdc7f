"""Payouts computed by hand from published plan designs, and the contract's worked examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from compcore import load_plan, payout

# the contract's copy beside the repo when present, else the copy kept with the tests
_SHARED = Path(__file__).resolve().parents[4] / "shared" / "examples" / "payout_examples.json"
EXAMPLES = _SHARED if _SHARED.exists() else Path(__file__).parents[1] / "data" / "payout_examples.json"


def one_metric_plan(curve: dict[str, Any], target: float = 1.0, direction: str = "higher", **extra: Any) -> Any:
    return load_plan({
        "name": "one metric", "target_incentive": {"amount": 20_000},
        "metrics": [{"id": "m", "name": "M", "target": target, "direction": direction}],
        "components": [{"id": "c", "metric": "m", "weight": 1.0, "curve": curve}], **extra})


def pays(plan: Any, **actuals: float) -> float:
    return payout(plan, actuals).total


ACCELERATOR_TIERS = {"kind": "tiers", "bands": [{"from": 0, "rate": 1.0}, {"from": 1.0, "rate": 1.4},
                                                {"from": 1.2, "rate": 1.6}]}
SEED_000 = "sample_data/plans/cs_ops_enablement.json"
IDENTITY = {"kind": "linear", "points": [[0, 0], [1, 1]]}


@pytest.mark.parametrize("example", json.loads(EXAMPLES.read_text())["examples"], ids=lambda e: e["name"])
def test_public_worked_example(example: dict[str, Any]) -> None:
    assert payout(load_plan(example["plan"]), example["actuals"]).total == pytest.approx(example["expected_total"],
                                                                                       abs=1e-9)


@pytest.mark.parametrize(("attainment", "money"), [(0.8, 16_000), (1.1, 22_800), (1.3, 28_800)])
def test_marginal_accelerators_on_a_20k_target(attainment: float, money: float) -> None:
    # 1.3: 1.0 x 1.0 + 1.4 x 0.2 + 1.6 x 0.1 = 1.44 -> 28,800
    assert 20_000 * pays(one_metric_plan(ACCELERATOR_TIERS), m=attainment) == pytest.approx(money)


def test_decelerator_below_half_pays_half_rate() -> None:
    curve = {"kind": "tiers", "bands": [{"from": 0, "rate": 0.5}, {"from": 0.5, "rate": 1.0}]}
    assert pays(one_metric_plan(curve), m=0.4) == pytest.approx(0.2)


def test_okr_met_and_company_at_110_pays_115() -> None:
    assert pays(load_plan(SEED_000), team_okr=1.0, company_arr=1.1) == pytest.approx(0.7 + 0.3 * 1.5)


def test_okr_at_90_and_company_at_120_pays_100_because_the_okr_gate_caps_it() -> None:
    res = payout(load_plan(SEED_000), {"team_okr": 0.9, "company_arr": 1.2})
    assert res.components == pytest.approx({"okr": 0.63, "company": 0.6})
    assert res.total == 1.0
    assert [g.fired for g in res.gates] == [True]


RETRO = {"kind": "tiers", "mode": "retroactive", "bands": [{"from": 0, "rate": 0.8}, {"from": 1.0, "rate": 1.1}]}


def test_retroactive_band_just_below_target_pays_the_lower_rate_on_everything() -> None:
    assert pays(one_metric_plan(RETRO), m=0.99) == pytest.approx(0.8 * 0.99)


def test_retroactive_band_reached_exactly_at_target_pays_the_higher_rate_on_everything() -> None:
    assert pays(one_metric_plan(RETRO), m=1.0) == pytest.approx(1.1)


def test_tier_threshold_pays_nothing_just_below_and_full_tier_pay_at_it() -> None:
    curve = {"kind": "tiers", "threshold": 0.5, "bands": [{"from": 0, "rate": 1.0}]}
    assert pays(one_metric_plan(curve), m=0.49) == 0.0
    assert pays(one_metric_plan(curve), m=0.5) == pytest.approx(0.5)


def test_tier_cap_holds_above_it() -> None:
    curve = {"kind": "tiers", "bands": [{"from": 0, "rate": 1.0}, {"from": 1.0, "rate": 2.0}], "cap": 1.5}
    assert pays(one_metric_plan(curve), m=1.4) == 1.5  # 1.0 + 2 x 0.4 = 1.8, capped


def test_linear_extend_keeps_the_last_slope_above_the_last_point() -> None:
    curve = {"kind": "linear", "points": [[0.5, 0], [1, 1]], "above": "extend"}
    assert pays(one_metric_plan(curve), m=1.2) == pytest.approx(1.4)


def test_linear_flat_stops_at_the_last_point() -> None:
    curve = {"kind": "linear", "points": [[0.5, 0], [1, 1]]}
    assert pays(one_metric_plan(curve), m=1.2) == 1.0


def test_linear_threshold_90_percent_pays_half_at_it_and_interpolates_after() -> None:
    curve = {"kind": "linear", "points": [[0.9, 0.5], [1, 1]]}
    plan = one_metric_plan(curve)
    assert pays(plan, m=0.899) == 0.0
    assert pays(plan, m=0.9) == 0.5
    assert pays(plan, m=0.95) == pytest.approx(0.75)


def test_step_edge_met_despite_float_error() -> None:
    # 0.81 of a 0.9 target is 0.9000000000000001 or 0.8999999999999999 in floats: the 90% step is met
    plan = one_metric_plan({"kind": "steps", "steps": [[0.8, 0.5], [0.9, 0.75], [1.0, 1.0]]}, target=0.9)
    assert pays(plan, m=0.81) == 0.75
    assert pays(plan, m=0.71) == 0.0


def test_lower_is_better_churn_at_double_target_pays_nothing() -> None:
    plan = one_metric_plan({"kind": "linear", "points": [[0, 0], [1, 1]], "above": "extend"},
                           target=0.05, direction="lower")
    assert pays(plan, m=0.10) == 0.0
    assert pays(plan, m=0.04) == pytest.approx(1.2)
    assert pays(plan, m=0.15) == 0.0  # attainment -1 never pays negative


def test_component_gate_caps_only_the_listed_component() -> None:
    plan = load_plan({
        "name": "gated", "target_incentive": {"percent_of_base": 0.1},
        "metrics": [{"id": "adoption_90d", "name": "Adoption", "target": 0.9},
                    {"id": "ebrs", "name": "EBRs", "target": 6}],
        "components": [
            {"id": "adopt", "metric": "adoption_90d", "weight": 0.5,
             "curve": {"kind": "linear", "points": [[0, 0], [1, 1], [1.5, 2]]}},
            {"id": "ebr", "metric": "ebrs", "weight": 0.5,
             "curve": {"kind": "linear", "points": [[0, 0], [1, 1], [1.5, 2]]}}],
        "gates": [{"metric": "adoption_90d", "below": 0.8, "cap": 0.5, "applies_to": ["ebr"]}]})
    # adoption 63% of a 90% target = 70% attainment: EBR payout capped at 50% though 9 EBRs earn 200%
    res = payout(plan, {"adoption_90d": 0.63, "ebrs": 9})
    assert res.fractions == pytest.approx({"adopt": 0.7, "ebr": 0.5})
    assert res.total == pytest.approx(0.6)


def test_component_modifier_multiplies_only_its_component() -> None:
    plan = load_plan({
        "name": "kicker", "target_incentive": {"percent_of_base": 0.1},
        "metrics": [{"id": "a", "name": "A", "target": 1}, {"id": "b", "name": "B", "target": 1},
                    {"id": "csat", "name": "CSAT", "target": 90}],
        "components": [{"id": "a", "metric": "a", "weight": 0.5, "curve": IDENTITY},
                       {"id": "b", "metric": "b", "weight": 0.5, "curve": IDENTITY}],
        "modifiers": [{"metric": "csat", "applies_to": ["a"],
                       "curve": {"kind": "steps", "steps": [[0, 0.8], [1, 1.2]]}}]})
    assert payout(plan, {"a": 1, "b": 1, "csat": 95}).total == pytest.approx(0.5 * 1.2 + 0.5)
    assert payout(plan, {"a": 1, "b": 1, "csat": 80}).total == pytest.approx(0.5 * 0.8 + 0.5)


def test_plan_modifier_applies_before_the_plan_gate() -> None:
    # 1.0 x 1.2 company multiplier = 1.2, then the OKR gate caps the total at 1.0
    data = json.loads(Path(SEED_000).read_text())
    data["modifiers"] = [{"metric": "company_arr", "applies_to": "all",
                          "curve": {"kind": "steps", "steps": [[0, 1.0], [1.1, 1.2]]}}]
    plan = load_plan(data)
    assert pays(plan, team_okr=0.99, company_arr=1.1) == 1.0
    assert pays(plan, team_okr=1.0, company_arr=1.1) == pytest.approx((0.7 + 0.3 * 1.5) * 1.2)


def test_plan_cap_limits_the_total() -> None:
    plan = one_metric_plan({"kind": "linear", "points": [[0, 0], [1, 1]], "above": "extend"}, cap=2.0)
    assert pays(plan, m=2.5) == 2.0


def test_circuit_breaker_on_a_component_zeroes_it() -> None:
    plan = load_plan("sample_data/plans/cs_org_quarterly.json")
    res = payout(plan, {"go_live_on_time": 1.0, "adoption_90d": 0.6, "continued_usage": 0.85, "ebrs": 6})
    # adoption 60% of a 90% target = 66.7% attainment < 70%: adoption and usage pay nothing
    assert res.fractions["adoption"] == 0.0 and res.fractions["usage"] == 0.0
    assert res.total == pytest.approx(0.3 + 0.2)


def test_every_sample_plan_pays_100_percent_when_every_metric_is_on_target() -> None:
    for path in sorted(Path("sample_data/plans").glob("*.json")):
        plan = load_plan(path)
        assert pays(plan, **{m.id: m.target for m in plan.metrics}) == pytest.approx(1.0), path.name


def test_one_million_attainments_come_back_as_one_array() -> None:
    plan = load_plan(SEED_000)
    rng = np.random.default_rng(0)
    res = payout(plan, {"team_okr": rng.uniform(0, 1.5, 1_000_000), "company_arr": 1.0})
    assert res.total.shape == (1_000_000,)
    assert float(res.total.max()) <= 1.0 + 1e-12  # company at target: nothing above 100%


def test_okr_gate_fires_at_50_percent_but_cuts_nothing_because_pay_is_already_below_the_cap() -> None:
    res = payout(load_plan(SEED_000), {"team_okr": 0.5, "company_arr": 1.0})
    assert res.total == pytest.approx(0.65)
    assert (res.gates[0].fired, res.gates[0].cut) == (True, False)


def test_gate_cut_is_reported_per_value_for_arrays() -> None:
    res = payout(load_plan(SEED_000), {"team_okr": np.array([0.5, 0.9, 1.0]), "company_arr": 1.2})
    assert res.gates[0].fired.tolist() == [True, True, False]
    assert res.gates[0].cut.tolist() == [False, True, False]
