"""Chromium: the designer's state by id (issue 19). A real browser sends every widget's last state on every
rerun, which AppTest does not; this is where the crash of a plan switch showed.

1. In each of the four plans of the seed-001 org: switch to it, edit a target and a curve point, with no
   exception box; each edit lands in that plan only (read from the ``?s=`` address).
2. Add a plan, change its "Paid every", edit a target: no exception box (the second crash of the issue).
3. One arrow-key press on a weight slider moves it one point.
4. Refresh: the same plan is being edited, the plans keep their order and Undo still has the edits.

With ``COMPCORE_SCREENSHOTS=<dir>`` it writes designer_1400.png / designer_390.png / scenarios_1400.png /
scenarios_390.png there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture fails (CI) or skips without playwright
    PlaywrightError = Exception  # noqa: N816

from compcore.io.share import decode_scenario
from tests.e2e.conftest import key, running_app, save_scenario, settle

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")
ERROR_TEXT = "This app has encountered an error"


@pytest.fixture(scope="module")
def org_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("by_id")
    log = folder / "server.log"
    with running_app(f"sqlite:///{folder / 'store.db'}", None, log=log) as base:
        yield base, log


@pytest.fixture
def page(browser, org_app) -> Any:
    base, _ = org_app
    ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
    p = ctx.new_page()
    p.set_default_timeout(30_000)
    p.goto(base)
    p.get_by_role("heading", name="Plan designer").wait_for(timeout=60_000)
    p.wait_for_url(re.compile(r"[?&]s=v1\."), timeout=60_000)
    yield p
    ctx.close()


def _ok(page: Any, log: Path, what: str) -> None:
    page.wait_for_timeout(300)
    settle(page, timeout=120_000)
    boxes = page.locator("[data-testid='stException']").all_inner_texts()
    if boxes or ERROR_TEXT in page.inner_text("body"):
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise AssertionError(f"{what}: the page broke: {boxes}\n--- server log ---\n{tail}")


def _scenario(page: Any) -> dict[str, Any]:
    return decode_scenario(parse_qs(urlsplit(page.url).query).get("s", [""])[0])


def _after(page: Any, log: Path, before: dict[str, Any], what: str) -> dict[str, Any]:
    """Wait until the address holds another scenario than ``before``."""
    for _ in range(60):
        _ok(page, log, what)
        try:
            now = _scenario(page)
        except Exception:  # noqa: BLE001 - the address is being rewritten
            now = before
        if now != before:
            return now
        page.wait_for_timeout(500)
    raise AssertionError(f"{what}: the scenario in the address did not change")


def _choose_plan(page: Any, log: Path, name: str) -> None:
    page.get_by_role("combobox", name="Plan being edited", exact=True).click()
    page.get_by_role("option").filter(has_text=name).first.click()
    _ok(page, log, f"switch to {name}")
    page.get_by_text(f"Editing plan: {name}").first.wait_for(timeout=60_000)


def _type_target(page: Any, pid: str, mid: str, value: str) -> None:
    box = page.locator(f"{key(f'plan.{pid}.metric.{mid}.target')} input")
    box.fill(value)
    box.press("Enter")


def _first_payout(plan: dict[str, Any], cid: str) -> float:
    curve = next(c for c in plan["components"] if c["id"] == cid)["curve"]
    rows = curve.get("points") or curve.get("steps") or []
    return float(rows[0][1]) if rows else float(curve["bands"][0]["rate"])


def _edit_curve_point(page: Any, value: str) -> None:
    """Type ``value`` in row 1, column 2 of the curve table of the component being edited."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    cell = page.locator("#portal textarea, #portal input").first  # the grid's cell editor
    for _ in range(5):
        grid.dblclick(position={"x": box["width"] * 0.75, "y": 35 + 17})
        try:
            cell.wait_for(state="visible", timeout=3_000)
            break
        except PlaywrightError:  # the grid was still mounting: the double click only selected
            page.keyboard.press("Escape")
    cell.fill(value)
    cell.press("Enter")


