"""Read-only HR links of the store: a random token opening one saved version (part of :class:`ScenarioStore`)."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from compcore.io.store.errors import ScenarioNotFoundError, StoreError
from compcore.io.store.records import (
    TOKEN_BYTES,
    DamagedVersionError,
    SavedScenario,
    ShareToken,
    expiry,
    record,
    run_setting,
    token_record,
    valid_token,
    version_number,
)
from compcore.io.store.tables import ScenarioRow, TokenRow, TokenRunRow, VersionRow

__all__ = ["HrLinks"]
T = TypeVar("T")


class HrLinks:
    """The HR link methods of :class:`~compcore.io.store.ScenarioStore` (its transactions and row lookups)."""

    _write: Callable[..., Any]
    _read: Callable[..., Any]
    _find: Callable[..., ScenarioRow]
    _version_row: Callable[..., VersionRow]

    @staticmethod
    def _latest(s: Session, scn: ScenarioRow) -> VersionRow:
        row = s.scalars(select(VersionRow).where(VersionRow.scenario_id == scn.id)
                        .order_by(VersionRow.version.desc()).limit(1)).first()
        if row is None:  # pragma: no cover - a scenario always has a version
            raise ScenarioNotFoundError(f"saved scenario {scn.name!r} has no versions")
        return row

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
        version = version_number(version)
        until = expiry(expires)
        author = " ".join(author.split())[:200] or None if author else None
        run = {"trials": run_setting("trials", trials), "seed": run_setting("seed", seed)}

        def work(s: Session) -> str:
            scn = self._find(s, scenario_id, by_name=False)
            row = self._version_row(s, scn, version) if version is not None else self._latest(s, scn)
            token = secrets.token_urlsafe(TOKEN_BYTES)
            s.add(TokenRow(token=token, scenario_id=scn.id, version=row.version, author=author,
                         created_at=datetime.now(UTC), expires_at=until))
            if run["trials"] is not None or run["seed"] is not None:
                s.flush()  # the token row first: the run row refers to it
                s.add(TokenRunRow(token=token, **run))
            return token

        token = self._write(work)
        if not self._read(lambda s: s.get(TokenRow, token) is not None, doing="confirmed"):
            raise StoreError("the scenario database did not keep the new link (it is missing when read back); "
                             "try again, and tell its administrator")
        return token

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
        if not valid_token(token):
            raise gone

        def work(s: Session) -> SavedScenario:
            row = s.get(TokenRow, token)
            if row is None or not token_record(row).active:
                raise gone
            scn = s.get(ScenarioRow, row.scenario_id)
            if scn is None:
                raise gone
            try:
                rec = record(self._version_row(s, scn, row.version))
            except DamagedVersionError:
                raise StoreError("the saved version this read-only link opens is damaged and cannot be shown; "
                                 "ask for a new link") from None
            run = s.get(TokenRunRow, token)
            return rec if run is None else dataclasses.replace(rec, trials=run.trials, seed=run.seed)

        return self._read(work)

    def revoke_token(self, token: str) -> None:
        """End an HR link now (ScenarioNotFoundError if there is no such token)."""
        if not valid_token(token):
            raise ScenarioNotFoundError("no such read-only link")

        def work(s: Session) -> None:
            row = s.get(TokenRow, token)
            if row is None:
                raise ScenarioNotFoundError("no such read-only link")
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)

        self._write(work)

    def tokens(self, scenario_id: str | None = None) -> list[ShareToken]:
        """HR link tokens (of one scenario, or all), newest first, revoked and expired ones included."""

        def work(s: Session) -> list[ShareToken]:
            q = select(TokenRow)
            if scenario_id is not None:
                q = q.where(TokenRow.scenario_id == str(scenario_id))
            return sorted((token_record(r) for r in s.scalars(q)), key=lambda t: t.created_at, reverse=True)

        return self._read(work)
