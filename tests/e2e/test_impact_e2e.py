"""Browser e2e: "Who wins, who loses" on the Scenarios page (issue 20), at 1400 and 390 px.

Two saved versions of the seed-001 org (a harder adoption bar for Implementation, the PMO moved onto
the Customer Success plan): the sentence, the table with the biggest losers first, and the same on the
CS records. Set ``COMPCORE_SCREENSHOTS=<folder>`` to write ``impact_<width>.png`` there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from compcore.io.store import ScenarioStore
from tests.e2e.conftest import key, wait_for_text, wait_idle

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")


def _scenarios() -> tuple[dict[str, Any], dict[str, Any]]:
    base = json.loads((ROOT / "sample_data/scenarios/cs_org_teams.json").read_text())
    stretch = json.loads(json.dumps(base))
    stretch["plans"]["implementation"]["metrics"][0]["target"] *= 1.1
    for row in stretch["roster"]:
        if row["team"] == "PMO":
            row["plan"] = "customer_success"
    return base, stretch


@pytest.fixture()
def saved_pair(app_server: tuple[str, str]) -> str:
    store = ScenarioStore(app_server[1])
    for rec in store.list():
        store.delete(rec.id)
    base, stretch = _scenarios()
    store.save("Org base", base)
    store.save("Org stretch", stretch)
    store.close()
    return app_server[0]


def _add(page: Any, name: str) -> None:
    """Add ``name`` to the scenarios compared (unless it is already there)."""
    box = page.locator("[data-testid='stMultiSelect']").first
    wait_for_text(page, "Scenarios to compare")
    if name in box.inner_text():
        return
    picker = page.get_by_role("combobox", name="Scenarios to compare (2 to 4)")
    picker.click()
    picker.press_sequentially(name)
    page.get_by_role("option").filter(has_text=name).first.click()
    page.keyboard.press("Escape")
    wait_idle(page)


def _choose(page: Any, widget: str, name: str) -> None:
    """Pick ``name`` in the selectbox of key ``widget``."""
    box = page.locator(key(widget)).get_by_role("combobox")
    box.click()
    box.press_sequentially(name)
    page.get_by_role("option").filter(has_text=name).first.click()
    wait_idle(page)


@pytest.mark.parametrize("width", [1400, 390])
def test_who_wins_who_loses_in_the_browser(saved_pair: str, browser: Any, width: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{saved_pair}/scenarios")
    page.get_by_role("heading", name="Scenarios").first.wait_for(timeout=60_000)
    wait_idle(page)
    _add(page, "Org base")
    _add(page, "Org stretch")
    page.get_by_role("heading", name="Who wins, who loses").wait_for(timeout=120_000)
    _choose(page, "impact_before", "Org base")
    _choose(page, "impact_after", "Org stretch")
    wait_for_text(page, "Implementation loses", timeout=120_000)
    wait_for_text(page, "per quarter on average (P10")
    who = page.locator(key("impact_who"))
    who.wait_for(timeout=60_000)
    page.locator(key("impact_plans")).wait_for(timeout=60_000)
    page.locator(key("impact_history")).locator("label").first.click()
    wait_for_text(page, "On the records (", timeout=180_000)
    page.locator(key("impact_history_table")).wait_for(timeout=60_000)
    wait_idle(page)
    if SHOTS:
        who.scroll_into_view_if_needed()
        page.get_by_role("heading", name="Who wins, who loses").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"impact_{width}.png"), full_page=False)
        page.locator(key("impact_plans")).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"impact_{width}_plans.png"), full_page=False)
        page.locator(key("impact_history_table")).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"impact_{width}_history.png"), full_page=False)
    ctx.close()
