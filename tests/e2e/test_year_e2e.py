"""Browser flow of the plan year (issue 21) on the seed-001 org: set a year-to-date schedule, add a hire in Q3,
switch the Cost page to Year and read the annual P90 (the number compcore gives for the same scenario).

Runs its own ``streamlit run app.py`` on the app's own default (the org). With ``COMPCORE_SCREENSHOTS=<dir>``
it writes year_designer_<w>.png and year_cost_<w>.png at 1400 and 390 px there.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

import compcore
from compcore.simulation.roster import roster_from_csv, roster_rows, roster_to_csv
from tests.e2e.conftest import key, metric_value, running_app, settle

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")
HIRE = {"team": "PMO", "role": "Project Manager", "headcount": 1, "base_salary": 104000, "plan": "pmo",
        "start": "2027-08-03"}


@pytest.fixture(scope="module")
def year_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = f"sqlite:///{tmp_path_factory.mktemp('e2e_year') / 'store.db'}"
    with running_app(db, default_scenario=None) as base:
        yield base


def _with_hire(data: dict[str, Any]) -> list[Any]:
    return [*compcore.load_scenario(data).roster, *roster_rows([HIRE])]


def _expected_p90() -> str:
    """The annual P90 of the org with PMO measured year to date and the Q3 hire, by compcore."""
    data = json.loads((ROOT / "sample_data/scenarios/cs_org_teams.json").read_text())
    edited = copy.deepcopy(data)
    edited["plans"]["pmo"]["schedule"]["measure"] = "year_to_date"
    edited["roster"] = [r.model_dump(mode="json", exclude_none=True) for r in _with_hire(data)]
    yr = compcore.simulate_year(edited, trials=10_000, seed=0)
    return f"${yr.percentiles['P90']:,.0f}"


def _shot(page: Any, name: str, locator: str) -> None:
    if not SHOTS:
        return
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 1600})
        settle(page)
        page.wait_for_timeout(1500)
        page.locator(locator).first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / f"{name}_{width}.png"), full_page=False)
    page.set_viewport_size({"width": 1400, "height": 2400})
    settle(page)


def test_set_a_year_to_date_schedule_add_a_q3_hire_and_read_the_annual_p90(year_server, browser, tmp_path):
    ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = ctx.new_page()
    page.goto(year_server)
    settle(page)
    page.get_by_text("Editing plan: PMO quarterly bonus").first.wait_for(timeout=60_000)

    # Plan designer, "Paid over the year": PMO measured year to date (by the option's words, stored by id)
    section = page.locator(key("pmo_paid_over_the_year"))
    section.scroll_into_view_if_needed()
    section.locator(key("pmo_schedule_measure")).get_by_text("Year to date, with catch-up").click()
    settle(page)
    page.get_by_text("Each period end measures the year so far").first.wait_for(timeout=60_000)
    grid = section.locator("[data-testid='stDataFrame']").last  # the worked year (the grid draws on a canvas:
    grid.scroll_into_view_if_needed()                            # its accessible table holds the cells)
    page.wait_for_timeout(1000)
    cells = grid.evaluate("g => [...g.querySelectorAll('td')].map(t => t.textContent)")
    assert "Year end" in cells and "Total" in cells
    _shot(page, "year_designer", key("pmo_paid_over_the_year"))

    # Cost page, Roster tab: a hire joining on 3 August (Q3), from a roster CSV with a start column
    page.get_by_role("link", name="Cost simulation").click()
    settle(page)
    page.get_by_role("tab", name="Roster").click()
    page.locator(key("roster_upload")).wait_for(timeout=60_000)  # the tab's content comes with its rerun
    settle(page)
    data = json.loads((ROOT / "sample_data/scenarios/cs_org_teams.json").read_text())
    csv_path = tmp_path / "roster.csv"
    csv_path.write_text(roster_to_csv(_with_hire(data)))
    assert roster_from_csv(csv_path)[-1].start.isoformat() == "2027-08-03"
    page.locator(f"{key('roster_upload')} input[type='file']").set_input_files(str(csv_path))
    settle(page)
    page.get_by_text("Joining or leaving during the year").wait_for(timeout=60_000)
    page.get_by_text("2027-08-03").first.wait_for(timeout=60_000)

    # the Year view: the annual P90 is compcore's for the same scenario
    page.locator(key("cost_horizon")).get_by_text("Year", exact=True).click()
    settle(page)
    page.get_by_text("P90 of the year").first.wait_for(timeout=120_000)
    settle(page)
    expected = _expected_p90()
    page.wait_for_function(
        "([label, v]) => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some("
        "m => m.innerText.includes(label) && m.innerText.includes(v))", arg=["P90 of the year", expected],
        timeout=120_000)
    assert metric_value(page, "P90 of the year") == expected
    assert page.locator(f"{key('year_cash')} [data-testid='stVegaLiteChart']").count() == 1
    alerts = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    assert "Traceback" not in alerts and "error" not in alerts.lower()
    _shot(page, "year_cost", key("year_figures"))
    ctx.close()
