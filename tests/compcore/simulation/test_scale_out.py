"""Scale-out: a real Dask LocalCluster gives the identical result, and Dask's worker allocator setting is undone.

Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536`` (and leaves
it in the starting process's ``os.environ``); glibc then maps every array of
128 KiB or more fresh and numpy page-faults on each touch. compcore's chunks
call :func:`compcore.simulation.allocator.tune_allocator` to undo that.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from compcore.simulation.allocator import tune_allocator
from compcore.simulation.simulate import simulate

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


def test_a_dask_local_cluster_gives_the_identical_result_and_a_later_process_pool_too() -> None:
    distributed = pytest.importorskip("dask.distributed")
    before = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    alone = simulate(QUARTERLY, trials=45_000, seed=3)  # three chunks, the last one short
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            on_dask = simulate(QUARTERLY, trials=45_000, seed=3, executor=client.get_executor())
            tuned = client.run(tune_allocator)  # in each worker: already run by its chunks
        assert set(tuned.values()) == {True}  # the workers had Dask's setting, and compcore undid it
        with ProcessPoolExecutor(2) as pool:  # started after the cluster: inherits what Dask left in os.environ
            on_pool = simulate(QUARTERLY, trials=45_000, seed=3, executor=pool)
    finally:
        if before is None:
            os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # Dask's nanny leaves it set; don't leak it to other tests
    for other in (on_dask, on_pool):
        np.testing.assert_array_equal(other.cost, alone.cost)
        assert other.percentiles == alone.percentiles
        assert other.share_above_target == alone.share_above_target
        np.testing.assert_array_equal(other.payout_pct, alone.payout_pct)
        assert other.cost_by_team.equals(alone.cost_by_team)

