"""Saved column mappings: a mapping has a name and is offered again for files with the same headers.

Kept in the scenario store's database (same URL, same engine and settings) in a
table of its own, ``compcore_mappings``, created on first use: one row per name,
the mapping JSON (``compcore.mapping/v1``), who saved it and when. Saving under a
name that exists replaces it (a mapping describes the current shape of an
export; its history is not worth keeping). The scenario tables are untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import DateTime, String, Text, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from compcore.data.mapping import DataMapping, dump_mapping, load_mapping
from compcore.errors import PlanError
from compcore.io.store import ScenarioStore, StoreError
from compcore.io.tables import RawTable

__all__ = ["MappingNotFoundError", "MappingStore", "SavedMapping", "same_headers"]
T = TypeVar("T")


class MappingNotFoundError(StoreError):
    """No mapping is saved under this name."""


class _Base(DeclarativeBase):
    pass


class _Mapping(_Base):
    __tablename__ = "compcore_mappings"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(200), nullable=True)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class SavedMapping:
    """A mapping as saved: its name, the mapping, who saved it and when (UTC)."""

    name: str
    mapping: DataMapping
    author: str | None
    saved_at: datetime


def same_headers(mapping: DataMapping, tables: Sequence[RawTable]) -> bool:
    """True when every kind of record of ``mapping`` was made on headers that one of ``tables`` has exactly
    (same set of header texts, any order): the export has the shape the mapping was made for."""
    have = [frozenset(t.headers) for t in tables]
    return all(tm.headers and frozenset(tm.headers) in have for tm in mapping.tables.values())


def _clean(name: str) -> str:
    text = " ".join(str(name).split())
    if not text or len(text) > 200:
        raise PlanError("mapping name: give a name of 1 to 200 characters")
    return text


class MappingStore:
    """Named column mappings in the database of a :class:`ScenarioStore`.

    Examples
    --------
    >>> from compcore.io.store import ScenarioStore
    >>> from compcore.data.mapping import load_mapping
    >>> maps = MappingStore(ScenarioStore("sqlite://"))
    >>> _ = maps.save("Salesforce", load_mapping({"tables": {"clients": {"columns": {"client_id": "Account ID"}}}}))
    >>> maps.get("Salesforce").tables["clients"].columns, [m.name for m in maps.list()]
    ({'client_id': 'Account ID'}, ['Salesforce'])
    """

    def __init__(self, store: ScenarioStore) -> None:
        # every transaction goes through the scenario store's: its timeouts, its answer deadline, its messages
        self._store = store
        store.transaction(lambda s: _Base.metadata.create_all(s.connection()), "opened")

    def _run(self, work: Callable[[Session], T], what: str) -> T:
        doing = {"save": "saved", "read": "read", "delete": "deleted"}.get(what, what)
        return self._store.transaction(work, f"{doing} (saved mappings)", read_only=what == "read")

    def save(self, name: str, mapping: DataMapping, author: str | None = None) -> SavedMapping:
        """Save ``mapping`` under ``name`` (replacing one of that name)."""
        name = _clean(name)
        mapping = mapping.model_copy(update={"name": name})
        text = json.dumps(dump_mapping(mapping), sort_keys=True)
        now = datetime.now(UTC)

        def work(s: Session) -> SavedMapping:
            row = s.get(_Mapping, name)
            if row is None:
                s.add(_Mapping(name=name, data=text, author=author, saved_at=now))
            else:
                row.data, row.author, row.saved_at = text, author, now
            return SavedMapping(name, mapping, author, now)

        return self._run(work, "save")

    @staticmethod
    def _record(row: _Mapping) -> SavedMapping:
        when = row.saved_at if row.saved_at.tzinfo else row.saved_at.replace(tzinfo=UTC)
        return SavedMapping(row.name, load_mapping(row.data), row.author, when)

    def get(self, name: str) -> DataMapping:
        """The mapping saved under ``name``; MappingNotFoundError naming the saved ones otherwise."""
        row = self._run(lambda s: s.get(_Mapping, _clean(name)), "read")
        if row is None:
            names = ", ".join(repr(m.name) for m in self.list()) or "none yet"
            raise MappingNotFoundError(f"no saved mapping {name!r}; saved: {names}")
        return self._record(row).mapping

    def list(self) -> list[SavedMapping]:
        """Every saved mapping, the most recently saved first."""
        rows = self._run(lambda s: list(s.scalars(select(_Mapping).order_by(_Mapping.saved_at.desc()))), "read")
        return [self._record(r) for r in rows]

    def matching(self, tables: Sequence[RawTable]) -> list[SavedMapping]:
        """Saved mappings made on the headers of ``tables`` (:func:`same_headers`), most recent first."""
        return [m for m in self.list() if same_headers(m.mapping, tables)]

    def delete(self, name: str) -> None:
        """Forget the mapping saved under ``name`` (nothing if there is none)."""
        self._run(lambda s: s.execute(delete(_Mapping).where(_Mapping.name == _clean(name))), "delete")
