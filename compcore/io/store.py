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
lost. SQLite runs each transaction as ``BEGIN IMMEDIATE`` in WAL mode with a
busy timeout; other databases rely on the unique constraint and retry.

Errors are :class:`StoreError` (a :class:`~compcore.errors.PlanError`, so the
UI shows them like any other compcore error); an unknown id or name raises
:class:`ScenarioNotFoundError`. See ``docs/store.md`` for the tables and the
migration path.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
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
from sqlalchemy.exc import IntegrityError, OperationalError
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
    "ScenarioStore",
    "StoreError",
    "default_url",
]

#: version of the scenario JSON schema written by this code (``compcore.scenario/v1``)
SCENARIO_SCHEMA_VERSION = 1
#: version of the table layout; bump it with a migration step (docs/store.md)
STORE_LAYOUT_VERSION = 1
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
    """

    id: str
    name: str
    version: int
    data: dict[str, Any]
    author: str | None
    created_at: datetime
    schema_version: int = SCENARIO_SCHEMA_VERSION

    @property
    def label(self) -> str:
        """'FY27 base case v3 · 2026-01-31 14:05 UTC by Ana' (who/when, for lists and stamps)."""
        by = f" by {self.author}" if self.author else ""
        return f"{self.name} v{self.version} · {self.created_at:%Y-%m-%d %H:%M} UTC{by}"


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


def _sqlite_immediate(engine: Engine, memory: bool) -> None:
    """SQLite: WAL + busy timeout, and BEGIN IMMEDIATE so concurrent writers queue instead of failing."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let the "begin" hook below emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


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
        kwargs: dict[str, Any] = {}
        is_sqlite = parsed.get_backend_name() == "sqlite"
        memory = is_sqlite and parsed.database in (None, "", ":memory:")
        if is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if memory:
                kwargs["poolclass"] = StaticPool
        else:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine = create_engine(self.url, **kwargs)
        except Exception as e:  # e.g. a driver that is not installed
            raise StoreError(f"cannot open the scenario database: {e}") from None
        if is_sqlite:
            _sqlite_immediate(self.engine, memory)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._create()

    def _create(self) -> None:
        def create(s: Session) -> None:
            _Base.metadata.create_all(s.connection())
            meta = s.get(_Meta, "layout_version")
            if meta is None:
                s.add(_Meta(key="layout_version", value=str(STORE_LAYOUT_VERSION)))
            elif int(meta.value) > STORE_LAYOUT_VERSION:
                raise StoreError(f"this database was written by a newer compcore (layout v{meta.value}); "
                                 "upgrade compcore")

        self._write(create)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- transactions -------------------------------------------------------

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction; retry on a lost race (unique violation, lock, serialisation)."""
        for attempt in range(_ATTEMPTS):
            try:
                with self._session.begin() as s:
                    return work(s)
            except (IntegrityError, OperationalError) as e:
                if attempt == _ATTEMPTS - 1:
                    raise StoreError(f"could not save after {_ATTEMPTS} attempts: {e.orig}") from None
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, work: Callable[[Session], T]) -> T:
        try:
            with self._session.begin() as s:
                return work(s)
        except OperationalError as e:
            raise StoreError(f"cannot read the scenario database: {e.orig}") from None

    @staticmethod
    def _find(s: Session, id_or_name: str) -> _Scenario:
        row = s.get(_Scenario, str(id_or_name))
        if row is None:
            row = s.scalars(select(_Scenario).where(_Scenario.name == _clean_name(id_or_name))).first()
        if row is None:
            raise ScenarioNotFoundError(f"no saved scenario {str(id_or_name)!r}; it may have been deleted")
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

    def get(self, id_or_name: str, version: int | None = None) -> SavedScenario:
        """A saved scenario by id (or name): its latest version, or the given one."""

        def work(s: Session) -> SavedScenario:
            scn = self._find(s, id_or_name)
            if version is None:
                return _record(self._latest(s, scn.id))
            row = s.scalars(select(_Version).where(_Version.scenario_id == scn.id,
                                                   _Version.version == int(version))).first()
            if row is None:
                raise ScenarioNotFoundError(f"scenario {scn.name!r} has no version {version}")
            return _record(row)

        return self._read(work)

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
            s.execute(delete(_Version).where(_Version.scenario_id == scn.id))
            s.execute(delete(_Scenario).where(_Scenario.id == scn.id))

        self._write(work)
