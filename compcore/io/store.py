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

A database that is down, slow, locked or corrupt is a :class:`StoreError`
with a plain message within seconds: connections time out after
:data:`CONNECT_TIMEOUT` seconds and a failed connection is not retried (only a
lost race for a version number is). :class:`StoreError` is a
:class:`~compcore.errors.PlanError`, so the UI shows it like any other compcore
error; an unknown id raises :class:`ScenarioNotFoundError`. See
``docs/store.md`` for the tables and the migration path.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from compcore.errors import PlanError
from compcore.io.share import inline_plan
from compcore.simulation.scenario import load_scenario

__all__ = [
    "SCENARIO_SCHEMA_VERSION",
    "STORE_LAYOUT_VERSION",
    "SavedScenario",
    "ScenarioNotFoundError",
    "ShareToken",
    "ScenarioStore",
    "StoreError",
    "default_url",
]

#: version of the scenario JSON schema written by this code (``compcore.scenario/v1``)
SCENARIO_SCHEMA_VERSION = 1
#: version of the table layout; bump it with a migration step (docs/store.md)
STORE_LAYOUT_VERSION = 1
#: seconds to wait for a database connection (or, for SQLite, for a lock) before saying it cannot be reached
CONNECT_TIMEOUT = 5
#: attempts at a save that lost a race for its version number (never for a database that cannot be reached)
_ATTEMPTS = 20
T = TypeVar("T")


class StoreError(PlanError):
    """A scenario store operation that cannot be done (name taken, database unreachable, ...)."""


class ScenarioNotFoundError(StoreError):
    """No saved scenario has this id or name (or not this version)."""


def default_url() -> str:
    """``COMPCORE_DB_URL`` if set, else ``sqlite:///~/.compcore/compcore.db`` (directory created)."""
    url = os.environ.get("COMPCORE_DB_URL", "").strip()
    if url:
        return url
    path = Path.home() / ".compcore" / "compcore.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class _Base(DeclarativeBase):
    pass


class _Scenario(_Base):
    __tablename__ = "compcore_scenarios"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class _Version(_Base):
    __tablename__ = "compcore_scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "version", name="uq_scenario_version"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("compcore_scenarios.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)
    schema_version: Mapped[int] = mapped_column(Integer, default=SCENARIO_SCHEMA_VERSION)
    author: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class _Token(_Base):
    """A read-only HR link: a random token opening one version of one scenario (until revoked or expired)."""

    __tablename__ = "compcore_share_tokens"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("compcore_scenarios.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class _TokenRun(_Base):
    """The trials and seed an HR link simulates with: the editor's, when the link was made (same numbers).

    A table of its own beside the tokens (created on open, so an existing database gains it and older code
    ignores it); a token without a row here simulates with the app's defaults.
    """

    __tablename__ = "compcore_share_token_runs"
    token: Mapped[str] = mapped_column(
        String(64), ForeignKey("compcore_share_tokens.token", ondelete="CASCADE"), primary_key=True)
    trials: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seed: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class _Meta(_Base):
    __tablename__ = "compcore_store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


@dataclass(frozen=True)
class SavedScenario:
    """One stored version of a scenario.

    Attributes
    ----------
    id : stable id of the scenario, for ``?scenario=<id>`` links
    name : the scenario's name (unique in the store)
    version : 1 for the first save, +1 for each later save
    data : the scenario as a dict (schema ``compcore.scenario/v1``)
    author : who saved this version, if given
    created_at : when this version was saved (UTC)
    schema_version : the scenario schema version of ``data``
    trials, seed : what an HR link opening this version simulates with (:meth:`ScenarioStore.open_token`;
        None elsewhere, or for a link made without them)
    """

    id: str
    name: str
    version: int
    data: dict[str, Any]
    author: str | None
    created_at: datetime
    schema_version: int = SCENARIO_SCHEMA_VERSION
    trials: int | None = None
    seed: int | None = None

    @property
    def label(self) -> str:
        """'FY27 base case v3 · 2026-01-31 14:05 UTC by Ana' (who/when, for lists and stamps)."""
        by = f" by {self.author}" if self.author else ""
        return f"{self.name} v{self.version} · {self.created_at:%Y-%m-%d %H:%M} UTC{by}"


@dataclass(frozen=True)
class ShareToken:
    """One read-only HR link of a scenario version (see :meth:`ScenarioStore.share_token`).

    ``active`` is False once revoked or expired.
    """

    token: str
    scenario_id: str
    version: int
    author: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > datetime.now(UTC))


