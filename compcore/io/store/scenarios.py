"""The scenario store: saved scenarios with full version history (see :mod:`compcore.io.store`)."""

from __future__ import annotations

import dataclasses
import random
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from compcore.errors import PlanError
from compcore.io.store.connection import (
    ANSWER_TIMEOUT,
    READ_ONLY,
    AnswerTimeoutError,
    Deadline,
    default_url,
    open_engine,
)
from compcore.io.store.errors import ScenarioNotFoundError, StoreError, no_answer, plain, store_error
from compcore.io.store.links import HrLinks
from compcore.io.store.records import (
    DamagedVersionError,
    SavedScenario,
    clean_name,
    prepare,
    record,
    version_number,
)
from compcore.io.store.tables import (
    SCENARIO_SCHEMA_VERSION,
    STORE_LAYOUT_VERSION,
    Base,
    MetaRow,
    ScenarioRow,
    TokenRow,
    TokenRunRow,
    VersionRow,
)

__all__ = ["ScenarioStore"]

#: attempts at a save that lost a race for its version number (never for a database that cannot be reached)
_ATTEMPTS = 20
T = TypeVar("T")


def _open_error(url: Any, e: BaseException) -> StoreError:
    """Why the engine could not be made, in words (no SQLAlchemy plugin or module names)."""
    backend = url.get_backend_name()
    if isinstance(e, NoSuchModuleError):
        return StoreError(f"COMPCORE_DB_URL: {backend!r} is not a database this app can use; give a URL such "
                          "as sqlite:///path/to/compcore.db or postgresql+psycopg://user:password@host/database")
    if isinstance(e, ImportError):
        return StoreError(f"COMPCORE_DB_URL: the driver for {url.drivername!r} is not installed on this server; "
                          "install it (e.g. pip install \"psycopg[binary]\" for postgresql+psycopg)")
    return StoreError(f"cannot open the scenario database ({plain(e)}); check COMPCORE_DB_URL")


