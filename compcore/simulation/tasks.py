"""Chunk tasks on an executor: a few per worker, cheap to name, results identical to one process.

:func:`run_chunks` runs a list of jobs (a chunk group each, see
:func:`compcore.simulation.draws.chunk_groups`) on any ``concurrent.futures.Executor``
and returns exactly ``[fn(*job) for job in jobs]``, so how jobs are shared out can never
change a result bit.

What a task costs besides its work (measured on the sample org, 1,000,000 trials, a Dask
``LocalCluster(n_workers=2)`` with Dask's defaults, ``benchmarks/bench_scale_out.py``):

- Naming. ``Client.get_executor().submit(fn, *args)`` names each task by hashing its
  arguments (``dask.base.tokenize``, since Dask executors are ``pure`` by default): it
  pickles and hashes the draw spec and pricing contexts, about 7 ms of the submitting
  process per task. :class:`Task` carries its own random name (``__dask_tokenize__``):
  every task differs by its seeds anyway, so nothing could be shared between them.
- Scheduling. Each Dask task passes through the scheduler and the client's event loop
  (in the submitting process, beside the workers on the same cores) and the worker's
  event loop: about 8 ms of CPU per task in all, 0.4 s for 50 tasks of one chunk
  each, 12% on top of the 3.3 s of work, where a process pool spends almost nothing.
  :func:`task_runs` therefore gives each worker a few tasks of several jobs (when the
  executor says how many workers it has, :func:`executor_workers`), all submitted at once.
- Results. A Dask client fetches results through the scheduler, which speaks pickle
  protocol 4 to everyone, so the worker pickles a result in-band (a copy, then a scan of
  the bytes for ``__main__``), the scheduler receives and forwards it, the client unpickles
  it: about 40 MB per 1,000,000 trials (three quarters of it the fairness rows), 0.1 s of
  CPU. When every worker is on this machine's loopback (:func:`direct_client`, a
  ``LocalCluster``), results are gathered ``direct=True``: one hop, arrays out of band.
  Elsewhere Dask's own path is kept, since a client may not reach remote workers.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["TASKS_PER_WORKER", "Task", "direct_client", "executor_workers", "on_this_machine", "run_chunks", "run_jobs",
           "run_task", "task_runs"]

#: tasks per worker: few enough that Dask's per-task cost is a few % of the work, enough that a worker
#: finishing early takes over a short task instead of waiting for a long one
TASKS_PER_WORKER = 4


@dataclass(frozen=True, eq=False)
class Task:
    """``fn(*args)`` to run on any executor; Dask names it by :attr:`token` instead of hashing ``args``.

    Examples
    --------
    >>> run_task(Task(pow, (2, 10)))
    1024
    """

    fn: Callable[..., object]
    args: tuple[object, ...]
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __dask_tokenize__(self) -> str:
        return self.token


def run_task(task: Task) -> object:
    """Run one task (a module-level function, so any executor pickles it by name)."""
    return task.fn(*task.args)


def run_jobs(fn: Callable[..., object], jobs: list[tuple[object, ...]]) -> list[object]:
    """``[fn(*job) for job in jobs]``: one task's jobs, in order.

    Examples
    --------
    >>> run_jobs(divmod, [(7, 2), (9, 4)])
    [(3, 1), (2, 1)]
    """
    return [fn(*job) for job in jobs]


def _dask_client(executor: Executor) -> Any | None:
    """The client of a Dask ``Client.get_executor()`` (kept as ``_client``), None for any other executor."""
    client = getattr(executor, "_client", None)
    return client if callable(getattr(client, "nthreads", None)) else None


def _dask_threads(client: Any) -> dict[str, int]:
    """``{worker address: threads}`` of a Dask client's cluster; empty if it cannot tell."""
    try:
        return {str(a): int(n) for a, n in client.nthreads().items()}
    except Exception:  # noqa: BLE001 - a client that cannot answer is just an executor that does not tell
        return {}


def executor_workers(executor: Executor) -> int | None:
    """How many tasks ``executor`` runs at once, if it tells: None for an executor that does not.

    A ``concurrent.futures`` pool (and loky's) keeps its ``max_workers`` as ``_max_workers``; a
    Dask ``Client.get_executor()`` keeps its client as ``_client``, whose ``nthreads()`` are the
    threads of every worker. Anything else (or a Dask cluster with no worker yet) gives None.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(3) as pool:
    ...     executor_workers(pool)
    3
    """
    n = getattr(executor, "_max_workers", None)
    if isinstance(n, int) and not isinstance(n, bool):
        return n if n > 0 else None
    client = _dask_client(executor)
    total = sum(_dask_threads(client).values()) if client is not None else 0
    return total if total > 0 else None


