"""Benchmark of the plan year (DESIGN.md "Performance"): simulate_year of P periods against P x simulate.

Run from the repository root::

    python benchmarks/bench_year.py [--quick] [--runs 5] [--no-memory]

For each benchmark scenario (the app's default org, the single-plan samples, the slowest shape), as
given and with a year-to-date schedule (25% held back, trued up at the year end) on every plan:

1. ``simulate_year(scn, trials)`` / (P x ``simulate(scn, trials)``), same trials, timings interleaved
   (A B A B ...), medians of ``--runs`` rounds (must be <= 1.2);
2. peak memory (tracemalloc) of 1,000,000 years of the org and of the slowest shape (must be < 1 GiB);
3. ``--app``: the Cost page's Year view rerun after a plan edit (the year's draws cached, the edited plan's
   year re-priced), server time and the script thread's CPU time, medians (must be <= 150 ms), beside the
   Quarter view after the same edit.

Every figure is a ratio or a peak measured in this one run: a busy machine slows both sides alike.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_simulate import interleaved, peak_mib, slowest_shape  # noqa: E402

from compcore.simulation.scenario import dump_scenario, load_scenario  # noqa: E402
from compcore.simulation.simulate import simulate  # noqa: E402
from compcore.simulation.year import simulate_year  # noqa: E402

SAMPLES = {
    "sample org (app default)": "cs_org_teams.json",
    "single plan: CS org quarterly": "cs_org_quarterly.json",
    "single plan: CS Ops (annual)": "cs_ops_enablement.json",
    "single plan: accelerators": "accelerators.json",
}
YTD = {"measure": "year_to_date", "holdback": 0.25, "year_end": "true_up"}


def scenarios() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, file in SAMPLES.items():
        out[name] = load_scenario(ROOT / "sample_data" / "scenarios" / file)
    out["slowest shape (quarterly)"] = slowest_shape()
    for name in list(out):
        data = copy.deepcopy(dump_scenario(out[name]))
        for plan in data.get("plans", {}).values() if "plans" in data else [data["plan"]]:
            plan["schedule"] = YTD
        out[name + " + year to date"] = load_scenario(data)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer trials and runs (a smoke test)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-memory", action="store_true", help="skip the 1,000,000-year memory peaks")
    ap.add_argument("--app", action="store_true", help="only the Cost page's Year view rerun after a plan edit")
    args = ap.parse_args()
    if args.app:
        app_rerun(args.runs)
        return
    trials = 2_000 if args.quick else 10_000
    runs = 1 if args.quick else args.runs
    print(f"simulate_year / (P x simulate), {trials:,} trials, median of {runs} interleaved runs (must be <= 1.2)")
    for name, scn in scenarios().items():
        p = scn.periods_per_year
        # CPU time (this thread's) beside wall time: on a shared machine the wall clock also counts waiting for a core
        c: dict[str, float] = {}
        t = interleaved({"year": lambda s=scn: simulate_year(s, trials=trials),
                         "period": lambda s=scn: simulate(s, trials=trials)}, runs, cpu=c)
        print(f"  {name:<48} P={p:<3} year {t['year']:.3f}s  period {t['period']:.3f}s  "
              f"ratio {t['year'] / (p * t['period']):.2f} (CPU time: {c['year'] / (p * c['period']):.2f})")
    if args.no_memory:
        return
    years = 100_000 if args.quick else 1_000_000
    for name, scn in (("sample org + year to date", scenarios()["sample org (app default) + year to date"]),
                      ("slowest shape", slowest_shape())):
        print(f"  peak memory of {years:,} years, {name}: {peak_mib(lambda s=scn: simulate_year(s, trials=years)):.0f}"
              " MiB (must be < 1024)")


def app_rerun(runs: int) -> None:
    """Server and CPU time of the Cost page's rerun after a plan edit, Year view and Quarter view (the org)."""
    import os

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    os.environ.pop("COMPCORE_DEFAULT_SCENARIO", None)  # the app's default: the org
    wall: list[float] = []
    cpu: list[float] = []
    orig = script_runner.ScriptRunner._run_script

    def timed(self: Any, *a: Any, **k: Any) -> Any:
        t, c = time.perf_counter(), time.thread_time()
        try:
            return orig(self, *a, **k)
        finally:
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)

    script_runner.ScriptRunner._run_script = timed
    at = AppTest.from_file(str(ROOT / "pages" / "cost_simulation.py"), default_timeout=600)
    at.run()
    for view in ("year", "period"):
        at.radio(key="cost_horizon").set_value(view).run()
        w, c = [], []
        for i in range(runs + 1):
            points = at.session_state["scenario"]["plans"]["implementation"]["components"][0]["curve"]["points"]
            points[2][1] = 1.3 + 0.01 * (i + 1) * (1 if view == "year" else -1)  # a plan edit
            wall.clear()
            cpu.clear()
            key = "annual_budget" if view == "year" else "budget"  # a change that revalidates the edited draft
            at.number_input(key=key).set_value(400_000.0 + i if view == "year" else 100_000.0 + i).run()
            if i:  # the first rerun after switching views draws; the rest re-price one plan
                w.append(wall[-1])
                c.append(cpu[-1])
        print(f"  Cost page, {view} view, rerun after a plan edit: server {statistics.median(w):.0f} ms, "
              f"CPU {statistics.median(c):.0f} ms (median of {runs}; must be <= 150 ms)")


if __name__ == "__main__":
    main()
