"""What a person waits for in Chromium on the app's own default (the seed-001 org), issue 22.

Starts ``streamlit run app.py`` with a throwaway SQLite store (the org, as a person opens it) and a
second ``streamlit run`` of a plain page (a number input and an ``st.write``), drives Debian's
Chromium with Playwright and times, as medians of ``--repeat`` runs:

- a page switch: click a sidebar link (Plan designer -> Cost simulation -> Payout curves -> Plan
  designer) until that page's run has finished and its first chart is drawn;
- the first chart after opening the app in a fresh browser context (goto -> first Vega canvas/svg);
  the very first open of the run (cold server caches) is reported on its own line;
- the chart after a target change on the Plan designer (type a new target, Enter, until the rerun
  has finished and the designer's curve chart is drawn);
- the plain page's rerun (type a number, Enter, until the written text shows it), interleaved with
  every case, so each case is also printed as a ratio to it (the machine's noise cancels).

    python benchmarks/bench_browser.py [--repeat 5] [--timeout 120]

Prints one line per case (median seconds, min-max, ratio to the plain rerun) and the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import ARGS, CHROMIUM, free_port, key, running_app, settle  # noqa: E402

PLAIN = """import streamlit as st
x = st.number_input('x', key='x', value=0, step=1)
st.write(f'plain value {x}')
"""
PAGES = ("Cost simulation", "Payout curves", "Plan designer")  # the switch cycle, from the Plan designer
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
# Counts finished script runs: the app's root flips data-test-script-state to "running" and back.
# A MutationObserver sees a flip however short, where polling the attribute could miss a fast rerun.
RUNS_JS = """
window.__runs = 0;
new MutationObserver(ms => {
  for (const m of ms) {
    if (m.target.getAttribute('data-test-script-state') === 'notRunning' && m.oldValue === 'running') {
      window.__runs += 1;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""
FIRST_CHART_JS = """sel => [...document.querySelectorAll(sel)].some(e => {
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && !e.closest('[data-stale="true"]');
})"""

# the class of the first metric target input (key plan.<plan id>.metric.<metric id>.target)
TARGET_JS = """() => {
  for (const e of document.querySelectorAll('[class*="st-key-plan-"]')) {
    const c = [...e.classList].find(c => /^st-key-plan-.+-metric-.+-target$/.test(c));
    if (c) return c;
  }
  return null;
}"""


def _runs(page: Any) -> int:
    return int(page.evaluate("window.__runs || 0"))


def _after_run(page: Any, before: int, timeout: float) -> None:
    """Wait until a script run started after ``before`` runs has finished."""
    page.wait_for_function("n => (window.__runs || 0) > n", arg=before, timeout=timeout)
    settle(page, timeout=timeout)


def _chart_drawn(page: Any, selector: str, timeout: float) -> None:
    page.wait_for_function(FIRST_CHART_JS, arg=selector, timeout=timeout)


@contextlib.contextmanager
def _plain_server() -> Iterator[str]:
    """A ``streamlit run`` of the plain page on a free port; yields its URL."""
    import subprocess
    import urllib.request

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "plain.py"
        script.write_text(PLAIN)
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None:
                        raise RuntimeError("the plain page's streamlit exited before it was healthy") from None
                    time.sleep(0.25)
            else:
                raise RuntimeError("the plain page's streamlit did not become healthy within 60 s")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def first_chart(browser: Any, url: str, timeout: float) -> float:
    """Seconds from ``goto`` in a fresh context (a new session) to the first drawn chart."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600})
    try:
        page = ctx.new_page()
        t = time.perf_counter()
        page.goto(url, timeout=timeout)
        _chart_drawn(page, CHART, timeout)
        return time.perf_counter() - t
    finally:
        ctx.close()


class Bench:
    """One browser, the app and the plain page each open in their own context."""

    def __init__(self, browser: Any, app_url: str, plain_url: str, timeout: float) -> None:
        self.browser, self.app_url, self.timeout = browser, app_url, timeout
        self.plain = self._open(plain_url)
        self.plain_value = 0
        self.app = self._open(app_url)
        self.app.get_by_text("Editing plan:").first.wait_for(timeout=timeout)
        self.where = "Plan designer"
        self.target_step = 0

    def _open(self, url: str) -> Any:
        ctx = self.browser.new_context(viewport={"width": 1400, "height": 1600})
        ctx.add_init_script(RUNS_JS)
        ctx.set_default_timeout(self.timeout)
        page = ctx.new_page()
        page.goto(url)
        settle(page, timeout=self.timeout)
        return page

    def plain_rerun(self) -> float:
        self.plain_value += 1
        box = self.plain.locator(key("x")).locator("input")
        box.fill(str(self.plain_value))
        t = time.perf_counter()
        box.press("Enter")
        self.plain.get_by_text(f"plain value {self.plain_value}", exact=True).wait_for(timeout=self.timeout)
        return time.perf_counter() - t

    def switch(self, title: str) -> float:
        page = self.app
        link = page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True)
        before = _runs(page)
        t = time.perf_counter()
        link.click()
        _after_run(page, before, self.timeout)
        page.get_by_role("heading", name=title).first.wait_for(timeout=self.timeout)
        _chart_drawn(page, CHART, self.timeout)
        self.where = title
        return time.perf_counter() - t

    def first_chart(self) -> float:
        return first_chart(self.browser, self.app_url, self.timeout)

    def target_change(self) -> float:
        page = self.app
        if self.where != "Plan designer":
            self.switch("Plan designer")
        # the first metric's target input: keys are plan.<plan id>.metric.<metric id>.target
        cls = page.evaluate(TARGET_JS)
        if not cls:
            raise RuntimeError("no metric target input (st-key-plan-<plan>-metric-<metric>-target) on the page")
        box = page.locator(f".{cls} input").first
        old = float(box.input_value().replace(",", "") or 0)
        self.target_step += 1
        new = old + (1 if self.target_step % 2 else -1)  # up then back: the plan stays what it was
        box.fill(f"{new:g}")
        before = _runs(page)
        t = time.perf_counter()
        box.press("Enter")
        _after_run(page, before, self.timeout)
        _chart_drawn(page, f"{key('designer_curve')} canvas, {key('designer_curve')} svg", self.timeout)
        return time.perf_counter() - t


def _median(xs: list[float]) -> str:
    return f"{statistics.median(xs):6.2f} s (min {min(xs):.2f}, max {max(xs):.2f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs of every case (medians are printed)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for any one step")
    a = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set COMPCORE_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    timeout = a.timeout * 1000
    times: dict[str, list[float]] = {}
    plain: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, \
            running_app(f"sqlite:///{Path(tmp) / 'store.db'}", default_scenario=None) as app_url, \
            _plain_server() as plain_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            cold = first_chart(browser, app_url, timeout)
            bench = Bench(browser, app_url, plain_url, timeout)
            for title in PAGES:  # warm-up: every page once, the simulation cached
                bench.switch(title)
            bench.plain_rerun()
            cases: list[tuple[str, Callable[[], float]]] = [
                *((f"page switch to {t}", lambda t=t: bench.switch(t)) for t in PAGES),
                ("first chart, fresh context", bench.first_chart),
                ("chart after a target change", bench.target_change),
            ]
            for i in range(a.repeat):
                for name, run in cases:
                    plain.append(bench.plain_rerun())
                    times.setdefault(name, []).append(run())
                plain.append(bench.plain_rerun())
                print(f"run {i + 1}/{a.repeat} done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    base = statistics.median(plain)
    print(f"Chromium on the app's default (seed-001 org), medians of {a.repeat}; "
          f"ratio = median / the plain page's rerun")
    print(f"{'plain st.write page rerun':<34} {_median(plain)}   1.0x")
    print(f"{'first chart, cold server (once)':<34} {cold:6.2f} s{'':22}   {cold / base:.1f}x")
    for name, xs in times.items():
        print(f"{name:<34} {_median(xs)}   {statistics.median(xs) / base:.1f}x")
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
