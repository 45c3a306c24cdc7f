"""ui tests run small apps built from functions (AppTest.from_function) with the repo root importable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _cwd(monkeypatch):
    monkeypatch.chdir(ROOT)
    # these tests were written against the single-plan sample; the app opens on the seed-001 org
    monkeypatch.setenv("COMPCORE_DEFAULT_SCENARIO", "cs_org_quarterly")
