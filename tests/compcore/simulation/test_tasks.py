"""Chunk tasks on an executor: cheap to name for Dask, a few per worker, the same list back as one process."""

from __future__ import annotations

from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from compcore.simulation.draws import CHUNK_TRIALS, run_chunks
from compcore.simulation.simulate import simulate
from compcore.simulation.tasks import (
    TASKS_PER_WORKER,
    Task,
    direct_client,
    executor_workers,
    on_this_machine,
    run_task,
    task_runs,
)
from compcore.simulation.year import simulate_year

tokenize = pytest.importorskip("dask.base").tokenize

QUARTERLY = "sample_data/scenarios/cs_org_quarterly.json"


class Heavy:
    """Stands for a draw spec: counts how often it is pickled."""

    pickled = 0

    def __reduce__(self):  # noqa: ANN204
        Heavy.pickled += 1
        return (Heavy, ())


class NamingExecutor(Executor):
    """Names each task the way ``distributed.Client.submit`` does (pure: a hash of function and arguments)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.sizes: list[int] = []

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN204
        self.keys.append(tokenize(fn, kwargs, *args))
        self.sizes.extend(len(a.args[1]) for a in args if isinstance(a, Task))
        fut: Future = Future()
        fut.set_result(fn(*args, **kwargs))
        return fut


class TwoWorkers(NamingExecutor):
    """A naming executor that says it has 2 workers, as a process pool does."""

    _max_workers = 2


class DaskLikeExecutor(NamingExecutor):
    """Says how many workers it has the way a Dask ``Client.get_executor()`` does: through its client."""

    def __init__(self, nthreads: dict[str, int] | Exception) -> None:
        super().__init__()
        answer = nthreads

        class Client:
            def nthreads(self) -> dict[str, int]:
                if isinstance(answer, Exception):
                    raise answer
                return answer

        self._client = Client()


def test_naming_a_task_does_not_pickle_its_arguments_and_every_task_gets_its_own_name() -> None:
    Heavy.pickled = 0
    ex = NamingExecutor()
    heavy = Heavy()
    out = run_chunks(lambda h, i: i * 2, [(heavy, i) for i in range(5)], ex, None)
    assert out == [0, 2, 4, 6, 8]
    assert Heavy.pickled == 0  # before: Dask's tokenize pickled the spec of every task
    assert len(set(ex.keys)) == 5


def test_a_task_runs_its_function_and_keeps_its_name() -> None:
    task = Task(divmod, (17, 5))
    assert run_task(task) == (3, 2)
    assert tokenize(task) == tokenize(task) != tokenize(Task(divmod, (17, 5)))


def test_simulate_through_a_naming_executor_is_identical_bit_for_bit() -> None:
    alone = simulate(QUARTERLY, trials=45_000, seed=4)
    named = simulate(QUARTERLY, trials=45_000, seed=4, executor=NamingExecutor())
    np.testing.assert_array_equal(named.cost, alone.cost)
    np.testing.assert_array_equal(named.payout_pct, alone.payout_pct)
    assert named.fairness.equals(alone.fairness)


# --- a few tasks per worker ------------------------------------------------------------------------

def test_jobs_are_shared_into_four_tasks_per_worker_longest_first_each_job_once_in_order() -> None:
    # 50 chunks of 1,000,000 trials on 2 workers: 8 tasks (was 50), sizes within one job of each other
    runs = task_runs(50, 2)
    assert len(runs) == 2 * TASKS_PER_WORKER == 8
    assert [len(r) for r in runs] == [7, 7, 6, 6, 6, 6, 6, 6]  # 7 + 7 + 6 * 6 = 50
    assert [i for r in runs for i in r] == list(range(50))
    # fewer jobs than 4 per worker: one job a task, as before
    assert task_runs(3, 2) == [range(0, 1), range(1, 2), range(2, 3)]
    assert task_runs(9, 1) == [range(0, 3), range(3, 5), range(5, 7), range(7, 9)]
    # an executor that does not say how many workers it has: one job a task
    assert task_runs(50, None) == [range(i, i + 1) for i in range(50)]
    assert task_runs(0, 2) == []


def test_how_many_workers_an_executor_has() -> None:
    with ThreadPoolExecutor(3) as threads, ProcessPoolExecutor(2) as processes:
        assert executor_workers(threads) == 3
        assert executor_workers(processes) == 2
    assert executor_workers(NamingExecutor()) is None  # says nothing
    assert executor_workers(DaskLikeExecutor({"tcp://a:1": 1, "tcp://b:2": 2})) == 3
    assert executor_workers(DaskLikeExecutor({})) is None  # a cluster scaled to zero for now
    assert executor_workers(DaskLikeExecutor(OSError("scheduler gone"))) is None


def test_results_come_straight_from_workers_only_when_every_worker_is_on_this_machines_loopback() -> None:
    assert on_this_machine("tcp://127.0.0.1:40123") and on_this_machine("tcp://127.0.0.2:1")
    assert on_this_machine("tcp://[::1]:8786") and on_this_machine("tls://localhost:8786")
    for elsewhere in ("tcp://10.0.0.7:40123", "tcp://scheduler:8786", "inproc://10.0.0.7/1/2", "not an address"):
        assert not on_this_machine(elsewhere)
    local = DaskLikeExecutor({"tcp://127.0.0.1:1": 1, "tcp://127.0.0.1:2": 1})
    assert direct_client(local) is local._client
    # one remote worker is enough to keep Dask's own path (the client may not reach it)
    assert direct_client(DaskLikeExecutor({"tcp://127.0.0.1:1": 1, "tcp://10.0.0.7:2": 1})) is None
    assert direct_client(DaskLikeExecutor({})) is None
    assert direct_client(DaskLikeExecutor(OSError("scheduler gone"))) is None
    assert direct_client(TwoWorkers()) is None  # not Dask


def test_several_jobs_a_task_give_the_same_list_in_order_and_progress_per_task() -> None:
    ex = TwoWorkers()
    seen: list[float] = []
    out = run_chunks(lambda i: i * i, [(i,) for i in range(20)], ex, seen.append)
    assert out == [i * i for i in range(20)]
    assert ex.sizes == [3, 3, 3, 3, 2, 2, 2, 2]  # 8 tasks of 20 jobs
    assert seen == pytest.approx([3 / 20, 6 / 20, 9 / 20, 12 / 20, 14 / 20, 16 / 20, 18 / 20, 1.0])


def test_simulate_and_its_year_in_tasks_of_several_chunks_are_identical_bit_for_bit() -> None:
    trials = 9 * CHUNK_TRIALS - 500  # 9 chunks, the last one short: 4 tasks of 3, 2, 2, 2 chunks on one worker
    alone = simulate(QUARTERLY, trials=trials, seed=6)
    year = simulate_year(QUARTERLY, trials=trials, seed=6)
    with ThreadPoolExecutor(1) as pool:
        pooled = simulate(QUARTERLY, trials=trials, seed=6, executor=pool)
        pooled_year = simulate_year(QUARTERLY, trials=trials, seed=6, executor=pool)
    np.testing.assert_array_equal(pooled.cost, alone.cost)
    np.testing.assert_array_equal(pooled.payout_pct, alone.payout_pct)
    assert pooled.fairness.equals(alone.fairness)
    assert pooled.cost_by_team.equals(alone.cost_by_team)
    assert pooled.share_above_target == alone.share_above_target
    np.testing.assert_array_equal(pooled_year.paid, year.paid)
    assert pooled_year.fairness.equals(year.fairness)
