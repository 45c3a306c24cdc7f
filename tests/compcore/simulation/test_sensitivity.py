"""Sensitivity ranking on hand-made draws, so every share and tornado end is arithmetic written here.

The plan is linear: two company metrics, weight 1/2 each, each paying exactly its
attainment (targets 1.0), four people on a 4,000 annual target paid quarterly.
Per period the cost of a trial is ``4 x 1000 x (m / 2 + k / 2) = 2000 (m + k)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import compcore
from compcore import sensitivity
from compcore.simulation.draws import CHUNK_TRIALS, MetricDraws
from compcore.simulation.org import shared_metrics
from compcore.simulation.pricing import org_cost_chunk, plan_contexts
from compcore.simulation.sensitivity import rank_metrics
from tests.compcore.scenario_data import org_scenario
from tests.compcore.simulation.single_plan_cases import ROOT, cases

LINEAR = {"kind": "linear", "points": [[0, 0], [2, 2]], "above": "extend"}
PLAN = {
    "name": "linear", "period": "quarter", "target_incentive": {"amount": 4000},
    "metrics": [{"id": "m", "name": "Go-lives on time", "target": 1.0, "scope": "company"},
                {"id": "k", "name": "Adopted within 90 days", "target": 1.0, "scope": "company"}],
    "components": [{"id": "cm", "metric": "m", "weight": 0.5, "curve": LINEAR},
                   {"id": "ck", "metric": "k", "weight": 0.5, "curve": LINEAR}],
}
ROSTER = [{"team": "CS", "role": "CSM", "headcount": 4, "base_salary": 90000}]


def company_draws(**values: list[float]) -> MetricDraws:
    """Draws of company metrics exactly as given, one value per trial."""
    arrays = {k: np.array(v, dtype=float) for k, v in values.items()}
    trials = len(next(iter(arrays.values())))
    return MetricDraws(values=arrays, scopes=dict.fromkeys(arrays, "company"), teams=("CS",),
                       team_index=np.zeros(4, dtype=np.intp), trials=trials)


def by_metric(df: Any) -> dict[str, dict[str, float]]:
    return df.set_index("metric").to_dict("index")


def test_the_only_metric_that_varies_ranks_first_and_explains_all_the_variance() -> None:
    # m is always 0.9; k takes 0.5, 0.6, ..., 1.5 (11 trials)
    k = [round(0.5 + i / 10, 10) for i in range(11)]
    sens = sensitivity(PLAN, company_draws(m=[0.9] * 11, k=k), ROSTER)
    assert list(sens["metric"]) == ["k", "m"]
    rows = by_metric(sens)
    # freezing k at its median makes every trial cost 2000 (0.9 + 1.0): no variance left, share 1
    assert rows["k"]["variance_share"] == 1.0
    # freezing m changes nothing: share 0
    assert rows["m"]["variance_share"] == 0.0


def test_tornado_ends_by_hand_when_one_metric_varies() -> None:
    k = [round(0.5 + i / 10, 10) for i in range(11)]
    sens = sensitivity(PLAN, company_draws(m=[0.9] * 11, k=k), ROSTER)
    rows = by_metric(sens)
    # P10 of the 11 values is the 2nd smallest, 0.6; P50 the 6th, 1.0; P90 the 10th, 1.4
    assert (rows["k"]["value_p10"], rows["k"]["value_p50"], rows["k"]["value_p90"]) == pytest.approx((0.6, 1.0, 1.4))
    # cost with k at P10 for everyone: 2000 (0.9 + 0.6) = 3000; at P90: 2000 (0.9 + 1.4) = 4600
    assert rows["k"]["cost_at_p10"] == pytest.approx(3000)
    assert rows["k"]["cost_at_p90"] == pytest.approx(4600)
    assert rows["k"]["swing"] == pytest.approx(1600)
    # a fixed metric: both ends are the expected cost 2000 (0.9 + mean k = 1.0) = 3800, no swing
    assert rows["m"]["cost_at_p10"] == rows["m"]["cost_at_p90"] == pytest.approx(3800)
    assert rows["m"]["swing"] == 0
    assert sens.attrs["expected"] == pytest.approx(3800)


def test_two_varying_metrics_share_the_variance_in_proportion_on_a_linear_plan() -> None:
    # every pair of m in {0.9, 1.0, 1.1} and k in {0.8, 1.0, 1.2}: 9 trials, m and k uncorrelated
    m = [0.9, 1.0, 1.1] * 3
    k = [0.8] * 3 + [1.0] * 3 + [1.2] * 3
    rows = by_metric(sensitivity(PLAN, company_draws(m=m, k=k), ROSTER))
    # Var(cost) = 2000^2 (Var m + Var k) with Var m = 0.02 / 3 and Var k = 0.08 / 3.
    # Freezing m at 1.0 leaves 2000^2 Var k: share 1 - 0.08 / 0.10 = 0.2; freezing k leaves m's: 0.8
    assert rows["m"]["variance_share"] == pytest.approx(0.2, abs=1e-9)
    assert rows["k"]["variance_share"] == pytest.approx(0.8, abs=1e-9)
    # P10 / P90 of k's nine values are 0.8 / 1.2; m averages 1.0: 2000 (1.0 + 0.8) = 3600, 2000 (1.0 + 1.2) = 4400
    assert (rows["k"]["cost_at_p10"], rows["k"]["cost_at_p90"]) == pytest.approx((3600, 4400))
    # P10 / P90 of m are 0.9 / 1.1: 2000 (0.9 + 1.0) = 3800, 2000 (1.1 + 1.0) = 4200
    assert (rows["m"]["cost_at_p10"], rows["m"]["cost_at_p90"]) == pytest.approx((3800, 4200))


def test_the_larger_share_ranks_first() -> None:
    m = [0.9, 1.0, 1.1] * 3
    k = [0.8] * 3 + [1.0] * 3 + [1.2] * 3
    sens = sensitivity(PLAN, company_draws(m=m, k=k), ROSTER)
    assert list(sens["metric"]) == ["k", "m"]
    assert list(sens["name"]) == ["Adopted within 90 days", "Go-lives on time"]
    assert set(sens["scope"]) == {"company"}


def test_a_cost_that_never_varies_gives_every_metric_share_zero() -> None:
    sens = sensitivity(PLAN, company_draws(m=[1.0] * 5, k=[0.8] * 5), ROSTER)
    assert sens["variance_share"].tolist() == [0.0, 0.0]
    # 2000 (1.0 + 0.8) = 3600 whatever is frozen
    assert sens["cost_at_p10"].tolist() == pytest.approx([3600, 3600])


def test_max_trials_prices_only_the_first_trials() -> None:
    # the first 3 trials have k = 0.8 (constant); the rest would make k vary
    m = [0.9, 1.0, 1.1] * 3
    k = [0.8] * 3 + [1.0] * 3 + [1.2] * 3
    sens = sensitivity(PLAN, company_draws(m=m, k=k), ROSTER, max_trials=3)
    rows = by_metric(sens)
    assert rows["m"]["variance_share"] == pytest.approx(1.0) and rows["k"]["variance_share"] == 0.0
    # expected over those trials: 2000 (mean m 1.0 + 0.8) = 3600
    assert sens.attrs["expected"] == pytest.approx(3600)


def _reprice_with(ctxs: Any, draws: MetricDraws, override: dict[str, np.ndarray]) -> np.ndarray:
    """The plain way: replace a metric's draws by a constant array and price every chunk again."""
    parts = []
    for start, vals in draws.chunks():
        for mid, full in override.items():
            vals[mid] = full[start:start + draws.chunk_trials]
        parts.append(org_cost_chunk(ctxs, vals))
    return np.concatenate(parts)


