"""What a failed store operation tells a person: one :class:`StoreError` in plain words, per kind of failure.

The database's own words are kept (one line, no SQL, no driver or
SQLAlchemy class names); the advice depends on the kind: damaged, busy
(locked), read-only, full disk, too slow to answer, or unreachable. Only an
unreachable database is told to "check that the database is running".
"""

from __future__ import annotations

import re

from compcore.errors import PlanError
from compcore.io.store.connection import ANSWER_TIMEOUT, LOCK_TIMEOUT, STATEMENT_TIMEOUT

__all__ = ["ScenarioNotFoundError", "StoreError", "no_answer", "plain", "store_error"]


class StoreError(PlanError):
    """A scenario store operation that cannot be done (name taken, database unreachable, ...)."""


class ScenarioNotFoundError(StoreError):
    """No saved scenario has this id or name (or not this version)."""


# SQLAlchemy appends "(Background on this error at: https://sqlalche.me/...)" and "[SQL: ...]" to its texts
_NOISE = re.compile(r"\(Background on this error at:[^)]*\)|\[SQL:.*?\]|\[parameters:.*?\]|\(sqlalchemy[^)]*\)",
                    re.IGNORECASE | re.DOTALL)


def plain(e: BaseException) -> str:
    """The database's own words for an error, on one line, without SQL or library class names."""
    orig = getattr(e, "orig", None) or e
    text = _NOISE.sub("", str(orig))
    text = " ".join(text.split())
    if "sqlalchemy" in text.lower():  # e.g. "Can't load plugin: sqlalchemy.dialects:foo": not the database's words
        text = ""
    return text[:300] or "no detail given"


def _sqlstate(e: BaseException) -> str:
    orig = getattr(e, "orig", None) or e
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def no_answer(doing: str) -> StoreError:
    """A database that gave no answer at all within :data:`ANSWER_TIMEOUT` (a frozen server or backend)."""
    return StoreError(f"the scenario database did not answer within {ANSWER_TIMEOUT} s, so nothing could be "
                      f"{doing}; try again in a moment, and tell its administrator if it keeps happening")


def store_error(e: BaseException, doing: str) -> StoreError:
    """The StoreError for a database failure while something was being ``doing`` ("saved", "read", ...)."""
    text = plain(e)
    low, state = text.lower(), _sqlstate(e)
    if "not a database" in low or "malformed" in low or "corrupt" in low or state.startswith("XX"):
        return StoreError(f"the scenario database is damaged and nothing could be {doing} ({text}); "
                          "restore it from a backup or point COMPCORE_DB_URL at another one")
    if "readonly" in low or "read-only" in low or "read only" in low or state == "25006":
        return StoreError(f"the scenario database is read-only, so nothing could be {doing} ({text}); "
                          "ask its administrator for write access, or point COMPCORE_DB_URL at a writable one")
    if ("disk is full" in low or "no space left" in low or "disk full" in low or state == "53100"
            or "quota" in low):
        return StoreError(f"the scenario database's disk is full, so nothing could be {doing} ({text}); "
                          "free some space on its server and try again")
    if state in ("55P03", "40P01") or "locked" in low or "busy" in low or "lock timeout" in low:
        return StoreError(f"the scenario database is busy (locked by another program) and nothing could be "
                          f"{doing} within {LOCK_TIMEOUT} s; try again in a moment")
    if state == "57014" or "statement timeout" in low or "did not answer" in low:
        return StoreError(f"the scenario database did not finish within {STATEMENT_TIMEOUT} s, so nothing could be "
                          f"{doing}; try again in a moment, and tell its administrator if it keeps happening")
    return StoreError(f"the scenario database cannot be reached, so nothing could be {doing} ({text}); "
                      "check COMPCORE_DB_URL and that the database is running")
