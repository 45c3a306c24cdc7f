"""Loading breaks no contract whatever the input: only PlanError escapes; numbers are strict JSON numbers."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compcore
from compcore.errors import PlanError
from compcore.io.files import import_json
from compcore.simulation.distributions import Lognormal
from compcore.simulation.roster import roster_from_csv
from tests.compcore.scenario_data import sample_scenario

ROOT = Path(__file__).resolve().parents[3]
DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE_TEXTS: list[Any] = [
    b"\xff\xfe{\x00}",                      # UTF-16 bytes: not UTF-8
    b'{"name": "\xe9t\xe9"}',               # Latin-1 bytes
    DEEP, '{"a":' * 100_000 + "1" + "}" * 100_000,
    '{"name": "x", "target_incentive": {"amount": ' + "9" * 5000 + "}}",
    '{"budget": NaN}', '{"budget": Infinity}', "\x00\x01\x02binary",
    "", "   ", "{", "[]", "null", "42", '"text"',
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
@pytest.mark.parametrize("loader", [compcore.load_plan, compcore.load_scenario])
def test_hostile_text_gives_only_a_plan_error(loader: Any, text: Any) -> None:
    with pytest.raises(PlanError):
        loader(text)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00binary\x00", DEEP.encode(), b'{"x": ' + b"1" * 5000 + b"}",
                                     "\udcff".encode("utf-8", "surrogatepass")])
def test_hostile_files_give_only_a_plan_error(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "plan.json"
    f.write_bytes(content)
    with pytest.raises(PlanError):
        compcore.load_plan(f)
    with pytest.raises(PlanError):
        compcore.load_scenario(str(f))
    with pytest.raises(PlanError):
        import_json(content, "plan.json")


def test_a_directory_or_missing_path_is_a_plan_error(tmp_path: Path) -> None:
    for source in (tmp_path, tmp_path / "missing.json", "x" * 10_000):
        with pytest.raises(PlanError):
            compcore.load_plan(source)


def _plan() -> dict[str, Any]:
    return copy.deepcopy(sample_scenario()["plan"])


@pytest.mark.parametrize(("change", "path"), [
    (lambda p: p["components"][0].update(weight="0.6"), "components[0].weight"),
    (lambda p: p["metrics"][0].update(target=True), "metrics[0].target"),
    (lambda p: p["target_incentive"].update(percent_of_base="0.08"), "target_incentive.percent_of_base"),
    (lambda p: p["metrics"][0].update(target=1e13), "metrics[0].target"),
    (lambda p: p["metrics"].extend({"id": f"m{i}", "name": "M", "target": 1} for i in range(30)), "metrics"),
    (lambda p: p["components"][0]["curve"].update(
        kind="linear", points=[[i, i] for i in range(101)]), "components[0].curve.points"),
])
def test_plan_numbers_are_strict_and_bounded(change: Any, path: str) -> None:
    plan = _plan()
    change(plan)
    with pytest.raises(PlanError) as err:
        compcore.load_plan(plan)
    assert path in str(err.value)


@pytest.mark.parametrize(("change", "path"), [
    (lambda s: s["roster"][0].update(headcount=True), "roster[0].headcount"),
    (lambda s: s["roster"][0].update(headcount="3"), "roster[0].headcount"),
    (lambda s: s["roster"][0].update(headcount=2.5), "roster[0].headcount"),
    (lambda s: s["roster"][0].update(headcount=10**30), "roster[0].headcount"),
    (lambda s: s["roster"][0].update(headcount=1_000_000), "roster[0].headcount"),
    (lambda s: s["roster"].extend([{"team": "T", "role": "R", "headcount": 50_000, "base_salary": 1}] * 2),
     "roster"),
    (lambda s: s["roster"][0].update(base_salary=1e308), "roster[0].base_salary"),
    (lambda s: s["roster"][0].update(base_salary="80000"), "roster[0].base_salary"),
    (lambda s: s.update(budget=float("inf")), "budget"),
    (lambda s: s.update(budget="40000"), "budget"),
    (lambda s: s["correlations"][0].update(rho="0.5"), "correlations[0].rho"),
    (lambda s: s["assumptions"]["team_okr"].update(mean="0.95"), "assumptions.team_okr.mean"),
    (lambda s: s["assumptions"]["team_okr"].update(sd=1e300), "assumptions.team_okr.sd"),
    (lambda s: s["assumptions"].update(team_okr={"dist": "poisson", "mean": 1e300}), "assumptions.team_okr.mean"),
    (lambda s: s["assumptions"].update(team_okr={"dist": "binomial", "n": True, "p": 0.5}),
     "assumptions.team_okr.n"),
])
def test_scenario_numbers_are_strict_and_bounded(change: Any, path: str) -> None:
    scn = sample_scenario()
    change(scn)
    with pytest.raises(PlanError) as err:
        compcore.load_scenario(scn)
    assert path in str(err.value)
    assert len(str(err.value)) < 2000  # a 30-digit number or 1e308 is shown cut, not the whole input


def test_whole_floats_and_numpy_numbers_still_load() -> None:
    """12.0 people is 12 people; numpy numbers from a data editor are numbers."""
    scn = sample_scenario()
    scn["roster"][0].update(headcount=np.int64(3), base_salary=np.float64(80000.0))
    scn["roster"][1].update(headcount=2.0)
    loaded = compcore.load_scenario(scn)
    assert [r.headcount for r in loaded.roster] == [3, 2]
    assert isinstance(loaded.roster[0].headcount, int)


def test_an_infinite_actual_is_refused_not_paid() -> None:
    plan = compcore.load_plan(_plan())
    for bad in (math.inf, -math.inf, np.array([1.0, np.inf])):
        actuals = {m.id: 1.0 for m in plan.metrics} | {plan.metrics[0].id: bad}
        with pytest.raises(ValueError, match=plan.metrics[0].id):
            compcore.payout(plan, actuals)


def test_base_salary_1e308_never_reaches_the_simulation() -> None:
    """It was an expected cost of inf and NaN percentiles; now the largest accepted salary gives finite numbers."""
    scn = sample_scenario()
    scn["roster"][0]["base_salary"] = 1e12
    sim = compcore.simulate(scn, trials=200, seed=1)
    assert np.isfinite(sim.cost).all() and all(math.isfinite(v) for v in sim.percentiles.values())


@pytest.mark.parametrize("seed", ["abc", -1, 1.5, True, [1, 2]])
def test_bad_seeds_are_plan_errors(seed: Any) -> None:
    with pytest.raises(PlanError, match="seed"):
        compcore.simulate(sample_scenario(), trials=10, seed=seed)


@pytest.mark.parametrize("trials", [0, -5, 10_000_001, 2.5, "100", True, None])
def test_bad_trials_are_plan_errors(trials: Any) -> None:
    with pytest.raises(PlanError, match="trials"):
        compcore.simulate(sample_scenario(), trials=trials, seed=0)


@pytest.mark.parametrize("text", [
    "team,role,headcount,base_salary\rCS,CSM,2,90000\rPMO,PM,1,100000\r",  # CR-only line ends
    "team,role,headcount,base_salary\r\nCS,CSM,2,90000\r\n",
])
def test_roster_csv_with_any_line_end_reads(text: str) -> None:
    rows = roster_from_csv(text)
    assert rows[0].headcount == 2 and rows[0].base_salary == 90000


@pytest.mark.parametrize("cell", ["1000000", "1e30", "1e400", "true", "1" * 5000, "nan", "inf", "2.5"])
def test_roster_csv_bad_headcounts_are_plan_errors(cell: str) -> None:
    with pytest.raises(PlanError, match=r"roster\[0\]\.headcount"):
        roster_from_csv(f"team,role,headcount,base_salary\nCS,CSM,{cell},90000\n")


def test_roster_csv_binary_and_non_utf8_files_are_plan_errors(tmp_path: Path) -> None:
    for content in (b"\x00\x01\x02", b"team,role,base_salary\n\xe9,x,1\n"):
        f = tmp_path / "roster.csv"
        f.write_bytes(content)
        with pytest.raises(PlanError):
            roster_from_csv(f)


def test_the_cli_prints_one_line_for_a_binary_plan(tmp_path: Path) -> None:
    f = tmp_path / "plan.json"
    f.write_bytes(b"\xff\x00" + DEEP.encode())
    out = subprocess.run([sys.executable, "-m", "compcore", "describe", str(f)], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1


def test_share_link_and_store_refuse_strings_for_numbers() -> None:
    scn = sample_scenario()
    scn["roster"][0]["headcount"] = "3"
    with pytest.raises(PlanError):
        compcore.encode_scenario(scn)
    token = compcore.encode_scenario(sample_scenario())
    assert json.dumps(compcore.decode_scenario(token))


# -- issue 23, item 6: loading edge cases that escaped as other exceptions -------------------------

def _scenario_with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(sample_scenario())
    change(data)
    return data


@pytest.mark.parametrize("change", [
    lambda d: d["correlations"][0].__setitem__("between", ["nrr\ud800", d["correlations"][0]["between"][1]]),
    lambda d: d["assumptions"].__setitem__("x\udfff", {"dist": "normal", "mean": 1, "sd": 1}),
    lambda d: d["plan"]["metrics"][0].__setitem__("id", "m\udc00"),
], ids=["correlation id", "assumption key", "metric id"])
def test_a_lone_surrogate_is_a_plan_error_naming_the_field(change: Any) -> None:
    # before: UnicodeEncodeError from pydantic for the correlation id and the assumption key
    with pytest.raises(PlanError, match="not valid Unicode text"):
        compcore.load_scenario(_scenario_with(change))


def test_a_lone_surrogate_from_a_json_escape_is_a_plan_error() -> None:
    text = json.dumps(sample_scenario()).replace('"name": "', '"name": "\\ud800', 1)
    with pytest.raises(PlanError, match="not valid Unicode text"):
        compcore.load_scenario(text)


@pytest.mark.parametrize("loader", [compcore.load_plan, compcore.load_scenario], ids=["plan", "scenario"])
def test_a_dict_nested_deep_inside_a_name_is_a_plan_error(loader: Any) -> None:
    # before: RecursionError from repr() while the error message was written
    deep: Any = "x"
    for _ in range(100_000):
        deep = {"a": deep}
    data = sample_scenario() if loader is compcore.load_scenario else sample_scenario()["plan"]
    with pytest.raises(PlanError, match="^name.a.a.*nested more than"):
        loader({**data, "name": deep})


@pytest.mark.parametrize(("mean", "sd"), [(5e-324, 1.0), (1e-300, 1e12), (1.0, 1e6)])
def test_a_lognormal_that_draws_nan_or_overflows_is_refused_on_load(mean: float, sd: float) -> None:
    # before: accepted, then "actual is NaN" at pricing (log parameters -inf / inf for a mean near 0)
    def change(d: dict[str, Any]) -> None:
        mid = next(iter(d["assumptions"]))
        d["assumptions"][mid] = {"dist": "lognormal", "mean": mean, "sd": sd}
    with pytest.raises(PlanError, match="sd must be at most 100 times the mean for a lognormal"):
        compcore.load_scenario(_scenario_with(change))


def test_a_lognormal_within_the_bound_draws_finite_values() -> None:
    dist = Lognormal(mean=1.0, sd=100.0)  # sd / mean = 100, the largest accepted
    assert np.isfinite(dist.from_normal(np.array([-8.3, 0.0, 8.3]))).all()


def test_an_extended_near_vertical_curve_is_refused_not_infinite() -> None:
    # before: payout of [[0, 0], [5e-324, 1]] extended with no cap returned inf
    plan = {"name": "x", "target_incentive": {"amount": 1000}, "metrics": [{"id": "m", "name": "M", "target": 1}],
            "components": [{"id": "c", "metric": "m", "weight": 1, "curve": {
                "kind": "linear", "points": [[0, 0], [5e-324, 1]], "above": "extend"}}]}
    with pytest.raises(PlanError, match=r"components\[0\]\.curve: the last segment rises too steeply"):
        compcore.payout(plan, {"m": 2})
    # the same points not extended pay the last point's 100%; a slope of 1e6 still extends:
    # at attainment 2 it pays 1 + 1e6 * (2 - 1) = 1,000,001 (fraction of target)
    plan["components"][0]["curve"] = {"kind": "linear", "points": [[0, 0], [5e-324, 1]]}
    assert compcore.payout(plan, {"m": 2}).total == 1.0
    plan["components"][0]["curve"] = {"kind": "linear", "points": [[0, 0], [1e-6, 1]], "above": "extend"}
    assert compcore.payout(plan, {"m": 2}).total == pytest.approx(1 + 1e6 * (2 - 1e-6))
