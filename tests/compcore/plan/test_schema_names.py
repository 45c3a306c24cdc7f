"""Plan and metric names are required (a person reads them); the PlanError names the path."""

from __future__ import annotations

import pytest

from compcore.errors import PlanError
from compcore.plan.schema import load_plan


def _plan(**changes) -> dict:
    plan = {"name": "Q3 bonus", "target_incentive": {"amount": 1000},
            "metrics": [{"id": "m", "name": "Go-lives", "target": 1}, {"id": "n", "name": "EBRs", "target": 6}],
            "components": [{"id": "c", "metric": "m", "weight": 1, "curve": {"kind": "steps", "steps": [[1, 1]]}}]}
    return {**plan, **changes}


@pytest.mark.parametrize("blank", ["", " ", "\t\n"])
def test_a_blank_metric_name_names_its_path(blank):
    data = _plan()
    data["metrics"][1]["name"] = blank
    with pytest.raises(PlanError) as e:
        load_plan(data)
    assert e.value.problems == [("metrics[1].name", "needs a name a person can read")]


def test_a_blank_plan_name_names_its_path():
    with pytest.raises(PlanError) as e:
        load_plan(_plan(name="  "))
    assert ("name", "needs a name a person can read") in e.value.problems


def test_named_plans_and_an_unnamed_component_still_load():
    plan = load_plan(_plan())
    assert plan.name == "Q3 bonus" and plan.components[0].name == ""  # a component's name stays optional
