"""Browser e2e (Playwright + Debian chromium): save two scenarios and compare them; open an HR link fresh.

Starts ``streamlit run app.py`` on a free local port with a temporary SQLite
store. With CI=true a missing browser fails the run instead of skipping.
Set ``COMPCORE_SCREENSHOTS=docs`` to write docs/scenarios.png and docs/plan_document.png.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from compcore.io.store import ScenarioStore
from tests.e2e.conftest import save_scenario
from tests.e2e.conftest import wait_idle as _wait_idle

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")


@pytest.fixture()
def store_server(app_server: tuple[str, str]) -> tuple[str, str]:
    """(base URL, database URL) of the shared app server, its store emptied first."""
    store = ScenarioStore(app_server[1])
    for rec in store.list():
        store.delete(rec.id)
    return app_server


@pytest.fixture()
def chromium(browser: Any) -> Any:
    return browser


def test_save_two_scenarios_and_compare(store_server, chromium):
    base, db = store_server
    ctx = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{base}/scenarios")
    page.get_by_role("heading", name="Scenarios").first.wait_for(timeout=60_000)
    _wait_idle(page)
    save_scenario(page, "E2E base")
    save_scenario(page, "E2E stretch")
    assert sorted(r.name for r in ScenarioStore(db).list()) == ["E2E base", "E2E stretch"]
    picker = page.get_by_role("combobox", name="Scenarios to compare (2 to 4)")
    box = page.locator("[data-testid='stMultiSelect']").first
    for name in ("E2E base", "E2E stretch"):
        if name in box.inner_text():  # picked already (the first two scenarios are picked for you)
            continue
        picker.click()
        picker.press_sequentially(name)
        page.get_by_role("option").filter(has_text=name).first.click()
        _wait_idle(page)
    page.keyboard.press("Escape")
    _wait_idle(page)
    page.get_by_text("Key figures").wait_for(timeout=60_000)
    page.get_by_text("identical apart from their names").wait_for(timeout=60_000)
    page.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for(timeout=60_000)
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 2
    ctx.close()


def test_hr_link_in_a_fresh_browser_context(store_server, chromium):
    base, db = store_server
    store = ScenarioStore(db)
    rec = store.save("E2E for HR", store.list()[0].data if store.list() else _sample(), author="Ana")
    token = store.share_token(rec.id, author="Ana")
    ctx = chromium.new_context(viewport={"width": 1200, "height": 1000})  # no cookies, no session
    page = ctx.new_page()
    # whatever else the URL says (another page, a scenario id, an editor link), the token's document only
    page.goto(f"{base}/scenarios?hr={token}&scenario={rec.id}&view=edit")
    page.get_by_role("heading", name="E2E for HR").wait_for(timeout=60_000)
    page.get_by_text("How the plan works").wait_for()
    page.get_by_text("Worked examples").first.wait_for()
    page.get_by_text("Expected cost").first.wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_text("Saved version 1").count() >= 1
    assert page.locator("input, textarea, [data-baseweb='select']").count() == 0  # read-only
    assert page.locator("[data-testid='stSidebarNav']").count() == 0  # no way to the editing pages
    assert page.get_by_role("heading", name="Scenarios").count() == 0
    assert page.get_by_text("Page not found").count() == 0  # every page address is this document here
    # the document's short tables are static tables (no toolbar); a grid, where there is one, keeps its
    # toolbar without the raw CSV download
    grids = page.locator("[data-testid='stDataFrame']")
    for i in range(grids.count()):
        grids.nth(i).hover()
        page.wait_for_timeout(500)
        assert page.locator("[data-testid='stElementToolbar'] button").count() >= 1
    assert page.locator("[data-testid='stTable']").count() >= 3
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    store.revoke_token(token)
    page.reload()
    page.get_by_text("not valid").first.wait_for(timeout=60_000)
    assert page.get_by_role("heading", name="E2E for HR").count() == 0
    ctx.close()


def _sample() -> dict:
    from compcore.simulation.scenario import dump_scenario, load_scenario

    return dump_scenario(load_scenario(ROOT / "sample_data/scenarios/cs_ops_enablement.json"))


@pytest.mark.skipif(not SHOTS, reason="set COMPCORE_SCREENSHOTS=<dir> to take the README screenshots")
def test_screenshots(store_server, chromium):
    """docs/scenarios.png (two different scenarios compared) and docs/plan_document.png (HR view)."""
    base, db = store_server
    store = ScenarioStore(db)
    data = _sample()
    store.save("FY27 base case", data, author="Ana")
    stretch = dict(data, name="FY27 stretch", budget=data["budget"] * 1.1)
    stretch["plan"] = dict(data["plan"], cap=1.5)
    stretch["plan"]["components"] = [dict(c) for c in data["plan"]["components"]]
    stretch["plan"]["components"][1]["curve"] = {"kind": "linear", "points": [[0.9, 0.5], [1.0, 1.0], [1.3, 2.5]]}
    store.save("FY27 stretch", stretch, author="Ana")
    ctx = chromium.new_context(viewport={"width": 1400, "height": 2300})
    page = ctx.new_page()
    page.goto(base)  # through the app's navigation, as a user does (wide layout, page titles)
    _wait_idle(page)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Scenarios").click()
    page.get_by_role("heading", name="Compare side by side").wait_for(timeout=60_000)
    _wait_idle(page)
    picker = page.get_by_role("combobox", name="Scenarios to compare (2 to 4)")
    page.locator("[data-testid='stMultiSelect'] [aria-label='Clear all']").first.click()
    _wait_idle(page)
    for name in ("FY27 base case", "FY27 stretch"):
        picker.click()
        picker.press_sequentially(name)
        page.get_by_role("option").filter(has_text=name).first.click()
        _wait_idle(page)
    page.keyboard.press("Escape")
    page.get_by_text("What changed").wait_for(timeout=60_000)
    _wait_idle(page)
    page.get_by_text("Compare side by side").scroll_into_view_if_needed()
    page.wait_for_timeout(2000)
    page.screenshot(path=str(ROOT / SHOTS / "scenarios.png"))
    rec = store.get("FY27 base case")
    hr = chromium.new_context(viewport={"width": 1200, "height": 2600})
    doc = hr.new_page()
    doc.goto(f"{base}/?hr={store.share_token(rec.id, author='Ana')}")
    doc.get_by_text("Expected cost").first.wait_for(timeout=60_000)
    _wait_idle(doc)
    doc.wait_for_timeout(2000)
    doc.screenshot(path=str(ROOT / SHOTS / "plan_document.png"))
    ctx.close()
    hr.close()
