"""Scenario store: saved scenarios with full version history, through SQLAlchemy 2.x.

Where: the URL given to :class:`ScenarioStore`, else the ``COMPCORE_DB_URL``
environment variable, else a SQLite file at ``~/.compcore/compcore.db``
(:func:`default_url`). The app passes the URL it found in Streamlit secrets;
this module never imports streamlit.

Model: a *scenario* has a stable id (12 URL-safe characters, used in
``?scenario=<id>`` links) and a unique name. Every :meth:`ScenarioStore.save`
appends a *version* (1, 2, 3, ...) with the scenario JSON, the author (if
given) and a UTC timestamp; nothing is overwritten. ``(scenario_id, version)``
is unique, so two sessions or processes saving at the same moment cannot both
take a version number: the loser retries with the next one and nothing is
lost. SQLite runs each write as ``BEGIN IMMEDIATE`` in WAL mode with a busy
timeout, and each read as a plain (deferred) ``BEGIN``, so reads never wait
behind a writer; other databases rely on the unique constraint and retry.

A database that is down, slow, frozen, locked, read-only, full or corrupt is a
:class:`StoreError` with a plain message within seconds
(:mod:`compcore.io.store.connection`: connect, statement and lock timeouts,
TCP keepalive, a ping on checkout, and a client-side deadline that cuts a
connection whose server stopped answering); a failed connection is not
retried (only a lost race for a version number is). Every write is read back
before it is reported done. A version whose stored data is damaged is skipped
by ``list``/``get``/``history`` (named in the record's ``skipped``), so the rest
stays readable. :class:`StoreError` is a
:class:`~compcore.errors.PlanError`, so the UI shows it like any other compcore
error; an unknown id raises :class:`ScenarioNotFoundError`. See
``docs/store.md`` for the tables and the migration path.
"""


from compcore.io.store.connection import (
    ANSWER_TIMEOUT,
    CONNECT_TIMEOUT,
    LOCK_TIMEOUT,
    STATEMENT_TIMEOUT,
    default_url,
)
from compcore.io.store.errors import ScenarioNotFoundError, StoreError
from compcore.io.store.records import TOKEN_BYTES, DamagedVersionError, SavedScenario, ShareToken
from compcore.io.store.scenarios import ScenarioStore
from compcore.io.store.tables import SCENARIO_SCHEMA_VERSION, STORE_LAYOUT_VERSION

__all__ = [
    "ANSWER_TIMEOUT",
    "CONNECT_TIMEOUT",
    "LOCK_TIMEOUT",
    "SCENARIO_SCHEMA_VERSION",
    "STATEMENT_TIMEOUT",
    "STORE_LAYOUT_VERSION",
    "TOKEN_BYTES",
    "DamagedVersionError",
    "SavedScenario",
    "ScenarioNotFoundError",
    "ScenarioStore",
    "ShareToken",
    "StoreError",
    "default_url",
]
