"""The store's tables (SQLAlchemy ORM rows); the layout is described in docs/store.md."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["SCENARIO_SCHEMA_VERSION", "STORE_LAYOUT_VERSION", "Base", "MetaRow", "ScenarioRow", "TokenRow",
           "TokenRunRow", "VersionRow"]

#: version of the scenario JSON schema written by this code (``compcore.scenario/v1``)
SCENARIO_SCHEMA_VERSION = 1
#: version of the table layout; bump it with a migration step (docs/store.md)
STORE_LAYOUT_VERSION = 1


class Base(DeclarativeBase):
    pass


class ScenarioRow(Base):
    __tablename__ = "compcore_scenarios"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VersionRow(Base):
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


class TokenRow(Base):
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


class TokenRunRow(Base):
    """The trials and seed an HR link simulates with: the editor's, when the link was made (same numbers).

    A table of its own beside the tokens (created on open, so an existing database gains it and older code
    ignores it); a token without a row here simulates with the app's defaults.
    """

    __tablename__ = "compcore_share_token_runs"
    token: Mapped[str] = mapped_column(
        String(64), ForeignKey("compcore_share_tokens.token", ondelete="CASCADE"), primary_key=True)
    trials: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seed: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class MetaRow(Base):
    __tablename__ = "compcore_store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