def on_this_machine(address: str) -> bool:
    """True for a worker address on a loopback interface (``tcp://127.0.0.1:40123``): certainly reachable here.

    Examples
    --------
    >>> on_this_machine("tcp://127.0.0.1:40123"), on_this_machine("tcp://[::1]:8786")
    (True, True)
    >>> on_this_machine("tcp://10.0.0.7:40123"), on_this_machine("inproc://10.0.0.7/1/2")
    (False, False)
    """
    parts = urlsplit(address)
    if parts.scheme not in ("tcp", "tls", "ucx", "ws", "wss"):
        return False
    host = parts.hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def direct_client(executor: Executor) -> Any | None:
    """A Dask executor's client when every worker listens on this machine's loopback (a ``LocalCluster``), else None.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as pool:
    ...     direct_client(pool) is None
    True
    """
    client = _dask_client(executor)
    if client is None:
        return None
    workers = _dask_threads(client)
    return client if workers and all(on_this_machine(a) for a in workers) else None


def task_runs(n_jobs: int, workers: int | None) -> list[range]:
    """Consecutive jobs of each task: :data:`TASKS_PER_WORKER` per worker, sizes within one job, longest first.

    With ``workers`` unknown (None) every job is its own task.

    Examples
    --------
    >>> [len(r) for r in task_runs(50, 2)]  # 8 tasks: a worker runs 4, 25 jobs each when they alternate
    [7, 7, 6, 6, 6, 6, 6, 6]
    >>> task_runs(3, 2)
    [range(0, 1), range(1, 2), range(2, 3)]
    >>> len(task_runs(50, None))
    50
    """
    if n_jobs <= 0:
        return []
    tasks = n_jobs if workers is None else min(n_jobs, max(1, workers) * TASKS_PER_WORKER)
    size, longer = divmod(n_jobs, tasks)
    out, start = [], 0
    for i in range(tasks):
        stop = start + size + (i < longer)
        out.append(range(start, stop))
        start = stop
    return out


def run_chunks(fn: Callable[..., object], jobs: list[tuple[object, ...]], executor: Executor | None,
               progress: Callable[[float], None] | None) -> list[object]:
    """``[fn(*job) for job in jobs]``, on ``executor`` if given, reporting progress after each task.

    On an executor the jobs go out as :func:`task_runs` tasks, all submitted at once (``executor.map``,
    or straight to a local Dask cluster, :func:`_results`); the list returned is the same, in the same
    order, whatever the executor and its workers.
    """
    out: list[object] = []
    if executor is None:
        for i, job in enumerate(jobs):
            out.append(fn(*job))
            if progress is not None:
                progress((i + 1) / len(jobs))
        return out
    runs = task_runs(len(jobs), executor_workers(executor))
    tasks = [Task(run_jobs, (fn, [jobs[i] for i in r])) for r in runs]
    for r, part in zip(runs, _results(executor, tasks), strict=True):
        out.extend(part)  # type: ignore[call-overload]
        if progress is not None:
            progress(r.stop / len(jobs))
    return out


def _results(executor: Executor, tasks: list[Task]) -> Iterator[object]:
    """Each task's result in order: ``executor.map``, or straight from a local Dask cluster's workers.

    A Dask client fetches results through the scheduler unless told otherwise, and the scheduler talks
    pickle protocol 4 to everyone: each worker pickles its result in-band (a copy, then a scan of the
    bytes for ``__main__``), the scheduler receives and forwards it, the client unpickles it. When every
    worker is on this machine's loopback, gathering ``direct=True`` is certainly possible and takes the
    results from the workers in one hop, numpy arrays out of band. Elsewhere (a remote cluster, where the
    client may not reach the workers) Dask's own path is kept.
    """
    client = direct_client(executor)
    if client is None:
        yield from executor.map(run_task, tasks)
        return
    futures = client.map(run_task, tasks, **{"pure": False, **getattr(executor, "_kwargs", {})})
    for fut in futures:
        yield client.gather(fut, direct=True)
