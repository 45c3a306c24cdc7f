"""Browser flows: load the sample -> change a weight -> curve and cost update; share link -> same numbers;
a fresh server first hit on a page URL still runs app.py as the router (titled pages, wide layout).

Also times how long the browser takes to show the new chart after a widget
change (DESIGN.md: within 1 s) and, with ``COMPCORE_SCREENSHOTS=<folder>``,
writes designer.png, curves.png and cost.png there.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import key, metric_value, running_app, settle, wait_for_text

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")


def _chart_svg_or_canvas(page, name: str) -> str:
    """A fingerprint of what a keyed chart currently shows (its Vega view's data, read in the browser)."""
    return page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel);
            if (!el) return '';
            const c = el.querySelector('canvas.marks');
            if (c) { try { return c.toDataURL().slice(-2000); } catch (e) { return 'canvas'; } }
            const s = el.querySelector('svg.marks');
            return s ? s.innerHTML.length + ':' + s.innerHTML.slice(-2000) : '';
        }""", key(name))


def _goto(page, url: str) -> None:
    page.goto(url)
    settle(page)
    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg",
                           timeout=60_000)


def _set_slider(page, name: str, value_pct: int) -> None:
    """Click a 0-100 slider's track where ``value_pct`` lies (re-aiming once if it lands a step off)."""
    track = page.locator(f"{key(name)} [data-orientation='horizontal'][style*='touch-action']").first
    box = track.bounding_box()
    aim = float(value_pct)
    for _ in range(3):
        page.mouse.click(box["x"] + box["width"] * aim / 100, box["y"] + box["height"] / 2)
        settle(page)
        got = float(page.locator(f"{key(name)} input[type='range']").input_value())
        if got == value_pct:
            return
        aim += value_pct - got
    raise AssertionError(f"slider {name} is at {got}, wanted {value_pct}")


def test_weight_change_updates_curve_description_and_cost(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 3200})
    page = ctx.new_page()
    _goto(page, f"{app_url}/cost_simulation")
    cost_before = metric_value(page, "Expected cost")
    assert cost_before.startswith("$")

    _goto(page, app_url)
    assert "30% on Go-lives" in page.inner_text("body")
    page.locator(key("plan.plan.component_pick")).get_by_text("EBRs").click()
    settle(page)

    # the chart being edited redraws within 1 s of a change (measured in the browser; best of three
    # changes, since a shared 2-core CI machine can stall any single one)
    timings = []
    for cap in ("120", "130", "140"):
        before = _chart_svg_or_canvas(page, "designer_curve")
        page.locator(f"{key('plan.plan.component.ebr.cap')} input").fill(cap)
        t0 = time.perf_counter()
        page.locator(f"{key('plan.plan.component.ebr.cap')} input").press("Enter")
        deadline = t0 + 5
        while _chart_svg_or_canvas(page, "designer_curve") == before and time.perf_counter() < deadline:
            page.wait_for_timeout(20)
        timings.append(time.perf_counter() - t0)
        assert _chart_svg_or_canvas(page, "designer_curve") != before
        settle(page)
    print(f"\nbrowser shows the new curve {min(timings) * 1000:.0f} ms after the change (best of 3)")
    # no timed assertion (shared CI machines stall any run): benchmarks/ measure it as ratios

    _set_slider(page, "plan.plan.component.ebr.weight", 40)
    wait_for_text(page, "40% on Executive business reviews")

    page.get_by_role("link", name="Cost simulation").click()
    settle(page)
    page.wait_for_selector(key("cost_hist"))
    assert metric_value(page, "Expected cost") != cost_before
    ctx.close()


def test_share_link_restores_same_numbers_in_fresh_context(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = ctx.new_page()
    _goto(page, f"{app_url}/cost_simulation")
    page.locator(f"{key('budget')} input").fill("100000")
    page.locator(f"{key('budget')} input").press("Enter")
    settle(page)
    _goto(page, app_url)
    settle(page)
    before = page.url
    _set_slider(page, "plan.plan.component.golive.weight", 45)
    wait_for_text(page, "45% on Go-lives")
    # the address follows the scenario: wait for the link of the new weights, not the budget edit's
    page.wait_for_function("u => location.href !== u && location.href.includes('?s=v1.')", arg=before,
                           timeout=30_000)
    link = page.url
    page.get_by_role("link", name="Cost simulation").click()
    settle(page)
    page.wait_for_selector(key("cost_hist"))
    numbers = {label: metric_value(page, label) for label in ("Expected cost", "P90", "P(over budget)")}
    ctx.close()

    fresh = browser.new_context(viewport={"width": 1400, "height": 2400})
    other = fresh.new_page()
    _goto(other, link)
    wait_for_text(other, "45% on Go-lives")
    other.get_by_role("link", name="Cost simulation").click()
    settle(other)
    other.wait_for_selector(key("cost_hist"))
    assert {label: metric_value(other, label) for label in numbers} == numbers
    fresh.close()


def test_bad_link_shows_friendly_error(browser, app_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(f"{app_url}/?s=v1.not-a-real-link")
    settle(page)
    text = page.inner_text("body")
    assert "could not be opened" in text and "Traceback" not in text
    assert "30% on Go-lives due this quarter" in text  # the default scenario
    ctx.close()


def test_first_hit_on_a_page_url_runs_app_as_router(browser, tmp_path):
    # its own fresh server, so that /scenarios is the very first request (Streamlit's legacy pages/ mode)
    with running_app(f"sqlite:///{tmp_path / 'store.db'}") as base:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = ctx.new_page()
            page.goto(f"{base}/scenarios")
            nav = page.locator("[data-testid='stSidebarNav']")
            nav.get_by_text("Plan designer", exact=True).wait_for(timeout=60_000)
            settle(page)
            items = [x.strip() for x in nav.inner_text().splitlines() if x.strip()]
            assert {"Plan designer", "Payout curves", "Cost simulation", "Scenarios", "Plan document",
                    "Targets from data"} <= set(items)
            assert "app" not in items and "scenarios" not in items
            assert page.locator("h1").first.inner_text() == "Scenarios"
            width = page.evaluate("() => getComputedStyle("
                                  "document.querySelector('[data-testid=\"stMainBlockContainer\"]')).maxWidth")
            assert width == "none"  # app.py's wide layout
        finally:
            ctx.close()


@pytest.mark.skipif(not SHOTS, reason="set COMPCORE_SCREENSHOTS=<folder> to write page screenshots")
def test_screenshots(browser, app_url):
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1900}, device_scale_factor=1)
    page = ctx.new_page()
    for path, name in (("", "designer"), ("payout_curves", "curves"), ("cost_simulation", "cost")):
        _goto(page, f"{app_url}/{path}")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / f"{name}.png"))
    ctx.close()
