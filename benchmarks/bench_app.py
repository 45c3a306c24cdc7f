"""Page rerun time after a widget change, with a 10,000-trial simulation cached (DESIGN.md: <= 150 ms).

Runs each page with Streamlit's AppTest, changes one widget at a time and
reports the *server* time of the rerun (the script run itself, measured inside
Streamlit's script runner) and the AppTest wall time around it. Prints one
line per case and the ratio to the 150 ms budget.

    python benchmarks/bench_app.py [--repeat 7] [--scenario cs_org_quarterly]

``--scenario`` opens that sample (``sample_data/scenarios/<name>.json``) instead of the app's
default, the seed-001 org; widgets are found by key prefix, so both kinds of scenario run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit import config  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

BUDGET_MS = 150.0
# the cases below use the single-plan sample's widget keys (the app's own default is the org sample)
os.environ.setdefault("COMPCORE_DEFAULT_SCENARIO", "cs_org_quarterly")
# AppTest recompiles the page on every run; a server caches the bytecode. Without "magic" that compile is cheap
# and closer to what a server does (the pages use no magic).
config.set_option("runner.magicEnabled", False)
_last: list[float] = []
_cpu: list[float] = []
_orig = script_runner.ScriptRunner._run_script


def _timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), time.thread_time()
    try:
        return _orig(self, *args, **kwargs)
    finally:
        _last.append((time.perf_counter() - t) * 1000)
        _cpu.append((time.thread_time() - c) * 1000)


script_runner.ScriptRunner._run_script = _timed


def _measure(at: AppTest, change, repeat: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    server, cpu, wall = [], [], []
    for i in range(repeat):
        _last.clear()
        _cpu.clear()
        t = time.perf_counter()
        change(at, i)
        wall.append((time.perf_counter() - t) * 1000)
        server.append(sum(_last))
        cpu.append(sum(_cpu))
        if at.exception:
            raise RuntimeError(at.exception[0].message)
    return statistics.median(server), statistics.median(cpu), statistics.median(wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scenario", default=None, help="sample scenario to open (default: the app's own)")
    args = parser.parse_args()
    if args.scenario:
        os.environ["COMPCORE_DEFAULT_SCENARIO"] = args.scenario

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    t = time.perf_counter()
    at.run()
    at.switch_page("pages/cost_simulation.py").run()
    first = (time.perf_counter() - t) * 1000
    trials = at.session_state["ui"]["trials"]
    print(f"first load incl. {trials:,}-trial simulation: {first:,.0f} ms (not budgeted)")

    def first(elements, prefix: str, last: bool = False):  # the first (or last) widget whose key starts so
        keys = [e.key for e in elements if (e.key or "").startswith(prefix)]
        return keys[-1] if last else keys[0]

    cases = [
        ("cost page: budget (cached draws and pricing)", "pages/cost_simulation.py",
         lambda a, i: a.number_input(key="budget").set_value(100_000.0 + 1_000 * i).run()),
        ("cost page: plain rerun, nothing changed", "pages/cost_simulation.py",
         lambda a, i: a.run()),
        ("curves page: hold a metric at another value", "pages/payout_curves.py",
         lambda a, i: a.slider(key=first(a.slider, "held_")).set_value(80.0 + i).run()),
        ("curves page: calculator actual", "pages/payout_curves.py",
         lambda a, i: a.number_input(key=first(a.number_input, "actual_")).set_value(0.5 + 0.01 * i).run()),
        ("designer: weight slider (plan edit)", "pages/plan_designer.py",
         lambda a, i: a.slider(key="plan.plan.component.golive.weight").set_value(30 + i).run()),
    ]
    rows = []
    for label, page_path, change in cases:
        at.switch_page(page_path).run()
        change(at, 99)  # warm the chart caches for this page
        rows.append((label, *_measure(at, change, args.repeat)))

    # a plan edit seen on the cost page: re-price the cached draws (no new draws)
    def reprice(a: AppTest, i: int) -> None:
        a.switch_page("pages/plan_designer.py").run()
        a.slider(key=first(a.slider, "plan.", last=True)).set_value(20 + i).run()
        _last.clear()
        _cpu.clear()
        a.switch_page("pages/cost_simulation.py").run()

    rows.append(("cost page after a weight edit (re-price + sensitivity)", *_measure(at, reprice, args.repeat)))

    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(server ms is wall time of the script run; cpu ms is its thread's CPU time, robust to a busy machine)")
    print(f"{'case':<58}{'server ms':>10}{'cpu ms':>8}{'wall ms':>9}{'cpu/150':>8}")
    for label, server, cpu, wall in rows:
        print(f"{label:<58}{server:>10.1f}{cpu:>8.1f}{wall:>9.1f}{cpu / BUDGET_MS:>8.2f}")
    worst = max(rows, key=lambda r: r[2])  # every case, the cost page after a plan edit included
    print(f"worst page rerun with the simulation cached: {worst[2]:.1f} ms CPU, {worst[1]:.1f} ms server time "
          f"({'within' if worst[2] <= BUDGET_MS else 'OVER'} the {BUDGET_MS:.0f} ms budget): {worst[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
