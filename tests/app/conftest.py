"""AppTest helpers: the repo root on sys.path (pages import ``ui``), page paths, fresh caches."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def page(name: str) -> str:
    """Absolute path of a page file, for ``AppTest.from_file``."""
    return str(ROOT / "pages" / f"{name}.py")


@pytest.fixture(autouse=True)
def _cwd(monkeypatch):
    # the app runs from the repo root (sample_data paths); so do its tests
    monkeypatch.chdir(ROOT)