@pytest.mark.parametrize("src", ["cs_org_quarterly.json", "cs_ops_enablement.json", "accelerators.json", "mix",
                                 "org"])
def test_recombined_re_pricing_equals_pricing_the_held_draws_bit_for_bit(src: str) -> None:
    """rank_metrics evaluates the curves once and recombines: the same numbers as pricing each held value."""
    if src == "mix":
        scn = compcore.load_scenario(cases()["mix-30k"][0])
    elif src == "org":
        scn = compcore.load_scenario(org_scenario())
    else:
        scn = compcore.load_scenario(ROOT / "sample_data/scenarios" / src)
    draws = compcore.draw_metrics(scn, trials=CHUNK_TRIALS + 3_000, seed=5)  # two chunks, several slices
    ctxs = plan_contexts(scn.plans, list(scn.roster), draws.team_index, len(draws.teams))
    metrics = list(shared_metrics(scn.plans).values())
    table = rank_metrics(ctxs, metrics, draws, max_trials=draws.trials).set_index("metric")
    base = _reprice_with(ctxs, draws, {})
    assert table.attrs["expected"] == float(base.mean())
    for m in metrics:
        v = draws.values[m.id]
        p10, p50, p90 = (float(x) for x in np.quantile(v, [0.10, 0.50, 0.90]))
        frozen = _reprice_with(ctxs, draws, {m.id: np.broadcast_to(p50, v.shape)})
        share = min(1.0, max(0.0, 1.0 - float(frozen.var()) / float(base.var()))) if base.var() > 0 else 0.0
        assert table.loc[m.id, "variance_share"] == share
        for q, col in ((p10, "cost_at_p10"), (p90, "cost_at_p90")):
            assert table.loc[m.id, col] == float(_reprice_with(ctxs, draws, {m.id: np.broadcast_to(q, v.shape)}).mean())
