"""The plan's schedule and a metric's accumulate: validated with paths, dumped only when set."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compcore import PlanError, dump_plan, load_plan
from compcore.plan.schedule import Schedule, schedule_sentences

SAMPLE = "sample_data/plans/cs_org_quarterly.json"


def sample(**extra: Any) -> dict[str, Any]:
    with open(SAMPLE) as f:
        return {**json.load(f), **extra}


def problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(PlanError) as e:
        load_plan(data)
    return dict(e.value.problems)


def test_a_plan_without_a_schedule_pays_each_period_on_its_own() -> None:
    plan = load_plan(sample())
    assert plan.schedule == Schedule(measure="period", holdback=0.0, period_cap=None, year_end="none")
    assert all(m.accumulate == "mean" for m in plan.metrics)


def test_a_plan_without_the_year_fields_dumps_exactly_as_before() -> None:
    assert dump_plan(load_plan(sample())) == sample()


def test_a_schedule_and_accumulate_round_trip() -> None:
    data = sample(schedule={"measure": "year_to_date", "holdback": 0.25, "period_cap": 1.5, "year_end": "true_up"})
    data["metrics"][0] = {**data["metrics"][0], "accumulate": "sum"}
    out = dump_plan(load_plan(data))
    assert out["schedule"] == data["schedule"]
    assert out["metrics"][0]["accumulate"] == "sum"
    assert load_plan(out) == load_plan(data)


@pytest.mark.parametrize(("schedule", "path", "words"), [
    ({"holdback": 1.5}, "schedule.holdback", "at most 1"),
    ({"holdback": -0.1}, "schedule.holdback", "negative"),
    ({"holdback": "0.25"}, "schedule.holdback", "number"),
    ({"period_cap": 0}, "schedule.period_cap", "greater than 0"),
    ({"period_cap": -1}, "schedule.period_cap", "greater than 0"),
    ({"measure": "ytd"}, "schedule.measure", "year_to_date"),
    ({"year_end": "clawback"}, "schedule.year_end", "true_up_and_clawback"),
    ({"holdbak": 0.1}, "schedule.holdbak", "not a field"),
])
def test_a_bad_schedule_names_its_path(schedule: dict[str, Any], path: str, words: str) -> None:
    found = problems(sample(schedule=schedule))
    assert path in found
    assert words in found[path]


def test_a_bad_accumulate_names_its_path() -> None:
    data = sample()
    data["metrics"][1] = {**data["metrics"][1], "accumulate": "total"}
    assert "metrics[1].accumulate" in problems(data)


def test_the_schedule_in_words_says_each_rule_that_is_set() -> None:
    words = schedule_sentences(Schedule(measure="year_to_date", holdback=0.25, period_cap=1.5,
                                        year_end="true_up_and_clawback"))
    assert words == [
        "Each period end measures the year so far and pays what that earns minus what was already paid: "
        "a missed period is caught up when the year recovers.",
        "25% of each payment is held back until the year end.",
        "A period pays at most 150% of its target incentive; the rest is not paid in the period.",
        "The year end settles what the whole year earned against what was paid, both ways: money paid above it "
        "is recovered.",
    ]
    assert schedule_sentences(Schedule()) == [
        "Each period is measured on its own: a missed period is not made up later.",
        "The year end pays only the money held back."]
