"""Tests for compcore.plan.guardrails: design warnings on valid plans and on broken drafts."""

from __future__ import annotations

import pytest

from compcore.plan.guardrails import guardrails
from compcore.plan.schema import dump_plan, load_plan
from tests.compcore.seed_plan import SEED_000


@pytest.fixture()
def plan():
    return load_plan(SEED_000)


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


def test_a_share_target_above_100_percent_is_flagged_on_its_field(plan):
    data = dump_plan(plan)
    data["metrics"][0]["unit"] = "share of OKRs met"
    data["metrics"][0]["target"] = 85.0  # typed 85 meaning 85%, stored as 8500%
    hits = [g for g in guardrails(data) if g.path == "metrics[0].target"]
    assert len(hits) == 1 and "8500%" in hits[0].message and "type 85 for 85%" in hits[0].message
    data["metrics"][0]["unit"] = "OKRs met"  # a count: 85 is plausible
    assert not [g for g in guardrails(data) if g.path == "metrics[0].target"]


def test_a_curve_that_falls_after_target_is_flagged(plan):
    data = dump_plan(plan)
    data["components"][0]["curve"] = {"kind": "linear", "points": [[0, 0], [1, 1], [1.1, 0]]}
    msgs = [g.message for g in guardrails(data) if g.path == "components[0].curve"]
    assert any("pays less at 110% (0%) than at 100% (100%)" in m for m in msgs)
