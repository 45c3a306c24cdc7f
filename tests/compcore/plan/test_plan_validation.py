"""Every invalid plan raises PlanError naming the field path and what to do."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from compcore import PlanError, load_plan, payout

BASE = json.loads(Path("sample_data/plans/cs_ops_enablement.json").read_text())


def broken(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


CASES = [
    ("unknown metric in a component", lambda d: d["components"][1].update(metric="nps"),
     'components[1].metric: unknown metric "nps"; use one of: team_okr, company_arr'),
    ("unknown metric in a gate", lambda d: d["gates"][0].update(metric="csat"),
     'gates[0].metric: unknown metric "csat"'),
    ("gate applies to an unknown component", lambda d: d["gates"][0].update(applies_to=["bonus"]),
     'gates[0].applies_to[0]: unknown component "bonus"'),
    ("duplicate metric id", lambda d: d["metrics"].append(dict(d["metrics"][0])),
     'metrics[2].id: duplicate metric id "team_okr"'),
    ("duplicate component id", lambda d: d["components"][1].update(id="okr"),
     'components[1].id: duplicate component id "okr"'),
    ("weights not summing to 1", lambda d: d["components"][1].update(weight=0.2),
     "components: weights must sum to 1 (100%), they sum to 0.9"),
    ("points going backwards", lambda d: d["components"][1]["curve"].update(points=[[1, 1], [0.8, 0.5]]),
     "components[1].curve.points: x values must strictly increase"),
    ("bands going backwards", lambda d: d["components"][0].update(
        curve={"kind": "tiers", "bands": [{"from": 0, "rate": 1}, {"from": 1.2, "rate": 2}, {"from": 1.0, "rate": 3}]}),
     'components[0].curve.bands: "from" values must strictly increase'),
    ("first band not from 0", lambda d: d["components"][0].update(
        curve={"kind": "tiers", "bands": [{"from": 0.5, "rate": 1}]}),
     'components[0].curve.bands: the first band must start "from": 0'),
    ("steps going backwards", lambda d: d["components"][0].update(
        curve={"kind": "steps", "steps": [[1, 1], [0.9, 0.5]]}),
     "components[0].curve.steps: step x values must strictly increase"),
    ("negative payout in a point", lambda d: d["components"][0]["curve"].update(points=[[0, 0], [1, -1]]),
     "components[0].curve.points[1][1]: must not be negative"),
    ("negative band rate", lambda d: d["components"][0].update(
        curve={"kind": "tiers", "bands": [{"from": 0, "rate": -1}]}),
     "components[0].curve.bands[0].rate: must not be negative"),
    ("non-numeric weight", lambda d: d["components"][0].update(weight="seventy"),
     "components[0].weight: must be a number, got 'seventy'"),
    ("zero target", lambda d: d["metrics"][0].update(target=0),
     "metrics[0].target: must be greater than 0"),
    ("missing target", lambda d: d["metrics"][0].pop("target"),
     "metrics[0].target: is required but missing"),
    ("missing curve", lambda d: d["components"][0].pop("curve"),
     "components[0].curve: is required but missing"),
    ("unknown curve kind", lambda d: d["components"][0]["curve"].update(kind="spline"),
     "components[0].curve: unknown curve kind 'spline'"),
    ("curve with no kind", lambda d: d["components"][0]["curve"].pop("kind"),
     'components[0].curve: needs a "kind"'),
    ("unknown schema version", lambda d: d.update(schema="compcore.plan/v2"),
     "schema: unknown schema version 'compcore.plan/v2'"),
    ("a misspelt field", lambda d: d["components"][0].update(wieght=0.7),
     "components[0].wieght: is not a field of this object; check the spelling"),
    ("bad direction", lambda d: d["metrics"][0].update(direction="down"),
     "metrics[0].direction:"),
    ("bad period", lambda d: d.update(period="week"),
     "period:"),
    ("both percent and amount", lambda d: d.update(target_incentive={"percent_of_base": 0.08, "amount": 5000}),
     'target_incentive: give exactly one of "percent_of_base"'),
    ("negative gate cap", lambda d: d["gates"][0].update(cap=-0.5),
     "gates[0].cap: must not be negative"),
    ("tiers curve as a modifier", lambda d: d["modifiers"].append(
        {"metric": "company_arr", "curve": {"kind": "tiers", "bands": [{"from": 0, "rate": 1}]}}),
     "modifiers[0].curve: unknown curve kind 'tiers'"),
    ("metric id with spaces", lambda d: d["metrics"][0].update(id="Team OKR"),
     "metrics[0].id: 'Team OKR' is not a valid id"),
    ("a single point", lambda d: d["components"][0]["curve"].update(points=[[1, 1]]),
     "components[0].curve.points: needs at least 2 entries"),
]


@pytest.mark.parametrize(("what", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_invalid_plan_names_the_field(what: str, change: Callable[[dict[str, Any]], Any], message: str) -> None:
    with pytest.raises(PlanError) as err:
        load_plan(broken(change))
    assert message in str(err.value)
    assert isinstance(err.value, ValueError)


def test_every_problem_is_listed_with_its_path() -> None:
    data = broken(lambda d: (d["components"][0].update(weight=-1), d["metrics"][1].update(target="high")))
    with pytest.raises(PlanError) as err:
        load_plan(data)
    paths = [p for p, _ in err.value.problems]
    assert "components[0].weight" in paths and "metrics[1].target" in paths


@pytest.mark.parametrize(("source", "message"), [
    ("{not json", "plan is not valid JSON"),
    ("[1, 2]", "a plan must be a JSON object, not list"),
    ("no/such/plan.json", "cannot read plan file 'no/such/plan.json'"),
    (42, "a plan must be a dict, JSON text or a path, not int"),
])
def test_unreadable_sources_raise_plan_error(source: Any, message: str) -> None:
    with pytest.raises(PlanError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_plan(source)


def test_weights_within_float_tolerance_are_accepted() -> None:
    data = broken(lambda d: (d["components"][0].update(weight=0.1 + 0.6), d["components"][1].update(weight=0.3)))
    assert load_plan(data).components[0].weight == pytest.approx(0.7)


@pytest.mark.parametrize(("actuals", "named"), [
    ({"team_okr": 1.0}, 'missing actual for metric "company_arr"'),
    ({"team_okr": 1.0, "company_arr": float("nan")}, 'actual for metric "company_arr" is NaN'),
    ({"team_okr": "high", "company_arr": 1.0}, 'actual for metric "team_okr" must be a number'),
])
def test_missing_or_bad_actual_names_the_metric(actuals: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        payout(load_plan(BASE), actuals)


@pytest.mark.parametrize("cid", ["A", "okr", "Go-live", "Q3_bonus", "7"])
def test_a_component_id_is_letters_digits_underscore_or_dash_with_its_case_kept(cid: str) -> None:
    data = broken(lambda d: (d["components"][0].update(id=cid),
                             d["gates"][0].update(applies_to=[cid])))
    plan = load_plan(data)
    assert plan.components[0].id == cid
    # the gate names the component by its id; okr 0.9 pays 0.9 of its 0.7 weight: 0.63
    assert payout(plan, {"team_okr": 0.9, "company_arr": 1.0}).components[cid] == pytest.approx(0.7 * 0.9)


@pytest.mark.parametrize("cid", ["go live", "a.b", "", "é", "x/y"])
def test_other_component_ids_are_refused_with_the_rule(cid: str) -> None:
    with pytest.raises(PlanError) as err:
        load_plan(broken(lambda d: d["components"][0].update(id=cid)))
    assert "components[0].id:" in str(err.value)
    if cid:
        assert "use letters, digits, _ or -" in str(err.value)
