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
