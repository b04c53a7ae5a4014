"""SQL both backends need written the same way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import Base

# The time a repository writes, from its caller: the store keeps no clock (bot/clock.py is the one).
Now = Callable[[], datetime]


def insert_ignoring_conflict(session: Session, model: type[Base], values: dict[str, Any], **conflict: Any) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on either backend; True when a row was written.

    Races between replicas (and Slack's parallel retries) are settled by the unique key, not by a read first.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # On the Table (an ORM insert adds RETURNING), and rowcount kept: drivers report -1 for INSERT otherwise.
    statement = insert(cast(Table, model.__table__)).values(**values).on_conflict_do_nothing(**conflict)
    return rowcount(session.execute(statement, execution_options={"preserve_rowcount": True})) == 1


def rowcount(result: Result[Any]) -> int:
    """Rows an INSERT/UPDATE/DELETE touched (execute() is typed as returning a plain Result)."""
    return cast(CursorResult[Any], result).rowcount
