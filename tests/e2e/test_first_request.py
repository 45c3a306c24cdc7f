"""Browser e2e (issue 23, item 8): the first visitor of a fresh server sees no page names before the sign-in gate.

``streamlit run app.py`` on a fresh server runs its first script run in the legacy "pages/ folder" mode
and sends the sidebar navigation of every file in ``pages/`` before ``app.py`` runs the gate; the
launcher ``python -m ui.serve`` switches that mode off first. A MutationObserver in the page records
every sidebar navigation that is ever drawn, however briefly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, free_port

pytestmark = pytest.mark.e2e
WATCH_NAV = """window.__nav = [];
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  if (nav) window.__nav.push(nav.innerText);
}).observe(document, {subtree: true, childList: true});"""


def _navigation_seen(browser: Any, command: list[str], tmp_path: Path) -> list[str]:
    port = free_port()
    env = dict(os.environ, COMPCORE_PASSWORD="pw", PYTHONPATH=str(ROOT),
               COMPCORE_DB_URL=f"sqlite:///{tmp_path / 'store.db'}")
    proc = subprocess.Popen([sys.executable, *command, "--server.headless", "true", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
                             "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.25)
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        page = ctx.new_page()
        page.add_init_script(WATCH_NAV)
        page.goto(f"http://127.0.0.1:{port}/")  # the first request this server ever gets
        page.locator("input[type=password]").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        seen = page.evaluate("window.__nav")
        ctx.close()
        return seen
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a busy machine: the server's shutdown is not what is tested
            proc.kill()
            proc.wait(timeout=10)


def test_the_launcher_shows_no_page_name_before_the_gate(browser: Any, tmp_path: Path) -> None:
    assert _navigation_seen(browser, ["-m", "ui.serve"], tmp_path) == []


def test_plain_streamlit_run_flashes_the_page_names_on_a_fresh_server(browser: Any, tmp_path: Path) -> None:
    # what the launcher fixes (and why the Dockerfile and the systemd unit use it): if Streamlit stops doing
    # this, the launcher can go
    seen = _navigation_seen(browser, ["-m", "streamlit", "run", "app.py"], tmp_path)
    assert any("plan designer" in s.lower() for s in seen)
