"""AppTest helpers: the repo root on sys.path (pages import ``ui``), page paths, fresh caches."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def page(name: str) -> str:
    """Absolute path of a page file, for ``AppTest.from_file``."""
    return str(ROOT / "pages" / f"{name}.py")


#: the single-plan sample most page tests were written against; the app itself opens on the seed-001
#: org (cs_org_teams), which tests/app/test_org_pages.py opens (``org`` fixture)
SINGLE_PLAN_SAMPLE = "cs_org_quarterly"


@pytest.fixture(autouse=True)
def _cwd(monkeypatch):
    # the app runs from the repo root (sample_data paths); so do its tests
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COMPCORE_DEFAULT_SCENARIO", SINGLE_PLAN_SAMPLE)


def run_ok(at: AppTest, timeout: float = 60) -> AppTest:
    """Run (or rerun) an AppTest and assert the page raised nothing; every page test goes through this."""
    at.run(timeout=timeout)
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(name: str, timeout: float = 60) -> AppTest:
    """A page opened fresh and run once, with no exception."""
    return run_ok(AppTest.from_file(page(name), default_timeout=timeout), timeout)


@pytest.fixture
def at(request: pytest.FixtureRequest) -> AppTest:
    """The page named by the test module's ``PAGE``, opened fresh and run once with no exception."""
    return open_page(request.module.PAGE, getattr(request.module, "TIMEOUT", 60))


def browser_sends(at: AppTest, widget: object, label: str) -> None:
    """Make the next run send ``label`` for a select box / radio, as a browser does and AppTest does not.

    A browser sends every widget's last state on every rerun, and a select box or radio sends the *label*
    it shows; when its options changed meanwhile (another plan, another saved scenario), Streamlit hands
    that label to the app as a plain string. AppTest only sends values among the current options.
    """
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    class Stale(type(widget)):  # type: ignore[misc]
        @property
        def _widget_state(self) -> WidgetState:
            ws = WidgetState()
            ws.id = self.id
            ws.string_value = label
            return ws

    widget.__class__ = Stale
