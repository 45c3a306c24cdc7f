"""Browser flow on the seed-001 org (issue 11): add a plan, move a team onto it, see the fairness flag
change, save, and open one plan's HR link in a fresh browser context.

Runs its own ``streamlit run app.py`` on the app's own default (the org). With
``COMPCORE_SCREENSHOTS=<dir>`` it writes org_cost_1400.png / org_cost_390.png there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from compcore.io.store import ScenarioStore
from compcore.simulation.roster import roster_from_csv, roster_to_csv
from tests.e2e.conftest import key, running_app, settle

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")
NEW = "implementation_quarterly_bonus"  # the id of "Implementation quarterly bonus (copy)" (30 characters)


@pytest.fixture(scope="module")
def org_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = f"sqlite:///{tmp_path_factory.mktemp('e2e_org') / 'store.db'}"
    with running_app(db, default_scenario=None) as base:
        yield base, db


def _nav(page: Any, name: str) -> None:
    page.get_by_role("link", name=name).click()
    settle(page)


def _moved_roster_csv(tmp: Path) -> Path:
    """The org's roster with PMO's rows on the new plan (what a leader would upload after editing it)."""
    data = json.loads((ROOT / "sample_data/scenarios/cs_org_teams.json").read_text())
    rows = roster_from_csv(roster_to_csv([r for r in __import__("compcore").load_scenario(data).roster]))
    moved = [r.model_copy(update={"plan": NEW}) if r.team == "PMO" else r for r in rows]
    path = tmp / "roster.csv"
    path.write_text(roster_to_csv(moved))
    return path


def test_add_a_plan_move_a_team_see_fairness_change_save_and_open_one_plans_hr_link(org_server, browser,
                                                                                   tmp_path):
    base, db = org_server
    ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = ctx.new_page()
    page.goto(base)
    settle(page)
    page.get_by_text("Editing plan: PMO quarterly bonus").first.wait_for(timeout=60_000)

    # add a plan: a copy of Implementation's
    picker = page.locator(key("new_plan_from")).get_by_role("combobox")
    picker.click()
    picker.press_sequentially("Copy of Impl")
    page.get_by_role("option").filter(has_text="Copy of Implementation quarterly bonus").first.click()
    settle(page)
    page.locator(key("add_plan")).get_by_role("button").click()
    settle(page)
    page.get_by_text("Editing plan: Implementation quarterly bonus (copy)").first.wait_for(timeout=60_000)

    _nav(page, "Cost simulation")
    # with the sample's targets Change & Enablement stands out (62%, the others 12-43%)
    page.get_by_text("Change & Enablement reaches target in").wait_for(timeout=60_000)
    assert page.get_by_text("Customer Success reaches target in").count() == 0

    # move PMO onto the new plan (roster CSV with a plan column)
    page.get_by_role("tab", name="Roster").click()
    page.locator(key("roster_upload")).wait_for(timeout=60_000)  # the tab's content comes with its rerun
    settle(page)
    page.locator(f"{key('roster_upload')} input[type='file']").set_input_files(str(_moved_roster_csv(tmp_path)))
    settle(page)
    # PMO on the adoption plan: now Customer Success is the one left behind (21%, the others 43-62%)
    page.get_by_text("Customer Success reaches target in").wait_for(timeout=60_000)
    assert page.get_by_text("Change & Enablement reaches target in").count() == 0
    assert page.locator(f"{key('cost_by_plan')} [data-testid='stVegaLiteChart']").count() == 1
    if SHOTS:
        page.locator(key("fairness")).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / "org_cost_1400.png"), full_page=False)
        page.set_viewport_size({"width": 390, "height": 1600})
        settle(page)
        page.screenshot(path=str(Path(SHOTS) / "org_cost_390.png"), full_page=False)
        page.set_viewport_size({"width": 1400, "height": 2400})
        settle(page)

    # save, then open one plan's HR link in a fresh context
    _nav(page, "Scenarios")
    box = page.get_by_label("Name", exact=True)
    box.fill("Org E2E")
    box.press("Enter")
    settle(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved “Org E2E”").wait_for(timeout=60_000)
    rec = ScenarioStore(db).get("Org E2E")
    assert NEW in rec.data["plans"] and {r["plan"] for r in rec.data["roster"] if r["team"] == "PMO"} == {NEW}
    ctx.close()

    hr = browser.new_context(viewport={"width": 1200, "height": 1000})  # no cookies, no session
    view = hr.new_page()
    view.goto(f"{base}/?hr={ScenarioStore(db).share_token(rec.id)}&doc={NEW}")  # a read-only HR link
    view.get_by_role("heading", name="Org E2E: Implementation quarterly bonus (copy)").wait_for(timeout=60_000)
    view.get_by_text("How the plan works").wait_for()
    settle(view)
    assert view.locator("input, textarea, [data-baseweb='select']").count() == 0  # read-only
    hr.close()
