"""Scale-out: one process, a process pool of 2 and Dask ``LocalCluster(n_workers=2)`` (Dask's defaults), side by side.

Run from the repository root::

    python benchmarks/bench_scale_out.py [--trials 1000000] [--runs 3] [--year-trials 100000]

Wall times are interleaved (one process, pool, Dask, one process, ...), medians of ``--runs`` rounds, printed as
ratios to one process with the load average beside them: on a shared machine parallel speed-ups are capped by the
CPU the scheduler gives this process group, so compare Dask against the pool of the same run.

What Dask adds per task is also measured in ways that do not depend on the load: the pickled size of a task and
of its result, the time the submitting process spends naming a task (Dask hashes a task's arguments unless they
name themselves, :mod:`compcore.simulation.tasks`), and, inside each worker, the task's own CPU time
(``time.thread_time``), its wall time, minor page faults and context switches (``resource.getrusage`` of the
task's thread). Results are asserted identical to one process.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compcore.simulation import simulate as sim_module  # noqa: E402
from compcore.simulation.simulate import simulate  # noqa: E402
from compcore.simulation.tasks import Task, run_task  # noqa: E402
from compcore.simulation.year import simulate_year  # noqa: E402

SAMPLE = ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json"


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def measured(task: Task) -> tuple[object, tuple[float, float, int, int, int]]:
    """Run a task in a worker: (result, (wall s, own CPU s, minor faults, voluntary, involuntary switches))."""
    r0, t0, c0 = resource.getrusage(resource.RUSAGE_THREAD), time.perf_counter(), time.thread_time()
    out = run_task(task)
    t1, c1, r1 = time.perf_counter(), time.thread_time(), resource.getrusage(resource.RUSAGE_THREAD)
    return out, (t1 - t0, c1 - c0, r1.ru_minflt - r0.ru_minflt, r1.ru_nvcsw - r0.ru_nvcsw,
                 r1.ru_nivcsw - r0.ru_nivcsw)


def per_task(executor: Executor, tasks: list[Task]) -> dict[str, float]:
    start = time.perf_counter()
    outs = [f.result() for f in [executor.submit(measured, t) for t in tasks]]
    wall = time.perf_counter() - start
    st = [o[1] for o in outs]
    return {"wall": wall, "in task": sum(s[0] for s in st), "task cpu": sum(s[1] for s in st),
            "faults": statistics.median(s[2] for s in st), "vcsw": statistics.median(s[3] for s in st),
            "ivcsw": statistics.median(s[4] for s in st)}


def interleaved(fns: dict[str, Callable[[], Any]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def report(title: str, t: dict[str, float]) -> None:
    print(f"\n{title}; {load()}")
    for name, secs in t.items():
        vs_pool = "" if name != "dask LocalCluster" else f"  = {t['process pool'] / secs:5.1%} of the pool's speed"
        print(f"   {name:<18} {secs:7.2f} s  {t['one process'] / secs:5.2f}x one process{vs_pool}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--year-trials", type=int, default=100_000, help="years for simulate_year (0: skip)")
    parser.add_argument("--runs", type=int, default=3, help="interleaved rounds (median reported)")
    args = parser.parse_args()
    from dask.base import tokenize
    from dask.distributed import Client, LocalCluster  # pip install -e '.[dask]'

    run = sim_module._prepare(SAMPLE, args.trials, 1)
    jobs = [(run.spec, run.ctxs, run.group(g)) for g in run.groups()]
    tasks = [Task(sim_module._simulate_group, job) for job in jobs]
    start = time.perf_counter()
    bare = [tokenize(sim_module._simulate_group, *job) for job in jobs]
    t_bare = (time.perf_counter() - start) / len(jobs)
    start = time.perf_counter()
    named = [tokenize(run_task, t) for t in tasks]
    t_named = (time.perf_counter() - start) / len(jobs)
    assert len(set(bare)) == len(set(named)) == len(jobs)
    result = sim_module._simulate_group(*jobs[0])
    print(f"sample org, {args.trials:,} trials in {len(jobs)} tasks; {load()}")
    print(f"   a task pickled: {len(pickle.dumps(tasks[0])):,} bytes (draw spec {len(pickle.dumps(run.spec)):,},"
          f" contexts {len(pickle.dumps(run.ctxs)):,}); its result: {len(pickle.dumps(result)):,} bytes"
          f" ({sum(len(pickle.dumps(s.kept)) for s in result.values()):,} of them the fairness rows)")
    print(f"   Dask naming a task in the submitting process: {t_bare * 1e3:.2f} ms hashing its arguments,"
          f" {t_named * 1e3:.3f} ms as a compcore Task")

    ref, ref_year = simulate(SAMPLE, args.trials, seed=1), None
    if args.year_trials:
        ref_year = simulate_year(SAMPLE, args.year_trials, seed=1)
    with ProcessPoolExecutor(2) as pool, LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
        executors: dict[str, Executor | None] = {"one process": None, "process pool": pool,
                                                 "dask LocalCluster": client.get_executor()}
        for ex in executors.values():  # warm up (workers started, imports done) and results identical
            np.testing.assert_array_equal(simulate(SAMPLE, args.trials, seed=1, executor=ex).cost, ref.cost)
            if ref_year is not None:
                np.testing.assert_array_equal(simulate_year(SAMPLE, args.year_trials, seed=1, executor=ex).cost,
                                              ref_year.cost)
        print("\nper task, inside the workers (medians of faults and switches; sums of seconds over tasks):")
        for name in ("process pool", "dask LocalCluster"):
            m = per_task(executors[name], tasks)  # type: ignore[arg-type]
            print(f"   {name:<18} wall {m['wall']:5.2f} s  in tasks {m['in task']:6.2f} s"
                  f"  task CPU {m['task cpu']:5.2f} s  minor faults {m['faults']:6.0f}"
                  f"  switches {m['vcsw']:.0f} voluntary, {m['ivcsw']:.0f} involuntary")
        t = interleaved({k: (lambda ex=ex: simulate(SAMPLE, args.trials, seed=1, executor=ex))
                         for k, ex in executors.items()}, args.runs)
        report(f"simulate, {args.trials:,} trials, 2 workers, medians of {args.runs} interleaved rounds"
               " (identical cost asserted)", t)
        if args.year_trials:
            t = interleaved({k: (lambda ex=ex: simulate_year(SAMPLE, args.year_trials, seed=1, executor=ex))
                             for k, ex in executors.items()}, args.runs)
            report(f"simulate_year, {args.year_trials:,} years, medians of {args.runs} interleaved rounds"
                   " (identical cost asserted)", t)
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # what Dask's nanny leaves behind
    return 0


if __name__ == "__main__":
    sys.exit(main())