def _token_record(row: _Token) -> ShareToken:
    return ShareToken(token=row.token, scenario_id=row.scenario_id, version=row.version, author=row.author,
                      created_at=_utc(row.created_at),
                      expires_at=None if row.expires_at is None else _utc(row.expires_at),
                      revoked_at=None if row.revoked_at is None else _utc(row.revoked_at))


#: random bytes of an HR link token (256 bits; the contract asks for at least 128)
TOKEN_BYTES = 32
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _valid_token(token: Any) -> bool:
    return isinstance(token, str) and 22 <= len(token) <= 64 and set(token) <= _TOKEN_CHARS


def _version_number(version: Any) -> int | None:
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ScenarioNotFoundError(f"no version {version!r}: versions are whole numbers from 1")
    return version


#: the simulation settings a link may carry (``trials`` as in ``simulate``; a seed as numpy takes it, in 64 bits)
_RUN_BOUNDS = {"trials": (1, 10_000_000), "seed": (0, 2**63 - 1)}


def _run_setting(name: str, value: Any) -> int | None:
    if value is None:
        return None
    lo, hi = _RUN_BOUNDS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise StoreError(f"{name}: a whole number from {lo:,} to {hi:,}, not {value!r}")
    return value


def _expiry(expires: Any) -> datetime | None:
    if expires is None:
        return None
    if isinstance(expires, timedelta):
        expires = datetime.now(UTC) + expires
    if not isinstance(expires, datetime):
        raise StoreError(f"expires: give a datetime or a timedelta, not {type(expires).__name__}")
    return _utc(expires)


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _record(row: _Version) -> SavedScenario:
    return SavedScenario(
        id=row.scenario_id, name=row.name, version=row.version, data=json.loads(row.data),
        author=row.author, created_at=_utc(row.created_at), schema_version=row.schema_version,
    )


def _prepare(name: str, data: dict[str, Any]) -> str:
    """Validate, inline the plan, set the name; JSON text out."""
    if not isinstance(data, dict):
        raise StoreError(f"a scenario to save must be a dict, not {type(data).__name__}")
    data = dict(inline_plan(dict(data)))
    data["name"] = name
    load_scenario(data)
    try:
        return json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise StoreError(f"this scenario cannot be saved as JSON: {e}") from None


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise StoreError("name: give the scenario a name")
    if len(name) > 200:
        raise StoreError("name: at most 200 characters")
    return name


_READ = "compcore_read"  # execution option marking a read-only transaction


def _sqlite_transactions(engine: Engine, memory: bool) -> None:
    """SQLite: WAL + busy timeout; writes BEGIN IMMEDIATE so concurrent writers queue, reads a deferred BEGIN."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let the "begin" hook below emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={CONNECT_TIMEOUT * 1000}")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # a read takes no write lock: in WAL mode it sees the last commit and never waits behind a writer
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(_READ) else "BEGIN IMMEDIATE")


def _connect_args(backend: str) -> dict[str, Any]:
    """Driver arguments that bound the time to connect (seconds), per database kind."""
    if backend == "sqlite":
        return {"check_same_thread": False, "timeout": CONNECT_TIMEOUT}
    if backend in ("postgresql", "mysql", "mariadb"):
        return {"connect_timeout": CONNECT_TIMEOUT}
    if backend == "mssql":
        return {"timeout": CONNECT_TIMEOUT}
    return {}


def _plain(e: BaseException) -> str:
    """The database's own words for an error, on one line, without SQL or driver class names."""
    orig = getattr(e, "orig", None) or e
    text = " ".join(str(orig).split())
    return text[:300] or type(orig).__name__


def _store_error(e: BaseException, doing: str) -> StoreError:
    text = _plain(e)
    low = text.lower()
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return StoreError(f"the scenario database is damaged and cannot be {doing} ({text}); "
                          "restore it from a backup or point COMPCORE_DB_URL at another one")
    if "locked" in low or "busy" in low:
        return StoreError(f"the scenario database is busy (locked by another program) and could not be {doing} "
                          f"within {CONNECT_TIMEOUT} s; try again in a moment")
    return StoreError(f"the scenario database cannot be reached, so nothing could be {doing} ({text}); "
                      "check COMPCORE_DB_URL and that the database is running")


