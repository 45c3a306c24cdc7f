"""Chunk tasks on an executor: Dask names them without pickling and hashing the draw spec once per task."""

from __future__ import annotations

from concurrent.futures import Executor, Future

import numpy as np
import pytest

from compcore.simulation.draws import run_chunks
from compcore.simulation.simulate import simulate
from compcore.simulation.tasks import Task, run_task

tokenize = pytest.importorskip("dask.base").tokenize


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

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN204
        self.keys.append(tokenize(fn, kwargs, *args))
        fut: Future = Future()
        fut.set_result(fn(*args, **kwargs))
        return fut


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
    scn = "sample_data/scenarios/cs_org_quarterly.json"
    alone = simulate(scn, trials=45_000, seed=4)
    named = simulate(scn, trials=45_000, seed=4, executor=NamingExecutor())
    np.testing.assert_array_equal(named.cost, alone.cost)
    np.testing.assert_array_equal(named.payout_pct, alone.payout_pct)
    assert named.fairness.equals(alone.fairness)