class ScenarioStore(HrLinks):
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
            raise StoreError(f"COMPCORE_DB_URL: not a database URL ({plain(e)})") from None
        try:
            self.engine, is_sqlite = open_engine(parsed)
        except Exception as e:  # an unknown database kind, a driver that is not installed
            raise _open_error(parsed, e) from None
        self._watch = not is_sqlite  # a socket to cut if the server freezes
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
        try:
            self._create()
        except StoreError:
            self.engine.dispose()
            raise

    def _create(self) -> None:
        def create(s: Session) -> None:
            Base.metadata.create_all(s.connection())
            meta = s.get(MetaRow, "layout_version")
            if meta is None:
                s.add(MetaRow(key="layout_version", value=str(STORE_LAYOUT_VERSION)))
            elif int(meta.value) > STORE_LAYOUT_VERSION:
                raise StoreError(f"this database was written by a newer compcore (layout v{meta.value}); "
                                 "upgrade compcore")

        self._write(create, doing="opened")

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- transactions -------------------------------------------------------

    def _guarded(self, run: Callable[[], T], doing: str) -> T:
        """Run one transaction under the answer deadline; every failure but a lost version race is a StoreError."""
        deadline = Deadline(ANSWER_TIMEOUT) if self._watch else None
        try:
            if deadline is None:
                return run()
            with deadline:
                return run()
        except (PlanError, IntegrityError):  # StoreError (not found, name taken...) or a race _write retries
            raise
        except AnswerTimeoutError:
            raise no_answer(doing) from None
        except (DBAPIError, SQLAlchemyError) as e:
            if deadline is not None and deadline.fired:
                raise no_answer(doing) from None
            raise store_error(e, doing) from None
        except Exception as e:  # a value the driver cannot turn into Python (a damaged row): still a StoreError
            raise StoreError(f"the scenario database gave an answer that cannot be read, so nothing could be "
                             f"{doing} ({plain(e)}); restore it from a backup if this keeps happening") from None

    def transaction(self, work: Callable[[Session], T], doing: str = "saved", *, read_only: bool = False) -> T:
        """Run ``work(session)`` in one transaction of this store's database, under the store's bounds.

        For tables other modules keep in the same database (saved column
        mappings): the answer deadline, the lock and statement timeouts, and
        every failure a StoreError in words (``doing`` completes "nothing could
        be ..."). Not retried.
        """
        maker = self._reader if read_only else self._session

        def run() -> T:
            with maker.begin() as s:
                return work(s)

        try:
            return self._guarded(run, doing)
        except IntegrityError as e:
            raise StoreError(f"nothing could be {doing}: {plain(e)}") from None

    def _write(self, work: Callable[[Session], T], doing: str = "saved") -> T:
        """Run ``work`` in one transaction; retry only a lost race for a version number (unique violation).

        A database that cannot be reached, is locked beyond the timeout, is
        read-only, full or damaged is one StoreError at once: retrying would
        only make the page hang.
        """

        def run() -> T:
            with self._session.begin() as s:
                return work(s)

        for attempt in range(_ATTEMPTS):
            try:
                return self._guarded(run, doing)
            except IntegrityError as e:
                if attempt == _ATTEMPTS - 1:
                    raise StoreError(f"could not save after {_ATTEMPTS} attempts: {plain(e)}") from None
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, work: Callable[[Session], T], doing: str = "read") -> T:
        """Run ``work`` in a read-only transaction (no write lock: it never waits behind a writer)."""

        def run() -> T:
            with self._reader.begin() as s:
                return work(s)

        return self._guarded(run, doing)

    def _confirm(self, rec: SavedScenario, text: str) -> SavedScenario:
        """Read a saved version back: a write the database accepted but does not hold is an error, not a save."""

        def work(s: Session) -> bool:
            row = s.scalars(select(VersionRow.data).where(VersionRow.scenario_id == rec.id,
                                                          VersionRow.version == rec.version)).first()
            return row == text

        if not self._read(work, doing="confirmed"):
            raise StoreError(f"the scenario database did not keep version {rec.version} of {rec.name!r} (it is "
                             "missing when read back), so it was not saved; try again, and tell its administrator")
        return rec

    # -- rows -----------------------------------------------------------------

    @staticmethod
    def _find(s: Session, id_or_name: str, by_name: bool = True) -> ScenarioRow:
        key = str(id_or_name)
        row = s.get(ScenarioRow, key) if len(key) <= 32 else None
        if row is None and by_name and " ".join(key.split()):
            row = s.scalars(select(ScenarioRow).where(ScenarioRow.name == clean_name(key))).first()
        if row is None:
            shown = key if len(key) <= 40 else key[:37] + "..."
            raise ScenarioNotFoundError(f"no saved scenario {shown!r}; it may have been deleted")
        return row

    @staticmethod
    def _next_version(s: Session, scenario_id: str) -> int:
        top = s.scalar(select(func.max(VersionRow.version)).where(VersionRow.scenario_id == scenario_id))
        return (top or 0) + 1

    @staticmethod
    def _readable(s: Session, scn: ScenarioRow) -> SavedScenario:
        """The newest version of a scenario that can be read; damaged newer ones are skipped and named."""
        skipped: list[int] = []
        first: DamagedVersionError | None = None
        for row in s.scalars(select(VersionRow).where(VersionRow.scenario_id == scn.id)
                             .order_by(VersionRow.version.desc())):
            try:
                rec = record(row)
            except DamagedVersionError as e:
                skipped.append(row.version)
                first = first or e
                continue
            return dataclasses.replace(rec, skipped=tuple(sorted(skipped)))
        if first is not None:
            raise StoreError(f"every version of the saved scenario {scn.name!r} is damaged and cannot be "
                             "opened; restore the database from a backup or save the scenario again")
        raise ScenarioNotFoundError(f"saved scenario {scn.name!r} has no versions")  # pragma: no cover

    def _version_row(self, s: Session, scn: ScenarioRow, version: int) -> VersionRow:
        row = s.scalars(select(VersionRow).where(VersionRow.scenario_id == scn.id,
                                                 VersionRow.version == version)).first()
        if row is None:
            raise ScenarioNotFoundError(f"scenario {scn.name!r} has no version {version}")
        return row

    def _append(self, s: Session, scenario: ScenarioRow, text: str, author: str | None) -> SavedScenario:
        row = VersionRow(scenario_id=scenario.id, version=self._next_version(s, scenario.id), name=scenario.name,
                         data=text, schema_version=SCENARIO_SCHEMA_VERSION, author=author,
                         created_at=datetime.now(UTC))
        s.add(row)
        s.flush()
        return record(row)

    # -- public API ---------------------------------------------------------

    def save(self, name: str, scenario_data: dict[str, Any], author: str | None = None) -> SavedScenario:
        """Save a new version of the scenario called ``name`` (created if new); history is kept.

        ``scenario_data`` is validated; its ``name`` is set to ``name`` and a
        ``plan_file`` is replaced by the plan itself. The version is read back
        before it is returned: a write the database did not keep is a StoreError.
        """
        name = clean_name(name)
        author = " ".join(author.split())[:200] or None if author else None
        text = prepare(name, scenario_data)

        def work(s: Session) -> SavedScenario:
            row = s.scalars(select(ScenarioRow).where(ScenarioRow.name == name)).first()
            if row is None:
                row = ScenarioRow(id=secrets.token_urlsafe(9), name=name, created_at=datetime.now(UTC))
                s.add(row)
                s.flush()
            return self._append(s, row, text, author)

        return self._confirm(self._write(work), text)

    def list(self) -> list[SavedScenario]:
        """The latest readable version of every saved scenario, most recently saved first.

        A version whose stored data is damaged is skipped (the one before it is
        listed, its ``skipped`` naming the damaged ones); a scenario with no
        readable version is left out.
        """

        def work(s: Session) -> list[SavedScenario]:
            top = (select(VersionRow.scenario_id, func.max(VersionRow.version).label("v"))
                   .group_by(VersionRow.scenario_id).subquery())
            rows = s.scalars(select(VersionRow).join(
                top, (VersionRow.scenario_id == top.c.scenario_id) & (VersionRow.version == top.c.v))).all()
            out = []
            for row in rows:
                try:
                    out.append(record(row))
                except DamagedVersionError:
                    scn = s.get(ScenarioRow, row.scenario_id)
                    try:
                        out.append(self._readable(s, scn))
                    except StoreError:
                        continue  # nothing of it can be read: left out, the others stay listed
            return sorted(out, key=lambda r: (r.created_at, r.name), reverse=True)

        return self._read(work)

    def get(self, id_or_name: str, version: int | None = None, *, by_name: bool = True) -> SavedScenario:
        """A saved scenario by id (or name, unless ``by_name=False``): its latest readable version, or the given one.

        Links (``?scenario=``) look up by id only: a name is guessable, a random id is not.
        """
        version = version_number(version)

        def work(s: Session) -> SavedScenario:
            scn = self._find(s, id_or_name, by_name)
            if version is None:
                return self._readable(s, scn)
            return record(self._version_row(s, scn, version))

        return self._read(work)

    def history(self, id_or_name: str) -> list[SavedScenario]:
        """Every readable version of a scenario, oldest (version 1) first; the newest names any damaged one."""

        def work(s: Session) -> list[SavedScenario]:
            scn = self._find(s, id_or_name)
            out, skipped = [], []
            for row in s.scalars(select(VersionRow).where(VersionRow.scenario_id == scn.id)
                                 .order_by(VersionRow.version)):
                try:
                    out.append(record(row))
                except DamagedVersionError:
                    skipped.append(row.version)
            if out and skipped:
                out[-1] = dataclasses.replace(out[-1], skipped=tuple(skipped))
            return out

        return self._read(work)

    def duplicate(self, id_or_name: str, new_name: str, author: str | None = None) -> SavedScenario:
        """A new scenario ``new_name`` (version 1) holding the latest version of another."""
        new_name = clean_name(new_name)
        source = self.get(id_or_name)
        text = prepare(new_name, source.data)

        def work(s: Session) -> SavedScenario:
            if s.scalars(select(ScenarioRow).where(ScenarioRow.name == new_name)).first() is not None:
                raise StoreError(f"name: a scenario called {new_name!r} already exists; choose another name")
            row = ScenarioRow(id=secrets.token_urlsafe(9), name=new_name, created_at=datetime.now(UTC))
            s.add(row)
            s.flush()
            return self._append(s, row, text, author or source.author)

        return self._confirm(self._write(work), text)

    def rename(self, id_or_name: str, new_name: str, author: str | None = None) -> SavedScenario:
        """Rename a scenario (same id); recorded as a new version."""
        new_name = clean_name(new_name)
        written: list[str] = []

        def work(s: Session) -> SavedScenario:
            scn = self._find(s, id_or_name)
            other = s.scalars(select(ScenarioRow).where(ScenarioRow.name == new_name)).first()
            if other is not None and other.id != scn.id:
                raise StoreError(f"name: a scenario called {new_name!r} already exists; choose another name")
            data = self._readable(s, scn).data
            scn.name = new_name
            written[:] = [prepare(new_name, data)]
            return self._append(s, scn, written[0], author)

        rec = self._write(work)
        return self._confirm(rec, written[0])

    def delete(self, id_or_name: str) -> None:
        """Delete a scenario and its whole history (ScenarioNotFoundError if unknown)."""

        def work(s: Session) -> str:
            scn = self._find(s, id_or_name)
            tokens = select(TokenRow.token).where(TokenRow.scenario_id == scn.id)
            s.execute(delete(TokenRunRow).where(TokenRunRow.token.in_(tokens)))
            s.execute(delete(TokenRow).where(TokenRow.scenario_id == scn.id))  # its HR links end with it
            s.execute(delete(VersionRow).where(VersionRow.scenario_id == scn.id))
            s.execute(delete(ScenarioRow).where(ScenarioRow.id == scn.id))
            return scn.id

        gone = self._write(work, doing="deleted")
        if self._read(lambda s: s.get(ScenarioRow, gone) is not None, doing="confirmed"):
            raise StoreError("the scenario database did not delete the scenario (it is still there when read "
                             "back); try again, and tell its administrator")