class ScenarioStore:
    """Saved scenarios with version history, in any database SQLAlchemy reaches.

    Parameters
    ----------
    url : SQLAlchemy URL, e.g. ``sqlite:///scenarios.db`` or
        ``postgresql+psycopg://user:pw@host/db``; default :func:`default_url`.

    Examples
    --------
    >>> store = ScenarioStore("sqlite://")
    >>> first = store.save("Base case", scenario_dict, author="Ana")  # doctest: +SKIP
    >>> store.get(first.id).version  # doctest: +SKIP
    1
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            parsed = make_url(self.url)
        except Exception as e:  # any parse failure is a bad setting
            raise StoreError(f"COMPCORE_DB_URL: not a database URL ({e})") from None
        backend = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"connect_args": _connect_args(backend)}
        is_sqlite = backend == "sqlite"
        memory = is_sqlite and parsed.database in (None, "", ":memory:")
        if is_sqlite:
            if memory:
                kwargs["poolclass"] = StaticPool
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["pool_timeout"] = CONNECT_TIMEOUT
        try:
            self.engine = create_engine(self.url, **kwargs)
        except Exception as e:  # e.g. a driver that is not installed
            raise StoreError(f"cannot open the scenario database: {e}") from None
        if is_sqlite:
            _sqlite_transactions(self.engine, memory)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self.engine.execution_options(**{_READ: True}), expire_on_commit=False)
        try:
            self._create()
        except StoreError:
            self.engine.dispose()
            raise

    def _create(self) -> None:
        def create(s: Session) -> None:
            _Base.metadata.create_all(s.connection())
            meta = s.get(_Meta, "layout_version")
            if meta is None:
                s.add(_Meta(key="layout_version", value=str(STORE_LAYOUT_VERSION)))
            elif int(meta.value) > STORE_LAYOUT_VERSION:
                raise StoreError(f"this database was written by a newer compcore (layout v{meta.value}); "
                                 "upgrade compcore")

        self._write(create, doing="opened")

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- transactions -------------------------------------------------------

    def _write(self, work: Callable[[Session], T], doing: str = "saved") -> T:
        """Run ``work`` in one transaction; retry only a lost race for a version number (unique violation).

        A database that cannot be reached, is locked beyond the timeout or is
        damaged is one StoreError at once: retrying would only make the page hang.
        """
        for attempt in range(_ATTEMPTS):
            try:
                with self._session.begin() as s:
                    return work(s)
            except IntegrityError as e:
                if attempt == _ATTEMPTS - 1:
                    raise StoreError(f"could not save after {_ATTEMPTS} attempts: {_plain(e)}") from None
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
            except (DBAPIError, SQLAlchemyError) as e:
                raise _store_error(e, doing) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a read-only transaction (no write lock: it never waits behind a writer)."""
        try:
            with self._reader.begin() as s:
                return work(s)
        except (DBAPIError, SQLAlchemyError) as e:
            raise _store_error(e, "read") from None

    @staticmethod
    def _find(s: Session, id_or_name: str, by_name: bool = True) -> _Scenario:
        key = str(id_or_name)
        row = s.get(_Scenario, key) if len(key) <= 32 else None
        if row is None and by_name and " ".join(key.split()):
            row = s.scalars(select(_Scenario).where(_Scenario.name == _clean_name(key))).first()
        if row is None:
            shown = key if len(key) <= 40 else key[:37] + "..."
            raise ScenarioNotFoundError(f"no saved scenario {shown!r}; it may have been deleted")
        return row

    @staticmethod
    def _next_version(s: Session, scenario_id: str) -> int:
        top = s.scalar(select(func.max(_Version.version)).where(_Version.scenario_id == scenario_id))
        return (top or 0) + 1

    @staticmethod
    def _latest(s: Session, scenario_id: str) -> _Version:
        row = s.scalars(select(_Version).where(_Version.scenario_id == scenario_id)
                        .order_by(_Version.version.desc()).limit(1)).first()
        if row is None:  # pragma: no cover - a scenario always has a version
            raise ScenarioNotFoundError(f"saved scenario {scenario_id!r} has no versions")
        return row

    def _append(self, s: Session, scenario: _Scenario, text: str, author: str | None) -> SavedScenario:
        row = _Version(scenario_id=scenario.id, version=self._next_version(s, scenario.id), name=scenario.name,
                       data=text, schema_version=SCENARIO_SCHEMA_VERSION, author=author,
                       created_at=datetime.now(UTC))
        s.add(row)
        s.flush()
        return _record(row)

    # -- public API ---------------------------------------------------------

    def save(self, name: str, scenario_data: dict[str, Any], author: str | None = None) -> SavedScenario:
        """Save a new version of the scenario called ``name`` (created if new); history is kept.

        ``scenario_data`` is validated; its ``name`` is set to ``name`` and a
        ``plan_file`` is replaced by the plan itself.
        """
        name = _clean_name(name)
        author = " ".join(author.split())[:200] or None if author else None
        text = _prepare(name, scenario_data)

        def work(s: Session) -> SavedScenario:
            row = s.scalars(select(_Scenario).where(_Scenario.name == name)).first()
            if row is None:
                row = _Scenario(id=secrets.token_urlsafe(9), name=name, created_at=datetime.now(UTC))
                s.add(row)
                s.flush()
            return self._append(s, row, text, author)

        return self._write(work)

    def list(self) -> list[SavedScenario]:
        """The latest version of every saved scenario, most recently saved first."""

        def work(s: Session) -> list[SavedScenario]:
            top = (select(_Version.scenario_id, func.max(_Version.version).label("v"))
                   .group_by(_Version.scenario_id).subquery())
            rows = s.scalars(select(_Version).join(
                top, (_Version.scenario_id == top.c.scenario_id) & (_Version.version == top.c.v))).all()
            return sorted((_record(r) for r in rows), key=lambda r: (r.created_at, r.name), reverse=True)

        return self._read(work)

    def get(self, id_or_name: str, version: int | None = None, *, by_name: bool = True) -> SavedScenario:
        """A saved scenario by id (or name, unless ``by_name=False``): its latest version, or the given one.

        Links (``?scenario=``) look up by id only: a name is guessable, a random id is not.
        """
        version = _version_number(version)

        def work(s: Session) -> SavedScenario:
            scn = self._find(s, id_or_name, by_name)
            return _record(self._version_row(s, scn, version))

        return self._read(work)

    def _version_row(self, s: Session, scn: _Scenario, version: int | None) -> _Version:
        if version is None:
            return self._latest(s, scn.id)
        row = s.scalars(select(_Version).where(_Version.scenario_id == scn.id, _Version.version == version)).first()
        if row is None:
            raise ScenarioNotFoundError(f"scenario {scn.name!r} has no version {version}")
        return row

    def history(self, id_or_name: str) -> list[SavedScenario]:
        """Every version of a scenario, oldest (version 1) first."""

        def work(s: Session) -> list[SavedScenario]:
            scn = self._find(s, id_or_name)
            rows = s.scalars(select(_Version).where(_Version.scenario_id == scn.id).order_by(_Version.version))
            return [_record(r) for r in rows]

        return self._read(work)

    def duplicate(self, id_or_name: str, new_name: str, author: str | None = None) -> SavedScenario:
        """A new scenario ``new_name`` (version 1) holding the latest version of another."""
        new_name = _clean_name(new_name)
        source = self.get(id_or_name)
        text = _prepare(new_name, source.data)

        def work(s: Session) -> SavedScenario:
            if s.scalars(select(_Scenario).where(_Scenario.name == new_name)).first() is not None:
                raise StoreError(f"name: a scenario called {new_name!r} already exists; choose another name")
            row = _Scenario(id=secrets.token_urlsafe(9), name=new_name, created_at=datetime.now(UTC))
            s.add(row)
            s.flush()
            return self._append(s, row, text, author or source.author)

        return self._write(work)

    def rename(self, id_or_name: str, new_name: str, author: str | None = None) -> SavedScenario:
        """Rename a scenario (same id); recorded as a new version."""
        new_name = _clean_name(new_name)

        def work(s: Session) -> SavedScenario:
            scn = self._find(s, id_or_name)
            other = s.scalars(select(_Scenario).where(_Scenario.name == new_name)).first()
            if other is not None and other.id != scn.id:
                raise StoreError(f"name: a scenario called {new_name!r} already exists; choose another name")
            data = json.loads(self._latest(s, scn.id).data)
            scn.name = new_name
            return self._append(s, scn, _prepare(new_name, data), author)

        return self._write(work)

    def delete(self, id_or_name: str) -> None:
        """Delete a scenario and its whole history (ScenarioNotFoundError if unknown)."""

        def work(s: Session) -> None:
            scn = self._find(s, id_or_name)
            tokens = select(_Token.token).where(_Token.scenario_id == scn.id)
            s.execute(delete(_TokenRun).where(_TokenRun.token.in_(tokens)))
            s.execute(delete(_Token).where(_Token.scenario_id == scn.id))  # its HR links end with it
            s.execute(delete(_Version).where(_Version.scenario_id == scn.id))
            s.execute(delete(_Scenario).where(_Scenario.id == scn.id))

        self._write(work)

    # -- read-only HR links -------------------------------------------------

    def share_token(self, scenario_id: str, version: int | None = None, author: str | None = None,
                    expires: datetime | timedelta | None = None, *, trials: int | None = None,
                    seed: int | None = None) -> str:
        """A new read-only link token opening one version of a saved scenario (its latest by default).

        The token is ``secrets.token_urlsafe`` of 32 bytes (256 random bits),
        stored with the scenario id, the version it opens, who made it and when,
        and an optional expiry (a datetime, or a timedelta from now). ``trials``
        and ``seed`` (optional) are the simulation settings of the person making
        it, so that the link shows their numbers; :meth:`open_token` returns them.

        Raises
        ------
        ScenarioNotFoundError
            for an unknown scenario id or version.
        """
        version = _version_number(version)
        until = _expiry(expires)
        author = " ".join(author.split())[:200] or None if author else None
        run = {"trials": _run_setting("trials", trials), "seed": _run_setting("seed", seed)}

        def work(s: Session) -> str:
            scn = self._find(s, scenario_id, by_name=False)
            row = self._version_row(s, scn, version)
            token = secrets.token_urlsafe(TOKEN_BYTES)
            s.add(_Token(token=token, scenario_id=scn.id, version=row.version, author=author,
                         created_at=datetime.now(UTC), expires_at=until))
            if run["trials"] is not None or run["seed"] is not None:
                s.flush()  # the token row first: the run row refers to it
                s.add(_TokenRun(token=token, **run))
            return token

        return self._write(work)

    def open_token(self, token: str) -> SavedScenario:
        """The scenario version an HR link token opens.

        Raises
        ------
        ScenarioNotFoundError
            when the token is unknown, revoked or expired (one message for all: a
            guess learns nothing).
        """
        gone = ScenarioNotFoundError("this read-only link is not valid (unknown, revoked or expired); "
                                     "ask for a new one")
        if not _valid_token(token):
            raise gone

        def work(s: Session) -> SavedScenario:
            row = s.get(_Token, token)
            if row is None or not _token_record(row).active:
                raise gone
            scn = s.get(_Scenario, row.scenario_id)
            if scn is None:
                raise gone
            rec = _record(self._version_row(s, scn, row.version))
            run = s.get(_TokenRun, token)
            return rec if run is None else dataclasses.replace(rec, trials=run.trials, seed=run.seed)

        return self._read(work)

    def revoke_token(self, token: str) -> None:
        """End an HR link now (ScenarioNotFoundError if there is no such token)."""
        if not _valid_token(token):
            raise ScenarioNotFoundError("no such read-only link")

        def work(s: Session) -> None:
            row = s.get(_Token, token)
            if row is None:
                raise ScenarioNotFoundError("no such read-only link")
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)

        self._write(work)

    def tokens(self, scenario_id: str | None = None) -> list[ShareToken]:
        """HR link tokens (of one scenario, or all), newest first, revoked and expired ones included."""

        def work(s: Session) -> list[ShareToken]:
            q = select(_Token)
            if scenario_id is not None:
                q = q.where(_Token.scenario_id == str(scenario_id))
            return sorted((_token_record(r) for r in s.scalars(q)), key=lambda t: t.created_at, reverse=True)

        return self._read(work)
