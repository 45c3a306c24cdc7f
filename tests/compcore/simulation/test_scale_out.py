"""Scale: wide rosters in bounded chunks; a real Dask LocalCluster gives the identical result, and Dask's
worker allocator setting is undone.

Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536`` (and leaves
it in the starting process's ``os.environ``); glibc then maps every array of
128 KiB or more fresh and numpy page-faults on each touch. compcore's chunks
call :func:`compcore.simulation.allocator.tune_allocator` to undo that.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
import tracemalloc
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import compcore
from compcore.simulation import simulate as simulate_module
from compcore.simulation.allocator import tune_allocator
from compcore.simulation.draws import (
    CHUNK_ELEMENTS,
    CHUNK_MAX_VALUES,
    CHUNK_TRIALS,
    chunk_groups,
    chunk_trials,
    draw_spec,
    rows_per_chunk,
    values_per_trial,
)
from compcore.simulation.simulate import PAYOUT_SAMPLE, simulate
from compcore.simulation.tasks import direct_client, executor_workers
from compcore.simulation.year import simulate_year

ROOT = Path(__file__).resolve().parents[3]
QUARTERLY = ROOT / "sample_data/scenarios/cs_org_quarterly.json"

FAULTS = textwrap.dedent("""
    import resource, sys
    import numpy as np
    from compcore.simulation.allocator import tune_allocator

    def faults_of_a_chunk_loop():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(200):
            a = np.ones(2**17)  # 1 MiB, made and freed like a sub-block's arrays
            a += 1.0
            del a
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    untuned = faults_of_a_chunk_loop()
    tuned = tune_allocator()
    print(untuned, faults_of_a_chunk_loop(), tuned)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc settings")
def test_a_worker_started_with_dasks_malloc_setting_stops_page_faulting_once_tuned() -> None:
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", FAULTS], env=env, capture_output=True, text=True, check=True)
    untuned, tuned, applied = out.stdout.split()
    assert applied == "True"
    # 200 fresh mappings of 256 pages each fault ~51,000 times; reused heap memory almost never does
    assert int(untuned) > 200 * 200
    assert int(tuned) < int(untuned) / 20


def test_without_such_a_setting_the_allocator_is_left_alone() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | {"PYTHONPATH": str(ROOT)}
    code = "from compcore.simulation.allocator import tune_allocator; print(tune_allocator())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


class MapOnly(Executor):
    """A Dask executor seen only through ``map``, with 2 workers: tasks of several chunks, results via the scheduler."""

    _max_workers = 2

    def __init__(self, inner: Executor) -> None:
        self.inner = inner

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN204
        return self.inner.submit(fn, *args, **kwargs)

    def map(self, fn, *iterables, **kwargs):  # noqa: ANN001, ANN204
        return self.inner.map(fn, *iterables, **kwargs)


def test_a_dask_local_cluster_gives_the_identical_result_and_a_later_process_pool_too() -> None:
    distributed = pytest.importorskip("dask.distributed")
    dask = pytest.importorskip("dask")
    before = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    trials = 10 * CHUNK_TRIALS - 700  # ten chunks, the last one short: 8 tasks on 2 workers, two of 2 chunks
    alone = simulate(QUARTERLY, trials=trials, seed=3)
    year = simulate_year(QUARTERLY, trials=trials, seed=3)
    try:
        # a busy CI machine can take longer than Dask's default 30 s to start a worker process
        with dask.config.set({"distributed.comm.timeouts.connect": "180s"}), \
                distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                         dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            executor = client.get_executor()
            assert executor_workers(executor) == 2  # read from the client: tasks of several chunks
            assert direct_client(executor) is client  # workers on 127.0.0.1: results gathered straight from them
            on_dask = simulate(QUARTERLY, trials=trials, seed=3, executor=executor)
            year_on_dask = simulate_year(QUARTERLY, trials=trials, seed=3, executor=executor)
            via_scheduler = simulate(QUARTERLY, trials=trials, seed=3, executor=MapOnly(executor))
            tuned = client.run(tune_allocator)  # in each worker: already run by its chunks
        assert set(tuned.values()) == {True}  # the workers had Dask's setting, and compcore undid it
        with ProcessPoolExecutor(2) as pool:  # started after the cluster: inherits what Dask left in os.environ
            on_pool = simulate(QUARTERLY, trials=trials, seed=3, executor=pool)
    finally:
        if before is None:
            os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # Dask's nanny leaves it set; don't leak it to other tests
    for other in (on_dask, on_pool, via_scheduler):
        np.testing.assert_array_equal(other.cost, alone.cost)
        assert other.percentiles == alone.percentiles
        assert other.share_above_target == alone.share_above_target
        np.testing.assert_array_equal(other.payout_pct, alone.payout_pct)
        assert other.cost_by_team.equals(alone.cost_by_team)
        assert other.fairness.equals(alone.fairness)
    np.testing.assert_array_equal(year_on_dask.paid, year.paid)
    assert year_on_dask.fairness.equals(year.fairness)


