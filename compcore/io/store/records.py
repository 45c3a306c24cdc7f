"""What the store hands back (saved versions, HR link tokens) and the checks of what it is given."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from compcore.io.share import inline_plan
from compcore.io.store.errors import ScenarioNotFoundError, StoreError
from compcore.io.store.tables import SCENARIO_SCHEMA_VERSION, TokenRow, VersionRow
from compcore.simulation.scenario import load_scenario

__all__ = ["RUN_BOUNDS", "TOKEN_BYTES", "DamagedVersionError", "SavedScenario", "ShareToken", "clean_name", "expiry",
           "prepare", "record", "run_setting", "token_record", "utc", "valid_token", "version_number"]


class DamagedVersionError(StoreError):
    """A stored version whose data cannot be read back (invalid JSON, not an object); ``version`` names it."""

    def __init__(self, version: int, message: str) -> None:
        super().__init__(message)
        self.version = version


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
    skipped : versions passed over because their stored data is damaged (see :class:`DamagedVersionError`)
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
    #: versions of this scenario skipped because their stored data is damaged (newer than this one, or all)
    skipped: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        """'FY27 base case v3 · 2026-01-31 14:05 UTC by Ana' (who/when, for lists and stamps)."""
        by = f" by {self.author}" if self.author else ""
        return f"{self.name} v{self.version} · {self.created_at:%Y-%m-%d %H:%M} UTC{by}{self.skipped_note}"

    @property
    def skipped_note(self) -> str:
        """' (version 4 is damaged and was skipped)' when a damaged version was passed over, else ''."""
        if not self.skipped:
            return ""
        many = len(self.skipped) > 1
        return (f" (version{'s' if many else ''} {', '.join(map(str, self.skipped))} "
                f"{'are' if many else 'is'} damaged and {'were' if many else 'was'} skipped)")


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


def token_record(row: TokenRow) -> ShareToken:
    return ShareToken(token=row.token, scenario_id=row.scenario_id, version=row.version, author=row.author,
                      created_at=utc(row.created_at),
                      expires_at=None if row.expires_at is None else utc(row.expires_at),
                      revoked_at=None if row.revoked_at is None else utc(row.revoked_at))


#: random bytes of an HR link token (256 bits; the contract asks for at least 128)
TOKEN_BYTES = 32
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def valid_token(token: Any) -> bool:
    return isinstance(token, str) and 22 <= len(token) <= 64 and set(token) <= _TOKEN_CHARS


def version_number(version: Any) -> int | None:
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ScenarioNotFoundError(f"no version {version!r}: versions are whole numbers from 1")
    return version


#: the simulation settings a link may carry (``trials`` as in ``simulate``; a seed as numpy takes it, in 64 bits)
RUN_BOUNDS = {"trials": (1, 10_000_000), "seed": (0, 2**63 - 1)}


def run_setting(name: str, value: Any) -> int | None:
    if value is None:
        return None
    lo, hi = RUN_BOUNDS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise StoreError(f"{name}: a whole number from {lo:,} to {hi:,}, not {value!r}")
    return value


def expiry(expires: Any) -> datetime | None:
    if expires is None:
        return None
    if isinstance(expires, timedelta):
        expires = datetime.now(UTC) + expires
    if not isinstance(expires, datetime):
        raise StoreError(f"expires: give a datetime or a timedelta, not {type(expires).__name__}")
    return utc(expires)


def utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def record(row: VersionRow) -> SavedScenario:
    """The saved version of a row; DamagedVersionError when its data is not a JSON object (edited by hand,
    cut short, written by something else)."""
    try:
        data = json.loads(row.data) if isinstance(row.data, str | bytes) else None
    except (ValueError, RecursionError):  # JSONDecodeError, bad UTF-8, too deep
        data = None
    if not isinstance(data, dict):
        raise DamagedVersionError(row.version, f"version {row.version} of the saved scenario {row.name!r} is "
                                  "damaged (its stored data is not a scenario) and cannot be opened; "
                                  "open another version, or save the scenario again")
    return SavedScenario(
        id=row.scenario_id, name=row.name, version=row.version, data=data,
        author=row.author, created_at=utc(row.created_at), schema_version=row.schema_version,
    )


def prepare(name: str, data: dict[str, Any]) -> str:
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


def clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise StoreError("name: give the scenario a name")
    if len(name) > 200:
        raise StoreError("name: at most 200 characters")
    return name
