"""The first 15 minutes of a CS leader (issue 14), in Chromium against ``streamlit run app.py``.

Open the sample -> change a share target in percent -> add an accelerator tier -> refresh the browser and
find the work still there -> share the link (a fresh browser opens the same plan) -> save two scenarios and
compare them (words, not paths) -> open the read-only HR document. With ``COMPCORE_SCREENSHOTS=<folder>``
it also writes the Cost and Targets pages at 1400 px and 390 px there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compcore.io.store import ScenarioStore
from tests.e2e.conftest import key, save_scenario, settle, wait_idle

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")


def _body(page) -> str:
    return page.inner_text("body")


def _open(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading").first.wait_for(timeout=60_000)
    wait_idle(page)


def _see(page, text: str) -> None:
    """Wait until ``text`` is on the page (a rerun starts a moment after the input, so wait, do not sample)."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)


def _type(page, name: str, value: str) -> None:
    box = page.locator(f"{key(name)} input")
    box.fill(value)
    box.press("Enter")
    settle(page)


def test_first_fifteen_minutes(browser, app_server):
    base, db = app_server
    store = ScenarioStore(db)
    for rec in store.list():
        store.delete(rec.id)
    ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = ctx.new_page()

    # 1. open: the sample plan, weights in whole percents
    _open(page, base)
    _see(page, "30% on Go-lives due this quarter")

    # 2. change a target in percent: 85 means 85%, and the description says so
    _type(page, "plan.plan.metric.adoption_90d.target", "85")
    _see(page, "target 85% share of new clients")
    assert "8500%" not in _body(page)

    # 3. an accelerator tier: "Adopted within 90 days" as rate tiers, then one row more, prefilled
    page.locator(key("plan.plan.component_pick")).get_by_text("Adopted within 90 days").click()
    settle(page)
    page.locator(key("plan.plan.component.adoption.kind")).click()
    page.get_by_role("option", name="Rate tiers").click()
    _see(page, "paid in tiers")
    before = page.locator(key("designer_curve")).locator("xpath=..").inner_text()
    editor = page.locator("[class*='st-key-plan-plan-component-adoption-curve-tiers']")
    editor.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # let the grid finish mounting before its toolbar is used
    editor.hover()
    # the toolbar button sits over the grid, which takes the pointer: press it as a script would
    editor.get_by_role("button", name="Add row").evaluate("b => b.click()")
    _see(page, "above 120%")  # the new tier, 10 points above the last one, prefilled
    assert "must" not in page.locator("[data-testid='stAlert']").all_inner_texts().__str__()  # no red error
    assert before != page.locator(key("designer_curve")).locator("xpath=..").inner_text()

    # 4. refresh the browser: the work is still there (the address follows the scenario)
    page.wait_for_url("**?s=v1.*")
    page.reload()
    page.get_by_role("heading", name="Plan designer").wait_for(timeout=60_000)
    wait_idle(page)
    _see(page, "target 85% share of new clients")
    _see(page, "above 120%")

    # 5. share: the sidebar's link opens the same plan in a browser that has never seen it
    page.locator(".st-key-share_link button").first.click()  # the link is drawn when its popover opens
    link = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']").first.inner_text().strip()
    assert link.startswith("http") and "?s=v1." in link
    fresh = browser.new_context(viewport={"width": 1400, "height": 2400})
    other = fresh.new_page()
    _open(other, link)
    _see(other, "target 85% share of new clients")
    _see(other, "above 120%")
    fresh.close()

    # 6. compare two scenarios: save this one, change the plan cap, save again, compare
    page.get_by_role("link", name="Scenarios").click()
    page.get_by_role("heading", name="Scenarios").first.wait_for(timeout=60_000)
    wait_idle(page)
    save_scenario(page, "First draft")
    page.get_by_role("link", name="Plan designer").click()
    settle(page)
    _type(page, "plan.plan.cap", "200")
    _see(page, "never exceeds 200%")
    page.get_by_role("link", name="Scenarios").click()
    page.get_by_role("heading", name="Scenarios").first.wait_for(timeout=60_000)
    wait_idle(page)
    save_scenario(page, "Higher cap")
    # the comparison opens on this session's scenario and the last one saved before it
    page.get_by_text("What changed").first.wait_for(timeout=60_000)
    wait_idle(page)
    # the grid draws on a canvas; its accessible table holds the cells
    page.wait_for_timeout(1000)
    grids = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"]')].map("
                          "d => d.textContent)")
    changed = next(g for g in grids if "What changed" in g)
    assert "Plan cap" in changed and "200%" in changed and "150%" in changed and "plan.cap" not in changed
    assert any(" vs " in g and "Expected cost" in g for g in grids)  # a difference column

    # 7. open HR: the read-only plan document of the saved scenario
    rec = next(r for r in store.list() if r.name == "Higher cap")
    hr = browser.new_context(viewport={"width": 1200, "height": 1600})
    doc = hr.new_page()
    _open(doc, f"{base}/?hr={store.share_token(rec.id)}")  # a read-only HR link (a token, ui.hr_links)
    doc.get_by_text("How the plan works").wait_for(timeout=60_000)
    _see(doc, "85% share of new clients")
    assert doc.locator("input, textarea, [data-baseweb='select']").count() == 0
    hr.close()
    ctx.close()


@pytest.mark.skipif(not SHOTS, reason="set COMPCORE_SCREENSHOTS=<folder> to write the Cost and Targets screenshots")
def test_cost_and_targets_screenshots(browser, app_url):
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    for width, tag in ((1400, "desktop"), (390, "phone")):
        ctx = browser.new_context(viewport={"width": width, "height": 2600}, device_scale_factor=1)
        page = ctx.new_page()
        for path in ("cost_simulation", "targets_from_data"):
            _open(page, f"{app_url}/{path}")
            page.wait_for_timeout(2500)
            page.screenshot(path=str(out / f"after_{path}_{tag}.png"), full_page=True)
        ctx.close()
