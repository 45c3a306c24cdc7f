"""The throwaway PostgreSQL the store tests run against (``bash .ci/start_postgres.sh`` starts one)."""

from __future__ import annotations

import os

import pytest

PG_URL = os.environ.get("COMPCORE_TEST_PG_URL", "").strip()


def require_pg() -> str:
    """The test database's URL: skips without one here, fails on CI (``.ci/run`` always starts one)."""
    if not PG_URL:
        message = "COMPCORE_TEST_PG_URL not set (bash .ci/start_postgres.sh starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must test PostgreSQL")
        pytest.skip(message)
    return PG_URL