def wide(people: int, metrics: int = 4) -> dict:
    """``people`` in 10 teams on individual-scope normal metrics through a tiers curve."""
    ids = [f"m{i}" for i in range(metrics)]
    return {
        "schema": "compcore.scenario/v1",
        "plan": {"name": "wide", "period": "quarter", "target_incentive": {"amount": 1000},
                 "metrics": [{"id": m, "name": m, "target": 1.0} for m in ids],
                 "components": [{"id": m, "metric": m, "weight": 1 / metrics, "curve": {
                     "kind": "tiers", "bands": [{"from": 0, "rate": 1}, {"from": 1, "rate": 2}]}} for m in ids]},
        "roster": [{"team": f"T{t}", "role": "CSM", "headcount": people // 10, "base_salary": 90000}
                   for t in range(10)],
        "assumptions": {m: {"dist": "normal", "mean": 1.0, "sd": 0.1} for m in ids},
    }


def test_a_wide_roster_draws_short_chunks_of_bounded_size() -> None:
    scn = compcore.load_scenario(wide(1_000))
    spec = draw_spec(scn)
    assert values_per_trial(spec) == 4_000
    assert chunk_trials(spec) == CHUNK_ELEMENTS // 4_000 == 1_000  # 1,000,000 values of one metric a chunk
    small = compcore.load_scenario(wide(50))
    assert chunk_trials(draw_spec(small)) == CHUNK_TRIALS  # 50 people keep 20,000-trial chunks
    # the roster alone sets the chunks: more or fewer metrics keep them (and every other metric's numbers)
    assert chunk_trials(draw_spec(compcore.load_scenario(wide(1_000, metrics=9)))) == 1_000
    assert chunk_trials(draw_spec(compcore.load_scenario(wide(1_000, metrics=1)))) == 1_000
    # past 32 metrics of the widest scope, the chunk shrinks so that all its draws stay bounded
    many = dataclasses.replace(spec, scopes=("individual",) * 40)  # an org of two plans of 20 metrics each
    assert chunk_trials(many) == CHUNK_MAX_VALUES // 40_000 == 800
    # 25 chunks of 1,000 trials run as two tasks (20 + 5 chunks): about 20,000 trials each
    assert [len(g) for g in chunk_groups(25, 1_000)] == [20, 5]


def test_a_wide_roster_gives_the_identical_result_on_any_executor_and_from_cached_draws() -> None:
    scn = compcore.load_scenario(wide(1_000))
    trials = 25_500  # 26 chunks of <= 1,000 trials, two tasks
    alone = simulate(scn, trials=trials, seed=9)
    with ThreadPoolExecutor(3) as pool:
        pooled = simulate(scn, trials=trials, seed=9, executor=pool)
    cached = compcore.price_scenario(scn, compcore.draw_metrics(scn, trials=trials, seed=9))
    for other in (pooled, cached):
        np.testing.assert_array_equal(other.cost, alone.cost)
        np.testing.assert_array_equal(other.payout_pct, alone.payout_pct)
        assert other.cost_by_team.equals(alone.cost_by_team)
        assert other.share_zero == alone.share_zero
        assert other.fairness.equals(alone.fairness)
    assert len(alone.payout_pct) == PAYOUT_SAMPLE


def test_kept_rows_stay_bounded_when_one_row_per_chunk_is_already_too_many() -> None:
    # 100,000 units in 2,000 chunks: one row each would be 2e8 values; only the first chunks keep one
    rows = rows_per_chunk(4_000_000, 100_000, 2_000)
    assert sum(rows) * 100_000 == 4_000_000 and rows[:40] == [1] * 40 and set(rows[40:]) == {0}
    # the usual case is unchanged: every chunk keeps the same first rows, a little over the limit in all
    assert rows_per_chunk(200_000, 50, 50) == [80] * 50


def test_peak_memory_of_a_wide_roster_stays_near_one_chunk() -> None:
    scn = compcore.load_scenario(wide(2_000))  # 8,000 values a trial: 500-trial chunks
    tracemalloc.start()
    try:
        simulate(scn, trials=5_000, seed=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # one 5,000-trial chunk of 8,000 values would be 320 MB per copy; 500-trial chunks are 32 MB
    assert peak < 200 * 2**20


def test_when_only_the_first_chunks_keep_sample_rows_the_result_is_still_identical(monkeypatch) -> None:
    # 1,000 people in 26 chunks: one row per chunk would be 26,000 payouts, over a 5,000 sample
    monkeypatch.setattr(simulate_module, "PAYOUT_SAMPLE", 5_000)
    scn = compcore.load_scenario(wide(1_000))
    alone = simulate(scn, trials=25_500, seed=2)
    with ThreadPoolExecutor(2) as pool:
        pooled = simulate(scn, trials=25_500, seed=2, executor=pool)
    cached = compcore.price_scenario(scn, compcore.draw_metrics(scn, trials=25_500, seed=2))
    assert len(alone.payout_pct) == 5_000
    for other in (pooled, cached):
        np.testing.assert_array_equal(other.cost, alone.cost)
        np.testing.assert_array_equal(other.payout_pct, alone.payout_pct)
