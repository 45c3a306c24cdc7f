"""Browser flow: upload the vendor-shaped Excel sample on Targets from data, accept the guessed column
mapping, and see the same "adopted within 90 days" figures as the native sample CSVs.

With ``COMPCORE_SCREENSHOTS=<folder>`` it also writes the mapping step at desktop (1400 px) and phone
(390 px) width: targets_import.png and targets_import_phone.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import key, settle

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
XLSX = ROOT / "sample_data" / "vendor_export" / "crm_export.xlsx"
SHOTS = os.environ.get("COMPCORE_SCREENSHOTS")


def _drawn(page) -> None:
    """Wait until the headline and its team figures are drawn and the script run has ended."""
    page.wait_for_selector(f"{key('tfd_headline')} [data-testid='stMetric']", timeout=90_000)
    settle(page, timeout=90_000)


def _headline(page) -> str:
    _drawn(page)
    return page.locator(f"{key('tfd_headline')} h4").first.inner_text().strip()


def _team_figures(page) -> list[str]:
    _drawn(page)
    box = page.locator(key("tfd_headline"))
    return [t.strip() for t in box.locator("[data-testid='stMetric']").all_inner_texts()]


def _upload_vendor_sample(page, url: str) -> None:
    page.goto(f"{url}/targets_from_data")
    settle(page)
    page.get_by_text("Your own export (CSV or Excel, any column names)").click()
    settle(page)
    page.locator(f"{key('tfd_export_upload')} input[type='file']").set_input_files(str(XLSX))
    settle(page, timeout=90_000)


def test_vendor_excel_gives_the_native_adoption_figures(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{app_url}/targets_from_data")
    settle(page)
    native, native_teams = _headline(page), _team_figures(page)
    assert "Adopted within 90 days" in native and native_teams
    _upload_vendor_sample(page, app_url)
    assert _headline(page) == native
    assert _team_figures(page) == native_teams
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    ctx.close()


@pytest.mark.skipif(not SHOTS, reason="set COMPCORE_SCREENSHOTS=<folder> to write page screenshots")
@pytest.mark.parametrize(("width", "name"), [(1400, "targets_import"), (390, "targets_import_phone")])
def test_mapping_step_screenshots(browser, app_url, width, name):
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": width, "height": 2200 if width > 500 else 3600})
    page = ctx.new_page()
    _upload_vendor_sample(page, app_url)
    _headline(page)
    page.locator(f"{key('tfd_mapping_step')} summary").first.click()
    settle(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(out / f"{name}.png"), full_page=False)
    ctx.close()
