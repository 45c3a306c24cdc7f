"""Browser flow of "Solve for a budget" on the Cost simulation page: the CFO's "$116k a quarter, at most a
1-in-10 chance of going over" -> Solve -> Apply -> Undo. The time from the click to the answer and a plain
rerun's are printed, never asserted (a shared machine stalls any run; benchmarks/ measure them as ratios).

With ``COMPCORE_SCREENSHOTS=<folder>``, writes solve.png (1400 px) and solve_phone.png (390 px) there.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import key, metric_value, settle

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")


def _pct(text: str) -> float:
    return float(text.rstrip("%")) / 100


def _open(browser, app_url: str, width: int, height: int):
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = ctx.new_page()
    page.goto(f"{app_url}/cost_simulation")
    settle(page)
    page.wait_for_selector(key("cost_hist"), timeout=60_000)
    return ctx, page


def _goal(page, percent: str) -> None:
    """Type the most P(over budget) may be; the answer for another goal leaves the screen."""
    page.locator(f"{key('solve_amount_p_over_budget')} input").fill(percent)
    page.locator(f"{key('solve_amount_p_over_budget')} input").press("Enter")
    page.wait_for_selector(key("solve_apply"), state="detached", timeout=30_000)
    settle(page)


def _budget_rerun(page, budget: str) -> float:
    """Seconds from typing a budget to the new P(over budget) on screen: a plain rerun of the page."""
    before = metric_value(page, "P(over budget)")
    t0 = time.perf_counter()
    page.locator(f"{key('budget')} input").fill(budget)
    page.locator(f"{key('budget')} input").press("Enter")
    page.wait_for_function("""([sel, old]) => { const b = [...document.querySelectorAll("[data-testid='stMetric']")]
        .find(m => m.innerText.includes('P(over budget)')); return b && !b.innerText.includes(old); }""",
                           arg=[key("budget"), before.split("\n")[0]], timeout=30_000)
    took = time.perf_counter() - t0
    settle(page)
    return took


def _solve(page) -> float:
    """Click Solve; seconds until the answer is on screen."""
    assert page.locator(key("solve_apply")).count() == 0
    t0 = time.perf_counter()
    page.locator(f"{key('solve_run')} button").click()
    page.wait_for_selector(key("solve_apply"), timeout=60_000)
    took = time.perf_counter() - t0
    settle(page)
    return took


def _wait_for_change(page, old: str, timeout: float = 30_000) -> None:
    """Until the P(over budget) figure on screen is no longer ``old`` (a settled page may not have redrawn yet)."""
    page.wait_for_function("""(old) => { const b = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(m => m.innerText.includes('P(over budget)')); return b && !b.innerText.includes(old); }""",
                           arg=old.split("\n")[0], timeout=timeout)


def test_solve_apply_undo_in_the_browser(browser, app_url):
    ctx, page = _open(browser, app_url, 1400, 3600)
    before = _pct(metric_value(page, "P(over budget)"))
    assert before > 0.1
    _goal(page, "15")
    timings = [_solve(page)]
    _goal(page, "10")  # the CFO's 1 in 10; a second timing, since the shared 2-core machine can stall any one run
    timings.append(_solve(page))
    assert "Target incentive, % of base:" in page.locator(key("solve_answer")).inner_text()
    page.wait_for_selector(f"{key('solve_frontier')} canvas, {key('solve_frontier')} svg")
    rerun = min(_budget_rerun(page, "115000"), _budget_rerun(page, "116000"))
    print(f"\nbrowser shows the answer {min(timings) * 1000:.0f} ms after Solve (best of 2: "
          f"{', '.join(f'{t:.2f}' for t in timings)} s); a plain rerun (budget typed) {rerun * 1000:.0f} ms")
    # no timed assertion (shared CI machines stall any run): benchmarks/ measure it as ratios

    shown = metric_value(page, "P(over budget)")
    page.locator(f"{key('solve_apply')} button").click()
    settle(page)
    _wait_for_change(page, shown)  # the applied edit re-prices: wait for the new figure, not the old one
    assert _pct(metric_value(page, "P(over budget)")) <= 0.1
    shown = metric_value(page, "P(over budget)")
    page.locator(f"{key('solve_undo_button')} button").click()
    settle(page)
    _wait_for_change(page, shown)
    assert _pct(metric_value(page, "P(over budget)")) == pytest.approx(before)
    ctx.close()


@pytest.mark.skipif(not SHOTS, reason="set COMPCORE_SCREENSHOTS=<folder> to write page screenshots")
@pytest.mark.parametrize(("width", "name"), [(1400, "solve"), (390, "solve_phone")])
def test_screenshots(browser, app_url, width: int, name: str):
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    ctx, page = _open(browser, app_url, width, 1200)
    _solve(page)
    for chart in ("solve_hist", "solve_curve", "solve_frontier"):  # charts draw once scrolled into view
        page.locator(key(chart)).scroll_into_view_if_needed()
        page.wait_for_selector(f"{key(chart)} canvas, {key(chart)} svg", timeout=30_000)
    page.wait_for_timeout(1000)
    page.locator(key("solve")).screenshot(path=str(out / f"{name}.png"))
    ctx.close()
