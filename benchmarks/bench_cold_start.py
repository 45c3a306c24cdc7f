"""Cold start with and without the fused numba kernel: fresh processes, interleaved, medians.

Run from the repository root::

    python benchmarks/bench_cold_start.py [--runs 5]

Each round starts two fresh Python processes per case, one with ``COMPCORE_KERNEL=numpy`` (numba never
imported) and one with the default (``auto``: the kernel is loaded in a background thread at the first
pricing), and times in each (Streamlit's AppTest, the server's script runs):

- ``first page``: the app's first page from process start (imports included);
- ``then Cost``: the first visit to the Cost page after it (the first simulation: in a Streamlit server
  the kernel starts loading once pricing has been quiet for 2 s, and numpy prices until it is ready);
- ``kernel ready``: seconds from that visit until the kernel is loaded (numba's disk cache warm).

The contract (issue 22): the kernel may not make the cold start more than 1 s slower.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
sys.path.insert(0, os.getcwd())
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(os.path.join(os.getcwd(), "app.py"), default_timeout=300)
at.run()
t1 = time.perf_counter()
numba_at_first_page = "numba" in sys.modules
at.switch_page("pages/cost_simulation.py").run()
t2 = time.perf_counter()
assert not at.exception, at.exception
from compcore.plan import kernel
ready = None
if kernel.kernel_mode() != "numpy":
    kernel.load_kernel()
    ready = time.perf_counter() - t1
print(json.dumps({"first page": t1 - t0, "then Cost": t2 - t1, "kernel ready": ready,
                  "numba at first page": numba_at_first_page}))
"""


def one(mode: str) -> dict[str, Any]:
    env = {**os.environ, "COMPCORE_KERNEL": mode}
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds (median reported)")
    args = parser.parse_args()
    one("auto")  # numba's disk cache written (a first install compiles once, in the background)
    runs: dict[str, list[dict[str, Any]]] = {"numpy": [], "auto": []}
    for _ in range(args.runs):
        for mode in runs:
            runs[mode].append(one(mode))
    print(f"cold start, {args.runs} interleaved rounds, medians; load average {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} CPUs")
    for key in ("first page", "then Cost"):
        a = statistics.median(r[key] for r in runs["numpy"])  # type: ignore[type-var]
        b = statistics.median(r[key] for r in runs["auto"])  # type: ignore[type-var]
        print(f"   {key:<11} numpy only {a:6.2f} s   with the kernel {b:6.2f} s   ({b - a:+.2f} s)  [<= +1 s]")
    imported = any(r["numba at first page"] for r in runs["auto"])
    print(f"   numba imported by the first page: {'yes' if imported else 'no (the two runs take the same path there)'}")
    ready = statistics.median(r["kernel ready"] for r in runs["auto"])  # type: ignore[type-var]
    print(f"   kernel ready {ready:.2f} s after the first Cost page visit began (numpy priced until then)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
