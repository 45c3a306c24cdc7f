"""Playwright e2e fixtures: a ``streamlit run app.py`` server on a free port and Debian's Chromium.

With ``CI=true`` a missing Playwright or Chromium is an error (the run fails);
elsewhere those tests are skipped with the reason. Widgets are found by key:
Streamlit gives each keyed element the CSS class ``st-key-<key>``.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COMPCORE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"e2e prerequisite missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)  # only outside CI: with CI=true the line above fails the run


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    return _free_port()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(db_url: str, default_scenario: str | None = "cs_org_quarterly", *, env: dict[str, str] | None = None,
                secrets: Path | None = None, port: int | None = None, log: Path | None = None,
                launcher: tuple[str, ...] = ("-m", "streamlit", "run", "app.py")) -> Iterator[str]:
    """A fresh ``streamlit run app.py`` on a free port using the store at ``db_url``; yields its base URL.

    ``default_scenario``: the sample a new session opens on (the single-plan sample these flows were
    written against); None opens on the app's own default, the seed-001 org. ``env`` adds environment
    variables; ``secrets`` is a secrets.toml used instead of the repo's; ``log`` a file that gets the
    server's output (its tracebacks), else it is dropped. ``launcher``: the arguments after ``python``
    (``("-m", "ui.serve")`` starts the app the way it is deployed).
    """
    port = port or _free_port()
    env = dict(os.environ, COMPCORE_DB_URL=db_url, PYTHONPATH=str(ROOT), **(env or {}))
    env.pop("COMPCORE_DEFAULT_SCENARIO", None)
    if default_scenario is not None:
        env["COMPCORE_DEFAULT_SCENARIO"] = default_scenario
    extra = ["--secrets.files", str(secrets)] if secrets else []
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [sys.executable, *launcher, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         *extra],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("streamlit exited before it was healthy") from None
                time.sleep(0.25)
        else:
            raise RuntimeError("streamlit did not become healthy within 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of a fresh ``streamlit run app.py`` with its own SQLite store in a temp folder."""
    db = f"sqlite:///{tmp_path_factory.mktemp('e2e_app') / 'store.db'}"
    with running_app(db) as base:
        yield base, db


@pytest.fixture(scope="session")
def app_url(app_server: tuple[str, str]) -> str:
    """Base URL of the app under test."""
    return app_server[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (fails in CI when missing, skips elsewhere)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    """Wait until no script run is in progress (the status widget is gone), then let the charts draw."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(300)


def settle(page: Any, timeout: float = 60_000) -> None:
    """Wait until the app has finished its script run and drawn (no spinner, status idle)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def key(name: str) -> str:
    """CSS selector of the element Streamlit created for widget key ``name``.

    Streamlit's class replaces every character outside ``[a-zA-Z0-9_-]`` by ``-``
    (``plan.pmo.metric.x.target`` -> ``st-key-plan-pmo-metric-x-target``).
    """
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", name.strip())


def metric_value(page: Any, label: str) -> str:
    """The displayed value of the ``st.metric`` whose label is ``label``."""
    box = page.locator("[data-testid='stMetric']", has=page.locator(
        "[data-testid='stMetricLabel']", has_text=label)).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def wait_for_text(page: Any, text: str, timeout: float = 30_000) -> None:
    """Wait until ``text`` shows on the page.

    A click's rerun may not have started when :func:`settle` looks, so a check of
    what the rerun draws must wait for it rather than read the page once.
    """
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def save_scenario(page: Any, name: str) -> None:
    """On the Scenarios page: type ``name``, press Save, wait for the "Saved" message and the rerun."""
    box = page.get_by_label("Name", exact=True)
    box.fill(name)
    box.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(f"Saved “{name}”").wait_for(timeout=60_000)
    wait_idle(page)
