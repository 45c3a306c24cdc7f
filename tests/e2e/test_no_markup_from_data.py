"""In Chromium: names full of markup never become images or links, on any page nor any form of an HR link.

Issue 23 item 1: names such as ``![x](http://host/p.png)`` became real ``<img>`` elements (28 requests to a
pixel server) and live links on the plan document, ``?scenario=``, ``?hr=`` and its ``&doc=`` forms. Here a
pixel server on 127.0.0.1 counts every request it gets while every page, every document of the editor and
every HR form is open with hostile names (it must get none), and each page's DOM is read for ``img`` and
``a`` elements that point at it (there must be none) while the names show as their characters.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import pytest

from compcore.io.share import encode_scenario
from compcore.io.store import ScenarioStore
from tests.e2e.conftest import ROOT, free_port, key, settle

pytestmark = pytest.mark.e2e
PAGES = ["plan_designer", "payout_curves", "cost_simulation", "scenarios", "plan_document", "targets_from_data"]
PLAN_IDS = ["pmo", "implementation", "customer_success", "change_enablement"]


class _Pixel(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def pixel() -> Iterator[tuple[str, list[str]]]:
    """(base URL, the paths requested so far) of a pixel server on 127.0.0.1."""
    _Pixel.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Pixel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _Pixel.hits
    finally:
        server.shutdown()


def _names(host: str) -> list[str]:
    return [f"![px]({host}/image.png)", f"[Sign in again]({host}/login)", f"<img src={host}/html.png>",
            f"see {host}/auto and www.example.com"]


def hostile_org(host: str) -> dict[str, Any]:
    """The seed-001 org with every plan, metric, component, team and role, and the scenario, named with markup."""
    data = json.loads((ROOT / "sample_data/scenarios/cs_org_teams.json").read_text())
    names = _names(host)
    teams = {t: f"{names[i % 4]} {i}" for i, t in enumerate(dict.fromkeys(r["team"] for r in data["roster"]))}
    for i, plan in enumerate(data["plans"].values()):
        plan["name"] = f"{names[i % 4]} plan {i}"
        for j, m in enumerate(plan["metrics"]):
            m["name"] = f"{names[(i + j) % 4]} m{j}"
        for j, c in enumerate(plan["components"]):
            c["name"] = f"{names[(i + j + 1) % 4]} c{j}"
    for r in data["roster"]:
        r["team"], r["role"] = teams[r["team"]], names[1]
    for a in data["assumptions"].values():
        if a.get("by_team"):
            a["by_team"] = {teams[t]: d for t, d in a["by_team"].items()}
    data["name"] = names[0]
    return data


def hostile_plan(host: str) -> dict[str, Any]:
    """A single-plan scenario (cs_ops_enablement, which has a gate) named with markup."""
    data = json.loads((ROOT / "sample_data/scenarios/cs_ops_enablement.json").read_text())
    if "plan_file" in data:
        data["plan"] = json.loads((ROOT / "sample_data/scenarios" / data.pop("plan_file")).read_text())
    data = copy.deepcopy(data)
    names = _names(host)
    data["plan"]["name"] = names[0]
    for i, m in enumerate(data["plan"]["metrics"]):
        m["name"] = names[i % 4]
    for i, c in enumerate(data["plan"]["components"]):
        c["name"] = names[(i + 1) % 4]
    for r in data["roster"]:
        r["team"], r["role"] = names[2], names[3]
    data["name"] = names[1]
    return data


_FROM_DATA = """(host) => ({
  img: [...document.querySelectorAll('img')].filter(e => (e.getAttribute('src') || '').includes(host)).length,
  a: [...document.querySelectorAll('a')].filter(e => (e.getAttribute('href') || '').includes(host)
       || (e.getAttribute('href') || '').includes('example.com')).length,
  text: document.body.innerText,
})"""


def _check(page: Any, host: str, where: str, names_shown: bool = True) -> None:
    settle(page, timeout=120_000)
    page.wait_for_timeout(1500)  # let any image start loading
    assert not page.locator("[data-testid='stException']").count(), where
    found = page.evaluate(_FROM_DATA, host)
    assert (found["img"], found["a"]) == (0, 0), f"{where}: {found['img']} img, {found['a']} a elements from data"
    shown = found["text"].replace("\u2060", "")  # the invisible joiner that stops autolinks
    assert f"]({host}/" in shown or not names_shown, f"{where}: the names are not shown as their characters"


def _open(page: Any, url: str, host: str, where: str, names_shown: bool = True) -> None:
    page.goto(url)
    page.get_by_role("heading").first.wait_for(timeout=120_000)
    _check(page, host, where, names_shown)


def test_no_request_reaches_the_pixel_server_from_any_page_or_hr_form(browser: Any, app_server: tuple[str, str],
                                                                       pixel: tuple[str, list[str]]) -> None:
    base, db = app_server
    host, hits = pixel
    store = ScenarioStore(db)
    org = store.save(_names(host)[1] + " org", hostile_org(host), author=_names(host)[0])
    single = store.save(_names(host)[2] + " plan", hostile_plan(host), author=_names(host)[3])
    ctx = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = ctx.new_page()
    for data in (hostile_org(host), hostile_plan(host)):
        link = encode_scenario(data)
        for name in PAGES:
            # the Scenarios and Targets pages show the saved names in pickers and grids (not in the text)
            _open(page, f"{base}/{name}?s={link}", host, f"{name} ?s=", name not in ("scenarios", "targets_from_data"))
    # the editor's plan document of the org: every plan and the org summary, picked in "Document"
    _open(page, f"{base}/plan_document?scenario={org.id}", host, "plan_document ?scenario=")
    for n in range(len(PLAN_IDS) + 1):
        page.locator(key('doc_pick')).get_by_role("combobox").click()
        page.get_by_role("option").nth(n).click()
        page.wait_for_timeout(500)  # the rerun starts a moment after the pick
        _check(page, host, f"plan_document ?scenario= document {n}")
    # every form of the read-only HR link, in a browser with no session
    hr = browser.new_context(viewport={"width": 1400, "height": 1800})
    view = hr.new_page()
    token = store.share_token(org.id, author=_names(host)[2])
    for doc in ["", "&doc=org", *(f"&doc={p}" for p in PLAN_IDS), "&doc=" + quote(_names(host)[0])]:
        _open(view, f"{base}/?hr={token}{doc}", host, f"?hr={doc or '(no doc)'}")
    _open(view, f"{base}/plan_document?hr={store.share_token(single.id)}", host, "?hr= of a single plan")
    ctx.close()
    hr.close()
    assert hits == [], f"the pixel server was asked for {hits}"
