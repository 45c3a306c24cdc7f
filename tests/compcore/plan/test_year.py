"""pay_year: one person's plan year by hand, for every schedule (arithmetic written out), and its properties."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore import PlanError, load_plan, pay_year, payout
from compcore.plan.year import YearLedger
from tests.compcore.strategies import monotone_plan

#: DESIGN.md's worked example: quarterly, adoption target 90%, curve [[0.9, 0.9], [1, 1], [1.5, 2]]
CURVE = {"kind": "linear", "points": [[0.9, 0.9], [1, 1], [1.5, 2]]}
ADOPTION = [0.72, 0.99, 0.90, 0.81]  # attainment 0.8 / 1.1 / 1.0 / 0.9 -> period fractions 0 / 1.2 / 1.0 / 0.9


def plan(schedule: dict[str, Any] | None = None, curve: dict[str, Any] = CURVE, **metric: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": "Adoption", "period": "quarter", "target_incentive": {"amount": 8000},
        "metrics": [{"id": "adoption", "name": "Adopted within 90 days", "target": 0.9, **metric}],
        "components": [{"id": "a", "metric": "adoption", "weight": 1, "curve": curve}]}
    if schedule is not None:
        out["schedule"] = schedule
    return out


def year(values: list[float], key: str = "adoption") -> list[dict[str, float]]:
    return [{key: v} for v in values]


def close(xs: Any, expected: list[float]) -> bool:
    return bool(np.allclose(xs, expected, rtol=0, atol=1e-12))


def test_each_quarter_on_its_own_pays_the_period_fractions() -> None:
    yp = pay_year(plan(), year(ADOPTION))
    assert close(yp.paid, [0.0, 1.2, 1.0, 0.9])  # 0.8 is below the 0.9 threshold; 1 + 2 x 0.1; 1.0; 0.9
    assert close(yp.earned, [0.0, 1.2, 2.2, 3.1])
    assert yp.settlement == 0.0
    assert yp.total == pytest.approx(3.1, abs=1e-12)


def test_year_to_date_catches_a_missed_quarter_up() -> None:
    yp = pay_year(plan({"measure": "year_to_date"}), year(ADOPTION))
    # Q2: mean (0.72 + 0.99) / 2 = 0.855 -> attainment 0.95 -> 0.95; E2 = 2 x 0.95 = 1.9, nothing paid before
    # Q3: mean 2.61 / 3 = 0.87 -> attainment 0.9667 -> 0.9667; E3 = 3 x 0.9667 = 2.9; 2.9 - 1.9 = 1.0
    # Q4: mean 3.42 / 4 = 0.855 -> 0.95; E4 = 3.8; 3.8 - 2.9 = 0.9
    assert close(yp.paid, [0.0, 1.9, 1.0, 0.9])
    assert close(yp.earned, [0.0, 1.9, 2.9, 3.8])
    assert yp.total == pytest.approx(3.8, abs=1e-12)


def test_holdback_pays_its_share_at_the_year_end() -> None:
    yp = pay_year(plan({"holdback": 0.25}), year(ADOPTION))
    assert close(yp.paid, [0.0, 0.9, 0.75, 0.675])  # 0.75 x (0 / 1.2 / 1.0 / 0.9)
    assert yp.settlement == pytest.approx(0.775, abs=1e-12)  # 0.25 x 3.1
    assert yp.total == pytest.approx(3.1, abs=1e-12)


def test_a_period_cap_without_true_up_loses_what_is_above_it() -> None:
    yp = pay_year(plan({"period_cap": 1.0}), year(ADOPTION))
    assert close(yp.paid, [0.0, 1.0, 1.0, 0.9])  # Q2's 1.2 capped at 1.0
    assert yp.settlement == 0.0
    assert yp.total == pytest.approx(2.9, abs=1e-12)


def test_a_period_cap_with_true_up_pays_the_rest_at_the_year_end() -> None:
    yp = pay_year(plan({"period_cap": 1.0, "year_end": "true_up"}), year(ADOPTION))
    assert close(yp.paid, [0.0, 1.0, 1.0, 0.9])
    assert yp.settlement == pytest.approx(0.2, abs=1e-12)  # E4 = 3.1 earned - 2.9 paid
    assert yp.total == pytest.approx(3.1, abs=1e-12)


def test_year_to_date_with_a_cap_carries_the_excess_to_the_next_quarter() -> None:
    yp = pay_year(plan({"measure": "year_to_date", "period_cap": 1.5}), year(ADOPTION))
    # Q2: min(1.9, 1.5) = 1.5; Q3: min(2.9 - 1.5, 1.5) = 1.4; Q4: min(3.8 - 2.9, 1.5) = 0.9
    assert close(yp.paid, [0.0, 1.5, 1.4, 0.9])
    assert yp.total == pytest.approx(3.8, abs=1e-12)


#: three quarters deep in the accelerator, then a bad Q4: the year to date falls at the end
FALLING = [1.35, 1.35, 1.35, 0.27]


def test_a_year_that_falls_at_the_end_is_clawed_back() -> None:
    yp = pay_year(plan({"measure": "year_to_date", "year_end": "true_up_and_clawback"}), year(FALLING))
    # Q1-Q3: mean 1.35 -> attainment 1.5 -> 2.0; E = 2, 4, 6; credits 2, 2, 2
    # Q4: mean 4.32 / 4 = 1.08 -> attainment 1.2 -> 1 + 2 x 0.2 = 1.4; E4 = 5.6 < 6 credited: nothing in Q4
    assert close(yp.paid, [2.0, 2.0, 2.0, 0.0])
    assert close(yp.earned, [2.0, 4.0, 6.0, 5.6])
    assert yp.settlement == pytest.approx(-0.4, abs=1e-12)  # 5.6 earned - 6.0 paid: recovered
    assert yp.total == pytest.approx(5.6, abs=1e-12)


def test_a_clawback_comes_out_of_the_held_back_money_first() -> None:
    sched = {"measure": "year_to_date", "holdback": 0.25, "year_end": "true_up_and_clawback"}
    yp = pay_year(plan(sched), year(FALLING))
    assert close(yp.paid, [1.5, 1.5, 1.5, 0.0])  # 0.75 x 2
    assert yp.settlement == pytest.approx(1.1, abs=1e-12)  # 5.6 earned - 4.5 paid
    assert yp.total == pytest.approx(5.6, abs=1e-12)


def test_true_up_never_recovers_and_none_keeps_the_best_year_to_date() -> None:
    up = pay_year(plan({"measure": "year_to_date", "year_end": "true_up"}), year(FALLING))
    assert up.settlement == 0.0  # max(5.6 - 6.0, 0)
    assert up.total == pytest.approx(6.0, abs=1e-12)
    none = pay_year(plan({"measure": "year_to_date"}), year(FALLING))
    assert none.total == pytest.approx(6.0, abs=1e-12)


def test_a_leaver_is_paid_for_the_share_of_each_quarter_employed() -> None:
    yp = pay_year(plan(), year(ADOPTION), employed=[1, 1, 0.5, 0])
    assert close(yp.paid, [0.0, 1.2, 0.5, 0.0])  # 0.5 x 1.0 in Q3, nothing in Q4
    assert yp.total == pytest.approx(1.7, abs=1e-12)


EBR_PLAN = {"name": "EBRs", "period": "quarter", "target_incentive": {"amount": 4000},
            "schedule": {"measure": "year_to_date"},
            "metrics": [{"id": "ebrs", "name": "EBRs held", "target": 3}],
            "components": [{"id": "e", "metric": "ebrs", "weight": 1,
                            "curve": {"kind": "linear", "points": [[0, 0], [1, 1], [1.5, 2]]}}]}
HIRE = [0.0, 0.5, 1.0, 1.0]  # joins half way through Q2
EBRS = [0.0, 2.0, 3.0, 4.0]


def test_a_count_summed_year_to_date_against_the_target_for_the_time_employed() -> None:
    p = {**EBR_PLAN, "metrics": [{**EBR_PLAN["metrics"][0], "accumulate": "sum"}]}
    yp = pay_year(p, year(EBRS, "ebrs"), employed=HIRE)
    # Q2: 2 EBRs against 3 x 0.5 = 1.5 -> attainment 4/3 -> 1 + 2/3 = 5/3; E2 = 0.5 x 5/3 = 5/6
    # Q3: 5 EBRs against 3 x 1.5 = 4.5 -> 10/9 -> 1 + 2/9 = 11/9; E3 = 1.5 x 11/9 = 11/6; credit 11/6 - 5/6 = 1
    # Q4: 9 EBRs against 3 x 2.5 = 7.5 -> 1.2 -> 1.4; E4 = 2.5 x 1.4 = 3.5; credit 3.5 - 11/6 = 5/3
    assert close(yp.earned, [0.0, 5 / 6, 11 / 6, 3.5])
    assert close(yp.paid, [0.0, 5 / 6, 1.0, 5 / 3])
    assert yp.total == pytest.approx(3.5, abs=1e-12)


def test_a_share_averaged_year_to_date_weighted_by_the_time_employed() -> None:
    yp = pay_year(EBR_PLAN, year(EBRS, "ebrs"), employed=HIRE)  # accumulate: mean (the default)
    # Q2: (0.5 x 2) / 0.5 = 2 -> attainment 2/3; E2 = 0.5 x 2/3 = 1/3
    # Q3: (1 + 3) / 1.5 = 8/3 -> 8/9; E3 = 1.5 x 8/9 = 4/3
    # Q4: (1 + 3 + 4) / 2.5 = 3.2 -> 16/15 -> 1 + 2 x 1/15 = 17/15; E4 = 2.5 x 17/15 = 17/6
    assert close(yp.earned, [0.0, 1 / 3, 4 / 3, 17 / 6])
    assert yp.total == pytest.approx(17 / 6, abs=1e-12)


def test_the_year_of_a_half_yearly_plan_has_two_periods() -> None:
    p = {**plan(), "period": "half"}
    yp = pay_year(p, year([0.99, 0.90]))
    assert close(yp.paid, [1.2, 1.0])


def test_arrays_in_give_arrays_out_period_on_axis_0() -> None:
    yp = pay_year(plan({"measure": "year_to_date"}), [{"adoption": np.array([v, 0.9])} for v in ADOPTION])
    assert yp.paid.shape == (4, 2)
    assert close(yp.paid[:, 0], [0.0, 1.9, 1.0, 0.9])
    assert close(yp.paid[:, 1], [1.0, 1.0, 1.0, 1.0])
    assert close(yp.total, [3.8, 4.0])


@pytest.mark.parametrize(("actuals", "employed", "path"), [
    (year(ADOPTION[:3]), None, "actuals"),
    ({"adoption": 0.9}, None, "actuals"),
    (year(ADOPTION), [1, 1, 1], "employed"),
    (year(ADOPTION), [1, 1.5, 1, 1], "employed[1]"),
    (year(ADOPTION), [1, float("nan"), 1, 1], "employed[1]"),
    (year(ADOPTION), [1, True, 1, 1], "employed[1]"),
])
def test_a_year_of_the_wrong_shape_names_what_is_wrong(actuals: Any, employed: Any, path: str) -> None:
    with pytest.raises(PlanError) as e:
        pay_year(plan(), actuals, employed)
    assert e.value.problems[0][0] == path


def test_a_missing_actual_names_the_period_and_the_metric() -> None:
    with pytest.raises(ValueError, match=r"actuals\[2\].*adoption"):
        pay_year(plan(), [{"adoption": 0.9}, {"adoption": 0.9}, {}, {"adoption": 0.9}])


settings.register_profile("compcore", max_examples=150, deadline=None)
settings.load_profile("compcore")

schedules = st.fixed_dictionaries({
    "measure": st.sampled_from(["period", "year_to_date"]),
    "holdback": st.sampled_from([0.0, 0.1, 0.25, 1.0]),
    "period_cap": st.none() | st.sampled_from([0.5, 1.0, 1.5]),
    "year_end": st.sampled_from(["none", "true_up", "true_up_and_clawback"]),
})
atts = st.lists(st.floats(min_value=0.0, max_value=2.0), min_size=4, max_size=4)
shares = st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=4, max_size=4)


def quarterly(data: dict[str, Any], schedule: dict[str, Any]) -> Any:
    return load_plan({**data, "period": "quarter", "schedule": schedule})


def at(p: Any, a: float) -> dict[str, float]:
    return {m.id: m.target * a if m.direction == "higher" else m.target * (2 - a) for m in p.metrics}


@given(monotone_plan(), schedules, atts, shares)
def test_every_schedule_pays_what_it_says(data: dict[str, Any], schedule: dict[str, Any], a: list[float],
                                          employed: list[float]) -> None:
    p = quarterly(data, schedule)
    yp = pay_year(p, [at(p, x) for x in a], employed)
    assert yp.total == pytest.approx(sum(yp.paid) + yp.settlement, abs=1e-9)
    assert all(x >= -1e-12 for x in yp.paid)  # nothing is recovered before the year end
    if schedule["year_end"] == "true_up_and_clawback":
        assert yp.total == pytest.approx(yp.earned[-1], abs=1e-9)  # the year pays exactly what it earned
    if schedule["year_end"] == "true_up":
        assert yp.total >= yp.earned[-1] - 1e-9
    if schedule["period_cap"] is not None:
        assert all(c <= schedule["period_cap"] * e + 1e-12 for c, e in zip(yp.credited, employed, strict=True))


@given(monotone_plan(), atts, shares)
def test_the_default_schedule_pays_each_period_its_own_payout(data: dict[str, Any], a: list[float],
                                                             employed: list[float]) -> None:
    p = quarterly(data, {})
    yp = pay_year(p, [at(p, x) for x in a], employed)
    expected = [e * payout(p, at(p, x)).total for x, e in zip(a, employed, strict=True)]
    assert yp.paid == pytest.approx(expected, abs=1e-12)
    assert yp.settlement == 0.0


@given(monotone_plan(), st.sampled_from(["period", "year_to_date"]), st.sampled_from([0.1, 0.5, 1.0]), atts)
def test_holdback_only_moves_money_to_the_year_end(data: dict[str, Any], measure: str, h: float,
                                                   a: list[float]) -> None:
    p0, ph = quarterly(data, {"measure": measure}), quarterly(data, {"measure": measure, "holdback": h})
    y0, yh = pay_year(p0, [at(p0, x) for x in a]), pay_year(ph, [at(ph, x) for x in a])
    assert yh.paid == pytest.approx([(1 - h) * x for x in y0.paid], abs=1e-12)
    assert yh.total == pytest.approx(y0.total, abs=1e-9)


@given(monotone_plan(), st.sampled_from([0.5, 1.0, 1.5]), atts)
def test_a_cap_with_true_up_costs_the_year_what_no_cap_costs(data: dict[str, Any], k: float, a: list[float]) -> None:
    free = quarterly(data, {"year_end": "true_up"})
    capped = quarterly(data, {"period_cap": k, "year_end": "true_up"})
    assert pay_year(capped, [at(capped, x) for x in a]).total == pytest.approx(
        pay_year(free, [at(free, x) for x in a]).total, abs=1e-9)


def test_the_ledger_on_arrays_is_the_ledger_on_each_number() -> None:
    rng = np.random.default_rng(3)
    f, employed = rng.uniform(0, 2, (4, 50)), rng.choice([0.0, 0.5, 1.0], (4, 50))
    sched = load_plan(plan({"measure": "year_to_date", "holdback": 0.2, "period_cap": 1.2,
                            "year_end": "true_up_and_clawback"})).schedule
    whole = YearLedger(sched)
    paid = [whole.period(f[t], employed[t])[1] for t in range(4)]
    for j in range(50):
        one = YearLedger(sched)
        assert [float(one.period(f[t, j], employed[t, j])[1]) for t in range(4)] == [p[j] for p in paid]
        assert float(one.settle()) == whole.settle()[j]
