"""What every model shares: the declarative base, its naming convention and the column types."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import Date, DateTime, Enum, Integer, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite drops the offset on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def machine_now() -> datetime:
    """The machine's time, for a row made with no time given (test rows). The repositories write their caller's
    time (bot/clock.py, moved ahead in the console trial); the store keeps no clock of its own."""
    return datetime.now(UTC)


# Constraint names are fixed so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TeamId = Annotated[str, mapped_column(String(32), index=False)]
SlackId = Annotated[str, mapped_column(String(32))]
Created = Annotated[datetime, mapped_column(UTCDateTime, default=machine_now)]
Id = Annotated[int, mapped_column(Integer, primary_key=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime, date: Date}  # noqa: RUF012


def enum_of(cls: type[enum.Enum]) -> Enum:
    """Stored as plain strings (no PostgreSQL ENUM type): adding a value needs no type migration."""
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
