"""One chunk task as an executor sees it: cheap to name, so a Dask client does not hash the draw spec per task.

``Client.get_executor().submit(fn, *args)`` names each task by hashing its
arguments (``dask.base.tokenize``, since Dask executors are ``pure`` by default).
A task's arguments are the draw spec and pricing contexts, which Dask cannot
hash directly, so it pickles and hashes them once per task: about 7 ms of the
submitting process's time for each of the 50 tasks of 1,000,000 trials, spent
before the task reaches a worker (measured on the sample org; a process pool
pays nothing of the kind). :class:`Task` carries its own random name
(``__dask_tokenize__``): every task differs by its seeds anyway, so nothing
could be shared between them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Task", "run_task"]


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
