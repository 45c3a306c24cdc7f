"""Scale-out: one process, a process pool of 2 and Dask ``LocalCluster(n_workers=2)`` (Dask's defaults), side by side.

Run from the repository root::

    python benchmarks/bench_scale_out.py [--trials 1000000] [--year-trials 200000] [--runs 5]

Scenarios: the app's default (the seed-001 org on four plans, ``cs_org_teams``) and the same org on one plan
(``cs_org_quarterly``); ``--scenario`` picks one. Wall times are interleaved (one process, pool, Dask, one process,
...), medians of ``--runs`` rounds, printed as ratios to one process with the load average beside them: on a shared
machine parallel speed-ups are capped by the CPU the scheduler gives this process group, so compare Dask against
the pool of the same run. 200,000 years are ten chunks (eight tasks on two workers); 100,000 years would be five
one-chunk tasks, three on one worker, which caps any two workers at 1.67x.

Beside ``dask LocalCluster`` (what compcore does: a few tasks per worker, results gathered straight from workers
on this machine, :mod:`compcore.simulation.tasks`), two rows time Dask's default paths on the same cluster in the
same rounds (``--no-dask-paths`` skips them): ``via scheduler`` (the same tasks, results fetched through the
scheduler as ``executor.map`` does) and ``task per chunk`` (one task per chunk, as compcore did before).

What Dask adds is also measured in ways that depend little on the load: the pickled size of a task and of its
result, the time the submitting process spends naming a task (Dask hashes a task's arguments unless they name
themselves, :mod:`compcore.simulation.tasks`), inside each worker the tasks' own CPU time (``time.thread_time``)
beside their wall time, and the CPU seconds of each run spent by the submitting process (its calling thread, and
its other threads: the pool's feeder and result threads, or Dask's scheduler and client event loop) and by the
worker processes, beyond what the same processes spend idle (Dask's periodic work). Results are asserted identical
to one process.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compcore.simulation import simulate as sim_module  # noqa: E402
from compcore.simulation.simulate import simulate  # noqa: E402
from compcore.simulation.tasks import Task, run_jobs, run_task, task_runs  # noqa: E402
from compcore.simulation.year import simulate_year  # noqa: E402

SAMPLE = ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json"
#: the app's default (the seed-001 org on four plans) and the same org on one plan (DESIGN.md "Performance":
#: every benchmark on the app's default as well as the single-plan samples)
SCENARIOS = {"the org (app default)": ROOT / "sample_data" / "scenarios" / "cs_org_teams.json",
             "the org on one plan": SAMPLE}
NAMES = ("one process", "process pool", "dask LocalCluster", "dask, via scheduler", "dask, task per chunk")


class Hidden(Executor):
    """The Dask executor with what compcore reads of it hidden, to time Dask's default paths in the same run.

    With ``workers`` given, compcore still makes tasks of several chunks but fetches results through
    ``executor.map`` (Dask's default: through the scheduler); without, one task per chunk as before.
    """

    def __init__(self, inner: Executor, workers: int | None) -> None:
        self.inner = inner
        if workers is not None:
            self._max_workers = workers

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN204
        return self.inner.submit(fn, *args, **kwargs)

    def map(self, fn, *iterables, **kwargs):  # noqa: ANN001, ANN204
        return self.inner.map(fn, *iterables, **kwargs)


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def measured(task: Task) -> tuple[object, tuple[float, float]]:
    """Run a task in a worker: (result, (wall s, own CPU s))."""
    t0, c0 = time.perf_counter(), time.thread_time()
    out = run_task(task)
    return out, (time.perf_counter() - t0, time.thread_time() - c0)


def per_task(executor: Executor, tasks: list[Task]) -> dict[str, float]:
    start = time.perf_counter()
    outs = [f.result() for f in [executor.submit(measured, t) for t in tasks]]
    wall = time.perf_counter() - start
    return {"wall": wall, "in task": sum(o[1][0] for o in outs), "task cpu": sum(o[1][1] for o in outs)}


class Cpu:
    """CPU seconds of the submitting process (calling thread / other threads) and of each executor's workers."""

    def __init__(self, workers: dict[str, list[psutil.Process]]) -> None:
        self.me, self.workers, self.caller = psutil.Process(), workers, threading.get_native_id()
        self.idle: dict[str, float] = {}

    def snap(self, name: str) -> dict[str, float]:
        threads = self.me.threads()
        mine = sum(t.user_time + t.system_time for t in threads if t.id == self.caller)
        rest = sum(t.user_time + t.system_time for t in threads if t.id != self.caller)
        procs = sum(sum(p.cpu_times()[:2]) for p in self.workers.get(name, []))
        return {"caller": mine, "others": rest, "workers": procs}

    def measure_idle(self, seconds: float = 3.0) -> None:
        a = {n: self.snap(n) for n in NAMES}
        time.sleep(seconds)
        b = {n: self.snap(n) for n in NAMES}
        self.idle = {f"{n}/{k}": (b[n][k] - a[n][k]) / seconds for n in NAMES for k in a[n]}

    def beyond_idle(self, name: str, before: dict[str, float], after: dict[str, float],
                    wall: float) -> dict[str, float]:
        return {k: after[k] - before[k] - self.idle.get(f"{name}/{k}", 0.0) * wall for k in after}


def interleaved(fns: dict[str, Callable[[], Any]], runs: int, cpu: Cpu) -> tuple[dict[str, float], dict[str, dict]]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    cpus: dict[str, list[dict[str, float]]] = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            before, start = cpu.snap(k), time.perf_counter()
            fn()
            wall = time.perf_counter() - start
            times[k].append(wall)
            cpus[k].append(cpu.beyond_idle(k, before, cpu.snap(k), wall))
    return ({k: statistics.median(v) for k, v in times.items()},
            {k: {c: statistics.median(x[c] for x in v) for c in v[0]} for k, v in cpus.items()})


def report(title: str, t: dict[str, float], cpus: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}; {load()}")
    for name, secs in t.items():
        vs_pool = "" if not name.startswith("dask") else f"  = {t['process pool'] / secs:5.1%} of the pool's speed"
        print(f"   {name:<21} {secs:7.2f} s  {t['one process'] / secs:5.2f}x one process{vs_pool}")
    print("   CPU seconds of a run beyond idle (medians): the calling thread / the submitter's other threads"
          " / the workers = all")
    for name, c in cpus.items():
        print(f"   {name:<21} {c['caller']:5.2f} / {c['others']:5.2f} / {c['workers']:5.2f}"
              f" = {sum(c.values()):5.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--year-trials", type=int, default=200_000, help="years for simulate_year (0: skip)")
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds (median reported)")
    parser.add_argument("--scenario", choices=("all", *SCENARIOS), default="all",
                        help="scenario(s) to time (default: both)")
    parser.add_argument("--dask-paths", action=argparse.BooleanOptionalAction, default=True,
                        help="also time Dask's default paths: results through the scheduler, a task per chunk")
    args = parser.parse_args()
    from dask.base import tokenize
    from dask.distributed import Client, LocalCluster  # pip install -e '.[dask]'

    run = sim_module._prepare(SAMPLE, args.trials, 1)
    jobs = [(run.spec, run.ctxs, run.group(g)) for g in run.groups()]
    runs = task_runs(len(jobs), 2)
    tasks = [Task(run_jobs, (sim_module._simulate_group, [jobs[i] for i in r])) for r in runs]
    start = time.perf_counter()
    bare = [tokenize(sim_module._simulate_group, *job) for job in jobs]
    t_bare = (time.perf_counter() - start) / len(jobs)
    start = time.perf_counter()
    named = [tokenize(run_task, t) for t in tasks]
    t_named = (time.perf_counter() - start) / len(tasks)
    assert len(set(bare)) == len(jobs) and len(set(named)) == len(tasks)
    result = run_task(tasks[0])
    kept = sum(len(pickle.dumps(s.kept)) for part in result for s in part.values())  # type: ignore[attr-defined]
    print(f"the org on one plan, {args.trials:,} trials: {len(jobs)} chunks in {len(tasks)} tasks on 2 workers"
          f" ({', '.join(str(len(r)) for r in runs)} chunks); {load()}")
    print(f"   a task pickled: {len(pickle.dumps(tasks[0])):,} bytes (draw spec {len(pickle.dumps(run.spec)):,},"
          f" contexts {len(pickle.dumps(run.ctxs)):,}); its result: {len(pickle.dumps(result)):,} bytes"
          f" ({kept:,} of them the fairness rows)")
    print(f"   Dask naming a task in the submitting process: {t_bare * 1e3:.2f} ms hashing a chunk's arguments,"
          f" {t_named * 1e3:.3f} ms as a compcore Task")

    chosen = SCENARIOS if args.scenario == "all" else {args.scenario: SCENARIOS[args.scenario]}
    refs = {name: (simulate(path, args.trials, seed=1),
                   simulate_year(path, args.year_trials, seed=1) if args.year_trials else None)
            for name, path in chosen.items()}
    with ProcessPoolExecutor(2) as pool, LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
        dask = client.get_executor()
        executors: dict[str, Executor | None] = {"one process": None, "process pool": pool, "dask LocalCluster": dask}
        if args.dask_paths:
            executors |= {"dask, via scheduler": Hidden(dask, 2), "dask, task per chunk": Hidden(dask, None)}
        for ex in executors.values():  # warm up (workers started, imports done) and results identical
            for path, (ref, ref_year) in zip(chosen.values(), refs.values(), strict=True):
                np.testing.assert_array_equal(simulate(path, args.trials, seed=1, executor=ex).cost, ref.cost)
                if ref_year is not None:
                    np.testing.assert_array_equal(simulate_year(path, args.year_trials, seed=1, executor=ex).cost,
                                                  ref_year.cost)
        pids = set(client.run(os.getpid).values())
        kids = psutil.Process().children()
        on_dask = [p for p in kids if p.pid in pids]
        cpu = Cpu({"process pool": [p for p in kids if p.pid in pool._processes],  # noqa: SLF001
                   "dask LocalCluster": on_dask, "dask, via scheduler": on_dask, "dask, task per chunk": on_dask})
        print("\nthe same tasks, inside the workers (sums over tasks):")
        for name in ("process pool", "dask LocalCluster"):
            m = per_task(executors[name], tasks)  # type: ignore[arg-type]
            print(f"   {name:<21} wall {m['wall']:5.2f} s  in tasks {m['in task']:6.2f} s"
                  f"  task CPU {m['task cpu']:5.2f} s")
        cpu.measure_idle()
        for scenario, path in chosen.items():
            t, c = interleaved({k: (lambda ex=ex, p=path: simulate(p, args.trials, seed=1, executor=ex))
                                for k, ex in executors.items()}, args.runs, cpu)
            report(f"{scenario}: simulate, {args.trials:,} trials, 2 workers, medians of {args.runs} interleaved"
                   " rounds (identical cost asserted)", t, c)
            if args.year_trials:
                t, c = interleaved({k: (lambda ex=ex, p=path: simulate_year(p, args.year_trials, seed=1, executor=ex))
                                    for k, ex in executors.items()}, args.runs, cpu)
                report(f"{scenario}: simulate_year, {args.year_trials:,} years, medians of {args.runs} interleaved"
                       " rounds (identical cost asserted)", t, c)
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # what Dask's nanny leaves behind
    return 0


if __name__ == "__main__":
    sys.exit(main())
