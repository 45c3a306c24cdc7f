"""One meaning per metric: definitions stored with plan metrics, compared, and the words when they differ."""

from __future__ import annotations

import pytest

from compcore.data.definitions import (
    canonical,
    definition_mismatch,
    metric_definition,
    renamed_for,
    same_definition,
)
from compcore.data.metrics import METRICS
from compcore.data.targets import suggest_mapping
from compcore.errors import PlanError
from compcore.plan.schema import DEFINITION_KINDS, Metric, dump_plan, load_plan

PLAN = {"name": "x", "target_incentive": {"amount": 1000},
        "metrics": [{"id": "okr", "name": "Team OKR score", "target": 1.0},
                    {"id": "adoption", "name": "Onboarding", "target": 0.8,
                     "definition": {"metric": "adoption_within", "days": 60, "min_seat_share": 0.5}}],
        "components": [{"id": "c", "metric": "okr", "weight": 0.5, "curve": {"kind": "steps", "steps": [[1, 1]]}},
                       {"id": "d", "metric": "adoption", "weight": 0.5,
                        "curve": {"kind": "steps", "steps": [[1, 1]]}}]}


def test_the_schemas_definitions_are_compcores():
    assert set(DEFINITION_KINDS) == set(METRICS)


def test_a_definition_is_stored_with_the_metric_and_round_trips():
    plan = load_plan(PLAN)
    assert dump_plan(plan)["metrics"][1]["definition"] == {"metric": "adoption_within", "days": 60,
                                                           "min_seat_share": 0.5}
    assert "definition" not in dump_plan(plan)["metrics"][0]  # optional: plans without one are unchanged
    assert load_plan(dump_plan(plan)) == plan


@pytest.mark.parametrize(("definition", "path"), [
    ({"metric": "adopted"}, "metrics[1].definition.metric"),
    ({"metric": "adoption_within", "days": "60"}, "metrics[1].definition.days"),
    ({"metric": "adoption_within", "min_seat_share": 1.5}, "metrics[1].definition.min_seat_share"),
    ({"metric": "activities", "kind": "calls"}, "metrics[1].definition.kind"),
    ({"metric": "grr", "colour": "red"}, "metrics[1].definition.colour"),
])
def test_a_bad_definition_is_a_plan_error_naming_its_path(definition, path):
    bad = {**PLAN, "metrics": [PLAN["metrics"][0], {**PLAN["metrics"][1], "definition": definition}]}
    with pytest.raises(PlanError, match=path.replace("[", r"\[").replace("]", r"\]")):
        load_plan(bad)


def test_canonical_writes_the_defaults_out():
    assert canonical({"metric": "on_time_go_live"}) == {"metric": "on_time_go_live", "grace_days": 0}
    assert canonical({"metric": "activities"}) == {"metric": "activities", "kind": "ebr"}
    assert canonical({"metric": "continued_adoption", "min_active_users": 5}) == {
        "metric": "continued_adoption", "last_weeks": 4, "min_days_live": 90, "min_active_users": 5}
    both = canonical({"metric": "adoption_within", "min_active_users": 5, "min_seat_share": 0.4, "require": "any"})
    assert both["require"] == "any"


def test_same_definition():
    assert same_definition({"metric": "adoption_within"}, {"metric": "adoption_within", "days": 90,
                                                           "min_seat_share": 0.4})
    assert not same_definition({"metric": "adoption_within", "days": 60}, {"metric": "adoption_within"})
    assert not same_definition({"metric": "activities", "kind": "ebr"}, {"metric": "activities",
                                                                         "kind": "touchpoint"})
    assert not same_definition({"metric": "nonsense"}, {"metric": "nonsense"})  # unknown: never the same
    assert not same_definition(None, {"metric": "grr"})


def test_a_metrics_definition_is_stored_or_named_or_none():
    plan = load_plan(PLAN)
    assert metric_definition(plan.metric("okr")) is None
    assert metric_definition(plan.metric("adoption"))["days"] == 60  # stored wins over the name
    named = Metric(id="go_live", name="Go-lives due this quarter that are live on time", target=1.0)
    assert metric_definition(named) == {"metric": "on_time_go_live"}
    assert suggest_mapping(plan) == {"adoption": {"metric": "adoption_within", "days": 60, "min_seat_share": 0.5}}


def test_mismatch_words():
    plan = load_plan(PLAN)
    go_live = Metric(id="go_live", name="Go-lives on time", target=1.0)
    adoption = {"metric": "adoption_within", "days": 90}
    said = definition_mismatch(go_live, adoption)
    assert said.startswith("“Go-lives on time” is measured as On-time go-live") and "Adopted within 90 days" in said
    assert "not measured from CS records" in definition_mismatch(plan.metric("okr"), adoption)
    # the stored definition counts 60 days at 50% of seats: the 90-day history is another definition
    assert definition_mismatch(plan.metric("adoption"), adoption) is not None
    assert definition_mismatch(plan.metric("adoption"), {"metric": "adoption_within", "days": 60,
                                                         "min_seat_share": 0.5}) is None


def test_renamed_after_the_definition():
    assert renamed_for("Go-lives on time", {"metric": "adoption_within", "days": 90}) == "Adopted within 90 days"
    assert renamed_for("EBRs held", {"metric": "activities", "kind": "ebr"}) == "EBRs held"
    touchpoints = {"metric": "activities", "kind": "touchpoint"}
    assert renamed_for("EBRs held", touchpoints) == "Activities per person: touchpoints"
