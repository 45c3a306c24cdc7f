"""Browser e2e (issue 22): what a page makes Chromium load and draw before a person asks for it.

On the app's own default (the seed-001 org): opening a page does not load the 1.5 MB code highlighter (the
share link's code block is in a popover, drawn when opened), and the Cost page draws only the open input
tab (a click on another tab brings its content with a rerun).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import key, running_app, settle

pytestmark = pytest.mark.e2e
HIGHLIGHTER_JS = ("() => performance.getEntriesByType('resource')"
                  ".some(e => e.name.includes('SyntaxHighlighter'))")


@pytest.fixture(scope="module")
def org_url(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with running_app(f"sqlite:///{tmp_path_factory.mktemp('e2e_weight') / 'store.db'}", default_scenario=None) as url:
        yield url


def test_the_share_link_and_its_highlighter_come_when_the_popover_opens(org_url, browser):
    page = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
    page.goto(org_url)
    settle(page)
    page.get_by_text("Editing plan:").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    assert page.locator("[data-testid='stCode']").count() == 0
    assert not page.evaluate(HIGHLIGHTER_JS)
    page.locator(".st-key-share_link button").first.click()
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']").first
    code.wait_for(timeout=30_000)
    assert "?s=v1." in code.inner_text()
    page.wait_for_function(HIGHLIGHTER_JS, timeout=30_000)  # the check above can see it: now it is loaded
    page.context.close()


def test_the_cost_page_draws_only_the_open_input_tab(org_url, browser):
    page = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
    page.goto(f"{org_url}/cost_simulation")
    page.get_by_role("heading", name="Cost simulation").first.wait_for(timeout=60_000)
    settle(page)
    page.locator(".st-key-preview_go_live_on_time").first.wait_for(timeout=60_000)  # Assumptions: open
    assert page.locator(key("roster_upload")).count() == 0
    assert page.get_by_text("Correlation (rho, -1 to 1)").count() == 0
    page.get_by_role("tab", name="Correlations").click()
    page.get_by_text("Correlation (rho, -1 to 1)").first.wait_for(timeout=60_000)
    settle(page)
    assert page.locator(".st-key-preview_go_live_on_time").count() == 0
    page.get_by_role("tab", name="Roster").click()
    page.locator(key("roster_upload")).wait_for(timeout=60_000)
    page.context.close()
