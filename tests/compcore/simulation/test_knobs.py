"""Knobs: every movable number of a plan, labelled in the user's words, with its default range."""

from __future__ import annotations

import pytest

from compcore.errors import PlanError
from compcore.simulation.knobs import knob, knobs, parse_path, with_value
from compcore.simulation.scenario import load_scenario
from tests.compcore.scenario_data import ROOT

SAMPLES = ROOT / "sample_data" / "scenarios"


def labels(name: str) -> dict[str, str]:
    return {k.path: k.label for k in knobs(load_scenario(SAMPLES / f"{name}.json"))}


def test_the_quarterly_org_plan_lists_its_numbers_in_words() -> None:
    got = labels("cs_org_quarterly")
    assert got["plan.target_incentive.percent_of_base"] == "Target incentive, % of base"
    assert got["plan.cap"] == "Plan cap"
    assert got["plan.metrics[1].target"] == "Clients adopted within 90 days: target"
    assert got["plan.components[1].curve.points[0][0]"] == (
        "Adopted within 90 days: attainment of point 1 (the threshold)")
    assert got["plan.components[1].curve.points[2][1]"] == "Adopted within 90 days: payout at 110% attainment"
    assert got["plan.gates[0].cap"] == "Gate on Clients adopted within 90 days: cap while it is missed"
    assert got["plan.components[3].curve.cap"] == "EBRs: cap (most it pays)"
    assert not [p for p in got if p.endswith(".weight")]  # weights must add to 100%: never a knob


def test_tiers_read_as_rates_and_accelerators() -> None:
    got = labels("accelerators")
    assert got["plan.target_incentive.amount"] == "Target incentive, amount a year"
    assert got["plan.components[0].curve.bands[0].rate"] == "NRR with accelerators: rate of the tier 0%-80%"
    assert got["plan.components[0].curve.bands[2].rate"] == "NRR with accelerators: accelerator 100%-125% (tier rate)"
    assert got["plan.components[0].curve.bands[3].rate"] == (
        "NRR with accelerators: accelerator above 125% (rate of the top tier)")
    assert got["plan.components[0].curve.threshold"] == "NRR with accelerators: threshold (below it pays 0)"
    assert "plan.components[0].curve.bands[0].from" not in got  # the first tier starts at 0, always


def test_default_ranges() -> None:
    scn = load_scenario(SAMPLES / "cs_org_quarterly.json")
    pct = knob(scn, "plan.target_incentive.percent_of_base")
    assert (pct.lo, pct.hi, pct.value, pct.kind, pct.show(0.085)) == (0.0, 1.0, 0.1, "percent", "8.5%")
    cap = knob(scn, "plan.cap")
    assert (cap.lo, cap.hi) == (0.0, 15.0)  # 0 to 10x the current 150%
    # the middle point of [[0.8, 0.5], [1.0, 1.0], [1.1, 1.5]] stays strictly between 80% and 110%
    mid = knob(scn, "plan.components[1].curve.points[1][0]")
    assert 0.8 < mid.lo < 0.8 + 1e-8 and 1.1 - 1e-8 < mid.hi < 1.1
    target = knob(scn, "plan.metrics[1].target")  # a target must stay above 0
    assert target.lo == pytest.approx(0.009) and target.hi == pytest.approx(9.0)
    zero = knob(scn, "plan.gates[0].cap")  # 0 now (a circuit breaker): 0 to 100%
    assert (zero.lo, zero.hi) == (0.0, 1.0)


def test_every_listed_knob_can_be_set_to_the_ends_of_its_range() -> None:
    scn = load_scenario(SAMPLES / "accelerators.json")
    for k in knobs(scn):
        for v in (k.lo, k.hi):
            assert with_value(scn, k.path, v) is not None, k.path


def test_with_value_sets_one_number_and_validates() -> None:
    scn = load_scenario(SAMPLES / "cs_org_quarterly.json")
    assert with_value(scn, "plan.components[1].curve.points[2][1]", 1.8).plan.components[1].curve.points[2] == (
        1.1, 1.8)
    assert scn.plan.components[1].curve.points[2] == (1.1, 1.5)  # the original is unchanged
    with pytest.raises(PlanError, match=r"plan\.components\[1\]\.curve\.points: x values must strictly increase"):
        with_value(scn, "plan.components[1].curve.points[1][0]", 1.2)


def test_parse_path() -> None:
    assert parse_path("plans.impl.metrics[0].target") == ("plans", "impl", "metrics", 0, "target")
    for bad in ("", "[0].x", "plan.", "plan[x]", ".plan"):
        with pytest.raises(PlanError, match="knob"):
            parse_path(bad)