def test_each_plan_switch_edit_a_target_and_a_curve_point_then_refresh(page, org_app) -> None:
    _, log = org_app
    start = _scenario(page)
    order = list(start["plans"])
    assert len(order) == 4
    for pid in order:
        plan = start["plans"][pid]
        _choose_plan(page, log, plan["name"])
        before = _scenario(page)
        mid = plan["metrics"][0]["id"]
        _type_target(page, pid, mid, "7")  # 7% for a share, 7 for a count: a change either way
        after = _after(page, log, before, f"{pid}: target")
        assert after["plans"][pid]["metrics"][0]["target"] != before["plans"][pid]["metrics"][0]["target"]
        assert {p: v for p, v in after["plans"].items() if p != pid} == \
            {p: v for p, v in before["plans"].items() if p != pid}, f"editing {pid} changed another plan"

        before = after
        cid = plan["components"][0]["id"]
        payout = round(_first_payout(before["plans"][pid], cid) * 100 + 5)
        _edit_curve_point(page, str(payout))
        after = _after(page, log, before, f"{pid}: curve point")
        assert _first_payout(after["plans"][pid], cid) == pytest.approx(payout / 100)
        assert {p: v for p, v in after["plans"].items() if p != pid} == \
            {p: v for p, v in before["plans"].items() if p != pid}, f"the curve of {pid} changed another plan"

    # the plan being edited is Change & Enablement (the last one); a refresh keeps it, the order and the undo
    undo_help = page.locator(key("undo")).get_by_role("button").get_attribute("disabled")
    assert undo_help is None  # there is something to undo
    page.reload()
    page.get_by_role("heading", name="Plan designer").wait_for(timeout=60_000)
    _ok(page, log, "refresh")
    last = start["plans"][order[-1]]["name"]
    page.get_by_text(f"Editing plan: {last}").first.wait_for(timeout=60_000)
    assert last in page.get_by_role("combobox", name="Plan being edited", exact=True).input_value()
    assert list(_scenario(page)["plans"]) == order
    edited = _scenario(page)
    page.locator(key("undo")).get_by_role("button").click()
    back = _after(page, log, edited, "undo after the refresh")
    assert _first_payout(back["plans"][order[-1]], start["plans"][order[-1]]["components"][0]["id"]) != \
        _first_payout(edited["plans"][order[-1]], start["plans"][order[-1]]["components"][0]["id"])
    if SHOTS:
        _screenshots(page, log, Path(SHOTS))


def _screenshots(page: Any, log: Path, out: Path) -> None:
    """The designer (weights and the component being edited) and the Scenarios page (a saved scenario)."""
    page.get_by_text("Components and weights").first.scroll_into_view_if_needed()
    page.screenshot(path=str(out / "designer_1400.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 1800})
    _ok(page, log, "390 px")
    page.screenshot(path=str(out / "designer_390.png"), full_page=False)
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Scenarios").click()
    page.get_by_role("heading", name="Scenarios").first.wait_for(timeout=60_000)
    _ok(page, log, "Scenarios")
    save_scenario(page, "Org edited by id")
    _ok(page, log, "saved")
    page.get_by_role("button", name="Make read-only link").click()
    page.get_by_text("New read-only link").wait_for(timeout=60_000)
    _ok(page, log, "HR link on the first click")
    page.screenshot(path=str(out / "scenarios_1400.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 1800})
    _ok(page, log, "Scenarios at 390 px")
    page.get_by_text("Saved scenarios").first.scroll_into_view_if_needed()
    page.screenshot(path=str(out / "scenarios_390.png"), full_page=False)


def test_paid_every_on_an_added_plan_then_a_target_and_one_point_per_arrow_key(page, org_app) -> None:
    _, log = org_app
    page.locator(key("add_plan")).get_by_role("button").click()
    _ok(page, log, "add a blank plan")
    page.get_by_text("Editing plan: New plan").first.wait_for(timeout=60_000)
    page.get_by_role("combobox", name="Paid every", exact=True).click()
    page.get_by_role("option", name="month", exact=True).click()
    _ok(page, log, "paid every month")
    page.locator(f"{key('plan.new_plan.metric.new_metric.target')} input").fill("3")
    page.locator(f"{key('plan.new_plan.metric.new_metric.target')} input").press("Enter")
    _ok(page, log, "a target after the period changed")

    _choose_plan(page, log, "PMO quarterly bonus")
    slider = page.locator(f"{key('plan.pmo.component.company.weight')} input[type='range']")
    before = int(slider.input_value())
    slider.focus()
    page.keyboard.press("ArrowLeft")
    _ok(page, log, "one arrow key on a weight slider")
    page.wait_for_timeout(1000)
    assert int(slider.input_value()) == before - 1
